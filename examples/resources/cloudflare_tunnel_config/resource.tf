resource "cloudflare_tunnel" "mac" {
  name = "infra402-macbook"
}

resource "cloudflare_tunnel_config" "mac" {
  tunnel_id = cloudflare_tunnel.mac.id

  ingress = [
    {
      hostname = "api.example.com"
      service  = "http://localhost:8000"
      origin_request = {
        connect_timeout = 10
      }
    },
    # The last rule catches everything else.
    { service = "http_status:404" },
  ]
}
