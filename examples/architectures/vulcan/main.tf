# Two Render web services from one repository, wired as the Blueprint says:
#   vulcan-web           NEXT_PUBLIC_API_URL  <- the orchestrator's public URL (fromService … host)
#   vulcan-orchestrator  DESKTOP_SERVER_URL   <- the desktop's tailnet address, looked up with
#                                                data.tailscale_device (the Blueprint's sync: false)
#                        TAILSCALE_AUTH_KEY   <- a Tailscale auth key minted here (the Blueprint's
#                                                generateValue could not produce a valid key)

locals {
  write_only = var.tailscale_key_storage == "write_only"
  docker     = var.orchestrator_dockerfile_path != null

  # Shared by both ways of minting the key: reusable because every Render deploy/restart starts a
  # fresh container that joins again; ephemeral so those containers leave the tailnet when they
  # stop; preauthorized so no admin has to approve each one.
  tailscale_description = "${var.name_prefix} orchestrator on Render"

  # The desktop as the orchestrator reaches it: its MagicDNS name (without the final dot) or its
  # tailnet IPv4 address, both read from Tailscale, never typed by hand.
  desktop_host = (
    var.desktop_address == "magicdns"
    ? trimsuffix(data.tailscale_device.desktop.name, ".")
    : one([for a in data.tailscale_device.desktop.addresses : a if !strcontains(a, ":")])
  )
  desktop_server_url = "${var.desktop_server_scheme}://${local.desktop_host}:${var.desktop_server_port}"

  # This stack's part of the tailnet policy: who may own the two tags, and the one grant from the
  # orchestrator's tags to the desktop server's port. Merged into var.tailnet_policy (a tailnet
  # has exactly one policy file: the rest of it is the user's).
  tag_owners = merge(
    { for t in var.tailscale_tags : t => [var.tailscale_tag_owner] },
    { (var.desktop_tag) = [var.tailscale_tag_owner] },
  )
  desktop_grant = {
    src = sort(tolist(var.tailscale_tags))
    dst = [var.desktop_tag]
    ip  = ["tcp:${var.desktop_server_port}"]
  }
  tailnet_policy = merge(var.tailnet_policy, {
    tagOwners = merge(lookup(var.tailnet_policy, "tagOwners", {}), local.tag_owners)
    grants    = concat(lookup(var.tailnet_policy, "grants", []), [local.desktop_grant])
  })
}

# The Windows PC joins the tailnet by itself (outside paasform); the stack finds it by hostname.
data "tailscale_device" "desktop" {
  hostname = var.desktop_hostname
  wait_for = var.desktop_wait_for
}

# The tailnet's one policy file, with this stack's tag owners and grant merged in.
resource "tailscale_acl" "policy" {
  count = var.manage_tailnet_policy ? 1 : 0

  acl                        = jsonencode(local.tailnet_policy)
  overwrite_existing_content = var.overwrite_tailnet_policy
  reset_acl_on_destroy       = var.reset_tailnet_policy_on_destroy
}

# Approve the desktop (tailnets with device approval), tag it (the grant's destination) and keep
# its node key from expiring: a server that drops off the tailnet would break the orchestrator.
resource "tailscale_device_authorization" "desktop" {
  device_id  = data.tailscale_device.desktop.id
  authorized = true
}

resource "tailscale_device_tags" "desktop" {
  device_id = data.tailscale_device.desktop.id
  tags      = [var.desktop_tag]

  # The tag must have an owner in the policy before a device can carry it.
  depends_on = [tailscale_acl.policy]
}

resource "tailscale_device_key" "desktop" {
  device_id           = data.tailscale_device.desktop.id
  key_expiry_disabled = true
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

  # A tagged key needs the tags owned in the policy file first.
  depends_on = [tailscale_acl.policy]
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
      DESKTOP_SERVER_URL = { value = local.desktop_server_url }
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
