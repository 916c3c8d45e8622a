# ---------------------------------------------------------------------------------------------
# Required: what only the user can know.
# ---------------------------------------------------------------------------------------------

variable "repo_url" {
  description = "HTTPS URL of the robot-overlord repository Render builds from."
  type        = string

  validation {
    condition     = can(regex("^https://[^\\s]+$", var.repo_url))
    error_message = "repo_url must be an https:// repository URL."
  }
}

variable "domain" {
  description = "The apex domain (the plan: therobotoverlord.com). Production serves <domain> and www.<domain> with the API at api.<domain>; staging serves staging.<domain> with the API at api.staging.<domain>. DNS is outside paasform's scope: point the records at Render."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lowercase DNS name such as example.com."
  }
}

variable "google_oauth_client_id" {
  description = "Google OAuth client id (Google Cloud console, outside paasform's scope). Register the redirect URIs of both environments' API domains with it."
  type        = string

  validation {
    condition     = endswith(var.google_oauth_client_id, ".apps.googleusercontent.com")
    error_message = "google_oauth_client_id must end with .apps.googleusercontent.com."
  }
}

variable "google_oauth_client_secret" {
  description = "Google OAuth client secret."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.google_oauth_client_secret) > 0
    error_message = "google_oauth_client_secret must not be empty."
  }
}

# ---------------------------------------------------------------------------------------------
# Optional: the plan's values as defaults.
# ---------------------------------------------------------------------------------------------

variable "name_prefix" {
  description = "Prefix of every Render name; each environment appends -staging or -production."
  type        = string
  default     = "robot-overlord"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must start with a letter and contain only lowercase letters, digits and '-' (at most 30 characters)."
  }
}

variable "region" {
  description = "Render region of both environments."
  type        = string
  default     = "oregon"

  validation {
    condition     = contains(["oregon", "ohio", "virginia", "frankfurt", "singapore"], var.region)
    error_message = "region must be one of oregon, ohio, virginia, frankfurt, singapore."
  }
}

variable "branches" {
  description = "Branch mapping: the branch each environment deploys."
  type = object({
    staging    = optional(string, "staging")
    production = optional(string, "main")
  })
  default = {}
}

variable "plans" {
  description = "Render instance types per environment."
  type = object({
    staging = optional(object({
      web      = optional(string, "starter")
      api      = optional(string, "starter")
      worker   = optional(string, "starter")
      redis    = optional(string, "starter")
      postgres = optional(string, "basic_256mb")
    }), {})
    production = optional(object({
      web      = optional(string, "standard")
      api      = optional(string, "standard")
      worker   = optional(string, "standard")
      redis    = optional(string, "standard")
      postgres = optional(string, "basic_1gb")
    }), {})
  })
  default = {}
}

variable "app" {
  description = "Where the apps live in the repository and how they are built and started (defaults: web/ and api/ folders)."
  type = object({
    web_root_dir      = optional(string, "web")
    web_build_command = optional(string, "npm ci && npm run build")
    web_start_command = optional(string, "npm start")
    api_root_dir      = optional(string, "api")
    api_build_command = optional(string, "pip install -r requirements.txt")
    api_start_command = optional(string, "uvicorn app.main:app --host 0.0.0.0 --port $PORT")
    api_health_check  = optional(string, "/health")
    worker_start      = optional(string, "arq app.worker.WorkerSettings")
    migration_command = optional(string)
  })
  default = {}
}

variable "redis_disk_gb" {
  description = "Size of each environment's Redis disk in GB."
  type        = number
  default     = 10

  validation {
    condition     = var.redis_disk_gb >= 1 && floor(var.redis_disk_gb) == var.redis_disk_gb
    error_message = "redis_disk_gb must be a whole number of at least 1."
  }
}

variable "secrets_version" {
  description = "google_oauth_client_secret and extra_env reach Render through write-only env vars, never stored in state, so Terraform cannot see them change: change this number to send them again (rotation)."
  type        = number
  default     = 1
}

variable "extra_env" {
  description = "More environment variables for the API and the worker of both environments (name => value), e.g. LLM keys. Sent write-only: never stored in state."
  type        = map(string)
  default     = {}
  sensitive   = true
}
