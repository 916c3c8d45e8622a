# Plan-level checks with mocked providers: runs anywhere, no emulator, no credentials.
#   terraform test -filter=tests/plan.tftest.hcl
# `override_during = plan` (Terraform 1.11) makes the mocked computed values visible at plan time.

mock_provider "railway" {
  override_during = plan

  mock_resource "railway_service" {
    defaults = {
      service_domain_name = "api-production.up.railway.app"
    }
  }
}

mock_provider "vercel" {
  override_during = plan
}

mock_provider "r2" {
  override_during = plan

  mock_resource "r2_bucket" {
    defaults = {
      account_id = "0123456789abcdef0123456789abcdef"
    }
  }
}

override_resource {
  target          = railway_project.this
  override_during = plan
  values          = { id = "prj-mock", default_environment_id = "env-production" }
}

variables {
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

run "api_and_worker_share_one_repo" {
  command = plan

  assert {
    condition     = railway_service.api.source_repo == "acme/codewarden" && railway_service.worker.source_repo == "acme/codewarden"
    error_message = "both services deploy from the monorepo"
  }
  assert {
    condition     = railway_service.api.root_directory == "api" && railway_service.worker.root_directory == "api"
    error_message = "both services build the api/ folder"
  }
  assert {
    condition     = railway_service.api.start_command == "uvicorn main:app --host 0.0.0.0 --port $PORT" && railway_service.worker.start_command == "arq worker.WorkerSettings"
    error_message = "the API runs uvicorn, the worker runs arq"
  }
  assert {
    condition     = railway_service.api.environment_id == "env-production" && railway_service.worker.environment_id == "env-production"
    error_message = "both services live in the project's production environment"
  }
  assert {
    condition     = railway_service.api.service_domain && !railway_service.worker.service_domain && railway_service.api.healthcheck_path == "/healthz"
    error_message = "only the API is public, and its deploys wait on its health check"
  }
}

run "secrets_live_in_railway_write_only" {
  command = plan

  assert {
    condition = alltrue([for k in ["SUPABASE_URL", "OPENOBSERVE_URL", "R2_ENDPOINT", "R2_BUCKET"] :
    railway_service.api.variables[k] == railway_service.worker.variables[k]])
    error_message = "the API and the worker share their variables"
  }
  assert {
    condition     = nonsensitive(keys(local.shared_secrets)) == ["DATABASE_URL", "LITELLM_MASTER_KEY", "OPENAI_API_KEY", "OPENOBSERVE_PASSWORD", "R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "REDIS_URL", "SUPABASE_SERVICE_KEY"]
    error_message = "every user secret (the Upstash queue URL included) goes write-only to Railway"
  }
  assert {
    condition = alltrue([for s in [railway_service.api, railway_service.worker] :
    length(setintersection(keys(s.variables), nonsensitive(keys(local.shared_secrets)))) == 0])
    error_message = "both services get the secrets through variables_wo (version var.secrets_version + the R2 credentials' id), none as a stored variable"
  }
  assert {
    condition     = railway_service.api.variables["R2_ENDPOINT"] == "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com"
    error_message = "the R2 endpoint comes from the bucket's account"
  }
  assert {
    condition     = railway_service.api.variables["CORS_ORIGINS"] == "https://codewarden-dashboard.vercel.app"
    error_message = "the API only accepts the dashboard's origin"
  }
}

run "dashboard_calls_the_api" {
  command = plan

  assert {
    condition     = vercel_project.dashboard.framework == "nextjs" && vercel_project.dashboard.root_directory == "dashboard"
    error_message = "the dashboard is the Next.js app in dashboard/"
  }
  assert {
    condition = anytrue([for e in vercel_project.dashboard.environment :
    e.key == "NEXT_PUBLIC_API_URL" && e.value == "https://api-production.up.railway.app"])
    error_message = "without a custom domain, the dashboard calls the Railway domain"
  }
  assert {
    condition = anytrue([for e in vercel_project.dashboard.environment :
    e.key == "NEXT_PUBLIC_SUPABASE_URL" && e.value == "https://xyz.supabase.co"])
    error_message = "the dashboard knows the Supabase URL"
  }
}

run "custom_domains" {
  command = plan

  variables {
    api_domain       = "api.codewarden.io"
    dashboard_domain = "app.codewarden.io"
  }

  assert {
    condition     = railway_service.api.custom_domains == toset(["api.codewarden.io"])
    error_message = "the API gets its custom domain on Railway"
  }
  assert {
    condition = anytrue([for e in vercel_project.dashboard.environment :
    e.key == "NEXT_PUBLIC_API_URL" && e.value == "https://api.codewarden.io"])
    error_message = "the dashboard calls the API's custom domain"
  }
  assert {
    condition     = railway_service.api.variables["CORS_ORIGINS"] == "https://codewarden-dashboard.vercel.app,https://app.codewarden.io"
    error_message = "the dashboard's custom domain is an allowed origin"
  }
}

run "evidence_bucket_lifecycle" {
  command = plan

  variables {
    evidence_retention_days = 400
  }

  assert {
    condition     = length(r2_bucket.evidence.lifecycle_rules) == 2 && r2_bucket.evidence.lifecycle_rules[1].delete_objects_after_days == 400
    error_message = "a retention period becomes a delete rule next to the multipart cleanup"
  }
}

run "bad_queue_url_is_rejected" {
  command = plan

  variables {
    upstash_redis_url = "https://eu1.upstash.io"
  }

  expect_failures = [var.upstash_redis_url]
}
