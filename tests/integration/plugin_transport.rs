//! The provider binary as Terraform's go-plugin client sees it: run by hand,
//! protocol negotiation, the handshake line, unix and TCP listeners, AutoMTLS
//! with a pinned client certificate and ALPN `h2`, the auxiliary go-plugin
//! services (health, `GRPCController.Shutdown`), and `--debug` reattach.
//!
//! Every test spawns the real binary with a cleared environment (only `PATH`,
//! plus `HOME` and `TMPDIR` pointing at a fresh directory), reads stdout with
//! deadlines and kills the process when the test ends.

use std::error::Error;
use std::io;
use std::os::unix::fs::FileTypeExt as _;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
use tokio::net::UnixStream;
use tokio::process::{Child, ChildStdout, Command};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tonic::transport::{Channel, Endpoint, Uri};

/// Generated clients (the server halves go unused).
#[allow(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    dead_code,
    unused_qualifications,
    unused_results,
    rust_2018_idioms,
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    rustdoc::all
)]
mod generated {
    pub(crate) mod tfplugin6 {
        tonic::include_proto!("tfplugin6");
    }
    pub(crate) mod go_plugin {
        tonic::include_proto!("plugin");
    }
}

use generated::{go_plugin, tfplugin6};

type BoxError = Box<dyn Error + Send + Sync>;
type TestResult = Result<(), BoxError>;

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-influxdb3");
const COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const PROVIDER_ADDRESS: &str = "registry.terraform.io/influxdb3/influxdb3";
const RESOURCE: &str = "influxdb3_management_token";
/// Generous, so a loaded CI machine does not fail a test; nothing waits this long when healthy.
const LIMIT: Duration = Duration::from_secs(20);

/// A running provider process; killed when dropped.
struct Plugin {
    child: Child,
    stdout: BufReader<ChildStdout>,
    dir: TempDir,
}

impl Plugin {
    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Result<Self, BoxError> {
        let dir = tempfile::Builder::new().prefix("pt").tempdir()?;
        let stderr = std::fs::File::create(dir.path().join("stderr.log"))?;
        let mut child = Command::new(BINARY)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("TMPDIR", dir.path())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout pipe")?);
        Ok(Self { child, stdout, dir })
    }

