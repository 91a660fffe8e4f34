//! Action types. One file per action; [`all`] lists their constructors.
//!
//! Adding `influxdb3_revoke_database_token` later: a file with the same shape
//! as `revoke_management_token.rs` calling the database-token revoke of the
//! client, listed in [`all`].

mod revoke_database_token;
mod revoke_management_token;

use std::sync::Arc;

use crate::framework::action::Action;

use super::ProviderData;

/// Every action type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn Action>> {
    vec![
        Arc::new(revoke_management_token::RevokeManagementToken::new(
            data.clone(),
        )),
        Arc::new(revoke_database_token::RevokeDatabaseToken::new(
            data.clone(),
        )),
    ]
}
