terraform {
  required_providers {
    tailscale = {
      source = "paasform/tailscale"
    }
  }
}

data "tailscale_device" "desktop" {
  hostname = "desktop"
}

resource "tailscale_device_tags" "desktop" {
  device_id = data.tailscale_device.desktop.id
  tags      = ["tag:desktop"]
}
