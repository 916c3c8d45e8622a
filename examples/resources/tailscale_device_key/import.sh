# The device's node id, e.g. from `data.tailscale_device.<name>.id`.
terraform import tailscale_device_key.desktop nABCDEF1234CNTRL
