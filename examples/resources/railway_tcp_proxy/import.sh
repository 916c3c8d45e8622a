# Import by environment_id/service_id/proxy_id (Terraform >= 1.12 also: import { identity = { environment_id, service_id, id } }).
terraform import railway_tcp_proxy.postgres 7b1d9c44-2f3e-4a8b-8c6d-5e9f0a1b2c3d/5a7c9e1b-3d5f-4a6b-8c0d-2e4f6a8b0c1d/9e1f3a5b-7c9d-4e0f-a1b2-c3d4e5f6a7b8
