# Example values: `terraform apply -var-file=demo.tfvars` against the paasform emulator.
repo_url           = "https://github.com/acme/vulcan"
desktop_server_url = "http://100.101.102.103:8000"
