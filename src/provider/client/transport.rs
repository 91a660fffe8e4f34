//! Sending one logical request: retries, timeouts, cancellation, size limit.

use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Url};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::describe::{describe_chain, display_url, excerpt, find_tls_error, is_json_content_type};
use super::retry::{is_retryable_status, parse_retry_after};
use super::{ClientError, ClientErrorKind, MAX_RESPONSE_BYTES, RetryPolicy, Secret};
use crate::api::v3::V3ErrorBody;
use crate::api::{ErrorBody, IDEMPOTENCY_KEY_HEADER};

/// How long an in-flight create may still take once the provider is told to
/// stop (Terraform waits for it; a second Ctrl-C ends Terraform at once).
const STOP_GRACE: Duration = Duration::from_secs(10);

/// One logical request; every attempt sends it unchanged.
#[derive(Debug)]
pub(crate) struct Request {
    /// A human phrase for errors and logs, e.g. "create management token".
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// Path below the API root, starting with `/`; a query string, if any, is
    /// percent-encoded by the caller.
    pub(crate) path: String,
    /// A JSON body.
    pub(crate) body: Option<Vec<u8>>,
    /// Sent as `Idempotency-Key` on every attempt.
    pub(crate) idempotency_key: Option<Uuid>,
}

/// The final response of a logical request, whatever its status.
///
/// Deliberately not `Debug`: the body of a successful create holds the secret.
pub(crate) struct Response {
    pub(crate) status: u16,
    /// The `Content-Type` header, if any.
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
    /// Requests sent, retries included.
    pub(crate) attempts: u32,
    /// An earlier attempt went out and its answer never arrived (or could not
    /// be read), so the server may have carried it out even though this final
    /// response says otherwise.
    pub(crate) earlier_attempt_unanswered: bool,
}

/// How one attempt failed.
struct Failure {
    kind: ClientErrorKind,
    retryable: bool,
    /// The request went out and no usable answer came back: the server may
    /// have carried it out (a lost or unreadable response, a timeout). False
    /// when the request provably never reached the server (no connection) or
    /// the server's answer was read.
    unanswered: bool,
}

impl Failure {
    /// Retried; the request never reached the server.
    fn retryable(kind: ClientErrorKind) -> Self {
        Self {
            kind,
            retryable: true,
            unanswered: false,
        }
    }

    /// Retried; the request may have been carried out.
    fn unanswered(kind: ClientErrorKind) -> Self {
        Self {
            kind,
            retryable: true,
            unanswered: true,
        }
    }

    fn fatal(kind: ClientErrorKind) -> Self {
        Self {
            kind,
            retryable: false,
            unanswered: false,
        }
    }

    fn with_unanswered(mut self, unanswered: bool) -> Self {
        self.unanswered = unanswered;
        self
    }
}

/// A response of one attempt.
struct Attempt {
    status: u16,
    retry_after: Option<Duration>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// The HTTP side of the client: a connection pool and everything every request
/// carries.
pub(crate) struct Transport {
    http: reqwest::Client,
    api_root: String,
    authorization: HeaderValue,
    /// Kept only to scrub it from error messages.
    token: Secret,
    request_timeout: Duration,
    retry: RetryPolicy,
    cancel: CancellationToken,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        api_root: String,
        authorization: HeaderValue,
        token: Secret,
        request_timeout: Duration,
        retry: RetryPolicy,
        cancel: CancellationToken,
    ) -> Self {
        Self {
            http,
            api_root,
            authorization,
            token,
            request_timeout,
            retry,
            cancel,
        }
    }

    pub(crate) fn api_root(&self) -> &str {
        &self.api_root
    }

