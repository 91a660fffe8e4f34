//! The four management-token operations.

use chrono::Utc;
use reqwest::Method;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::transport::{Request, Response, Transport};
use super::{ClientError, ClientErrorKind, ManagementApiClient, RevokeOutcome, Secret};
use crate::api::{CreateManagementTokenRequest, ManagementToken};

const CREATE: &str = "create management token";
const LIST: &str = "list management tokens";
const READ: &str = "read management token";
const REVOKE: &str = "revoke management token";

/// The longest a create's recovery attempt may take (less when the request
/// timeout is shorter): Terraform may be waiting on it after Ctrl-C.
const RECOVERY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

impl ManagementApiClient {
    /// Creates a management token. The result carries the secret in
    /// `access_token`, which is guaranteed to be present.
    ///
    /// Retrying a create is only safe because of the idempotency key: the request
    /// carries a fresh UUIDv4 `Idempotency-Key`, the same on every retry of this one
    /// call, so when a response is lost after the server committed the token, the
    /// retry returns that token instead of minting a second one that nobody would
    /// ever learn about (and that would stay valid). Without the key, a create must
    /// not be retried.
    ///
    /// Whenever the create may have been committed without its secret reaching
    /// the client (an attempt lost on the way back, even if later attempts were
    /// answered 5xx or 429 until the retries ran out; a success body that does
    /// not parse, lacks `accessToken` or is too large; a cancellation while a
    /// request was out), one recovery attempt with the same key follows. When it
    /// does not bring the secret either, the error has
    /// [`ClientError::outcome_unknown`] set, and
    /// [`ClientError::created_without_secret`] holds the token when its id is
    /// known.
    pub async fn create_management_token(
        &self,
        request: &CreateManagementTokenRequest,
    ) -> Result<ManagementToken, ClientError> {
        let body = serde_json::to_vec(request).map_err(|e| {
            ClientError::invalid_config(format!("cannot encode the create request: {e}"))
        })?;
        let request = Request {
            operation: CREATE,
            method: Method::POST,
            path: self.inner.tokens_path.clone(),
            body: Some(body),
            idempotency_key: Some(Uuid::new_v4()),
        };
        let sent = self.inner.transport.send(&request).await;
        let error = match self.created_token(sent) {
            Ok(token) => return Ok(token),
            Err(error) if error.outcome_unknown() => error,
            Err(error) => return Err(error),
        };
        self.recover_create(&request, error).await
    }

    /// The token with its secret from the outcome of a create, or the error;
    /// the error has `outcome_unknown` set whenever the create may have been
    /// committed.
    fn created_token(
        &self,
        sent: Result<Response, ClientError>,
    ) -> Result<ManagementToken, ClientError> {
        let response = sent?;
        if !is_success(response.status) {
            return Err(self.inner.transport.api_error(CREATE, &response));
        }
        // From here on the API said it created the token.
        let token: ManagementToken = parse(CREATE, &response, "a management token")
            .map_err(|error| error.with_outcome_unknown(true))?;
        if token.access_token.as_ref().is_none_or(Secret::is_empty) {
            let error = invalid_response(
                CREATE,
                &response,
                "the create response carries no accessToken".to_owned(),
            );
            let mut described = token;
            described.access_token = None;
            return Err(error.with_created_without_secret(described));
        }
        Ok(token)
    }

    /// The last resort after a create that may have been committed without its
    /// secret reaching us: one more attempt with the same idempotency key, even
    /// when cancelled, so that a token the server committed reaches the state
    /// instead of staying active unseen. Fails with the original error (still
    /// marked `outcome_unknown`), with the token the API described if either
    /// answer named one.
    async fn recover_create(
        &self,
        request: &Request,
        error: ClientError,
    ) -> Result<ManagementToken, ClientError> {
        let timeout = self.inner.transport.request_timeout().min(RECOVERY_TIMEOUT);
        log::warn!(
            "{CREATE}: outcome unknown ({error}); asking once more with the same idempotency key"
        );
        let recovered = self
            .inner
            .transport
            .send_recovery_attempt(request, timeout)
            .await;
        match self.created_token(recovered) {
            Ok(token) => {
                log::info!("{CREATE}: recovered the result of the earlier attempt");
                Ok(token)
            }
            Err(recovery_error) => {
                log::warn!("{CREATE}: recovery failed too: {recovery_error}");
                let described = error
                    .created_without_secret()
                    .or(recovery_error.created_without_secret())
                    .cloned();
                let error = error.with_outcome_unknown(true);
                Err(match described {
                    Some(token) => error.with_created_without_secret(token),
                    None => error,
                })
            }
        }
    }

    /// Lists the account's (or cluster's) management tokens, revoked and expired
    /// ones included. `access_token` is never set.
    pub async fn list_management_tokens(&self) -> Result<Vec<ManagementToken>, ClientError> {
        let response = self
            .send(Request {
                operation: LIST,
                method: Method::GET,
                path: self.inner.tokens_path.clone(),
                body: None,
                idempotency_key: None,
            })
            .await?;
        if !is_success(response.status) {
            return Err(self.inner.transport.api_error(LIST, &response));
        }
        parse(LIST, &response, "a list of management tokens")
    }

