terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# One project with staging and production, as in the robot-overlord plan. Services, databases and
# env groups are placed in an environment by its id: no hand-made ids. Renaming an environment is
# in place (change `name`, keep the key); removing one that still holds resources is an error.

resource "render_project" "robot" {
  name = "robot-overlord"
  environments = {
    staging = { name = "staging" }
    production = {
      name             = "production"
      protected_status = "protected"
      network_isolated = true
    }
  }
}

resource "render_database" "db" {
  name           = "robot-staging-db"
  plan           = "basic_1gb"
  version        = "17"
  environment_id = render_project.robot.environments["staging"].id
}
