# Terraform 1.14 or later.
resource "railway_project" "app" {
  name = "app"
}

resource "railway_service" "api" {
  project_id    = railway_project.app.id
  name          = "api"
  source_repo   = "acme/api"
  start_command = "npm start"

  # Deploy again after every in-place change of the service.
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.railway_redeploy.api]
    }
  }
}

# Or on demand: terraform apply -invoke=action.railway_redeploy.api
action "railway_redeploy" "api" {
  config {
    service_id     = railway_service.api.id
    environment_id = railway_service.api.environment_id
    timeout        = "15m"
  }
}
