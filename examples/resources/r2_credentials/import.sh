# <account_id>/<token_id>; the secret access key is only known at create, so it stays null.
terraform import r2_credentials.assets 023e105f4ecef8ad9ca31a8372d0c353/ed17574386854bf78a67040be0a770b0
