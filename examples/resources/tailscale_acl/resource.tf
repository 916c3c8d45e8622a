terraform {
  required_providers {
    tailscale = {
      source = "paasform/tailscale"
    }
  }
}

# A tailnet has one policy file: manage all of it here (merge the rules every module needs).
resource "tailscale_acl" "policy" {
  acl = jsonencode({
    tagOwners = {
      "tag:orchestrator" = ["autogroup:admin"]
      "tag:desktop"      = ["autogroup:admin"]
    }
    grants = [
      { src = ["tag:orchestrator"], dst = ["tag:desktop"], ip = ["*"] },
    ]
  })
  # Take over a policy someone already edited (default false: only the untouched default).
  overwrite_existing_content = false
}