    /// Launched the way Terraform launches it (cookie, protocols 5 and 6) plus `env`.
    fn managed(env: &[(&str, &str)]) -> Result<Self, BoxError> {
        let mut all = vec![
            (COOKIE_KEY, COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5,6"),
        ];
        all.extend_from_slice(env);
        Self::spawn(&[], &all)
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default()
    }

    /// The next stdout line, newline included.
    async fn line(&mut self) -> Result<String, BoxError> {
        let mut line = String::new();
        let read = tokio::time::timeout(LIMIT, self.stdout.read_line(&mut line)).await;
        match read {
            Ok(Ok(0)) => Err(format!("stdout closed; stderr: {}", self.stderr()).into()),
            Ok(Ok(_)) => Ok(line),
            Ok(Err(error)) => Err(error.into()),
            Err(_) => {
                Err(format!("no stdout line within {LIMIT:?}; stderr: {}", self.stderr()).into())
            }
        }
    }

    /// Reads and checks the handshake line `1|6|NETWORK|ADDRESS|grpc|CERT`.
    async fn handshake(&mut self) -> Result<Handshake, BoxError> {
        let line = self.line().await?;
        let body = line
            .strip_suffix('\n')
            .ok_or("handshake line without newline")?;
        let fields: Vec<&str> = body.split('|').collect();
        match fields[..] {
            ["1", "6", network, address, "grpc", cert] => Ok(Handshake {
                network: network.to_string(),
                address: address.to_string(),
                cert: cert.to_string(),
            }),
            _ => Err(format!("bad handshake line {line:?}").into()),
        }
    }

    async fn wait(&mut self, limit: Duration) -> Result<ExitStatus, BoxError> {
        match tokio::time::timeout(limit, self.child.wait()).await {
            Ok(status) => Ok(status?),
            Err(_) => {
                Err(format!("still running after {limit:?}; stderr: {}", self.stderr()).into())
            }
        }
    }

    /// Everything left on stdout (call after the process exited).
    async fn rest_of_stdout(&mut self) -> Result<String, BoxError> {
        let mut rest = String::new();
        tokio::time::timeout(LIMIT, self.stdout.read_to_string(&mut rest)).await??;
        Ok(rest)
    }

    fn pid(&self) -> Result<u32, BoxError> {
        Ok(self.child.id().ok_or("process already reaped")?)
    }
}

struct Handshake {
    network: String,
    address: String,
    cert: String,
}

fn install_crypto() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

async fn within<T>(future: impl Future<Output = T>) -> Result<T, BoxError> {
    tokio::time::timeout(LIMIT, future)
        .await
        .map_err(|_| format!("no answer within {LIMIT:?}").into())
}

async fn unix_channel(path: PathBuf) -> Result<Channel, BoxError> {
    let connector = tower::service_fn(move |_: Uri| {
        let path = path.clone();
        async move { Ok::<_, io::Error>(TokioIo::new(UnixStream::connect(path).await?)) }
    });
    Ok(
        within(Endpoint::try_from("http://[::]:50051")?.connect_with_connector(connector))
            .await??,
    )
}

async fn channel(handshake: &Handshake) -> Result<Channel, BoxError> {
    match handshake.network.as_str() {
        "unix" => unix_channel(PathBuf::from(&handshake.address)).await,
        "tcp" => {
            let endpoint = Endpoint::from_shared(format!("http://{}", handshake.address))?;
            Ok(within(endpoint.connect()).await??)
        }
        other => Err(format!("unknown network {other:?}").into()),
    }
}

/// Calls `GetProviderSchema` and checks the provider and the main resource are there.
async fn check_schema(channel: Channel) -> TestResult {
    let mut client = tfplugin6::provider_client::ProviderClient::new(channel)
        .max_decoding_message_size(256 << 20);
    let request = tfplugin6::get_provider_schema::Request {};
    let response = within(client.get_provider_schema(request))
        .await??
        .into_inner();
    assert!(response.provider.is_some(), "no provider schema");
    assert!(
        response.resource_schemas.contains_key(RESOURCE),
        "{RESOURCE} missing"
    );
    let error = tfplugin6::diagnostic::Severity::Error as i32;
    let errors: Vec<_> = response
        .diagnostics
        .iter()
        .filter(|d| d.severity == error)
        .collect();
    assert!(errors.is_empty(), "error diagnostics: {errors:?}");
    Ok(())
}

/// A certificate like the one Terraform puts in `PLUGIN_CLIENT_CERT`
/// (go-plugin's `generateCert`): self-signed P-521, CA, localhost.
struct ClientCert {
    der: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    pem: String,
}

fn terraform_like_client_cert() -> Result<ClientCert, BoxError> {
    use rcgen::{ExtendedKeyUsagePurpose as Eku, KeyUsagePurpose as Ku};
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "HashiCorp");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        Ku::DigitalSignature,
        Ku::KeyEncipherment,
        Ku::KeyAgreement,
        Ku::KeyCertSign,
    ];
    params.extended_key_usages = vec![Eku::ClientAuth, Eku::ServerAuth];
    let cert = params.self_signed(&key)?;
    let key = PrivateKeyDer::try_from(key.serialize_der())?;
    Ok(ClientCert {
        der: cert.der().clone(),
        key,
        pem: cert.pem(),
    })
}

