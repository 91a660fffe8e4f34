//! List resource types (`terraform query`). One file per type; [`all`] lists
//! their constructors.
//!
//! Adding `influxdb3_database_token` later: a file with the same shape as
//! `management_token.rs` (list through the client, identity and state from
//! the database token resource), listed in [`all`]; the resource must have
//! an identity first.

mod database_token;
mod management_token;

use std::sync::Arc;

use crate::framework::list_resource::ListResource;

use super::ProviderData;

/// Every list resource type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn ListResource>> {
    vec![
        Arc::new(management_token::ManagementTokenList::new(data.clone())),
        Arc::new(database_token::DatabaseTokenList::new(data.clone())),
    ]
}
