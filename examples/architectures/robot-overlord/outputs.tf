output "production" {
  description = "Production: URLs, onrender.com URLs, custom domain status and service ids."
  value = {
    branch               = var.branches.production
    web_url              = module.production.web_url
    api_url              = module.production.api_url
    onrender_urls        = module.production.onrender_urls
    custom_domain_status = module.production.custom_domain_status
    service_ids          = module.production.service_ids
  }
}

output "staging" {
  description = "Staging: URLs, onrender.com URLs, custom domain status and service ids."
  value = {
    branch               = var.branches.staging
    web_url              = module.staging.web_url
    api_url              = module.staging.api_url
    onrender_urls        = module.staging.onrender_urls
    custom_domain_status = module.staging.custom_domain_status
    service_ids          = module.staging.service_ids
  }
}

output "database_urls" {
  description = "External Postgres connection strings per environment (for migrations from CI)."
  value = {
    production = module.production.database_url
    staging    = module.staging.database_url
  }
  sensitive = true
}

output "postgres_extensions_sql" {
  description = "The extensions the plan enables, to run once per database (or in the first migration): Render's API has no extension setting."
  value       = "CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS citext;"
}
