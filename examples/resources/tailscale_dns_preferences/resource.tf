terraform {
  required_providers {
    tailscale = {
      source = "paasform/tailscale"
    }
  }
}

resource "tailscale_dns_preferences" "dns" {
  magic_dns = true
}
