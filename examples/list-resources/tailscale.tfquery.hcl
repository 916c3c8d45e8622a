# `terraform query` over the tailnet (needs provider "tailscale").
list "tailscale_key" "all" {
  provider         = tailscale
  include_resource = true
}

list "tailscale_acl" "this" {
  provider         = tailscale
  include_resource = true
}

list "tailscale_dns_preferences" "this" {
  provider         = tailscale
  include_resource = true
}

list "tailscale_device_tags" "servers" {
  provider         = tailscale
  include_resource = true
  config {
    tag = "tag:server"   # also name_prefix
  }
}
