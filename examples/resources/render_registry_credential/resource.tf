terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

variable "ghcr_token" {
  type      = string
  sensitive = true
}

# A GitHub Container Registry token Render uses to pull a private image. Write-only (Terraform
# >= 1.11): never stored in state; bump the version to send a rotated token.
resource "render_registry_credential" "ghcr" {
  name                  = "ghcr-deploy"
  registry              = "GITHUB"
  username              = "acme-deploy-bot"
  auth_token_wo         = var.ghcr_token
  auth_token_wo_version = 1
}

resource "render_service" "api" {
  type    = "private_service"
  name    = "robot-overlord-api"
  runtime = "image"
  image = {
    url                    = "ghcr.io/acme/robot-overlord-api:1.4.2"
    registry_credential_id = render_registry_credential.ghcr.id
  }
}
