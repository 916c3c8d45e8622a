# kirby-gen: a static site, an Express/Socket.IO API, a private FastAPI skills service and a
# generation worker on Render, with Postgres and Key Value (Redis), and an R2 bucket as the
# S3-compatible object store.
terraform {
  required_version = ">= 1.11"

  required_providers {
    render = {
      source  = "paasform/render"
      version = "~> 0.1"
    }
    r2 = {
      source  = "paasform/r2"
      version = "~> 0.1"
    }
  }
}
