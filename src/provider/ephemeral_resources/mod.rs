//! Ephemeral resource types. One file per type; [`all`] lists their constructors.
//!
//! Adding `influxdb3_database_token` later: a new file next to
//! `management_token.rs` with the same shape (mint in open, the id in
//! `private`, revoke in close), listed in [`all`]; `lifetime.rs` is shared.

mod database_token;
mod lifetime;
mod management_token;

use std::sync::Arc;

use crate::framework::ephemeral_resource::EphemeralResource;

use super::ProviderData;

/// Every ephemeral resource type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn EphemeralResource>> {
    vec![
        Arc::new(management_token::EphemeralManagementToken::new(
            data.clone(),
        )),
        Arc::new(database_token::EphemeralDatabaseToken::new(data.clone())),
    ]
}
