# Example values: `terraform apply -var-file=demo.tfvars` against the paasform emulator.
# Never commit real secrets: pass them with TF_VAR_google_oauth_client_secret instead.
repo_url                   = "https://github.com/acme/robot-overlord"
domain                     = "therobotoverlord.com"
google_oauth_client_id     = "1234567890-demo.apps.googleusercontent.com"
google_oauth_client_secret = "demo-client-secret"
# The secrets above are sent write-only (never in state): after changing one, bump this to resend.
secrets_version = 1
