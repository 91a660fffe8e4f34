//! Reliability: hostile or broken peers.
//!
//! - Plain `http` to a host that is not loopback is refused before any
//!   connection.
//! - A TLS server whose certificate does not verify (self-signed, or not
//!   valid for the host name) fails the apply with a TLS diagnostic and is
//!   not retried; with that certificate in `ca_certificate` the provider gets
//!   through (a TLS proxy in front of the emulator).
//! - A server answering with garbage JSON, JSON of the wrong shape, 100 000
//!   nested brackets, a 100 MB body (declared or chunked) or a body that
//!   never ends makes the provider fail with a diagnostic: no panic, no hang,
//!   and its memory stays far below the body size.
//!
//! Every command runs with `TF_LOG=trace` and goes through the secret scan of
//! `Scenario::finish`. See `docs/reliability.md`.

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener as StdTcpListener, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use rustls_pki_types::PrivateKeyDer;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::reliability::{
    Scenario, TOKEN_TYPE, assert_no_crash, error_excerpt, for_each_cli, hcl_path,
};
use crate::support::acceptance::assert_output_contains;
use crate::support::terraform::TfOutput;

/// A Terraform command against a hostile server must end within this.
const HOSTILE_LIMIT: Duration = Duration::from_secs(30);

/// The provider's peak RSS must stay below this while 100 MB bodies come in
/// (the client reads at most 16 MiB of a response).
const PEAK_RSS_LIMIT_KB: u64 = 80 * 1024;

/// 100 MB.
const HUGE_BODY: u64 = 100 * 1000 * 1000;

fn one_token() -> String {
    format!("resource \"{TOKEN_TYPE}\" \"t\" {{\n  description = \"hostile\"\n}}\n")
}

const LIST: &str = "data \"influxdb3_management_tokens\" \"all\" {}\n";

/// A tokio runtime on a thread of its own, for the servers of this module: the
/// tests themselves block (they run Terraform). Current-thread, since the crate
/// does not compile tokio's multi-thread scheduler (Cargo.toml).
struct ServerRuntime {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

fn server_runtime() -> ServerRuntime {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the test server");
    let handle = runtime.handle().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        // Drives the IO driver and every task spawned through `handle` until
        // `stop` is sent or dropped.
        let _ = runtime.block_on(stopped);
        runtime.shutdown_background();
    });
    ServerRuntime {
        handle,
        stop: Some(stop),
    }
}

impl ServerRuntime {
    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.handle.block_on(future)
    }

    fn spawn<F>(&self, future: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.handle.spawn(future);
    }

    /// Stops the runtime's thread without waiting for its tasks.
    fn shutdown_background(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A local address that is not loopback (so plain http to it must be
/// refused), if the machine has one.
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    // Connecting a UDP socket sends nothing; it only picks a source address.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// Plain `http` to a host that is not loopback: a diagnostic on `url`, and
/// not one connection (a listener on this machine's own address sees none).
#[test]
fn reliability_hostile_plain_http_refused() {
    for_each_cli("reliability_hostile_plain_http_refused", |cli| {
        let mut s = Scenario::new(cli);
        let listener = non_loopback_address().map(|ip| {
            let listener = StdTcpListener::bind((ip, 0)).expect("listen on a local address");
            listener
                .set_nonblocking(true)
                .expect("non-blocking listener");
            listener
        });
        let url = match &listener {
            Some(listener) => format!("http://{}", listener.local_addr().expect("address")),
            None => "http://example.com".to_owned(),
        };
        s.write(&format!(
            "provider \"influxdb3\" {{\n  url = \"{url}\"\n}}\n{}",
            one_token()
        ));
        let apply = s.apply(&[]);
        apply.assert_failure();
        assert_no_crash(&apply);
        assert_output_contains(
            &apply,
            &[
                "Error: Invalid Provider URL",
                "would send the management token unencrypted",
            ],
        );
        if let Some(listener) = &listener {
            match listener.accept() {
                Err(error) if error.kind() == ErrorKind::WouldBlock => {}
                other => panic!("{cli}: the provider connected to {url}: {other:?}"),
            }
        } else {
            eprintln!("{cli}: no non-loopback address here; checked http://example.com only");
        }
        assert_eq!(s.emulator.stats()["requests_total"], 0, "{cli}");
        s.finish("reliability_hostile_plain_http_refused");
    });
}

/// A TLS terminator on `127.0.0.1:0` with a fresh self-signed certificate
/// for `localhost`, forwarding to `upstream` (the emulator).
struct TlsProxy {
    port: u16,
    certificate_pem: String,
    /// TCP connections accepted.
    connections: Arc<AtomicU64>,
    /// TLS handshakes completed.
    handshakes: Arc<AtomicU64>,
    runtime: Option<ServerRuntime>,
}

impl TlsProxy {
    fn start(upstream: SocketAddr) -> Self {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .expect("self-signed certificate");
        let key = PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .expect("server certificate");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let runtime = server_runtime();
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind the TLS proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let connections = Arc::new(AtomicU64::new(0));
        let handshakes = Arc::new(AtomicU64::new(0));
        let (accepted, completed) = (Arc::clone(&connections), Arc::clone(&handshakes));
        runtime.spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (acceptor, completed) = (acceptor.clone(), Arc::clone(&completed));
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    completed.fetch_add(1, Ordering::SeqCst);
                    if let Ok(mut upstream) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
                    }
                });
            }
        });
        TlsProxy {
            port,
            certificate_pem: certified.cert.pem(),
            connections,
            handshakes,
            runtime: Some(runtime),
        }
    }
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn emulator_addr(s: &Scenario) -> SocketAddr {
    s.emulator
        .url()
        .trim_start_matches("http://")
        .parse()
        .expect("the emulator's URL is http://IP:PORT")
}

