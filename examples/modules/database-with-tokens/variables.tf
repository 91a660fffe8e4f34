variable "name" {
  description = "The database name: 1 to 64 characters of letters, digits, _, - and /, starting with a letter or a digit."
  type        = string
}

variable "retention_period" {
  description = "How long the database keeps data, such as \"30d\"; \"0s\" keeps it forever."
  type        = string
  default     = "30d"
}
