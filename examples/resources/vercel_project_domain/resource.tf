terraform {
  required_providers {
    vercel = {
      source = "paasform/vercel"
    }
  }
}

resource "vercel_project" "web" {
  name = "codewarden-web"
}

# The production site at app.codewarden.io; wait until Vercel has verified it.
resource "vercel_project_domain" "app" {
  project_id            = vercel_project.web.id
  domain                = "app.codewarden.io"
  wait_for_verification = true

  timeouts {
    create = "15m"
  }
}

# The apex redirects to it permanently.
resource "vercel_project_domain" "apex" {
  project_id           = vercel_project.web.id
  domain               = "codewarden.io"
  redirect             = vercel_project_domain.app.domain
  redirect_status_code = 308
}

# Preview deployments of the staging branch.
resource "vercel_project_domain" "staging" {
  project_id = vercel_project.web.id
  domain     = "staging.codewarden.io"
  git_branch = "staging"
}

# While a domain is unverified, the TXT records that prove it is yours.
output "verification" {
  value = vercel_project_domain.staging.verification
}
