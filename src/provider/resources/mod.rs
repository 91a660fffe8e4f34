//! Resource types. One file per resource; [`all`] lists their constructors.

mod management_token;
mod management_token_identity;
mod self_hosted_common;
mod self_hosted_database;
mod self_hosted_permissions;
mod self_hosted_token;
mod self_hosted_token_schema;

use std::sync::Arc;

use crate::framework::resource::Resource;

use super::ProviderData;

pub(crate) use management_token::{
    ManagementTokenResource, check_description, format_time, listed_state,
};
pub(crate) use management_token_identity::identity_value;

/// Every resource type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn Resource>> {
    vec![
        Arc::new(ManagementTokenResource::new(data.clone())),
        Arc::new(self_hosted_token::SelfHostedTokenResource::new(
            data.clone(),
            self_hosted_token::TokenKind::Admin,
        )),
        Arc::new(self_hosted_token::SelfHostedTokenResource::new(
            data.clone(),
            self_hosted_token::TokenKind::Resource,
        )),
        Arc::new(self_hosted_database::SelfHostedDatabaseResource::new(
            data.clone(),
        )),
    ]
}
