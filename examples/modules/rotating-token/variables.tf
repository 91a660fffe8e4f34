variable "description" {
  type        = string
  description = "What the token is for. The rotation key is appended to it."

  validation {
    condition     = length(trimspace(var.description)) > 0 && length(var.description) <= 200
    error_message = "The description must not be blank and must be at most 200 characters (the rotation key is appended)."
  }
}

variable "rotation_key" {
  type        = string
  description = "Any string naming the current rotation period, such as \"2026-11\". Changing it replaces the token."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,40}$", var.rotation_key))
    error_message = "The rotation key must be 1 to 40 letters, digits, dots, dashes or underscores, such as \"2026-11\"."
  }
}

variable "expires_at" {
  type        = string
  description = "Optional hard expiry (RFC 3339), as a safety net should a rotation be missed. Null: never expires."
  default     = null
}
