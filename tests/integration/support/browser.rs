//! Headless Chromium driven through chromedriver's WebDriver HTTP API (plain JSON
//! over HTTP with `reqwest`), for the console's browser tests.
//!
//! [`Browser::start`] spawns `chromedriver --port=0` (it prints the port it took),
//! opens a session of headless Chromium with a fresh profile directory, and gives
//! synchronous helpers: navigate, find, click, type, read, wait, screenshot. Dropping
//! it ends the session and kills chromedriver (and so Chromium).
//!
//! The browser is Debian's `chromium` and `chromium-driver`, installed by
//! `scripts/install-browser.sh` (`make test` and `.ci/run` run it). A missing one
//! fails the test with that instruction; `INFLUXDB3_TEST_CHROMIUM` and
//! `INFLUXDB3_TEST_CHROMEDRIVER` name other executables.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// How long chromedriver may take to print its port.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long [`Browser::wait_for`] and [`Browser::wait_until`] wait: generous, since
/// `make test` runs Terraform tests beside these on two cores; a passing wait
/// returns as soon as its condition holds.
const WAIT_TIMEOUT: Duration = Duration::from_secs(30);
/// The W3C name of an element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Flags that make Chromium work headless in a container without network chatter.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

const INSTALL_HINT: &str = "install Debian's Chromium and its WebDriver with `bash scripts/install-browser.sh` \
     (as root it runs: apt-get install -y chromium chromium-driver), or point \
     INFLUXDB3_TEST_CHROMIUM and INFLUXDB3_TEST_CHROMEDRIVER at a Chromium and a matching chromedriver";

/// A headless Chromium session; ended and killed on drop.
pub(crate) struct Browser {
    driver: Child,
    base: String,
    session: String,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    _profile: tempfile::TempDir,
}

/// A reference to an element of the current page.
#[derive(Debug, Clone)]
pub(crate) struct Element(String);

