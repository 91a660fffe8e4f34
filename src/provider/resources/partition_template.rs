//! `partition_template` of a database or table: a list of typed parts,
//! `{ type = "tag", value = "region" }`, `{ type = "time", value = "%Y-%m-%d" }`
//! or `{ type = "bucket", value = "sensor_id", number_of_buckets = 100 }`,
//! converted to and from the API's encoding and checked as the API does.

use std::collections::HashSet;

use crate::api::{PartitionBucket, PartitionTemplatePart};
use crate::framework::diag::Diagnostics;
use crate::framework::model::Model;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, NestedObject, Validator};
use crate::framework::value::{Type, Value};

/// The most parts a template may have.
const MAX_PARTS: usize = 8;
/// The most `tag` and `bucket` parts a template may have together.
const MAX_TAG_AND_BUCKET_PARTS: usize = 7;
/// The range of `number_of_buckets`.
const MIN_BUCKETS: i64 = 1;
const MAX_BUCKETS: i64 = 100_000;

crate::model! {
    /// One part of a partition template.
    pub(crate) struct PartitionPartModel {
        pub(crate) r#type: String => |name| Attribute::required(name, Type::String)
            .validator(Validator::one_of(["tag", "time", "bucket"]))
            .description("`tag` (partition by a tag's value), `time` (by the time, formatted) or `bucket` (by a hash of a tag's value into `number_of_buckets` buckets)."),
        pub(crate) value: String => |name| Attribute::required(name, Type::String)
            .validator(Validator::string_length(1, None))
            .description("The tag name for `tag` and `bucket` parts; the time format (strftime, such as `%Y-%m-%d`) for a `time` part."),
        pub(crate) number_of_buckets: Option<i64> => |name| Attribute::optional(name, Type::Number)
            .validator(Validator::int_range(MIN_BUCKETS, MAX_BUCKETS))
            .description("How many buckets a `bucket` part hashes the tag's values into, 1 to 100000. Required for `bucket` parts, not allowed for the others."),
    }
}

/// The nested attribute `partition_template` (forces replacement: the API
/// cannot change a template).
pub(crate) fn attribute(what: &str) -> Attribute {
    Attribute::optional_nested(
        "partition_template",
        NestedObject::list(PartitionPartModel::attributes()),
    )
    .requires_replace()
    .description(format!(
        "How the {what}'s data is partitioned: 1 to 8 parts, at most one `time` part and at \
         most 7 `tag` and `bucket` parts, each tag used once. Unset means the default \
         (by day{}). A template is fixed at creation: changing it replaces the {what}.",
        if what == "table" {
            ", or the database's template"
        } else {
            ""
        }
    ))
}

/// The type of `partition_template` in data sources (computed).
pub(crate) fn value_type() -> Type {
    Type::list(Type::object(
        PartitionPartModel::attributes()
            .into_iter()
            .map(|attribute| (attribute.name, attribute.ty)),
    ))
}

/// The API's template from the state's parts (already validated).
pub(crate) fn to_api(parts: &[PartitionPartModel]) -> Vec<PartitionTemplatePart> {
    parts
        .iter()
        .map(|part| match part.r#type.as_str() {
            "tag" => PartitionTemplatePart::Tag(part.value.clone()),
            "time" => PartitionTemplatePart::Time(part.value.clone()),
            _ => PartitionTemplatePart::Bucket(PartitionBucket {
                tag_name: part.value.clone(),
                number_of_buckets: part
                    .number_of_buckets
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or_default(),
            }),
        })
        .collect()
}

/// The state's parts from the API's template.
pub(crate) fn from_api(parts: &[PartitionTemplatePart]) -> Vec<PartitionPartModel> {
    parts
        .iter()
        .map(|part| match part {
            PartitionTemplatePart::Tag(tag) => PartitionPartModel {
                r#type: "tag".into(),
                value: tag.clone(),
                number_of_buckets: None,
            },
            PartitionTemplatePart::Time(format) => PartitionPartModel {
                r#type: "time".into(),
                value: format.clone(),
                number_of_buckets: None,
            },
            PartitionTemplatePart::Bucket(bucket) => PartitionPartModel {
                r#type: "bucket".into(),
                value: bucket.tag_name.clone(),
                number_of_buckets: Some(i64::from(bucket.number_of_buckets)),
            },
        })
        .collect()
}

