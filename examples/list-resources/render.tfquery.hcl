# `terraform query` (Terraform >= 1.14) over a whole Render workspace.
# Run:  terraform query                                   # list
#       terraform query -generate-config-out=generated.tf # import + resource blocks
list "render_project" "all" {
  provider         = render
  include_resource = true
}

list "render_service" "all" {
  provider         = render
  include_resource = true
  config {
    name_prefix = "kirby-"   # optional: also `type` and `environment_id`
  }
}

list "render_database" "all" {
  provider         = render
  include_resource = true
  config {
    type = "postgres" # or "key_value"; leave out for both
  }
}

list "render_env_group" "all" {
  provider         = render
  include_resource = true
}

list "render_env_group_link" "all" {
  provider         = render
  include_resource = true
}
