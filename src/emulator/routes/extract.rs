//! Extractors whose rejections are [`ApiError`]s, so that every failure, even a
//! malformed request, gets the API's JSON error body.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use chrono::Utc;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::api::IDEMPOTENCY_KEY_HEADER;
use crate::emulator::store::Identity;
use crate::emulator::{ApiError, EmulatorState, Flavor};

/// The longest `Idempotency-Key` accepted.
const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// The identity of a request's bearer token; 401 when there is none that is valid.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller(pub(crate) Identity);

impl FromRequestParts<EmulatorState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &EmulatorState,
    ) -> Result<Self, ApiError> {
        let secret = bearer_token(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        state
            .read(|store| store.authenticate(secret, Utc::now()))
            .map(Caller)
            .ok_or_else(ApiError::unauthorized)
    }
}

/// A request authenticated with the bootstrap token: 401 without a valid token, 403
/// with a minted one. Guards the `/_emulator/` controls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BootstrapCaller;

impl FromRequestParts<EmulatorState> for BootstrapCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &EmulatorState,
    ) -> Result<Self, ApiError> {
        match Caller::from_request_parts(parts, state).await? {
            Caller(Identity::Bootstrap) => Ok(BootstrapCaller),
            Caller(_) => Err(ApiError::forbidden(
                "emulator controls need the bootstrap token",
            )),
        }
    }
}

/// The path parameters of an API route, with the account and cluster (Cloud Dedicated
/// form) already checked: 404 when they are not this emulator's.
#[derive(Debug, Clone)]
pub(crate) struct ResourcePath(HashMap<String, String>);

impl ResourcePath {
    /// The UUID in parameter `name`; `not_found()` when absent or malformed, since a
    /// malformed id names no resource.
    pub(crate) fn uuid(&self, name: &str, not_found: fn() -> ApiError) -> Result<Uuid, ApiError> {
        self.0
            .get(name)
            .and_then(|value| Uuid::parse_str(value).ok())
            .ok_or_else(not_found)
    }

    /// The text of parameter `name` (percent-decoded); `not_found()` when absent.
    pub(crate) fn text(&self, name: &str, not_found: fn() -> ApiError) -> Result<&str, ApiError> {
        self.0.get(name).map(String::as_str).ok_or_else(not_found)
    }
}

impl FromRequestParts<EmulatorState> for ResourcePath {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &EmulatorState,
    ) -> Result<Self, ApiError> {
        // Routes without parameters have nothing to extract; that is not an error.
        let params = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Path(params)| params)
            .unwrap_or_default();
        let path = ResourcePath(params);
        if state.flavor() == Flavor::CloudDedicated {
            let account_id = path.uuid("account_id", account_not_found)?;
            if account_id != state.account_id() {
                return Err(account_not_found());
            }
            // Databases and database tokens belong to a cluster of the account.
            if path.0.contains_key("cluster_id") {
                let cluster_id = path.uuid("cluster_id", cluster_not_found)?;
                if cluster_id != state.cluster_id() {
                    return Err(cluster_not_found());
                }
            }
        }
        Ok(path)
    }
}

fn account_not_found() -> ApiError {
    ApiError::not_found("account not found")
}

fn cluster_not_found() -> ApiError {
    ApiError::not_found("cluster not found")
}

/// A JSON object request body; 400 when the content type is not JSON or the body
/// is not an object that parses as `T`.
#[derive(Debug, Clone)]
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !has_json_content_type(request.headers()) {
            return Err(ApiError::bad_request(
                "the request body must be JSON (Content-Type: application/json)",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::new(rejection.status(), rejection.body_text()))?;
        let invalid =
            |error: serde_json::Error| ApiError::bad_request(format!("invalid JSON body: {error}"));
        // Every body of this API is an object. Checking it here keeps serde from
        // accepting a struct written as an array (`["text"]`).
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(invalid)?;
        if !value.is_object() {
            return Err(ApiError::bad_request(
                "invalid JSON body: expected an object",
            ));
        }
        serde_json::from_value(value).map(JsonBody).map_err(invalid)
    }
}

/// The `Idempotency-Key` header, if present; 400 when it is empty, too long or not
/// printable ASCII.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY_HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .filter(|key| {
            !key.is_empty()
                && key.len() <= MAX_IDEMPOTENCY_KEY_LEN
                && key.bytes().all(|byte| byte.is_ascii_graphic() || byte == b' ')
        })
        .map(|key| Some(key.to_owned()))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "{IDEMPOTENCY_KEY_HEADER} must be 1..={MAX_IDEMPOTENCY_KEY_LEN} printable ASCII characters"
            ))
        })
}

/// The token of an `Authorization: Bearer <token>` header, if well-formed.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    let well_formed = scheme.eq_ignore_ascii_case("bearer")
        && !token.is_empty()
        && token.bytes().all(|byte| byte.is_ascii_graphic());
    well_formed.then_some(token)
}

fn has_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim)
        .is_some_and(|essence| {
            let essence = essence.to_ascii_lowercase();
            essence == "application/json"
                || (essence.starts_with("application/") && essence.ends_with("+json"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};

    fn headers(name: &'static str, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn bearer_tokens_are_parsed_strictly() {
        let cases = [
            ("Bearer abc", Some("abc")),
            ("bearer abc", Some("abc")),
            ("Bearer  abc ", Some("abc")),
            ("Bearer", None),
            ("Bearer ", None),
            ("Basic abc", None),
            ("Bearer a b", None),
            ("abc", None),
        ];
        for (value, expected) in cases {
            let headers = headers("authorization", value);
            assert_eq!(bearer_token(&headers), expected, "{value:?}");
        }
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }

    #[test]
    fn json_content_types_are_recognised() {
        let cases = [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/merge-patch+json", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
        ];
        for (value, expected) in cases {
            let headers = headers("content-type", value);
            assert_eq!(has_json_content_type(&headers), expected, "{value:?}");
        }
        assert!(!has_json_content_type(&HeaderMap::new()));
    }

    #[test]
    fn idempotency_keys_are_validated() {
        assert_eq!(idempotency_key(&HeaderMap::new()), Ok(None));
        let valid = headers("idempotency-key", "retry 1");
        assert_eq!(idempotency_key(&valid), Ok(Some("retry 1".to_owned())));
        let empty = headers("idempotency-key", "");
        assert_eq!(
            idempotency_key(&empty).map_err(|error| error.status()),
            Err(StatusCode::BAD_REQUEST)
        );
    }
}
