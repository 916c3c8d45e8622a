# Terraform >= 1.10 (write-only arguments: >= 1.11). Every plan and apply opens the ephemeral
# resource again and mints a new key, which is never stored in plan or state: hand it to a
# write-only argument. Keep `expiry` short — closing does not revoke the key.
ephemeral "tailscale_key" "orchestrator" {
  preauthorized = true
  tags          = ["tag:server"]
  expiry        = 3600
}

resource "render_service" "orchestrator" {
  type          = "background_worker"
  name          = "orchestrator"
  runtime       = "docker"
  repo          = "https://github.com/example/orchestrator"
  env_vars_wo   = { TS_AUTHKEY = ephemeral.tailscale_key.orchestrator.key }
  # Raise to send a fresh key; between bumps the service keeps the key it was given.
  env_vars_wo_version = 1
}
