# One real apply, used by the acceptance suite against the paasform emulator (or, with real
# tokens, against Render and Tailscale). Needs RENDER_API_KEY and TAILSCALE_API_KEY (and the
# *_BASE_URL variables for the emulator) and a device named `desktop` in the tailnet (the
# emulator: `--tailscale-device desktop:100.101.102.103`).
#   terraform test -filter=tests/apply.tftest.hcl

variables {
  repo_url    = "https://github.com/acme/vulcan"
  name_prefix = "vulcan-test"
  # A tailnet has one policy file, which the deployed stack (or its owner) holds: a test run
  # must not take it over.
  manage_tailnet_policy = false
}

run "apply" {
  command = apply

  assert {
    condition     = startswith(render_service.web.id, "srv-") && startswith(render_service.orchestrator.id, "srv-")
    error_message = "Render returned service ids"
  }
  assert {
    condition     = render_service.web.env_vars["NEXT_PUBLIC_API_URL"].value == render_service.orchestrator.url
    error_message = "the web app points at the orchestrator's real URL"
  }
  assert {
    condition     = startswith(output.orchestrator_url, "https://")
    error_message = "the orchestrator has a public URL"
  }
  assert {
    condition     = render_service.orchestrator.env_vars["TAILSCALE_AUTH_KEY"].value == tailscale_key.orchestrator[0].key && render_service.orchestrator.env_vars_wo_version == null
    error_message = "state mode (the default): the managed key, which destroy revokes, feeds TAILSCALE_AUTH_KEY"
  }
  assert {
    condition     = startswith(tailscale_key.orchestrator[0].key, "tskey-auth-") && output.tailscale_key_id == tailscale_key.orchestrator[0].id
    error_message = "the managed key is a real auth key and its id is an output"
  }
  assert {
    condition     = render_service.orchestrator.env_vars["DESKTOP_SERVER_URL"].value == "http://${data.tailscale_device.desktop.addresses[0]}:8000" && startswith(data.tailscale_device.desktop.addresses[0], "100.")
    error_message = "DESKTOP_SERVER_URL is the looked-up desktop's tailnet address"
  }
  assert {
    condition     = tailscale_device_authorization.desktop.authorized && tailscale_device_key.desktop.key_expiry_disabled && tailscale_device_tags.desktop.tags == toset(["tag:vulcan-desktop"])
    error_message = "the desktop is authorized, tagged and its key does not expire"
  }
}
