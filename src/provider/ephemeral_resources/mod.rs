//! Ephemeral resource types. One file per type; [`all`] lists their constructors.
//!
//! Management and database tokens: one file each with its schema and create
//! request; open (mint), close (revoke) and the id in `private` are generic
//! over the token kind, in `token.rs`; `lifetime.rs` is shared.
//!
//! Self-hosted (Core and Enterprise) admin and resource tokens: one file,
//! `self_hosted_token.rs`, by kind (the name in `private`, delete in close).

mod database_token;
mod lifetime;
mod management_token;
mod self_hosted_token;
mod token;

use std::sync::Arc;

use crate::framework::ephemeral_resource::EphemeralResource;

use super::ProviderData;
use super::resources::SelfHostedTokenKind;

/// Every ephemeral resource type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn EphemeralResource>> {
    vec![
        Arc::new(management_token::EphemeralManagementToken::new(
            data.clone(),
        )),
        Arc::new(database_token::EphemeralDatabaseToken::new(data.clone())),
        Arc::new(self_hosted_token::EphemeralSelfHostedToken::new(
            data.clone(),
            SelfHostedTokenKind::Admin,
        )),
        Arc::new(self_hosted_token::EphemeralSelfHostedToken::new(
            data.clone(),
            SelfHostedTokenKind::Resource,
        )),
    ]
}
