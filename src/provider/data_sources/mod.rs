//! Data source types. One file per data source; [`all`] lists their constructors.

mod database;
mod database_token;
mod database_tokens;
mod management_token;
mod management_tokens;
mod self_hosted;
mod token;

use std::sync::Arc;

use crate::framework::data_source::DataSource;

use super::ProviderData;

/// Every data source type of the provider.
pub(crate) fn all(data: &Arc<ProviderData>) -> Vec<Arc<dyn DataSource>> {
    vec![
        Arc::new(management_token::ManagementTokenDataSource::new(
            data.clone(),
        )),
        Arc::new(management_tokens::ManagementTokensDataSource::new(
            data.clone(),
        )),
        Arc::new(self_hosted::SelfHostedTokensDataSource::new(data.clone())),
        Arc::new(self_hosted::SelfHostedDatabasesDataSource::new(
            data.clone(),
        )),
        Arc::new(database::DatabaseDataSource::new(data.clone())),
        Arc::new(database::DatabasesDataSource::new(data.clone())),
        Arc::new(database_token::DatabaseTokenDataSource::new(data.clone())),
        Arc::new(database_tokens::DatabaseTokensDataSource::new(data.clone())),
    ]
}
