//! What every list resource's `list` shares: how a failure is streamed and
//! how many results a request's limit allows.

use crate::framework::diag::Diagnostics;
use crate::framework::list_resource::{ListResult, ListResults};

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

    #[test]
    fn no_positive_limit_is_no_limit() {
        assert_eq!(most(0), usize::MAX);
        assert_eq!(most(-3), usize::MAX);
        assert_eq!(most(7), 7);
    }
}
