# Import by service id (srv-… or crn-…). Env vars, secret files and custom domains are read from
# Render; entries configured with `generate_value = true` show a one-time, state-only update
# (Render cannot tell which values it generated).
terraform import render_service.api srv-abc123