/// A TLS client trusting exactly `server_cert`, offering ALPN `h2`, and
/// authenticating with `client` if given.
fn tls_connector(
    server_cert: &[u8],
    client: Option<&ClientCert>,
) -> Result<TlsConnector, BoxError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from(server_cert.to_vec()))?;
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots);
    let mut config = match client {
        Some(client) => {
            builder.with_client_auth_cert(vec![client.der.clone()], client.key.clone_key())?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(TlsConnector::from(Arc::new(config)))
}

async fn tls_handshake(connector: &TlsConnector, path: &Path) -> io::Result<TlsStream<UnixStream>> {
    let stream = UnixStream::connect(path).await?;
    connector
        .connect(
            ServerName::try_from("localhost").expect("valid name"),
            stream,
        )
        .await
}

/// A gRPC channel whose connector runs the TLS handshake itself.
async fn tls_channel(connector: TlsConnector, path: PathBuf) -> Result<Channel, BoxError> {
    let connect = tower::service_fn(move |_: Uri| {
        let (connector, path) = (connector.clone(), path.clone());
        async move { Ok::<_, io::Error>(TokioIo::new(tls_handshake(&connector, &path).await?)) }
    });
    Ok(within(Endpoint::try_from("http://localhost")?.connect_with_connector(connect)).await??)
}

/// Expects the server to refuse this client; returns how it did. With TLS 1.3
/// the client finishes its side first, so the refusal may arrive as an alert
/// on the first read.
async fn refusal(connector: &TlsConnector, path: &Path) -> Result<String, BoxError> {
    let mut stream = match within(tls_handshake(connector, path)).await? {
        Err(error) => return Ok(error.to_string()),
        Ok(stream) => stream,
    };
    let mut buffer = [0_u8; 256];
    match within(stream.read(&mut buffer)).await? {
        Err(error) => Ok(error.to_string()),
        Ok(0) => Ok("connection closed".to_string()),
        Ok(read) => {
            Err(format!("a refused client received {read} bytes of application data").into())
        }
    }
}

#[tokio::test]
async fn run_by_hand_explains_itself_and_exits_1() -> TestResult {
    install_crypto();
    let mut plugin = Plugin::spawn(&[], &[])?;
    let status = plugin.wait(LIMIT).await?;
    assert_eq!(status.code(), Some(1), "stderr: {}", plugin.stderr());
    let stderr = plugin.stderr();
    assert!(stderr.contains("This binary is a plugin"), "{stderr}");
    assert!(stderr.contains("--debug"), "{stderr}");
    assert_eq!(plugin.rest_of_stdout().await?, "");
    Ok(())
}

#[tokio::test]
async fn client_without_protocol_6_gets_a_clear_error() -> TestResult {
    install_crypto();
    let mut plugin = Plugin::spawn(
        &[],
        &[
            (COOKIE_KEY, COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5"),
        ],
    )?;
    let status = plugin.wait(LIMIT).await?;
    assert!(!status.success(), "exited successfully");
    let stderr = plugin.stderr();
    assert!(stderr.contains("protocol 6"), "{stderr}");
    assert_eq!(plugin.rest_of_stdout().await?, "");
    Ok(())
}

#[tokio::test]
async fn plain_unix_socket_serves_schema_health_and_shuts_down_cleanly() -> TestResult {
    install_crypto();
    let mut plugin = Plugin::managed(&[])?;
    let handshake = plugin.handshake().await?;
    assert_eq!(
        (handshake.network.as_str(), handshake.cert.as_str()),
        ("unix", "")
    );
    let socket = PathBuf::from(&handshake.address);
    assert!(
        socket.starts_with(plugin.dir.path()),
        "socket {socket:?} not in TMPDIR"
    );
    assert!(
        std::fs::metadata(&socket)?.file_type().is_socket(),
        "{socket:?} is no socket"
    );

    let channel = unix_channel(socket.clone()).await?;
    check_schema(channel.clone()).await?;
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let request = tonic_health::pb::HealthCheckRequest {
        service: "plugin".to_string(),
    };
    let status = within(health.check(request)).await??.into_inner().status;
    let serving = tonic_health::pb::health_check_response::ServingStatus::Serving as i32;
    assert_eq!(status, serving);

    // Terraform keeps a StreamStdio stream and its connection open through Shutdown.
    let mut stdio = go_plugin::grpc_stdio_client::GrpcStdioClient::new(channel.clone());
    let _stdio_stream = within(stdio.stream_stdio(())).await??.into_inner();
    let mut controller =
        go_plugin::grpc_controller_client::GrpcControllerClient::new(channel.clone());
    let asked = Instant::now();
    within(controller.shutdown(go_plugin::Empty {})).await??;
    let status = plugin
        .wait(Duration::from_secs(2).saturating_sub(asked.elapsed()))
        .await?;
    assert!(status.success(), "{status}; stderr: {}", plugin.stderr());
    assert!(!socket.exists(), "socket {socket:?} left behind");
    assert_eq!(
        plugin.rest_of_stdout().await?,
        "",
        "stdout after the handshake line"
    );
    Ok(())
}

#[tokio::test]
async fn tcp_fallback_binds_loopback_within_the_port_range() -> TestResult {
    install_crypto();
    // Hold the first port of the range so the provider has to move on.
    let taken = std::net::TcpListener::bind("127.0.0.1:0")?;
    let min = taken.local_addr()?.port();
    let max = min.saturating_add(200);
    let (min_text, max_text) = (min.to_string(), max.to_string());
    let mut plugin = Plugin::managed(&[
        ("PLUGIN_LISTEN_NETWORK", "tcp"),
        ("PLUGIN_MIN_PORT", &min_text),
        ("PLUGIN_MAX_PORT", &max_text),
    ])?;
    let handshake = plugin.handshake().await?;
    assert_eq!(
        (handshake.network.as_str(), handshake.cert.as_str()),
        ("tcp", "")
    );
    let address: std::net::SocketAddr = handshake.address.parse()?;
    assert_eq!(address.ip(), std::net::Ipv4Addr::LOCALHOST);
    assert!(
        (min + 1..=max).contains(&address.port()),
        "port {} not in {min}..={max}",
        address.port()
    );
    check_schema(channel(&handshake).await?).await
}

#[tokio::test]
async fn mtls_accepts_only_the_pinned_client_certificate_with_alpn_h2() -> TestResult {
    install_crypto();
    let client = terraform_like_client_cert()?;
    let mut plugin = Plugin::managed(&[("PLUGIN_CLIENT_CERT", &client.pem)])?;
    let handshake = plugin.handshake().await?;
    assert_eq!(handshake.network, "unix");
    assert!(
        handshake.cert.len() > 50 && !handshake.cert.contains('='),
        "{}",
        handshake.cert
    );
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD.decode(&handshake.cert)?;
    let socket = PathBuf::from(&handshake.address);

    // a. The right certificate: TLS (which also checks SAN localhost), ALPN h2, gRPC.
    let connector = tls_connector(&server_cert, Some(&client))?;
    let stream = within(tls_handshake(&connector, &socket)).await??;
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    drop(stream);
    check_schema(tls_channel(connector, socket.clone()).await?).await?;

    // b. Another Terraform-like certificate, and c. none: refused by the server.
    let other = terraform_like_client_cert()?;
    for (case, identity, alert) in [
        ("other cert", Some(&other), "AccessDenied"),
        ("no cert", None, "CertificateRequired"),
    ] {
        let connector = tls_connector(&server_cert, identity)?;
        let how = refusal(&connector, &socket).await?;
        assert!(
            how.contains(alert),
            "{case}: refused with {how:?}, expected alert {alert}"
        );
        let call = async { check_schema(tls_channel(connector, socket.clone()).await?).await };
        assert!(call.await.is_err(), "{case}: a gRPC call succeeded");
    }

    // Plain text on the TLS socket gets no gRPC answer either.
    let plain = async { check_schema(unix_channel(socket.clone()).await?).await };
    assert!(
        plain.await.is_err(),
        "plain-text gRPC succeeded against an mTLS server"
    );
    Ok(())
}

#[tokio::test]
async fn debug_mode_prints_reattach_config_and_stops_on_sigterm() -> TestResult {
    install_crypto();
    let mut plugin = Plugin::spawn(&["--debug"], &[])?;
    let mut reattach = None;
    for _ in 0..10 {
        let line = plugin.line().await?;
        if let Some(value) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            reattach = Some(
                value
                    .strip_suffix('\'')
                    .ok_or("unterminated quote")?
                    .to_string(),
            );
            break;
        }
    }
    let reattach = reattach.ok_or("no TF_REATTACH_PROVIDERS line")?;
    let json: serde_json::Value = serde_json::from_str(&reattach)?;
    let entry = &json[PROVIDER_ADDRESS];
    assert_eq!(entry["Test"], true, "{json}");
    assert_eq!(entry["ProtocolVersion"], 6, "{json}");
    assert_eq!(entry["Protocol"], "grpc", "{json}");
    assert_eq!(entry["Pid"], plugin.pid()?, "{json}");
    let address = Handshake {
        network: entry["Addr"]["Network"]
            .as_str()
            .ok_or("no Addr.Network")?
            .to_string(),
        address: entry["Addr"]["String"]
            .as_str()
            .ok_or("no Addr.String")?
            .to_string(),
        cert: String::new(),
    };
    check_schema(channel(&address).await?).await?;

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &plugin.pid()?.to_string()])
        .status()?;
    assert!(killed.success(), "kill failed");
    let status = plugin.wait(LIMIT).await?;
    assert_eq!(status.code(), Some(0), "stderr: {}", plugin.stderr());
    if address.network == "unix" {
        assert!(!Path::new(&address.address).exists(), "socket left behind");
    }
    Ok(())
}

#[tokio::test]
async fn stop_provider_answers_with_an_empty_error() -> TestResult {
    install_crypto();
    let mut plugin = Plugin::managed(&[])?;
    let handshake = plugin.handshake().await?;
    let mut client = tfplugin6::provider_client::ProviderClient::new(channel(&handshake).await?);
    let request = tfplugin6::stop_provider::Request {};
    let response = within(client.stop_provider(request)).await??.into_inner();
    assert_eq!(response.error, "");
    Ok(())
}
