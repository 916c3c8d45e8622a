# A Render project, by its id (prj-…). Environments come back keyed by their names, so key
# the `environments` map by name for a plan without changes.
terraform import render_project.robot prj-d0abc123def456ghi789
