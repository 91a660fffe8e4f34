//! The checks behind the fuzz targets in `fuzz_targets/`, one public function
//! per target, so that the same code runs under libFuzzer (`cargo fuzz run`),
//! in the corpus replay test (`tests/corpus.rs`) and in the seed generator
//! (`examples/gen_corpus.rs`).
//!
//! Every function takes arbitrary bytes and must not panic. A panic is a
//! finding: either the code under test panicked (a crash) or one of the
//! properties asserted here does not hold (a round trip that changes a
//! value, a decoded value that cannot be encoded again, ...).
//!
//! # Typed inputs
//!
//! The value codecs need a [`Type`]. [`split_typed`] derives one from the
//! start of the input, `[len][len bytes: type descriptor][payload]`, so the
//! fuzzer explores types and values at once while a mutation of the payload
//! leaves the type alone. [`type_descriptor`] is the inverse, for seeds.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone as _, Utc};
use influxdb3_provider::api::{ErrorBody, ManagementToken};
use influxdb3_provider::framework::value::{
    Type, Value, ValueErrorKind, decode_json, decode_msgpack, encode_json, encode_msgpack,
};
use influxdb3_provider::plugin::handshake::{
    APP_PROTOCOL_VERSION, HandshakeEnv, HandshakeError, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE,
};
use influxdb3_provider::plugin::tls::ServerTls;
use influxdb3_provider::provider::client::parse_retry_after;

/// Object attribute names a descriptor can pick from: the schema's own,
/// the dynamic wrapper's keys, and names that need escaping in JSON.
pub const NAMES: [&str; 16] = [
    "a",
    "b",
    "id",
    "description",
    "expires_at",
    "type",
    "value",
    "",
    "with space",
    "quote\"",
    "back\\slash",
    "new\nline",
    "ctl\u{1}",
    "\u{e9}t\u{e9}",
    "\u{1d11e}",
    "del\u{7f}",
];

/// At most this many elements in a described object or tuple type.
pub const MAX_MEMBERS: usize = 4;

/// Nesting of described types stops here (only primitives below).
pub const MAX_TYPE_DEPTH: usize = 8;

/// The type kinds, in descriptor byte order (byte % 9).
const KINDS: usize = 9;

struct Descriptor<'a>(&'a [u8]);

impl Descriptor<'_> {
    /// The next byte, 0 once the descriptor is used up.
    fn next(&mut self) -> usize {
        match self.0.split_first() {
            Some((&first, rest)) => {
                self.0 = rest;
                usize::from(first)
            }
            None => 0,
        }
    }

    fn read_type(&mut self, depth: usize) -> Type {
        let byte = self.next();
        let kind = if depth >= MAX_TYPE_DEPTH {
            byte % 4
        } else {
            byte % KINDS
        };
        match kind {
            0 => Type::String,
            1 => Type::Number,
            2 => Type::Bool,
            3 => Type::Dynamic,
            4 => Type::list(self.read_type(depth + 1)),
            5 => Type::set(self.read_type(depth + 1)),
            6 => Type::map(self.read_type(depth + 1)),
            7 => {
                let count = self.next() % (MAX_MEMBERS + 1);
                let mut attributes = BTreeMap::new();
                for _ in 0..count {
                    let name = NAMES[self.next() % NAMES.len()];
                    let ty = self.read_type(depth + 1);
                    attributes.insert(name.to_owned(), ty);
                }
                Type::Object(attributes)
            }
            _ => {
                let count = self.next() % (MAX_MEMBERS + 1);
                Type::Tuple((0..count).map(|_| self.read_type(depth + 1)).collect())
            }
        }
    }
}

/// The type a descriptor describes (every byte string describes one).
pub fn type_from_descriptor(descriptor: &[u8]) -> Type {
    Descriptor(descriptor).read_type(0)
}

