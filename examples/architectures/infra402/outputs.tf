output "project_id" {
  description = "The Vercel project id (prj_…)."
  value       = vercel_project.frontend.id
}

output "frontend_url" {
  description = "The frontend's default production URL (Vercel's <project>.vercel.app domain)."
  value       = "https://${vercel_project.frontend.name}.vercel.app"
}

output "backend_cors_origin" {
  description = "The origin backend-llm must allow in its CORS configuration (set it on the MacBook)."
  value       = "https://${vercel_project.frontend.name}.vercel.app"
}

output "chat_api_base_url" {
  description = "The tunnel URL the frontend was built against (VITE_CHAT_API_BASE)."
  value       = local.chat_api_base_url
}

output "cloudflared_command" {
  description = "The one command to run on the MacBook: connects it to the tunnel (the token is a secret)."
  value       = "cloudflared tunnel run --token ${cloudflare_tunnel.backend.token}"
  sensitive   = true
}

output "api_record_id" {
  description = "The proxied CNAME record that routes api_hostname into the tunnel."
  value       = cloudflare_dns_record.api.id
}
