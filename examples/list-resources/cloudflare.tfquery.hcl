# `terraform query` over a Cloudflare account (needs providers "cloudflare" and "r2").
list "cloudflare_tunnel" "all" {
  provider         = cloudflare
  include_resource = true
}

list "cloudflare_tunnel_config" "all" {
  provider         = cloudflare
  include_resource = true
}

list "cloudflare_dns_record" "zone" {
  provider         = cloudflare
  include_resource = true
  config {
    zone_id = "0123456789abcdef0123456789abcdef" # required; also `name` (exact) and `type`
  }
}

list "r2_bucket" "all" {
  provider         = r2
  include_resource = true
  # config { jurisdiction = "eu" }   # default: the default jurisdiction
}

list "r2_credentials" "all" {
  provider         = r2
  include_resource = true
}
