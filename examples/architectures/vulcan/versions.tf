# vulcan: a Next.js dashboard and a Python (CrewAI) orchestrator on Render; the orchestrator joins
# a tailnet to reach the Windows desktop server (FastAPI + COM) running on a local PC.
terraform {
  # 1.11: write-only arguments (env_vars_wo) and ephemeral resources.
  required_version = ">= 1.11"

  required_providers {
    render = {
      source  = "paasform/render"
      version = "~> 0.1"
    }
    tailscale = {
      source  = "paasform/tailscale"
      version = "~> 0.1"
    }
  }
}
