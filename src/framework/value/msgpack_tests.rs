//! Tests of the msgpack codec.

use super::*;

fn obj(attributes: &[(&str, Value)]) -> Value {
    Value::object(attributes.iter().cloned())
}

/// A type using every kind of type, and a known value of it.
fn everything() -> (Type, Value) {
    let ty = Type::object([
        ("s", Type::String),
        ("n", Type::Number),
        ("b", Type::Bool),
        ("l", Type::list(Type::String)),
        ("set", Type::set(Type::Number)),
        ("m", Type::map(Type::Bool)),
        ("o", Type::object([("inner", Type::String)])),
        ("t", Type::tuple([Type::String, Type::Number])),
        ("d", Type::Dynamic),
    ]);
    let value = obj(&[
        ("s", Value::string("héllo")),
        ("n", Value::number(-42)),
        ("b", Value::bool(true)),
        ("l", Value::list([Value::string("a"), Value::string("b")])),
        ("set", Value::set([Value::number(0.5)])),
        ("m", Value::map([("k", Value::bool(false))])),
        ("o", obj(&[("inner", Value::string("i"))])),
        ("t", Value::tuple([Value::string("x"), Value::number(1)])),
        (
            "d",
            Value::dynamic(
                Type::object([("x", Type::list(Type::Number))]),
                obj(&[("x", Value::list([Value::number(7)]))]),
            ),
        ),
    ]);
    (ty, value)
}

fn check_round_trip(name: &str, value: &Value, ty: &Type) {
    value
        .conforms_to(ty)
        .unwrap_or_else(|err| panic!("{name}: conforms: {err}"));
    let bytes = encode_msgpack(value, ty).unwrap_or_else(|err| panic!("{name}: encode: {err}"));
    let decoded = decode_msgpack(&bytes, ty).unwrap_or_else(|err| panic!("{name}: decode: {err}"));
    assert_eq!(&decoded, value, "{name}");
}

#[test]
fn every_type_round_trips() {
    let (ty, value) = everything();
    check_round_trip("everything", &value, &ty);
    check_round_trip("empty list", &Value::list([]), &Type::list(Type::String));
    check_round_trip(
        "empty object",
        &Value::object::<&str>([]),
        &Type::object::<[(&str, Type); 0], &str>([]),
    );
    check_round_trip("empty tuple", &Value::tuple([]), &Type::tuple([]));
    let long = "x".repeat(70_000);
    check_round_trip("str32", &Value::string(long), &Type::String);
    let many = Value::list((0..300).map(Value::number));
    check_round_trip("array16", &many, &Type::list(Type::Number));
}

#[test]
fn null_and_unknown_round_trip_at_every_depth() {
    let (ty, value) = everything();
    for special in [Value::Null, Value::Unknown] {
        check_round_trip("top level", &special, &ty);
        let Value::Object(attributes) = &value else {
            unreachable!()
        };
        for name in attributes.keys() {
            let mut replaced = attributes.clone();
            replaced.insert(name.clone(), special.clone());
            check_round_trip(name, &Value::Object(replaced), &ty);
        }
        let nested_cases = [
            (
                "in list",
                Value::list([special.clone()]),
                Type::list(Type::String),
            ),
            (
                "in set",
                Value::set([special.clone()]),
                Type::set(Type::String),
            ),
            (
                "in map",
                Value::map([("k", special.clone())]),
                Type::map(Type::String),
            ),
            (
                "in object",
                obj(&[("a", special.clone())]),
                Type::object([("a", Type::Number)]),
            ),
            (
                "in tuple",
                Value::tuple([special.clone()]),
                Type::tuple([Type::Bool]),
            ),
            (
                "in dynamic list",
                Value::dynamic(Type::list(Type::String), Value::list([special.clone()])),
                Type::Dynamic,
            ),
            ("as dynamic", special.clone(), Type::Dynamic),
        ];
        for (name, value, ty) in nested_cases {
            check_round_trip(name, &value, &ty);
        }
    }
}

