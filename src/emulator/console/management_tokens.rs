//! The management-tokens page: every token with its description, prefix, creation,
//! creator, expiry and status; a status filter and a search by description; Revoke
//! with a confirmation (a dialog with JavaScript, a page of its own without). The
//! pages are generic over the token kind, in `token_pages.rs`; here is what a
//! management token is to them.

use axum::Router;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ConsoleState;
use super::token_pages::{self, KindColumn, PageWords, TokenPageKind};
use crate::api::ManagementToken;
use crate::emulator::operation::Operation;
use crate::emulator::store::Store;
use crate::emulator::{ApiError, BOOTSTRAP_IDENTITY_ID};

/// The list page.
pub(crate) const LIST_PATH: &str = "/console/management-tokens";

/// Management tokens, as the console shows them.
struct ManagementTokens;

impl TokenPageKind for ManagementTokens {
    type Token = ManagementToken;

    const WORDS: PageWords = PageWords {
        kind: "management",
        list_path: LIST_PATH,
        list_title: "Management tokens",
        revoke_title: "Revoke management token",
        revoke_consequence: "makes it stop authenticating at once; it can never be used again.",
        revoked_notice: "It no longer authenticates.",
        revoked_verb: "revoked",
        permissions_column: false,
    };

    const OPERATION: Operation = Operation::RevokeManagementToken;

    const STORE_REFUSES_REVOKED: bool = true;

    fn tokens(store: &Store) -> Vec<ManagementToken> {
        store.list_management_tokens()
    }

    fn id(token: &ManagementToken) -> Uuid {
        token.id
    }

    fn description(token: &ManagementToken) -> &str {
        &token.description
    }

    fn prefix(token: &ManagementToken) -> &str {
        &token.token_prefix
    }

    fn created_at(token: &ManagementToken) -> DateTime<Utc> {
        token.created_at
    }

    fn expires_at(token: &ManagementToken) -> Option<DateTime<Utc>> {
        token.expires_at
    }

    fn revoked_at(token: &ManagementToken) -> Option<DateTime<Utc>> {
        token.revoked_at
    }

    fn column(token: &ManagementToken, all: &[ManagementToken]) -> KindColumn {
        KindColumn::CreatedBy(creator(token.created_by, all))
    }

    fn revoke(store: &mut Store, id: Uuid, now: DateTime<Utc>) -> Result<(), ApiError> {
        store.revoke_management_token(id, now)
    }
}

pub(super) fn routes() -> Router<ConsoleState> {
    token_pages::routes::<ManagementTokens>()
}

/// Who created a token, in words: the bootstrap token, or the minting token's
/// description and prefix.
fn creator(id: Uuid, all: &[ManagementToken]) -> String {
    if id == BOOTSTRAP_IDENTITY_ID {
        return "bootstrap token".to_owned();
    }
    match all.iter().find(|token| token.id == id) {
        Some(token) => format!("{} ({}…)", token.description, token.token_prefix),
        None => id.to_string(),
    }
}
