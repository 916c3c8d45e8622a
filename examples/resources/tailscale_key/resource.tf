terraform {
  required_providers {
    tailscale = {
      source = "paasform/tailscale"
    }
  }
}

variable "description" {
  type    = string
  default = "render orchestrator"
}

resource "tailscale_key" "example" {
  reusable      = true
  ephemeral     = false
  preauthorized = true
  tags          = ["tag:server"]
  expiry        = 7776000
  description   = var.description

  # Recreate the key when Tailscale reports it revoked or expired.
  recreate_if_invalid = "always"
}

output "key_id" {
  value = tailscale_key.example.id
}

output "expires_at" {
  value = tailscale_key.example.expires_at
}

output "auth_key" {
  value     = tailscale_key.example.key
  sensitive = true
}
