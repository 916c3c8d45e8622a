variable "repo" {
  description = "Git repository the Blueprint lives in, deployed by kirby-gen-web, kirby-gen-api, kirby-gen-skills, kirby-gen-worker (e.g. https://github.com/org/app)."
  type        = string
}

variable "claude_api_key" {
  description = "CLAUDE_API_KEY of kirby-gen-api, kirby-gen-worker (Blueprint `sync: false`: a value you provide)."
  type        = string
  sensitive   = true
}

variable "s3_endpoint" {
  description = "S3_ENDPOINT of kirby-gen-api, kirby-gen-worker (Blueprint `sync: false`: a value you provide)."
  type        = string
  sensitive   = true
}

variable "s3_bucket" {
  description = "S3_BUCKET of kirby-gen-api, kirby-gen-worker (Blueprint `sync: false`: a value you provide)."
  type        = string
  sensitive   = true
}

variable "s3_access_key_id" {
  description = "S3_ACCESS_KEY_ID of kirby-gen-api, kirby-gen-worker (Blueprint `sync: false`: a value you provide)."
  type        = string
  sensitive   = true
}

variable "s3_secret_access_key" {
  description = "S3_SECRET_ACCESS_KEY of kirby-gen-api, kirby-gen-worker (Blueprint `sync: false`: a value you provide)."
  type        = string
  sensitive   = true
}

variable "anthropic_api_key" {
  description = "ANTHROPIC_API_KEY of kirby-gen-skills (Blueprint `sync: false`: a value you provide)."
  type        = string
  sensitive   = true
}
