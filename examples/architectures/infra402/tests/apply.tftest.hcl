# One real apply, used by the acceptance suite against the paasform emulator (or, with real
# tokens, against Vercel itself). Needs VERCEL_API_TOKEN (and VERCEL_BASE_URL for the emulator).
#   terraform test -filter=tests/apply.tftest.hcl

variables {
  github_repo  = "acme/infra402"
  # Not the demo's hostname: a stack applied from demo.tfvars may hold that CNAME already.
  api_hostname = "api-test.infra402.example.com"
  project_name = "infra402-test"
}

run "apply" {
  command = apply

  assert {
    condition     = startswith(vercel_project.frontend.id, "prj_")
    error_message = "Vercel returned a project id"
  }
  assert {
    condition     = output.frontend_url == "https://infra402-test.vercel.app"
    error_message = "the frontend URL follows the project name"
  }
  assert {
    condition     = cloudflare_dns_record.api.proxied && cloudflare_dns_record.api.content == cloudflare_tunnel.backend.cname
    error_message = "the API hostname is a proxied CNAME into the tunnel"
  }
}