/// The descriptor of `ty`, or `None` if no descriptor describes it (an
/// attribute name outside [`NAMES`], too many members, too deep).
pub fn type_descriptor(ty: &Type) -> Option<Vec<u8>> {
    fn write(ty: &Type, depth: usize, out: &mut Vec<u8>) -> Option<()> {
        if depth >= MAX_TYPE_DEPTH
            && !matches!(ty, Type::String | Type::Number | Type::Bool | Type::Dynamic)
        {
            return None;
        }
        let small = |n: usize| {
            u8::try_from(n)
                .ok()
                .filter(|&n| usize::from(n) <= MAX_MEMBERS)
        };
        match ty {
            Type::String => out.push(0),
            Type::Number => out.push(1),
            Type::Bool => out.push(2),
            Type::Dynamic => out.push(3),
            Type::List(element) | Type::Set(element) | Type::Map(element) => {
                out.push(match ty {
                    Type::List(_) => 4,
                    Type::Set(_) => 5,
                    _ => 6,
                });
                write(element, depth + 1, out)?;
            }
            Type::Object(attributes) => {
                out.extend([7, small(attributes.len())?]);
                for (name, attribute_ty) in attributes {
                    let index = NAMES.iter().position(|candidate| candidate == name)?;
                    out.push(u8::try_from(index).ok()?);
                    write(attribute_ty, depth + 1, out)?;
                }
            }
            Type::Tuple(elements) => {
                out.extend([8, small(elements.len())?]);
                for element in elements {
                    write(element, depth + 1, out)?;
                }
            }
        }
        Some(())
    }
    let mut out = Vec::new();
    write(ty, 0, &mut out)?;
    Some(out)
}

/// Splits `[len][descriptor][payload]` into the described type and the
/// payload. An empty input is a string type with an empty payload.
pub fn split_typed(data: &[u8]) -> (Type, &[u8]) {
    let Some((&len, rest)) = data.split_first() else {
        return (Type::String, data);
    };
    let (descriptor, payload) = rest.split_at(usize::from(len).min(rest.len()));
    (type_from_descriptor(descriptor), payload)
}

/// `[len][descriptor][payload]` for `ty`; `None` as for [`type_descriptor`]
/// or for a descriptor longer than 255 bytes.
pub fn typed_input(ty: &Type, payload: &[u8]) -> Option<Vec<u8>> {
    let descriptor = type_descriptor(ty)?;
    let mut out = vec![u8::try_from(descriptor.len()).ok()?];
    out.extend_from_slice(&descriptor);
    out.extend_from_slice(payload);
    Some(out)
}

/// Whether `value` holds an unknown value at any depth.
fn has_unknown(value: &Value) -> bool {
    any_leaf(value, &|leaf| matches!(leaf, Value::Unknown))
}

/// Whether `value` holds an infinite number at any depth.
fn has_infinity(value: &Value) -> bool {
    any_leaf(
        value,
        &|leaf| matches!(leaf, Value::Number(n) if n.is_infinite()),
    )
}

fn any_leaf(value: &Value, test: &dyn Fn(&Value) -> bool) -> bool {
    match value {
        Value::List(elements) | Value::Set(elements) | Value::Tuple(elements) => {
            elements.iter().any(|element| any_leaf(element, test))
        }
        Value::Map(entries) | Value::Object(entries) => {
            entries.values().any(|element| any_leaf(element, test))
        }
        Value::Dynamic(_, inner) => any_leaf(inner, test),
        leaf => test(leaf),
    }
}

