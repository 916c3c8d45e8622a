# By the project's id and the environment's id or name, optionally prefixed with the team:
terraform import vercel_custom_environment.staging prj_abc123/staging
terraform import vercel_custom_environment.staging team_xyz/prj_abc123/env_def456
