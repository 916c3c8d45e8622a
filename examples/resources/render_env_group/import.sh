# An env group, by its id (evg-…). Every variable and secret file is read back.
terraform import render_env_group.shared evg-d0abc123def456ghi789
