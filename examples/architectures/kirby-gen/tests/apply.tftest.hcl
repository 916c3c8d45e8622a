# One real apply, used by the acceptance suite against the paasform emulator (or, with real
# tokens, against Render and Cloudflare). Needs RENDER_API_KEY, CLOUDFLARE_API_TOKEN and
# CLOUDFLARE_ACCOUNT_ID (and the *_BASE_URL variables for the emulator).
#   terraform test -filter=tests/apply.tftest.hcl

variables {
  repo_url          = "https://github.com/acme/kirby-gen"
  anthropic_api_key = "sk-ant-test"
  name_prefix       = "kirby-test"
  bucket_name       = "kirby-test-storage"
}

run "apply" {
  command = apply

  assert {
    condition     = render_database.postgres.status == "available" && render_database.redis.status == "available"
    error_message = "both databases are available before the services use them"
  }
  assert {
    condition     = render_env_group.backend.env_vars["DATABASE_URL"].value == render_database.postgres.internal_connection_string
    error_message = "the API got the real connection string"
  }
  assert {
    condition     = startswith(render_env_group.backend.env_vars["DATABASE_URL"].value, "postgres")
    error_message = "the connection string is a Postgres URL"
  }
  assert {
    condition     = render_service.web.env_vars["VITE_API_URL"].value == render_service.api.url
    error_message = "the frontend calls the API's URL"
  }
  assert {
    condition     = output.storage.bucket == "kirby-test-storage" && startswith(output.storage.endpoint, "https://")
    error_message = "the bucket and its S3 endpoint are outputs"
  }
}
