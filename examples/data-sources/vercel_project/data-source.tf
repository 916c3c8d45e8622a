terraform {
  required_providers {
    vercel = {
      source = "paasform/vercel"
    }
  }
}

# By name, in the provider's team (or a `team_id` given here)…
data "vercel_project" "frontend" {
  name = "infra402-frontend"
}

# …or by id.
data "vercel_project" "by_id" {
  id = data.vercel_project.frontend.id
}

output "frontend" {
  value = {
    id            = data.vercel_project.frontend.id
    framework     = data.vercel_project.frontend.framework
    build_command = data.vercel_project.frontend.build_command
    repo          = data.vercel_project.frontend.git_repository.repo
  }
}
