//! Last value caches and distinct value caches: create, delete, and list a
//! database's caches of either kind through SQL on its `system.last_caches` /
//! `system.distinct_caches` table.

use reqwest::Method;

use super::{DeleteOutcome, V3Client, encode, with_query};
use crate::api::v3_caches::{
    CacheDeleteRequest, DISTINCT_CACHE_PATH, DISTINCT_CACHES_QUERY, DistinctCacheCreateRequest,
    DistinctCacheRow, LAST_CACHE_PATH, LAST_CACHES_QUERY, LastCacheCreateRequest, LastCacheRow,
};
use crate::provider::client::ClientError;
use crate::provider::client::management_tokens::is_success;
use crate::provider::client::transport::Request;

/// The two kinds of cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheKind {
    /// A last value cache.
    Last,
    /// A distinct value cache.
    Distinct,
}

impl CacheKind {
    fn path(self) -> &'static str {
        match self {
            CacheKind::Last => LAST_CACHE_PATH,
            CacheKind::Distinct => DISTINCT_CACHE_PATH,
        }
    }

    fn operations(self) -> (&'static str, &'static str) {
        match self {
            CacheKind::Last => ("create last cache", "delete last cache"),
            CacheKind::Distinct => ("create distinct cache", "delete distinct cache"),
        }
    }
}

impl V3Client {
    /// Creates a last value cache.
    pub async fn create_last_cache(
        &self,
        body: &LastCacheCreateRequest,
    ) -> Result<(), ClientError> {
        self.create_cache(CacheKind::Last, encode(body, "create request")?)
            .await
    }

    /// Creates a distinct value cache.
    pub async fn create_distinct_cache(
        &self,
        body: &DistinctCacheCreateRequest,
    ) -> Result<(), ClientError> {
        self.create_cache(CacheKind::Distinct, encode(body, "create request")?)
            .await
    }

    async fn create_cache(&self, kind: CacheKind, body: Vec<u8>) -> Result<(), ClientError> {
        let (operation, _) = kind.operations();
        let response = self
            .send(Request {
                operation,
                method: Method::POST,
                path: kind.path().to_owned(),
                body: Some(body),
                idempotency_key: None,
            })
            .await?;
        if is_success(response.status) {
            Ok(())
        } else {
            Err(self.api_error(operation, &response))
        }
    }

    /// Deletes the cache `name` of `kind` on `table` of `db`. The names go in
    /// the query string and, as the spec requires a body, in the body too.
    pub async fn delete_cache(
        &self,
        kind: CacheKind,
        db: &str,
        table: &str,
        name: &str,
    ) -> Result<DeleteOutcome, ClientError> {
        let (_, operation) = kind.operations();
        let body = CacheDeleteRequest {
            db: db.to_owned(),
            table: table.to_owned(),
            name: name.to_owned(),
        };
        let response = self
            .send(Request {
                operation,
                method: Method::DELETE,
                path: with_query(kind.path(), &[("db", db), ("table", table), ("name", name)]),
                body: Some(encode(&body, "delete request")?),
                idempotency_key: None,
            })
            .await?;
        match response.status {
            404 => Ok(DeleteOutcome::NotFound),
            status if is_success(status) => Ok(DeleteOutcome::Deleted),
            _ => Err(self.api_error(operation, &response)),
        }
    }

    /// The rows of `system.last_caches` of `db`; `None` when there is no such
    /// database.
    pub async fn last_caches(&self, db: &str) -> Result<Option<Vec<LastCacheRow>>, ClientError> {
        self.query_rows("list last caches", db, LAST_CACHES_QUERY.to_owned())
            .await
    }

    /// The rows of `system.distinct_caches` of `db`; `None` when there is no
    /// such database.
    pub async fn distinct_caches(
        &self,
        db: &str,
    ) -> Result<Option<Vec<DistinctCacheRow>>, ClientError> {
        self.query_rows("list distinct caches", db, DISTINCT_CACHES_QUERY.to_owned())
            .await
    }
}
