# Terraform 1.14 or later.
resource "vercel_project" "web" {
  name          = "web"
  build_command = "npm run build"
  git_repository = {
    type = "github"
    repo = "acme/web"
  }

  # Build and deploy `main` to production after every in-place change of the project.
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.vercel_deploy.main]
    }
  }
}

# Or on demand: terraform apply -invoke=action.vercel_deploy.main
action "vercel_deploy" "main" {
  config {
    project_id = vercel_project.web.id
    ref        = "main"
    timeout    = "20m"
  }
}

# Promote an existing deployment to production instead (no rebuild), e.g. to roll back:
# action "vercel_deploy" "rollback" {
#   config {
#     project_id    = vercel_project.web.id
#     deployment_id = "dpl_2qn7PZrx89yxY34vEZPD31Y9XVj6"
#   }
# }
