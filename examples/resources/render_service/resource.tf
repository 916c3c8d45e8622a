terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# The kirby-gen Blueprint as resources: a Node API, a private Python service, a worker, a static
# site and a cron job. `fromService` / `fromDatabase` become ordinary references.

resource "render_service" "skills" {
  type          = "private_service"
  name          = "kirby-gen-skills"
  runtime       = "python"
  repo          = "https://github.com/example/kirby-gen"
  build_command = "cd packages/skills && pip install -r requirements.txt"
  start_command = "cd packages/skills && uvicorn src.main:app --host 0.0.0.0 --port $PORT"
}

resource "render_service" "api" {
  type              = "web_service"
  name              = "kirby-gen-api"
  runtime           = "node"
  plan              = "standard"
  region            = "oregon"
  repo              = "https://github.com/example/kirby-gen"
  branch            = "main"
  build_command     = "cd packages/api && npm install && npm run build"
  start_command     = "cd packages/api && npm start"
  health_check_path = "/api/health"
  build_filter      = { paths = ["packages/api/**"] }
  autoscaling       = { enabled = true, min = 1, max = 3, cpu_percent = 70 }
  disk              = { name = "uploads", mount_path = "/var/data", size_gb = 10 }
  custom_domains    = ["api.example.com"]

  # Deploy a push only once its CI checks pass; previews on request only.
  auto_deploy_trigger = "checksPass"
  previews_generation = "manual"

  env_vars = {
    NODE_ENV        = { value = "production" }
    SKILLS_BASE_URL = { value = render_service.skills.url }
    JWT_SECRET      = { generate_value = true } # Blueprint `generateValue: true`
  }

  # Secrets that never reach state (Terraform >= 1.11): bump the version to send new values.
  env_vars_wo         = { CLAUDE_API_KEY = var.claude_api_key }
  env_vars_wo_version = 1

  secret_files = {
    ".npmrc" = "//registry.npmjs.org/:_authToken=${var.npm_token}"
  }

  wait_for_deploy = true
  timeouts {
    create = "20m"
  }
}

resource "render_service" "web" {
  type          = "static_site"
  name          = "kirby-gen-web"
  repo          = "https://github.com/example/kirby-gen"
  build_command = "cd packages/web && npm install && npm run build"
  publish_path  = "packages/web/dist"
  routes        = [{ type = "rewrite", source = "/*", destination = "/index.html" }]
  headers       = [{ path = "/*", name = "X-Frame-Options", value = "DENY" }]

  env_vars = {
    VITE_API_URL = { value = "https://${render_service.api.host}" }
  }
}

resource "render_service" "worker" {
  type    = "background_worker"
  name    = "kirby-gen-worker"
  runtime = "docker"
  repo    = "https://github.com/example/kirby-gen"
  docker  = { dockerfile_path = "./packages/api/Dockerfile", context = "./packages/api" }

  # This worker's own notification and log stream settings (the workspace's are
  # render_notification_setting and render_log_stream). Removing a block restores the default.
  notification_override = { notifications_to_send = "failure" }
  log_stream_override = {
    setting          = "send"
    endpoint         = "logs.example.com:6514"
    token_wo         = var.log_token
    token_wo_version = 1
  }
}

resource "render_service" "cleanup" {
  type          = "cron_job"
  name          = "kirby-gen-cleanup"
  runtime       = "node"
  repo          = "https://github.com/example/kirby-gen"
  build_command = "npm ci"
  start_command = "node scripts/cleanup.js"
  schedule      = "0 3 * * *"
}

variable "claude_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "log_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "npm_token" {
  type      = string
  sensitive = true
}

output "api_url" {
  value = render_service.api.url
}
