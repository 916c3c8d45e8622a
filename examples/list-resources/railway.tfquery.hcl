# `terraform query` over every Railway project the token sees (needs provider "railway").
list "railway_project" "all" {
  provider         = railway
  include_resource = true
}

list "railway_environment" "all" {
  provider         = railway
  include_resource = true
}

list "railway_service" "all" {
  provider         = railway
  include_resource = true
}

list "railway_shared_variable" "all" {
  provider         = railway
  include_resource = true
  # Values are sensitive: the generated file has `value = null # sensitive`; supply them.
}
