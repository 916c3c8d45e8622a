# A zone by name (add account_id when the token sees zones of several accounts) ...
data "cloudflare_zone" "site" {
  name = "mydomain.com"
}

# ... or by id.
data "cloudflare_zone" "same" {
  zone_id = data.cloudflare_zone.site.id
}

output "name_servers" {
  description = "Point the registrar at these."
  value       = data.cloudflare_zone.site.name_servers
}
