//! Tests of the JSON codec.

use super::*;

fn everything() -> (Type, Value) {
    let ty = Type::object([
        ("s", Type::String),
        ("n", Type::Number),
        ("big", Type::Number),
        ("b", Type::Bool),
        ("l", Type::list(Type::String)),
        ("set", Type::set(Type::Number)),
        ("m", Type::map(Type::Bool)),
        ("o", Type::object([("inner", Type::String)])),
        ("t", Type::tuple([Type::String, Type::Number])),
        ("d", Type::Dynamic),
    ]);
    let value = Value::object([
        ("s", Value::string("quote \" and é")),
        ("n", Value::number(-0.25)),
        (
            "big",
            Value::Number(
                Number::parse_decimal("1234567890123456789012345678901234567890").unwrap(),
            ),
        ),
        ("b", Value::bool(false)),
        ("l", Value::list([Value::string("a"), Value::Null])),
        ("set", Value::set([Value::number(3)])),
        ("m", Value::map([("k", Value::bool(true))])),
        ("o", Value::object([("inner", Value::Null)])),
        (
            "t",
            Value::tuple([Value::string("x"), Value::number(u64::MAX)]),
        ),
        (
            "d",
            Value::dynamic(
                Type::map(Type::Number),
                Value::map([("x", Value::number(1))]),
            ),
        ),
    ]);
    (ty, value)
}

fn check_round_trip(name: &str, value: &Value, ty: &Type) {
    let bytes = encode_json(value, ty).unwrap_or_else(|err| panic!("{name}: encode: {err}"));
    let decoded = decode_json(&bytes, ty).unwrap_or_else(|err| panic!("{name}: decode: {err}"));
    assert_eq!(&decoded, value, "{name}");
}

#[test]
fn every_type_round_trips_with_nulls() {
    let (ty, value) = everything();
    check_round_trip("everything", &value, &ty);
    check_round_trip("null", &Value::Null, &ty);
    let Value::Object(attributes) = &value else {
        unreachable!()
    };
    for name in attributes.keys() {
        let mut replaced = attributes.clone();
        replaced.insert(name.clone(), Value::Null);
        check_round_trip(name, &Value::Object(replaced), &ty);
    }
    check_round_trip("null in dynamic", &Value::Null, &Type::Dynamic);
}

fn check_bytes(name: &str, value: &Value, ty: &Type, expected: &str) {
    assert_eq!(
        String::from_utf8(encode_json(value, ty).unwrap()).unwrap(),
        expected,
        "{name}"
    );
    assert_eq!(
        &decode_json(expected.as_bytes(), ty).unwrap(),
        value,
        "{name}: decode"
    );
}

#[test]
fn exact_text() {
    check_bytes("null", &Value::Null, &Type::String, "null");
    check_bytes(
        "object sorted",
        &Value::object([("b", Value::number(1)), ("a", Value::string("x"))]),
        &Type::object([("b", Type::Number), ("a", Type::String)]),
        r#"{"a":"x","b":1}"#,
    );
    check_bytes(
        "dynamic",
        &Value::dynamic(Type::list(Type::Bool), Value::list([Value::bool(true)])),
        &Type::Dynamic,
        r#"{"type":["list","bool"],"value":[true]}"#,
    );
    let forty = "1234567890123456789012345678901234567890";
    check_bytes(
        "40 digits",
        &Value::Number(Number::parse_decimal(forty).unwrap()),
        &Type::Number,
        forty,
    );
    check_bytes(
        "i64 min",
        &Value::number(i64::MIN),
        &Type::Number,
        "-9223372036854775808",
    );
    check_bytes(
        "small fraction",
        &Value::Number(Number::parse_decimal("0.001").unwrap()),
        &Type::Number,
        "0.001",
    );
}

