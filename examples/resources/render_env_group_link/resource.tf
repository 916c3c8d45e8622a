terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

variable "env_group_id" { type = string }
variable "api_service_id" { type = string }
variable "worker_service_id" { type = string }

# Both kirby-gen services get the group's variables. Authoritative: one link resource per group.
resource "render_env_group_link" "shared" {
  env_group_id = var.env_group_id
  service_ids  = [var.api_service_id, var.worker_service_id]
}
