terraform {
  required_providers {
    render     = { source = "paasform/render" }
    vercel     = { source = "paasform/vercel" }
    railway    = { source = "paasform/railway" }
    tailscale  = { source = "paasform/tailscale" }
    cloudflare = { source = "paasform/cloudflare" }
    r2         = { source = "paasform/r2" }
  }
}

# Credentials from the environment: RENDER_API_KEY (and RENDER_OWNER_ID when the key sees
# several workspaces), VERCEL_API_TOKEN, RAILWAY_TOKEN, TAILSCALE_API_KEY, CLOUDFLARE_API_TOKEN
# and CLOUDFLARE_ACCOUNT_ID. Keep only the vendors you adopt (and their .tfquery.hcl files).
provider "render" {}
provider "vercel" {}
provider "railway" {}
provider "tailscale" {}
provider "cloudflare" {}
provider "r2" {}
