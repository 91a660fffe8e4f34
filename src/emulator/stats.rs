//! Request counters behind `GET /_emulator/stats`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::operation::Operation;

/// Counts of API requests (not `/_emulator/` ones), failed and faulted ones included.
#[derive(Debug)]
pub(crate) struct Stats {
    requests_total: u64,
    by_operation: BTreeMap<&'static str, u64>,
    /// The operations the body lists: those of the API served.
    listed: &'static [Operation],
}

impl Default for Stats {
    fn default() -> Self {
        Self::listing(&Operation::ALL)
    }
}

/// The body of `GET /_emulator/stats`; every operation is listed, zero or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct StatsBody {
    requests_total: u64,
    by_operation: BTreeMap<&'static str, u64>,
}

impl Stats {
    /// Counters whose body lists `operations` (zero or not).
    pub(crate) fn listing(operations: &'static [Operation]) -> Self {
        Self {
            requests_total: 0,
            by_operation: BTreeMap::new(),
            listed: operations,
        }
    }

    /// Counts one request for `operation`.
    pub(crate) fn record(&mut self, operation: Operation) {
        self.requests_total += 1;
        *self.by_operation.entry(operation.name()).or_default() += 1;
    }

    /// Zeroes every counter.
    pub(crate) fn reset(&mut self) {
        *self = Self::listing(self.listed);
    }

    /// The counters as the control endpoint reports them.
    pub(crate) fn body(&self) -> StatsBody {
        let by_operation = self
            .listed
            .iter()
            .copied()
            .map(|operation| {
                let name = operation.name();
                (name, self.by_operation.get(name).copied().unwrap_or(0))
            })
            .collect();
        StatsBody {
            requests_total: self.requests_total,
            by_operation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_operation_and_resets() {
        let mut stats = Stats::default();
        stats.record(Operation::CreateManagementToken);
        stats.record(Operation::CreateManagementToken);
        stats.record(Operation::RevokeManagementToken);
        stats.record(Operation::CreateDatabase);
        let body = serde_json::to_value(stats.body()).unwrap_or_default();
        assert_eq!(body["requests_total"], 4);
        let by_operation = body["by_operation"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            by_operation.len(),
            Operation::ALL.len(),
            "every operation is listed"
        );
        assert_eq!(by_operation["create_management_token"], 2);
        assert_eq!(by_operation["revoke_management_token"], 1);
        assert_eq!(by_operation["create_database"], 1);
        assert_eq!(by_operation["list_management_tokens"], 0);
        assert_eq!(by_operation["delete_database_token"], 0);
        stats.reset();
        assert_eq!(stats.body().requests_total, 0);
    }
}
