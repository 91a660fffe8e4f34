//! `influxdb3_revoke_database_token`: revokes a database token that Terraform
//! does not manage (a leaked or forgotten one), on demand with
//! `terraform apply -invoke=action.influxdb3_revoke_database_token.NAME`.
//! Already revoked completes with a warning (the goal holds); an id the API
//! does not know is an error.
//!
//! The action is [`RevokeToken`] (in `revoke_token.rs`) of this token kind.

use crate::provider::token_kind::DatabaseTokens;

use super::revoke_token::RevokeToken;

/// The `influxdb3_revoke_database_token` action.
pub(crate) type RevokeDatabaseToken = RevokeToken<DatabaseTokens>;
