terraform {
  required_providers {
    cloudflare = {
      source  = "paasform/cloudflare"
      version = "~> 0.1"
    }
    # Running Cloudflare's own provider in the same module? Give one of the two another local
    # name, e.g. `cf = { source = "cloudflare/cloudflare" }`, and set `provider = cf` on its
    # resources; paasform's `cloudflare_*` types then need no `provider` argument.
  }
}

# Credentials come from CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID.
provider "cloudflare" {}
