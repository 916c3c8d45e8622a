# The Blueprint of the plan, as resources and references:
#   fromDatabase kirby-gen-db    connectionString -> render_database.postgres.internal_connection_string
#   fromDatabase kirby-gen-redis connectionString -> render_database.redis.internal_connection_string
#   fromService  kirby-gen-skills url             -> http://<skills host>:<port> (private network)
#   generateValue                                  -> { generate_value = true }
#   sync: false                                    -> sensitive variables, sent write-only (env_vars_wo):
#                                                     never in state; bump var.secrets_version to resend
#   "External S3 Storage (DO/AWS)"                 -> an R2 bucket, its S3 endpoint passed as env vars

locals {
  names = {
    web    = "${var.name_prefix}-web"
    api    = "${var.name_prefix}-api"
    skills = "${var.name_prefix}-skills"
    worker = "${var.name_prefix}-worker"
    db     = "${var.name_prefix}-db"
    redis  = "${var.name_prefix}-redis"
  }

  # What the browser calls: the API's first custom domain if there is one, else its onrender.com URL.
  api_public_url = length(var.api_custom_domains) > 0 ? "https://${sort(tolist(var.api_custom_domains))[0]}" : render_service.api.url
  api_ws_url     = "wss://${trimprefix(local.api_public_url, "https://")}"

  # R2's S3 API lives at <account>.r2.cloudflarestorage.com (with .eu / .fedramp for jurisdictions);
  # spelled out (it equals r2_credentials.storage.s3_endpoint) so that plans already know it.
  s3_host     = var.bucket_jurisdiction == "default" ? "r2.cloudflarestorage.com" : "${var.bucket_jurisdiction}.r2.cloudflarestorage.com"
  s3_endpoint = "https://${r2_bucket.storage.account_id}.${local.s3_host}"

  # Write-only values are resent only when their version changes: new S3 credentials (a
  # replacement of r2_credentials.storage) change it by themselves, var.secrets_version for the rest.
  secrets_version = var.secrets_version + 1000 * parseint(substr(r2_credentials.storage.id, 0, 6), 16)

  skills_base_url = "http://${render_service.skills.host}:${var.skills_port}"

  # The API and the worker share one backend environment (the plan: the worker's is "same as API"):
  # one render_env_group linked to both, so the worker copies nothing.
  backend_env = {
    NODE_ENV        = { value = "production" }
    DATABASE_URL    = { value = render_database.postgres.internal_connection_string }
    REDIS_URL       = { value = render_database.redis.internal_connection_string }
    CLAUDE_MODEL    = { value = var.claude_model }
    STORAGE_TYPE    = { value = "s3" }
    S3_ENDPOINT     = { value = local.s3_endpoint }
    S3_BUCKET       = { value = r2_bucket.storage.name }
    S3_REGION       = { value = "auto" } # R2 ignores regions; SDKs need one.
    SKILLS_BASE_URL = { value = local.skills_base_url }
    DEPLOY_TYPE     = { value = "render" }
    LOG_LEVEL       = { value = var.log_level }
    LOG_FORMAT      = { value = "json" }
  }

  # The user's secrets for the API and the worker (in the shared group): write-only, never stored
  # in state.
  backend_secrets = merge(
    {
      CLAUDE_API_KEY       = var.anthropic_api_key
      S3_ACCESS_KEY_ID     = r2_credentials.storage.access_key_id
      S3_SECRET_ACCESS_KEY = r2_credentials.storage.secret_access_key
    },
    var.render_api_key == null ? {} : { RENDER_API_KEY = var.render_api_key },
  )
}

# --- data ------------------------------------------------------------------------------------

resource "render_database" "postgres" {
  engine        = "postgres"
  name          = local.names.db
  database_name = "kirby_gen"
  plan          = var.plans.postgres
  region        = var.region
  version       = var.postgres_version
}

