# Import by environment id, or by project_id/environment_id.
terraform import railway_environment.example 0f5c2a3e-6d1b-4d7e-9a51-3c9e2b7f1a20/7b1d9c44-2f3e-4a8b-8c6d-5e9f0a1b2c3d
