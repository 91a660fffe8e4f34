//! The process entry point of a plugin binary: arguments, environment,
//! runtime, exit code. `main.rs` calls [`run`] and nothing else.

use std::process::ExitCode;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::handshake::{HandshakeEnv, HandshakeError, RUN_BY_HAND_MESSAGE};
use super::listener::Network;
use super::protocol::ProviderServer;
use super::serve::{ServeOptions, serve_debug, serve_managed};

/// What the binary is, for `--help` and `--version`.
#[derive(Debug, Clone, Copy)]
pub struct PluginIdentity {
    /// The binary name, e.g. `terraform-provider-influxdb3`.
    pub binary: &'static str,
    /// The provider's version.
    pub version: &'static str,
    /// The provider source address for reattach, e.g. `registry.terraform.io/influxdb3/influxdb3`.
    pub provider_address: &'static str,
}

/// Runs the plugin process: parses arguments, installs the crypto provider and
/// the logger, then serves the [`ProviderServer`] built by `make_server`
/// (managed by Terraform, or `--debug`). Returns the process exit code.
///
/// `make_server` takes no arguments and is called once, inside the async
/// runtime, before serving starts; it is handed no shutdown token. Serving
/// ends on `GRPCController.Shutdown` or SIGTERM (and SIGINT with `--debug`);
/// Ctrl-C in Terraform reaches the server as `StopProvider`.
pub fn run<S, F>(identity: PluginIdentity, make_server: F) -> ExitCode
where
    S: ProviderServer,
    F: FnOnce() -> S,
{
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut debug = false;
    for arg in &args {
        match arg.as_str() {
            "--debug" | "-debug" => debug = true,
            "--help" | "-h" | "-help" => {
                eprintln!("{}", usage(identity));
                return ExitCode::SUCCESS;
            }
            "--version" | "-version" => {
                eprintln!("{} {}", identity.binary, identity.version);
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!(
                    "{}: unknown argument {other:?}\n\n{}",
                    identity.binary,
                    usage(identity)
                );
                return ExitCode::from(2);
            }
        }
    }

    // Two crypto providers may be compiled in (rustls through several crates);
    // rustls panics on first use unless the process picks one.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    super::logging::init_from_env();

    let env = if debug {
        None
    } else {
        match HandshakeEnv::from_process_env() {
            Ok(env) => Some(env),
            Err(HandshakeError::NotLaunchedByTerraform) => {
                eprintln!(
                    "{RUN_BY_HAND_MESSAGE}\n\n{} is a Terraform provider: Terraform starts it. \
                     To run it by hand for debugging, use `{} --debug`.",
                    identity.binary, identity.binary
                );
                return ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!("{}: {error}", identity.binary);
                return ExitCode::FAILURE;
            }
        }
    };

    let options = ServeOptions {
        network: network_from_env(),
    };
    // One thread: a plugin serves one Terraform, and its CPU per command is a few
    // per cent of Terraform's. The multi-thread scheduler starts a worker per core
    // (each with a stack and a malloc arena) and links libm (for one `powf`): it
    // cost 0.7-0.9 MB of VmRSS after GetProviderSchema (BENCHMARKS.md, "Memory
    // after `GetProviderSchema`"), and tokio's "rt-multi-thread" feature is off.
    // Blocking work (DNS lookups) still goes to tokio's blocking pool, whose
    // threads start on demand.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!(
                "{}: could not start the async runtime: {error}",
                identity.binary
            );
            return ExitCode::FAILURE;
        }
    };
    let shutdown = CancellationToken::new();
    let result = runtime.block_on(async {
        let server = Arc::new(make_server());
        match env {
            Some(env) => serve_managed(server, env, options, shutdown).await,
            None => serve_debug(server, identity.provider_address, options, shutdown).await,
        }
    });
    // Do not wait for stray tasks: Terraform expects the process gone soon after Shutdown.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("plugin server failed: {error}");
            eprintln!("{}: {error}", identity.binary);
            ExitCode::FAILURE
        }
    }
}

/// `PLUGIN_LISTEN_NETWORK=tcp` forces TCP on 127.0.0.1 (unix sockets are the default).
fn network_from_env() -> Network {
    match std::env::var("PLUGIN_LISTEN_NETWORK").as_deref() {
        Ok("tcp") => Network::Tcp,
        _ => Network::Unix,
    }
}

fn usage(identity: PluginIdentity) -> String {
    format!(
        "{binary} {version}: a Terraform provider (plugin protocol 6).\n\
         \n\
         Terraform launches this binary itself; see the README for installing it.\n\
         \n\
         Usage:\n  {binary} --debug     serve without Terraform managing the process and print\n                        the TF_REATTACH_PROVIDERS value to use\n  {binary} --version\n  {binary} --help\n\
         \n\
         Environment: TF_LOG_PROVIDER / TF_LOG set the log level (JSON lines on stderr);\n\
         PLUGIN_LISTEN_NETWORK=tcp serves on 127.0.0.1 instead of a unix socket.",
        binary = identity.binary,
        version = identity.version
    )
}
