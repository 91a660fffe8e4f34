//! Tests of [`Number`].

use super::*;

fn decimal(text: &str) -> Number {
    Number::parse_decimal(text).unwrap()
}

#[test]
fn equality_is_mathematical() {
    let one = Number::from(1);
    for same in [
        decimal("1"),
        decimal("1.000"),
        decimal("+1"),
        decimal("0.1e1"),
        decimal("100e-2"),
        Number::from(1.0),
        Number::from(1u64),
    ] {
        assert_eq!(same, one, "{same:?}");
    }
    assert_eq!(decimal("-0"), Number::from(0));
    assert_eq!(Number::from(-0.0), Number::from(0));
    assert_ne!(Number::from(1), Number::from(-1));
    assert_eq!(Number::from_f64_shortest(0.1), decimal("0.1"));
    assert_ne!(Number::from(0.1), decimal("0.1"));
}

fn check(
    name: &str,
    number: Number,
    expected_text: &str,
    i64_value: Option<i64>,
    f64_value: Option<f64>,
) {
    assert_eq!(number.to_decimal_string(), expected_text, "{name}: text");
    assert_eq!(number.to_string(), expected_text, "{name}: display");
    assert_eq!(number.as_i64(), i64_value, "{name}: as_i64");
    assert_eq!(number.as_f64(), f64_value, "{name}: as_f64");
    if !number.is_infinite() {
        assert_eq!(decimal(expected_text), number, "{name}: reparse");
    }
}

#[test]
fn conversions() {
    check("zero", Number::from(0), "0", Some(0), Some(0.0));
    check("small", Number::from(42), "42", Some(42), Some(42.0));
    check("negative", Number::from(-7), "-7", Some(-7), Some(-7.0));
    check(
        "round",
        Number::from(1_000_000),
        "1000000",
        Some(1_000_000),
        Some(1e6),
    );
    check(
        "i64 min",
        Number::from(i64::MIN),
        "-9223372036854775808",
        Some(i64::MIN),
        Some(-9.223372036854776e18),
    );
    check(
        "i64 max",
        Number::from(i64::MAX),
        "9223372036854775807",
        Some(i64::MAX),
        None,
    );
    check(
        "u64 max",
        Number::from(u64::MAX),
        "18446744073709551615",
        None,
        None,
    );
    check("half", Number::from(0.5), "0.5", None, Some(0.5));
    check(
        "negative fraction",
        decimal("-12.50"),
        "-12.5",
        None,
        Some(-12.5),
    );
    check("small fraction", decimal("0.00125"), "0.00125", None, None);
    check(
        "tenth float",
        Number::from(0.1),
        "0.1000000000000000055511151231257827021181583404541015625",
        None,
        Some(0.1),
    );
    check(
        "inf",
        Number::from(f64::INFINITY),
        "+Inf",
        None,
        Some(f64::INFINITY),
    );
    check(
        "-inf",
        decimal("-inf"),
        "-Inf",
        None,
        Some(f64::NEG_INFINITY),
    );
    let forty_digits = "1234567890123456789012345678901234567890";
    check("40 digits", decimal(forty_digits), forty_digits, None, None);
    assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
    assert_eq!(Number::from(-1).as_u64(), None);
}

#[test]
fn floats_expand_exactly() {
    let e300 = Number::from(1e300);
    assert!(e300.is_integer());
    assert_eq!(e300.to_decimal_string().len(), 301);
    assert_eq!(e300.as_f64(), Some(1e300));
    assert_ne!(e300, decimal("1e300"), "1e300 is not exact as f64");
    let tiny = Number::from(f64::from_bits(1));
    assert_eq!(tiny.as_f64(), Some(f64::from_bits(1)));
    assert!(tiny.to_decimal_string().starts_with("0.000"));
    assert_eq!(Number::from(f64::MAX).as_f64(), Some(f64::MAX));
    assert_eq!(
        Number::from(f64::from(1.1f32)).as_f64(),
        Some(f64::from(1.1f32))
    );
    assert!(Number::try_from_f64(f64::NAN).is_none());
}

#[test]
fn malformed_decimals_are_rejected() {
    for text in [
        "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "0x10", " 1", "1 ", "1_000", "nan", "1e5x",
        "١",
    ] {
        let err = Number::parse_decimal(text).unwrap_err();
        assert!(
            matches!(err.kind(), ValueErrorKind::InvalidNumber(_)),
            "{text:?}"
        );
    }
    assert_eq!(decimal(".5"), Number::from(0.5));
    assert_eq!(decimal("5."), Number::from(5));
    assert_eq!(decimal("1E3"), Number::from(1000));
}

#[test]
fn huge_magnitudes_are_rejected_but_zero_is_not() {
    assert!(Number::parse_decimal("1e10001").is_err());
    assert!(Number::parse_decimal("1e-10001").is_err());
    assert!(Number::parse_decimal("0.000123e-9997").is_err());
    assert_eq!(decimal("1e-10000").to_decimal_string().len(), 10_002);
    assert_eq!(decimal("-9.99e9999").to_decimal_string().len(), 10_001);
    assert!(Number::parse_decimal("1e99999999999999999999999").is_err());
    assert_eq!(decimal("0e99999999999999999999"), Number::from(0));
    assert_eq!(decimal("1e10000").to_decimal_string().len(), 10_001);
}

#[test]
fn order_is_numeric() {
    let ascending = [
        decimal("-inf"),
        decimal("-1e20"),
        Number::from(-2),
        decimal("-1.5"),
        Number::from(0),
        decimal("0.001"),
        decimal("0.5"),
        Number::from(1),
        decimal("1.25"),
        Number::from(2),
        decimal("19"),
        Number::from(u64::MAX),
        decimal("inf"),
    ];
    for pair in ascending.windows(2) {
        assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
    }
}
