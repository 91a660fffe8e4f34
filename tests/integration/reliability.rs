//! Shared pieces of the reliability tests (`reliability_faults`,
//! `reliability_interrupts`, `reliability_hostile`; see `docs/reliability.md`).
//!
//! - [`Scenario`]: one Terraform CLI's world: a workdir, an emulator that keeps
//!   a state file (its idempotency table holds every create response, so every
//!   secret the emulator ever minted can be read back), `TF_LOG=trace` into a
//!   log file for every command, and a record of everything every command
//!   printed. [`Scenario::finish`] scans all of it, and the emulator's stderr,
//!   for every secret.
//! - [`Scenario::assert_consistent`]: the API's list and the Terraform state
//!   agree (no lost, no duplicate, no dead token in state).
//! - [`Running`]: a Terraform command started in its own process group that a
//!   test can signal while it runs, watching the provider processes it starts.
//! - `/proc` helpers: the provider children of a process, process-group
//!   members, peak RSS.
//!
//! The acceptance helpers (`support::acceptance`) are reused where they fit;
//! `AccEnv` is not, because its emulator has no state file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use influxdb3_provider::api::ManagementToken;
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{
    TerraformCli, TestWorkdir, TfOutput, provider_binary, required_providers_block,
};

/// Runs `scenario` once per CLI (1.11.4, then 1.15.5), every one of them even
/// when one fails, then fails naming the CLIs that failed (each failure's
/// message is printed when it happens).
#[track_caller]
pub(crate) fn for_each_cli(test: &str, mut scenario: impl FnMut(&TerraformCli)) {
    let mut failed = Vec::new();
    for cli in TerraformCli::all() {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scenario(&cli)));
        if run.is_err() {
            failed.push(cli.version);
        }
    }
    assert!(
        failed.is_empty(),
        "{test} failed with Terraform {failed:?} (see the messages above)"
    );
}

/// The resource type under test.
pub(crate) const TOKEN_TYPE: &str = "influxdb3_management_token";

/// Texts that mean the provider crashed or hung rather than failing cleanly.
pub(crate) const CRASH_MARKERS: [&str; 5] = [
    "panic",
    "Plugin did not respond",
    "plugin exited",
    "The plugin encountered an error",
    "rpc error: code = Unavailable",
];

/// One CLI's world for a reliability test.
pub(crate) struct Scenario {
    // The workdir goes first, so that it is dropped (and kept, on failure, when
    // INFLUXDB3_TEST_KEEP asks) before the emulator is killed.
    pub(crate) wd: TestWorkdir,
    pub(crate) emulator: EmulatorProcess,
    env: BTreeMap<String, String>,
    emulator_state: PathBuf,
    log: PathBuf,
    transcripts: Vec<(String, String)>,
    secrets: BTreeMap<String, String>,
    started: Instant,
    _emulator_dir: TempDir,
}

impl std::fmt::Debug for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the environment or the secrets.
        f.debug_struct("Scenario")
            .field("cli", &self.wd.cli().version)
            .field("workdir", &self.wd.path())
            .field("emulator", &self.emulator)
            .finish_non_exhaustive()
    }
}

impl Scenario {
    /// An emulator (Cloud Dedicated form, state file) and a workdir whose
    /// environment carries `INFLUXDB3_URL`, `INFLUXDB3_ACCOUNT_ID`,
    /// `INFLUXDB3_TOKEN`, `TF_LOG=trace` and `TF_LOG_PATH`.
    pub(crate) fn new(cli: &TerraformCli) -> Self {
        let started = Instant::now();
        let emulator_dir = tempfile::Builder::new()
            .prefix("influxdb3-reliability-emulator-")
            .tempdir()
            .expect("create the emulator's directory");
        let emulator_state = emulator_dir.path().join("state.json");
        let state_arg = emulator_state
            .to_str()
            .expect("temporary path is UTF-8")
            .to_owned();
        let emulator = EmulatorProcess::start_with(&["--state-file", &state_arg]);
        let wd = TestWorkdir::new(cli);
        let log = wd
            .path()
            .parent()
            .expect("the module directory has a parent")
            .join("terraform-trace.log");
        let mut scenario = Scenario {
            wd,
            env: BTreeMap::new(),
            emulator_state,
            log,
            transcripts: Vec::new(),
            secrets: BTreeMap::new(),
            started,
            _emulator_dir: emulator_dir,
            emulator,
        };
        let (url, account, token) = (
            scenario.emulator.url().to_owned(),
            scenario.emulator.account_id().to_string(),
            scenario.emulator.token(),
        );
        let log = scenario.log.to_str().expect("UTF-8 path").to_owned();
        scenario
            .env("INFLUXDB3_URL", url)
            .env("INFLUXDB3_ACCOUNT_ID", account)
            .env("INFLUXDB3_TOKEN", token.clone())
            .env("TF_LOG", "trace")
            .env("TF_LOG_PATH", log);
        scenario.add_secret(&token, "the provider's token");
        scenario
    }

