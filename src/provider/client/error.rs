//! The client's error type.
//!
//! Every message here may end up in a Terraform diagnostic, so the rule is strict: an
//! error never carries a secret. Not the bearer token the client authenticates with,
//! not an `accessToken` from a create response, and no response body of a successful
//! request. Messages are built from status codes, API error messages (already
//! scrubbed of the bearer token by the transport) and transport error descriptions
//! whose URLs have their query string, user name and password removed.

use std::fmt;

use crate::api::ManagementToken;

/// Why a request to the management API failed.
///
/// `operation` is a human phrase such as `"create management token"`, so that a
/// caller can render "Could not create management token: ..." without knowing which
/// operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientErrorKind {
    /// The API answered with a status the operation does not accept.
    #[error("could not {operation}: HTTP {status}{}{}", reason_suffix(*status), message_suffix(message))]
    Api {
        /// What the client was doing.
        operation: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The API's error message (`ErrorBody::message`), or a short excerpt of a
        /// non-JSON error body; empty when there was none.
        message: String,
    },
    /// No response arrived within the per-attempt request timeout (or what was left
    /// of the total retry budget).
    #[error("could not {operation}: the request timed out")]
    Timeout {
        /// What the client was doing.
        operation: &'static str,
    },
    /// The connection could not be made, or was lost before a response arrived.
    #[error("could not {operation}: {message}")]
    Connect {
        /// What the client was doing.
        operation: &'static str,
        /// What went wrong, including the URL without its query string.
        message: String,
    },
    /// The TLS handshake failed, typically because the server certificate is not
    /// trusted (a private CA that needs a CA bundle). Not retried.
    #[error("could not {operation}: TLS handshake failed: {message}")]
    Tls {
        /// What the client was doing.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The request was abandoned because the provider is stopping.
    #[error("could not {operation}: cancelled because the provider is stopping")]
    Cancelled {
        /// What the client was doing.
        operation: &'static str,
    },
    /// The API answered with a success status but a body the client cannot use.
    #[error("could not {operation}: invalid response from the management API: {message}")]
    InvalidResponse {
        /// What the client was doing.
        operation: &'static str,
        /// What is wrong with it; never quotes the body.
        message: String,
    },
    /// The response body exceeded [`MAX_RESPONSE_BYTES`](super::MAX_RESPONSE_BYTES).
    #[error(
        "could not {operation}: the response body exceeds the limit of {} bytes",
        super::MAX_RESPONSE_BYTES
    )]
    ResponseTooLarge {
        /// What the client was doing.
        operation: &'static str,
    },
    /// The answer could not be confirmed to be the API's own, or contradicts
    /// what the API says elsewhere (a 404 to a revoke from a proxy, or while
    /// the token list still shows the token active).
    #[error("could not {operation}: {message}")]
    Unconfirmed {
        /// What the client was doing.
        operation: &'static str,
        /// What answered and what does not add up; never a secret.
        message: String,
    },
    /// The [`ClientConfig`](super::ClientConfig) cannot be used.
    #[error("invalid management API client configuration: {message}")]
    InvalidConfig {
        /// What is wrong with it.
        message: String,
    },
}

/// `HTTP 404 Not Found`, or `HTTP 599` for a status without a reason phrase.
pub(super) fn status_text(status: u16) -> String {
    format!("HTTP {status}{}", reason_suffix(status))
}

fn reason_suffix(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .map(|reason| format!(" {reason}"))
        .unwrap_or_default()
}

fn message_suffix(message: &str) -> String {
    if message.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", message.trim())
    }
}

/// An error from [`ManagementApiClient`](super::ManagementApiClient).
///
/// The `Display` text is lowercase without a trailing period, never contains a
/// secret, and mentions the number of attempts when the client retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    kind: ClientErrorKind,
    attempts: u32,
    /// Some request of the operation went out and no usable answer came back,
    /// so the server may have carried it out.
    outcome_unknown: bool,
    /// A create the API committed and described, whose secret never reached
    /// the client.
    created_without_secret: Option<Box<ManagementToken>>,
}

impl ClientError {
    /// An error after `attempts` requests (0 when none was sent).
    pub(crate) fn new(kind: ClientErrorKind, attempts: u32) -> Self {
        Self {
            kind,
            attempts,
            outcome_unknown: false,
            created_without_secret: None,
        }
    }

    /// Marks that some request of the operation may have been carried out unseen.
    pub(crate) fn with_outcome_unknown(mut self, outcome_unknown: bool) -> Self {
        self.outcome_unknown = outcome_unknown;
        self
    }

    /// Records the token a create committed without its secret reaching us.
    pub(crate) fn with_created_without_secret(mut self, token: ManagementToken) -> Self {
        self.created_without_secret = Some(Box::new(token));
        self.outcome_unknown = true;
        self
    }

