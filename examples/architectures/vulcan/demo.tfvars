# Example values: `terraform apply -var-file=demo.tfvars` against the paasform emulator (started
# with `--tailscale-device desktop:100.101.102.103`).
repo_url         = "https://github.com/acme/vulcan"
desktop_hostname = "desktop"
# A demo tailnet: destroy puts back Tailscale's default policy, so nothing of the stack is left.
reset_tailnet_policy_on_destroy = true
