//! `data "influxdb3_database_tokens"`: every database token of the cluster;
//! the data source is generic over the token kind, in `token.rs`.

use crate::provider::token_kind::DatabaseTokens;

use super::token::TokensDataSource;

/// The `influxdb3_database_tokens` data source.
pub(crate) type DatabaseTokensDataSource = TokensDataSource<DatabaseTokens>;
