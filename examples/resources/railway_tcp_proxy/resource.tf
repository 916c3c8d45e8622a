resource "railway_project" "app" {
  name = "codewarden"
}

resource "railway_service" "postgres" {
  project_id   = railway_project.app.id
  name         = "postgres"
  source_image = "postgres:17"
}

# A public TCP endpoint for Postgres (e.g. for a migration job outside Railway).
resource "railway_tcp_proxy" "postgres" {
  environment_id   = railway_project.app.default_environment_id
  service_id       = railway_service.postgres.id
  application_port = 5432
}

output "postgres_public_address" {
  value = "${railway_tcp_proxy.postgres.domain}:${railway_tcp_proxy.postgres.proxy_port}"
}
