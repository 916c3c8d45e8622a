# ---------------------------------------------------------------------------------------------
# Required: what only the user can know. The secrets are the Blueprint's `sync: false` values.
# ---------------------------------------------------------------------------------------------

variable "repo_url" {
  description = "HTTPS URL of the kirby-gen monorepo Render builds from (packages/web, packages/api, packages/skills)."
  type        = string

  validation {
    condition     = can(regex("^https://[^\\s]+$", var.repo_url))
    error_message = "repo_url must be an https:// repository URL."
  }
}

variable "anthropic_api_key" {
  description = "Anthropic API key: CLAUDE_API_KEY of the API and the worker, ANTHROPIC_API_KEY of the skills service."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.anthropic_api_key) > 0
    error_message = "anthropic_api_key must not be empty."
  }
}

# ---------------------------------------------------------------------------------------------
# Optional: the plan's values as defaults.
# ---------------------------------------------------------------------------------------------

variable "name_prefix" {
  description = "Prefix of every Render name (<prefix>-web, -api, -skills, -worker, -db, -redis); names are unique in a Render workspace."
  type        = string
  default     = "kirby-gen"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}$", var.name_prefix))
    error_message = "name_prefix must start with a letter and contain only lowercase letters, digits and '-' (at most 41 characters)."
  }
}

variable "branch" {
  description = "Branch every service auto-deploys from."
  type        = string
  default     = "main"
}

variable "region" {
  description = "Render region of the services and databases (they must share one for the private network)."
  type        = string
  default     = "oregon"

  validation {
    condition     = contains(["oregon", "ohio", "virginia", "frankfurt", "singapore"], var.region)
    error_message = "region must be one of oregon, ohio, virginia, frankfurt, singapore."
  }
}

variable "plans" {
  description = "Render instance types: the plan's recommended production setup by default (api/worker standard, skills starter, postgres/redis standard)."
  type = object({
    api      = optional(string, "standard")
    skills   = optional(string, "starter")
    worker   = optional(string, "standard")
    postgres = optional(string, "standard")
    redis    = optional(string, "standard")
  })
  default = {}
}

variable "api_autoscaling" {
  description = "Autoscaling of the API web service (the plan: 1 to 3 instances). Autoscaling needs a paid plan."
  type = object({
    min         = number
    max         = number
    cpu_percent = optional(number, 70)
  })
  default = { min = 1, max = 3 }

  validation {
    condition     = var.api_autoscaling.min >= 1 && var.api_autoscaling.max >= var.api_autoscaling.min && var.api_autoscaling.max <= 100
    error_message = "api_autoscaling needs 1 <= min <= max <= 100."
  }
}

variable "postgres_version" {
  description = "PostgreSQL major version (the plan: 15)."
  type        = string
  default     = "15"

  validation {
    condition     = contains(["13", "14", "15", "16", "17"], var.postgres_version)
    error_message = "postgres_version must be one of 13, 14, 15, 16, 17."
  }
}

variable "claude_model" {
  description = "CLAUDE_MODEL of the API."
  type        = string
  default     = "claude-opus-4-20250514"
}

variable "skills_port" {
  description = "Port the private skills service listens on ($PORT; Render's default is 10000). Used to build SKILLS_BASE_URL."
  type        = number
  default     = 10000

  validation {
    condition     = var.skills_port >= 1024 && var.skills_port <= 65535 && floor(var.skills_port) == var.skills_port
    error_message = "skills_port must be an integer between 1024 and 65535."
  }
}

variable "secrets_version" {
  description = "The secret inputs (anthropic_api_key, render_api_key) reach Render through write-only env vars, never stored in state, so Terraform cannot see them change: change this number to send them again (rotation)."
  type        = number
  default     = 1
}

variable "render_api_key" {
  description = "RENDER_API_KEY the API uses to deploy generated portfolios (DEPLOY_TYPE=render). Null: the variable is not set and the API cannot deploy portfolios."
  type        = string
  default     = null
  sensitive   = true
}

variable "bucket_name" {
  description = "Name of the R2 bucket holding uploads and generated sites (S3_BUCKET)."
  type        = string
  default     = "kirby-gen-storage"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen."
  }
}

variable "bucket_location" {
  description = "R2 location hint (apac, eeur, enam, weur, wnam, oc); null lets Cloudflare choose."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_location == null || contains(["apac", "eeur", "enam", "weur", "wnam", "oc"], coalesce(var.bucket_location, "wnam"))
    error_message = "bucket_location must be one of apac, eeur, enam, weur, wnam, oc."
  }
}

variable "bucket_jurisdiction" {
  description = "R2 jurisdiction: default, eu or fedramp (it also selects the S3 endpoint host)."
  type        = string
  default     = "default"

  validation {
    condition     = contains(["default", "eu", "fedramp"], var.bucket_jurisdiction)
    error_message = "bucket_jurisdiction must be default, eu or fedramp."
  }
}

variable "web_custom_domains" {
  description = "Custom domains of the static site (DNS is outside paasform's scope: point them at Render)."
  type        = set(string)
  default     = []
}

variable "api_custom_domains" {
  description = "Custom domains of the API (e.g. api.your-domain.com). When set, the first one (sorted) is what the frontend calls."
  type        = set(string)
  default     = []
}

variable "log_level" {
  description = "LOG_LEVEL of the API, the worker and the skills service."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "rate_limit" {
  description = "The API's rate limiting (RATE_LIMIT_WINDOW_MS, RATE_LIMIT_MAX_REQUESTS)."
  type = object({
    window_ms    = optional(number, 60000)
    max_requests = optional(number, 100)
  })
  default = {}
}
