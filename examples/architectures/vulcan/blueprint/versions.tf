terraform {
  required_providers {
    render = { source = "paasform/render", version = "~> 0.1" }
  }
}
