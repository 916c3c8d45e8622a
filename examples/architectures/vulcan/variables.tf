# ---------------------------------------------------------------------------------------------
# Required: what only the user can know.
# ---------------------------------------------------------------------------------------------

variable "repo_url" {
  description = "HTTPS URL of the vulcan Git repository Render builds from (e.g. https://github.com/acme/vulcan)."
  type        = string

  validation {
    condition     = can(regex("^https://[^\\s]+$", var.repo_url))
    error_message = "repo_url must be an https:// repository URL."
  }
}

variable "desktop_server_url" {
  description = "URL of the Desktop Server (FastAPI + COM) on the local Windows PC, as reachable over the tailnet: its Tailscale IP or MagicDNS name (e.g. http://100.101.102.103:8000). Outside paasform's scope: the PC joins the tailnet by itself. Becomes DESKTOP_SERVER_URL (Blueprint `sync: false`)."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/\\s]+(/.*)?$", var.desktop_server_url))
    error_message = "desktop_server_url must be an http:// or https:// URL."
  }
}

# ---------------------------------------------------------------------------------------------
# Optional: the Blueprint's values as defaults.
# ---------------------------------------------------------------------------------------------

variable "name_prefix" {
  description = "Prefix of the Render service names (<prefix>-web, <prefix>-orchestrator); names are unique in a Render workspace."
  type        = string
  default     = "vulcan"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}$", var.name_prefix))
    error_message = "name_prefix must start with a letter and contain only lowercase letters, digits and '-' (at most 41 characters)."
  }
}

variable "branch" {
  description = "Branch both services deploy from."
  type        = string
  default     = "main"
}

variable "region" {
  description = "Render region of both services."
  type        = string
  default     = "oregon"

  validation {
    condition     = contains(["oregon", "ohio", "virginia", "frankfurt", "singapore"], var.region)
    error_message = "region must be one of oregon, ohio, virginia, frankfurt, singapore."
  }
}

variable "web_plan" {
  description = "Render instance type of the Next.js web service."
  type        = string
  default     = "starter"
}

variable "orchestrator_plan" {
  description = "Render instance type of the orchestrator (CrewAI agents need memory: standard or above in production)."
  type        = string
  default     = "starter"
}

variable "orchestrator_dockerfile_path" {
  description = "The plan's sidecar approach: a Dockerfile that runs tailscaled next to gunicorn. When set, the orchestrator is built with runtime = docker from this Dockerfile; when null (the default) it uses the native Python runtime and the Blueprint's build/start commands."
  type        = string
  default     = null
}

variable "tailscale_key_storage" {
  description = "How the orchestrator's TAILSCALE_AUTH_KEY reaches Render. `state` (default): a tailscale_key resource, revoked by `terraform destroy`, whose secret is kept (sensitive) in state and sent as a sensitive env var; rotate by replacing it (`terraform apply -replace=tailscale_key.orchestrator[0]`). `write_only`: an ephemeral tailscale_key sent through the write-only env_vars_wo, never in state (bump tailscale_key_version to rotate); plans revoke the keys they mint, but the key an apply hands to Render stays valid until it expires, also after destroy."
  type        = string
  default     = "state"

  validation {
    condition     = contains(["write_only", "state"], var.tailscale_key_storage)
    error_message = "tailscale_key_storage must be \"write_only\" or \"state\"."
  }
}

variable "tailscale_key_version" {
  description = "With tailscale_key_storage = write_only: change this number to mint a new key and send it to Render."
  type        = number
  default     = 1
}

variable "tailscale_tags" {
  description = "Tags for the orchestrator's tailnet device; they must be owned in the tailnet policy (tagOwners) by the credential creating the key."
  type        = set(string)
  default     = ["tag:vulcan-orchestrator"]

  validation {
    condition     = length(var.tailscale_tags) > 0 && alltrue([for t in var.tailscale_tags : can(regex("^tag:[A-Za-z][A-Za-z0-9-]*$", t))])
    error_message = "tailscale_tags must be a non-empty set of tags of the form tag:name."
  }
}

variable "tailscale_key_expiry_seconds" {
  description = "Lifetime of the auth key in seconds (at most 90 days). Render restarts containers, so the key must stay valid for as long as the orchestrator may need to rejoin."
  type        = number
  default     = 7776000

  validation {
    condition     = var.tailscale_key_expiry_seconds >= 3600 && var.tailscale_key_expiry_seconds <= 7776000
    error_message = "tailscale_key_expiry_seconds must be between 3600 (1 hour) and 7776000 (90 days)."
  }
}
