# The frontend: a Vite + React app built with pnpm from `frontend/`, served by Vercel. It calls
# the backend through the Cloudflare Tunnel URL, baked in at build time as VITE_CHAT_API_BASE.

locals {
  chat_api_base_url = "https://${var.api_hostname}"
  zone_name         = coalesce(var.zone_name, join(".", slice(split(".", var.api_hostname), 1, length(split(".", var.api_hostname)))))
  # VITE_* values end up in public JavaScript bundles: they are plain, not secrets.
  frontend_environment = merge(var.extra_environment, {
    VITE_CHAT_API_BASE = local.chat_api_base_url
  })
}

# The backend path: api_hostname -> Cloudflare's edge -> cloudflared on the MacBook -> :8000.
resource "cloudflare_tunnel" "backend" {
  name = "${var.project_name}-macbook"
}

resource "cloudflare_tunnel_config" "backend" {
  tunnel_id = cloudflare_tunnel.backend.id
  ingress = [
    { hostname = var.api_hostname, service = "http://localhost:8000" },
    { service = "http_status:404" },
  ]
}

# The user's zone (by default the API hostname minus its first label) and the proxied CNAME
# api_hostname -> <tunnel id>.cfargotunnel.com that sends the hostname's traffic into the tunnel.
data "cloudflare_zone" "site" {
  name = local.zone_name
}

resource "cloudflare_dns_record" "api" {
  zone_id = data.cloudflare_zone.site.id
  name    = var.api_hostname
  type    = "CNAME"
  content = cloudflare_tunnel.backend.cname
  proxied = true
  comment = "${var.project_name}: the backend API through the Cloudflare Tunnel"
}

resource "vercel_project" "frontend" {
  name             = var.project_name
  framework        = "vite"
  root_directory   = var.root_directory
  build_command    = "pnpm build"
  output_directory = "dist"
  node_version     = var.node_version

  git_repository = {
    type = "github"
    repo = var.github_repo
  }

  environment = [
    for key, value in local.frontend_environment : {
      key     = key
      value   = value
      target  = var.chat_api_targets
      type    = "plain"
      comment = key == "VITE_CHAT_API_BASE" ? "Cloudflare Tunnel to the local backend-llm (port 8000)" : null
    }
  ]
}
