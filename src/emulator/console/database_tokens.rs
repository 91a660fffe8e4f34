//! The database-tokens page: every database token with its description, prefix,
//! permissions, creation, expiry and status; a status filter and a search by
//! description; Revoke (the API's delete) with a confirmation (a dialog with
//! JavaScript, a page of its own without). The pages are generic over the token
//! kind, in `token_pages.rs`; here is what a database token is to them.

use axum::Router;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ConsoleState;
use super::token_pages::{self, KindColumn, PageWords, TokenPageKind};
use crate::api::{ALL_DATABASES, DatabaseTokenPermission};
use crate::emulator::ApiError;
use crate::emulator::operation::Operation;
use crate::emulator::store::{Store, StoredDatabaseToken};

/// The list page.
pub(crate) const LIST_PATH: &str = "/console/database-tokens";

/// Database tokens, as the console shows them.
struct DatabaseTokens;

impl TokenPageKind for DatabaseTokens {
    type Token = StoredDatabaseToken;

    const WORDS: PageWords = PageWords {
        kind: "database",
        list_path: LIST_PATH,
        list_title: "Database tokens",
        revoke_title: "Revoke database token",
        revoke_consequence: "means it can never be used again; it stays listed, marked revoked.",
        revoked_notice: "It can no longer be used.",
        revoked_verb: "deleted",
        permissions_column: true,
    };

    const OPERATION: Operation = Operation::DeleteDatabaseToken;

    // The API's delete of a revoked token succeeds and changes nothing.
    const STORE_REFUSES_REVOKED: bool = false;

    fn tokens(store: &Store) -> Vec<StoredDatabaseToken> {
        store.data().database_tokens.clone()
    }

    fn id(token: &StoredDatabaseToken) -> Uuid {
        token.id
    }

    fn description(token: &StoredDatabaseToken) -> &str {
        &token.description
    }

    fn prefix(token: &StoredDatabaseToken) -> &str {
        &token.token_prefix
    }

    fn created_at(token: &StoredDatabaseToken) -> DateTime<Utc> {
        token.created_at
    }

    fn expires_at(token: &StoredDatabaseToken) -> Option<DateTime<Utc>> {
        token.expires_at
    }

    fn revoked_at(token: &StoredDatabaseToken) -> Option<DateTime<Utc>> {
        token.revoked_at
    }

    fn column(token: &StoredDatabaseToken, _all: &[StoredDatabaseToken]) -> KindColumn {
        KindColumn::Permissions(token.permissions.iter().map(permission_in_words).collect())
    }

    fn revoke(store: &mut Store, id: Uuid, now: DateTime<Utc>) -> Result<(), ApiError> {
        store.delete_database_token(id, now)
    }
}

pub(super) fn routes() -> Router<ConsoleState> {
    token_pages::routes::<DatabaseTokens>()
}

/// A permission in words: `read on metrics`, `write on all databases`.
fn permission_in_words(permission: &DatabaseTokenPermission) -> String {
    if permission.resource == ALL_DATABASES {
        format!("{} on all databases", permission.action)
    } else {
        format!("{} on {}", permission.action, permission.resource)
    }
}
