output "vulcan_web_url" {
  description = "Public URL of vulcan-web."
  value       = render_service.vulcan_web.url
}

output "vulcan_orchestrator_url" {
  description = "Public URL of vulcan-orchestrator."
  value       = render_service.vulcan_orchestrator.url
}
