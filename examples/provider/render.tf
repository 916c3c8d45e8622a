terraform {
  required_providers {
    render = {
      source  = "paasform/render"
      version = "~> 0.1"
    }
  }
}

# Credentials come from RENDER_API_KEY. RENDER_OWNER_ID (or owner_id) picks the workspace; it may
# be left out when the key sees exactly one.
provider "render" {
  # owner_id = "tea-..."
}
