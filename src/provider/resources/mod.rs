//! Resource types. One file per resource; [`all`] lists their constructors.

mod database_token;
mod database_token_identity;
mod database_token_model;
mod database_token_move;
mod management_token;
mod management_token_identity;
mod token_rules;

use std::sync::Arc;

use crate::framework::resource::Resource;

use super::ProviderData;

pub(crate) use database_token::DatabaseTokenResource;
pub(crate) use database_token_identity::identity_value as database_token_identity_value;
pub(crate) use database_token_model::{
    PermissionModel, from_api_permissions, listed_state as listed_database_token_state,
    permissions_nested,
};
pub(crate) use management_token::{ManagementTokenResource, listed_state};
pub(crate) use management_token_identity::identity_value;
pub(crate) use token_rules::{check_description, format_time};

/// Every resource type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn Resource>> {
    vec![
        Arc::new(ManagementTokenResource::new(data.clone())),
        Arc::new(DatabaseTokenResource::new(data.clone())),
    ]
}
