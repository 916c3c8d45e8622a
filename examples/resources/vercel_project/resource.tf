terraform {
  required_providers {
    vercel = {
      source = "paasform/vercel"
    }
  }
}

variable "chat_api_base" {
  type    = string
  default = "https://chat-api.example.com"
}

resource "vercel_project" "example" {
  name             = "infra402-frontend"
  framework        = "vite"
  root_directory   = "frontend"
  build_command    = "pnpm build"
  output_directory = "dist"
  node_version     = "18.x"

  git_repository = {
    type = "github"
    repo = "acme/infra402"
  }

  # Function defaults and Skew Protection; unset fields keep what the project has.
  skew_protection = "12 hours"
  resource_config = {
    function_default_timeout = 60
    function_default_regions = ["iad1"]
    build_machine_type       = "enhanced"
  }

  # OIDC tokens issued by https://oidc.vercel.com (not the team's issuer).
  oidc_token_config = {
    issuer_mode = "global"
  }

  environment = [
    {
      key    = "VITE_CHAT_API_BASE"
      value  = var.chat_api_base
      target = ["production", "preview"]
    },
  ]
}

output "project_id" {
  value = vercel_project.example.id
}
