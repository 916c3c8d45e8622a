# One real apply, used by the acceptance suite against the paasform emulator (or, with real
# tokens, against Vercel itself). Needs VERCEL_API_TOKEN (and VERCEL_BASE_URL for the emulator).
#   terraform test -filter=tests/apply.tftest.hcl

variables {
  github_repo  = "acme/infra402"
  api_hostname = "api.infra402.example.com"
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
}
