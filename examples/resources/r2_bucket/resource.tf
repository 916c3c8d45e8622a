terraform {
  required_providers {
    r2 = {
      source = "paasform/r2"
    }
  }
}

variable "bucket_name" {
  type    = string
  default = "soc2-evidence-exports"
}

resource "r2_bucket" "example" {
  name          = var.bucket_name
  location      = "enam"
  storage_class = "Standard"

  cors = [{
    allowed = {
      origins = ["https://dashboard.example.com"]
      methods = ["GET", "PUT"]
    }
    max_age_seconds = 3600
  }]

  lifecycle_rules = [{
    id                                 = "expire-exports"
    prefix                             = "exports/"
    delete_objects_after_days          = 400
    abort_multipart_uploads_after_days = 7
  }]
}

output "bucket" {
  value = r2_bucket.example.id
}
