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
