//! `moved {}` from the databases and tables of the Go provider
//! `thulasirajkomminar/influxdb3` (`influxdb3_database`,
//! `influxdb3_cloud_database`, `influxdb3_table`, `influxdb3_cloud_table`):
//! its state, as that provider documents it, turned into ours. Its
//! `retention_period` is a number of nanoseconds (ours a duration string)
//! and a bucket part's `value` is JSON text `{"tagName": .., "numberOfBuckets": ..}`
//! (ours typed fields). See `docs/guides/switching-from-thulasirajkomminar.md`.

use serde_json::Value as Json;

use crate::framework::diag::Diagnostics;
use crate::framework::model::ToValue;
use crate::framework::resource::{MoveStateRequest, MoveStateResponse};

use super::database::DatabaseModel;
use super::partition_template::PartitionPartModel;
use super::retention_period;
use super::table::TableModel;

/// The Go provider's address.
pub(crate) const GO_PROVIDER_ADDRESS: &str = "registry.terraform.io/thulasirajkomminar/influxdb3";

const SUMMARY: &str = "Cannot Move Resource State";

/// Whether the source is one of the Go provider's `types`: in that
/// provider's state, or in state moved to this provider with `terraform
/// state replace-provider` (Terraform cannot plan a `moved` from a provider
/// it cannot install). Only the `influxdb3_cloud_*` types can come that way:
/// this provider has no such types, so their state is the Go provider's.
fn from_go_provider(request: &MoveStateRequest, types: [&str; 2]) -> bool {
    let address = request.source_provider_address.trim_end_matches('/');
    let source = request.source_type_name.as_str();
    let go_state = address == GO_PROVIDER_ADDRESS && types.contains(&source);
    let replaced_provider = address == crate::provider::PROVIDER_ADDRESS && types[1] == source;
    go_state || replaced_provider
}

fn text(state: &Json, key: &str) -> Option<String> {
    state.get(key).and_then(Json::as_str).map(str::to_string)
}

fn failed(detail: String) -> MoveStateResponse {
    let mut diagnostics = Diagnostics::new();
    diagnostics.error(SUMMARY, detail);
    MoveStateResponse {
        state: None,
        diagnostics,
    }
}

/// The tag and bucket count of the Go provider's bucket part `value`,
/// `{"tagName": "host", "numberOfBuckets": 10}`.
pub(crate) fn bucket_from_json(value: &str) -> Option<(String, i64)> {
    let bucket: Json = serde_json::from_str(value).ok()?;
    Some((
        bucket.get("tagName")?.as_str()?.to_string(),
        bucket.get("numberOfBuckets")?.as_i64()?,
    ))
}

