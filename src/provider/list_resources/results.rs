//! What every list resource's `list` shares: how a failure is streamed, how
//! many results a request's limit allows, and how the objects of a list whose
//! identity comes from the state are streamed.

use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListRequest, ListResult, ListResults};
use crate::framework::value::Value;

/// The stream of a list that failed: one result carrying `diagnostics`.
pub(super) fn failed(diagnostics: Diagnostics) -> ListResults {
    Box::pin(futures_util::stream::iter([ListResult::diagnostics(
        diagnostics,
    )]))
}

/// How many results a request's `limit` allows (0 or less: no limit).
pub(super) fn most(limit: i64) -> usize {
    match usize::try_from(limit).unwrap_or(0) {
        0 => usize::MAX,
        limit => limit,
    }
}

/// The stream of a list's results: the first of `objects` that the request's
/// limit allows, each with the identity `identity` makes of its state, its
/// display name (both from `state_and_name`), and its state when the request
/// includes resources; logged as so many `what`.
pub(super) fn listed<T>(
    request: &ListRequest,
    objects: impl IntoIterator<Item = T>,
    state_and_name: impl Fn(T) -> (Value, String),
    identity: fn(&Value) -> Option<Value>,
    what: &str,
) -> ListResults {
    let results: Vec<ListResult> = objects
        .into_iter()
        .take(most(request.limit))
        .map(|object| {
            let (state, display_name) = state_and_name(object);
            ListResult {
                identity: identity(&state),
                display_name,
                resource: request.include_resource.then_some(state),
                diagnostics: Diagnostics::new(),
            }
        })
        .collect();
    log::debug!("listed {} {what}", results.len());
    Box::pin(futures_util::stream::iter(results))
}

/// Checks that `list`, with a provider that is not configured, streams exactly
/// one result: an error.
#[cfg(test)]
pub(super) async fn assert_lists_one_error(
    list: &dyn crate::framework::list_resource::ListResource,
    config: crate::framework::value::Value,
) {
    use futures_util::StreamExt as _;

    let results: Vec<ListResult> = list
        .list(crate::framework::list_resource::ListRequest {
            config,
            include_resource: true,
            limit: 10,
        })
        .await
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(results[0].diagnostics.has_error());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_listing_takes_the_limit_and_sends_states_only_when_asked() {
        use futures_util::StreamExt as _;

        let identity = |state: &Value| Some(Value::object([("name", state.clone())]));
        for include_resource in [false, true] {
            let request = ListRequest {
                config: Value::Null,
                include_resource,
                limit: 2,
            };
            let names = ["a", "b", "c"];
            let state_and_name = |name: &str| (Value::string(name), name.to_uppercase());
            let results: Vec<ListResult> = listed(&request, names, state_and_name, identity, "x")
                .collect()
                .await;
            let shown: Vec<&str> = results.iter().map(|r| r.display_name.as_str()).collect();
            assert_eq!(shown, ["A", "B"]);
            assert_eq!(
                results[1].identity,
                Some(Value::object([("name", Value::string("b"))]))
            );
            let expected = include_resource.then(|| Value::string("b"));
            assert_eq!(results[1].resource, expected);
            assert!(results.iter().all(|r| r.diagnostics.is_empty()));
        }
    }

    #[test]
    fn no_positive_limit_is_no_limit() {
        assert_eq!(most(0), usize::MAX);
        assert_eq!(most(-3), usize::MAX);
        assert_eq!(most(7), 7);
    }
}
