terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# An env group another stack manages, by name; its values are sensitive.
data "render_env_group" "shared" {
  name = "kirby-gen-shared"
}

output "linked_services" {
  value = data.render_env_group.shared.service_ids
}