fn check_bytes(name: &str, value: &Value, ty: &Type, expected: &[u8]) {
    assert_eq!(
        encode_msgpack(value, ty).unwrap(),
        expected,
        "{name}: encode"
    );
    assert_eq!(
        &decode_msgpack(expected, ty).unwrap(),
        value,
        "{name}: decode"
    );
}

#[test]
fn exact_bytes() {
    check_bytes("null", &Value::Null, &Type::String, &[0xc0]);
    check_bytes(
        "unknown",
        &Value::Unknown,
        &Type::String,
        &[0xd4, 0x00, 0x00],
    );
    check_bytes(
        "object",
        &obj(&[("a", Value::string("x"))]),
        &Type::object([("a", Type::String)]),
        &[0x81, 0xa1, b'a', 0xa1, b'x'],
    );
    let mut dynamic_string = vec![0x92, 0xc4, 0x08];
    dynamic_string.extend_from_slice(b"\"string\"");
    dynamic_string.extend_from_slice(&[0xa1, b'x']);
    check_bytes(
        "dynamic string",
        &Value::dynamic(Type::String, Value::string("x")),
        &Type::Dynamic,
        &dynamic_string,
    );
    check_bytes(
        "attributes sorted",
        &obj(&[("b", Value::bool(true)), ("a", Value::bool(false))]),
        &Type::object([("b", Type::Bool), ("a", Type::Bool)]),
        &[0x82, 0xa1, b'a', 0xc2, 0xa1, b'b', 0xc3],
    );
    // A typed unknown in a dynamic slot is written bare and reads back as
    // plain unknown.
    assert_eq!(
        encode_msgpack(
            &Value::dynamic(Type::String, Value::Unknown),
            &Type::Dynamic
        )
        .unwrap(),
        [0xd4, 0, 0]
    );
}

