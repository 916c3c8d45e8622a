# Generated from a Render Blueprint by `terraform-provider-paasform blueprint`: 2 service(s), 0 database(s).
# Review the converter's warnings: they name what the Blueprint says that this module does not.

resource "render_service" "vulcan_web" {
  type          = "web_service"
  name          = "vulcan-web"
  runtime       = "node"
  repo          = var.repo
  root_dir      = "apps/web"
  build_command = "npm install && npm run build"
  start_command = "npm start"
  env_vars = {
    NEXT_PUBLIC_API_URL = { value = render_service.vulcan_orchestrator.host }
  }
}

resource "render_service" "vulcan_orchestrator" {
  type          = "web_service"
  name          = "vulcan-orchestrator"
  runtime       = "python"
  repo          = var.repo
  build_command = "pip install -r requirements.txt"
  start_command = "gunicorn core.api:app"
  env_vars = {
    DESKTOP_SERVER_URL = { value = var.desktop_server_url }
    TAILSCALE_AUTH_KEY = { generate_value = true }
  }
}