/// The parts of the Go provider's `partition_template`.
fn parts(state: &Json) -> Result<Option<Vec<PartitionPartModel>>, String> {
    let Some(listed) = state.get("partition_template").and_then(Json::as_array) else {
        return Ok(None);
    };
    if listed.is_empty() {
        return Ok(None);
    }
    listed
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let kind = text(part, "type").unwrap_or_default();
            let value = text(part, "value").unwrap_or_default();
            if kind != "bucket" {
                return Ok(PartitionPartModel {
                    r#type: kind,
                    value,
                    number_of_buckets: None,
                });
            }
            match bucket_from_json(&value) {
                Some((tag, buckets)) => Ok(PartitionPartModel {
                    r#type: kind,
                    value: tag,
                    number_of_buckets: Some(buckets),
                }),
                None => Err(format!(
                    "partition_template[{index}] is a bucket part whose value is not the JSON \
                     object {{\"tagName\": ..., \"numberOfBuckets\": ...}}"
                )),
            }
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A database of the Go provider, or `None` when the source is not one.
pub(crate) fn move_database(request: &MoveStateRequest) -> Option<MoveStateResponse> {
    if !from_go_provider(request, ["influxdb3_database", "influxdb3_cloud_database"]) {
        return None;
    }
    let state = &request.source_state;
    let Some(name) = text(state, "name") else {
        return Some(failed(format!(
            "The {} state has no name.",
            request.source_type_name
        )));
    };
    let partition_template = match parts(state) {
        Ok(parts) => parts,
        Err(problem) => return Some(failed(problem)),
    };
    let number = |key: &str| state.get(key).and_then(Json::as_i64);
    let model = DatabaseModel {
        id: Some(name.clone()),
        name,
        max_tables: number("max_tables"),
        max_columns_per_table: number("max_columns_per_table"),
        retention_period: Some(retention_period::format(
            number("retention_period").unwrap_or(0),
        )),
        partition_template,
        account_id: text(state, "account_id"),
        cluster_id: text(state, "cluster_id"),
    };
    Some(MoveStateResponse {
        state: Some(model.to_value()),
        diagnostics: Diagnostics::new(),
    })
}

/// A table of the Go provider, or `None` when the source is not one.
pub(crate) fn move_table(request: &MoveStateRequest) -> Option<MoveStateResponse> {
    if !from_go_provider(request, ["influxdb3_table", "influxdb3_cloud_table"]) {
        return None;
    }
    let state = &request.source_state;
    let (Some(database_name), Some(name)) = (text(state, "database_name"), text(state, "name"))
    else {
        return Some(failed(format!(
            "The {} state has no database_name or name.",
            request.source_type_name
        )));
    };
    let partition_template = match parts(state) {
        Ok(parts) => parts,
        Err(problem) => return Some(failed(problem)),
    };
    let model = TableModel {
        id: Some(super::table::table_id(&database_name, &name)),
        database_name,
        name,
        partition_template,
        account_id: text(state, "account_id"),
        cluster_id: text(state, "cluster_id"),
    };
    Some(MoveStateResponse {
        state: Some(model.to_value()),
        diagnostics: Diagnostics::new(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::framework::value::Value;

    fn request(type_name: &str, state: Json) -> MoveStateRequest {
        MoveStateRequest {
            source_provider_address: GO_PROVIDER_ADDRESS.into(),
            source_type_name: type_name.into(),
            source_schema_version: 0,
            source_state: state,
        }
    }

    #[test]
    fn a_go_provider_database_becomes_ours() {
        let moved = move_database(&request(
            "influxdb3_cloud_database",
            json!({
                "name": "signals", "max_tables": 500, "max_columns_per_table": 200,
                "retention_period": 2_592_000_000_000_000_i64,
                "account_id": "a", "cluster_id": "c",
                "partition_template": [
                    {"type": "tag", "value": "line"},
                    {"type": "bucket", "value": "{\"tagName\":\"temperature\",\"numberOfBuckets\":10}"},
                ],
            }),
        ))
        .unwrap();
        let state = moved.state.unwrap();
        assert_eq!(
            state.get_attr("retention_period"),
            Some(&Value::string("30d"))
        );
        let parts = state
            .get_attr("partition_template")
            .unwrap()
            .as_elements()
            .unwrap();
        assert_eq!(
            parts[1].get_attr("value"),
            Some(&Value::string("temperature"))
        );
        assert_eq!(
            parts[1].get_attr("number_of_buckets"),
            Some(&Value::number(10))
        );
    }

    #[test]
    fn cloud_types_come_from_replaced_provider_state_too() {
        let mut replaced = request(
            "influxdb3_cloud_table",
            json!({"database_name": "d", "name": "t"}),
        );
        replaced.source_provider_address = crate::provider::PROVIDER_ADDRESS.into();
        let moved = move_table(&replaced).unwrap();
        assert_eq!(
            moved.state.unwrap().get_attr("id"),
            Some(&Value::string("d:t"))
        );
        replaced.source_type_name = "influxdb3_table".into();
        assert!(move_table(&replaced).is_none());
    }

    #[test]
    fn other_sources_and_bad_buckets_are_refused() {
        let mut other = request("influxdb3_database", json!({"name": "x"}));
        other.source_provider_address = "registry.terraform.io/hashicorp/null".into();
        assert!(move_database(&other).is_none());
        assert!(move_database(&request("influxdb3_table", json!({}))).is_none());
        let bad = move_table(&request(
            "influxdb3_table",
            json!({"database_name": "d", "name": "t",
                   "partition_template": [{"type": "bucket", "value": "nope"}]}),
        ))
        .unwrap();
        assert!(bad.diagnostics.has_error());
        assert!(bad.state.is_none());
    }
}
