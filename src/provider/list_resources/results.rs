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
