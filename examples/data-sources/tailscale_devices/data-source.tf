terraform {
  required_providers {
    tailscale = {
      source = "paasform/tailscale"
    }
  }
}

data "tailscale_devices" "servers" {
  name_prefix = "server-"
  tag         = "tag:server"
}

output "server_ips" {
  value = [for d in data.tailscale_devices.servers.devices : d.addresses[0]]
}
