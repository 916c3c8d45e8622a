# Import by environment_id/service_id (Terraform >= 1.12 also: import { identity = { environment_id, service_id } }).
terraform import railway_service_instance.worker_staging 7b1d9c44-2f3e-4a8b-8c6d-5e9f0a1b2c3d/5a7c9e1b-3d5f-4a6b-8c0d-2e4f6a8b0c1d
