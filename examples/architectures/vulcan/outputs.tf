output "web_url" {
  description = "The dashboard's public URL."
  value       = render_service.web.url
}

output "orchestrator_url" {
  description = "The orchestrator's public URL (what the dashboard calls: NEXT_PUBLIC_API_URL)."
  value       = render_service.orchestrator.url
}

output "service_ids" {
  description = "Render service ids, for the dashboard, the API and `terraform import`."
  value = {
    web          = render_service.web.id
    orchestrator = render_service.orchestrator.id
  }
}

output "tailscale_key_id" {
  description = "Id of the orchestrator's Tailscale auth key when it is kept in state (tailscale_key_storage = state); null in write_only mode, where a new key is minted per run."
  value       = local.write_only ? null : tailscale_key.orchestrator[0].id
}

output "tailscale_key_storage" {
  description = "How TAILSCALE_AUTH_KEY was delivered: write_only (env_vars_wo, never in state) or state."
  value       = var.tailscale_key_storage
}

output "desktop_server_url" {
  description = "DESKTOP_SERVER_URL as the orchestrator received it: the desktop's tailnet address and the Desktop Server's port."
  value       = local.desktop_server_url
}

output "desktop_device_id" {
  description = "The desktop's Tailscale node id (what the device resources manage)."
  value       = data.tailscale_device.desktop.id
}

output "tailnet_policy_additions" {
  description = "This stack's part of the tailnet policy (tag owners and the orchestrator → desktop grant), to merge into the policy file by hand or in another stack when manage_tailnet_policy = false."
  value = {
    tagOwners = local.tag_owners
    grants    = [local.desktop_grant]
  }
}
