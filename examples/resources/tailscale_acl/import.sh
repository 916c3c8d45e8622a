terraform import tailscale_acl.policy acl
