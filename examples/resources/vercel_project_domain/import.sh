# <project_id>/<domain>, or <team_id>/<project_id>/<domain> for a team's project.
terraform import vercel_project_domain.app team_abc123/prj_abc123/app.codewarden.io
# `wait_for_verification` only steers a create and is not imported: it reads back as false.
