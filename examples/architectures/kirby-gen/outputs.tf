output "web_url" {
  description = "The frontend's URL (static site)."
  value       = render_service.web.url
}

output "api_url" {
  description = "The API URL the frontend calls (VITE_API_URL)."
  value       = local.api_public_url
}

output "api_ws_url" {
  description = "The Socket.IO URL the frontend connects to (VITE_WS_URL)."
  value       = local.api_ws_url
}

output "skills_internal_url" {
  description = "The private skills service's URL on Render's private network (SKILLS_BASE_URL)."
  value       = local.skills_base_url
}

output "service_ids" {
  description = "Render ids of every service and database."
  value = {
    web      = render_service.web.id
    api      = render_service.api.id
    skills   = render_service.skills.id
    worker   = render_service.worker.id
    postgres = render_database.postgres.id
    redis    = render_database.redis.id
  }
}

output "database_url" {
  description = "Postgres connection string from outside Render (for migrations from CI or a laptop)."
  value       = render_database.postgres.external_connection_string
  sensitive   = true
}

output "redis_url" {
  description = "Key Value (Redis) connection string from outside Render."
  value       = render_database.redis.external_connection_string
  sensitive   = true
}

output "storage" {
  description = "The S3-compatible store: endpoint, bucket and region to configure an S3 client with."
  value = {
    endpoint = local.s3_endpoint
    bucket   = r2_bucket.storage.name
    region   = "auto"
  }
}
