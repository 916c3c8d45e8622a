# One robot-overlord environment (staging or production): the root module instantiates it twice.
# Provider configuration comes from the caller.
terraform {
  required_version = ">= 1.11"

  required_providers {
    render = {
      source  = "paasform/render"
      version = "~> 0.1"
    }
  }
}
