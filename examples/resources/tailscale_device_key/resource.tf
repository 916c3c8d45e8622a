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

# A server that must not drop off the tailnet when its node key would expire.
resource "tailscale_device_key" "desktop" {
  device_id           = data.tailscale_device.desktop.id
  key_expiry_disabled = true
}
