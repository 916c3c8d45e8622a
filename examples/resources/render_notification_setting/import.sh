# Import by workspace id (Terraform >= 1.12 also: import { identity = { owner_id = "tea-…" } }).
terraform import render_notification_setting.workspace tea-cmq6t3hbqr8s73d7t5a0
