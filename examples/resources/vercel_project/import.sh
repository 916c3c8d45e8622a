# By id, by team_id/project_id, or by project name. Values of `sensitive` env vars cannot be read
# back: after import, set them again in the configuration.
terraform import vercel_project.example team_abc123/prj_abc123
