# Terraform 1.14 or later.
resource "render_service" "api" {
  type          = "web_service"
  name          = "api"
  runtime       = "node"
  repo          = "https://github.com/acme/api"
  build_command = "npm ci"
  start_command = "npm start"

  # Deploy again after every in-place change of the service.
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.render_deploy.api]
    }
  }
}

# Or on demand: terraform apply -invoke=action.render_deploy.api
action "render_deploy" "api" {
  config {
    service_id  = render_service.api.id
    clear_cache = true
    timeout     = "20m"
  }
}
