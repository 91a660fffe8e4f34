//! What the self-hosted resources (`self_hosted_token`, `self_hosted_database`)
//! share: reading string attributes and getting the `/api/v3` client.

use crate::framework::diag::Diagnostics;
use crate::framework::resource::ReadResponse;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::v3_client::V3Client;

pub(crate) fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

/// The client a refresh uses. `Err` is the answer to give without calling the
/// API: the prior state kept, with a diagnostic when the provider cannot serve
/// this resource (none while its configuration is not known yet).
pub(crate) fn client_for_read(
    data: &ProviderData,
    prior: &Value,
) -> Result<V3Client, ReadResponse> {
    let mut diagnostics = Diagnostics::new();
    match data.v3_client() {
        Ok(Some(client)) => return Ok(client),
        Ok(None) => {}
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    Err(ReadResponse {
        state: Some(prior.clone()),
        diagnostics,
    })
}

/// The client of an operation that must call the API now; `Err` holds the
/// diagnostic (titled `summary`) saying why there is none.
pub(crate) fn require_client(data: &ProviderData, summary: &str) -> Result<V3Client, Diagnostics> {
    data.require_v3_client(summary).map_err(|diagnostic| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(diagnostic);
        diagnostics
    })
}
