#!/usr/bin/env bash
# The README's first command: build paasform, install it as a filesystem mirror, start the API
# emulator, and `terraform init` + `apply` a documented architecture against it — no cloud
# account needed. `bash scripts/demo.sh destroy` tears the same stack down again.
#
#   bash scripts/demo.sh [apply|destroy] [architecture]     (default: apply kirby-gen)
set -euo pipefail

action="${1:-apply}"
arch="${2:-kirby-gen}"
root="$(cd "$(dirname "$0")/.." && pwd)"
demo="$root/target/demo"
work="$demo/$arch"
source "$root/scripts/lib/terraform.sh"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nerror: %s\n' "$*" >&2; exit 1; }
trap 'fail "the demo stopped at the step above (exit $?)"' ERR

[ -d "$root/examples/architectures/$arch" ] || fail "no architecture named $arch under examples/architectures/"
case "$action" in apply|destroy) ;; *) fail "usage: bash scripts/demo.sh [apply|destroy] [architecture]";; esac

# One build for the whole first hour: the same (debug) profile as scripts/test.sh, and the closing
# hint installs this very binary for your own stacks, so nothing is built twice. Cargo's progress
# (its bar on a terminal, one "Compiling" line per crate otherwise) stays visible.
step "building the provider and the emulator (cargo build; the first build takes a few minutes, later ones seconds)"
build_start=$SECONDS
cargo build -p paasform -p paasform-emulator
echo "built in $((SECONDS - build_start)) s"
target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/debug"

step "finding Terraform"
ensure_terraform
TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$TERRAFORM" version 2>/dev/null | sed -n 1p

step "installing the provider as a filesystem mirror"
mkdir -p "$demo"
"$bin/terraform-provider-paasform" install --dir "$demo/mirror" >/dev/null
cat > "$demo/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$demo/mirror"
    include = ["registry.terraform.io/paasform/*"]
  }
  direct {
    exclude = ["registry.terraform.io/paasform/*"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$demo/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0

step "starting the emulator (state kept in $demo/emulator-state.json)"
# vulcan looks up its desktop PC on the tailnet: the emulated tailnet starts with one.
"$bin/paasform-emulator" --listen 127.0.0.1:0 --state "$demo/emulator-state.json" --render-db-ready-ms 1500 --render-deploy-ms 1500 --tailscale-device desktop:100.101.102.103 > "$demo/emulator.json" &
emu_pid=$!
trap 'kill $emu_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do [ -s "$demo/emulator.json" ] && break; sleep 0.1; done
[ -s "$demo/emulator.json" ] || fail "the emulator did not start"
url() { python3 -c "import json,sys; print(json.load(open('$demo/emulator.json'))['$1'])"; }
addr="$(url addr)"
export RENDER_API_KEY=demo-token RENDER_BASE_URL="$(url render)"
export RAILWAY_TOKEN=demo-token RAILWAY_BASE_URL="$(url railway)"
export VERCEL_API_TOKEN=demo-token VERCEL_BASE_URL="$(url vercel)"
export TAILSCALE_API_KEY=demo-token TAILSCALE_BASE_URL="$(url tailscale)"
export CLOUDFLARE_API_TOKEN=demo-token CLOUDFLARE_ACCOUNT_ID=demo-account CLOUDFLARE_BASE_URL="$(url cloudflare)"
echo "emulator at http://$addr"

mkdir -p "$work"
# Copy the module (not its state) so re-runs keep terraform.tfstate next to it.
(cd "$root/examples/architectures/$arch" && tar cf - --exclude=.terraform --exclude='*.tfstate*' .) | (cd "$work" && tar xf -)
cd "$work"

step "terraform init (offline, from the mirror)"
rm -f .terraform.lock.hcl
"$TERRAFORM" init -no-color >/dev/null
echo "lock file written: $(grep -c '^provider' .terraform.lock.hcl) providers"

if [ "$action" = destroy ]; then
  step "terraform destroy"
  "$TERRAFORM" destroy -auto-approve -no-color -var-file=demo.tfvars > "$demo/destroy.log" 2>&1 || { tail -30 "$demo/destroy.log"; fail "terraform destroy failed"; }
tail -1 "$demo/destroy.log"
  rm -f "$demo/emulator-state.json"
  echo "done: the stack and the emulator's state are gone."
  exit 0
fi

step "terraform apply -var-file=demo.tfvars (this waits for databases to become available)"
"$TERRAFORM" apply -auto-approve -no-color -var-file=demo.tfvars > "$demo/apply.log" 2>&1 || { tail -30 "$demo/apply.log"; fail "terraform apply failed (full log: $demo/apply.log)"; }
grep -E '^(.*: (Creating|Creation complete|Still)|Apply complete)' "$demo/apply.log" || true

step "outputs"
"$TERRAFORM" output -no-color

step "what now exists in the emulator"
python3 -c 'import urllib.request,sys; sys.stdout.write(urllib.request.urlopen("http://'"$addr"'/_emulator/state").read().decode())' | python3 -c '
import json, sys
state = json.load(sys.stdin)
def count(x):
    if isinstance(x, dict): return len(x)
    if isinstance(x, list): return len(x)
    return 0
for vendor, tables in sorted(state.items()):
    if not isinstance(tables, dict): continue
    parts = [f"{name}: {count(v)}" for name, v in sorted(tables.items()) if count(v)]
    if parts: print(f"  {vendor:10} " + ", ".join(parts))
'

step "second plan (must show no changes)"
plan_rc=0
"$TERRAFORM" plan -detailed-exitcode -no-color -var-file=demo.tfvars > "$demo/plan.log" 2>&1 || plan_rc=$?
case "$plan_rc" in
  0) echo "no changes" ;;
  2) cat "$demo/plan.log"; fail "the second plan is not empty" ;;
  *) tail -30 "$demo/plan.log"; fail "terraform plan failed" ;;
esac

cat <<NEXT

The $arch stack is applied against the emulator (its state: $demo/emulator-state.json).
  Tear it down:        bash scripts/demo.sh destroy $arch
  Your own stacks:     $bin/terraform-provider-paasform install
                       (the binary this demo built; it says whether a CLI configuration is needed),
                       then README.md, "Your first stack against the emulator"
  Real clouds instead: cd examples/architectures/$arch, unset the *_BASE_URL variables, export real
                       tokens (RENDER_API_KEY, CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, …) and run
                       terraform init && terraform apply with your own .tfvars.
NEXT
