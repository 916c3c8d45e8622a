# Import by workspace id (Terraform >= 1.12 also: import { identity = { owner_id = "tea-…" } }).
# Render never returns the token: the first apply after an import sends it once.
terraform import render_log_stream.workspace tea-cmq6t3hbqr8s73d7t5a0