impl Browser {
    /// Starts chromedriver and a headless Chromium session; with `javascript` false,
    /// pages run no script (as for a visitor with JavaScript off).
    pub(crate) fn start(javascript: bool) -> Self {
        let chromium = executable("INFLUXDB3_TEST_CHROMIUM", &["chromium", "chromium-browser"]);
        let chromedriver = executable("INFLUXDB3_TEST_CHROMEDRIVER", &["chromedriver"]);
        let mut driver = Command::new(&chromedriver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot start {}: {error}; {INSTALL_HINT}",
                    chromedriver.display()
                )
            });
        let port = driver_port(&mut driver).unwrap_or_else(|| {
            let _ = driver.kill();
            let _ = driver.wait();
            panic!("chromedriver printed no port within {START_TIMEOUT:?}; {INSTALL_HINT}")
        });
        let profile = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|arg| (*arg).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut options = json!({ "binary": chromium, "args": args });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("cannot build a runtime: {error}"));
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_else(|error| panic!("{error}"));
        let mut browser = Self {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            client,
            runtime,
            _profile: profile,
        };
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
        }}});
        let created = browser.command(reqwest::Method::POST, "/session", Some(capabilities));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {created}; {INSTALL_HINT}"))
            .to_owned();
        browser
    }

    /// Opens `url` and waits for it to load.
    pub(crate) fn goto(&self, url: &str) {
        self.session_command(reqwest::Method::POST, "/url", Some(json!({ "url": url })));
    }

    /// The current page's URL.
    pub(crate) fn current_url(&self) -> String {
        let url = self.session_command(reqwest::Method::GET, "/url", None);
        url.as_str().unwrap_or_default().to_owned()
    }

    /// The current page's HTML.
    pub(crate) fn source(&self) -> String {
        let source = self.session_command(reqwest::Method::GET, "/source", None);
        source.as_str().unwrap_or_default().to_owned()
    }

    /// The elements matching the CSS `selector` (none is not an error).
    pub(crate) fn find_all(&self, selector: &str) -> Vec<Element> {
        let body = json!({ "using": "css selector", "value": selector });
        let found = self.session_command(reqwest::Method::POST, "/elements", Some(body));
        found
            .as_array()
            .map(|elements| elements.iter().filter_map(element_ref).collect())
            .unwrap_or_default()
    }

    /// Waits up to 30 s for an element matching `selector` and returns the first.
    #[track_caller]
    pub(crate) fn wait_for(&self, selector: &str) -> Element {
        let mut found = None;
        self.wait_until(&format!("an element {selector:?}"), |browser| {
            found = browser.find_all(selector).into_iter().next();
            found.is_some()
        });
        found.unwrap_or_else(|| unreachable!("wait_until returned without the element"))
    }

    /// Waits up to 30 s until `check` holds, polling it; panics with `what` otherwise.
    #[track_caller]
    pub(crate) fn wait_until(&self, what: &str, mut check: impl FnMut(&Self) -> bool) {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        while !check(self) {
            if Instant::now() > deadline {
                panic!(
                    "{what}: not within {WAIT_TIMEOUT:?} on {}; page:\n{}",
                    self.current_url(),
                    self.source()
                );
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks `element` (as a user would: it must be visible).
    pub(crate) fn click(&self, element: &Element) {
        let path = format!("/element/{}/click", element.0);
        self.session_command(reqwest::Method::POST, &path, Some(json!({})));
    }

    /// Types `text` into `element`.
    pub(crate) fn type_text(&self, element: &Element, text: &str) {
        let path = format!("/element/{}/value", element.0);
        self.session_command(reqwest::Method::POST, &path, Some(json!({ "text": text })));
    }

    /// The rendered text of `element`.
    pub(crate) fn text(&self, element: &Element) -> String {
        let path = format!("/element/{}/text", element.0);
        let text = self.session_command(reqwest::Method::GET, &path, None);
        text.as_str().unwrap_or_default().to_owned()
    }

    /// Whether `element` is shown.
    pub(crate) fn is_displayed(&self, element: &Element) -> bool {
        let path = format!("/element/{}/displayed", element.0);
        self.session_command(reqwest::Method::GET, &path, None)
            .as_bool()
            .unwrap_or(false)
    }

    /// Runs `script` in the page and returns its result.
    pub(crate) fn execute(&self, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.session_command(reqwest::Method::POST, "/execute/sync", Some(body))
    }

    /// Resizes the window to `width` x `height` CSS pixels.
    pub(crate) fn resize(&self, width: u32, height: u32) {
        let body = json!({ "width": width, "height": height });
        self.session_command(reqwest::Method::POST, "/window/rect", Some(body));
    }

    /// Saves a PNG screenshot of the viewport as `<dir>/<name>.png`; returns its path.
    pub(crate) fn screenshot(&self, dir: &Path, name: &str) -> PathBuf {
        let encoded = self.session_command(reqwest::Method::GET, "/screenshot", None);
        let png = STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .unwrap_or_else(|error| panic!("screenshot is not base64: {error}"));
        assert!(
            png.starts_with(b"\x89PNG"),
            "screenshot {name} is not a PNG"
        );
        std::fs::create_dir_all(dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        path
    }

    fn session_command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.command(method, &path, body)
    }

    /// One WebDriver command; its `value`. Panics on a WebDriver error.
    fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut request = self.client.request(method.clone(), &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let (status, reply) = self.runtime.block_on(async {
            let response = request
                .send()
                .await
                .unwrap_or_else(|error| panic!("WebDriver {method} {path}: {error}"));
            let status = response.status();
            let reply: Value = response.json().await.unwrap_or(Value::Null);
            (status, reply)
        });
        if !status.is_success() {
            panic!("WebDriver {method} {path}: HTTP {status}: {reply}");
        }
        reply.get("value").cloned().unwrap_or(Value::Null)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let url = format!("{}/session/{}", self.base, self.session);
            let client = &self.client;
            // Built inside the runtime: a request with a timeout needs its timer.
            let _ = self.runtime.block_on(async {
                client
                    .delete(url)
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await
            });
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("webdriver", &self.base)
            .finish_non_exhaustive()
    }
}

fn element_ref(value: &Value) -> Option<Element> {
    value[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
}

/// The executable named by `variable`, else the first of `names` on `PATH`; panics
/// with how to install it.
fn executable(variable: &str, names: &[&str]) -> PathBuf {
    if let Some(path) = std::env::var_os(variable) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "{variable}={} does not exist; {INSTALL_HINT}",
            path.display()
        );
        return path;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "{} not found on PATH: the console's browser tests need it; {INSTALL_HINT}",
        names.join(" or ")
    )
}

/// Reads chromedriver's stdout until `... started successfully on port N.`.
fn driver_port(driver: &mut Child) -> Option<u16> {
    let stdout = driver.stdout.take()?;
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let reader = BufReader::new(stdout);
        let mut sent = false;
        for line in reader.lines().map_while(Result::ok) {
            if !sent && let Some(rest) = line.split("started successfully on port ").nth(1) {
                let port = rest.trim_end_matches('.').trim().parse::<u16>().ok();
                let _ = sender.send(port);
                sent = true;
            }
            // Keep draining so chromedriver never blocks on a full pipe.
        }
    });
    receiver.recv_timeout(START_TIMEOUT).ok().flatten()
}

/// Where the console tests save their screenshots:
/// `<target dir>/test-artifacts/console/`.
pub(crate) fn artifacts_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target dir>/tmp for integration tests.
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let target = tmp.parent().map(Path::to_path_buf).unwrap_or(tmp);
    target.join("test-artifacts").join("console")
}
