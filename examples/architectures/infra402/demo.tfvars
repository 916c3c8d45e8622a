# Example values: `terraform apply -var-file=demo.tfvars` against the paasform emulator.
github_repo  = "acme/infra402"
api_hostname = "api.infra402.example.com"
