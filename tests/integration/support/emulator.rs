//! The emulator binary as a child process: one per test, on a free loopback port.
//!
//! [`EmulatorProcess::start`] spawns `influxdb3-emulator --listen 127.0.0.1:0`, waits
//! for its ready line and exposes what it printed; the helpers talk to it over HTTP
//! as the bootstrap (admin) identity. Dropping the value kills the process.
//!
//! Every helper is synchronous: it runs its request with `reqwest` on the process's
//! private runtime, driven from a short-lived thread, so `#[test]` and
//! `#[tokio::test]` functions alike can call it. Blocking a test's runtime for that
//! moment cannot deadlock anything: the emulator is another process. Helpers panic on anything unexpected, with the emulator's
//! answer in the message, since they set up tests rather than test the emulator.

use std::future::Future;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use influxdb3_provider::api::{DatabaseToken, ManagementToken};
use serde_json::{Value, json};
use uuid::Uuid;

/// The emulator binary Cargo built for this test run.
pub(crate) const EMULATOR_BIN: &str = env!("CARGO_BIN_EXE_influxdb3-emulator");

/// How long a start may take before the test fails.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// How long [`EmulatorProcess::stop`] and [`run_to_exit`] wait for the process to end.
const EXIT_TIMEOUT: Duration = Duration::from_secs(20);

/// A running emulator, killed on drop.
pub(crate) struct EmulatorProcess {
    child: Child,
    // The helpers' client and the runtime its connections live on, made once: building
    // a client loads the system's TLS roots, too slow to repeat for every request.
    client: reqwest::Client,
    runtime: Option<tokio::runtime::Runtime>,
    ready: Value,
    clustered: bool,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

/// What a stopped emulator left behind.
#[derive(Debug)]
pub(crate) struct Stopped {
    /// How it exited.
    pub(crate) status: ExitStatus,
    /// Everything it printed on stdout, ready line included.
    pub(crate) stdout: String,
    /// Everything it logged on stderr.
    pub(crate) stderr: String,
}

impl EmulatorProcess {
    /// An emulator in the Cloud Dedicated form with random ids and token.
    pub(crate) fn start() -> Self {
        Self::start_with(&[])
    }

    /// An emulator with extra command-line `args` (e.g. `["--clustered"]`); it always
    /// listens on `127.0.0.1:0`, so `args` must not contain `--listen`.
    pub(crate) fn start_with(args: &[&str]) -> Self {
        let mut child = Command::new(EMULATOR_BIN)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot spawn {EMULATOR_BIN}: {error}"));
        let stderr = Arc::new(Mutex::new(String::new()));
        let stdout = Arc::new(Mutex::new(String::new()));
        if let Some(pipe) = child.stderr.take() {
            let sink = Arc::clone(&stderr);
            thread::spawn(move || drain(pipe, &sink));
        }
        let (ready_sender, ready_receiver) = mpsc::channel();
        if let Some(pipe) = child.stdout.take() {
            let sink = Arc::clone(&stdout);
            thread::spawn(move || {
                let mut reader = BufReader::new(pipe);
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                lock(&sink).push_str(&line);
                let _ = ready_sender.send(line);
                drain(reader, &sink);
            });
        }
        let line = ready_receiver.recv_timeout(READY_TIMEOUT);
        let ready = line
            .ok()
            .and_then(|line| serde_json::from_str::<Value>(&line).ok());
        let Some(ready) = ready else {
            let _ = child.kill();
            let _ = child.wait();
            // Give the drain thread a moment to collect the last log lines.
            thread::sleep(Duration::from_millis(100));
            panic!(
                "the emulator ({args:?}) printed no ready line within {READY_TIMEOUT:?}; stderr:\n{}",
                lock(&stderr)
            );
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("cannot build a runtime: {error}"));
        let emulator = Self {
            child,
            client: http_client(),
            runtime: Some(runtime),
            ready,
            clustered: args.contains(&"--clustered"),
            stdout,
            stderr,
        };
        // Fail here, with a clear message, rather than in some later helper.
        let _ = emulator.account_id();
        let _ = emulator.cluster_id();
        emulator
    }

    /// The base URL, e.g. `http://127.0.0.1:40123` (without `/api/v0`).
    pub(crate) fn url(&self) -> &str {
        self.ready_field("url")
    }

    /// The account id from the ready line.
    pub(crate) fn account_id(&self) -> Uuid {
        self.ready_uuid("account_id")
    }

    /// The cluster id from the ready line.
    pub(crate) fn cluster_id(&self) -> Uuid {
        self.ready_uuid("cluster_id")
    }

    /// The bootstrap (admin) token from the ready line. A secret.
    pub(crate) fn token(&self) -> String {
        self.ready_field("token").to_owned()
    }

