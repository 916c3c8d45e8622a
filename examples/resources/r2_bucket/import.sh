# <account_id>/<bucket_name>, or <account_id>/<jurisdiction>/<bucket_name> for eu / fedramp buckets.
terraform import r2_bucket.example 023e105f4ecef8ad9ca31a8372d0c353/soc2-evidence-exports
