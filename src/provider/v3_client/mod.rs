//! HTTP client for the `/api/v3` API of the self-hosted products, InfluxDB 3
//! Core and InfluxDB 3 Enterprise: tokens (named admin and, on Enterprise,
//! resource tokens) and databases.
//!
//! It reuses the management-API client's transport (retries with backoff,
//! per-attempt timeouts, cancellation when Terraform stops the provider, the
//! response size cap, secret scrubbing) through
//! [`client::build_transport`](super::client::build_transport); only the paths and
//! bodies differ, and they are here. Wire types are in [`crate::api::v3`].
//!
//! Tokens are listed with SQL on the `system.tokens` table of the `_internal`
//! database (what `influxdb3 show tokens` does); databases with
//! `GET /api/v3/configure/database`.

mod caches;
mod databases;
mod tables;
mod tokens;

use std::fmt;
use std::sync::Arc;

use reqwest::Url;

use super::client::transport::{Request, Response, Transport};
use super::client::{ClientConfig, ClientError, build_transport};
use super::product::SelfHostedProduct;

pub use caches::CacheKind;
pub use tokens::DeleteOutcome;

/// A client for one self-hosted server. Cheap to clone: clones share one
/// connection pool.
#[derive(Clone)]
pub struct V3Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    product: SelfHostedProduct,
}

impl fmt::Debug for V3Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("V3Client")
            .field("api_root", &self.inner.transport.api_root())
            .field("product", &self.inner.product)
            .finish_non_exhaustive()
    }
}

impl V3Client {
    /// Validates `config` (see [`build_transport`]) and builds the client for a
    /// server of `product`. `config.base_url` is the server's URL, e.g.
    /// `http://127.0.0.1:8181`; `config.account_id` is ignored.
    pub fn new(config: ClientConfig, product: SelfHostedProduct) -> Result<Self, ClientError> {
        let transport = build_transport(config, "")?;
        Ok(Self {
            inner: Arc::new(Inner { transport, product }),
        })
    }

    /// The product the server runs.
    pub fn product(&self) -> SelfHostedProduct {
        self.inner.product
    }

    /// The server's URL.
    pub fn api_root(&self) -> &str {
        self.inner.transport.api_root()
    }

    async fn send(&self, request: Request) -> Result<Response, ClientError> {
        self.inner.transport.send(&request).await
    }

    /// `DELETE path`: 404 means there was nothing to delete.
    async fn delete(
        &self,
        operation: &'static str,
        path: String,
    ) -> Result<DeleteOutcome, ClientError> {
        let response = self
            .send(Request {
                operation,
                method: reqwest::Method::DELETE,
                path,
                body: None,
                idempotency_key: None,
            })
            .await?;
        match response.status {
            404 => Ok(DeleteOutcome::NotFound),
            status if (200..300).contains(&status) => Ok(DeleteOutcome::Deleted),
            _ => Err(self.api_error(operation, &response)),
        }
    }

    /// The rows (format `json`) of the SQL query `q` on `db`; `None` when the
    /// server has no such database (it answers the query 404).
    async fn query_rows<T: serde::de::DeserializeOwned>(
        &self,
        operation: &'static str,
        db: &str,
        q: String,
    ) -> Result<Option<Vec<T>>, ClientError> {
        let body = crate::api::v3::QueryRequest {
            db: db.to_owned(),
            q,
            format: Some("json".to_owned()),
        };
        let response = self
            .send(Request {
                operation,
                method: reqwest::Method::POST,
                path: crate::api::v3::QUERY_SQL_PATH.to_owned(),
                body: Some(encode(&body, "query")?),
                idempotency_key: None,
            })
            .await?;
        if response.status == 404 {
            return Ok(None);
        }
        if !(200..300).contains(&response.status) {
            return Err(self.api_error(operation, &response));
        }
        // A query with no rows may come back with an empty body.
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Some(Vec::new()));
        }
        super::client::management_tokens::parse(operation, &response, "a list of rows").map(Some)
    }

    fn api_error(&self, operation: &'static str, response: &Response) -> ClientError {
        self.inner.transport.api_error(operation, response)
    }
}

/// `path` with the query parameters `pairs`, percent-encoded.
fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    // Any base works: only the encoded path and query are kept.
    let Ok(mut url) = Url::parse("http://localhost") else {
        return path.to_owned();
    };
    url.set_path(path);
    url.query_pairs_mut().extend_pairs(pairs);
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

fn encode<T: serde::Serialize>(value: &T, what: &str) -> Result<Vec<u8>, ClientError> {
    serde_json::to_vec(value)
        .map_err(|e| ClientError::invalid_config(format!("cannot encode the {what}: {e}")))
}

#[cfg(test)]
mod tests;
