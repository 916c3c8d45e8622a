# Import by project_id/environment_id/name (Terraform >= 1.12 also: import { identity = { project_id, environment_id, name } }).
terraform import railway_shared_variable.log_level 0f5c2a3e-6d1b-4d7e-9a51-3c9e2b7f1a20/7b1d9c44-2f3e-4a8b-8c6d-5e9f0a1b2c3d/LOG_LEVEL
