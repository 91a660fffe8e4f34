//! Acceptance: `terraform-provider-influxdb3 --debug` prints a
//! `TF_REATTACH_PROVIDERS` value with which real Terraform CLIs drive the
//! already running provider (no managed launch, no TLS). The test closes the
//! provider's stdout once it has the value, as a person piping it to `head`
//! would: the provider must keep serving.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::acceptance::{AccEnv, values};
use crate::support::terraform::{TerraformCli, provider_binary};

/// Kills the debug provider when the test ends, however it ends.
struct DebugProvider(Child);

impl Drop for DebugProvider {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the provider with `--debug` and returns it with the reattach JSON.
fn start_debug_provider() -> (DebugProvider, String) {
    let mut child = Command::new(provider_binary())
        .arg("--debug")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the provider with --debug");
    let stdout = child.stdout.take().expect("piped stdout");
    let provider = DebugProvider(child);
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
                let _ = sender.send(rest.trim_end_matches('\'').to_string());
                return;
            }
        }
    });
    let reattach = receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("--debug printed no TF_REATTACH_PROVIDERS line within 30 s");
    (provider, reattach)
}

#[test]
fn acc_debug_reattach_drives_a_running_provider() {
    for cli in TerraformCli::all() {
        let (_provider, reattach) = start_debug_provider();
        let mut env = AccEnv::bare(&cli);
        env.wd.env("TF_REATTACH_PROVIDERS", reattach.clone());
        env.write(&format!(
            "{}\nresource \"influxdb3_management_token\" \"debug\" {{\n  description = \"reattached\"\n}}\n",
            env.provider_block()
        ));
        let applied = env.wd.apply();
        applied.assert_success();
        assert!(
            applied.combined().contains("Creation complete"),
            "{cli}: apply through TF_REATTACH_PROVIDERS={reattach} did not create:\n{applied}"
        );
        let show = env.wd.state_json();
        let id = values(&show, "influxdb3_management_token.debug")["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            env.emulator
                .list_tokens()
                .iter()
                .any(|t| t.id.to_string() == id && t.revoked_at.is_none()),
            "{cli}: the API does not list the token {id} the reattached provider created"
        );
        assert_eq!(
            env.plan_detailed().code,
            0,
            "{cli}: plan after apply is not empty"
        );
        env.wd.destroy().assert_success();
        env.finish("acc_debug_reattach_drives_a_running_provider");
    }
}
