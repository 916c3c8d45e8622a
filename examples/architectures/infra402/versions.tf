# infra402: a hybrid deployment. The frontend runs on Vercel; the backends run on a local MacBook
# behind a Cloudflare Tunnel that this module creates and configures.
terraform {
  required_version = ">= 1.11"

  required_providers {
    vercel = {
      source  = "paasform/vercel"
      version = "~> 0.1"
    }
    cloudflare = {
      source  = "paasform/cloudflare"
      version = "~> 0.1"
    }
  }
}