/// A certificate that does not verify fails the apply with a TLS diagnostic,
/// after one connection (not retried) and before any request reaches the
/// API; with the certificate as `ca_certificate` the apply succeeds over TLS,
/// and a host name the certificate does not name still fails.
#[test]
fn reliability_hostile_tls_certificate_verification() {
    for_each_cli("reliability_hostile_tls_certificate_verification", |cli| {
        let mut s = Scenario::new(cli);
        let proxy = TlsProxy::start(emulator_addr(&s));
        s.wd.write_file("ca.pem", &proxy.certificate_pem);
        let ca_path = hcl_path(&s.wd.path().join("ca.pem"));
        let provider = |host: &str, ca: bool| {
            let ca = if ca {
                format!("  ca_certificate = file(\"{ca_path}\")\n")
            } else {
                String::new()
            };
            format!(
                "provider \"influxdb3\" {{\n  url = \"https://{host}:{}\"\n{ca}}}\n{}",
                proxy.port,
                one_token()
            )
        };

        // Untrusted: the system roots do not know a self-signed certificate.
        s.write(&provider("localhost", false));
        let apply = s.apply(&[]);
        apply.assert_failure();
        assert_no_crash(&apply);
        assert_output_contains(
            &apply,
            &[
                "Error: Error Creating Management Token",
                "TLS handshake failed",
                "invalid peer certificate",
            ],
        );
        eprintln!(
            "{cli}: untrusted certificate:\n{}",
            error_excerpt(&apply, 10)
        );
        assert_eq!(
            proxy.connections.load(Ordering::SeqCst),
            1,
            "{cli}: a certificate error must not be retried"
        );
        assert_eq!(proxy.handshakes.load(Ordering::SeqCst), 0, "{cli}");
        assert_eq!(s.emulator.stats()["requests_total"], 0, "{cli}");

        // Trusted through ca_certificate, but the URL names another host.
        s.write(&provider("127.0.0.1", true));
        let apply = s.apply(&[]);
        apply.assert_failure();
        assert_output_contains(
            &apply,
            &["TLS handshake failed", "invalid peer certificate"],
        );
        eprintln!("{cli}: wrong host name:\n{}", error_excerpt(&apply, 10));
        assert_eq!(s.emulator.stats()["requests_total"], 0, "{cli}");

        // Trusted, right name: through TLS to the API and back.
        s.write(&provider("localhost", true));
        let apply = s.apply(&[]);
        apply.assert_success();
        assert!(proxy.handshakes.load(Ordering::SeqCst) >= 1, "{cli}");
        assert_eq!(s.plan_code(), 0, "{cli}: plan over TLS");
        let state = s.assert_consistent("over TLS with ca_certificate");
        assert_eq!(state.len(), 1);
        s.destroy().assert_success();
        assert!(
            s.emulator
                .list_tokens()
                .iter()
                .all(|token| token.revoked_at.is_some()),
            "{cli}: destroy over TLS did not revoke"
        );
        s.finish("reliability_hostile_tls_certificate_verification");
    });
}

