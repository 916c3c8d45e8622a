# Generated from a Render Blueprint by `terraform-provider-paasform blueprint`: 4 service(s), 2 database(s).
# Review the converter's warnings: they name what the Blueprint says that this module does not.

resource "render_service" "kirby_gen_web" {
  type          = "static_site"
  name          = "kirby-gen-web"
  repo          = var.repo
  build_command = "cd packages/web && npm install && npm run build"
  publish_path  = "packages/web/dist"
  env_vars = {
    VITE_API_URL = { value = "https://kirby-gen-api.onrender.com" }
    VITE_WS_URL  = { value = "wss://kirby-gen-api.onrender.com" }
  }
}

resource "render_service" "kirby_gen_api" {
  type              = "web_service"
  name              = "kirby-gen-api"
  runtime           = "node"
  repo              = var.repo
  auto_deploy       = true
  build_command     = "cd packages/api && npm install && npm run build"
  start_command     = "cd packages/api && npm start"
  health_check_path = "/api/health"
  env_vars = {
    NODE_ENV             = { value = "production" }
    PORT                 = { value = "3000" }
    DATABASE_URL         = { value = render_database.kirby_gen_db.internal_connection_string }
    REDIS_URL            = { value = render_database.kirby_gen_redis.internal_connection_string }
    CLAUDE_API_KEY       = { value = var.claude_api_key }
    S3_ENDPOINT          = { value = var.s3_endpoint }
    S3_BUCKET            = { value = var.s3_bucket }
    S3_ACCESS_KEY_ID     = { value = var.s3_access_key_id }
    S3_SECRET_ACCESS_KEY = { value = var.s3_secret_access_key }
    JWT_SECRET           = { generate_value = true }
    SESSION_SECRET       = { generate_value = true }
    SKILLS_BASE_URL      = { value = "http://${render_service.kirby_gen_skills.host}:10000" }
  }
}

resource "render_service" "kirby_gen_skills" {
  type          = "private_service"
  name          = "kirby-gen-skills"
  runtime       = "python"
  repo          = var.repo
  build_command = "cd packages/skills && pip install -r requirements.txt"
  start_command = "cd packages/skills && uvicorn src.main:app --host 0.0.0.0 --port $PORT"
  env_vars = {
    ANTHROPIC_API_KEY = { value = var.anthropic_api_key }
  }
}

resource "render_service" "kirby_gen_worker" {
  type          = "background_worker"
  name          = "kirby-gen-worker"
  runtime       = "node"
  repo          = var.repo
  build_command = "cd packages/api && npm install && npm run build"
  start_command = "cd packages/api && npm run worker"
  env_vars = {
    NODE_ENV             = { value = "production" }
    DATABASE_URL         = { value = render_database.kirby_gen_db.internal_connection_string }
    REDIS_URL            = { value = render_database.kirby_gen_redis.internal_connection_string }
    CLAUDE_API_KEY       = { value = var.claude_api_key }
    S3_ENDPOINT          = { value = var.s3_endpoint }
    S3_BUCKET            = { value = var.s3_bucket }
    S3_ACCESS_KEY_ID     = { value = var.s3_access_key_id }
    S3_SECRET_ACCESS_KEY = { value = var.s3_secret_access_key }
    SKILLS_BASE_URL      = { value = "http://${render_service.kirby_gen_skills.host}:10000" }
  }
}

resource "render_database" "kirby_gen_db" {
  engine        = "postgres"
  name          = "kirby-gen-db"
  plan          = "standard"
  database_name = "kirby_gen"
}

resource "render_database" "kirby_gen_redis" {
  engine = "postgres"
  name   = "kirby-gen-redis"
  plan   = "standard"
}