    /// Sets a variable for every later command (and so for the provider).
    pub(crate) fn env(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        self.wd.env(key, value.clone());
        self.env.insert(key.to_owned(), value);
        self
    }

    /// A secret that must appear nowhere in any output or log.
    pub(crate) fn add_secret(&mut self, secret: &str, what: &str) {
        if !secret.is_empty() {
            self.secrets
                .entry(secret.to_owned())
                .or_insert_with(|| what.to_owned());
        }
    }

    /// Writes `main.tf`: the `required_providers` block followed by `body`.
    pub(crate) fn write(&self, body: &str) {
        self.wd
            .write_config(&format!("{}\n{body}", required_providers_block()));
    }

    /// Runs `terraform <args> -no-color` and records its output.
    pub(crate) fn run(&mut self, args: &[&str]) -> TfOutput {
        let out = self.wd.run(args);
        self.record(&out);
        out
    }

    /// `terraform apply -input=false -auto-approve` plus `extra` arguments.
    pub(crate) fn apply(&mut self, extra: &[&str]) -> TfOutput {
        let mut args = vec!["apply", "-input=false", "-auto-approve"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `terraform destroy -input=false -auto-approve`.
    pub(crate) fn destroy(&mut self) -> TfOutput {
        self.run(&["destroy", "-input=false", "-auto-approve"])
    }

    /// `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes;
    /// panics with the output on an error.
    #[track_caller]
    pub(crate) fn plan_code(&mut self) -> i32 {
        let out = self.run(&["plan", "-input=false", "-detailed-exitcode"]);
        match out.code {
            0 | 2 if !out.timed_out => out.code,
            _ => panic!("terraform plan -detailed-exitcode failed:\n{out}"),
        }
    }

    /// `terraform show -json`, parsed.
    #[track_caller]
    pub(crate) fn show(&mut self) -> Value {
        // Not recorded for the secret scan: `show -json` prints sensitive
        // values by design (it is the state).
        let out = self.wd.run(&["show", "-json"]);
        out.assert_success();
        self.harvest_secrets();
        out.json()
    }

    /// Keeps a command's output for the secret scan and collects the secrets
    /// the state files now hold.
    pub(crate) fn record(&mut self, out: &TfOutput) {
        self.transcripts.push((out.command.clone(), out.combined()));
        self.harvest_secrets();
    }

    /// Starts `terraform <args> -no-color` in its own process group, with the
    /// same environment [`TestWorkdir::run`] gives it.
    pub(crate) fn spawn(&self, args: &[&str]) -> Running {
        let cli = self.wd.cli();
        let home = self
            .wd
            .path()
            .parent()
            .expect("the module directory has a parent")
            .join("home");
        let mut cmd = Command::new(&cli.path);
        cmd.args(args)
            .arg("-no-color")
            .current_dir(self.wd.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        for (key, _) in std::env::vars_os() {
            if key.to_str().is_none_or(is_leaky_var) {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HOME", &home)
            .env("TF_CLI_CONFIG_FILE", self.wd.cli_config_path())
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .envs(&self.env);
        let command = format!(
            "{} {} -no-color  [Terraform {}, spawned]",
            cli.path.display(),
            args.join(" "),
            cli.version
        );
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{command}`: {e}"));
        let stdout = reader_thread(child.stdout.take().expect("piped stdout"));
        let stderr = reader_thread(child.stderr.take().expect("piped stderr"));
        Running {
            child,
            command,
            workdir: self.wd.path().to_path_buf(),
            log: self.log.clone(),
            started,
            stdout: Some(stdout),
            stderr: Some(stderr),
            providers: BTreeSet::new(),
            peak_provider_rss_kb: 0,
        }
    }

    /// How many requests of `operation` (e.g. `create_management_token`) the
    /// emulator has counted, injected failures included.
    pub(crate) fn count(&self, operation: &str) -> u64 {
        self.emulator.stats()["by_operation"][operation]
            .as_u64()
            .unwrap_or(0)
    }

    /// Queues a fault rule on the emulator.
    pub(crate) fn fault(&self, rule: Value) {
        self.emulator.set_fault(rule);
    }

    /// Asserts that the Terraform state and the API agree:
    /// - every token in state is listed by the API and active;
    /// - every token the API lists is in state or revoked (nothing leaked);
    /// - no description has more than one active token, and every id is in
    ///   state once;
    /// - every token came from a create with an `Idempotency-Key`, one token
    ///   per key.
    ///
    /// Returns the tokens in state.
    #[track_caller]
    pub(crate) fn assert_consistent(&mut self, label: &str) -> Vec<StateToken> {
        let cli = self.wd.cli().version;
        let show = self.show();
        let state = state_tokens(&show);
        let api = self.emulator.list_tokens();
        let now = Utc::now();
        let by_id: BTreeMap<Uuid, &ManagementToken> =
            api.iter().map(|token| (token.id, token)).collect();
        let mut problems = Vec::new();

        let mut state_ids = BTreeSet::new();
        for token in &state {
            if !state_ids.insert(token.id) {
                problems.push(format!("{} is in state twice", token.id));
            }
            match by_id.get(&token.id) {
                None => problems.push(format!(
                    "{} ({}) is in state but the API does not list it",
                    token.address, token.id
                )),
                Some(listed) if !listed.is_active_at(now) => problems.push(format!(
                    "{} ({}) is in state but revoked or expired: {listed:?}",
                    token.address, token.id
                )),
                Some(listed) if listed.description != token.description => problems.push(format!(
                    "{} has description {:?} in state, {:?} in the API",
                    token.address, token.description, listed.description
                )),
                Some(_) => {}
            }
            match &token.access_token {
                Some(secret) if secret.starts_with(&token.token_prefix) => {}
                _ => problems.push(format!(
                    "{} has no access_token in state, or one that does not start with its prefix",
                    token.address
                )),
            }
        }
        let mut live_by_description: BTreeMap<&str, usize> = BTreeMap::new();
        for token in &api {
            let live = token.is_active_at(now);
            if live {
                *live_by_description.entry(&token.description).or_default() += 1;
            }
            if live && !state_ids.contains(&token.id) {
                problems.push(format!(
                    "LEAKED: the API lists active token {} ({:?}, created {}) that is not in state",
                    token.id, token.description, token.created_at
                ));
            }
        }
        for (description, live) in &live_by_description {
            if *live > 1 {
                problems.push(format!(
                    "DUPLICATE: {live} active tokens with description {description:?}"
                ));
            }
        }
        let keyed = self.keyed_creates();
        let mut per_key: BTreeMap<Uuid, usize> = BTreeMap::new();
        for id in keyed.values() {
            *per_key.entry(*id).or_default() += 1;
        }
        for token in &api {
            match per_key.get(&token.id) {
                Some(1) => {}
                Some(n) => problems.push(format!(
                    "token {} is the result of {n} idempotency keys",
                    token.id
                )),
                None => problems.push(format!(
                    "token {} was not created with an Idempotency-Key",
                    token.id
                )),
            }
        }
        assert!(
            problems.is_empty(),
            "Terraform {cli}, {label}: state and API disagree:\n  - {}\nstate: {state:#?}\nAPI: {api:#?}",
            problems.join("\n  - ")
        );
        eprintln!(
            "Terraform {cli}, {label}: consistent: {} tokens in state, {} listed ({} revoked)",
            state.len(),
            api.len(),
            api.iter().filter(|t| t.revoked_at.is_some()).count()
        );
        state
    }

    /// How many tokens (revoked ones included) the API lists per description.
    pub(crate) fn minted_per_description(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for token in self.emulator.list_tokens() {
            *counts.entry(token.description).or_default() += 1;
        }
        counts
    }

    /// The emulator's idempotency table: key to the id of the token its create
    /// returned.
    fn keyed_creates(&self) -> BTreeMap<String, Uuid> {
        self.emulator_state_json()["idempotency"]
            .as_array()
            .map(|records| {
                records
                    .iter()
                    .filter_map(|record| {
                        let key = record["key"].as_str()?.to_owned();
                        let id = record["response"]["id"].as_str()?;
                        Some((key, Uuid::parse_str(id).ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn emulator_state_json(&self) -> Value {
        match std::fs::read(&self.emulator_state) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!("the emulator's state file is not JSON: {e}");
            }),
            Err(_) => Value::Null,
        }
    }

    /// Collects every access token in the Terraform state files and every
    /// secret the emulator minted (its idempotency table keeps each create
    /// response).
    fn harvest_secrets(&mut self) {
        let mut found = Vec::new();
        for name in [
            "terraform.tfstate",
            "terraform.tfstate.backup",
            "errored.tfstate",
        ] {
            let Ok(bytes) = std::fs::read(self.wd.path().join(name)) else {
                continue;
            };
            let Ok(state) = serde_json::from_slice::<Value>(&bytes) else {
                continue;
            };
            for resource in state["resources"].as_array().into_iter().flatten() {
                for instance in resource["instances"].as_array().into_iter().flatten() {
                    if let Some(secret) = instance["attributes"]["access_token"].as_str() {
                        found.push((secret.to_owned(), "an access_token from the state file"));
                    }
                }
            }
        }
        let emulator = self.emulator_state_json();
        for record in emulator["idempotency"].as_array().into_iter().flatten() {
            if let Some(secret) = record["response"]["accessToken"].as_str() {
                found.push((
                    secret.to_owned(),
                    "an access token from the emulator's create responses",
                ));
            }
        }
        for (secret, what) in found {
            self.add_secret(&secret, what);
        }
    }

    /// The secret scan (over every command's output, the Terraform log and
    /// the emulator's stderr), then a timing line.
    #[track_caller]
    pub(crate) fn finish(mut self, test: &str) {
        self.harvest_secrets();
        let cli = self.wd.cli().version;
        let log = std::fs::read(&self.log)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        assert!(
            log.contains("[TRACE]") && log.contains("terraform-provider-influxdb3"),
            "Terraform {cli}: the trace log {} lacks Terraform's or the provider's lines; \
             the secret scan would prove nothing",
            self.log.display()
        );
        let emulator_stderr = self.emulator.stderr();
        let mut sources: Vec<(&str, &str)> = self
            .transcripts
            .iter()
            .map(|(command, text)| (command.as_str(), text.as_str()))
            .collect();
        sources.push(("the TF_LOG=trace log", &log));
        sources.push(("the emulator's stderr", &emulator_stderr));
        let scanned: usize = sources.iter().map(|(_, text)| text.len()).sum();
        for (secret, what) in &self.secrets {
            for (source, text) in &sources {
                assert_no_secret(secret, what, source, text);
            }
        }
        eprintln!(
            "{test}: Terraform {cli}: {} secrets absent from {} commands' output, {} bytes of trace log \
             and {} bytes of emulator log ({scanned} bytes in all); scenario took {:.1?}",
            self.secrets.len(),
            self.transcripts.len(),
            log.len(),
            emulator_stderr.len(),
            self.started.elapsed()
        );
    }
}

/// Panics, without printing the secret, when `secret` occurs in `text`.
#[track_caller]
pub(crate) fn assert_no_secret(secret: &str, what: &str, source: &str, text: &str) {
    if let Some(at) = text.find(secret) {
        let line = text[..at].lines().count().max(1);
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before: Vec<char> = text[start..at].chars().collect();
        let context: String = before[before.len().saturating_sub(80)..].iter().collect();
        panic!(
            "a secret ({what}, {} characters) appears at line {line} of {source}, after {context:?}",
            secret.len()
        );
    }
}

/// The diagnostics of a failed command (from the first `Error:` on), at
/// most `max_lines` lines, for the test log.
pub(crate) fn error_excerpt(out: &TfOutput, max_lines: usize) -> String {
    let text = out.combined();
    let start = text.find("Error:").unwrap_or(0);
    text[start..]
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(max_lines)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Panics with the output when it shows a crash or a hang of the provider.
#[track_caller]
pub(crate) fn assert_no_crash(out: &TfOutput) {
    let text = out.combined();
    for marker in CRASH_MARKERS {
        assert!(
            !text.contains(marker),
            "the output contains {marker:?}:\n{out}"
        );
    }
}

/// One `influxdb3_management_token` instance in `terraform show -json`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct StateToken {
    pub(crate) address: String,
    pub(crate) id: Uuid,
    pub(crate) description: String,
    pub(crate) token_prefix: String,
    pub(crate) access_token: Option<String>,
}

impl std::fmt::Debug for StateToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateToken")
            .field("address", &self.address)
            .field("id", &self.id)
            .field("description", &self.description)
            .field("token_prefix", &self.token_prefix)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Every management-token instance of the root module in `terraform show -json`.
#[track_caller]
pub(crate) fn state_tokens(show: &Value) -> Vec<StateToken> {
    show["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|resource| resource["type"] == TOKEN_TYPE && resource["mode"] == "managed")
        .map(|resource| {
            let values = &resource["values"];
            let text = |name: &str| values[name].as_str().unwrap_or_default().to_owned();
            StateToken {
                address: resource["address"].as_str().unwrap_or_default().to_owned(),
                id: Uuid::parse_str(&text("id"))
                    .unwrap_or_else(|e| panic!("{}: id is not a UUID: {e}", resource["address"])),
                description: text("description"),
                token_prefix: text("token_prefix"),
                access_token: values["access_token"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// `count` tokens named `<name>[i]` with descriptions `<name>-<i>`.
pub(crate) fn counted_tokens(name: &str, count: usize) -> String {
    format!(
        "resource \"{TOKEN_TYPE}\" \"{name}\" {{\n  count       = {count}\n  description = \"{name}-${{count.index}}\"\n}}\n"
    )
}

/// A Terraform command started by [`Scenario::spawn`].
#[derive(Debug)]
pub(crate) struct Running {
    child: Child,
    command: String,
    workdir: PathBuf,
    log: PathBuf,
    started: Instant,
    stdout: Option<thread::JoinHandle<String>>,
    stderr: Option<thread::JoinHandle<String>>,
    /// Provider processes (children of Terraform running the provider binary)
    /// seen so far.
    pub(crate) providers: BTreeSet<u32>,
    /// The highest peak RSS (`VmHWM`) seen in any of them, in KiB.
    pub(crate) peak_provider_rss_kb: u64,
}

impl Running {
    /// Terraform's process id (also its process group id).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether Terraform is still running.
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Looks for provider children and samples their memory.
    pub(crate) fn observe(&mut self) {
        for pid in provider_children(self.pid()) {
            self.providers.insert(pid);
        }
        for pid in &self.providers {
            if let Some(kb) = peak_rss_kb(*pid) {
                self.peak_provider_rss_kb = self.peak_provider_rss_kb.max(kb);
            }
        }
    }

    /// Polls (observing the providers) until `ready()` holds; panics after
    /// `limit` or when Terraform exits first.
    #[track_caller]
    pub(crate) fn wait_until(
        &mut self,
        what: &str,
        limit: Duration,
        mut ready: impl FnMut() -> bool,
    ) {
        let deadline = Instant::now() + limit;
        loop {
            self.observe();
            if ready() {
                return;
            }
            assert!(
                self.is_running(),
                "Terraform exited before {what}: {}",
                self.command
            );
            if Instant::now() >= deadline {
                self.kill_group();
                panic!("{what} did not happen within {limit:?}: {}", self.command);
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Sends `signal` (e.g. `"INT"`) to Terraform's whole process group, as a
    /// Ctrl-C in a terminal does.
    pub(crate) fn signal_group(&self, signal: &str) {
        send_signal(signal, &format!("-{}", self.pid()));
    }

    /// Sends `signal` to the Terraform process only.
    pub(crate) fn signal_terraform(&self, signal: &str) {
        send_signal(signal, &self.pid().to_string());
    }

    fn kill_group(&mut self) {
        send_signal("KILL", &format!("-{}", self.pid()));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for Terraform to exit, observing the providers meanwhile; after
    /// `limit` kills the whole group and sets `timed_out`.
    pub(crate) fn wait(&mut self, limit: Duration) -> TfOutput {
        let deadline = Instant::now() + limit;
        let (status, timed_out) = loop {
            self.observe();
            match self.child.try_wait() {
                Ok(Some(status)) => break (Some(status), false),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                Ok(None) => {
                    self.kill_group();
                    break (self.child.try_wait().ok().flatten(), true);
                }
                Err(e) => panic!("waiting for terraform: {e}"),
            }
        };
        let duration = self.started.elapsed();
        let join = |handle: Option<thread::JoinHandle<String>>| {
            handle
                .and_then(|handle| handle.join().ok())
                .unwrap_or_default()
        };
        TfOutput {
            command: self.command.clone(),
            workdir: self.workdir.clone(),
            code: status.and_then(|s| s.code()).unwrap_or(-1),
            stdout: join(self.stdout.take()),
            stderr: join(self.stderr.take()),
            duration,
            timed_out,
            log_file: Some(self.log.clone()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill_group();
        }
    }
}

fn send_signal(signal: &str, target: &str) {
    let status = Command::new("kill")
        .args(["-s", signal, "--", target])
        .stderr(Stdio::null())
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "kill -s {signal} -- {target} failed"
    );
}

/// Same rule as the harness: variables that must not leak from the test
/// process into Terraform.
fn is_leaky_var(key: &str) -> bool {
    const PREFIXES: [&str; 5] = ["TF_", "INFLUXDB3_", "PLUGIN_", "CHECKPOINT_", "XDG_"];
    PREFIXES.iter().any(|p| key.starts_with(p))
}

fn reader_thread(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// What `/proc/<pid>/stat` says about a process.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProcStat {
    pub(crate) pid: u32,
    pub(crate) ppid: u32,
    pub(crate) pgrp: u32,
    pub(crate) state: char,
}

impl ProcStat {
    /// Running or sleeping: neither a zombie nor dead.
    pub(crate) fn is_alive(&self) -> bool {
        !matches!(self.state, 'Z' | 'X' | 'x')
    }
}

/// `/proc/<pid>/stat`, if the process exists.
pub(crate) fn proc_stat(pid: u32) -> Option<ProcStat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces or parentheses.
    let rest = &text[text.rfind(')')? + 2..];
    let mut fields = rest.split(' ');
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some(ProcStat {
        pid,
        ppid,
        pgrp,
        state,
    })
}

/// Every process's stat.
pub(crate) fn all_processes() -> Vec<ProcStat> {
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(proc_stat)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `pid` runs the provider binary Cargo built.
pub(crate) fn is_provider(pid: u32) -> bool {
    let provider = std::fs::canonicalize(provider_binary()).unwrap_or_else(|_| provider_binary());
    std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == provider)
}

/// Live children of `ppid` that run the provider binary.
pub(crate) fn provider_children(ppid: u32) -> Vec<u32> {
    all_processes()
        .into_iter()
        .filter(|stat| stat.ppid == ppid && stat.is_alive() && is_provider(stat.pid))
        .map(|stat| stat.pid)
        .collect()
}

/// Live members of the process group `pgid`.
pub(crate) fn live_group_members(pgid: u32) -> Vec<ProcStat> {
    all_processes()
        .into_iter()
        .filter(|stat| stat.pgrp == pgid && stat.is_alive())
        .collect()
}

/// Whether `pid` still exists and is not a zombie.
pub(crate) fn is_alive(pid: u32) -> bool {
    proc_stat(pid).is_some_and(|stat| stat.is_alive())
}

/// The peak resident set size (`VmHWM`) of `pid`, in KiB.
pub(crate) fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Waits up to `limit` for every pid in `pids` to be gone; returns those
/// still alive.
pub(crate) fn wait_gone(pids: &BTreeSet<u32>, limit: Duration) -> Vec<u32> {
    let deadline = Instant::now() + limit;
    loop {
        let alive: Vec<u32> = pids.iter().copied().filter(|pid| is_alive(*pid)).collect();
        if alive.is_empty() || Instant::now() >= deadline {
            return alive;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// The path of a file in the module directory as HCL wants it.
pub(crate) fn hcl_path(path: &Path) -> String {
    path.to_str()
        .expect("UTF-8 path")
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}
