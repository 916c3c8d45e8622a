# <account_id>/<bucket_name>, or <account_id>/<jurisdiction>/<bucket_name> for eu / fedramp buckets.
terraform import r2_bucket.example 023e105f4ecef8ad9ca31a8372d0c353/soc2-evidence-exports
# The official cloudflare_r2_bucket's form, <account_id>/<bucket_name>/<jurisdiction>, works too.
terraform import r2_bucket.example 023e105f4ecef8ad9ca31a8372d0c353/soc2-evidence-exports/eu
