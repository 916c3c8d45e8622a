terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# A project made elsewhere (by another stack or in the dashboard), looked up by name; its
# environments are keyed by environment name.
data "render_project" "robot" {
  name = "robot-overlord"
}

output "production_environment_id" {
  value = data.render_project.robot.environments["production"].id
}
