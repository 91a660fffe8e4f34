//! The rules a partition template, and a database or table name, must follow.

use std::collections::HashSet;

use crate::api::PartitionTemplatePart;
use crate::emulator::ApiError;

/// The most parts a template may have.
const MAX_PARTS: usize = 8;

/// The most `tag` and `bucket` parts a template may have together.
const MAX_TAG_AND_BUCKET_PARTS: usize = 7;

/// The range of `numberOfBuckets`.
const BUCKETS: std::ops::RangeInclusive<i32> = 1..=100_000;

/// The longest database name, in characters.
const MAX_DATABASE_NAME_CHARS: usize = 64;

/// Checks a partition template: 1..=8 parts, at most one `time` part, at most 7 `tag`
/// and `bucket` parts, no empty value, no tag used twice, 1..=100000 buckets.
pub(crate) fn validate_partition_template(parts: &[PartitionTemplatePart]) -> Result<(), ApiError> {
    if parts.is_empty() || parts.len() > MAX_PARTS {
        return Err(ApiError::bad_request(format!(
            "partitionTemplate must have 1 to {MAX_PARTS} parts, not {}",
            parts.len()
        )));
    }
    let mut time_parts = 0;
    let mut tags = HashSet::new();
    for part in parts {
        let tag = match part {
            PartitionTemplatePart::Time(format) => {
                time_parts += 1;
                if format.is_empty() {
                    return Err(ApiError::bad_request(
                        "a time part of partitionTemplate needs a format",
                    ));
                }
                continue;
            }
            PartitionTemplatePart::Tag(tag) => tag,
            PartitionTemplatePart::Bucket(bucket) => {
                if !BUCKETS.contains(&bucket.number_of_buckets) {
                    return Err(ApiError::bad_request(format!(
                        "numberOfBuckets must be in {}..={}, not {}",
                        BUCKETS.start(),
                        BUCKETS.end(),
                        bucket.number_of_buckets
                    )));
                }
                &bucket.tag_name
            }
        };
        if tag.is_empty() {
            return Err(ApiError::bad_request(
                "a tag or bucket part of partitionTemplate needs a tag name",
            ));
        }
        if !tags.insert(tag.as_str()) {
            return Err(ApiError::bad_request(format!(
                "tag {tag:?} is used by more than one part of partitionTemplate"
            )));
        }
    }
    if time_parts > 1 {
        return Err(ApiError::bad_request(
            "partitionTemplate may have at most one time part",
        ));
    }
    if tags.len() > MAX_TAG_AND_BUCKET_PARTS {
        return Err(ApiError::bad_request(format!(
            "partitionTemplate may have at most {MAX_TAG_AND_BUCKET_PARTS} tag and bucket parts"
        )));
    }
    Ok(())
}

/// Checks a database name: 1..=64 characters of ASCII letters, digits, `_`, `-` and
/// `/`, starting with a letter or a digit.
pub(crate) fn validate_database_name(name: &str) -> Result<(), ApiError> {
    let valid = !name.is_empty()
        && name.len() <= MAX_DATABASE_NAME_CHARS
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'/'));
    if valid {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "invalid database name {name:?}: 1 to {MAX_DATABASE_NAME_CHARS} characters of \
             letters, digits, '_', '-' and '/', starting with a letter or a digit"
        )))
    }
}

/// Checks a table name: not empty, no control characters, not starting with `_`
/// (reserved for system tables).
pub(crate) fn validate_table_name(name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() || name.chars().any(char::is_control) || name.starts_with('_') {
        return Err(ApiError::bad_request(format!(
            "invalid table name {name:?}: it must not be empty, contain control characters \
             or start with '_'"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::PartitionBucket;

    fn tag(name: &str) -> PartitionTemplatePart {
        PartitionTemplatePart::Tag(name.to_owned())
    }

    fn bucket(name: &str, buckets: i32) -> PartitionTemplatePart {
        PartitionTemplatePart::Bucket(PartitionBucket {
            tag_name: name.to_owned(),
            number_of_buckets: buckets,
        })
    }

    fn time(format: &str) -> PartitionTemplatePart {
        PartitionTemplatePart::Time(format.to_owned())
    }

    #[test]
    fn partition_templates_are_validated() {
        let seven_tags: Vec<_> = (0..7).map(|i| tag(&format!("t{i}"))).collect();
        let mut eight_tags = seven_tags.clone();
        eight_tags.push(tag("t7"));
        let mut seven_and_time = seven_tags.clone();
        seven_and_time.push(time("%Y"));
        let cases: Vec<(&str, Vec<PartitionTemplatePart>, bool)> = vec![
            ("time only", vec![time("%Y-%m")], true),
            ("mixed", vec![time("%Y"), tag("a"), bucket("b", 10)], true),
            ("seven tags and a time", seven_and_time, true),
            ("empty", vec![], false),
            ("eight tags", eight_tags, false),
            ("two time parts", vec![time("%Y"), time("%m")], false),
            ("empty time format", vec![time("")], false),
            ("empty tag", vec![tag("")], false),
            ("tag twice", vec![tag("a"), bucket("a", 2)], false),
            ("zero buckets", vec![bucket("b", 0)], false),
            ("too many buckets", vec![bucket("b", 100_001)], false),
            ("most buckets", vec![bucket("b", 100_000)], true),
        ];
        for (name, parts, valid) in cases {
            assert_eq!(
                validate_partition_template(&parts).is_ok(),
                valid,
                "case {name}"
            );
        }
    }

    #[test]
    fn database_names_are_validated() {
        let long = "a".repeat(64);
        let too_long = "a".repeat(65);
        for name in [
            "mydb",
            "sensor_data",
            "prod-metrics",
            "logs/app",
            "9lives",
            &long,
        ] {
            assert!(validate_database_name(name).is_ok(), "{name}");
        }
        for name in ["", "_internal", "-x", "my db", "a.b", "é", &too_long] {
            assert!(validate_database_name(name).is_err(), "{name}");
        }
    }

    #[test]
    fn table_names_are_validated() {
        assert!(validate_table_name("cpu").is_ok());
        assert!(validate_table_name("").is_err());
        assert!(validate_table_name(" ").is_err());
        assert!(validate_table_name("_system").is_err());
        assert!(validate_table_name("a\nb").is_err());
    }
}
