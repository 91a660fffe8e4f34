//! Action types. One file per action; [`all`] lists their constructors.
//!
//! `influxdb3_revoke_management_token` and `influxdb3_revoke_database_token`,
//! one file each naming its token kind; the action itself (`token_id`,
//! schema, the revoke, how an outcome is reported) is generic over the kind,
//! in `revoke_token.rs`.
//! `influxdb3_delete_self_hosted_token` (Core and Enterprise tokens, by name)
//! is its own file, `delete_self_hosted_token.rs`.

mod delete_self_hosted_token;
mod revoke_database_token;
mod revoke_management_token;
mod revoke_token;

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
        Arc::new(delete_self_hosted_token::DeleteSelfHostedToken::new(
            data.clone(),
        )),
    ]
}
