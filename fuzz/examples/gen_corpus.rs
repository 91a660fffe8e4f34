//! Writes the seed inputs of every fuzz target into `corpus/<target>/seed-*`:
//! real msgpack values and JSON states of the provider's own schema types
//! and of every other kind of type, type JSON, handshake environments, a
//! Terraform-like client certificate, and management API responses.
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --example gen_corpus
//! ```
//!
//! Seeds are deterministic (the certificate is made once, then read back
//! from the corpus), so rerunning rewrites the same files; it does not touch the other,
//! fuzzer-found inputs. Every seed is run through its target before it is
//! written, so a seed never crashes.

use std::fs;
use std::path::{Path, PathBuf};

use fuzz_harness::{TARGETS, typed_input};
use influxdb3_provider::framework::value::{Number, Type, Value, encode_json, encode_msgpack};
use influxdb3_provider::plugin::handshake::MAGIC_COOKIE_VALUE;

type Seeds = Vec<(String, Vec<u8>)>;

/// The resource `influxdb3_management_token`'s object type.
fn token_resource_type() -> Type {
    Type::object(
        [
            "description",
            "expires_at",
            "id",
            "access_token",
            "token_prefix",
            "created_at",
            "created_by",
        ]
        .map(|name| (name, Type::String)),
    )
}

/// Typed values: (name, type, value). Types use only names the descriptor
/// knows ([`fuzz_harness::NAMES`]), except the provider's own schema types,
/// which are seeded with a remapped, describable twin.
fn typed_values() -> Vec<(&'static str, Type, Value)> {
    let token_like = Type::object([
        ("description", Type::String),
        ("expires_at", Type::String),
        ("id", Type::String),
    ]);
    let dynamic_list = Value::dynamic(
        Type::list(Type::Number),
        Value::list([Value::number(1), Value::number(2.5)]),
    );
    let escaped_object_ty = Type::object([
        ("quote\"", Type::String),
        ("back\\slash", Type::Number),
        ("new\nline", Type::Bool),
        ("\u{1d11e}", Type::String),
    ]);
    vec![
        ("string", Type::String, Value::string("ci token")),
        ("string-empty", Type::String, Value::string("")),
        (
            "string-unicode",
            Type::String,
            Value::string("\u{e9}\u{1d11e}\"\\\n\u{1}"),
        ),
        ("string-null", Type::String, Value::null()),
        ("string-unknown", Type::String, Value::unknown()),
        ("number-int", Type::Number, Value::number(42)),
        ("number-negative", Type::Number, Value::number(-129)),
        ("number-i64-min", Type::Number, Value::number(i64::MIN)),
        ("number-u64-max", Type::Number, Value::number(u64::MAX)),
        ("number-fraction", Type::Number, Value::number(0.1)),
        ("number-tiny", Type::Number, Value::number(5e-324)),
        (
            "number-big-decimal",
            Type::Number,
            Value::Number(
                Number::parse_decimal("123456789012345678901234567890.000000000000000000001")
                    .unwrap(),
            ),
        ),
        (
            "number-huge",
            Type::Number,
            Value::Number(Number::parse_decimal("1e9999").unwrap()),
        ),
        (
            "number-infinity",
            Type::Number,
            Value::Number(Number::parse_decimal("-inf").unwrap()),
        ),
        ("bool", Type::Bool, Value::bool(true)),
        ("bool-false", Type::Bool, Value::bool(false)),
        (
            "list",
            Type::list(Type::String),
            Value::list([Value::string("a"), Value::null(), Value::unknown()]),
        ),
        ("list-empty", Type::list(Type::Number), Value::list([])),
        (
            "set",
            Type::set(Type::Number),
            Value::set([Value::number(1), Value::number(2)]),
        ),
        (
            "map",
            Type::map(Type::Bool),
            Value::map([
                ("x", Value::bool(true)),
                ("", Value::bool(false)),
                ("\u{e9}", Value::null()),
            ]),
        ),
        (
            "object",
            token_like.clone(),
            Value::object([
                ("description", Value::string("ci")),
                ("expires_at", Value::null()),
                ("id", Value::unknown()),
            ]),
        ),
        (
            "object-escaped-names",
            escaped_object_ty,
            Value::object([
                ("quote\"", Value::string("q")),
                ("back\\slash", Value::number(1)),
                ("new\nline", Value::bool(false)),
                ("\u{1d11e}", Value::null()),
            ]),
        ),
        (
            "object-empty",
            Type::object::<[(&str, Type); 0], &str>([]),
            Value::object::<&str>([]),
        ),
        (
            "tuple",
            Type::tuple([Type::String, Type::Number, Type::Bool]),
            Value::tuple([Value::string("t"), Value::number(-1.5), Value::bool(true)]),
        ),
        ("tuple-empty", Type::tuple([]), Value::tuple([])),
        (
            "dynamic-string",
            Type::Dynamic,
            Value::dynamic(Type::String, Value::string("any")),
        ),
        ("dynamic-list", Type::Dynamic, dynamic_list.clone()),
        (
            "dynamic-object",
            Type::Dynamic,
            Value::dynamic(
                Type::object([("type", Type::String), ("value", Type::Dynamic)]),
                Value::object([
                    ("type", Value::string("string")),
                    ("value", Value::dynamic(Type::Bool, Value::bool(true))),
                ]),
            ),
        ),
        ("dynamic-null", Type::Dynamic, Value::null()),
        ("dynamic-unknown", Type::Dynamic, Value::unknown()),
        (
            "nested",
            Type::map(Type::list(Type::object([(
                "a",
                Type::set(Type::tuple([Type::Number, Type::Dynamic])),
            )]))),
            Value::map([(
                "k",
                Value::list([Value::object([(
                    "a",
                    Value::set([Value::tuple([Value::number(7), dynamic_list])]),
                )])]),
            )]),
        ),
        (
            "data-source-like",
            Type::object([("a", Type::Bool), ("b", Type::list(token_like))]),
            Value::object([
                ("a", Value::bool(false)),
                (
                    "b",
                    Value::list([Value::object([
                        ("description", Value::string("ci")),
                        ("expires_at", Value::string("2030-01-01T00:00:00Z")),
                        ("id", Value::string("0b7e3c1a-2f4d-4c59-9a57-1c2d3e4f5a6b")),
                    ])]),
                ),
            ]),
        ),
    ]
}

