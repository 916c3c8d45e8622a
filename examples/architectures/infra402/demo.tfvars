# Example values: `terraform apply -var-file=demo.tfvars` against the paasform emulator.
github_repo       = "acme/infra402"
chat_api_base_url = "https://api.infra402.example.com"
