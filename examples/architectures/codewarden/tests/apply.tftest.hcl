# One real apply, used by the acceptance suite against the paasform emulator (or, with real
# tokens, against Railway, Vercel and Cloudflare). Needs RAILWAY_TOKEN, VERCEL_API_TOKEN,
# CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (and the *_BASE_URL variables for the emulator).
#   terraform test -filter=tests/apply.tftest.hcl

variables {
  name                  = "codewarden-test"
  evidence_bucket_name  = "codewarden-test-evidence"
  github_repo           = "acme/codewarden"
  supabase_url          = "https://xyz.supabase.co"
  supabase_service_key  = "service-key"
  supabase_database_url = "postgresql://postgres:pw@db.xyz.supabase.co:5432/postgres"
  upstash_redis_url     = "rediss://default:pw@eu1.upstash.io:6379"
  openobserve           = { url = "https://api.openobserve.ai", organization = "codewarden", user = "ingest" }
  openobserve_password  = "pw"
  openai_api_key        = "sk-test"
  litellm_master_key    = "sk-litellm"
}

run "apply" {
  command = apply

  assert {
    condition     = railway_service.api.project_id == railway_project.this.id && railway_service.worker.project_id == railway_project.this.id
    error_message = "both services are in the project"
  }
  assert {
    condition     = endswith(railway_service.api.service_domain_name, ".up.railway.app")
    error_message = "the API got a generated Railway domain"
  }
  assert {
    condition     = output.api_url == "https://${railway_service.api.service_domain_name}"
    error_message = "the dashboard calls the API's Railway domain"
  }
  assert {
    condition     = startswith(vercel_project.dashboard.id, "prj_")
    error_message = "Vercel returned a project id"
  }
}
