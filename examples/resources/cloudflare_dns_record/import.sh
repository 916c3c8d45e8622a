# Import by <zone_id>/<record_id> (Terraform >= 1.12 also: import { identity = { zone_id = "…", id = "…" } }).
# After an import the state holds the fully qualified name and Cloudflare's spelling of the content.
terraform import cloudflare_dns_record.api 023e105f4ecef8ad9ca31a8372d0c353/372e67954025e0ba6aaa6d586b9e0b59
