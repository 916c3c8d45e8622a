terraform {
  required_providers {
    tailscale = {
      source = "paasform/tailscale"
    }
  }
}

data "tailscale_device" "desktop" {
  hostname = "desktop"
  wait_for = "5m"
}

resource "tailscale_device_authorization" "desktop" {
  device_id  = data.tailscale_device.desktop.id
  authorized = true
}
