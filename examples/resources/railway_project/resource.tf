terraform {
  required_providers {
    railway = {
      source = "paasform/railway"
    }
  }
}

resource "railway_project" "example" {
  name        = "codewarden"
  description = "CodeWarden backend: FastAPI API and arq worker"
}

output "production_environment_id" {
  value = railway_project.example.default_environment_id
}