    /// The parsed ready line.
    pub(crate) fn ready_line(&self) -> &Value {
        &self.ready
    }

    /// The URL of the management-token collection, in this emulator's form.
    pub(crate) fn tokens_url(&self) -> String {
        if self.clustered {
            format!("{}/api/v0/management-tokens", self.url())
        } else {
            format!(
                "{}/api/v0/accounts/{}/management-tokens",
                self.url(),
                self.account_id()
            )
        }
    }

    /// The URL of one management token.
    pub(crate) fn token_url(&self, id: Uuid) -> String {
        format!("{}/{id}", self.tokens_url())
    }

    /// Creates a management token; the result carries its `accessToken`.
    pub(crate) fn create(&self, description: &str) -> ManagementToken {
        let body = json!({ "description": description });
        let (status, body) = self.call("POST", &self.tokens_url(), Some(body));
        assert_eq!(status, 200, "create: {body}");
        serde_json::from_value(body).unwrap_or_else(|error| panic!("create: {error}"))
    }

    /// Creates a management token from a raw request body (e.g. with an
    /// `expiresAt`) and returns the response as JSON, `accessToken` included.
    pub(crate) fn create_json(&self, body: Value) -> Value {
        let (status, body) = self.call("POST", &self.tokens_url(), Some(body));
        assert_eq!(status, 200, "create: {body}");
        body
    }

    /// The `accessToken` of a create response, as a plain string for the test's
    /// own requests and secret scans.
    pub(crate) fn access_token_of(token: &ManagementToken) -> String {
        token
            .access_token
            .as_ref()
            .expect("the create response carries accessToken")
            .expose()
            .to_owned()
    }

    /// Every management token, revoked and expired ones included.
    pub(crate) fn list_tokens(&self) -> Vec<ManagementToken> {
        let (status, body) = self.call("GET", &self.tokens_url(), None);
        assert_eq!(status, 200, "list: {body}");
        serde_json::from_value(body).unwrap_or_else(|error| panic!("list: {error}"))
    }

    /// Revokes a token and returns the status: 204, or 404 / 409 with the error body.
    pub(crate) fn revoke(&self, id: Uuid) -> u16 {
        self.call("DELETE", &self.token_url(id), None).0
    }

    /// The URL of the database-token collection, in this emulator's form.
    pub(crate) fn database_tokens_url(&self) -> String {
        if self.clustered {
            format!("{}/api/v0/tokens", self.url())
        } else {
            format!(
                "{}/api/v0/accounts/{}/clusters/{}/tokens",
                self.url(),
                self.account_id(),
                self.cluster_id()
            )
        }
    }

    /// Every database token, revoked ones included.
    pub(crate) fn list_database_tokens(&self) -> Vec<DatabaseToken> {
        let (status, body) = self.call("GET", &self.database_tokens_url(), None);
        assert_eq!(status, 200, "list database tokens: {body}");
        serde_json::from_value(body).unwrap_or_else(|error| panic!("list database tokens: {error}"))
    }

    /// Creates a database token from a raw request body; the response as JSON.
    pub(crate) fn create_database_token(&self, body: Value) -> Value {
        let (status, body) = self.call("POST", &self.database_tokens_url(), Some(body));
        assert_eq!(status, 200, "create database token: {body}");
        body
    }

    /// Revokes (deletes) a database token and returns the status.
    pub(crate) fn revoke_database_token(&self, id: Uuid) -> u16 {
        let url = format!("{}/{id}", self.database_tokens_url());
        self.call("DELETE", &url, None).0
    }

    /// Queues a fault rule (`POST /_emulator/faults`), e.g.
    /// `json!({"status": 503, "count": 2})`.
    pub(crate) fn set_fault(&self, rule: Value) {
        let url = format!("{}/_emulator/faults", self.url());
        let (status, body) = self.call("POST", &url, Some(rule));
        assert_eq!(status, 204, "set_fault: {body}");
    }

    /// Drops every queued fault rule.
    pub(crate) fn clear_faults(&self) {
        let url = format!("{}/_emulator/faults", self.url());
        let (status, body) = self.call("DELETE", &url, None);
        assert_eq!(status, 204, "clear_faults: {body}");
    }

    /// The request counters: `{"requests_total": n, "by_operation": {...}}`.
    pub(crate) fn stats(&self) -> Value {
        let url = format!("{}/_emulator/stats", self.url());
        let (status, body) = self.call("GET", &url, None);
        assert_eq!(status, 200, "stats: {body}");
        body
    }

    /// Zeroes the request counters.
    pub(crate) fn reset_stats(&self) {
        let url = format!("{}/_emulator/stats/reset", self.url());
        let (status, body) = self.call("POST", &url, None);
        assert_eq!(status, 204, "reset_stats: {body}");
    }

