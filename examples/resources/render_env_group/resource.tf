terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

variable "openai_api_key" {
  type      = string
  sensitive = true
}

# The variables kirby-gen's API and worker share: one group, linked to both services with
# render_env_group_link. A shared key lives in the group only (one owner per variable).
resource "render_env_group" "shared" {
  name = "kirby-gen-shared"
  env_vars = {
    S3_BUCKET     = { value = "kirby-gen-storage" }
    SESSION_TOKEN = { generate_value = true }
  }
  # Never stored in state: bump the version to send a new value.
  env_vars_wo         = { OPENAI_API_KEY = var.openai_api_key }
  env_vars_wo_version = 1
  secret_files = {
    ".npmrc" = "//registry.npmjs.org/:_authToken=$${NPM_TOKEN}"
  }
}
