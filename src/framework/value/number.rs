//! [`Number`]: a lossless decimal, as go-cty's arbitrary-precision numbers.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

use super::error::{ValueError, ValueErrorKind};

/// The largest power-of-ten magnitude a number may have, in either
/// direction (`1e10000`, `1e-10000`). Go's big floats go further, but a
/// decimal string such as `"1e999999999"` would otherwise print as a
/// gigabyte of zeros. Every `f64`, including subnormals, is well inside.
const MAX_MAGNITUDE: i64 = 10_000;

/// The most significant digits an `f64`'s exact decimal expansion can have.
const MAX_F64_DIGITS: usize = 767;

/// A Terraform number: an exact decimal of any size, or ±infinity.
///
/// Numbers arrive as msgpack integers of any width, as 32- or 64-bit floats,
/// or as strings holding a decimal too large or too precise for those; all
/// are kept exactly. Equality and order are mathematical:
/// `1 == 1.0 == "1" == "1.000"`. Negative zero is zero. NaN is not a number
/// here (Terraform has none).
///
/// A float is taken at its exact binary value, as go-cty does:
/// `Number::from_f64(0.1)` is `0.1000000000000000055511151231257827021181583404541015625`,
/// not `parse_decimal("0.1")`. Use [`Number::from_f64_shortest`] for floats
/// that stand for a short decimal someone typed.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::Number;
///
/// let big = Number::parse_decimal("1234567890123456789012345678901234567890")?;
/// assert_eq!(big.to_decimal_string(), "1234567890123456789012345678901234567890");
/// assert_eq!(big.as_i64(), None);
/// assert_eq!(Number::from(1), Number::parse_decimal("1.000")?);
/// assert_eq!(Number::from(0.5).as_f64(), Some(0.5));
/// assert!(Number::from(-3) < Number::from(0.5));
/// # Ok::<(), influxdb3_provider::framework::value::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Repr);

/// The normalised form, so that derived equality is mathematical equality.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// `digits × 10^exponent`, negated if `negative`. `digits` holds ASCII
    /// digits without leading or trailing zeros; zero is empty digits,
    /// exponent 0 and not negative.
    Finite {
        negative: bool,
        digits: String,
        exponent: i64,
    },
    Infinity {
        negative: bool,
    },
}

impl Number {
    /// The integer `value`.
    pub fn from_i64(value: i64) -> Number {
        Number::finite(value < 0, &value.unsigned_abs().to_string(), 0)
    }

    /// The integer `value`.
    pub fn from_u64(value: u64) -> Number {
        Number::finite(false, &value.to_string(), 0)
    }

    /// The exact value of the float `value` (finite or ±infinity).
    ///
    /// # Panics
    ///
    /// If `value` is NaN; see [`Number::try_from_f64`].
    pub fn from_f64(value: f64) -> Number {
        match Number::try_from_f64(value) {
            Some(number) => number,
            None => panic!("NaN is not a Terraform number"),
        }
    }

    /// The exact value of the float `value`, or `None` for NaN.
    pub fn try_from_f64(value: f64) -> Option<Number> {
        if value.is_nan() {
            return None;
        }
        if value.is_infinite() {
            return Some(Number(Repr::Infinity {
                negative: value < 0.0,
            }));
        }
        let (digits, exponent) = exact_f64_decimal(value.abs());
        Some(Number::finite(value < 0.0, &digits, exponent))
    }

    /// The shortest decimal that reads back as the float `value` (what
    /// `format!("{value}")` prints), so `from_f64_shortest(0.1)` equals
    /// `parse_decimal("0.1")`.
    ///
    /// # Panics
    ///
    /// If `value` is NaN.
    pub fn from_f64_shortest(value: f64) -> Number {
        if !value.is_finite() {
            return Number::from_f64(value);
        }
        // Display of a finite f64 is a plain decimal, which always parses and
        // is far inside the magnitude limit.
        Number::parse_decimal(&value.to_string()).unwrap_or_else(|_| Number::from_f64(value))
    }

