# robot-overlord: Next.js web, FastAPI API, Arq worker, Postgres 17 and Redis 8 on Render, twice:
# staging (branch staging) and production (branch main), each with its own domains.
terraform {
  required_version = ">= 1.11"

  required_providers {
    render = {
      source  = "paasform/render"
      version = "~> 0.1"
    }
  }
}
