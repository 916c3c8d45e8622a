# The device's node id, e.g. from `data.tailscale_device.<name>.id`.
terraform import tailscale_device_authorization.desktop nABCDEF1234CNTRL
