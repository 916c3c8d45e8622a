output "kirby_gen_web_url" {
  description = "Public URL of kirby-gen-web."
  value       = render_service.kirby_gen_web.url
}

output "kirby_gen_api_url" {
  description = "Public URL of kirby-gen-api."
  value       = render_service.kirby_gen_api.url
}

output "kirby_gen_skills_host" {
  description = "Internal host name of kirby-gen-skills."
  value       = render_service.kirby_gen_skills.host
}

output "kirby_gen_worker_id" {
  description = "Service id of kirby-gen-worker."
  value       = render_service.kirby_gen_worker.id
}

output "kirby_gen_db_id" {
  description = "Postgres id of kirby-gen-db."
  value       = render_database.kirby_gen_db.id
}

output "kirby_gen_redis_id" {
  description = "Postgres id of kirby-gen-redis."
  value       = render_database.kirby_gen_redis.id
}
