//! Shared pieces of the `influxdb3_management_token` acceptance tests: one
//! emulator process and one Terraform workdir per CLI, configuration text,
//! and look-ups in `terraform show -json` and in the API (through the
//! emulator).

use std::time::Instant;

use chrono::{DateTime, Utc};
use influxdb3_provider::api::ManagementToken;
use serde_json::Value;
use uuid::Uuid;

use super::emulator::EmulatorProcess;
use super::terraform::{TerraformCli, TestWorkdir, TfOutput, required_providers_block};

/// One CLI's world: its own emulator (on `127.0.0.1:0`) and its own workdir.
#[derive(Debug)]
pub(crate) struct AccEnv {
    // The workdir goes first so that it is dropped (and kept, on failure,
    // when asked) before the emulator is killed.
    pub(crate) wd: TestWorkdir,
    pub(crate) emulator: EmulatorProcess,
    started: Instant,
}

impl AccEnv {
    /// An emulator and a workdir whose Terraform (and so provider) environment
    /// carries `INFLUXDB3_URL`, `INFLUXDB3_ACCOUNT_ID` and `INFLUXDB3_TOKEN`.
    pub(crate) fn with_env(cli: &TerraformCli) -> Self {
        let mut env = Self::bare(cli);
        let (url, account, token) = (
            env.emulator.url().to_owned(),
            env.emulator.account_id().to_string(),
            env.emulator.token(),
        );
        env.wd
            .env("INFLUXDB3_URL", url)
            .env("INFLUXDB3_ACCOUNT_ID", account)
            .env("INFLUXDB3_TOKEN", token);
        env
    }

    /// An emulator in the Cloud Dedicated form (`clustered` false: the
    /// workdir's environment carries `INFLUXDB3_URL`, `INFLUXDB3_ACCOUNT_ID`,
    /// `INFLUXDB3_CLUSTER_ID` and `INFLUXDB3_TOKEN`) or the Clustered form
    /// (`--clustered`: `INFLUXDB3_URL` and `INFLUXDB3_TOKEN` only), for the
    /// cluster's databases, tables and database tokens.
    pub(crate) fn for_cluster(cli: &TerraformCli, clustered: bool) -> Self {
        let started = Instant::now();
        let emulator = if clustered {
            EmulatorProcess::start_with(&["--clustered"])
        } else {
            EmulatorProcess::start()
        };
        let mut wd = TestWorkdir::new(cli);
        wd.env("INFLUXDB3_URL", emulator.url())
            .env("INFLUXDB3_TOKEN", emulator.token());
        if !clustered {
            wd.env("INFLUXDB3_ACCOUNT_ID", emulator.account_id().to_string())
                .env("INFLUXDB3_CLUSTER_ID", emulator.cluster_id().to_string());
        }
        AccEnv {
            wd,
            emulator,
            started,
        }
    }

    /// An emulator and a workdir without provider settings in the
    /// environment: the configuration must carry them (see
    /// [`AccEnv::provider_block`]).
    pub(crate) fn bare(cli: &TerraformCli) -> Self {
        let started = Instant::now();
        let emulator = EmulatorProcess::start();
        let wd = TestWorkdir::new(cli);
        AccEnv {
            wd,
            emulator,
            started,
        }
    }

    /// `provider "influxdb3" { url, account_id, token }` for this emulator.
    pub(crate) fn provider_block(&self) -> String {
        format!(
            "provider \"influxdb3\" {{\n  url        = \"{}\"\n  account_id = \"{}\"\n  token      = \"{}\"\n}}\n",
            self.emulator.url(),
            self.emulator.account_id(),
            self.emulator.token()
        )
    }

    /// Writes `main.tf`: the `required_providers` block followed by `body`.
    pub(crate) fn write(&self, body: &str) {
        self.wd
            .write_config(&format!("{}\n{body}", required_providers_block()));
    }

    /// The API's view of one token (revoked ones included); panics when the
    /// API does not list it.
    #[track_caller]
    pub(crate) fn api_token(&self, id: Uuid) -> ManagementToken {
        let tokens = self.emulator.list_tokens();
        tokens
            .iter()
            .find(|token| token.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("the API does not list token {id}; it lists {tokens:?}"))
    }

    /// `terraform plan -detailed-exitcode` with its output (the harness's
    /// `plan_detailed_exitcode` only returns the code).
    pub(crate) fn plan_detailed(&self) -> TfOutput {
        self.wd
            .run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"])
    }

