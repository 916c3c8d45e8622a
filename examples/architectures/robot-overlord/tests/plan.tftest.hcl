# Plan-level checks with a mocked Render provider: runs anywhere, no emulator, no credentials.
#   terraform test -filter=tests/plan.tftest.hcl
# `override_during = plan` (Terraform 1.11) makes the mocked computed values visible at plan time.

mock_provider "render" {
  override_during = plan

  mock_resource "render_service" {
    defaults = {
      url  = "https://mock.onrender.com"
      host = "mock-redis"
    }
  }
  mock_resource "render_database" {
    defaults = {
      internal_connection_string = "postgresql://mock/robot_overlord"
    }
  }
}

override_resource {
  target          = module.production.render_service.redis
  override_during = plan
  values          = { host = "robot-overlord-production-redis" }
}

override_resource {
  target          = module.staging.render_database.postgres
  override_during = plan
  values          = { internal_connection_string = "postgresql://staging-db/robot_overlord" }
}

variables {
  repo_url                   = "https://github.com/acme/robot-overlord"
  domain                     = "therobotoverlord.com"
  google_oauth_client_id     = "123-test.apps.googleusercontent.com"
  google_oauth_client_secret = "secret"
}

run "branch_mapping" {
  command = plan

  assert {
    condition     = output.production.branch == "main" && output.staging.branch == "staging"
    error_message = "production deploys main, staging deploys staging"
  }
}

run "domains_follow_the_plan" {
  command = plan

  assert {
    condition     = output.production.web_url == "https://therobotoverlord.com" && output.production.api_url == "https://api.therobotoverlord.com"
    error_message = "production serves the apex and api.<domain>"
  }
  assert {
    condition     = output.staging.web_url == "https://staging.therobotoverlord.com" && output.staging.api_url == "https://api.staging.therobotoverlord.com"
    error_message = "staging serves staging.<domain> and api.staging.<domain>"
  }
}

run "each_stack_is_complete" {
  command = plan

  assert {
    condition     = length(output.production.service_ids) == 5 && length(output.staging.service_ids) == 5
    error_message = "each environment has web, api, worker, redis and postgres"
  }
}

run "redis_is_wired_into_the_backend" {
  command = plan

  assert {
    condition     = module.production.redis_internal_url == "redis://robot-overlord-production-redis:6379"
    error_message = "REDIS_URL is the private Redis service on the private network"
  }
}

# The stack module on its own: the resources inside it are visible to assertions here.
run "stack_services_and_wiring" {
  command = plan

  module {
    source = "./modules/stack"
  }

  variables {
    environment  = "staging"
    name_prefix  = "ro-staging"
    branch       = "staging"
    region       = "oregon"
    repo_url     = "https://github.com/acme/robot-overlord"
    web_domains  = ["staging.therobotoverlord.com"]
    api_domain   = "api.staging.therobotoverlord.com"
    cors_origins = ["https://staging.therobotoverlord.com"]
    plans        = { web = "starter", api = "starter", worker = "starter", redis = "starter", postgres = "basic_256mb" }
    app = {
      web_root_dir      = "web"
      web_build_command = "npm ci && npm run build"
      web_start_command = "npm start"
      api_root_dir      = "api"
      api_build_command = "pip install -r requirements.txt"
      api_start_command = "uvicorn app.main:app --host 0.0.0.0 --port $PORT"
      api_health_check  = "/health"
      worker_start      = "arq app.worker.WorkerSettings"
    }
  }

  assert {
    condition     = render_database.postgres.version == "17" && render_database.postgres.engine == "postgres"
    error_message = "Postgres 17"
  }
  assert {
    condition     = render_service.redis.type == "private_service" && render_service.redis.image.url == "docker.io/library/redis:8"
    error_message = "Redis 8 runs as a private service from the official image"
  }
  assert {
    condition     = render_service.redis.disk.mount_path == "/data" && render_service.redis.disk.size_gb == 10
    error_message = "Redis keeps its data on a persistent disk at /data"
  }
  assert {
    condition     = alltrue([for s in [render_service.api, render_service.worker, render_service.web] : s.branch == "staging"])
    error_message = "every service of the stack deploys its branch"
  }
  assert {
    condition     = render_service.api.custom_domains == toset(["api.staging.therobotoverlord.com"]) && render_service.web.custom_domains == toset(["staging.therobotoverlord.com"])
    error_message = "web and API get their custom domains"
  }
  assert {
    condition     = render_service.api.env_vars["CORS_ORIGINS"].value == "https://staging.therobotoverlord.com"
    error_message = "the API accepts only the frontend origins"
  }
  assert {
    condition = alltrue([for s in [render_service.api, render_service.worker] :
      s.env_vars["DATABASE_URL"].value == "postgresql://mock/robot_overlord" &&
    s.env_vars["REDIS_URL"].value == "redis://mock-redis:6379"])
    error_message = "the API and the worker share Postgres and Redis"
  }
  assert {
    condition     = render_service.web.env_vars["NEXT_PUBLIC_API_URL"].value == "https://api.staging.therobotoverlord.com"
    error_message = "the frontend calls its environment's API domain"
  }
  assert {
    condition     = render_service.api.env_vars["JWT_SECRET"].generate_value && !contains(keys(render_service.api.env_vars), "GOOGLE_CLIENT_SECRET") && render_service.api.env_vars_wo_version == 1 && render_service.worker.env_vars_wo_version == 1
    error_message = "JWT secret generated by Render; the OAuth secret is passed in write-only (env_vars_wo), never a stored env var"
  }
  assert {
    condition     = render_service.worker.type == "background_worker" && render_service.worker.start_command == "arq app.worker.WorkerSettings"
    error_message = "the worker runs arq"
  }
}

run "bad_domain_is_rejected" {
  command = plan

  variables {
    domain = "https://therobotoverlord.com"
  }

  expect_failures = [var.domain]
}
