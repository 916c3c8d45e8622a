terraform {
  required_providers {
    tailscale = {
      source = "paasform/tailscale"
    }
  }
}

data "tailscale_device" "desktop" {
  hostname = "desktop" # or name = "desktop.tail1234.ts.net"
  wait_for = "2m"      # optional: wait for the machine to join
}

output "desktop_url" {
  value = "http://${data.tailscale_device.desktop.addresses[0]}:8080"
}
