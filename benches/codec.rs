//! msgpack codec throughput on a large state: the `influxdb3_management_tokens`
//! data source listing 1000 tokens (an object with a list of 1000 objects of 7
//! string attributes), the biggest value this provider sends or receives.
//!
//! ```sh
//! cargo bench --bench codec -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! `make bench` (scripts/bench.py) runs this and reports MB/s and elements/s
//! from criterion's estimates; see BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use influxdb3_provider::framework::value::{Type, Value, decode_msgpack, encode_msgpack};

/// Tokens in the benchmarked state; one element of the list is one token.
const TOKENS: u64 = 1000;

/// The 7 string attributes of one listed token, as the data source declares them.
const TOKEN_ATTRIBUTES: [&str; 7] = [
    "id",
    "description",
    "token_prefix",
    "created_at",
    "created_by",
    "expires_at",
    "revoked_at",
];

/// The data source's state type: `include_revoked` and `tokens`.
fn state_type() -> Type {
    let token = Type::object(TOKEN_ATTRIBUTES.map(|name| (name, Type::String)));
    Type::object([
        ("include_revoked", Type::Bool),
        ("tokens", Type::list(token)),
    ])
}

/// A UUID-shaped string that differs per token and per use.
fn uuid_text(index: u64, salt: u64) -> String {
    let bits = index
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        bits >> 32,
        (bits >> 16) & 0xffff,
        bits & 0xfff,
        (bits >> 20) & 0xfff,
        bits & 0xffff_ffff_ffff
    )
}

/// A state listing `TOKENS` tokens with realistic values: UUIDs, RFC 3339 times,
/// a short description and prefix; every fourth token revoked.
fn state_value() -> Value {
    let tokens = (0..TOKENS).map(|index| {
        let revoked_at = if index % 4 == 3 {
            Value::string(format!("2026-03-{:02}T12:00:00Z", 1 + index % 28))
        } else {
            Value::null()
        };
        Value::object([
            ("id", Value::string(uuid_text(index, 1))),
            (
                "description",
                Value::string(format!("CI pipeline token {index}")),
            ),
            (
                "token_prefix",
                Value::string(format!("apiv1_{:06x}", index * 7919)),
            ),
            (
                "created_at",
                Value::string(format!(
                    "2026-01-{:02}T{:02}:{:02}:{:02}.{:06}Z",
                    1 + index % 28,
                    index % 24,
                    index % 60,
                    (index * 7) % 60,
                    index * 997 % 1_000_000
                )),
            ),
            ("created_by", Value::string(uuid_text(index % 3, 2))),
            ("expires_at", Value::string("2027-06-01T00:00:00Z")),
            ("revoked_at", revoked_at),
        ])
    });
    Value::object([
        ("include_revoked", Value::bool(true)),
        ("tokens", Value::list(tokens)),
    ])
}

fn codec(c: &mut Criterion) {
    let ty = state_type();
    let value = state_value();
    let bytes = match encode_msgpack(&value, &ty) {
        Ok(bytes) => bytes,
        Err(error) => panic!("the benchmark state does not encode: {error}"),
    };
    match decode_msgpack(&bytes, &ty) {
        Ok(decoded) => assert_eq!(decoded, value, "round trip changed the state"),
        Err(error) => panic!("the benchmark state does not decode: {error}"),
    }

    let mut group = c.benchmark_group("msgpack_tokens_1000");
    group.throughput(Throughput::ElementsAndBytes {
        elements: TOKENS,
        bytes: bytes.len() as u64,
    });
    group.bench_function("decode", |b| {
        b.iter(|| decode_msgpack(black_box(&bytes), black_box(&ty)))
    });
    group.bench_function("encode", |b| {
        b.iter(|| encode_msgpack(black_box(&value), black_box(&ty)))
    });
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
