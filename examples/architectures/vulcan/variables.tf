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

# ---------------------------------------------------------------------------------------------
# The desktop server on the tailnet.
# ---------------------------------------------------------------------------------------------

variable "desktop_hostname" {
  description = "Machine name (hostname) of the local Windows PC running the Desktop Server (FastAPI + COM), as it joined the tailnet. The PC joins by itself (outside paasform); the stack looks it up with data.tailscale_device, approves and tags it, disables its key expiry, and builds DESKTOP_SERVER_URL from it."
  type        = string
  default     = "desktop"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", var.desktop_hostname))
    error_message = "desktop_hostname must be a machine name: letters, digits and '-' (at most 63 characters)."
  }
}

variable "desktop_wait_for" {
  description = "How long to wait for the desktop to join the tailnet before failing (e.g. \"5m\"); null: fail at once when it is not there."
  type        = string
  default     = null
}

variable "desktop_address" {
  description = "How DESKTOP_SERVER_URL names the desktop: `ipv4` (default, its tailnet 100.x address, works without MagicDNS) or `magicdns` (its MagicDNS name, e.g. desktop.tail1234.ts.net; needs MagicDNS on in the tailnet)."
  type        = string
  default     = "ipv4"

  validation {
    condition     = contains(["ipv4", "magicdns"], var.desktop_address)
    error_message = "desktop_address must be \"ipv4\" or \"magicdns\"."
  }
}

variable "desktop_server_scheme" {
  description = "Scheme of DESKTOP_SERVER_URL (the Desktop Server speaks plain HTTP inside the tailnet, which encrypts the traffic)."
  type        = string
  default     = "http"

  validation {
    condition     = contains(["http", "https"], var.desktop_server_scheme)
    error_message = "desktop_server_scheme must be \"http\" or \"https\"."
  }
}

variable "desktop_server_port" {
  description = "TCP port the Desktop Server listens on; the tailnet policy grants the orchestrator's tags exactly this port on the desktop."
  type        = number
  default     = 8000

  validation {
    condition     = var.desktop_server_port >= 1 && var.desktop_server_port <= 65535 && floor(var.desktop_server_port) == var.desktop_server_port
    error_message = "desktop_server_port must be a whole number between 1 and 65535."
  }
}

variable "desktop_tag" {
  description = "Tag the stack puts on the desktop (the grant's destination); owned by tailscale_tag_owner in the policy."
  type        = string
  default     = "tag:vulcan-desktop"

  validation {
    condition     = can(regex("^tag:[A-Za-z][A-Za-z0-9-]*$", var.desktop_tag))
    error_message = "desktop_tag must be of the form tag:name."
  }
}

variable "tailscale_tag_owner" {
  description = "Who owns the stack's tags in the policy's tagOwners (a user, group or autogroup, e.g. autogroup:admin); the credential minting the orchestrator's key must be able to use the tags."
  type        = string
  default     = "autogroup:admin"
}

variable "manage_tailnet_policy" {
  description = "Whether this stack manages the tailnet's policy file (tailscale_acl). A tailnet has exactly one: set false when another stack owns it, and add this stack's tag owners and grant there (output tailnet_policy_additions)."
  type        = bool
  default     = true
}

variable "tailnet_policy" {
  description = "The rest of the tailnet policy (an object as in the policy file: acls, groups, hosts, tagOwners, grants, …). The stack merges its tag owners into tagOwners and appends its grant to grants; everything else is sent as given."
  type        = any
  default     = {}
}

variable "overwrite_tailnet_policy" {
  description = "At create: false (default) takes over only the tailnet's untouched default policy and fails when someone edited it; true replaces whatever policy the tailnet has with tailnet_policy plus the stack's rules."
  type        = bool
  default     = false
}

variable "reset_tailnet_policy_on_destroy" {
  description = "true: destroy puts back Tailscale's default policy (every device may reach every other one), which also drops whatever tailnet_policy held. false (default): destroy leaves the policy as it is, grant included."
  type        = bool
  default     = false
}
