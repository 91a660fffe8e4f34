//! Serving a [`ProviderServer`]: managed by Terraform (handshake on stdout,
//! AutoMTLS) or unmanaged in debug mode (reattach).

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;

use super::go_plugin_services::{BrokerService, ControllerService, StdioService};
use super::grpc::ProviderService;
use super::handshake::{HandshakeEnv, ListenAddress, handshake_line};
use super::listener::{Connection, Network, PluginListener};
use super::proto::{go_plugin, tfplugin6};
use super::protocol::ProviderServer;
use super::tls::{ServerTls, TlsError};

/// Largest gRPC message accepted or sent, as terraform-plugin-go's servers do
/// (Terraform itself allows up to `math.MaxInt32`).
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// How long a graceful stop may take before the server gives up on open
/// connections; Terraform kills a plugin 2 s after `Shutdown`.
const GRACEFUL_STOP_LIMIT: Duration = Duration::from_millis(1500);

/// How long a client may take to complete the TLS handshake; a stalled
/// client must not hold a task and a socket forever.
const TLS_HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// Errors that end serving.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// Setting up TLS failed.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// Binding or accepting failed.
    #[error("listener error: {0}")]
    Io(#[from] std::io::Error),
    /// The gRPC server failed.
    #[error("gRPC server error: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// Options for [`serve_managed`] and [`serve_debug`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Unix socket (default) or TCP.
    pub network: Network,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            network: Network::Unix,
        }
    }
}

/// Serves `server` the way Terraform expects from a managed plugin: binds,
/// prints the handshake line on stdout, serves until `GRPCController.Shutdown`,
/// SIGTERM or `shutdown` is cancelled. SIGINT is ignored, like go-plugin does:
/// Terraform forwards Ctrl-C as `StopProvider` and ends the plugin itself.
pub async fn serve_managed<S: ProviderServer>(
    server: Arc<S>,
    env: HandshakeEnv,
    options: ServeOptions,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    let tls = env
        .client_cert_pem
        .as_deref()
        .map(ServerTls::for_client_cert_pem)
        .transpose()?;
    let listener = PluginListener::bind(options.network, env.min_port, env.max_port).await?;
    let address = listener.address()?;
    let line = handshake_line(
        &address,
        tls.as_ref().map(|tls| tls.server_cert_der.as_slice()),
    );
    // Signals first: a SIGTERM right after the handshake must still clean up the socket.
    spawn_signal_handler(shutdown.clone(), false);
    print_stdout_line(&line)?;
    log::debug!(
        "serving protocol 6 on {} {} (mTLS {})",
        address.network(),
        address.address(),
        if tls.is_some() { "on" } else { "off" }
    );
    run(server, listener, tls, shutdown).await
}

/// Serves `server` unmanaged, without TLS, and prints the
/// `TF_REATTACH_PROVIDERS` value for `provider_address` (e.g.
/// `registry.terraform.io/influxdb3/influxdb3`). Runs until SIGINT/SIGTERM.
pub async fn serve_debug<S: ProviderServer>(
    server: Arc<S>,
    provider_address: &str,
    options: ServeOptions,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    let listener = PluginListener::bind(options.network, 10000, 25000).await?;
    let address = listener.address()?;
    let reattach = reattach_json(provider_address, &address, std::process::id());
    spawn_signal_handler(shutdown.clone(), true);
    // The person (or test) reading this may close the pipe once they have the
    // value; that must not stop the server.
    if let Err(error) = print_stdout_line(&format!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n"
    )) {
        log::warn!("could not print the reattach instructions: {error}");
    }
    run(server, listener, None, shutdown).await
}

/// The `TF_REATTACH_PROVIDERS` JSON for one provider. `"Test": true` makes
/// go-plugin keep the protocol version (6); without it Terraform assumes 5.
pub fn reattach_json(provider_address: &str, address: &ListenAddress, pid: u32) -> String {
    serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": 6,
            "Pid": pid,
            "Test": true,
            "Addr": {"Network": address.network(), "String": address.address()},
        }
    })
    .to_string()
}

fn print_stdout_line(line: &str) -> std::io::Result<()> {
    // One write, so a reader that stops after the line sees all of it.
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(format!("{line}\n").as_bytes())?;
    stdout.flush()
}

