terraform {
  required_providers {
    vercel = {
      source  = "paasform/vercel"
      version = "~> 0.1"
    }
  }
}

# Credentials come from VERCEL_API_TOKEN; VERCEL_TEAM selects a team (id or slug).
provider "vercel" {}
