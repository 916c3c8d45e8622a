# The links of an env group, by the group id (evg-…).
terraform import render_env_group_link.shared evg-d0abc123def456ghi789
