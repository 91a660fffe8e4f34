//! What the self-hosted resources (tokens, databases, tables, caches) share:
//! reading and checking string attributes, getting the `/api/v3` client, and
//! the answers of a refresh, an update and a destroy.

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::resource::{DeleteResponse, ReadResponse, UpdateResponse};
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::client::ClientError;
use crate::provider::diagnostics::self_hosted_api_error;
use crate::provider::product::ProductScope;
use crate::provider::v3_client::{DeleteOutcome, V3Client};

pub(crate) fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

/// The client a refresh of `scope`'s type uses. `Err` is the answer to give
/// without calling the API: the prior state kept, with a diagnostic when the
/// provider cannot serve this resource (a Cloud provider: the product
/// mismatch, naming the Cloud counterpart), none while its configuration is
/// not known yet.
pub(crate) fn client_for_read(
    data: &ProviderData,
    scope: &ProductScope,
    prior: &Value,
) -> Result<V3Client, ReadResponse> {
    let mut diagnostics = Diagnostics::new();
    match data.v3_client_for(scope) {
        Ok(Some(client)) => return Ok(client),
        Ok(None) => {}
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    Err(ReadResponse {
        state: Some(prior.clone()),
        diagnostics,
    })
}

/// The client of an operation of `scope`'s type that must call the API now;
/// `Err` holds the diagnostic (titled `summary`) saying why there is none.
pub(crate) fn require_client(
    data: &ProviderData,
    scope: &ProductScope,
    summary: &str,
) -> Result<V3Client, Diagnostics> {
    data.require_v3_client_for(scope, summary)
        .map_err(Diagnostics::from)
}

/// The answer of a refresh of `prior` from what the server said of its
/// object: `Ok(Some(state))`, it exists with that state; `Ok(None)`, it is
/// gone (no state, so Terraform plans to create it again); `Err`, the prior
/// state kept with an error titled `summary`.
pub(crate) fn refreshed(
    prior: Value,
    looked_up: Result<Option<Value>, ClientError>,
    summary: &str,
) -> ReadResponse {
    match looked_up {
        Ok(state) => ReadResponse {
            state,
            diagnostics: Diagnostics::new(),
        },
        Err(error) => ReadResponse {
            state: Some(prior),
            diagnostics: Diagnostics::from(self_hosted_api_error(summary, &error)),
        },
    }
}

/// The answer of an in-place update from the server's answer `outcome`:
/// done, the state is `updated` (called only then); an error keeps `prior`
/// and is titled `summary`.
pub(crate) fn updated(
    outcome: Result<(), ClientError>,
    updated: impl FnOnce() -> Value,
    prior: Value,
    summary: &str,
) -> UpdateResponse {
    let mut diagnostics = Diagnostics::new();
    let state = match outcome {
        Ok(()) => updated(),
        Err(error) => {
            diagnostics.push(self_hosted_api_error(summary, &error));
            prior
        }
    };
    UpdateResponse {
        state: Some(state),
        diagnostics,
    }
}

/// The answer of a destroy from the server's answer `outcome` to the delete
/// of `what` (`database "sensors"`): deleted, or gone already, is success
/// (logged); an error is titled `summary`.
pub(crate) fn destroyed(
    outcome: Result<DeleteOutcome, ClientError>,
    what: &str,
    summary: &str,
) -> DeleteResponse {
    let mut diagnostics = Diagnostics::new();
    match outcome {
        Ok(DeleteOutcome::Deleted) => log::info!("deleted {what}"),
        Ok(DeleteOutcome::NotFound) => log::info!("{what} does not exist; nothing to delete"),
        Err(error) => diagnostics.push(self_hosted_api_error(summary, &error)),
    }
    DeleteResponse { diagnostics }
}

/// A check of a string attribute: the problem with a value, if any.
pub(crate) type Check = fn(&str) -> Result<(), String>;

/// Reports the string attribute `name` of `config`, when it is known and
/// `check` refuses it, on the attribute with the summary `summary`.
pub(crate) fn check_attribute(
    config: &Value,
    name: &str,
    summary: &str,
    check: impl FnOnce(&str) -> Result<(), String>,
    diagnostics: &mut Diagnostics,
) {
    if let Some(text) = string_attr(config, name)
        && let Err(problem) = check(text)
    {
        diagnostics.attribute_error(Path::root(name), summary, problem);
    }
}