#[test]
fn numbers() {
    let number_bytes =
        |number: Number| encode_msgpack(&Value::Number(number), &Type::Number).unwrap();
    let decode_number = |bytes: &[u8]| decode_msgpack(bytes, &Type::Number).unwrap();
    let cases: Vec<(&str, Number, Vec<u8>)> = vec![
        ("fixint", Number::from(5), vec![0x05]),
        ("negative fixint", Number::from(-3), vec![0xfd]),
        ("i8", Number::from(-100), vec![0xd0, 0x9c]),
        ("u16", Number::from(1000), vec![0xcd, 0x03, 0xe8]),
        (
            "i64 min",
            Number::from(i64::MIN),
            [vec![0xd3, 0x80], vec![0; 7]].concat(),
        ),
        (
            "half",
            Number::from(0.5),
            [vec![0xcb], 0.5f64.to_be_bytes().to_vec()].concat(),
        ),
        (
            "1e300",
            Number::from(1e300),
            [vec![0xcb], 1e300f64.to_be_bytes().to_vec()].concat(),
        ),
        (
            "inf",
            Number::from(f64::INFINITY),
            [vec![0xcb], f64::INFINITY.to_be_bytes().to_vec()].concat(),
        ),
        (
            "u64 max as decimal",
            Number::from(u64::MAX),
            [vec![0xb4], b"18446744073709551615".to_vec()].concat(),
        ),
        (
            "0.1 as decimal",
            Number::parse_decimal("0.1").unwrap(),
            vec![0xa3, b'0', b'.', b'1'],
        ),
    ];
    for (name, number, bytes) in cases {
        assert_eq!(number_bytes(number.clone()), bytes, "{name}: encode");
        assert_eq!(
            decode_number(&bytes),
            Value::Number(number),
            "{name}: decode"
        );
    }
    let forty = "1234567890123456789012345678901234567890";
    let mut bytes = vec![0xd9, 40];
    bytes.extend_from_slice(forty.as_bytes());
    let decoded = decode_number(&bytes);
    assert_eq!(decoded.as_number().unwrap().to_decimal_string(), forty);
    assert_eq!(
        number_bytes(decoded.as_number().unwrap().clone()),
        bytes,
        "40 digits re-encode"
    );
    // Other encodings a peer may use for the same numbers.
    assert_eq!(
        decode_number(&[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Value::number(u64::MAX)
    );
    assert_eq!(
        decode_number(&[0xca, 0x3f, 0xc0, 0x00, 0x00]),
        Value::number(1.5),
        "float32"
    );
    assert_eq!(decode_number(&[0xa1, b'1']), Value::number(1), "\"1\" == 1");
    assert_eq!(
        decode_number(&[0xd2, 0xff, 0xff, 0xff, 0xff]),
        Value::number(-1),
        "i32"
    );
    assert_eq!(
        decode_number(&[0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]),
        Value::number(1),
        "1.0 == 1"
    );
}

#[test]
fn any_extension_decodes_as_unknown() {
    // Refined unknown: ext8, length 3, type 12, payload {1: false}.
    let refined = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
    assert_eq!(
        decode_msgpack(&refined, &Type::String).unwrap(),
        Value::Unknown
    );
    let in_object = [&[0x81, 0xa1, b'a'][..], &refined].concat();
    let ty = Type::object([("a", Type::list(Type::Number))]);
    assert_eq!(
        decode_msgpack(&in_object, &ty).unwrap(),
        obj(&[("a", Value::Unknown)])
    );
    assert_eq!(
        decode_msgpack(&[0xd5, 0x05, 1, 2], &Type::Bool).unwrap(),
        Value::Unknown
    );
    assert_eq!(
        decode_msgpack(&[], &ty).unwrap(),
        Value::Null,
        "empty input"
    );
}

fn check_error(name: &str, bytes: &[u8], ty: &Type, expected_message: &str) {
    let err = decode_msgpack(bytes, ty).unwrap_err();
    assert_eq!(err.to_string(), expected_message, "{name}");
}

#[test]
fn decode_errors() {
    let two = Type::object([("a", Type::String), ("b", Type::String)]);
    check_error(
        "missing attribute",
        &[0x81, 0xa1, b'a', 0xc0],
        &two,
        "missing attribute \"b\" at the top level",
    );
    check_error(
        "unsupported attribute",
        &[0x81, 0xa1, b'z', 0xc0],
        &Type::list(two.clone()).element_type().cloned().unwrap(),
        "unsupported attribute \"z\" at the top level",
    );
    check_error(
        "duplicate key",
        &[0x82, 0xa1, b'a', 0xc0, 0xa1, b'a', 0xc0],
        &two,
        "duplicate key \"a\" at the top level",
    );
    check_error(
        "wrong type deep",
        &[0x81, 0xa1, b'l', 0x92, 0xa1, b'x', 0x07],
        &Type::object([("l", Type::list(Type::String))]),
        "string is required, found msgpack integer at .l[1]",
    );
    check_error(
        "secret not echoed",
        &[0xa6, b's', b'e', b'c', b'r', b'e', b't'],
        &Type::Number,
        "invalid number: malformed decimal at the top level",
    );
    check_error(
        "truncated",
        &[0xa5, b'a'],
        &Type::String,
        "length 5 exceeds the remaining input (1 bytes) at the top level",
    );
    check_error(
        "truncated int",
        &[0xcd, 0x01],
        &Type::Number,
        "unexpected end of input at the top level",
    );
    check_error(
        "trailing",
        &[0xc0, 0xc0],
        &Type::String,
        "1 trailing bytes after the value at the top level",
    );
    check_error(
        "reserved",
        &[0xc1],
        &Type::String,
        "invalid msgpack: reserved byte 0xc1 at the top level",
    );
    check_error(
        "huge array",
        &[0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0],
        &Type::list(Type::Bool),
        "length 4294967295 exceeds the remaining input (1 bytes) at the top level",
    );
    check_error(
        "huge map",
        &[0xdf, 0x00, 0x01, 0x00, 0x00],
        &Type::map(Type::Bool),
        "length 65536 exceeds the remaining input (0 bytes) at the top level",
    );
    check_error(
        "huge ext",
        &[0xc9, 0xff, 0xff, 0xff, 0xff, 0x00],
        &Type::Bool,
        "length 4294967295 exceeds the remaining input (1 bytes) at the top level",
    );
    check_error(
        "tuple length",
        &[0x91, 0xc0],
        &Type::tuple([Type::Bool, Type::Bool]),
        "a tuple of 2 elements is required (1 given) at the top level",
    );
    check_error(
        "bad utf-8",
        &[0xa1, 0xff],
        &Type::String,
        "string is not valid utf-8 at the top level",
    );
    check_error(
        "bin is not a string",
        &[0xc4, 0x01, b'x'],
        &Type::String,
        "string is required, found msgpack binary at the top level",
    );
    check_error(
        "non-string key",
        &[0x81, 0x01, 0xc0],
        &Type::map(Type::Bool),
        "invalid msgpack: map keys must be strings at the top level",
    );
    check_error(
        "NaN",
        &[0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0],
        &Type::Number,
        "invalid number: NaN at the top level",
    );
    check_error(
        "dynamic arity",
        &[0x91, 0xc0],
        &Type::Dynamic,
        "invalid msgpack: a dynamic value must be a [type, value] array at the top level",
    );
    check_error(
        "dynamic bad type",
        &[
            0x92, 0xc4, 0x07, b'"', b's', b't', b'r', b'n', b'g', b'"', 0xc0,
        ],
        &Type::Dynamic,
        "invalid type: invalid primitive type name \"strng\" at the top level",
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let mut ty = Type::Bool;
    for _ in 0..100 {
        ty = Type::list(ty);
    }
    let mut bytes = vec![0x91; 100];
    bytes.push(0xc3);
    let err = decode_msgpack(&bytes, &ty).unwrap_err();
    assert_eq!(err.kind(), &ValueErrorKind::TooDeep(MAX_DEPTH));
    assert!(err.path_string().starts_with("[0][0]"));
    // Deep dynamic nesting, where the input chooses the types.
    let mut bytes = Vec::new();
    for _ in 0..100 {
        bytes.extend_from_slice(&[0x92, 0xc4, 0x09]);
        bytes.extend_from_slice(b"\"dynamic\"");
    }
    bytes.push(0xc0);
    let err = decode_msgpack(&bytes, &Type::Dynamic).unwrap_err();
    assert_eq!(err.kind(), &ValueErrorKind::TooDeep(MAX_DEPTH));
}

#[test]
fn encode_errors() {
    let ty = Type::object([("a", Type::String)]);
    let check = |name: &str, value: Value, ty: &Type, expected: &str| {
        assert_eq!(
            encode_msgpack(&value, ty).unwrap_err().to_string(),
            expected,
            "{name}"
        );
    };
    check(
        "missing",
        Value::object::<&str>([]),
        &ty,
        "missing attribute \"a\" at the top level",
    );
    check(
        "extra",
        obj(&[("a", Value::Null), ("b", Value::Null)]),
        &ty,
        "unsupported attribute \"b\" at the top level",
    );
    check(
        "wrong kind",
        Value::list([Value::bool(true)]),
        &Type::list(Type::String),
        "string is required, found bool value at [0]",
    );
    check(
        "bare in dynamic",
        Value::string("x"),
        &Type::Dynamic,
        "a dynamic value with its type is required, found string value at the top level",
    );
}

/// A small deterministic generator, so the fuzz cases are reproducible.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn arbitrary_bytes_never_panic() {
    let (ty, value) = everything();
    let valid = encode_msgpack(&value, &ty).unwrap();
    for end in 0..valid.len() {
        assert!(
            decode_msgpack(&valid[..end], &ty).is_err() || end == 0,
            "prefix {end}"
        );
    }
    let mut state = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        let mut bytes = valid.clone();
        for _ in 0..(xorshift(&mut state) % 4 + 1) {
            let at = usize::try_from(xorshift(&mut state)).unwrap() % bytes.len();
            bytes[at] = u8::try_from(xorshift(&mut state) & 0xff).unwrap();
        }
        let _ = decode_msgpack(&bytes, &ty);
        let _ = decode_msgpack(&bytes, &Type::Dynamic);
    }
}
