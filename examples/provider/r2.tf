terraform {
  required_providers {
    r2 = {
      source  = "paasform/r2"
      version = "~> 0.1"
    }
  }
}

# Credentials come from CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID.
provider "r2" {}
