# Example values: `terraform apply -var-file=demo.tfvars` against the paasform emulator.
# Never commit real secrets: pass them with TF_VAR_supabase_service_key etc. instead.
github_repo           = "acme/codewarden"
supabase_url          = "https://xyz.supabase.co"
supabase_service_key  = "demo-service-role-key"
supabase_database_url = "postgresql://postgres:demo@db.xyz.supabase.co:5432/postgres"
upstash_redis_url     = "rediss://default:demo@eu1-demo.upstash.io:6379"
openobserve = {
  url          = "https://api.openobserve.ai"
  organization = "codewarden"
  user         = "ingest@codewarden.io"
}
openobserve_password = "demo-password"
openai_api_key       = "sk-demo"
litellm_master_key   = "sk-litellm-demo"
api_domain           = "api.codewarden.io"
dashboard_domain     = "app.codewarden.io"
# The secrets above are sent write-only (never in state): after changing one, bump this to resend.
secrets_version = 1
