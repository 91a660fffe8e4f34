//! The four management-token operations.

use reqwest::Method;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::transport::{Request, Response};
use super::{ClientError, ClientErrorKind, ManagementApiClient, RevokeOutcome};
use crate::api::{CreateManagementTokenRequest, ManagementToken};

const CREATE: &str = "create management token";
const LIST: &str = "list management tokens";
const READ: &str = "read management token";
const REVOKE: &str = "revoke management token";

/// The longest a create's recovery attempt may take (less when the request
/// timeout is shorter): Terraform may be waiting on it after Ctrl-C.
const RECOVERY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether a failed create may still have been committed by the server: a
/// request went out and no answer came back.
fn may_have_been_committed(error: &ClientError) -> bool {
    error.outcome_unknown()
}

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
        let response = match self.inner.transport.send(&request).await {
            Ok(response) => response,
            Err(error) if may_have_been_committed(&error) => {
                self.recover_create(&request, error).await?
            }
            Err(error) => return Err(error),
        };
        if !is_success(response.status) {
            return Err(self.inner.transport.api_error(CREATE, &response));
        }
        let token: ManagementToken = parse(CREATE, &response, "a management token")?;
        if token.access_token.as_deref().is_none_or(str::is_empty) {
            return Err(invalid_response(
                CREATE,
                &response,
                "the create response carries no accessToken".to_owned(),
            ));
        }
        Ok(token)
    }

    /// The last resort after a create whose outcome is unknown (every response
    /// lost, or Terraform stopped the provider mid-request): one more attempt
    /// with the same idempotency key, even when cancelled, so that a token the
    /// server committed reaches the state instead of staying active unseen.
    /// Returns the original error when the recovery fails too.
    async fn recover_create(
        &self,
        request: &Request,
        error: ClientError,
    ) -> Result<Response, ClientError> {
        let timeout = self.inner.transport.request_timeout().min(RECOVERY_TIMEOUT);
        log::warn!(
            "{CREATE}: outcome unknown ({error}); asking once more with the same idempotency key"
        );
        match self
            .inner
            .transport
            .send_recovery_attempt(request, timeout)
            .await
        {
            Ok(response) if is_success(response.status) => {
                log::info!("{CREATE}: recovered the result of the earlier attempt");
                Ok(response)
            }
            Ok(response) => {
                log::warn!("{CREATE}: recovery answered HTTP {}", response.status);
                Err(error)
            }
            Err(recovery_error) => {
                log::warn!("{CREATE}: recovery failed too: {recovery_error}");
                Err(error)
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
            404 => Ok(RevokeOutcome::NotFound),
            409 => Ok(RevokeOutcome::AlreadyRevoked),
            status if is_success(status) => Ok(RevokeOutcome::Revoked),
            _ => Err(self.inner.transport.api_error(REVOKE, &response)),
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
