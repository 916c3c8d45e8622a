terraform {
  required_providers {
    railway = {
      source = "paasform/railway"
    }
  }
}

# An account or team token (RAILWAY_TOKEN) can manage projects, environments and services.
# A project token (RAILWAY_PROJECT_TOKEN, or token_type = "project") is limited to the services
# of its own project and environment.
provider "railway" {
  # token    = var.railway_token  # or RAILWAY_TOKEN
  # base_url = "https://backboard.railway.com/graphql/v2"
}
