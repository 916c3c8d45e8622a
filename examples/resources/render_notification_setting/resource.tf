terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# The workspace's notification settings (one per workspace). Email only on failures of
# production services; preview environments stay quiet. Destroying this resource puts back a new
# workspace's values (email on, failures, no previews).
resource "render_notification_setting" "workspace" {
  email_enabled                 = true
  notifications_to_send         = "failure"
  preview_notifications_enabled = false
}
