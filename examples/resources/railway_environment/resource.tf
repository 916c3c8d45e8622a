terraform {
  required_providers {
    railway = {
      source = "paasform/railway"
    }
  }
}

resource "railway_project" "example" {
  name = "codewarden"
}

# A staging environment forked from production: services, settings and variables are copied.
resource "railway_environment" "example" {
  project_id            = railway_project.example.id
  name                  = "staging"
  source_environment_id = railway_project.example.default_environment_id
}