    /// What the emulator has logged so far.
    pub(crate) fn stderr(&self) -> String {
        lock(&self.stderr).clone()
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub(crate) fn stop(mut self) -> Stopped {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(
            sent.is_ok_and(|status| status.success()),
            "kill -TERM {pid}"
        );
        let status = wait_with_timeout(&mut self.child, EXIT_TIMEOUT)
            .unwrap_or_else(|| panic!("the emulator did not exit within {EXIT_TIMEOUT:?}"));
        // The drain threads end at EOF, just after the exit; give them a moment.
        thread::sleep(Duration::from_millis(100));
        Stopped {
            status,
            stdout: lock(&self.stdout).clone(),
            stderr: lock(&self.stderr).clone(),
        }
    }

    /// One request to `path` (below the base URL, query string included) as the
    /// bootstrap identity: status and JSON body (`Null` if none). For the `/api/v3`
    /// API of the `--product core|enterprise` modes.
    pub(crate) fn request(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call(method, &format!("{}{path}", self.url()), body)
    }

    /// Like [`EmulatorProcess::request`], with `token` as the bearer token.
    pub(crate) fn request_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.call_as(token, method, &format!("{}{path}", self.url()), body)
    }

    /// One request as the bootstrap identity: status and JSON body (`Null` if none).
    fn call(&self, method: &str, url: &str, body: Option<Value>) -> (u16, Value) {
        self.call_as(&self.token(), method, url, body)
    }

    fn call_as(&self, token: &str, method: &str, url: &str, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .unwrap_or_else(|error| panic!("{method}: {error}"));
        let request = self.client.request(method, url).bearer_auth(token);
        self.block_on(async move {
            let request = match body {
                Some(body) => request.json(&body),
                None => request,
            };
            let response = request
                .send()
                .await
                .unwrap_or_else(|error| panic!("request to the emulator failed: {error}"));
            let status = response.status().as_u16();
            let bytes = response.bytes().await.unwrap_or_default();
            (
                status,
                serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            )
        })
    }

    /// Runs `future` on the private runtime, from a thread of its own so that it works
    /// whether or not the caller is inside a runtime.
    fn block_on<T: Send>(&self, future: impl Future<Output = T> + Send) -> T {
        let Some(runtime) = &self.runtime else {
            unreachable!("the runtime lives until drop");
        };
        thread::scope(|scope| {
            scope
                .spawn(|| runtime.block_on(future))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    fn ready_field(&self, name: &str) -> &str {
        self.ready[name]
            .as_str()
            .unwrap_or_else(|| panic!("ready line without {name}: {}", self.ready))
    }

    fn ready_uuid(&self, name: &str) -> Uuid {
        Uuid::parse_str(self.ready_field(name))
            .unwrap_or_else(|error| panic!("ready line {name}: {error}"))
    }
}

impl std::fmt::Debug for EmulatorProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the ready line: it holds the bootstrap token.
        f.debug_struct("EmulatorProcess")
            .field("pid", &self.child.id())
            .field("url", &self.url())
            .field("clustered", &self.clustered)
            .finish_non_exhaustive()
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A runtime cannot be dropped inside another one (a `#[tokio::test]` body).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Runs the emulator with exactly `args` until it exits by itself (it is killed after
/// 20 s, which fails the test): for start-up failures and `--help`.
pub(crate) fn run_to_exit(args: &[&str]) -> Output {
    let mut child = Command::new(EMULATOR_BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot spawn {EMULATOR_BIN}: {error}"));
    let stdout = child
        .stdout
        .take()
        .map(|pipe| thread::spawn(move || read_all(pipe)));
    let stderr = child
        .stderr
        .take()
        .map(|pipe| thread::spawn(move || read_all(pipe)));
    let status = wait_with_timeout(&mut child, EXIT_TIMEOUT);
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the emulator {args:?} did not exit within {EXIT_TIMEOUT:?}");
    };
    let collect = |reader: Option<thread::JoinHandle<Vec<u8>>>| {
        reader
            .and_then(|reader| reader.join().ok())
            .unwrap_or_default()
    };
    Output {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
    }
}

/// A client for the emulator: loopback only, so no proxy from the environment.
pub(crate) fn http_client() -> reqwest::Client {
    // reqwest builds a rustls config even for plain HTTP; with more than one crypto
    // provider compiled in, one must be installed first.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap_or_else(|error| panic!("cannot build an HTTP client: {error}"))
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) | Err(_) => return None,
        }
    }
}

fn drain(pipe: impl std::io::Read, sink: &Mutex<String>) {
    let mut reader = BufReader::new(pipe);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|read| read > 0) {
        lock(sink).push_str(&line);
        line.clear();
    }
}

fn read_all(mut pipe: impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = pipe.read_to_end(&mut bytes);
    bytes
}

fn lock(text: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    text.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
