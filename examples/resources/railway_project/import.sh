# Import by project id.
terraform import railway_project.example 0f5c2a3e-6d1b-4d7e-9a51-3c9e2b7f1a20
