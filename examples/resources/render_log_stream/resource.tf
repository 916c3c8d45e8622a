terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

variable "log_token" {
  type      = string
  sensitive = true
}

# Stream every service's and database's logs to a syslog drain (e.g. Better Stack or Papertrail);
# previews' logs are dropped. The token is write-only (Terraform >= 1.11): never stored in state;
# bump the version to send a rotated one.
resource "render_log_stream" "workspace" {
  endpoint         = "in.logs.betterstack.com:6514"
  preview          = "drop"
  token_wo         = var.log_token
  token_wo_version = 1
}
