resource "railway_project" "app" {
  name = "codewarden"
}

resource "railway_environment" "staging" {
  project_id = railway_project.app.id
  name       = "staging"
}

# Configured in production (the project's default environment).
resource "railway_service" "worker" {
  project_id    = railway_project.app.id
  name          = "worker"
  source_image  = "ghcr.io/acme/worker:1"
  start_command = "arq worker.WorkerSettings"
  num_replicas  = 3
}

# The same service in staging: one replica, woken by traffic only.
resource "railway_service_instance" "worker_staging" {
  service_id        = railway_service.worker.id
  environment_id    = railway_environment.staging.id
  start_command     = "arq worker.WorkerSettings --burst"
  num_replicas      = 1
  sleep_application = true
}
