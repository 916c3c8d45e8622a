terraform {
  required_providers {
    railway = {
      source = "paasform/railway"
    }
  }
}

# By name: exactly one project the token can see must carry it.
data "railway_project" "by_name" {
  name = "codewarden"
}

# By id.
data "railway_project" "by_id" {
  id = data.railway_project.by_name.id
}

output "production_environment_id" {
  value = data.railway_project.by_name.default_environment_id
}