/// What the hostile HTTP server answers to every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// 200 with truncated JSON.
    GarbageJson,
    /// 200 with well-formed JSON of the wrong shape.
    WrongShape,
    /// 200 with 100 000 nested `[`.
    DeepNesting,
    /// 200 with `Content-Length: 100000000` and that many bytes.
    HugeDeclared,
    /// 200 with a chunked body of 100 MB.
    HugeChunked,
    /// 200 with a chunked body that never ends.
    Endless,
}

impl Answer {
    const ALL: [Answer; 6] = [
        Answer::GarbageJson,
        Answer::WrongShape,
        Answer::DeepNesting,
        Answer::HugeDeclared,
        Answer::HugeChunked,
        Answer::Endless,
    ];

    /// What the diagnostic must say.
    fn expected(self) -> &'static str {
        match self {
            Answer::GarbageJson | Answer::WrongShape | Answer::DeepNesting => {
                "invalid response from the management API"
            }
            Answer::HugeDeclared | Answer::HugeChunked | Answer::Endless => {
                "the response body exceeds the limit of 16777216 bytes"
            }
        }
    }
}

/// A plain-HTTP server on `127.0.0.1:0` answering every request with one
/// [`Answer`], then closing the connection. With `lists_ok` set, a `GET` is
/// answered with an empty list instead (and not counted), so that a create
/// gets past the plan's check of the provider token.
struct HostileServer {
    port: u16,
    /// Requests answered with the [`Answer`].
    requests: Arc<AtomicU64>,
    /// Answer `GET` requests with `[]`.
    lists_ok: Arc<AtomicBool>,
    /// Body bytes written, all requests together.
    sent: Arc<AtomicU64>,
    runtime: Option<ServerRuntime>,
}

impl HostileServer {
    fn start(answer: Answer) -> Self {
        let runtime = server_runtime();
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind the hostile server");
        let port = listener.local_addr().expect("server address").port();
        let requests = Arc::new(AtomicU64::new(0));
        let sent = Arc::new(AtomicU64::new(0));
        let lists_ok = Arc::new(AtomicBool::new(false));
        let (counter, bytes, lists) = (
            Arc::clone(&requests),
            Arc::clone(&sent),
            Arc::clone(&lists_ok),
        );
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (counter, bytes, lists) =
                    (Arc::clone(&counter), Arc::clone(&bytes), Arc::clone(&lists));
                tokio::spawn(async move {
                    let mut stream = stream;
                    match read_request(&mut stream).await {
                        Some(get) if get && lists.load(Ordering::SeqCst) => {
                            let _ = stream
                                .write_all(
                                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]",
                                )
                                .await;
                            let _ = stream.shutdown().await;
                        }
                        Some(_) => {
                            counter.fetch_add(1, Ordering::SeqCst);
                            let _ = respond(&mut stream, answer, &bytes).await;
                        }
                        None => {}
                    }
                });
            }
        });
        HostileServer {
            port,
            requests,
            lists_ok,
            sent,
            runtime: Some(runtime),
        }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Reads one request head and its `Content-Length` body; whether it is a
/// `GET`, or `None` on EOF.
async fn read_request(stream: &mut TcpStream) -> Option<bool> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
        if buffer.len() > 64 * 1024 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buffer.len() - (head_end + 4);
    while have < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => have += n,
        }
    }
    Some(head.starts_with("get "))
}

