# Example values: `terraform apply -var-file=demo.tfvars` against the paasform emulator.
# Never commit real secrets: pass them with TF_VAR_anthropic_api_key etc. instead.
repo_url           = "https://github.com/acme/kirby-gen"
anthropic_api_key  = "sk-ant-demo-not-a-real-key"
web_custom_domains = ["kirby-gen.example.com"]
api_custom_domains = ["api.kirby-gen.example.com"]
# The secrets above are sent write-only (never in state): after changing one, bump this to resend.
secrets_version = 1