    /// Reads a decimal: optional sign, digits with an optional fraction, an
    /// optional exponent (`-12.5e3`), or `inf` / `+Inf` / `-Inf`. This is
    /// the form Terraform sends for numbers that fit neither int64 nor
    /// float64.
    ///
    /// # Errors
    ///
    /// [`ValueErrorKind::InvalidNumber`] for malformed text, and for
    /// magnitudes beyond 10^±10000.
    pub fn parse_decimal(text: &str) -> Result<Number, ValueError> {
        let invalid = |reason| ValueError::new(ValueErrorKind::InvalidNumber(reason));
        let (negative, unsigned) = match text.as_bytes().first() {
            Some(b'-') => (true, text.get(1..).unwrap_or_default()),
            Some(b'+') => (false, text.get(1..).unwrap_or_default()),
            _ => (false, text),
        };
        if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
            return Ok(Number(Repr::Infinity { negative }));
        }
        let (mantissa, exponent_text) = match unsigned.find(['e', 'E']) {
            Some(at) => (
                unsigned.get(..at).unwrap_or_default(),
                Some(unsigned.get(at + 1..).unwrap_or_default()),
            ),
            None => (unsigned, None),
        };
        let (integer_part, fraction_part) = match mantissa.split_once('.') {
            Some((integer_part, fraction_part)) => (integer_part, fraction_part),
            None => (mantissa, ""),
        };
        let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if integer_part.is_empty() && fraction_part.is_empty()
            || !all_digits(integer_part)
            || !all_digits(fraction_part)
        {
            return Err(invalid("malformed decimal"));
        }
        let exponent = match exponent_text {
            None => 0,
            Some(exponent_text) => {
                parse_exponent(exponent_text).ok_or_else(|| invalid("malformed exponent"))?
            }
        };
        let fraction_len = i64::try_from(fraction_part.len()).unwrap_or(i64::MAX);
        let number = Number::finite(
            negative,
            &format!("{integer_part}{fraction_part}"),
            exponent.saturating_sub(fraction_len),
        );
        match &number.0 {
            Repr::Finite {
                digits, exponent, ..
            } if !digits.is_empty() => {
                // The power of ten of the leading digit.
                let leading_exponent = magnitude(digits, *exponent) - 1;
                if !(-MAX_MAGNITUDE..=MAX_MAGNITUDE).contains(&leading_exponent) {
                    return Err(invalid("magnitude beyond 10^10000"));
                }
            }
            _ => {}
        }
        Ok(number)
    }

    /// The value as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_i128().and_then(|value| i64::try_from(value).ok())
    }

    /// The value as a `u64`, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_i128().and_then(|value| u64::try_from(value).ok())
    }

    /// The value as an `f64`, if an `f64` holds it exactly (always true for
    /// numbers made from floats, and for ±infinity); `None` for values such
    /// as `0.1` or `2^64 - 1`. See [`Number::to_f64_lossy`].
    pub fn as_f64(&self) -> Option<f64> {
        match &self.0 {
            Repr::Infinity { negative: false } => Some(f64::INFINITY),
            Repr::Infinity { negative: true } => Some(f64::NEG_INFINITY),
            Repr::Finite {
                digits, exponent, ..
            } => {
                // Cheap rejections first: more digits than any f64 expands
                // to, or far outside the f64 range.
                if digits.len() > MAX_F64_DIGITS
                    || !(-400..=400).contains(&magnitude(digits, *exponent))
                {
                    return None;
                }
                let nearest = self.to_f64_lossy();
                (nearest.is_finite() && Number::from_f64(nearest) == *self).then_some(nearest)
            }
        }
    }

    /// The nearest `f64` (±infinity beyond its range, 0 below it).
    pub fn to_f64_lossy(&self) -> f64 {
        match &self.0 {
            Repr::Infinity { negative: false } => f64::INFINITY,
            Repr::Infinity { negative: true } => f64::NEG_INFINITY,
            Repr::Finite { digits, .. } if digits.is_empty() => 0.0,
            Repr::Finite {
                negative,
                digits,
                exponent,
            } => {
                let sign = if *negative { "-" } else { "" };
                // Rust's float parsing rounds correctly for any length; the
                // text is always valid, so the fallback is unreachable.
                format!("{sign}{digits}e{exponent}")
                    .parse()
                    .unwrap_or(f64::NAN)
            }
        }
    }

    /// The value in plain decimal notation (`-12.5`, `100`, `0.001`), or
    /// `+Inf` / `-Inf`. This is also the [`Display`](fmt::Display) form and
    /// is valid JSON for finite numbers.
    pub fn to_decimal_string(&self) -> String {
        let (negative, digits, exponent) = match &self.0 {
            Repr::Infinity { negative: false } => return "+Inf".to_owned(),
            Repr::Infinity { negative: true } => return "-Inf".to_owned(),
            Repr::Finite { digits, .. } if digits.is_empty() => return "0".to_owned(),
            Repr::Finite {
                negative,
                digits,
                exponent,
            } => (*negative, digits, *exponent),
        };
        let mut text = String::with_capacity(digits.len() + 8);
        if negative {
            text.push('-');
        }
        // Exponents are bounded by MAX_MAGNITUDE (parsed) or by f64's range,
        // so these conversions and repeats stay small.
        let zeros = |count: i64| "0".repeat(usize::try_from(count).unwrap_or(0));
        if exponent >= 0 {
            text.push_str(digits);
            text.push_str(&zeros(exponent));
        } else {
            let integer_len = magnitude(digits, exponent);
            if integer_len > 0 {
                let split = usize::try_from(integer_len).unwrap_or(0);
                let (integer_part, fraction_part) = digits.split_at(split.min(digits.len()));
                text.push_str(integer_part);
                text.push('.');
                text.push_str(fraction_part);
            } else {
                text.push_str("0.");
                text.push_str(&zeros(-integer_len));
                text.push_str(digits);
            }
        }
        text
    }

    /// Whether the value is a (finite) integer.
    pub fn is_integer(&self) -> bool {
        matches!(&self.0, Repr::Finite { exponent, .. } if *exponent >= 0)
    }

    /// Whether the value is +infinity or -infinity.
    pub fn is_infinite(&self) -> bool {
        matches!(self.0, Repr::Infinity { .. })
    }

    /// Builds the normalised form of `digits × 10^exponent`.
    fn finite(negative: bool, digits: &str, exponent: i64) -> Number {
        let significant = digits.trim_start_matches('0');
        let trimmed = significant.trim_end_matches('0');
        if trimmed.is_empty() {
            return Number(Repr::Finite {
                negative: false,
                digits: String::new(),
                exponent: 0,
            });
        }
        let trailing_zeros = i64::try_from(significant.len() - trimmed.len()).unwrap_or(0);
        Number(Repr::Finite {
            negative,
            digits: trimmed.to_owned(),
            exponent: exponent.saturating_add(trailing_zeros),
        })
    }

    fn as_i128(&self) -> Option<i128> {
        let Repr::Finite {
            negative,
            digits,
            exponent,
        } = &self.0
        else {
            return None;
        };
        if digits.is_empty() {
            return Some(0);
        }
        let exponent = u32::try_from(*exponent).ok()?;
        // 10^38 < 2^127: up to 38 digits always fit.
        if digits.len() > 38 {
            return None;
        }
        let magnitude: i128 = digits.parse().ok()?;
        let value = magnitude.checked_mul(10i128.checked_pow(exponent)?)?;
        Some(if *negative { -value } else { value })
    }
}

