# Production topology of the plan:
#   user -> Vercel dashboard -> Railway API (FastAPI) -> Supabase (auth, Postgres)
#   SDK -> Railway API -> Upstash (arq queue) -> Railway worker -> LiteLLM -> OpenObserve
#   SOC 2 evidence exports -> R2 bucket
# The API and the worker are two Railway services from one monorepo with different start
# commands and one shared set of variables.

locals {
  dashboard_name = "${var.name}-dashboard"

  # Built from names, not from the Vercel resource: the API's CORS list and the dashboard's API
  # URL would otherwise depend on each other.
  dashboard_origins = compact([
    "https://${local.dashboard_name}.vercel.app",
    var.dashboard_domain == null ? "" : "https://${var.dashboard_domain}",
  ])

  api_public_url = var.api_domain != null ? "https://${var.api_domain}" : "https://${railway_service.api.service_domain_name}"

  # Spelled out (it equals r2_credentials.evidence.s3_endpoint) so that plans already know it.
  r2_endpoint = "https://${r2_bucket.evidence.account_id}.r2.cloudflarestorage.com"

  # Write-only values are resent only when their version changes: new R2 credentials (a
  # replacement of r2_credentials.evidence) change it by themselves, var.secrets_version for the rest.
  secrets_version = var.secrets_version + 1000 * parseint(substr(r2_credentials.evidence.id, 0, 6), 16)

  # Railway variables both services share (the plan's "Secrets: managed in Railway").
  shared_variables = {
    ENVIRONMENT      = "production"
    SUPABASE_URL     = var.supabase_url
    OPENOBSERVE_URL  = var.openobserve.url
    OPENOBSERVE_ORG  = var.openobserve.organization
    OPENOBSERVE_USER = var.openobserve.user
    R2_ENDPOINT      = local.r2_endpoint
    R2_BUCKET        = r2_bucket.evidence.name
  }

  # The user's secrets, sent write-only (variables_wo) to both services: never stored in state.
  # Terraform cannot see a write-only value change: bump var.secrets_version to send them again.
  shared_secrets = {
    SUPABASE_SERVICE_KEY = var.supabase_service_key
    DATABASE_URL         = var.supabase_database_url
    REDIS_URL            = var.upstash_redis_url
    OPENAI_API_KEY       = var.openai_api_key
    LITELLM_MASTER_KEY   = var.litellm_master_key
    OPENOBSERVE_PASSWORD = var.openobserve_password
    R2_ACCESS_KEY_ID     = r2_credentials.evidence.access_key_id
    R2_SECRET_ACCESS_KEY = r2_credentials.evidence.secret_access_key
  }
}

# --- Railway: API + worker -------------------------------------------------------------------

resource "railway_project" "this" {
  name        = var.name
  description = "CodeWarden API and background worker"
}

resource "railway_service" "api" {
  name           = "api"
  project_id     = railway_project.this.id
  environment_id = railway_project.this.default_environment_id
  source_repo    = var.github_repo
  branch         = var.branch
  root_directory = var.api_root_directory
  build_command  = "pip install -r requirements.txt"
  start_command  = "uvicorn main:app --host 0.0.0.0 --port $PORT"
  num_replicas   = var.api_replicas
  # Railway routes traffic to a new deploy only once this path answers 200.
  healthcheck_path = var.api_healthcheck_path
  service_domain   = true
  custom_domains   = var.api_domain == null ? null : [var.api_domain]

  variables = merge(local.shared_variables, {
    CORS_ORIGINS = join(",", local.dashboard_origins)
  })
  variables_wo         = local.shared_secrets
  variables_wo_version = local.secrets_version
}

resource "railway_service" "worker" {
  name           = "worker"
  project_id     = railway_project.this.id
  environment_id = railway_project.this.default_environment_id
  source_repo    = var.github_repo
  branch         = var.branch
  root_directory = var.api_root_directory
  build_command  = "pip install -r requirements.txt"
  start_command  = "arq worker.WorkerSettings"
  # A queue consumer: no public domain, restarted whenever it dies.
  service_domain      = false
  restart_policy_type = "ALWAYS"

  variables            = local.shared_variables
  variables_wo         = local.shared_secrets
  variables_wo_version = local.secrets_version
}

# --- Vercel: dashboard -----------------------------------------------------------------------

resource "vercel_project" "dashboard" {
  name           = local.dashboard_name
  framework      = "nextjs"
  root_directory = var.dashboard_root_directory

  git_repository = {
    type = "github"
    repo = var.github_repo
  }

  environment = concat(
    [
      { key = "NEXT_PUBLIC_API_URL", value = local.api_public_url, target = ["production", "preview"], type = "plain" },
      { key = "NEXT_PUBLIC_SUPABASE_URL", value = var.supabase_url, target = ["production", "preview"], type = "plain" },
    ],
    var.supabase_anon_key == null ? [] : [
      { key = "NEXT_PUBLIC_SUPABASE_ANON_KEY", value = var.supabase_anon_key, target = ["production", "preview"], type = "plain" },
    ],
  )
}

# app.codewarden.io: attached to the dashboard project; the records to publish at the DNS host
# (a CNAME, or A records for an apex, plus a TXT challenge while unverified) are an output.
resource "vercel_project_domain" "dashboard" {
  count = var.dashboard_domain == null ? 0 : 1

  project_id = vercel_project.dashboard.id
  domain     = var.dashboard_domain
}

data "vercel_project_domain" "dashboard" {
  count = var.dashboard_domain == null ? 0 : 1

  project_id = vercel_project_domain.dashboard[0].project_id
  domain     = vercel_project_domain.dashboard[0].domain
}

# --- R2: SOC 2 evidence ----------------------------------------------------------------------

resource "r2_bucket" "evidence" {
  name = var.evidence_bucket_name

  lifecycle_rules = concat(
    [{ id = "abort-stale-uploads", abort_multipart_uploads_after_days = 7 }],
    var.evidence_retention_days == null ? [] : [
      { id = "evidence-retention", delete_objects_after_days = var.evidence_retention_days },
    ],
  )
}

# S3 credentials for the evidence bucket only (object read & write), minted by the stack and
# revoked by `terraform destroy`; the secret reaches both Railway services write-only.
resource "r2_credentials" "evidence" {
  buckets    = [r2_bucket.evidence.name]
  permission = "read_write"
}
