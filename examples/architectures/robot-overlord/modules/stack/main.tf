# One environment: Next.js web, FastAPI API, Arq worker, Postgres and a self-hosted Redis 8
# private service with a persistent disk. Everything in one region, on Render's private network.

locals {
  web_url   = "https://${sort(tolist(var.web_domains))[0]}"
  api_url   = "https://${var.api_domain}"
  redis_url = "redis://${render_service.redis.host}:6379"

  # What the API and the worker both need.
  backend_env = {
    ENVIRONMENT  = { value = var.environment }
    DATABASE_URL = { value = render_database.postgres.internal_connection_string }
    REDIS_URL    = { value = local.redis_url }
  }
}

resource "render_database" "postgres" {
  engine         = "postgres"
  name           = "${var.name_prefix}-db"
  database_name  = "robot_overlord"
  plan           = var.plans.postgres
  region         = var.region
  version        = var.postgres_version
  disk_size_gb   = var.postgres_disk_gb
  environment_id = var.render_environment_id
}

# Redis 8 is not a Render Key Value version: the plan self-hosts it as a private service from the
# official image, with a disk at /data so queues and streams survive restarts.
resource "render_service" "redis" {
  type           = "private_service"
  name           = "${var.name_prefix}-redis"
  region         = var.region
  plan           = var.plans.redis
  runtime        = "image"
  environment_id = var.render_environment_id

  image = {
    url = var.redis_image
  }

  disk = {
    name       = "redis-data"
    mount_path = "/data"
    size_gb    = var.redis_disk_gb
  }
}

resource "render_service" "api" {
  type               = "web_service"
  name               = "${var.name_prefix}-api"
  region             = var.region
  plan               = var.plans.api
  repo               = var.repo_url
  branch             = var.branch
  auto_deploy        = true
  runtime            = "python"
  root_dir           = var.app.api_root_dir
  build_command      = var.app.api_build_command
  start_command      = var.app.api_start_command
  pre_deploy_command = var.app.migration_command
  health_check_path  = var.app.api_health_check
  custom_domains     = [var.api_domain]
  environment_id     = var.render_environment_id

  env_vars = merge(local.backend_env, {
    CORS_ORIGINS     = { value = join(",", var.cors_origins) }
    FRONTEND_URL     = { value = local.web_url }
    GOOGLE_CLIENT_ID = { value = var.google_oauth_client_id }
    JWT_SECRET       = { generate_value = true }
  })
  # The user's secrets: write-only, never stored in state (var.secrets_version resends them).
  env_vars_wo         = merge(var.extra_env, { GOOGLE_CLIENT_SECRET = var.google_oauth_client_secret })
  env_vars_wo_version = var.secrets_version
}

resource "render_service" "worker" {
  type           = "background_worker"
  name           = "${var.name_prefix}-worker"
  region         = var.region
  plan           = var.plans.worker
  repo           = var.repo_url
  branch         = var.branch
  auto_deploy    = true
  runtime        = "python"
  root_dir       = var.app.api_root_dir
  build_command  = var.app.api_build_command
  start_command  = var.app.worker_start
  environment_id = var.render_environment_id

  env_vars            = local.backend_env
  env_vars_wo         = var.extra_env
  env_vars_wo_version = var.secrets_version
}

resource "render_service" "web" {
  type           = "web_service"
  name           = "${var.name_prefix}-web"
  region         = var.region
  plan           = var.plans.web
  repo           = var.repo_url
  branch         = var.branch
  auto_deploy    = true
  runtime        = "node"
  root_dir       = var.app.web_root_dir
  build_command  = var.app.web_build_command
  start_command  = var.app.web_start_command
  custom_domains = var.web_domains
  environment_id = var.render_environment_id

  env_vars = {
    ENVIRONMENT         = { value = var.environment }
    NEXT_PUBLIC_API_URL = { value = local.api_url }
  }
}
