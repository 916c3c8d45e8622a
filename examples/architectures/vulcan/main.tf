# Two Render web services from one repository, wired as the Blueprint says:
#   vulcan-web           NEXT_PUBLIC_API_URL  <- the orchestrator's public URL (fromService … host)
#   vulcan-orchestrator  DESKTOP_SERVER_URL   <- var.desktop_server_url (sync: false)
#                        TAILSCALE_AUTH_KEY   <- a Tailscale auth key minted here (the Blueprint's
#                                                generateValue could not produce a valid key)

locals {
  write_only = var.tailscale_key_storage == "write_only"
  docker     = var.orchestrator_dockerfile_path != null

  # Shared by both ways of minting the key: reusable because every Render deploy/restart starts a
  # fresh container that joins again; ephemeral so those containers leave the tailnet when they
  # stop; preauthorized so no admin has to approve each one.
  tailscale_description = "${var.name_prefix} orchestrator on Render"
}

# write_only mode only. Terraform opens this on every plan and apply: a plan's key is revoked when
# the run ends; an apply's key is kept (Render reads it at every restart) and lives until it
# expires, also after destroy, since no state records it. The default mode does not have that gap.
ephemeral "tailscale_key" "orchestrator" {
  count = local.write_only ? 1 : 0

  reusable       = true
  ephemeral      = true
  preauthorized  = true
  tags           = var.tailscale_tags
  expiry         = var.tailscale_key_expiry_seconds
  description    = local.tailscale_description
  keep_after_run = terraform.applying
}

# The default: one managed key, revoked by destroy (and by every replacement); its secret is in
# state, sensitive.
resource "tailscale_key" "orchestrator" {
  count = local.write_only ? 0 : 1

  reusable      = true
  ephemeral     = true
  preauthorized = true
  tags          = var.tailscale_tags
  expiry        = var.tailscale_key_expiry_seconds
  description   = local.tailscale_description
}

resource "render_service" "orchestrator" {
  type    = "web_service"
  name    = "${var.name_prefix}-orchestrator"
  region  = var.region
  plan    = var.orchestrator_plan
  repo    = var.repo_url
  branch  = var.branch
  runtime = local.docker ? "docker" : "python"

  build_command = local.docker ? null : "pip install -r requirements.txt"
  start_command = local.docker ? null : "gunicorn core.api:app"
  docker        = local.docker ? { dockerfile_path = var.orchestrator_dockerfile_path } : null

  env_vars = merge(
    {
      DESKTOP_SERVER_URL = { value = var.desktop_server_url }
    },
    local.write_only ? {} : {
      TAILSCALE_AUTH_KEY = { value = tailscale_key.orchestrator[0].key }
    },
  )

  # Write-only: sent to Render when env_vars_wo_version changes, never stored in state.
  env_vars_wo         = local.write_only ? { TAILSCALE_AUTH_KEY = ephemeral.tailscale_key.orchestrator[0].key } : null
  env_vars_wo_version = local.write_only ? var.tailscale_key_version : null
}

resource "render_service" "web" {
  type          = "web_service"
  name          = "${var.name_prefix}-web"
  region        = var.region
  plan          = var.web_plan
  repo          = var.repo_url
  branch        = var.branch
  runtime       = "node"
  root_dir      = "apps/web"
  build_command = "npm install && npm run build"
  start_command = "npm start"

  env_vars = {
    # Next.js inlines NEXT_PUBLIC_* at build time: the browser calls the orchestrator directly.
    NEXT_PUBLIC_API_URL = { value = render_service.orchestrator.url }
  }
}
