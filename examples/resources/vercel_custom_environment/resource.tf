terraform {
  required_providers {
    vercel = {
      source = "paasform/vercel"
    }
  }
}

resource "vercel_project" "shop" {
  name = "shop"
}

# A staging environment: every deployment of a release/* branch goes to it.
resource "vercel_custom_environment" "staging" {
  project_id  = vercel_project.shop.id
  name        = "staging"
  description = "Release candidates, before production."

  branch_tracking = {
    type    = "startsWith"
    pattern = "release/"
  }
}

# Served at its own domain.
resource "vercel_project_domain" "staging" {
  project_id            = vercel_project.shop.id
  domain                = "staging.shop.example.com"
  custom_environment_id = vercel_custom_environment.staging.id
}
