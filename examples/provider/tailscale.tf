terraform {
  required_providers {
    tailscale = {
      source  = "paasform/tailscale"
      version = "~> 0.1"
    }
  }
}

# Credentials come from TAILSCALE_API_KEY (or TAILSCALE_OAUTH_CLIENT_ID and
# TAILSCALE_OAUTH_CLIENT_SECRET); the tailnet defaults to the credential's own ("-").
provider "tailscale" {}
