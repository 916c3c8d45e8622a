# Plan-level checks with a mocked Vercel provider: runs anywhere, no emulator, no credentials.
#   terraform test -filter=tests/plan.tftest.hcl

mock_provider "cloudflare" {
  mock_data "cloudflare_zone" {
    defaults = {
      id = "0123456789abcdef0123456789abcdef"
    }
  }
}

mock_provider "vercel" {
  mock_resource "vercel_project" {
    defaults = {
      id = "prj_mock"
    }
  }
}

variables {
  github_repo  = "acme/infra402"
  api_hostname = "api.infra402.example.com"
}

run "frontend_follows_the_plan" {
  command = plan

  assert {
    condition     = vercel_project.frontend.framework == "vite" && vercel_project.frontend.root_directory == "frontend"
    error_message = "the frontend must be the Vite app in frontend/"
  }
  assert {
    condition     = vercel_project.frontend.build_command == "pnpm build" && vercel_project.frontend.output_directory == "dist"
    error_message = "the build must be `pnpm build` publishing dist/"
  }
  assert {
    condition     = vercel_project.frontend.node_version == "18.x"
    error_message = "the plan pins Node 18"
  }
  assert {
    condition     = vercel_project.frontend.git_repository.repo == "acme/infra402"
    error_message = "the project must be linked to the repository"
  }
}

run "tunnel_url_reaches_the_build" {
  command = plan

  assert {
    condition = anytrue([
      for e in vercel_project.frontend.environment :
      e.key == "VITE_CHAT_API_BASE" && e.value == "https://api.infra402.example.com" && contains(e.target, "production")
    ])
    error_message = "VITE_CHAT_API_BASE must carry the Cloudflare Tunnel URL to production"
  }
  assert {
    condition     = output.backend_cors_origin == "https://infra402.vercel.app"
    error_message = "the CORS origin for the local backend is the Vercel domain"
  }
}

run "the_api_hostname_is_a_proxied_cname_in_its_zone" {
  command = plan

  assert {
    condition     = data.cloudflare_zone.site.name == "infra402.example.com"
    error_message = "the zone defaults to the API hostname without its first label"
  }
  assert {
    condition     = cloudflare_dns_record.api.type == "CNAME" && cloudflare_dns_record.api.proxied && cloudflare_dns_record.api.name == "api.infra402.example.com"
    error_message = "api_hostname must be a proxied CNAME"
  }
}

run "extra_environment_is_merged" {
  command = plan

  variables {
    extra_environment = { VITE_FEATURE_X = "on" }
    chat_api_targets  = ["production"]
  }

  assert {
    condition     = length(vercel_project.frontend.environment) == 2
    error_message = "the extra variable is added next to VITE_CHAT_API_BASE"
  }
  assert {
    condition     = alltrue([for e in vercel_project.frontend.environment : e.target == toset(["production"])])
    error_message = "every variable goes to the chosen targets"
  }
}

run "a_tunnel_url_must_be_https" {
  command = plan

  variables {
    api_hostname = "https://api.infra402.example.com"
  }

  expect_failures = [var.api_hostname]
}