/// Hand-written msgpack the encoder never writes but Terraform may send.
fn raw_msgpack() -> Vec<(&'static str, Type, Vec<u8>)> {
    vec![
        // A refined unknown (extension 12) with refinements.
        (
            "refined-unknown",
            Type::String,
            vec![0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3],
        ),
        ("float32", Type::Number, vec![0xca, 0x3f, 0xc0, 0x00, 0x00]),
        ("uint8", Type::Number, vec![0xcc, 0xff]),
        ("int16", Type::Number, vec![0xd1, 0x80, 0x00]),
        ("number-as-string", Type::Number, b"\xa5-0.50".to_vec()),
        ("str8", Type::String, b"\xd9\x03abc".to_vec()),
        (
            "array16",
            Type::list(Type::Bool),
            vec![0xdc, 0x00, 0x02, 0xc3, 0xc2],
        ),
        (
            "map16",
            Type::map(Type::String),
            b"\xde\x00\x01\xa1k\xa1v".to_vec(),
        ),
        // A dynamic value whose type is a str, not a bin.
        (
            "dynamic-type-as-str",
            Type::Dynamic,
            b"\x92\xa8\"string\"\xa1x".to_vec(),
        ),
        // Empty input: null.
        ("empty", Type::Dynamic, vec![]),
        // Length prefix past the end.
        (
            "length-past-end",
            Type::String,
            vec![0xdb, 0xff, 0xff, 0xff, 0xff, b'a'],
        ),
        (
            "duplicate-key",
            Type::map(Type::Number),
            b"\x82\xa1a\x01\xa1a\x02".to_vec(),
        ),
    ]
}