    /// `terraform plan -refresh-only -detailed-exitcode`, asserting that it reports
    /// `address` as deleted outside Terraform (exit code 2).
    #[track_caller]
    pub(crate) fn assert_refresh_reports_deleted(&self, address: &str) {
        let refresh = self.wd.run(&[
            "plan",
            "-input=false",
            "-refresh-only",
            "-detailed-exitcode",
        ]);
        let cli = self.wd.cli();
        assert_eq!(
            refresh.code, 2,
            "{cli}: expected drift (exit code 2):\n{refresh}"
        );
        assert_output_contains(
            &refresh,
            &[
                "Objects have changed outside of Terraform",
                &format!("{address} has been deleted"),
            ],
        );
    }

    /// Prints how long this CLI's scenario took (shown with `--nocapture`).
    pub(crate) fn finish(self, test: &str) {
        eprintln!(
            "{test}: Terraform {} scenario took {:.1?}",
            self.wd.cli().version,
            self.started.elapsed()
        );
    }
}

/// The `values` of the resource or data source at `address` in
/// `terraform show -json` output (root module only); panics when absent.
#[track_caller]
pub(crate) fn values<'a>(show: &'a Value, address: &str) -> &'a Value {
    resource(show, address)
        .map(|resource| &resource["values"])
        .unwrap_or_else(|| panic!("no {address} in state:\n{show:#}"))
}

/// The entry of `address` in `terraform show -json` output, if any.
pub(crate) fn resource<'a>(show: &'a Value, address: &str) -> Option<&'a Value> {
    show["values"]["root_module"]["resources"]
        .as_array()?
        .iter()
        .find(|resource| resource["address"] == address)
}

/// Addresses of every resource and data source in `terraform show -json`.
pub(crate) fn addresses(show: &Value) -> Vec<String> {
    show["values"]["root_module"]["resources"]
        .as_array()
        .map(|resources| {
            resources
                .iter()
                .filter_map(|resource| resource["address"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A string attribute of `values`; panics with the values when it is not a
/// string (null or unknown included).
#[track_caller]
pub(crate) fn string_attr<'a>(values: &'a Value, name: &str) -> &'a str {
    values[name]
        .as_str()
        .unwrap_or_else(|| panic!("attribute {name} is not a string in {values:#}"))
}

/// A UUID attribute of `values`.
#[track_caller]
pub(crate) fn uuid_attr(values: &Value, name: &str) -> Uuid {
    let text = string_attr(values, name);
    Uuid::parse_str(text)
        .unwrap_or_else(|e| panic!("attribute {name} = {text:?} is not a UUID: {e}"))
}

/// An RFC 3339 attribute of `values`.
#[track_caller]
pub(crate) fn time_attr(values: &Value, name: &str) -> DateTime<Utc> {
    let text = string_attr(values, name);
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("attribute {name} = {text:?} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

/// Panics, with the whole output, unless every one of `needles` is in stdout
/// or stderr. Runs of whitespace compare equal to one space, since Terraform
/// wraps diagnostic text at 78 columns.
#[track_caller]
pub(crate) fn assert_output_contains(out: &TfOutput, needles: &[&str]) {
    let combined = squash_whitespace(&out.combined());
    for needle in needles {
        assert!(
            combined.contains(&squash_whitespace(needle)),
            "expected {needle:?} in the output of the command:\n{out}"
        );
    }
}

fn squash_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Panics (without printing the secret) when `secret` occurs in `text`.
#[track_caller]
pub(crate) fn assert_secret_absent(secret: &str, what: &str, text: &str, out: &TfOutput) {
    assert!(!secret.is_empty(), "empty secret: nothing to look for");
    if let Some(at) = text.find(secret) {
        let line = text[..at].lines().count();
        panic!(
            "a secret ({what}, {} characters) appears in the output at line {line} of {}",
            secret.len(),
            out.command
        );
    }
}

/// `terraform apply -invoke=action.ADDRESS`, auto-approved (Terraform 1.14+).
pub(crate) fn invoke_action(wd: &TestWorkdir, address: &str) -> TfOutput {
    wd.run(&[
        "apply",
        "-input=false",
        "-auto-approve",
        &format!("-invoke=action.{address}"),
    ])
}

/// `terraform query -generate-config-out=generated.tf` (Terraform 1.14+),
/// which must succeed; then keeps in `generated.tf` only the blocks that
/// mention `marker` (those of the objects to import). Returns what Terraform
/// generated, every block.
#[track_caller]
pub(crate) fn generate_config_keeping(wd: &TestWorkdir, marker: &str) -> String {
    let out = wd.run(&["query", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = std::fs::read_to_string(wd.path().join("generated.tf"))
        .unwrap_or_else(|error| panic!("generated.tf: {error}\n{out}"));
    let kept: Vec<&str> = generated
        .split("\n\n")
        .filter(|block| block.contains(marker))
        .collect();
    wd.write_file("generated.tf", &kept.join("\n\n"));
    generated
}