/// The decimal exponent of the leading digit plus one: the number of
/// integer digits for values ≥ 1.
fn magnitude(digits: &str, exponent: i64) -> i64 {
    exponent.saturating_add(i64::try_from(digits.len()).unwrap_or(i64::MAX))
}

/// Parses an exponent's text (sign and digits), saturating far beyond any
/// allowed magnitude rather than overflowing.
fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let value = digits.bytes().fold(0i64, |value, byte| {
        value
            .saturating_mul(10)
            .saturating_add(i64::from(byte - b'0'))
            .min(1 << 40)
    });
    Some(if negative { -value } else { value })
}

/// The exact decimal digits and power of ten of a finite, non-negative
/// float: `mantissa × 2^e` is `mantissa × 5^-e × 10^e` for negative `e`.
fn exact_f64_decimal(value: f64) -> (String, i64) {
    let bits = value.to_bits();
    let biased_exponent = i64::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
    let fraction = bits & ((1u64 << 52) - 1);
    let (mut mantissa, mut exponent) = if biased_exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased_exponent - 1075)
    };
    if mantissa == 0 {
        return (String::new(), 0);
    }
    let shift = mantissa.trailing_zeros();
    mantissa >>= shift;
    exponent += i64::from(shift);
    let mut big = BigDecimal::from_u64(mantissa);
    if exponent >= 0 {
        big.multiply_by_power(2, 31, exponent);
        (big.to_decimal(), 0)
    } else {
        big.multiply_by_power(5, 13, -exponent);
        (big.to_decimal(), exponent)
    }
}

