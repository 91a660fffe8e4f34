//! Reads of databases (and of the tables' databases) through one list
//! request per command: the coalescing [`ListCache`](super::list_cache) of
//! [`ProviderData`], as management tokens do. Refreshing 1000 databases
//! costs one `GET .../databases`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::api::Database;

use super::ProviderData;
use super::client::{ClientError, ManagementApiClient};

impl ProviderData {
    /// The database `name` as the (cached) list shows it; `None` when it is
    /// not listed (deleted or never created).
    pub(crate) async fn listed_database(
        &self,
        client: &ManagementApiClient,
        name: &str,
    ) -> Result<Option<Database>, ClientError> {
        Ok(self.database_list(client).await?.get(name).cloned())
    }

    /// Every database of the cluster, by name (cached).
    pub(crate) async fn database_list(
        &self,
        client: &ManagementApiClient,
    ) -> Result<Arc<HashMap<String, Database>>, ClientError> {
        self.databases
            .get_or_load(|| async {
                let listed = client.list_databases().await?;
                self.token_accepted.store(true, Ordering::Release);
                self.cluster_accepted.store(true, Ordering::Release);
                Ok::<_, ClientError>(
                    listed
                        .into_iter()
                        .map(|database| (database.name.clone(), database))
                        .collect::<HashMap<_, _>>(),
                )
            })
            .await
    }

    /// Checks that the API accepts this provider configuration for the
    /// cluster (the token, and on Cloud Dedicated the `cluster_id`), once per
    /// configured provider: with the database list a refresh reads anyway,
    /// none when a list of the cluster already succeeded. Without that
    /// memory, every plan of a create in the apply walk (Terraform plans each
    /// resource again right before applying it) would list all databases
    /// again after the previous create invalidated the list: O(N^2) for N
    /// databases.
    pub(crate) async fn check_cluster_accepted(
        &self,
        client: &ManagementApiClient,
    ) -> Result<(), ClientError> {
        if self.cluster_accepted.load(Ordering::Acquire) {
            return Ok(());
        }
        self.database_list(client).await.map(drop)
    }

    /// Call after every create, update or delete of a database or table so
    /// later reads see it.
    pub(crate) fn databases_changed(&self) {
        self.databases.invalidate();
    }
}
