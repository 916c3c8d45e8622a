# Staging and production are two instances of one module (modules/stack): same services, their
# own branch, domains, plans, database and Redis, each placed in its environment of one Render
# project (no hand-made environment ids). The API of each environment accepts only the
# frontend origins of that environment (the plan's CORS policy).

locals {
  environments = {
    production = {
      web_domains = [var.domain, "www.${var.domain}"]
      api_domain  = "api.${var.domain}"
    }
    staging = {
      web_domains = ["staging.${var.domain}"]
      api_domain  = "api.staging.${var.domain}"
    }
  }
}

resource "render_project" "robot" {
  name = var.name_prefix
  environments = {
    staging = { name = "staging" }
    # Only workspace admins can do destructive things in production.
    production = { name = "production", protected_status = "protected" }
  }
}

module "production" {
  source = "./modules/stack"

  environment           = "production"
  name_prefix           = "${var.name_prefix}-production"
  repo_url              = var.repo_url
  branch                = var.branches.production
  region                = var.region
  render_environment_id = render_project.robot.environments["production"].id
  plans                 = var.plans.production
  web_domains           = local.environments.production.web_domains
  api_domain            = local.environments.production.api_domain
  cors_origins          = [for d in local.environments.production.web_domains : "https://${d}"]
  app                   = var.app
  redis_disk_gb         = var.redis_disk_gb

  google_oauth_client_id     = var.google_oauth_client_id
  google_oauth_client_secret = var.google_oauth_client_secret
  extra_env                  = var.extra_env
  secrets_version            = var.secrets_version
}

module "staging" {
  source = "./modules/stack"

  environment           = "staging"
  name_prefix           = "${var.name_prefix}-staging"
  repo_url              = var.repo_url
  branch                = var.branches.staging
  region                = var.region
  render_environment_id = render_project.robot.environments["staging"].id
  plans                 = var.plans.staging
  web_domains           = local.environments.staging.web_domains
  api_domain            = local.environments.staging.api_domain
  cors_origins          = [for d in local.environments.staging.web_domains : "https://${d}"]
  app                   = var.app
  redis_disk_gb         = var.redis_disk_gb

  google_oauth_client_id     = var.google_oauth_client_id
  google_oauth_client_secret = var.google_oauth_client_secret
  extra_env                  = var.extra_env
  secrets_version            = var.secrets_version
}