    /// Sends `request`, retrying connection errors, timeouts and the statuses of
    /// [`is_retryable_status`] as [`RetryPolicy`] allows. Returns the last response
    /// whatever its status; fails only when no usable response arrived.
    ///
    /// Whether any attempt went out without its answer arriving is tracked
    /// over the whole loop, not only for the last attempt: a create committed
    /// by its first attempt and answered 503 on every retry still ends with
    /// [`Response::earlier_attempt_unanswered`] (or
    /// [`ClientError::outcome_unknown`]) set.
    pub(crate) async fn send(&self, request: &Request) -> Result<Response, ClientError> {
        let operation = request.operation;
        let url = Url::parse(&format!("{}{}", self.api_root, request.path)).map_err(|e| {
            ClientError::invalid_config(format!("cannot build the request URL: {e}"))
        })?;
        let started = Instant::now();
        let mut attempts = 0;
        // Whether any attempt so far went out and got no usable answer.
        let mut unanswered = false;
        loop {
            if self.cancel.is_cancelled() {
                return Err(
                    ClientError::new(ClientErrorKind::Cancelled { operation }, attempts)
                        .with_outcome_unknown(unanswered),
                );
            }
            attempts += 1;
            let budget = self
                .retry
                .attempt_budget(self.request_timeout, started.elapsed());
            let attempt_started = Instant::now();
            let exchange = tokio::time::timeout(budget, self.attempt(request, &url));
            let outcome = if request.idempotency_key.is_some() {
                // A create the server may already be saving is not dropped at
                // once on cancellation: its response holds the only copy of the
                // secret. It gets `STOP_GRACE` to finish; any further attempt is
                // still cancelled.
                let mut exchange = std::pin::pin!(exchange);
                tokio::select! {
                    finished = &mut exchange => Some(finished),
                    () = self.cancel.cancelled() => {
                        log::debug!("{operation}: stopping; letting attempt {attempts} finish");
                        tokio::time::timeout(STOP_GRACE, exchange).await.ok()
                    }
                }
            } else {
                self.cancel.run_until_cancelled(exchange).await
            };
            let outcome = match outcome {
                None => {
                    log::debug!("{operation}: cancelled during attempt {attempts}");
                    return Err(ClientError::new(
                        ClientErrorKind::Cancelled { operation },
                        attempts,
                    )
                    .with_outcome_unknown(true));
                }
                Some(Err(_elapsed)) => {
                    Err(Failure::unanswered(ClientErrorKind::Timeout { operation }))
                }
                Some(Ok(result)) => result,
            };
            if let Err(failure) = &outcome {
                unanswered |= failure.unanswered;
            }
            let took = attempt_started.elapsed().as_millis();
            match &outcome {
                Ok(attempt) => log::debug!(
                    "{operation}: {} {} -> HTTP {} in {took} ms (attempt {attempts})",
                    request.method,
                    request.path,
                    attempt.status
                ),
                Err(failure) => log::debug!(
                    "{operation}: {} {} failed after {took} ms (attempt {attempts}): {}",
                    request.method,
                    request.path,
                    failure.kind
                ),
            }

            let (last, retry_after, reason) = match outcome {
                Ok(attempt) if !is_retryable_status(attempt.status) => {
                    return Ok(Self::response(attempt, attempts, unanswered));
                }
                Err(failure) if !failure.retryable => {
                    return Err(
                        ClientError::new(failure.kind, attempts).with_outcome_unknown(unanswered)
                    );
                }
                Ok(attempt) => {
                    let reason = format!("HTTP {}", attempt.status);
                    let retry_after = attempt.retry_after;
                    (Ok(attempt), retry_after, reason)
                }
                Err(failure) => {
                    let reason = failure.kind.to_string();
                    (Err(failure), None, reason)
                }
            };

            let delay =
                self.retry
                    .next_delay(attempts, started.elapsed(), retry_after, &mut rand::rng());
            let Some(delay) = delay else {
                log::warn!("{operation}: giving up after {attempts} attempt(s): {reason}");
                return match last {
                    Ok(attempt) => Ok(Self::response(attempt, attempts, unanswered)),
                    Err(failure) => {
                        Err(ClientError::new(failure.kind, attempts)
                            .with_outcome_unknown(unanswered))
                    }
                };
            };
            log::warn!(
                "{operation}: attempt {attempts} failed ({reason}); retrying in {} ms",
                delay.as_millis()
            );
            if self
                .cancel
                .run_until_cancelled(tokio::time::sleep(delay))
                .await
                .is_none()
            {
                log::debug!("{operation}: cancelled while waiting to retry");
                return Err(
                    ClientError::new(ClientErrorKind::Cancelled { operation }, attempts)
                        .with_outcome_unknown(unanswered),
                );
            }
        }
    }

    /// Sends `request` once more, ignoring cancellation, within `timeout`: the
    /// last resort to learn the outcome of a create whose earlier attempts may
    /// have been committed without their response reaching us. Safe only for
    /// requests with an idempotency key, which makes the server replay the
    /// committed result instead of acting again.
    pub(crate) async fn send_recovery_attempt(
        &self,
        request: &Request,
        timeout: Duration,
    ) -> Result<Response, ClientError> {
        let operation = request.operation;
        debug_assert!(
            request.idempotency_key.is_some(),
            "recovery needs an idempotency key"
        );
        let url = Url::parse(&format!("{}{}", self.api_root, request.path)).map_err(|e| {
            ClientError::invalid_config(format!("cannot build the request URL: {e}"))
        })?;
        match tokio::time::timeout(timeout, self.attempt(request, &url)).await {
            Ok(Ok(attempt)) => Ok(Self::response(attempt, 1, false)),
            Ok(Err(failure)) => {
                Err(ClientError::new(failure.kind, 1).with_outcome_unknown(failure.unanswered))
            }
            Err(_elapsed) => Err(ClientError::new(ClientErrorKind::Timeout { operation }, 1)
                .with_outcome_unknown(true)),
        }
    }

    /// The per-attempt timeout.
    pub(crate) fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    fn response(attempt: Attempt, attempts: u32, earlier_attempt_unanswered: bool) -> Response {
        Response {
            status: attempt.status,
            content_type: attempt.content_type,
            body: attempt.body,
            attempts,
            earlier_attempt_unanswered,
        }
    }

