//! List resource types (`terraform query`). One file per type; [`all`] lists
//! their constructors.
//!
//! Management and database tokens: one file each, saying where its list
//! comes from (the client; database tokens the shared list cache), with
//! identity and state from the resource of the same name; the list resource
//! itself is generic over the token kind, in `token.rs`. `results.rs` holds
//! what every list shares.
//!
//! Self-hosted (Core and Enterprise): `self_hosted_token.rs` serves both token
//! resources (admin and resource tokens, by kind), `self_hosted_database.rs`
//! the databases; both read the lists every refresh reads.

mod database;
mod database_token;
mod management_token;
mod results;
mod self_hosted_database;
mod self_hosted_token;
mod token;

use std::sync::Arc;

use crate::framework::list_resource::ListResource;

use super::ProviderData;
use super::resources::SelfHostedTokenKind;

/// Every list resource type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn ListResource>> {
    vec![
        Arc::new(management_token::ManagementTokenList::new(data.clone())),
        Arc::new(database::DatabaseList::new(data.clone())),
        Arc::new(database_token::DatabaseTokenList::new(data.clone())),
        Arc::new(self_hosted_token::SelfHostedTokenList::new(
            data.clone(),
            SelfHostedTokenKind::Admin,
        )),
        Arc::new(self_hosted_token::SelfHostedTokenList::new(
            data.clone(),
            SelfHostedTokenKind::Resource,
        )),
        Arc::new(self_hosted_database::SelfHostedDatabaseList::new(
            data.clone(),
        )),
    ]
}
