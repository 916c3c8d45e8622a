terraform {
  # 1.11: write-only arguments (value_wo).
  required_version = ">= 1.11"

  required_providers {
    railway = {
      source = "paasform/railway"
    }
  }
}

variable "openai_api_key" {
  type      = string
  sensitive = true
}

resource "railway_project" "example" {
  name = "codewarden"
}

# A plain shared variable: every service of the environment reads it as ${{shared.LOG_LEVEL}}.
resource "railway_shared_variable" "log_level" {
  project_id     = railway_project.example.id
  environment_id = railway_project.example.default_environment_id
  name           = "LOG_LEVEL"
  value          = "info"
}

# A secret: write-only, so it is never stored in state or shown in a plan. Bump
# value_wo_version after rotating the key to send it again.
resource "railway_shared_variable" "openai" {
  project_id       = railway_project.example.id
  environment_id   = railway_project.example.default_environment_id
  name             = "OPENAI_API_KEY"
  value_wo         = var.openai_api_key
  value_wo_version = 1
}
