# One real apply of both environments, used by the acceptance suite against the paasform emulator
# (or, with a real RENDER_API_KEY, against Render). Needs RENDER_API_KEY (and RENDER_BASE_URL for
# the emulator).
#   terraform test -filter=tests/apply.tftest.hcl

variables {
  repo_url                   = "https://github.com/acme/robot-overlord"
  domain                     = "robot-test.example.com"
  name_prefix                = "ro-test"
  google_oauth_client_id     = "123-test.apps.googleusercontent.com"
  google_oauth_client_secret = "secret"
}

run "apply" {
  command = apply

  assert {
    condition     = output.production.web_url == "https://robot-test.example.com" && output.staging.web_url == "https://staging.robot-test.example.com"
    error_message = "each environment serves its own domain"
  }
  assert {
    condition     = startswith(output.production.service_ids.postgres, "dpg-") && startswith(output.staging.service_ids.redis, "srv-")
    error_message = "Render returned ids for both stacks"
  }
  assert {
    condition     = output.production.service_ids.api != output.staging.service_ids.api
    error_message = "staging and production are separate services"
  }
  assert {
    condition     = contains(keys(output.production.custom_domain_status), "www.robot-test.example.com")
    error_message = "production's www domain is attached"
  }
}
