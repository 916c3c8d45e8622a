# A remotely managed tunnel; the provider makes its secret (never stored in state).
resource "cloudflare_tunnel" "mac" {
  name = "infra402-macbook"
}

# The one command the machine running cloudflared needs.
output "cloudflared_command" {
  value     = "cloudflared tunnel run --token ${cloudflare_tunnel.mac.token}"
  sensitive = true
}
