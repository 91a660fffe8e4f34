//! Token operations: create a named admin token, create a resource token
//! (Enterprise), delete a token by name, list tokens with SQL.

use reqwest::Method;

use super::{V3Client, encode, with_query};
use crate::api::v3::{
    CreateNamedAdminTokenRequest, CreateResourceTokenRequest, CreatedToken, INTERNAL_DATABASE,
    LIST_TOKENS_QUERY, NAMED_ADMIN_TOKEN_PATH, QUERY_SQL_PATH, QueryRequest, RESOURCE_TOKEN_PATH,
    TOKEN_PATH, TokenRow,
};
use crate::provider::client::management_tokens::{invalid_response, is_success, parse};
use crate::provider::client::transport::Request;
use crate::provider::client::{ClientError, ClientErrorKind};

const CREATE_ADMIN: &str = "create admin token";
const CREATE_RESOURCE: &str = "create resource token";
const DELETE: &str = "delete token";
const LIST: &str = "list tokens";

/// What [`V3Client::delete_token`] found. Both mean the token can no longer
/// authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The token existed and is deleted.
    Deleted,
    /// The server knows no token of that name (deleted before, or never made).
    NotFound,
}

impl V3Client {
    /// Creates a named admin token; the result carries the secret in `token`.
    ///
    /// Token names are unique, so a retried create whose first response was lost
    /// is answered 409: the error then says so (the token exists, its secret is
    /// lost), rather than a second token being minted.
    pub async fn create_named_admin_token(
        &self,
        body: &CreateNamedAdminTokenRequest,
    ) -> Result<CreatedToken, ClientError> {
        let request = Request {
            operation: CREATE_ADMIN,
            method: Method::POST,
            path: NAMED_ADMIN_TOKEN_PATH.to_owned(),
            body: Some(encode(body, "create request")?),
            idempotency_key: None,
        };
        self.create_token(CREATE_ADMIN, request).await
    }

    /// Creates a resource token with permissions (InfluxDB 3 Enterprise only).
    pub async fn create_resource_token(
        &self,
        body: &CreateResourceTokenRequest,
    ) -> Result<CreatedToken, ClientError> {
        let request = Request {
            operation: CREATE_RESOURCE,
            method: Method::POST,
            path: RESOURCE_TOKEN_PATH.to_owned(),
            body: Some(encode(body, "create request")?),
            idempotency_key: None,
        };
        self.create_token(CREATE_RESOURCE, request).await
    }

    async fn create_token(
        &self,
        operation: &'static str,
        request: Request,
    ) -> Result<CreatedToken, ClientError> {
        let response = self.send(request).await?;
        if !is_success(response.status) {
            let error = self.api_error(operation, &response);
            if response.status == 409 && response.attempts > 1 {
                // An earlier attempt was probably committed without its answer.
                return Err(ClientError::new(
                    ClientErrorKind::Api {
                        operation,
                        status: 409,
                        message: "a token with this name already exists; an earlier attempt of \
                                  this create may have made it and its response was lost"
                            .to_owned(),
                    },
                    response.attempts,
                ));
            }
            return Err(error);
        }
        let token: CreatedToken = parse(operation, &response, "a created token")?;
        if token.token.as_deref().is_none_or(str::is_empty) {
            return Err(invalid_response(
                operation,
                &response,
                "the create response carries no token".to_owned(),
            ));
        }
        Ok(token)
    }

    /// Deletes the token `name`. Deleting is idempotent in effect, so a lost
    /// response is retried like a read (the retry then finds no token).
    pub async fn delete_token(&self, name: &str) -> Result<DeleteOutcome, ClientError> {
        self.delete(DELETE, with_query(TOKEN_PATH, &[("token_name", name)]))
            .await
    }

    /// Every token of the server (admin and resource tokens, expired ones
    /// included), from `SELECT * FROM system.tokens` on `_internal`. No secrets.
    pub async fn list_tokens(&self) -> Result<Vec<TokenRow>, ClientError> {
        let body = QueryRequest {
            db: INTERNAL_DATABASE.to_owned(),
            q: LIST_TOKENS_QUERY.to_owned(),
            format: Some("json".to_owned()),
        };
        let response = self
            .send(Request {
                operation: LIST,
                method: Method::POST,
                path: QUERY_SQL_PATH.to_owned(),
                body: Some(encode(&body, "query")?),
                idempotency_key: None,
            })
            .await?;
        if !is_success(response.status) {
            return Err(self.api_error(LIST, &response));
        }
        // A query with no rows may come back with an empty body.
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        parse(LIST, &response, "a list of token rows")
    }
}
