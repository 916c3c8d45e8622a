data "cloudflare_zone" "site" {
  name = "mydomain.com"
}

resource "cloudflare_tunnel" "mac" {
  name = "macbook"
}

# A proxied CNAME that sends api.mydomain.com into the tunnel (relative name; TTL automatic).
resource "cloudflare_dns_record" "api" {
  zone_id = data.cloudflare_zone.site.id
  name    = "api"
  type    = "CNAME"
  content = cloudflare_tunnel.mac.cname
  proxied = true
  comment = "backend API through the tunnel"
}

# Mail for the apex: MX records need a priority.
resource "cloudflare_dns_record" "mx" {
  zone_id  = data.cloudflare_zone.site.id
  name     = "@"
  type     = "MX"
  content  = "mail.mydomain.com"
  priority = 10
  ttl      = 3600
}

# Only Let's Encrypt may issue certificates for the zone.
resource "cloudflare_dns_record" "caa" {
  zone_id = data.cloudflare_zone.site.id
  name    = "@"
  type    = "CAA"
  content = "0 issue \"letsencrypt.org\""
}
