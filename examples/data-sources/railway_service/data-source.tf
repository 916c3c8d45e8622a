terraform {
  required_providers {
    railway = {
      source = "paasform/railway"
    }
  }
}

data "railway_project" "backend" {
  name = "codewarden"
}

# By name: service names are unique within a project, so `project_id` goes with `name`.
data "railway_service" "api" {
  project_id = data.railway_project.backend.id
  name       = "api"
}

# By id.
data "railway_service" "same_api" {
  id = data.railway_service.api.id
}

output "api_service_id" {
  value = data.railway_service.api.id
}