async fn respond(stream: &mut TcpStream, answer: Answer, sent: &AtomicU64) -> std::io::Result<()> {
    const BLOCK: usize = 64 * 1024;
    let fixed = |body: &[u8]| {
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        response
    };
    match answer {
        Answer::GarbageJson => {
            let body = br#"{"id": "7f0c6a3e-0000-4000-8000-000000000000", "description": "tru"#;
            stream.write_all(&fixed(body)).await?;
        }
        Answer::WrongShape => {
            stream
                .write_all(&fixed(br#"{"unexpected": [1, 2, 3], "accessToken": 42}"#))
                .await?;
        }
        Answer::DeepNesting => {
            stream.write_all(&fixed(&[b'['; 100_000])).await?;
        }
        Answer::HugeDeclared => {
            stream
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUGE_BODY}\r\nconnection: close\r\n\r\n"
                    )
                    .as_bytes(),
                )
                .await?;
            let block = [b' '; BLOCK];
            let mut left = HUGE_BODY;
            while left > 0 {
                let n = left.min(BLOCK as u64) as usize;
                stream.write_all(&block[..n]).await?;
                sent.fetch_add(n as u64, Ordering::SeqCst);
                left -= n as u64;
            }
        }
        Answer::HugeChunked | Answer::Endless => {
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
                )
                .await?;
            let mut chunk = format!("{BLOCK:x}\r\n").into_bytes();
            chunk.extend_from_slice(&[b' '; BLOCK]);
            chunk.extend_from_slice(b"\r\n");
            let mut total = 0u64;
            while answer == Answer::Endless || total < HUGE_BODY {
                stream.write_all(&chunk).await?;
                sent.fetch_add(BLOCK as u64, Ordering::SeqCst);
                total += BLOCK as u64;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}

/// Runs one command through the spawner (to watch the provider's memory),
/// records it and checks it failed cleanly, in time, with `expected`.
fn hostile_command(
    s: &mut Scenario,
    args: &[&str],
    answer: Answer,
    summary: &str,
) -> (TfOutput, u64) {
    let cli = s.wd.cli().version;
    let mut running = s.spawn(args);
    let out = running.wait(HOSTILE_LIMIT + Duration::from_secs(30));
    s.record(&out);
    assert!(
        !out.timed_out && out.duration < HOSTILE_LIMIT,
        "Terraform {cli}, {answer:?}: took {:?}:\n{out}",
        out.duration
    );
    out.assert_failure();
    assert_no_crash(&out);
    assert_output_contains(&out, &[summary, answer.expected()]);
    let peak = running.peak_provider_rss_kb;
    assert!(
        peak < PEAK_RSS_LIMIT_KB,
        "Terraform {cli}, {answer:?}: the provider's peak RSS was {peak} KiB (limit {PEAK_RSS_LIMIT_KB} KiB)"
    );
    (out, peak)
}

/// Garbage, wrongly shaped, deeply nested, huge and endless responses, to a
/// list (a data source read at plan) and to a create (apply): each fails
/// with a diagnostic, in bounded time and memory, without retries: one
/// request for the list; the create and one recovery attempt for the create
/// (a 200 it cannot use may have minted a token), whose diagnostic says that
/// the token may exist.
#[test]
fn reliability_hostile_malformed_responses() {
    for_each_cli("reliability_hostile_malformed_responses", |cli| {
        let mut s = Scenario::new(cli);
        for answer in Answer::ALL {
            let server = HostileServer::start(answer);
            s.env("INFLUXDB3_URL", format!("http://127.0.0.1:{}", server.port));

            s.write(LIST);
            let (plan, list_peak) = hostile_command(
                &mut s,
                &["plan", "-input=false"],
                answer,
                "Error: Error Listing Management Tokens",
            );
            s.write(&one_token());
            server.lists_ok.store(true, Ordering::SeqCst);
            let (apply, create_peak) = hostile_command(
                &mut s,
                &["apply", "-input=false", "-auto-approve"],
                answer,
                "Error: Error Creating Management Token",
            );
            // A 2xx the client cannot use may still mean the token was
            // created: the create is asked once more with the same key.
            assert_eq!(
                server.requests.load(Ordering::SeqCst),
                3,
                "{cli}, {answer:?}: one request for the plan, the create and its recovery for the apply"
            );
            assert_output_contains(
                &apply,
                &["The API may have created the token without the provider learning of it"],
            );
            eprintln!(
                "{cli}: {answer:?}: plan {:.1?}, apply {:.1?}; {} MB sent; provider peak RSS {} / {} KiB\n{}",
                plan.duration,
                apply.duration,
                server.sent.load(Ordering::SeqCst) / 1_000_000,
                list_peak,
                create_peak,
                error_excerpt(&apply, 8)
            );
        }
        assert_eq!(s.emulator.stats()["requests_total"], 0, "{cli}");
        s.finish("reliability_hostile_malformed_responses");
    });
}
