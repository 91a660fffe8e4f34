//! The one error type of the emulator's HTTP layer.
//!
//! Every non-2xx response the emulator sends is an [`ApiError`] rendered as the API's
//! error body, `{"code": <int>, "message": "<text>"}` ([`ErrorBody`]). The message is
//! meant for the client; internal detail (I/O errors, poisoned locks) is logged and
//! replaced by a generic message, so a response never leaks the state file's path or a
//! secret.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::ErrorBody;

/// Seconds a 429 response asks the client to wait when no other value was configured.
const DEFAULT_RETRY_AFTER_SECONDS: u64 = 1;

/// An error response: a status, a client-facing message and an optional `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    retry_after_seconds: Option<u64>,
}

impl ApiError {
    /// An error with `status` and `message`. The message must not contain a secret.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after_seconds: None,
        }
    }

    /// 400: the request is malformed or fails validation.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: the bearer token is missing, malformed, unknown, revoked or expired.
    ///
    /// One message for every case, as a real server gives an attacker no hint.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "missing, invalid, revoked or expired bearer token",
        )
    }

    /// 403: authenticated, but not allowed to do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404: the resource (or the route) does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409: the request conflicts with the resource's current state.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 500: something failed inside the emulator. `detail` is logged, never sent.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        log::error!("internal error: {detail}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }

    /// Adds a `Retry-After` header of `seconds` to the response.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message sent in the body.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status.as_u16(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.status.as_u16(),
            message: self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        // The contract promises `Retry-After` on every 429, configured or not.
        let retry_after = match self.retry_after_seconds {
            Some(seconds) => Some(seconds),
            None if self.status == StatusCode::TOO_MANY_REQUESTS => {
                Some(DEFAULT_RETRY_AFTER_SECONDS)
            }
            None => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap_or_default()
    }

    #[tokio::test]
    async fn renders_the_error_body() {
        let response = ApiError::conflict("token already revoked").into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(
            body_of(response).await,
            serde_json::json!({"code": 409, "message": "token already revoked"})
        );
    }

    #[tokio::test]
    async fn too_many_requests_always_has_retry_after() {
        let response = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "slow down").into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let response = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "slow down")
            .with_retry_after(7)
            .into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    }

    #[tokio::test]
    async fn internal_detail_is_not_sent() {
        let response = ApiError::internal("disk /secret/path full").into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_of(response).await;
        assert_eq!(body["message"], "internal error");
    }
}
