variable "environment" {
  description = "Which environment this stack is: staging or production (ENVIRONMENT of every service)."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "name_prefix" {
  description = "Prefix of every Render name in this stack (e.g. robot-overlord-staging)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}$", var.name_prefix))
    error_message = "name_prefix must start with a letter and contain only lowercase letters, digits and '-' (at most 41 characters)."
  }
}

variable "repo_url" {
  description = "HTTPS URL of the repository every service builds from."
  type        = string
}

variable "branch" {
  description = "The branch this environment deploys (staging: staging, production: main)."
  type        = string
}

variable "region" {
  description = "Render region of every service and the database."
  type        = string
}

variable "render_environment_id" {
  description = "Render project environment (evm-…) to place the stack in, e.g. `render_project.robot.environments[\"staging\"].id`; null: none."
  type        = string
  default     = null
}

variable "web_domains" {
  description = "Custom domains of the Next.js frontend (the first one, sorted, is its canonical URL)."
  type        = set(string)

  validation {
    condition     = length(var.web_domains) > 0
    error_message = "web_domains must name at least one domain."
  }
}

variable "api_domain" {
  description = "Custom domain of the FastAPI service."
  type        = string
}

variable "cors_origins" {
  description = "Origins the API accepts (CORS_ORIGINS, comma-separated in the environment)."
  type        = list(string)
}

variable "plans" {
  description = "Render instance types of the services and the database."
  type = object({
    web      = string
    api      = string
    worker   = string
    redis    = string
    postgres = string
  })
}

variable "postgres_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "17"
}

variable "postgres_disk_gb" {
  description = "Postgres disk size in GB (can only grow); null: the plan's default."
  type        = number
  default     = null
}

variable "redis_image" {
  description = "The Redis image of the private service."
  type        = string
  default     = "docker.io/library/redis:8"
}

variable "redis_disk_gb" {
  description = "Size of Redis's persistent disk (mounted at /data, where the image writes its snapshots)."
  type        = number
  default     = 10
}

variable "app" {
  description = "Where the apps live in the repository and how they are built and started."
  type = object({
    web_root_dir      = string
    web_build_command = string
    web_start_command = string
    api_root_dir      = string
    api_build_command = string
    api_start_command = string
    api_health_check  = string
    worker_start      = string
    migration_command = optional(string)
  })
}

variable "google_oauth_client_id" {
  description = "Google OAuth client id (GOOGLE_CLIENT_ID)."
  type        = string
}

variable "google_oauth_client_secret" {
  description = "Google OAuth client secret (GOOGLE_CLIENT_SECRET)."
  type        = string
  sensitive   = true
}

variable "secrets_version" {
  description = "Change to send the write-only secrets (google_oauth_client_secret, extra_env) to Render again."
  type        = number
  default     = 1
}

variable "extra_env" {
  description = "More environment variables for the API and the worker (name => value), sent write-only (never in state)."
  type        = map(string)
  default     = {}
  sensitive   = true
}
