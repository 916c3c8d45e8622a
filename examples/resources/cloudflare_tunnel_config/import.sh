# <account_id>/<tunnel_id>
terraform import cloudflare_tunnel_config.mac 023e105f4ecef8ad9ca31a8372d0c353/f70ff985-a4ef-4643-bbbc-4a0ed4fc8415
