# `terraform query` over the provider's Vercel team (needs provider "vercel" in main.tf).
list "vercel_project" "all" {
  provider         = vercel
  include_resource = true
}

list "vercel_project_domain" "all" {
  provider         = vercel
  include_resource = true
  # config { project_id = "shop-web" }   # default: every project's domains
}

list "vercel_custom_environment" "all" {
  provider         = vercel
  include_resource = true
}
