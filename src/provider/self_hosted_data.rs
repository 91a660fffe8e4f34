//! What the provider process shares about a self-hosted server: the token list
//! and the database names, each loaded once for all the refreshes of a command
//! (one `system.tokens` query per plan, not one per token) through the same
//! [`ListCache`](super::list_cache::ListCache) as the management tokens, and
//! invalidated by every create and delete of the process.

use std::sync::Arc;

use crate::api::v3::TokenRow;

use super::ProviderData;
use super::client::ClientError;
use super::v3_client::V3Client;

impl ProviderData {
    /// The token named `name` as the (cached) list shows it, expired ones
    /// included; `None` when it is not listed.
    pub(crate) async fn listed_self_hosted_token(
        &self,
        client: &V3Client,
        name: &str,
    ) -> Result<Option<TokenRow>, ClientError> {
        let rows = self
            .self_hosted_tokens
            .get_or_load(|| async { client.list_tokens().await })
            .await?;
        Ok(rows.iter().find(|row| row.name == name).cloned())
    }

    /// Every token as the (cached) list shows it, expired ones included (for
    /// `terraform query`).
    pub(crate) async fn listed_self_hosted_tokens(
        &self,
        client: &V3Client,
    ) -> Result<Arc<Vec<TokenRow>>, ClientError> {
        self.self_hosted_tokens
            .get_or_load(|| async { client.list_tokens().await })
            .await
    }

    /// Call after every token create or delete so later reads see it.
    pub(crate) fn self_hosted_tokens_changed(&self) {
        self.self_hosted_tokens.invalidate();
    }

    /// The (cached) names of the active databases.
    pub(crate) async fn listed_self_hosted_databases(
        &self,
        client: &V3Client,
    ) -> Result<Arc<Vec<String>>, ClientError> {
        self.self_hosted_databases
            .get_or_load(|| async { client.list_databases().await })
            .await
    }

    /// Call after every database create or delete so later reads see it.
    pub(crate) fn self_hosted_databases_changed(&self) {
        self.self_hosted_databases.invalidate();
    }
}
