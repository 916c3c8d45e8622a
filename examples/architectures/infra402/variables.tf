# ---------------------------------------------------------------------------------------------
# Required: what only the user can know.
# ---------------------------------------------------------------------------------------------

variable "github_repo" {
  description = "The GitHub repository holding the infra402 monorepo, as `owner/name` (the frontend lives in `frontend/`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repo))
    error_message = "github_repo must look like \"owner/name\"."
  }
}

variable "api_hostname" {
  description = "The public hostname of the backend API in your Cloudflare zone (e.g. api.mydomain.com): the tunnel routes it to http://localhost:8000 on the MacBook, and the frontend calls https://<api_hostname> (VITE_CHAT_API_BASE)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.api_hostname))
    error_message = "api_hostname must be a bare hostname such as api.mydomain.com (no scheme, no path)."
  }
}

# ---------------------------------------------------------------------------------------------
# Optional: the plan's values as defaults.
# ---------------------------------------------------------------------------------------------

variable "zone_name" {
  description = "The Cloudflare zone that holds api_hostname (e.g. mydomain.com); default: api_hostname without its first label."
  type        = string
  default     = null
}

variable "project_name" {
  description = "The Vercel project name; the default production domain is <project_name>.vercel.app."
  type        = string
  default     = "infra402"

  validation {
    condition     = can(regex("^[a-z0-9._-]{1,100}$", var.project_name))
    error_message = "project_name may contain only lowercase letters, digits, '.', '_' and '-' (at most 100 characters)."
  }
}

variable "root_directory" {
  description = "Directory of the Vite app inside the repository."
  type        = string
  default     = "frontend"
}

variable "node_version" {
  description = "Node.js version Vercel builds with."
  type        = string
  default     = "18.x"

  validation {
    condition     = contains(["18.x", "20.x", "22.x"], var.node_version)
    error_message = "node_version must be one of 18.x, 20.x, 22.x."
  }
}

variable "chat_api_targets" {
  description = "Vercel environments that receive VITE_CHAT_API_BASE."
  type        = set(string)
  default     = ["production", "preview"]

  validation {
    condition     = length(var.chat_api_targets) > 0 && alltrue([for t in var.chat_api_targets : contains(["production", "preview", "development"], t)])
    error_message = "chat_api_targets must be a non-empty subset of production, preview, development."
  }
}

variable "extra_environment" {
  description = "More build-time variables for the frontend (name => value), sent to the same targets as VITE_CHAT_API_BASE. Vite exposes only VITE_* names to the browser."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && k != "VITE_CHAT_API_BASE"])
    error_message = "extra_environment keys must be valid variable names and must not redefine VITE_CHAT_API_BASE."
  }
}