/// Target `msgpack_value`: Terraform's msgpack values (`DynamicValue.msgpack`).
///
/// A value that decodes must conform to its type, encode again, decode to
/// the same value, and encode to the same bytes the second time (the
/// encoding is canonical). When JSON can hold it (no unknown, no infinity),
/// it must also survive a trip through the JSON codec.
pub fn msgpack_value(data: &[u8]) {
    let (ty, payload) = split_typed(data);
    let Ok(value) = decode_msgpack(payload, &ty) else {
        return;
    };
    if let Err(error) = value.conforms_to(&ty) {
        panic!("decoded msgpack does not conform to {ty:?}: {error}\nvalue: {value:?}");
    }
    let encoded = encode_msgpack(&value, &ty).unwrap_or_else(|error| {
        panic!("a decoded msgpack value does not encode: {error}\ntype: {ty:?}\nvalue: {value:?}")
    });
    let again = decode_msgpack(&encoded, &ty).unwrap_or_else(|error| {
        panic!(
            "re-encoded msgpack does not decode: {error}\ntype: {ty:?}\nvalue: {value:?}\nbytes: {encoded:02x?}"
        )
    });
    assert_eq!(
        again, value,
        "msgpack round trip changed the value\ntype: {ty:?}\nre-encoded: {encoded:02x?}"
    );
    let encoded_again = encode_msgpack(&again, &ty).expect("encodes: it did the first time");
    assert_eq!(
        encoded_again, encoded,
        "msgpack encoding is not stable\ntype: {ty:?}\nvalue: {value:?}"
    );
    if !has_unknown(&value) && !has_infinity(&value) {
        let json = encode_json(&value, &ty).unwrap_or_else(|error| {
            panic!("a known, finite msgpack value does not encode as json: {error}\ntype: {ty:?}\nvalue: {value:?}")
        });
        let from_json = decode_json(&json, &ty).unwrap_or_else(|error| {
            panic!(
                "json of a msgpack value does not decode: {error}\ntype: {ty:?}\njson: {}",
                String::from_utf8_lossy(&json)
            )
        });
        assert_eq!(
            from_json,
            value,
            "msgpack -> json -> value changed the value\ntype: {ty:?}\njson: {}",
            String::from_utf8_lossy(&json)
        );
    }
}

/// Target `json_value`: stored state (`RawState.json`, UpgradeResourceState).
///
/// A document that decodes must be JSON by serde_json's reader too. A
/// value that decodes must conform, hold no unknown, encode again (unless
/// it holds an infinite number, which JSON cannot carry: then the error must
/// say so), decode to the same value, and re-encode to the same bytes. It
/// must also survive a trip through the msgpack codec, as state does on its
/// way to Terraform.
pub fn json_value(data: &[u8]) {
    let (ty, payload) = split_typed(data);
    let Ok(value) = decode_json(payload, &ty) else {
        return;
    };
    // The project's own JSON reader (json_text.rs) must not accept what a
    // standard reader rejects; it may nest deeper than serde_json's 128.
    if !payload.is_empty()
        && let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(payload)
    {
        assert!(
            error.to_string().starts_with("recursion limit exceeded"),
            "decode_json accepted a document serde_json rejects ({error})\ntype: {ty:?}\ndocument: {:?}",
            String::from_utf8_lossy(payload)
        );
    }
    if let Err(error) = value.conforms_to(&ty) {
        panic!("decoded json does not conform to {ty:?}: {error}\nvalue: {value:?}");
    }
    assert!(
        !has_unknown(&value),
        "json decoded to an unknown value: {value:?}"
    );
    match encode_json(&value, &ty) {
        Ok(json) => {
            let again = decode_json(&json, &ty).unwrap_or_else(|error| {
                panic!(
                    "re-encoded json does not decode: {error}\ntype: {ty:?}\njson: {}",
                    String::from_utf8_lossy(&json)
                )
            });
            assert_eq!(
                again,
                value,
                "json round trip changed the value\ntype: {ty:?}\nre-encoded: {}",
                String::from_utf8_lossy(&json)
            );
            let json_again = encode_json(&again, &ty).expect("encodes: it did the first time");
            assert_eq!(
                String::from_utf8_lossy(&json_again),
                String::from_utf8_lossy(&json),
                "json encoding is not stable\ntype: {ty:?}"
            );
        }
        Err(error) if has_infinity(&value) => assert!(
            matches!(error.kind(), ValueErrorKind::NotJsonEncodable(_)),
            "an infinite number fails json encoding with the wrong error: {error}"
        ),
        Err(error) => {
            panic!("a decoded json value does not encode: {error}\ntype: {ty:?}\nvalue: {value:?}")
        }
    }
    let msgpack = encode_msgpack(&value, &ty).unwrap_or_else(|error| {
        panic!("a decoded json value does not encode as msgpack: {error}\ntype: {ty:?}\nvalue: {value:?}")
    });
    let from_msgpack = decode_msgpack(&msgpack, &ty).unwrap_or_else(|error| {
        panic!(
            "msgpack of a json value does not decode: {error}\ntype: {ty:?}\nbytes: {msgpack:02x?}"
        )
    });
    assert_eq!(
        from_msgpack, value,
        "json -> msgpack -> value changed the value\ntype: {ty:?}\nmsgpack: {msgpack:02x?}"
    );
}