/// Hand-written JSON states, as stored by older versions or other tools.
fn raw_json() -> Vec<(&'static str, Type, &'static [u8])> {
    let token_like = Type::object([
        ("description", Type::String),
        ("expires_at", Type::String),
        ("id", Type::String),
    ]);
    vec![
        (
            "state-missing-attribute",
            token_like.clone(),
            br#"{"description":"ci","id":"0b7e3c1a-2f4d-4c59-9a57-1c2d3e4f5a6b"}"#,
        ),
        (
            "state-unsupported-attribute",
            token_like,
            br#"{"description":"ci","zzz":1}"#,
        ),
        ("string-from-number", Type::String, b"12.50"),
        ("string-from-bool", Type::String, b"true"),
        ("number-from-string", Type::Number, br#""1e3""#),
        ("number-exponent", Type::Number, b"-0.00012E+5"),
        ("bool-from-string", Type::Bool, br#""false""#),
        (
            "escapes",
            Type::String,
            br#""\u00e9\ud834\udd1e\"\\\/\b\f\n\r\t""#,
        ),
        ("whitespace", Type::list(Type::Number), b" [ 1 ,\n2\t] "),
        (
            "dynamic-with-type",
            Type::Dynamic,
            br#"{"value":[1,"x"],"type":["tuple",["number","string"]]}"#,
        ),
        (
            "dynamic-typed-null",
            Type::Dynamic,
            br#"{"type":"string","value":null}"#,
        ),
        ("null", Type::map(Type::String), b"null"),
        ("empty", Type::String, b""),
        ("trailing-garbage", Type::Number, b"1 2"),
        (
            "deep",
            Type::Dynamic,
            b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ),
    ]
}

fn type_jsons() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("string", br#""string""#),
        ("number", br#""number""#),
        ("bool", br#""bool""#),
        ("dynamic", br#""dynamic""#),
        ("list", br#"["list","string"]"#),
        ("set", br#"["set","number"]"#),
        ("map", br#"["map",["list","bool"]]"#),
        (
            "object",
            br#"["object",{"description":"string","expires_at":"string","id":"string"}]"#,
        ),
        (
            "object-optional",
            br#"["object",{"a":"string","b":"number"},["b"]]"#,
        ),
        (
            "object-escaped",
            br#"["object",{"q\"\\\n\u0001\ud834\udd1e":"string"}]"#,
        ),
        (
            "tuple",
            br#"["tuple",["string",["list","dynamic"],"bool"]]"#,
        ),
        ("tuple-empty", br#"["tuple",[]]"#),
        (
            "nested",
            br#"["list",["map",["set",["object",{"a":["tuple",["dynamic"]]}]]]]"#,
        ),
        ("unknown-name", br#""strng""#),
        ("bad-shape", br#"["list"]"#),
        ("whitespace", b" [ \"list\" , \"string\" ] "),
        ("trailing", br#""string" x"#),
    ]
}

fn handshake_env(flags: u8, parts: [&str; 5]) -> Vec<u8> {
    let mut out = vec![flags];
    out.extend_from_slice(parts.join("\0").as_bytes());
    out
}

fn handshakes(pem: &str) -> Vec<(&'static str, Vec<u8>)> {
    let all = 0b0001_1111;
    vec![
        (
            "terraform",
            handshake_env(0x80 | 0b1110, ["", "5,6", "10000", "25000", ""]),
        ),
        (
            "terraform-mtls",
            handshake_env(0x80 | 0b1_1110, ["", "6", "10000", "25000", pem]),
        ),
        (
            "cookie-from-input",
            handshake_env(all, [MAGIC_COOKIE_VALUE, " 6 , 7", " 1 ", "65535", " \n"]),
        ),
        (
            "no-cookie",
            handshake_env(0b1110, ["", "6", "10000", "25000", ""]),
        ),
        (
            "wrong-cookie",
            handshake_env(0b1111, ["cookie", "6", "1", "2", ""]),
        ),
        (
            "only-protocol-5",
            handshake_env(0x80 | 0b0010, ["", "5", "", "", ""]),
        ),
        ("no-versions", handshake_env(0x80, ["", "", "", "", ""])),
        (
            "min-above-max",
            handshake_env(0x80 | 0b1110, ["", "6", "30000", "20000", ""]),
        ),
        (
            "port-not-a-number",
            handshake_env(0x80 | 0b0110, ["", "6", "-1", "", ""]),
        ),
        (
            "port-too-big",
            handshake_env(0x80 | 0b1010, ["", "6", "", "65536", ""]),
        ),
        (
            "versions-garbage",
            handshake_env(0x80 | 0b0010, ["", ",,x,6x,+6", "", "", ""]),
        ),
        ("empty", vec![]),
    ]
}

/// A certificate like Terraform's `PLUGIN_CLIENT_CERT`: self-signed P-521, CA.
fn terraform_like_pem() -> String {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "HashiCorp");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.self_signed(&key).expect("certificate").pem()
}

fn client_certs(pem: &str) -> Vec<(&'static str, Vec<u8>)> {
    let crlf = pem.replace('\n', "\r\n");
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    vec![
        ("terraform-like", pem.as_bytes().to_vec()),
        ("crlf", crlf.into_bytes()),
        (
            "with-leading-text",
            format!("junk before\n{pem}").into_bytes(),
        ),
        (
            "one-line-body",
            format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
                .into_bytes(),
        ),
        (
            "not-der",
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec(),
        ),
        (
            "bad-base64",
            b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".to_vec(),
        ),
        (
            "private-key-only",
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".to_vec(),
        ),
        (
            "unterminated",
            b"-----BEGIN CERTIFICATE-----\nAAAA\n".to_vec(),
        ),
        ("empty", vec![]),
    ]
}

fn api_responses() -> Vec<(&'static str, &'static [u8])> {
    vec![
        (
            "token-created",
            br#"{"accountId":"6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","id":"0b7e3c1a-2f4d-4c59-9a57-1c2d3e4f5a6b","description":"ci","tokenPrefix":"apiv1_Ab","createdAt":"2026-03-01T12:00:00Z","createdBy":"6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","accessToken":"apiv1_AbCdEfGhIjKlMnOp"}"#,
        ),
        (
            "token-clustered",
            br#"{"id":"0b7e3c1a-2f4d-4c59-9a57-1c2d3e4f5a6b","description":"ops \u00e9","tokenPrefix":"M.V1.ac","createdAt":"2026-03-01T12:00:00.123456789+02:00","createdBy":"6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","expiresAt":"2030-01-01T00:00:00Z"}"#,
        ),
        (
            "token-revoked",
            br#"{"id":"0B7E3C1A2F4D4C599A571C2D3E4F5A6B","description":"old","tokenPrefix":"x","createdAt":"2025-01-01T00:00:00Z","createdBy":"6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","revokedAt":"2025-06-01T00:00:00Z","expiresAt":null,"extra":[1,{}]}"#,
        ),
        (
            "token-list",
            br#"[{"id":"0b7e3c1a-2f4d-4c59-9a57-1c2d3e4f5a6b","description":"a","tokenPrefix":"p","createdAt":"2026-03-01T12:00:00Z","createdBy":"6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},{"id":"1b7e3c1a-2f4d-4c59-9a57-1c2d3e4f5a6b","description":"b","tokenPrefix":"q","createdAt":"1970-01-01T00:00:00-00:00","createdBy":"6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","revokedAt":"2026-03-02T00:00:00Z"}]"#,
        ),
        ("token-list-empty", b"[]"),
        ("error-conflict", br#"{"code":409,"message":"token already revoked"}"#),
        ("error-extra-fields", br#"{"message":"not found","code":404,"details":null}"#),
        ("error-bad-code", br#"{"code":70000,"message":"x"}"#),
        ("html-error", b"<html><body>502 Bad Gateway</body></html>"),
        ("retry-after-seconds", b"120"),
        ("retry-after-date", b"Wed, 21 Oct 2015 07:28:00 GMT"),
        ("retry-after-future-date", b" Fri, 01 Jan 2100 00:00:00 +0000 "),
        ("empty", b""),
    ]
}

fn write(corpus: &Path, target: &str, seeds: Seeds) -> usize {
    let run = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .expect("a known target");
    let dir = corpus.join(target);
    fs::create_dir_all(&dir).expect("create the corpus directory");
    let count = seeds.len();
    for (name, bytes) in seeds {
        run(&bytes);
        fs::write(dir.join(format!("seed-{name}")), bytes).expect("write a seed");
    }
    count
}

fn main() {
    let corpus: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    // Reuse the committed certificate: a new one differs on every run.
    let pem = fs::read_to_string(corpus.join("client_cert_pem/seed-terraform-like"))
        .unwrap_or_else(|_| terraform_like_pem());

    let mut msgpack = Seeds::new();
    let mut json = Seeds::new();
    for (name, ty, value) in typed_values() {
        let bytes = encode_msgpack(&value, &ty).expect("seed values encode");
        msgpack.push((name.into(), typed_input(&ty, &bytes).expect("describable")));
        if let Ok(text) = encode_json(&value, &ty) {
            json.push((name.into(), typed_input(&ty, &text).expect("describable")));
        }
    }
    for (name, ty, bytes) in raw_msgpack() {
        msgpack.push((
            format!("raw-{name}"),
            typed_input(&ty, &bytes).expect("describable"),
        ));
    }
    for (name, ty, bytes) in raw_json() {
        json.push((
            format!("raw-{name}"),
            typed_input(&ty, bytes).expect("describable"),
        ));
    }
    // The provider's own schema types are not describable (their names are
    // not in NAMES): seed their values under the closest describable type.
    let resource = Value::object([
        ("description", Value::string("ci")),
        ("expires_at", Value::null()),
        ("id", Value::string("0b7e3c1a-2f4d-4c59-9a57-1c2d3e4f5a6b")),
        ("access_token", Value::string("apiv1_secret")),
        ("token_prefix", Value::string("apiv1_se")),
        ("created_at", Value::string("2026-03-01T12:00:00Z")),
        ("created_by", Value::unknown()),
    ]);
    let state = encode_json(
        &Value::object(resource.as_object().unwrap().iter().map(|(k, v)| {
            (
                k.clone(),
                if v.is_unknown() {
                    Value::null()
                } else {
                    v.clone()
                },
            )
        })),
        &token_resource_type(),
    )
    .unwrap();
    json.push((
        "resource-state-as-map".into(),
        typed_input(&Type::map(Type::String), &state).unwrap(),
    ));
    let planned = encode_msgpack(&resource, &token_resource_type()).unwrap();
    msgpack.push((
        "resource-plan-as-map".into(),
        typed_input(&Type::map(Type::String), &planned).unwrap(),
    ));

    let counts = [
        ("msgpack_value", write(&corpus, "msgpack_value", msgpack)),
        ("json_value", write(&corpus, "json_value", json)),
        (
            "type_json",
            write(
                &corpus,
                "type_json",
                type_jsons()
                    .into_iter()
                    .map(|(n, b)| (n.into(), b.to_vec()))
                    .collect(),
            ),
        ),
        (
            "handshake_env",
            write(
                &corpus,
                "handshake_env",
                handshakes(&pem)
                    .into_iter()
                    .map(|(n, b)| (n.into(), b))
                    .collect(),
            ),
        ),
        (
            "client_cert_pem",
            write(
                &corpus,
                "client_cert_pem",
                client_certs(&pem)
                    .into_iter()
                    .map(|(n, b)| (n.into(), b))
                    .collect(),
            ),
        ),
        (
            "api_response",
            write(
                &corpus,
                "api_response",
                api_responses()
                    .into_iter()
                    .map(|(n, b)| (n.into(), b.to_vec()))
                    .collect(),
            ),
        ),
    ];
    for (target, count) in counts {
        println!("{target}: {count} seeds");
    }
}
