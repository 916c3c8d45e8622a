resource "railway_project" "app" {
  name = "codewarden"
}

resource "railway_service" "postgres" {
  project_id   = railway_project.app.id
  name         = "postgres"
  source_image = "postgres:17"
}

# Postgres keeps its data on a volume; renaming or re-mounting it is in place.
resource "railway_volume" "pgdata" {
  project_id     = railway_project.app.id
  environment_id = railway_project.app.default_environment_id
  service_id     = railway_service.postgres.id
  mount_path     = "/var/lib/postgresql/data"
  name           = "pgdata"
}

output "pgdata_size_mb" {
  value = railway_volume.pgdata.size_mb
}
