//! What the cluster-scoped operations (databases, tables, database tokens) share:
//! the path prefix, path-segment encoding, status and body handling.

use serde::de::DeserializeOwned;

use super::transport::Response;
use super::{ClientError, ClientErrorKind, ManagementApiClient};

/// What a delete found. Both mean the object is gone, which is what a destroy wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The object existed and is now deleted (HTTP 204).
    Deleted,
    /// The API knows no such object (HTTP 404): deleted before, or never created.
    NotFound,
}

impl ManagementApiClient {
    /// The path of the cluster's resources: `/accounts/{a}/clusters/{c}` on Cloud
    /// Dedicated, empty on Clustered. Fails, naming `cluster_id` and
    /// `INFLUXDB3_CLUSTER_ID`, when Cloud Dedicated has no cluster id.
    pub(super) fn cluster_path(&self, operation: &'static str) -> Result<String, ClientError> {
        match (self.inner.account_id, self.inner.cluster_id) {
            (Some(account), Some(cluster)) => Ok(format!("/accounts/{account}/clusters/{cluster}")),
            (Some(_), None) => Err(ClientError::invalid_config(format!(
                "cannot {operation}: databases and database tokens belong to a cluster, so \
                 InfluxDB 3 Cloud Dedicated needs a cluster id: set the provider's `cluster_id` \
                 argument or the INFLUXDB3_CLUSTER_ID environment variable"
            ))),
            (None, _) => Ok(String::new()),
        }
    }
}

/// `text` as one URL path segment: every byte but the unreserved characters of
/// RFC 3986 percent-encoded, so a database name with `/` stays one segment.
pub(super) fn path_segment(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

pub(super) fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Encodes a request body.
pub(super) fn encode(
    operation: &'static str,
    body: &impl serde::Serialize,
) -> Result<Vec<u8>, ClientError> {
    serde_json::to_vec(body).map_err(|e| {
        ClientError::invalid_config(format!("cannot encode the request to {operation}: {e}"))
    })
}

/// Decodes a success body. The error never quotes the body, which may hold a secret.
pub(super) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    response: &Response,
    what: &str,
) -> Result<T, ClientError> {
    serde_json::from_slice(&response.body).map_err(|e| {
        invalid_response(
            operation,
            response,
            format!(
                "the HTTP {} body is not {what} ({:?} error at line {}, column {})",
                response.status,
                e.classify(),
                e.line(),
                e.column()
            ),
        )
    })
}

pub(super) fn invalid_response(
    operation: &'static str,
    response: &Response,
    message: String,
) -> ClientError {
    ClientError::new(
        ClientErrorKind::InvalidResponse { operation, message },
        response.attempts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(path_segment("metrics"), "metrics");
        assert_eq!(path_segment("logs/app"), "logs%2Fapp");
        assert_eq!(path_segment("a b?#%"), "a%20b%3F%23%25");
        assert_eq!(path_segment("plátanos"), "pl%C3%A1tanos");
    }
}
