# Terraform >= 1.10. The key is minted for this run only and never stored in state: pass it to a
# write-only argument. It is revoked when the run ends; `keep_after_run = terraform.applying`
# keeps the key an apply minted (valid until `expiry`) for a service that reads it later.
ephemeral "tailscale_key" "orchestrator" {
  reusable      = true
  preauthorized = true
  tags          = ["tag:server"]
  expiry        = 3600
}
