terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# A registry credential made in the dashboard (or by another stack), by name; `id = "rgc-…"`
# works too. The token is never readable.
data "render_registry_credential" "ghcr" {
  name = "ghcr-deploy"
}

resource "render_service" "api" {
  type    = "private_service"
  name    = "robot-overlord-api"
  runtime = "image"
  image = {
    url                    = "ghcr.io/acme/robot-overlord-api:1.4.2"
    registry_credential_id = data.render_registry_credential.ghcr.id
  }
}
