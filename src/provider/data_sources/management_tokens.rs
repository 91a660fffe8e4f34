//! `data "influxdb3_management_tokens"`: every token of the account; the
//! data source is generic over the token kind, in `token.rs`.

use crate::provider::token_kind::ManagementTokens;

use super::token::TokensDataSource;

/// The `influxdb3_management_tokens` data source.
pub(crate) type ManagementTokensDataSource = TokensDataSource<ManagementTokens>;
