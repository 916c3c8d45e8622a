# Look a service up by id…
data "render_service" "api" {
  id = "srv-d0abc123example"
}

# …or by name. Render does not keep names unique: a name two services share is an error.
data "render_service" "worker" {
  name = "billing-worker"
}

output "api_host" {
  value = data.render_service.api.host
}
