terraform {
  required_providers {
    vercel = {
      source = "paasform/vercel"
    }
  }
}

resource "vercel_project" "web" {
  name = "codewarden-web"
}

resource "vercel_project_domain" "app" {
  project_id = vercel_project.web.id
  domain     = "app.codewarden.io"
}

# How to point the domain at Vercel: a CNAME for a subdomain (A records for an apex), plus the
# verification TXT record while the domain is unverified.
data "vercel_project_domain" "app" {
  project_id = vercel_project_domain.app.project_id
  domain     = vercel_project_domain.app.domain
}

output "dns_records" {
  value = data.vercel_project_domain.app.dns_records
}

output "misconfigured" {
  value = data.vercel_project_domain.app.misconfigured
}