    /// One HTTP exchange, body included.
    async fn attempt(&self, request: &Request, url: &Url) -> Result<Attempt, Failure> {
        let operation = request.operation;
        let mut builder = self
            .http
            .request(request.method.clone(), url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json");
        if let Some(key) = request.idempotency_key {
            // The same key on every attempt: see `create_management_token`.
            builder = builder.header(IDEMPOTENCY_KEY_HEADER, key.to_string());
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let mut response = builder
            .send()
            .await
            .map_err(|e| self.transport_failure(operation, url, e, false))?;

        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| parse_retry_after(value, Utc::now()));
        // A success too large to read was still a success: the server carried
        // the request out, and only its answer is lost.
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let too_large = || {
            Failure::fatal(ClientErrorKind::ResponseTooLarge { operation })
                .with_unanswered((200..300).contains(&status))
        };
        if response
            .content_length()
            .is_some_and(|length| length > MAX_RESPONSE_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_failure(operation, url, e, true))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Attempt {
            status,
            retry_after,
            content_type,
            body,
        })
    }

    /// Classifies a reqwest error. TLS failures and request-building errors are
    /// fatal; everything else (refused, reset, DNS, lost mid-response) is retried.
    fn transport_failure(
        &self,
        operation: &'static str,
        url: &Url,
        error: reqwest::Error,
        reading_body: bool,
    ) -> Failure {
        let error = error.without_url();
        if let Some(tls) = find_tls_error(&error) {
            return Failure::fatal(ClientErrorKind::Tls {
                operation,
                message: self.scrub(&format!(
                    "{tls} (talking to {}; if it uses a private CA, configure its CA bundle)",
                    display_url(url)
                )),
            });
        }
        if error.is_timeout() {
            return Failure::unanswered(ClientErrorKind::Timeout { operation });
        }
        let detail = describe_chain(&error);
        // A failure to connect means the request never left; anything later
        // (a reset after sending, a response cut short) may follow its commit.
        let sent = reading_body || !error.is_connect();
        let message = if error.is_builder() {
            return Failure::fatal(ClientErrorKind::InvalidConfig {
                message: self.scrub(&format!(
                    "cannot build a request to {}: {detail}",
                    display_url(url)
                )),
            });
        } else if reading_body {
            format!(
                "connection lost while reading the response from {}: {detail}",
                display_url(url)
            )
        } else if error.is_connect() {
            format!("cannot connect to {}: {detail}", display_url(url))
        } else {
            format!("request to {} failed: {detail}", display_url(url))
        };
        Failure::retryable(ClientErrorKind::Connect {
            operation,
            message: self.scrub(&message),
        })
        .with_unanswered(sent)
    }

    /// The [`ClientErrorKind::Api`] error for a response with an unexpected status.
    pub(crate) fn api_error(&self, operation: &'static str, response: &Response) -> ClientError {
        // The management API's `{"code", "message"}`, or the v3 API's `{"error"}`.
        let message = match serde_json::from_slice::<ErrorBody>(&response.body) {
            Ok(body) => body.message,
            Err(_) => match serde_json::from_slice::<V3ErrorBody>(&response.body) {
                Ok(body) => body.error,
                Err(_) => excerpt(&response.body),
            },
        };
        ClientError::new(
            ClientErrorKind::Api {
                operation,
                status: response.status,
                message: self.scrub(&message),
            },
            response.attempts,
        )
        .with_outcome_unknown(response.earlier_attempt_unanswered)
    }

    /// Whether an error response is the management API's own: a JSON content
    /// type and the body `{"code": <the status>, "message": ...}`. A proxy, a
    /// load balancer or another service at a wrong `url` answers otherwise.
    pub(super) fn is_api_error_response(response: &Response) -> bool {
        let json = response
            .content_type
            .as_deref()
            .is_some_and(is_json_content_type);
        json && serde_json::from_slice::<ErrorBody>(&response.body)
            .is_ok_and(|body| body.code == response.status)
    }

    /// What answered, for an error about an answer that is not the API's:
    /// status, content type and a short excerpt of the body, scrubbed.
    pub(super) fn describe_answer(&self, response: &Response) -> String {
        let status = super::error::status_text(response.status);
        let content_type = match response.content_type.as_deref() {
            Some(value) => format!("content type {:?}", excerpt(value.as_bytes())),
            None => "no content type".to_owned(),
        };
        let body = excerpt(&response.body);
        let body = if body.is_empty() {
            "an empty body".to_owned()
        } else {
            format!("body {:?}", self.scrub(&body))
        };
        format!("{status} with {content_type} and {body}")
    }

    /// Replaces the bearer token wherever it appears in `text`.
    fn scrub(&self, text: &str) -> String {
        let secret = self.token.expose();
        if secret.is_empty() {
            text.to_owned()
        } else {
            text.replace(secret, "<redacted>")
        }
    }
}
