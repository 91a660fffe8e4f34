//! `retention_period` of a database: a duration string of NUMBER UNIT pairs
//! (`"30d"`, `"1h30m"`), read by one parser ([`total_nanos`]) for both
//! families of products, each with its own units and rules:
//!
//! - `influxdb3_database` (Cloud Dedicated, Clustered; [`parse`],
//!   [`validator`], [`semantic_equality`], [`format`]): units `ns`, `us`
//!   (`µs`), `ms`, `s`, `m`, `h`, `d`, `w`; `"0s"` (or `"0"`) is infinite
//!   retention; surrounding blanks are ignored. The API speaks nanoseconds,
//!   so two spellings of the same duration are equal.
//! - `influxdb3_self_hosted_database` (Core, Enterprise;
//!   [`check_self_hosted`]): units `s`, `m`, `h`, `d`, `w`, `y`; the
//!   duration must be longer than zero (unset is infinite); no blanks. The
//!   server takes the text as written, so it is only checked.

use crate::framework::schema::{SemanticEquality, Validator};
use crate::framework::value::Value;

const NANOS_PER_SECOND: u128 = 1_000_000_000;
const NANOS_PER_DAY: u128 = 86_400 * NANOS_PER_SECOND;

/// The units of `influxdb3_database` (Cloud Dedicated, Clustered).
const CLOUD_UNITS: [(&str, u128); 10] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", NANOS_PER_SECOND),
    ("m", 60 * NANOS_PER_SECOND),
    ("h", 3_600 * NANOS_PER_SECOND),
    ("d", NANOS_PER_DAY),
    ("w", 7 * NANOS_PER_DAY),
];

/// The units of `influxdb3_self_hosted_database` (Core, Enterprise). A year
/// counts 365 days here; only "longer than zero" depends on it.
const SELF_HOSTED_UNITS: [(&str, u128); 6] = [
    ("s", NANOS_PER_SECOND),
    ("m", 60 * NANOS_PER_SECOND),
    ("h", 3_600 * NANOS_PER_SECOND),
    ("d", NANOS_PER_DAY),
    ("w", 7 * NANOS_PER_DAY),
    ("y", 365 * NANOS_PER_DAY),
];

/// Units for [`format`], largest first.
const FORMAT_UNITS: [(&str, i64); 7] = [
    ("d", 86_400_000_000_000),
    ("h", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
];

const SPELLING: &str = "a duration such as \"30d\", \"720h\", \"1h30m\" or \"0s\" (infinite \
     retention): whole numbers each followed by a unit, one of ns, us, ms, s, m, h, d, w";

/// Why a text is not a duration of the given units.
#[derive(Debug, PartialEq, Eq)]
enum DurationError {
    /// Not NUMBER UNIT pairs of the known units (or empty).
    Malformed,
    /// More nanoseconds than a `u128` holds.
    TooLong,
}

/// The total of `text`'s NUMBER UNIT pairs in nanoseconds, each unit one of
/// `units` (a unit runs up to the next digit, so `"1ms"` is one pair).
fn total_nanos(text: &str, units: &[(&str, u128)]) -> Result<u128, DurationError> {
    if text.is_empty() {
        return Err(DurationError::Malformed);
    }
    let mut rest = text;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(DurationError::Malformed);
        }
        let amount: u128 = rest[..digits].parse().map_err(|_| DurationError::TooLong)?;
        rest = &rest[digits..];
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .map_or(rest.len(), |(at, _)| at);
        let Some((_, nanos)) = units.iter().find(|(name, _)| *name == &rest[..unit_len]) else {
            return Err(DurationError::Malformed);
        };
        total = amount
            .checked_mul(*nanos)
            .and_then(|part| total.checked_add(part))
            .ok_or(DurationError::TooLong)?;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

/// Parses an `influxdb3_database` retention period into nanoseconds.
pub(crate) fn parse(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(format!(
            "must not be negative: use \"0s\" for infinite retention, or {SPELLING}"
        ));
    }
    if text == "0" {
        return Ok(0);
    }
    let too_long = || format!("is too long a duration; must be {SPELLING}");
    match total_nanos(text, &CLOUD_UNITS) {
        Ok(nanos) => i64::try_from(nanos).map_err(|_| too_long()),
        Err(DurationError::Malformed) => Err(format!("must be {SPELLING}")),
        Err(DurationError::TooLong) => Err(too_long()),
    }
}

/// Checks an `influxdb3_self_hosted_database` retention period; the error
/// is the detail of its diagnostic.
pub(crate) fn check_self_hosted(text: &str) -> Result<(), String> {
    match total_nanos(text, &SELF_HOSTED_UNITS) {
        Ok(0) => Err(format!(
            "{text:?}: a retention period must be longer than zero."
        )),
        Ok(_) => Ok(()),
        Err(DurationError::Malformed) => Err(format!(
            "{text:?} is not a retention period: write a duration such as \"7d\", \"30d\", \
             \"52w\" or \"1h30m\" (units s, m, h, d, w, y). Leave it unset to keep data forever."
        )),
        Err(DurationError::TooLong) => Err(format!(
            "{text:?} is too long a retention period. Leave it unset to keep data forever."
        )),
    }
}

/// The shortest spelling of `nanos` in one unit: `"30d"`, `"90m"`, `"0s"`.
pub(crate) fn format(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let (unit, size) = FORMAT_UNITS
        .iter()
        .find(|(_, size)| nanos % size == 0)
        .copied()
        .unwrap_or(("ns", 1));
    format!("{}{unit}", nanos / size)
}

/// The attribute's validator.
pub(crate) fn validator() -> Validator {
    Validator::new(SPELLING, |value| match value.as_str() {
        Some(text) => parse(text).map(drop),
        None => Ok(()),
    })
}

/// `"30d"` equals `"720h"`.
pub(crate) fn semantic_equality() -> SemanticEquality {
    SemanticEquality::normalized_by(|value| {
        value
            .as_str()
            .and_then(|text| parse(text).ok())
            .map(Value::number)
    })
}

#[cfg(test)]
#[path = "retention_period_tests.rs"]
mod tests;