/// Checks the rules between parts of a configured template (the engine's
/// validators check each attribute). Unknown parts are skipped.
pub(crate) fn validate(config: &Value, diagnostics: &mut Diagnostics) {
    let root = Path::root("partition_template");
    let Some(parts) = config
        .get_attr("partition_template")
        .and_then(Value::as_elements)
    else {
        return;
    };
    const SUMMARY: &str = "Invalid Partition Template";
    if parts.is_empty() || parts.len() > MAX_PARTS {
        diagnostics.attribute_error(
            root.clone(),
            SUMMARY,
            format!(
                "A partition template has 1 to {MAX_PARTS} parts, not {}. Leave \
                 partition_template out for the default template.",
                parts.len()
            ),
        );
    }
    let (mut time_parts, mut tag_parts) = (0, 0);
    let mut tags = HashSet::new();
    for (index, part) in parts.iter().enumerate() {
        let here = root.index(index as i64);
        let kind = part.get_attr("type").and_then(Value::as_str);
        let value = part.get_attr("value").and_then(Value::as_str);
        let buckets = part.get_attr("number_of_buckets").unwrap_or(&Value::Null);
        match kind {
            Some("time") => time_parts += 1,
            Some("tag" | "bucket") => {
                tag_parts += 1;
                if let Some(tag) = value
                    && !tags.insert(tag)
                {
                    let path = here.attribute("value");
                    diagnostics.attribute_error(
                        path.clone(),
                        SUMMARY,
                        format!(
                            "Attribute {path}: tag {tag:?} is used by more than one part; use \
                             each tag once."
                        ),
                    );
                }
            }
            _ => {}
        }
        let path = here.attribute("number_of_buckets");
        match kind {
            Some("bucket") if buckets.is_null() => diagnostics.attribute_error(
                path.clone(),
                SUMMARY,
                format!("Attribute {path}: a bucket part needs number_of_buckets (1 to 100000)."),
            ),
            Some(kind @ ("tag" | "time")) if !buckets.is_null() => diagnostics.attribute_error(
                path.clone(),
                SUMMARY,
                format!(
                    "Attribute {path}: only bucket parts have number_of_buckets; remove it from \
                     this {kind} part."
                ),
            ),
            _ => {}
        }
    }
    if time_parts > 1 {
        diagnostics.attribute_error(
            root.clone(),
            SUMMARY,
            format!("A partition template has at most one time part, not {time_parts}."),
        );
    }
    if tag_parts > MAX_TAG_AND_BUCKET_PARTS {
        diagnostics.attribute_error(
            root,
            SUMMARY,
            format!(
                "A partition template has at most {MAX_TAG_AND_BUCKET_PARTS} tag and bucket \
                 parts together, not {tag_parts}."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::ToValue;

    fn part(kind: &str, value: &str, buckets: Option<i64>) -> Value {
        PartitionPartModel {
            r#type: kind.into(),
            value: value.into(),
            number_of_buckets: buckets,
        }
        .to_value()
    }

    fn problems(parts: Vec<Value>) -> Vec<String> {
        let config = Value::object([("partition_template", Value::list(parts))]);
        let mut diagnostics = Diagnostics::new();
        validate(&config, &mut diagnostics);
        diagnostics
            .iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn valid_templates_pass() {
        let mut parts: Vec<Value> = (0..6)
            .map(|i| part("tag", &format!("t{i}"), None))
            .collect();
        parts.push(part("bucket", "b", Some(100)));
        parts.push(part("time", "%Y", None));
        assert!(problems(parts).is_empty());
    }

    #[test]
    fn each_rule_points_at_its_attribute() {
        assert_eq!(problems(vec![]), ["partition_template"]);
        let eight: Vec<Value> = (0..8)
            .map(|i| part("tag", &format!("t{i}"), None))
            .collect();
        assert_eq!(problems(eight), ["partition_template"]);
        let two_times = vec![part("time", "%Y", None), part("time", "%m", None)];
        assert_eq!(problems(two_times), ["partition_template"]);
        let twice = vec![part("tag", "a", None), part("bucket", "a", Some(2))];
        assert_eq!(problems(twice), ["partition_template[1].value"]);
        assert_eq!(
            problems(vec![part("bucket", "a", None)]),
            ["partition_template[0].number_of_buckets"]
        );
        assert_eq!(
            problems(vec![part("tag", "a", Some(3))]),
            ["partition_template[0].number_of_buckets"]
        );
    }

    #[test]
    fn parts_round_trip_through_the_api_encoding() {
        let parts = vec![
            PartitionTemplatePart::Tag("region".into()),
            PartitionTemplatePart::Time("%Y-%m-%d".into()),
            PartitionTemplatePart::Bucket(PartitionBucket {
                tag_name: "sensor_id".into(),
                number_of_buckets: 100,
            }),
        ];
        assert_eq!(to_api(&from_api(&parts)), parts);
    }
}
