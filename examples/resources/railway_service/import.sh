# Import by service id (settings of the project's production environment), by
# project_id/service_id, or by project_id/environment_id/service_id. Write-only variables and
# registry credentials cannot be read back: set them again in the configuration.
terraform import railway_service.api 0f5c2a3e-6d1b-4d7e-9a51-3c9e2b7f1a20/7b1d9c44-2f3e-4a8b-8c6d-5e9f0a1b2c3d/a3c5e7f9-1b2d-4f6a-8c0e-2d4f6a8c0e1b
