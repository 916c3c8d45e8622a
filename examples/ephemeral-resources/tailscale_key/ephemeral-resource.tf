# Terraform >= 1.10. The key is minted for this run only and never stored in state:
# pass it to a write-only argument.
ephemeral "tailscale_key" "orchestrator" {
  reusable      = true
  preauthorized = true
  tags          = ["tag:server"]
  expiry        = 3600
}
