resource "r2_bucket" "assets" {
  name = "kirby-assets"
}

# S3 credentials that can read and write objects in that bucket only. Destroy revokes them;
# changing any argument mints new ones (rotation).
resource "r2_credentials" "assets" {
  buckets    = [r2_bucket.assets.name]
  permission = "read_write"
}

# Pass `secret_access_key` on through write-only arguments (e.g. `env_vars_wo`).
output "s3_endpoint" {
  value = r2_credentials.assets.s3_endpoint
}
