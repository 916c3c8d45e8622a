# Terraform >= 1.10. The connector token for this run only, never stored in state or plan: pass it
# to a write-only argument, e.g. the env of a service that runs cloudflared.
resource "cloudflare_tunnel" "edge" {
  name = "edge-connector"
}

ephemeral "cloudflare_tunnel_token" "edge" {
  tunnel_id = cloudflare_tunnel.edge.id
}

resource "render_service" "cloudflared" {
  type    = "private_service"
  name    = "cloudflared"
  runtime = "image"
  image   = { url = "docker.io/cloudflare/cloudflared:latest" }
  # The image runs `cloudflared tunnel run`; it reads TUNNEL_TOKEN.
  env_vars_wo = {
    TUNNEL_TOKEN = ephemeral.cloudflare_tunnel_token.edge.token
  }
  env_vars_wo_version = 1
}
