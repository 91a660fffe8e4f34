//! Injected faults: the queue behind `POST /_emulator/faults`.
//!
//! Rules are kept in the order they were posted. Each API request takes the first rule
//! whose method and operation filters match it (a rule without them matches every
//! request),
//! and that rule's count goes down by one; a rule is dropped when its count reaches
//! zero. Requests no rule matches are served normally.

use std::collections::VecDeque;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde::Deserialize;

use super::ApiError;
use super::operation::Operation;

/// The status a rule injects when it names neither a status, a delay nor a drop.
const DEFAULT_STATUS: StatusCode = StatusCode::SERVICE_UNAVAILABLE;

/// The longest delay a rule may ask for, so that a typo cannot hang a test run.
const MAX_DELAY_MS: u64 = 300_000;

/// The body of `POST /_emulator/faults`.
///
/// ```json
/// {"status": 503, "count": 2, "retry_after": 1, "delay_ms": 0, "method": "POST",
///  "operation": "create_database", "drop_after_commit": false, "corrupt_body": "truncated"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultRequest {
    /// How many matching requests the rule applies to; at least 1.
    pub(crate) count: u32,
    /// The status to answer with (400..=599). Defaults to 503 unless the rule only
    /// delays or drops.
    #[serde(default)]
    pub(crate) status: Option<u16>,
    /// `Retry-After` seconds for the injected status (429 gets 1 when not given).
    #[serde(default)]
    pub(crate) retry_after: Option<u64>,
    /// Milliseconds to wait before handling (or failing) the request.
    #[serde(default)]
    pub(crate) delay_ms: Option<u64>,
    /// Only requests with this HTTP method match; all do when absent.
    #[serde(default)]
    pub(crate) method: Option<String>,
    /// Only requests of this operation (its stats name, e.g. `create_database`) match;
    /// all do when absent.
    #[serde(default)]
    pub(crate) operation: Option<String>,
    /// Carry the request out, then close the connection without a response.
    #[serde(default)]
    pub(crate) drop_after_commit: bool,
    /// Carry the request out, then spoil the body of its success response.
    #[serde(default)]
    pub(crate) corrupt_body: Option<BodyCorruption>,
}

/// How a `corrupt_body` rule spoils a success response (the status and the
/// committed change stay as they are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BodyCorruption {
    /// The first half of the body, as when a connection is cut mid-body by a
    /// proxy that had already sent the headers.
    Truncated,
    /// An HTML page instead of JSON, as a misbehaving gateway sends.
    NotJson,
    /// The JSON object without its `accessToken` member.
    WithoutAccessToken,
    /// The body followed by 17 MiB of spaces (still valid JSON), more than a
    /// client reads.
    Oversized,
}

/// The whitespace an `oversized` body gets.
const OVERSIZED_PADDING: usize = 17 * 1024 * 1024;

impl BodyCorruption {
    /// The spoiled version of `body`.
    pub(crate) fn apply(self, body: &[u8]) -> Vec<u8> {
        match self {
            Self::Truncated => body[..body.len() / 2].to_vec(),
            Self::NotJson => b"<html><body><h1>200 OK</h1></body></html>".to_vec(),
            Self::WithoutAccessToken => match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(serde_json::Value::Object(mut object)) => {
                    object.remove("accessToken");
                    serde_json::to_vec(&object).unwrap_or_default()
                }
                _ => body.to_vec(),
            },
            Self::Oversized => {
                let mut padded = Vec::with_capacity(body.len() + OVERSIZED_PADDING);
                padded.extend_from_slice(body);
                padded.resize(body.len() + OVERSIZED_PADDING, b' ');
                padded
            }
        }
    }

    /// The content type the spoiled body is sent with.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Self::NotJson => "text/html",
            _ => "application/json",
        }
    }
}

/// What happens to one request that a rule matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    /// Wait this long first.
    pub(crate) delay: Duration,
    /// Then answer with this error instead of handling the request.
    pub(crate) error: Option<ApiError>,
    /// Or handle the request and then drop the connection.
    pub(crate) drop_after_commit: bool,
    /// Or handle the request and then spoil its success body.
    pub(crate) corrupt_body: Option<BodyCorruption>,
}

#[derive(Debug, Clone)]
struct FaultRule {
    fault: Fault,
    method: Option<Method>,
    operation: Option<Operation>,
    remaining: u32,
}

/// The queued rules.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    rules: VecDeque<FaultRule>,
}

impl FaultQueue {
    /// Validates `request` and queues it after the existing rules.
    pub(crate) fn push(&mut self, request: FaultRequest) -> Result<(), ApiError> {
        let rule = FaultRule::try_from(request)?;
        self.rules.push_back(rule);
        Ok(())
    }

