variable "repo" {
  description = "Git repository the Blueprint lives in, deployed by vulcan-web, vulcan-orchestrator (e.g. https://github.com/org/app)."
  type        = string
}

variable "desktop_server_url" {
  description = "DESKTOP_SERVER_URL of vulcan-orchestrator (Blueprint `sync: false`: a value you provide)."
  type        = string
  sensitive   = true
}
