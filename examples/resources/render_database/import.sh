# Import by id: the engine comes from the prefix (dpg-… Postgres, red-… Key Value).
terraform import render_database.db dpg-abc123
terraform import render_database.redis red-abc123