    /// Drops every rule.
    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    /// The fault for the next request with `method` for `operation`, if a rule
    /// matches it.
    pub(crate) fn take(&mut self, method: &Method, operation: Operation) -> Option<Fault> {
        let position = self.rules.iter().position(|rule| {
            rule.method.as_ref().is_none_or(|only| only == method)
                && rule.operation.is_none_or(|only| only == operation)
        })?;
        let rule = self.rules.get_mut(position)?;
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        if rule.remaining == 0 {
            self.rules.remove(position);
        }
        Some(fault)
    }
}

impl TryFrom<FaultRequest> for FaultRule {
    type Error = ApiError;

    fn try_from(request: FaultRequest) -> Result<Self, ApiError> {
        if request.count == 0 {
            return Err(ApiError::bad_request("count must be at least 1"));
        }
        let delay_ms = request.delay_ms.unwrap_or(0);
        if delay_ms > MAX_DELAY_MS {
            return Err(ApiError::bad_request(format!(
                "delay_ms must be at most {MAX_DELAY_MS}"
            )));
        }
        let status = match request.status {
            Some(code) => Some(
                StatusCode::from_u16(code)
                    .ok()
                    .filter(|status| status.is_client_error() || status.is_server_error())
                    .ok_or_else(|| ApiError::bad_request("status must be in 400..=599"))?,
            ),
            None if delay_ms == 0
                && !request.drop_after_commit
                && request.corrupt_body.is_none() =>
            {
                Some(DEFAULT_STATUS)
            }
            None => None,
        };
        if status.is_some() && request.drop_after_commit {
            return Err(ApiError::bad_request(
                "status and drop_after_commit exclude each other",
            ));
        }
        if status.is_some() && request.corrupt_body.is_some() {
            return Err(ApiError::bad_request(
                "status and corrupt_body exclude each other",
            ));
        }
        if request.drop_after_commit && request.corrupt_body.is_some() {
            return Err(ApiError::bad_request(
                "drop_after_commit and corrupt_body exclude each other",
            ));
        }
        if status.is_none() && request.retry_after.is_some() {
            return Err(ApiError::bad_request("retry_after needs a status"));
        }
        let method = request
            .method
            .map(|name| {
                Method::from_bytes(name.to_ascii_uppercase().as_bytes())
                    .map_err(|_| ApiError::bad_request("method is not an HTTP method"))
            })
            .transpose()?;
        let operation = request
            .operation
            .map(|name| {
                Operation::from_name(&name).ok_or_else(|| {
                    ApiError::bad_request(format!("operation {name:?} is not an API operation"))
                })
            })
            .transpose()?;
        let error = status.map(|status| {
            let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
            let error = ApiError::new(status, format!("injected fault: {reason}"));
            match request.retry_after {
                Some(seconds) => error.with_retry_after(seconds),
                None => error,
            }
        });
        Ok(FaultRule {
            fault: Fault {
                delay: Duration::from_millis(delay_ms),
                error,
                drop_after_commit: request.drop_after_commit,
                corrupt_body: request.corrupt_body,
            },
            method,
            operation,
            remaining: request.count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: serde_json::Value) -> FaultRequest {
        serde_json::from_value(json).unwrap_or_else(|error| panic!("{error}"))
    }

    fn status_of(fault: Option<Fault>) -> Option<u16> {
        fault
            .and_then(|fault| fault.error)
            .map(|error| error.status().as_u16())
    }

    #[test]
    fn a_rule_applies_count_times_then_requests_pass() {
        let mut queue = FaultQueue::default();
        assert_eq!(queue.push(rule(serde_json::json!({"count": 2}))), Ok(()));
        assert_eq!(
            status_of(queue.take(&Method::GET, Operation::ListDatabases)),
            Some(503)
        );
        assert_eq!(
            status_of(queue.take(&Method::POST, Operation::ListDatabases)),
            Some(503)
        );
        assert_eq!(queue.take(&Method::GET, Operation::ListDatabases), None);
    }

    #[test]
    fn rules_apply_in_order_and_respect_the_method_filter() {
        let mut queue = FaultQueue::default();
        let first = rule(serde_json::json!({"count": 1, "status": 500, "method": "post"}));
        let second = rule(serde_json::json!({"count": 1, "status": 429, "retry_after": 3}));
        assert_eq!(queue.push(first), Ok(()));
        assert_eq!(queue.push(second), Ok(()));
        let get = queue
            .take(&Method::GET, Operation::ListDatabases)
            .and_then(|fault| fault.error);
        assert_eq!(
            get,
            Some(
                ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "injected fault: too many requests"
                )
                .with_retry_after(3)
            )
        );
        assert_eq!(
            status_of(queue.take(&Method::POST, Operation::ListDatabases)),
            Some(500)
        );
        assert_eq!(queue.take(&Method::POST, Operation::ListDatabases), None);
    }

    #[test]
    fn rules_can_target_one_operation() {
        let mut queue = FaultQueue::default();
        let only_creates = rule(serde_json::json!({"count": 1, "operation": "create_database"}));
        assert_eq!(queue.push(only_creates), Ok(()));
        assert_eq!(
            queue.take(&Method::POST, Operation::CreateDatabaseToken),
            None
        );
        assert_eq!(queue.take(&Method::GET, Operation::ListDatabases), None);
        assert_eq!(
            status_of(queue.take(&Method::POST, Operation::CreateDatabase)),
            Some(503)
        );
        assert_eq!(queue.take(&Method::POST, Operation::CreateDatabase), None);
    }

    #[test]
    fn delay_or_drop_alone_injects_no_status() {
        let mut queue = FaultQueue::default();
        let delay = rule(serde_json::json!({"count": 1, "delay_ms": 50}));
        let drop = rule(serde_json::json!({"count": 1, "drop_after_commit": true}));
        assert_eq!(queue.push(delay), Ok(()));
        assert_eq!(queue.push(drop), Ok(()));
        assert_eq!(
            queue.take(&Method::GET, Operation::ListDatabases),
            Some(Fault {
                delay: Duration::from_millis(50),
                error: None,
                drop_after_commit: false,
                corrupt_body: None,
            })
        );
        assert_eq!(
            queue.take(&Method::GET, Operation::ListDatabases),
            Some(Fault {
                delay: Duration::ZERO,
                error: None,
                drop_after_commit: true,
                corrupt_body: None,
            })
        );
    }

    #[test]
    fn invalid_rules_are_rejected() {
        let cases = [
            ("zero count", serde_json::json!({"count": 0})),
            (
                "success status",
                serde_json::json!({"count": 1, "status": 200}),
            ),
            (
                "bogus status",
                serde_json::json!({"count": 1, "status": 1000}),
            ),
            (
                "status and drop",
                serde_json::json!({"count": 1, "status": 503, "drop_after_commit": true}),
            ),
            (
                "status and corrupt_body",
                serde_json::json!({"count": 1, "status": 503, "corrupt_body": "truncated"}),
            ),
            (
                "drop and corrupt_body",
                serde_json::json!({"count": 1, "drop_after_commit": true, "corrupt_body": "not_json"}),
            ),
            (
                "retry_after without status",
                serde_json::json!({"count": 1, "delay_ms": 5, "retry_after": 1}),
            ),
            (
                "bad method",
                serde_json::json!({"count": 1, "method": "GE T"}),
            ),
            (
                "unknown operation",
                serde_json::json!({"count": 1, "operation": "drop_table"}),
            ),
            (
                "huge delay",
                serde_json::json!({"count": 1, "delay_ms": 300_001}),
            ),
        ];
        for (name, json) in cases {
            let mut queue = FaultQueue::default();
            let pushed = queue.push(rule(json));
            assert_eq!(
                pushed.map_err(|error| error.status()),
                Err(StatusCode::BAD_REQUEST),
                "case {name}"
            );
        }
    }

    #[test]
    fn corrupt_body_rules_spoil_the_success_body() {
        let mut queue = FaultQueue::default();
        let corrupt = rule(serde_json::json!({"count": 1, "corrupt_body": "without_access_token"}));
        assert_eq!(queue.push(corrupt), Ok(()));
        let fault = queue.take(&Method::POST, Operation::CreateManagementToken);
        assert_eq!(
            fault.as_ref().and_then(|fault| fault.corrupt_body),
            Some(BodyCorruption::WithoutAccessToken)
        );
        assert_eq!(
            fault.and_then(|fault| fault.error),
            None,
            "no injected status"
        );
        let unknown = serde_json::from_value::<FaultRequest>(
            serde_json::json!({"count": 1, "corrupt_body": "garbled"}),
        );
        assert!(unknown.is_err());

        let body = br#"{"id":"x","accessToken":"M.V1.secret"}"#;
        let without = BodyCorruption::WithoutAccessToken.apply(body);
        assert_eq!(without, br#"{"id":"x"}"#.to_vec());
        let truncated = BodyCorruption::Truncated.apply(body);
        assert_eq!(truncated, body[..body.len() / 2].to_vec());
        assert!(serde_json::from_slice::<serde_json::Value>(&truncated).is_err());
        let html = BodyCorruption::NotJson.apply(body);
        assert!(serde_json::from_slice::<serde_json::Value>(&html).is_err());
        assert_eq!(BodyCorruption::NotJson.content_type(), "text/html");
        let oversized = BodyCorruption::Oversized.apply(body);
        assert_eq!(oversized.len(), body.len() + OVERSIZED_PADDING);
        let parsed: serde_json::Value = serde_json::from_slice(&oversized).unwrap_or_default();
        assert_eq!(parsed["id"], "x", "still the same JSON");
    }
}
