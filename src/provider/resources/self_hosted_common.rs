//! What the self-hosted resources (tokens, databases, tables, caches) share:
//! reading string attributes and getting the `/api/v3` client.

use crate::framework::diag::Diagnostics;
use crate::framework::resource::ReadResponse;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::product::ProductScope;
use crate::provider::v3_client::V3Client;

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
