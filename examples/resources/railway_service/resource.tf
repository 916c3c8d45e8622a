terraform {
  required_providers {
    railway = {
      source = "paasform/railway"
    }
  }
}

variable "openai_api_key" {
  type      = string
  sensitive = true
}

resource "railway_project" "codewarden" {
  name = "codewarden"
}

locals {
  # Shared by the API and the worker; secrets live in Railway, not in .env files.
  backend_variables = {
    SUPABASE_URL   = "https://xyz.supabase.co"
    OPENAI_API_KEY = var.openai_api_key
    REDIS_URL      = "rediss://default:token@example.upstash.io:6379"
  }
}

# The FastAPI backend, from the monorepo's /api folder, on api.codewarden.io.
resource "railway_service" "api" {
  project_id       = railway_project.codewarden.id
  name             = "api"
  source_repo      = "acme/codewarden"
  branch           = "main"
  root_directory   = "/api"
  build_command    = "pip install -r requirements.txt"
  start_command    = "uvicorn main:app --host 0.0.0.0 --port $PORT"
  healthcheck_path = "/healthz"
  num_replicas     = 2
  variables        = local.backend_variables
  service_domain   = true
  custom_domains   = ["api.codewarden.io"]
  # Route both domains to the API's port explicitly (default: Railway detects it).
  service_domain_target_port = 8000
  custom_domain_target_ports = { "api.codewarden.io" = 8000 }
  # The generated domain becomes codewarden-api.up.railway.app (renamed in place when changed).
  service_domain_subdomain = "codewarden-api"
}

# The arq worker: same repository and folder, another start command, the same variables, plus a
# secret that is never stored in state (Terraform 1.11+; bump the version to send it again).
resource "railway_service" "worker" {
  project_id          = railway_project.codewarden.id
  name                = "worker"
  source_repo         = "acme/codewarden"
  branch              = "main"
  root_directory      = "/api"
  start_command       = "arq worker.WorkerSettings"
  restart_policy_type = "ALWAYS"
  variables           = local.backend_variables

  variables_wo         = { LITELLM_MASTER_KEY = "sk-litellm-example" }
  variables_wo_version = 1
}

# Create these records at your DNS provider for api.codewarden.io.
output "api_dns_records" {
  value = railway_service.api.custom_domain_records
}