#[test]
fn decoding_is_lenient_like_go_cty() {
    let ty = Type::object([
        ("id", Type::String),
        ("n", Type::Number),
        ("flag", Type::Bool),
        ("new", Type::list(Type::String)),
    ]);
    let decoded = decode_json(br#" { "id": 12, "n": "1e2", "flag": "true" } "#, &ty).unwrap();
    let expected = Value::object([
        ("id", Value::string("12")),
        ("n", Value::number(100)),
        ("flag", Value::bool(true)),
        ("new", Value::Null),
    ]);
    assert_eq!(decoded, expected);
    assert_eq!(decode_json(b"", &ty).unwrap(), Value::Null);
    assert_eq!(
        decode_json(b"1.0", &Type::Number).unwrap(),
        Value::number(1)
    );
    assert_eq!(
        decode_json(br#"{"type":"string","value":null}"#, &Type::Dynamic).unwrap(),
        Value::Null
    );
}

fn check_error(name: &str, json: &str, ty: &Type, expected_message: &str) {
    let err = decode_json(json.as_bytes(), ty).unwrap_err();
    assert_eq!(err.to_string(), expected_message, "{name}");
}

#[test]
fn decode_errors() {
    let ty = Type::object([("tokens", Type::list(Type::object([("id", Type::String)])))]);
    check_error(
        "unsupported attribute",
        r#"{"tokens":[{"id":"a"},{"id":"b","secret":"s3cr3t"}]}"#,
        &ty,
        "unsupported attribute \"secret\" at .tokens[1]",
    );
    check_error(
        "wrong type",
        r#"{"tokens":{"id":"a"}}"#,
        &ty,
        "list of object is required, found json object at .tokens",
    );
    check_error(
        "bad bool text",
        r#""s3cr3t""#,
        &Type::Bool,
        "bool is required, found json string at the top level",
    );
    check_error(
        "duplicate",
        r#"{"tokens":[],"tokens":[]}"#,
        &ty,
        "duplicate key \"tokens\" at the top level",
    );
    check_error(
        "tuple length",
        "[1]",
        &Type::tuple([Type::Number, Type::Number]),
        "a tuple of 2 elements is required (1 given) at the top level",
    );
    check_error(
        "syntax",
        "[1,",
        &Type::list(Type::Number),
        "unexpected end of input at the top level",
    );
    check_error(
        "trailing",
        "1 2",
        &Type::Number,
        "invalid json: trailing characters at byte 2 at the top level",
    );
    check_error(
        "dynamic shape",
        r#"{"value":1}"#,
        &Type::Dynamic,
        "invalid json: a dynamic value must be an object with exactly \"type\" and \"value\" at the top level",
    );
    check_error(
        "dynamic type",
        r#"{"type":"strng","value":1}"#,
        &Type::Dynamic,
        "invalid type: invalid primitive type name \"strng\" at the top level",
    );
    let mut deep_ty = Type::Number;
    let mut deep_json = "1".to_owned();
    for _ in 0..=MAX_DEPTH {
        deep_ty = Type::list(deep_ty);
        deep_json = format!("[{deep_json}]");
    }
    assert_eq!(
        decode_json(deep_json.as_bytes(), &deep_ty)
            .unwrap_err()
            .kind(),
        &ValueErrorKind::TooDeep(MAX_DEPTH)
    );
}

#[test]
fn encode_errors() {
    let ty = Type::object([("a", Type::Number)]);
    let check = |name: &str, value: Value, ty: &Type, expected: &str| {
        assert_eq!(
            encode_json(&value, ty).unwrap_err().to_string(),
            expected,
            "{name}"
        );
    };
    check(
        "unknown",
        Value::object([("a", Value::Unknown)]),
        &ty,
        "an unknown value cannot be encoded as json at .a",
    );
    check(
        "infinity",
        Value::object([("a", Value::number(f64::INFINITY))]),
        &ty,
        "an infinite number cannot be encoded as json at .a",
    );
    check(
        "missing",
        Value::object::<&str>([]),
        &ty,
        "missing attribute \"a\" at the top level",
    );
    check(
        "bare dynamic",
        Value::bool(true),
        &Type::Dynamic,
        "a dynamic value with its type is required, found bool value at the top level",
    );
}
