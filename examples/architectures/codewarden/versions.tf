# codewarden: a Next.js dashboard on Vercel, a FastAPI API and an arq worker on Railway (one
# monorepo, two start commands), and an R2 bucket for SOC 2 evidence exports. Supabase, Upstash
# and OpenObserve are managed services outside paasform's scope: their endpoints are inputs.
terraform {
  required_version = ">= 1.11"

  required_providers {
    railway = {
      source  = "paasform/railway"
      version = "~> 0.1"
    }
    vercel = {
      source  = "paasform/vercel"
      version = "~> 0.1"
    }
    r2 = {
      source  = "paasform/r2"
      version = "~> 0.1"
    }
  }
}
