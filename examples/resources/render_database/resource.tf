terraform {
  required_providers {
    render = {
      source = "paasform/render"
    }
  }
}

# Postgres 17 and Redis-compatible Key Value, as in the robot-overlord plan. Create waits until the
# instance is `available`, so services referencing the connection strings get usable ones.

resource "render_database" "db" {
  name              = "robot-db"
  plan              = "basic_1gb"
  region            = "oregon"
  version           = "17"
  database_name     = "robot"
  database_user     = "robot"
  disk_size_gb      = 15
  high_availability = false
  ip_allow_list     = [{ cidr_block = "203.0.113.0/24", description = "office" }]

  # Datadog monitoring; the key is write-only (never in state), sent again when the version moves.
  datadog_api_key_wo         = var.datadog_api_key
  datadog_api_key_wo_version = 1
  datadog_site               = "US1"

  timeouts {
    create = "30m"
  }
}

resource "render_database" "redis" {
  engine           = "key_value"
  name             = "robot-redis"
  plan             = "starter"
  region           = "oregon"
  maxmemory_policy = "noeviction"

  # This instance's logs go nowhere, whatever the workspace's log stream (render_log_stream).
  log_stream_override = { setting = "drop" }
}

variable "datadog_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "render_service" "api" {
  type          = "web_service"
  name          = "robot-api"
  runtime       = "python"
  repo          = "https://github.com/example/robot-overlord"
  build_command = "pip install -r requirements.txt"
  start_command = "uvicorn app.main:app --host 0.0.0.0 --port $PORT"

  env_vars = {
    DATABASE_URL = { value = render_database.db.internal_connection_string }
    REDIS_URL    = { value = render_database.redis.internal_connection_string }
  }
}

output "db_host" {
  value = render_database.db.host
}
