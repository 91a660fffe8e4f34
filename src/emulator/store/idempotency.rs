//! The `Idempotency-Key` table: the first result of a keyed create, replayed to
//! retries for 24 hours.
//!
//! A key is bound to one operation and one request body. The same key with a different
//! body is answered with 422 Unprocessable Content, as the IETF draft
//! "The Idempotency-Key HTTP Header Field" recommends, and not with 409, which this API
//! already uses for "token already revoked".

use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::state_file::{IdempotencyRecord, StateData};
use crate::emulator::ApiError;
use crate::emulator::operation::Operation;

/// How long a key is remembered.
pub(crate) const IDEMPOTENCY_WINDOW: TimeDelta = TimeDelta::hours(24);

/// The remembered response for `key`, if a request with the same key and body was
/// answered within the window.
///
/// Errors with 422 when the key was used for a different operation or body.
pub(crate) fn find<'a>(
    records: &'a [IdempotencyRecord],
    key: &str,
    operation: Operation,
    request: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Option<&'a serde_json::Value>, ApiError> {
    let Some(record) = records
        .iter()
        .find(|record| record.key == key && is_fresh(record, now))
    else {
        return Ok(None);
    };
    if record.operation != operation.name() || &record.request != request {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Idempotency-Key was already used with a different request",
        ));
    }
    Ok(Some(&record.response))
}

/// Records the first `response` to a keyed request and forgets records past the window.
pub(crate) fn remember(
    records: &mut Vec<IdempotencyRecord>,
    key: &str,
    operation: Operation,
    request: serde_json::Value,
    response: serde_json::Value,
    now: DateTime<Utc>,
) {
    records.retain(|record| is_fresh(record, now) && record.key != key);
    records.push(IdempotencyRecord {
        key: key.to_owned(),
        operation: operation.name().to_owned(),
        request,
        response,
        created_at: now,
    });
}

fn is_fresh(record: &IdempotencyRecord, now: DateTime<Utc>) -> bool {
    now - record.created_at < IDEMPOTENCY_WINDOW
}

impl super::Store {
    /// Runs the create `create` once per `key`: with a key that was used before for
    /// the same `operation` and `request`, returns the first result and changes
    /// nothing; otherwise commits `create` and, with a key, remembers its result in
    /// the same commit.
    pub(crate) fn create_once<T: Serialize + DeserializeOwned>(
        &mut self,
        operation: Operation,
        key: Option<&str>,
        request: &impl Serialize,
        now: DateTime<Utc>,
        create: impl FnOnce(&mut StateData) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let request = serde_json::to_value(request).map_err(ApiError::internal)?;
        if let Some(key) = key
            && let Some(first) = find(&self.data.idempotency, key, operation, &request, now)?
        {
            return serde_json::from_value(first.clone()).map_err(ApiError::internal);
        }
        self.commit(|data| {
            let created = create(data)?;
            if let Some(key) = key {
                let response = serde_json::to_value(&created).map_err(ApiError::internal)?;
                remember(
                    &mut data.idempotency,
                    key,
                    operation,
                    request,
                    response,
                    now,
                );
            }
            Ok(created)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CREATE: Operation = Operation::CreateManagementToken;

    fn table(now: DateTime<Utc>) -> Vec<IdempotencyRecord> {
        let mut records = Vec::new();
        remember(
            &mut records,
            "key-1",
            CREATE,
            json!({"description": "a"}),
            json!({"id": "first"}),
            now,
        );
        records
    }

    #[test]
    fn same_key_and_body_replays_the_first_response() {
        let now = Utc::now();
        let records = table(now);
        let found = find(&records, "key-1", CREATE, &json!({"description": "a"}), now);
        assert_eq!(found, Ok(Some(&json!({"id": "first"}))));
    }

    #[test]
    fn same_key_with_another_body_is_unprocessable() {
        let now = Utc::now();
        let records = table(now);
        let found = find(&records, "key-1", CREATE, &json!({"description": "b"}), now);
        assert_eq!(
            found.map_err(|error| error.status()),
            Err(StatusCode::UNPROCESSABLE_ENTITY)
        );
    }

    #[test]
    fn unknown_key_is_a_fresh_request() {
        let now = Utc::now();
        let records = table(now);
        let found = find(&records, "key-2", CREATE, &json!({"description": "a"}), now);
        assert_eq!(found, Ok(None));
    }

    #[test]
    fn keys_are_forgotten_after_the_window() {
        let then = Utc::now();
        let mut records = table(then);
        let later = then + IDEMPOTENCY_WINDOW;
        let found = find(
            &records,
            "key-1",
            CREATE,
            &json!({"description": "b"}),
            later,
        );
        assert_eq!(found, Ok(None));
        remember(&mut records, "key-2", CREATE, json!({}), json!({}), later);
        assert_eq!(records.len(), 1, "the expired record is pruned");
    }
}
