# A bucket made elsewhere (another stack, the dashboard): read where it lives.
data "r2_bucket" "assets" {
  name = "kirby-gen-assets"
}

output "assets_location" {
  value = data.r2_bucket.assets.location
}
