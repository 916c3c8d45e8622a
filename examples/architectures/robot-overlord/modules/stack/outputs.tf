output "web_url" {
  description = "The frontend's canonical URL (first custom domain)."
  value       = local.web_url
}

output "api_url" {
  description = "The API's URL (its custom domain)."
  value       = local.api_url
}

output "onrender_urls" {
  description = "The services' onrender.com URLs (work before DNS is set up)."
  value = {
    web = render_service.web.url
    api = render_service.api.url
  }
}

output "custom_domain_status" {
  description = "Verification status of every custom domain (point DNS at Render until they are verified)."
  value       = merge(render_service.web.custom_domain_status, render_service.api.custom_domain_status)
}

output "service_ids" {
  description = "Render ids of the stack's services and database."
  value = {
    web      = render_service.web.id
    api      = render_service.api.id
    worker   = render_service.worker.id
    redis    = render_service.redis.id
    postgres = render_database.postgres.id
  }
}

output "redis_internal_url" {
  description = "Redis on the private network (REDIS_URL)."
  value       = local.redis_url
}

output "database_url" {
  description = "Postgres connection string from outside Render."
  value       = render_database.postgres.external_connection_string
  sensitive   = true
}
