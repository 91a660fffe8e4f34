//! Resource types. One file per resource; [`all`] lists their constructors.

mod cluster_resource;
mod database;
mod database_identity;
mod database_token;
mod database_token_identity;
mod database_token_model;
mod database_token_move;
mod management_token;
mod management_token_identity;
mod moved_from_go_provider;
mod partition_template;
mod retention_period;
mod self_hosted_cache;
mod self_hosted_common;
mod self_hosted_database;
mod self_hosted_distinct_cache;
mod self_hosted_identity;
mod self_hosted_last_cache;
mod self_hosted_permissions;
mod self_hosted_table;
mod self_hosted_table_schema;
mod self_hosted_token;
mod self_hosted_token_schema;
mod table;
mod token_lifecycle;
mod token_rules;

use std::sync::Arc;

use crate::framework::resource::Resource;

use self_hosted_cache::SelfHostedCacheResource;
use self_hosted_distinct_cache::DistinctCache;
use self_hosted_last_cache::LastCache;

use super::ProviderData;

pub(crate) use database::database_state;
pub(crate) use database_identity::database_identity;
pub(crate) use database_token::DatabaseTokenResource;
pub(crate) use database_token_identity::identity_value as database_token_identity_value;
pub(crate) use database_token_model::{
    PermissionModel, from_api_permissions, listed_state as listed_database_token_state,
    permissions_nested, state as database_token_state,
};
pub(crate) use management_token::{
    ManagementTokenResource, listed_state, state as management_token_state,
};
pub(crate) use management_token_identity::identity_value;
pub(crate) use partition_template::value_type as partition_template_type;
pub(crate) use self_hosted_database::state as self_hosted_database_state;
pub(crate) use self_hosted_identity::self_hosted_identity;
pub(crate) use self_hosted_permissions::{
    parse_permission as parse_self_hosted_permission,
    permission_strings as self_hosted_permission_strings,
    validate_permissions as validate_self_hosted_permissions,
};
pub(crate) use self_hosted_token::{
    SelfHostedTokenResource, TokenKind as SelfHostedTokenKind,
    is_expired as self_hosted_token_expired,
};
pub(crate) use token_rules::{check_description, format_time};

/// Every resource type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn Resource>> {
    vec![
        Arc::new(ManagementTokenResource::new(data.clone())),
        Arc::new(database::DatabaseResource::new(data.clone())),
        Arc::new(table::TableResource::new(data.clone())),
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
        Arc::new(self_hosted_table::SelfHostedTableResource::new(
            data.clone(),
        )),
        Arc::new(SelfHostedCacheResource::<LastCache>::new(data.clone())),
        Arc::new(SelfHostedCacheResource::<DistinctCache>::new(data.clone())),
        Arc::new(DatabaseTokenResource::new(data.clone())),
    ]
}
