//! Token lifetimes written like Terraform's and Go's durations: `90m`,
//! `1h`, `1h30m`, `36h`; hours, minutes and seconds.

use std::time::Duration;

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::value::Value;

/// The lifetime when `expires_in` is not set.
pub(crate) const DEFAULT_LIFETIME: &str = "1h";

/// The shortest lifetime: a run needs the token for more than a moment.
pub(crate) const MIN_LIFETIME: Duration = Duration::from_secs(60);
/// The longest lifetime: a token for one run should not outlive a year.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);

/// Reports a known `expires_in` of `config` that is not a lifetime, on the
/// attribute.
pub(crate) fn check_expires_in(config: &Value, diagnostics: &mut Diagnostics) {
    if let Some(expires_in) = config.get_attr("expires_in").and_then(Value::as_str)
        && let Err(problem) = parse_lifetime(expires_in)
    {
        diagnostics.attribute_error(Path::root("expires_in"), "Invalid Lifetime", problem);
    }
}

/// Parses a lifetime within [`MIN_LIFETIME`]..=[`MAX_LIFETIME`].
pub(crate) fn parse_lifetime(text: &str) -> Result<Duration, String> {
    let usage = || {
        format!(
            "{text:?} is not a duration. Write a number and a unit, h, m or s, \
             possibly several: \"1h\", \"30m\", \"1h30m\"."
        )
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(usage());
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(usage());
        }
        let amount: u64 = rest[..digits].parse().map_err(|_| usage())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "h" => 3600,
            "m" => 60,
            "s" => 1,
            _ => return Err(usage()),
        };
        rest = &rest[unit_len..];
        total = amount
            .checked_mul(seconds_per_unit)
            .and_then(|seconds| total.checked_add(seconds))
            .ok_or_else(usage)?;
    }
    let lifetime = Duration::from_secs(total);
    if lifetime < MIN_LIFETIME || lifetime > MAX_LIFETIME {
        return Err(format!(
            "{text:?} is out of range: a token lifetime is at least 1m and at most 8784h (366 days)."
        ));
    }
    Ok(lifetime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_go_style_durations() {
        assert_eq!(parse_lifetime("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_lifetime("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_lifetime("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_lifetime(" 2m30s "), Ok(Duration::from_secs(150)));
        assert_eq!(parse_lifetime("8784h"), Ok(MAX_LIFETIME));
    }

    #[test]
    fn rejects_other_text_and_out_of_range() {
        for bad in ["", "h", "1", "1d", "1.5h", "-1h", "1h 30m", "one hour"] {
            assert!(
                parse_lifetime(bad).unwrap_err().contains("not a duration"),
                "{bad:?}"
            );
        }
        for out in ["59s", "0m", "8785h", "99999999999999999999h"] {
            assert!(parse_lifetime(out).is_err(), "{out:?}");
        }
    }
}
