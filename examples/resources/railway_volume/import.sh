# Import by environment_id/volume_id (Terraform >= 1.12 also: import { identity = { environment_id, id } }).
terraform import railway_volume.pgdata 7b1d9c44-2f3e-4a8b-8c6d-5e9f0a1b2c3d/2c4e6a80-1b3d-4f5a-9c7e-0d2f4b6a8c1e
