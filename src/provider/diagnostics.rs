//! Diagnostic constructors shared by the provider's resources and data sources.

use crate::framework::diag::Diagnostic;

use super::client::{ClientError, ClientErrorKind};

/// "Error {Doing Something}" with what failed, what to do, and the client
/// error (HTTP status and the API's message; never a secret).
pub(crate) fn api_error(summary: &str, error: &ClientError) -> Diagnostic {
    let advice = match error.status() {
        Some(401) => {
            " The management token was refused: check the provider's `token` (or INFLUXDB3_TOKEN); \
             it may be revoked or expired."
        }
        Some(403) => " The management token is not allowed to do this.",
        Some(429) => " The API kept rate-limiting the requests; try again later.",
        Some(status) if status >= 500 => " The API had a server error; try again later.",
        _ if error.is_cancelled() => " Terraform asked the provider to stop.",
        None => match error.kind() {
            ClientErrorKind::Connect { .. } | ClientErrorKind::Timeout { .. } => {
                " Check the provider's `url` (or INFLUXDB3_URL) and that the API is reachable from here."
            }
            ClientErrorKind::Unconfirmed { .. } => {
                " Check that the provider's `url` (or INFLUXDB3_URL) and `account_id` point at the \
                 management API that issued the token, then run the command again, or revoke the \
                 token with `influxctl management revoke`."
            }
            ClientErrorKind::Tls { .. } => {
                " The server's certificate was not trusted: check the provider's `url`, or set \
                 `ca_certificate` for an API behind a private CA."
            }
            _ => "",
        },
        _ => "",
    };
    Diagnostic::error(summary, format!("{error}.{advice}"))
}

/// [`api_error`] for the `/api/v3` API of InfluxDB 3 Core and Enterprise, whose
/// provider authenticates with an admin token and names its server in `host`.
pub(crate) fn self_hosted_api_error(summary: &str, error: &ClientError) -> Diagnostic {
    let advice = match (error.status(), error.kind()) {
        (Some(401), _) => {
            " The admin token was refused: check the provider's `token` (or INFLUXDB3_TOKEN); \
             it may be deleted or expired."
        }
        (Some(403), _) => " The provider's token is not an admin token: use an admin token.",
        (None, ClientErrorKind::Connect { .. } | ClientErrorKind::Timeout { .. }) => {
            " Check the provider's `host` (or INFLUXDB3_HOST_URL) and that the server is \
             reachable from here."
        }
        _ => return api_error(summary, error),
    };
    Diagnostic::error(summary, format!("{error}.{advice}"))
}

/// The provider has no client in this phase because its configuration is not
/// known yet.
pub(crate) fn configuration_not_known(summary: &str) -> Diagnostic {
    Diagnostic::error(
        summary,
        "The provider configuration depends on values that are not known yet, so the \
         management API cannot be called. Apply the resources it depends on first \
         (for example with -target).",
    )
}