/// Target `type_json`: type JSON (`Schema.Attribute.type`, dynamic values'
/// type tags), raw bytes to [`Type::from_json_bytes`].
///
/// A type that parses must write type JSON that parses back to it, and the
/// bytes of [`Type::to_json_bytes`] must be the JSON of [`Type::to_json`].
pub fn type_json(data: &[u8]) {
    let Ok(ty) = Type::from_json_bytes(data) else {
        return;
    };
    let bytes = ty.to_json_bytes();
    let back = Type::from_json_bytes(&bytes).unwrap_or_else(|error| {
        panic!(
            "to_json_bytes of {ty:?} does not parse: {error}\njson: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(back, ty, "type JSON round trip changed the type");
    let tree: serde_json::Value = serde_json::from_slice(&bytes).expect("parsed above");
    assert_eq!(
        tree,
        ty.to_json(),
        "to_json_bytes and to_json disagree for {ty:?}"
    );
    assert_eq!(
        Type::from_json(&ty.to_json()).ok().as_ref(),
        Some(&ty),
        "from_json(to_json) changed the type"
    );
    let _ = ty.to_string();
}

/// The variables [`handshake_env`] hands to [`HandshakeEnv::from_vars`].
#[derive(Debug, Default)]
struct Vars {
    cookie: Option<String>,
    versions: Option<String>,
    min_port: Option<String>,
    max_port: Option<String>,
    client_cert: Option<String>,
}

/// Target `handshake_env`: the go-plugin environment Terraform sets.
///
/// Input: a flags byte, then the values of the magic cookie,
/// `PLUGIN_PROTOCOL_VERSIONS`, `PLUGIN_MIN_PORT`, `PLUGIN_MAX_PORT` and
/// `PLUGIN_CLIENT_CERT`, separated by NUL bytes (lossy UTF-8). Flag bit i
/// sets variable i; bit 7 sets the right cookie instead. Checks: a wrong
/// or missing cookie is refused; an accepted environment serves protocol 6,
/// has min port <= max port, and no blank certificate; `Debug` never shows
/// the certificate.
pub fn handshake_env(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let parts: Vec<String> = rest
        .split(|&byte| byte == 0)
        .take(5)
        .map(|part| String::from_utf8_lossy(part).into_owned())
        .collect();
    let var = |index: usize| {
        (flags & (1 << index) != 0).then(|| parts.get(index).cloned().unwrap_or_default())
    };
    let vars = Vars {
        cookie: if flags & 0x80 != 0 {
            Some(MAGIC_COOKIE_VALUE.to_owned())
        } else {
            var(0)
        },
        versions: var(1),
        min_port: var(2),
        max_port: var(3),
        client_cert: var(4),
    };
    let result = HandshakeEnv::from_vars(|name| match name {
        MAGIC_COOKIE_KEY => vars.cookie.clone(),
        "PLUGIN_PROTOCOL_VERSIONS" => vars.versions.clone(),
        "PLUGIN_MIN_PORT" => vars.min_port.clone(),
        "PLUGIN_MAX_PORT" => vars.max_port.clone(),
        "PLUGIN_CLIENT_CERT" => vars.client_cert.clone(),
        _ => None,
    });
    let env = match result {
        Ok(env) => env,
        Err(error) => {
            if vars.cookie.as_deref() != Some(MAGIC_COOKIE_VALUE) {
                assert_eq!(error, HandshakeError::NotLaunchedByTerraform, "{vars:?}");
            }
            let _ = error.to_string();
            return;
        }
    };
    assert_eq!(
        vars.cookie.as_deref(),
        Some(MAGIC_COOKIE_VALUE),
        "accepted without the cookie"
    );
    assert_eq!(env.protocol_version, APP_PROTOCOL_VERSION, "{vars:?}");
    assert!(env.min_port <= env.max_port, "{env:?} from {vars:?}");
    if let Some(pem) = &env.client_cert_pem {
        assert!(
            !pem.trim().is_empty(),
            "a blank certificate was kept: {vars:?}"
        );
        assert_eq!(
            vars.client_cert.as_ref(),
            Some(pem),
            "the certificate changed"
        );
    }
    assert_eq!(
        format!("{env:?}"),
        format!(
            "HandshakeEnv {{ protocol_version: {}, min_port: {}, max_port: {}, client_cert: {:?} }}",
            env.protocol_version,
            env.min_port,
            env.max_port,
            env.client_cert_pem.as_ref().map(|_| "<pem>"),
        ),
        "Debug of HandshakeEnv is not the redacted form"
    );
}

/// Target `client_cert_pem`: `PLUGIN_CLIENT_CERT` to the server's TLS
/// configuration. Input: the variable's value (lossy UTF-8).
///
/// A PEM certificate that parses costs a fresh P-256 key and a signature
/// (about a millisecond); anything else fails in the PEM reader.
pub fn client_cert_pem(data: &[u8]) {
    let pem = String::from_utf8_lossy(data);
    match ServerTls::for_client_cert_pem(&pem) {
        Ok(tls) => {
            assert!(!tls.server_cert_der.is_empty(), "no server certificate");
            assert_eq!(
                tls.config.alpn_protocols,
                [b"h2".to_vec()],
                "ALPN is not h2"
            );
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
}

/// The fixed "now" of [`api_response`].
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
        .single()
        .expect("a valid date")
}

fn check_token(token: &ManagementToken) {
    let _ = token.is_active_at(now());
    let debug = format!("{token:?}");
    if token.access_token.is_some() {
        assert!(
            debug.contains("access_token: Some(<redacted>)"),
            "Debug of a token does not redact its secret: {debug}"
        );
    }
}

fn json_round_trip<T>(value: &T, what: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_vec(value)
        .unwrap_or_else(|error| panic!("{what} does not serialize: {error}"));
    let back: T = serde_json::from_slice(&json).unwrap_or_else(|error| {
        panic!(
            "serialized {what} does not parse back: {error}\njson: {}",
            String::from_utf8_lossy(&json)
        )
    });
    assert_eq!(&back, value, "{what} JSON round trip changed it");
}

/// Target `api_response`: bodies of the management API, as the provider's
/// client parses them (`serde_json::from_slice` of a token, a list of
/// tokens, or an error body), and the `Retry-After` header (UTF-8 input).
///
/// What parses must serialize and parse back to the same value; a token's
/// `Debug` must redact its secret.
pub fn api_response(data: &[u8]) {
    if let Ok(tokens) = serde_json::from_slice::<Vec<ManagementToken>>(data) {
        tokens.iter().for_each(check_token);
        json_round_trip(&tokens, "a token list");
    }
    if let Ok(token) = serde_json::from_slice::<ManagementToken>(data) {
        check_token(&token);
        json_round_trip(&token, "a token");
    }
    if let Ok(body) = serde_json::from_slice::<ErrorBody>(data) {
        json_round_trip(&body, "an error body");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let delay = parse_retry_after(text, now());
        if let Ok(seconds) = text.trim().parse::<u64>() {
            assert_eq!(
                delay,
                Some(std::time::Duration::from_secs(seconds)),
                "Retry-After {text:?}"
            );
        }
    }
}

/// A fuzz target's check.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, as in `Cargo.toml` and `corpus/`.
pub const TARGETS: [(&str, Target); 6] = [
    ("msgpack_value", msgpack_value),
    ("json_value", json_value),
    ("type_json", type_json),
    ("handshake_env", handshake_env),
    ("client_cert_pem", client_cert_pem),
    ("api_response", api_response),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_invert() {
        let types = [
            Type::String,
            Type::Dynamic,
            Type::list(Type::set(Type::map(Type::Number))),
            Type::object(NAMES.iter().take(4).map(|name| (*name, Type::Bool))),
            Type::tuple([
                Type::String,
                Type::object([("type", Type::Dynamic)]),
                Type::tuple([]),
            ]),
        ];
        for ty in types {
            let descriptor = type_descriptor(&ty).expect("describable");
            assert_eq!(type_from_descriptor(&descriptor), ty);
            let input = typed_input(&ty, b"rest").expect("describable");
            assert_eq!(split_typed(&input), (ty, &b"rest"[..]));
        }
        assert_eq!(
            type_descriptor(&Type::object([("nope", Type::String)])),
            None
        );
    }
}
