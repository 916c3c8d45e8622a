# infra402: the Vercel half of a hybrid deployment. The backends run on a local MacBook behind a
# Cloudflare Tunnel, which paasform does not manage: its public URL is an input.
terraform {
  required_version = ">= 1.11"

  required_providers {
    vercel = {
      source  = "paasform/vercel"
      version = "~> 0.1"
    }
  }
}
