terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# The workspace id for the provider's `owner_id`, by the workspace's name (or `email`).
data "render_owner" "team" {
  name = "Robot Overlord"
}

output "owner_id" {
  value = data.render_owner.team.id
}
