output "api_url" {
  description = "The API's public URL (what the dashboard calls: NEXT_PUBLIC_API_URL)."
  value       = local.api_public_url
}

output "api_railway_domain" {
  description = "The API's generated *.up.railway.app domain."
  value       = railway_service.api.service_domain_name
}

output "api_dns_records" {
  description = "DNS records to create for api_domain (DNS is outside paasform's scope)."
  value       = railway_service.api.custom_domain_records
}

output "dashboard_url" {
  description = "The dashboard's default production URL on Vercel."
  value       = "https://${vercel_project.dashboard.name}.vercel.app"
}

output "dashboard_domain" {
  description = "The dashboard's custom domain on Vercel, whether Vercel has verified it, and the DNS records to create for it (DNS is outside paasform's scope)."
  value = var.dashboard_domain == null ? null : {
    domain        = vercel_project_domain.dashboard[0].domain
    verified      = vercel_project_domain.dashboard[0].verified
    misconfigured = data.vercel_project_domain.dashboard[0].misconfigured
    dns_records   = data.vercel_project_domain.dashboard[0].dns_records
  }
}

output "dashboard_origins" {
  description = "The origins the API accepts (CORS_ORIGINS)."
  value       = local.dashboard_origins
}

output "railway" {
  description = "Railway ids: project, environment and services."
  value = {
    project_id     = railway_project.this.id
    environment_id = railway_project.this.default_environment_id
    api_id         = railway_service.api.id
    worker_id      = railway_service.worker.id
  }
}

output "vercel_project_id" {
  description = "The dashboard's Vercel project id."
  value       = vercel_project.dashboard.id
}

output "evidence_bucket" {
  description = "The SOC 2 evidence bucket and its S3 endpoint."
  value = {
    name     = r2_bucket.evidence.name
    endpoint = local.r2_endpoint
  }
}
