# Import by id (Terraform >= 1.12 also: import { identity = { id = "rgc-…" } }). Render never returns the token:
# the first apply after an import sends it once, then the plan is empty.
terraform import render_registry_credential.ghcr rgc-cmq6t3hbqr8s73d7t5a0