    /// Reads one management token; `Ok(None)` when the API does not know the id
    /// (HTTP 404). A revoked token is returned with `revoked_at` set.
    pub async fn get_management_token(
        &self,
        id: Uuid,
    ) -> Result<Option<ManagementToken>, ClientError> {
        let response = self
            .send(Request {
                operation: READ,
                method: Method::GET,
                path: self.token_path(id),
                body: None,
                idempotency_key: None,
            })
            .await?;
        match response.status {
            404 => Ok(None),
            status if is_success(status) => parse(READ, &response, "a management token").map(Some),
            _ => Err(self.inner.transport.api_error(READ, &response)),
        }
    }

    /// Revokes a management token. Revoking is idempotent in effect, so a lost
    /// response is retried like a read (the retry then reports
    /// [`RevokeOutcome::AlreadyRevoked`]).
    ///
    /// A 404 or 409 counts as done only when it is the API's own answer about
    /// this token: the API's error body (`{"code": <status>, ...}`, JSON), and
    /// the token list confirms that the token is absent or no longer active.
    /// Otherwise (a proxy or another service at a wrong `url`, a wrong account)
    /// it fails with [`ClientErrorKind::Unconfirmed`], saying what answered.
    pub async fn revoke_management_token(&self, id: Uuid) -> Result<RevokeOutcome, ClientError> {
        let response = self
            .send(Request {
                operation: REVOKE,
                method: Method::DELETE,
                path: self.token_path(id),
                body: None,
                idempotency_key: None,
            })
            .await?;
        match response.status {
            404 | 409 => {
                let listed_active = async {
                    let listed = self.list_management_tokens().await?;
                    Ok(listed
                        .iter()
                        .find(|token| token.id == id)
                        .map(|token| token.is_active_at(Utc::now())))
                };
                self.confirm_revoked(REVOKE, &response, listed_active).await
            }
            status if is_success(status) => Ok(RevokeOutcome::Revoked),
            _ => Err(self.inner.transport.api_error(REVOKE, &response)),
        }
    }

    /// Confirms a 404 or 409 to a revoke (of a management or database token):
    /// the API's own error body, then the token list (the same list every
    /// refresh reads, looked up by `listed_active`: `None` when the token is
    /// not listed, else whether it can still authenticate) shows the token
    /// absent or unable to authenticate.
    pub(super) async fn confirm_revoked(
        &self,
        operation: &'static str,
        response: &Response,
        listed_active: impl std::future::Future<Output = Result<Option<bool>, ClientError>>,
    ) -> Result<RevokeOutcome, ClientError> {
        let transport = &self.inner.transport;
        let unconfirmed = |message: String| {
            ClientError::new(
                ClientErrorKind::Unconfirmed { operation, message },
                response.attempts,
            )
        };
        if !Transport::is_api_error_response(response) {
            return Err(unconfirmed(format!(
                "the answer was {}, which is not the management API's error response \
                 (JSON {{\"code\": {}, \"message\": ...}}), so the token may still be active",
                transport.describe_answer(response),
                response.status
            )));
        }
        let answer = super::error::status_text(response.status);
        let listed = listed_active.await.map_err(|error| {
            unconfirmed(format!(
                "the API answered {answer}, and the token list that should confirm it failed \
                 ({error}), so the token may still be active"
            ))
        })?;
        match listed {
            None => Ok(RevokeOutcome::NotFound),
            Some(false) => Ok(RevokeOutcome::AlreadyRevoked),
            Some(true) => Err(unconfirmed(format!(
                "the API answered {answer}, but its token list still shows the token as active"
            ))),
        }
    }

    fn token_path(&self, id: Uuid) -> String {
        format!("{}/{id}", self.inner.tokens_path)
    }

    async fn send(&self, request: Request) -> Result<Response, ClientError> {
        self.inner.transport.send(&request).await
    }
}

pub(crate) fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes a success body. The error message never quotes the body: serde_json's
/// messages can contain the offending value, which could be the secret.
pub(crate) fn parse<T: DeserializeOwned>(
    operation: &'static str,
    response: &Response,
    what: &str,
) -> Result<T, ClientError> {
    serde_json::from_slice(&response.body).map_err(|e| {
        let category = match e.classify() {
            serde_json::error::Category::Io => "read",
            serde_json::error::Category::Syntax => "syntax",
            serde_json::error::Category::Data => "data",
            serde_json::error::Category::Eof => "unexpected end of input",
        };
        invalid_response(
            operation,
            response,
            format!(
                "the HTTP {} body is not {what} ({category} error at line {}, column {})",
                response.status,
                e.line(),
                e.column()
            ),
        )
    })
}

pub(crate) fn invalid_response(
    operation: &'static str,
    response: &Response,
    message: String,
) -> ClientError {
    ClientError::new(
        ClientErrorKind::InvalidResponse { operation, message },
        response.attempts,
    )
}
