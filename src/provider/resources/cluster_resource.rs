//! What the Cloud Dedicated/Clustered database and table resources
//! (`database.rs`, `table.rs`) share: getting the client (with the
//! product-mismatch diagnostic of their type), the plan-time checks (the
//! product; the cluster is reachable), and the operations that look a database up in the
//! cluster's database list (read, import) or delete an object.
//!
//! Both see the cluster through the same list: a database is read from it,
//! and a table, which the API cannot read, exists as long as its database is
//! listed.

use std::future::Future;

use crate::api::Database;
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::resource::{DeleteResponse, ImportResponse, PlanContext, ReadResponse};
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::client::{ClientError, DeleteOutcome, ManagementApiClient};
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;

/// The client of an operation that must call the API now; `Err` holds the
/// diagnostic (titled `summary`) saying why there is none.
pub(super) fn require_client(
    data: &ProviderData,
    scope: &ProductScope,
    summary: &str,
) -> Result<ManagementApiClient, Diagnostics> {
    data.require_client_for(scope, summary)
        .map_err(Diagnostics::from)
}

/// The client for a read, or the response that keeps `state` as it is when
/// there is none: the configuration is not known yet (plan), or an error.
pub(super) fn client_for_read(
    data: &ProviderData,
    scope: &ProductScope,
    state: &Value,
) -> Result<ManagementApiClient, ReadResponse> {
    match data.client_for(scope) {
        Ok(Some(client)) => Ok(client),
        Ok(None) => Err(ReadResponse {
            state: Some(state.clone()),
            diagnostics: Diagnostics::new(),
        }),
        Err(diagnostic) => Err(ReadResponse {
            state: Some(state.clone()),
            diagnostics: Diagnostics::from(diagnostic),
        }),
    }
}

/// The plan-time checks of both resources: a provider configured for Core
/// or Enterprise fails the plan; a plan that creates (or replaces) checks
/// that the API can be reached with this provider configuration, with a list
/// request (shared with the refresh) that fails on a wrong token and, on
/// Cloud Dedicated, on a missing `cluster_id` (an error titled `summary`).
/// Returns whether the plan is an in-place update that passed the checks,
/// which the resource may adjust further.
pub(super) async fn check_plan(
    data: &ProviderData,
    scope: &ProductScope,
    plan: &mut PlanContext,
    summary: &str,
) -> bool {
    if let Some(diagnostic) = data.wrong_product_for(scope) {
        plan.diagnostics.push(diagnostic);
        return false;
    }
    let creating = plan.prior.is_none() || !plan.requires_replace.is_empty();
    if !creating {
        return true;
    }
    if let Ok(Some(client)) = data.client()
        && let Err(error) = data.check_cluster_accepted(&client).await
    {
        plan.diagnostics.push(api_error(summary, &error));
    }
    false
}

/// A refresh of `state` (of a `kind`, "database" or "table") by what the
/// database list says of the database its attribute `database_attribute`
/// names: listed, the new state is `found(state, database)`; not listed, the
/// object is gone; the list failing keeps `state` with an error titled
/// `summary`.
pub(super) async fn read_by_database(
    data: &ProviderData,
    scope: &ProductScope,
    state: Value,
    (kind, database_attribute, summary): (&str, &str, &str),
    found: impl FnOnce(Value, Database) -> Value,
) -> ReadResponse {
    let mut diagnostics = Diagnostics::new();
    let client = match client_for_read(data, scope, &state) {
        Ok(client) => client,
        Err(kept) => return kept,
    };
    let Some(name) = state
        .get_attr(database_attribute)
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        log::warn!("{kind} in state has no {database_attribute}; treating it as gone");
        return ReadResponse {
            state: None,
            diagnostics,
        };
    };
    match data.listed_database(&client, &name).await {
        Ok(Some(database)) => ReadResponse {
            state: Some(found(state, database)),
            diagnostics,
        },
        Ok(None) => {
            log::info!("database {name:?} no longer exists; removing the {kind} from state");
            ReadResponse {
                state: None,
                diagnostics,
            }
        }
        Err(error) => {
            diagnostics.push(api_error(summary, &error));
            ReadResponse {
                state: Some(state),
                diagnostics,
            }
        }
    }
}

/// An import that needs database `name` listed: the state is
/// `found(database)`; not listed, an error titled `missing` ("The cluster
/// has no database named ..."); the list failing, an error titled
/// `summary`.
pub(super) async fn import_by_database(
    data: &ProviderData,
    scope: &ProductScope,
    name: &str,
    (summary, missing): (&str, &str),
    found: impl FnOnce(Database) -> Value,
) -> ImportResponse {
    let diagnostics = match require_client(data, scope, summary) {
        Ok(client) => match data.listed_database(&client, name).await {
            Ok(Some(database)) => {
                return ImportResponse {
                    state: Some(found(database)),
                    diagnostics: Diagnostics::new(),
                };
            }
            Ok(None) => Diagnostics::from(Diagnostic::error(
                missing,
                format!("The cluster has no database named {name:?}."),
            )),
            Err(error) => Diagnostics::from(api_error(summary, &error)),
        },
        Err(diagnostics) => diagnostics,
    };
    ImportResponse {
        state: None,
        diagnostics,
    }
}

/// A destroy: `target` is what to delete (`"database \"x\""`, for the log)
/// and the API call deleting it; `None` when the state names nothing. The
/// database list is invalidated after the call, whatever its outcome; an
/// object that is already gone counts as deleted.
pub(super) async fn delete<F, Call>(
    data: &ProviderData,
    scope: &ProductScope,
    summary: &str,
    target: Option<(String, Call)>,
) -> DeleteResponse
where
    Call: FnOnce(ManagementApiClient) -> F,
    F: Future<Output = Result<DeleteOutcome, ClientError>>,
{
    let client = match require_client(data, scope, summary) {
        Ok(client) => client,
        Err(diagnostics) => return DeleteResponse { diagnostics },
    };
    let mut diagnostics = Diagnostics::new();
    let Some((what, call)) = target else {
        return DeleteResponse { diagnostics };
    };
    let deleted = call(client).await;
    data.databases_changed();
    match deleted {
        Ok(outcome) => log::info!("delete {what}: {outcome:?}"),
        Err(error) => diagnostics.push(api_error(summary, &error)),
    }
    DeleteResponse { diagnostics }
}