fn spawn_signal_handler(shutdown: CancellationToken, stop_on_interrupt: bool) {
    use tokio::signal::unix::{SignalKind, signal};
    tokio::spawn(async move {
        let (Ok(mut terminate), Ok(mut interrupt)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            log::warn!("could not install signal handlers");
            return;
        };
        loop {
            tokio::select! {
                _ = terminate.recv() => { shutdown.cancel(); return; }
                _ = interrupt.recv() => {
                    if stop_on_interrupt { shutdown.cancel(); return; }
                    log::debug!("ignoring SIGINT: Terraform stops the provider through StopProvider");
                }
                () = shutdown.cancelled() => return,
            }
        }
    });
}

/// Accepts connections (running each TLS handshake in its own task, so a
/// stalled client blocks nobody) and serves the gRPC services on them.
async fn run<S: ProviderServer>(
    server: Arc<S>,
    listener: PluginListener,
    tls: Option<ServerTls>,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    let (connections_tx, connections_rx) = mpsc::channel::<std::io::Result<Connection>>(16);
    let acceptor = tls.map(|tls| tokio_rustls::TlsAcceptor::from(tls.config));
    let accept_shutdown = shutdown.clone();
    // The listener (and with it the unix socket file) lives in this task and is
    // dropped when it ends.
    let accept_task = tokio::spawn(async move {
        loop {
            let connection = tokio::select! {
                () = accept_shutdown.cancelled() => break,
                accepted = listener.accept() => accepted,
            };
            let connection = match connection {
                Ok(connection) => connection,
                Err(error) => {
                    log::warn!("accept failed: {error}");
                    continue;
                }
            };
            let connections_tx = connections_tx.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let ready = match acceptor {
                    Some(acceptor) => match tokio::time::timeout(
                        TLS_HANDSHAKE_LIMIT,
                        connection.into_tls(&acceptor),
                    )
                    .await
                    {
                        Ok(Ok(tls)) => tls,
                        Err(_) => {
                            log::warn!("refused a connection: TLS handshake timed out");
                            return;
                        }
                        Ok(Err(error)) => {
                            log::warn!("refused a connection: TLS handshake failed: {error}");
                            return;
                        }
                    },
                    None => connection,
                };
                let _ = connections_tx.send(Ok(ready)).await;
            });
        }
        drop(listener);
    });

    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    let provider = tfplugin6::provider_server::ProviderServer::new(ProviderService::new(server))
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    let controller =
        go_plugin::grpc_controller_server::GrpcControllerServer::new(ControllerService {
            shutdown: shutdown.clone(),
        });
    let stdio = go_plugin::grpc_stdio_server::GrpcStdioServer::new(StdioService {
        shutdown: shutdown.clone(),
    });
    let broker = go_plugin::grpc_broker_server::GrpcBrokerServer::new(BrokerService {
        shutdown: shutdown.clone(),
    });

    let serve_shutdown = shutdown.clone();
    let serving = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(provider)
        .add_service(controller)
        .add_service(stdio)
        .add_service(broker)
        .serve_with_incoming_shutdown(ReceiverStream::new(connections_rx), async move {
            serve_shutdown.cancelled().await
        });
    tokio::pin!(serving);
    let result = tokio::select! {
        result = &mut serving => result,
        () = shutdown.cancelled() => {
            match tokio::time::timeout(GRACEFUL_STOP_LIMIT, &mut serving).await {
                Ok(result) => result,
                Err(_) => {
                    log::debug!("graceful stop took too long; closing connections");
                    Ok(())
                }
            }
        }
    };
    shutdown.cancel();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::NotServing)
        .await;
    let _ = accept_task.await;
    result.map_err(ServeError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reattach_json_has_test_flag_and_protocol_6() {
        let json = reattach_json(
            "registry.terraform.io/influxdb3/influxdb3",
            &ListenAddress::Unix("/tmp/plugin1".into()),
            42,
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let entry = &value["registry.terraform.io/influxdb3/influxdb3"];
        assert_eq!(entry["Test"], true);
        assert_eq!(entry["ProtocolVersion"], 6);
        assert_eq!(entry["Pid"], 42);
        assert_eq!(entry["Addr"]["Network"], "unix");
        assert_eq!(entry["Addr"]["String"], "/tmp/plugin1");
    }
}