/// A minimal unsigned big integer in base 10^9, enough to expand floats.
struct BigDecimal {
    /// Least significant limb first; each limb is below `LIMB`.
    limbs: Vec<u64>,
}

const LIMB: u64 = 1_000_000_000;

impl BigDecimal {
    fn from_u64(mut value: u64) -> BigDecimal {
        let mut limbs = Vec::new();
        while value > 0 {
            limbs.push(value % LIMB);
            value /= LIMB;
        }
        BigDecimal { limbs }
    }

    fn multiply(&mut self, factor: u64) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            // limb < 2^30 and factor < 2^32, so this fits in u64.
            let product = *limb * factor + carry;
            *limb = product % LIMB;
            carry = product / LIMB;
        }
        while carry > 0 {
            self.limbs.push(carry % LIMB);
            carry /= LIMB;
        }
    }

    /// Multiplies by `base^power`, `chunk` powers at a time (`base^chunk`
    /// must stay below 2^32).
    fn multiply_by_power(&mut self, base: u64, chunk: u32, power: i64) {
        let mut remaining = u32::try_from(power).unwrap_or(0);
        while remaining > 0 {
            let step = remaining.min(chunk);
            self.multiply(base.pow(step));
            remaining -= step;
        }
    }

    fn to_decimal(&self) -> String {
        let mut limbs = self.limbs.iter().rev();
        let mut text = limbs.next().map(u64::to_string).unwrap_or_default();
        for limb in limbs {
            // Writing into a String cannot fail.
            let _ = write!(text, "{limb:09}");
        }
        text
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        // Rank: -inf < negative < zero < positive < +inf.
        fn rank(number: &Number) -> i8 {
            match &number.0 {
                Repr::Infinity { negative: true } => -2,
                Repr::Finite { digits, .. } if digits.is_empty() => 0,
                Repr::Finite { negative: true, .. } => -1,
                Repr::Finite {
                    negative: false, ..
                } => 1,
                Repr::Infinity { negative: false } => 2,
            }
        }
        let by_rank = rank(self).cmp(&rank(other));
        let (
            Ordering::Equal,
            Repr::Finite {
                negative,
                digits,
                exponent,
            },
            Repr::Finite {
                digits: other_digits,
                exponent: other_exponent,
                ..
            },
        ) = (by_rank, &self.0, &other.0)
        else {
            return by_rank;
        };
        // Same sign: compare magnitudes, then digits (no trailing zeros, so
        // string order is numeric order at equal magnitude).
        let by_magnitude = magnitude(digits, *exponent)
            .cmp(&magnitude(other_digits, *other_exponent))
            .then_with(|| digits.as_str().cmp(other_digits.as_str()));
        if *negative {
            by_magnitude.reverse()
        } else {
            by_magnitude
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl Default for Number {
    /// Zero.
    fn default() -> Number {
        Number::from_i64(0)
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Number {
        Number::from_i64(value.into())
    }
}

impl From<u32> for Number {
    fn from(value: u32) -> Number {
        Number::from_u64(value.into())
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Number {
        Number::from_i64(value)
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Number {
        Number::from_u64(value)
    }
}

/// The exact value of the float. Panics on NaN, as [`Number::from_f64`].
impl From<f64> for Number {
    fn from(value: f64) -> Number {
        Number::from_f64(value)
    }
}

#[cfg(test)]
#[path = "number_tests.rs"]
mod tests;
