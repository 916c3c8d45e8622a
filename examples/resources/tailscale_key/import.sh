# Import by key id. The secret cannot be recovered: `key` stays null after import.
terraform import tailscale_key.example k123456CNTRL