    /// Whether some request of the operation went out without a usable answer
    /// coming back (lost, timed out, cut short, unparseable or too large even
    /// though its status was a success), on any attempt, not only the last:
    /// the server may have carried it out (a create may have minted a token).
    pub fn outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }

    /// The token a create is known to have minted although its secret never
    /// reached the client (a success body without `accessToken`). Such a token
    /// must be recorded so that it can be revoked. It carries no secret.
    pub fn created_without_secret(&self) -> Option<&ManagementToken> {
        self.created_without_secret.as_deref()
    }

    /// An [`ClientErrorKind::InvalidConfig`] error.
    pub(crate) fn invalid_config(message: impl Into<String>) -> Self {
        Self::new(
            ClientErrorKind::InvalidConfig {
                message: message.into(),
            },
            0,
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> &ClientErrorKind {
        &self.kind
    }

    /// Consumes the error and returns its kind.
    pub fn into_kind(self) -> ClientErrorKind {
        self.kind
    }

    /// The HTTP status of an [`ClientErrorKind::Api`] error.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ClientErrorKind::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the API rejected the bearer token (HTTP 401): missing, invalid,
    /// revoked or expired.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// Whether the request was abandoned because the provider is stopping.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.kind, ClientErrorKind::Cancelled { .. })
    }

    /// The operation that failed, e.g. `"create management token"`; `None` for a
    /// configuration error.
    pub fn operation(&self) -> Option<&'static str> {
        match &self.kind {
            ClientErrorKind::Api { operation, .. }
            | ClientErrorKind::Timeout { operation }
            | ClientErrorKind::Connect { operation, .. }
            | ClientErrorKind::Tls { operation, .. }
            | ClientErrorKind::Cancelled { operation }
            | ClientErrorKind::InvalidResponse { operation, .. }
            | ClientErrorKind::Unconfirmed { operation, .. }
            | ClientErrorKind::ResponseTooLarge { operation } => Some(operation),
            ClientErrorKind::InvalidConfig { .. } => None,
        }
    }

    /// How many HTTP requests were sent for the operation, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ClientError {}

impl From<ClientErrorKind> for ClientError {
    fn from(kind: ClientErrorKind) -> Self {
        Self::new(kind, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: &str = "create management token";

    fn all_kinds() -> Vec<ClientErrorKind> {
        vec![
            ClientErrorKind::Api {
                operation: OP,
                status: 401,
                message: "invalid token".into(),
            },
            ClientErrorKind::Api {
                operation: OP,
                status: 599,
                message: String::new(),
            },
            ClientErrorKind::Timeout { operation: OP },
            ClientErrorKind::Connect {
                operation: OP,
                message: "cannot reach http://127.0.0.1:1/api/v0/management-tokens: refused".into(),
            },
            ClientErrorKind::Tls {
                operation: OP,
                message: "invalid peer certificate: UnknownIssuer".into(),
            },
            ClientErrorKind::Cancelled { operation: OP },
            ClientErrorKind::InvalidResponse {
                operation: OP,
                message: "data error at line 1, column 3".into(),
            },
            ClientErrorKind::ResponseTooLarge { operation: OP },
            ClientErrorKind::Unconfirmed {
                operation: OP,
                message: "the answer was HTTP 404 Not Found with content type \"text/plain\""
                    .into(),
            },
            ClientErrorKind::InvalidConfig {
                message: "plain http is only allowed for loopback hosts".into(),
            },
        ]
    }

    #[test]
    fn display_is_lowercase_without_trailing_period() {
        for kind in all_kinds() {
            for attempts in [0, 1, 3] {
                let text = ClientError::new(kind.clone(), attempts).to_string();
                let first = text.chars().next().unwrap();
                assert!(first.is_lowercase(), "{text}");
                assert!(!text.ends_with('.'), "{text}");
            }
        }
    }

    #[test]
    fn api_error_reads_like_a_diagnostic() {
        let error = ClientError::new(all_kinds().remove(0), 1);
        assert_eq!(
            error.to_string(),
            "could not create management token: HTTP 401 Unauthorized: invalid token"
        );
        assert_eq!(error.status(), Some(401));
        assert!(error.is_unauthorized());
        assert_eq!(error.operation(), Some(OP));

        let unknown = ClientError::new(all_kinds().remove(1), 1);
        assert_eq!(
            unknown.to_string(),
            "could not create management token: HTTP 599"
        );
        assert!(!unknown.is_unauthorized());
    }

    #[test]
    fn attempts_are_mentioned_only_after_retries() {
        let timeout = ClientErrorKind::Timeout { operation: OP };
        assert_eq!(
            ClientError::new(timeout.clone(), 1).to_string(),
            "could not create management token: the request timed out"
        );
        assert_eq!(
            ClientError::new(timeout, 5).to_string(),
            "could not create management token: the request timed out (after 5 attempts)"
        );
    }

    #[test]
    fn accessors() {
        let cancelled = ClientError::new(ClientErrorKind::Cancelled { operation: OP }, 2);
        assert!(cancelled.is_cancelled());
        assert_eq!(cancelled.status(), None);
        assert_eq!(cancelled.attempts(), 2);
        let config = ClientError::invalid_config("bad");
        assert_eq!(config.operation(), None);
        assert_eq!(
            config.to_string(),
            "invalid management API client configuration: bad"
        );
        assert!(matches!(
            config.into_kind(),
            ClientErrorKind::InvalidConfig { .. }
        ));
    }
}
