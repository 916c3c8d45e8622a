terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# A database managed elsewhere (another Terraform root, or the dashboard), looked up by id...
data "render_database" "shared" {
  id = "dpg-d0abc123def456ghi789"
}

# ...or by name and engine. Render names are not unique: two instances with this name is an
# error (look it up by id then).
data "render_database" "cache" {
  name   = "robot-redis"
  engine = "key_value"
}

output "shared_plan" {
  value = data.render_database.shared.plan
}

output "cache_url" {
  value     = data.render_database.cache.internal_connection_string
  sensitive = true
}