resource "render_database" "redis" {
  engine = "key_value"
  name   = local.names.redis
  plan   = var.plans.redis
  region = var.region
  # BullMQ queues must never lose keys to eviction.
  maxmemory_policy = "noeviction"
}

resource "r2_bucket" "storage" {
  name         = var.bucket_name
  location     = var.bucket_location
  jurisdiction = var.bucket_jurisdiction
}

# S3 credentials for this bucket only (object read & write), minted by the stack and revoked by
# `terraform destroy`; the secret reaches Render write-only.
resource "r2_credentials" "storage" {
  buckets      = [r2_bucket.storage.name]
  jurisdiction = r2_bucket.storage.jurisdiction
  permission   = "read_write"
}

# --- services --------------------------------------------------------------------------------

resource "render_service" "skills" {
  type          = "private_service"
  name          = local.names.skills
  region        = var.region
  plan          = var.plans.skills
  repo          = var.repo_url
  branch        = var.branch
  auto_deploy   = true
  runtime       = "python"
  build_command = "cd packages/skills && pip install -r requirements.txt"
  start_command = "cd packages/skills && uvicorn src.main:app --host 0.0.0.0 --port $PORT"

  env_vars = {
    LOG_LEVEL = { value = var.log_level }
    PORT      = { value = tostring(var.skills_port) }
  }
  env_vars_wo         = { ANTHROPIC_API_KEY = var.anthropic_api_key }
  env_vars_wo_version = var.secrets_version
}

resource "render_service" "api" {
  type              = "web_service"
  name              = local.names.api
  region            = var.region
  plan              = var.plans.api
  repo              = var.repo_url
  branch            = var.branch
  auto_deploy       = true
  runtime           = "node"
  build_command     = "cd packages/api && npm install && npm run build"
  start_command     = "cd packages/api && npm start"
  health_check_path = "/api/health"
  custom_domains    = length(var.api_custom_domains) > 0 ? var.api_custom_domains : null

  autoscaling = {
    enabled     = true
    min         = var.api_autoscaling.min
    max         = var.api_autoscaling.max
    cpu_percent = var.api_autoscaling.cpu_percent
  }

  # The backend environment comes from render_env_group.backend; these are the API's own.
  env_vars = {
    PORT                    = { value = "3000" }
    JWT_SECRET              = { generate_value = true }
    SESSION_SECRET          = { generate_value = true }
    RATE_LIMIT_WINDOW_MS    = { value = tostring(var.rate_limit.window_ms) }
    RATE_LIMIT_MAX_REQUESTS = { value = tostring(var.rate_limit.max_requests) }
  }
}

resource "render_service" "worker" {
  type          = "background_worker"
  name          = local.names.worker
  region        = var.region
  plan          = var.plans.worker
  repo          = var.repo_url
  branch        = var.branch
  auto_deploy   = true
  runtime       = "node"
  build_command = "cd packages/api && npm install && npm run build"
  start_command = "cd packages/api && npm run worker"
  # Its whole environment is render_env_group.backend, shared with the API.
}

# --- the backend environment the API and the worker share -------------------------------------

resource "render_env_group" "backend" {
  name                = "${var.name_prefix}-backend"
  env_vars            = local.backend_env
  env_vars_wo         = local.backend_secrets
  env_vars_wo_version = local.secrets_version
}

resource "render_env_group_link" "backend" {
  env_group_id = render_env_group.backend.id
  service_ids  = [render_service.api.id, render_service.worker.id]
}

resource "render_service" "web" {
  type           = "static_site"
  name           = local.names.web
  repo           = var.repo_url
  branch         = var.branch
  auto_deploy    = true
  build_command  = "cd packages/web && npm install && npm run build"
  publish_path   = "packages/web/dist"
  custom_domains = length(var.web_custom_domains) > 0 ? var.web_custom_domains : null

  # Vite inlines these at build time.
  env_vars = {
    VITE_API_URL = { value = local.api_public_url }
    VITE_WS_URL  = { value = local.api_ws_url }
  }
}
