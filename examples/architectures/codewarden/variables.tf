# ---------------------------------------------------------------------------------------------
# Required: the repository and the managed services outside paasform's scope.
# ---------------------------------------------------------------------------------------------

variable "github_repo" {
  description = "The codewarden monorepo on GitHub, as `owner/name` (api/ and dashboard/ inside). Railway and Vercel must both have access to it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repo))
    error_message = "github_repo must look like \"owner/name\"."
  }
}

variable "supabase_url" {
  description = "API URL of the Supabase Cloud project (database + auth), created outside paasform (Project settings → API), e.g. https://xyz.supabase.co. Public: it also reaches the browser as NEXT_PUBLIC_SUPABASE_URL."
  type        = string

  validation {
    condition     = can(regex("^https://[^/\\s]+$", var.supabase_url))
    error_message = "supabase_url must be an https:// URL without a path or trailing slash."
  }
}

variable "supabase_service_key" {
  description = "Supabase service-role key (server side only). Becomes SUPABASE_SERVICE_KEY."
  type        = string
  sensitive   = true
}

variable "supabase_database_url" {
  description = "Postgres connection string of the Supabase project (Project settings → Database). Becomes DATABASE_URL."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^postgres(ql)?://", var.supabase_database_url))
    error_message = "supabase_database_url must start with postgres:// or postgresql://."
  }
}

variable "upstash_redis_url" {
  description = "The Upstash (serverless Redis) connection string used as the arq job queue, e.g. rediss://default:<password>@<host>.upstash.io:6379. Becomes REDIS_URL."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^rediss?://", var.upstash_redis_url))
    error_message = "upstash_redis_url must start with redis:// or rediss://."
  }
}

variable "openobserve" {
  description = "Where the worker ships logs: OpenObserve Cloud (or self-hosted) base URL, organization and ingestion user."
  type = object({
    url          = string
    organization = string
    user         = string
  })

  validation {
    condition     = can(regex("^https?://", var.openobserve.url)) && length(var.openobserve.organization) > 0
    error_message = "openobserve.url must be an http(s) URL and openobserve.organization must not be empty."
  }
}

variable "openobserve_password" {
  description = "Password (or ingestion token) of the OpenObserve user."
  type        = string
  sensitive   = true
}

variable "openai_api_key" {
  description = "OPENAI_API_KEY for the LiteLLM router."
  type        = string
  sensitive   = true
}

variable "litellm_master_key" {
  description = "LITELLM_MASTER_KEY of the LiteLLM router."
  type        = string
  sensitive   = true
}

# ---------------------------------------------------------------------------------------------
# Optional: the plan's values as defaults.
# ---------------------------------------------------------------------------------------------

variable "name" {
  description = "Name of the Railway project and prefix of the Vercel project (<name>-dashboard)."
  type        = string
  default     = "codewarden"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}$", var.name))
    error_message = "name must start with a letter and contain only lowercase letters, digits and '-' (at most 41 characters)."
  }
}

variable "branch" {
  description = "Branch Railway deploys from (the plan: push to main deploys)."
  type        = string
  default     = "main"
}

variable "api_root_directory" {
  description = "Directory of the FastAPI app (and the arq worker) inside the monorepo."
  type        = string
  default     = "api"
}

variable "api_healthcheck_path" {
  description = "Path of the API's health endpoint: Railway waits for it to answer 200 before a deploy takes traffic (null: no health check)."
  type        = string
  default     = "/healthz"
}

variable "dashboard_root_directory" {
  description = "Directory of the Next.js dashboard inside the monorepo."
  type        = string
  default     = "dashboard"
}

variable "secrets_version" {
  description = "The secret inputs (supabase_service_key, supabase_database_url, upstash_redis_url, openai_api_key, litellm_master_key, openobserve_password) reach Railway through write-only variables, never stored in state, so Terraform cannot see them change: change this number to send them again (rotation)."
  type        = number
  default     = 1
}

variable "supabase_anon_key" {
  description = "Supabase anon (public) key for the dashboard's magic-link login (NEXT_PUBLIC_SUPABASE_ANON_KEY); null leaves it unset."
  type        = string
  default     = null
}

variable "api_domain" {
  description = "Custom domain of the API on Railway (the plan: api.codewarden.io); null keeps only the generated *.up.railway.app domain. The DNS records to create are an output."
  type        = string
  default     = null
}

variable "dashboard_domain" {
  description = "Custom domain of the dashboard (the plan: app.codewarden.io), attached to the Vercel project and allowed by the API's CORS_ORIGINS; null keeps only the *.vercel.app domain. The DNS records to create are an output."
  type        = string
  default     = null
}

variable "api_replicas" {
  description = "Railway replicas of the API service."
  type        = number
  default     = 1

  validation {
    condition     = var.api_replicas >= 1 && var.api_replicas <= 50 && floor(var.api_replicas) == var.api_replicas
    error_message = "api_replicas must be an integer from 1 to 50."
  }
}

variable "evidence_bucket_name" {
  description = "Name of the R2 bucket for SOC 2 evidence exports (PDFs)."
  type        = string
  default     = "codewarden-evidence"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.evidence_bucket_name))
    error_message = "evidence_bucket_name must be 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen."
  }
}

variable "evidence_retention_days" {
  description = "Delete evidence exports this many days after upload; null keeps them forever (SOC 2 audits usually need at least 365)."
  type        = number
  default     = null

  validation {
    condition     = var.evidence_retention_days == null || coalesce(var.evidence_retention_days, 365) >= 1
    error_message = "evidence_retention_days must be at least 1 (or null)."
  }
}
