//! `retention_period` of a database: a duration string such as `"30d"`,
//! `"720h"`, `"1h30m"` or `"0s"` (infinite), which the API speaks as a
//! number of nanoseconds. Two spellings of the same duration are equal.

use crate::framework::schema::{SemanticEquality, Validator};
use crate::framework::value::Value;

const NANOS_PER: [(&str, i64); 10] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
    ("d", 86_400_000_000_000),
    ("w", 604_800_000_000_000),
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

/// Parses a retention period into nanoseconds.
pub(crate) fn parse(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(format!(
            "must not be negative: use \"0s\" for infinite retention, or {SPELLING}"
        ));
    }
    if text.is_empty() {
        return Err(format!("must be {SPELLING}"));
    }
    if text == "0" {
        return Ok(0);
    }
    let mut rest = text;
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("must be {SPELLING}"));
        }
        let amount: i64 = rest[..digits]
            .parse()
            .map_err(|_| format!("is too long a duration; must be {SPELLING}"))?;
        rest = &rest[digits..];
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .map_or(rest.len(), |(at, _)| at);
        let unit = &rest[..unit_len];
        let Some((_, nanos)) = NANOS_PER.iter().find(|(name, _)| *name == unit) else {
            return Err(format!("must be {SPELLING}"));
        };
        total = amount
            .checked_mul(*nanos)
            .and_then(|part| total.checked_add(part))
            .ok_or_else(|| format!("is too long a duration; must be {SPELLING}"))?;
        rest = &rest[unit_len..];
    }
    Ok(total)
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
mod tests {
    use super::*;

    #[test]
    fn spellings_parse_to_nanoseconds() {
        let day = 86_400_000_000_000_i64;
        for (text, nanos) in [
            ("0s", 0),
            ("0", 0),
            ("30d", 30 * day),
            ("720h", 30 * day),
            ("1h30m", 5_400_000_000_000),
            ("2w", 14 * day),
            ("1500ms", 1_500_000_000),
            ("7ns", 7),
            (" 1d ", day),
        ] {
            assert_eq!(parse(text), Ok(nanos), "{text}");
        }
    }

    #[test]
    fn bad_spellings_are_refused() {
        for text in [
            "",
            "-1h",
            "30",
            "d",
            "1y",
            "1.5h",
            "h1",
            "99999999999999999999d",
            "1e3s",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
        assert!(parse("-30d").unwrap_err().contains("negative"));
    }

    #[test]
    fn formatting_picks_the_largest_whole_unit() {
        assert_eq!(format(0), "0s");
        assert_eq!(format(30 * 86_400_000_000_000), "30d");
        assert_eq!(format(5_400_000_000_000), "90m");
        assert_eq!(format(1_500_000_000), "1500ms");
        assert_eq!(format(7), "7ns");
        for nanos in [1, 999, 3_600_000_000_001, 604_800_000_000_000] {
            assert_eq!(parse(&format(nanos)), Ok(nanos));
        }
    }

    #[test]
    fn two_spellings_of_one_duration_are_equal() {
        let equal = semantic_equality();
        assert!(equal.equal(&Value::string("30d"), &Value::string("720h")));
        assert!(!equal.equal(&Value::string("30d"), &Value::string("31d")));
        assert!(!equal.equal(&Value::string("x"), &Value::string("0s")));
    }
}
