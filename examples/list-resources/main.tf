terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}

# Credentials from RENDER_API_KEY (and RENDER_OWNER_ID when the key sees several workspaces).
provider "render" {}
