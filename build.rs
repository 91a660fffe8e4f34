//! Compiles the vendored protocol definitions in `proto/` into Rust.
//!
//! `protox` parses the `.proto` files in pure Rust (no `protoc` is needed or
//! assumed), and `tonic-prost-build` turns the resulting descriptor set into
//! prost messages plus tonic client and server code under `OUT_DIR`. The
//! generated modules are included by `src/plugin/proto.rs`.

use std::error::Error;

const PROTO_DIR: &str = "proto";
const PROTOS: [&str; 2] = ["proto/tfplugin6.proto", "proto/go_plugin.proto"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed={PROTO_DIR}");
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }

    let fds = protox::compile(PROTOS, [PROTO_DIR])
        .map_err(|e| format!("failed to parse the protocol definitions in {PROTO_DIR}/: {e:?}"))?;

    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .build_transport(false)
        .generate_default_stubs(true)
        .compile_fds(fds)
        .map_err(|e| format!("failed to generate Rust code from the protocol definitions: {e}"))?;

    Ok(())
}
