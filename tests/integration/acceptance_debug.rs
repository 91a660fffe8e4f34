//! Acceptance: `terraform-provider-influxdb3 --debug` prints a
//! `TF_REATTACH_PROVIDERS` value with which real Terraform CLIs drive the
//! already running provider (no managed launch, no TLS). The test closes the
//! provider's stdout once it has the value, as a person piping it to `head`
//! would: the provider must keep serving.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use uuid::Uuid;

use crate::support::acceptance::{AccEnv, assert_output_contains, values};
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

/// One reattached provider process for all of a CLI's commands: the
/// emulator and workdir wired to it, and the token configuration written.
fn reattached_env(cli: &TerraformCli, reattach: &str, resource: &str) -> AccEnv {
    let mut env = AccEnv::bare(cli);
    env.wd.env("TF_REATTACH_PROVIDERS", reattach.to_owned());
    env.write(&format!(
        "{}\nresource \"influxdb3_management_token\" \"{resource}\" {{\n  description = \"{resource}\"\n}}\n",
        env.provider_block()
    ));
    env
}

/// The id of `influxdb3_management_token.<name>` in state.
fn state_id(env: &AccEnv, name: &str) -> Uuid {
    let show = env.wd.state_json();
    let id = values(&show, &format!("influxdb3_management_token.{name}"))["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Uuid::parse_str(&id).unwrap_or_else(|error| panic!("id {id:?} in state: {error}"))
}

/// One provider process serves two plans; a revoke made outside Terraform
/// between them is seen by the second (configuring the provider drops the
/// first command's list, well before its age limit).
#[test]
fn acc_debug_one_process_sees_a_revoke_between_commands() {
    for cli in TerraformCli::all() {
        let (_provider, reattach) = start_debug_provider();
        let env = reattached_env(&cli, &reattach, "revoked_outside");
        env.wd.apply().assert_success();
        let id = state_id(&env, "revoked_outside");
        assert_eq!(env.plan_detailed().code, 0, "{cli}: plan after apply");

        assert_eq!(env.emulator.revoke(id), 204, "{cli}: revoke {id}");
        let plan = env.plan_detailed();
        assert_eq!(
            plan.code, 2,
            "{cli}: the same provider process missed the revoke between two commands:\n{plan}"
        );
        assert_output_contains(&plan, &["1 to add"]);
        env.finish("acc_debug_one_process_sees_a_revoke_between_commands");
    }
}

/// One provider process plans (listing the tokens for the token check),
/// creates, then refreshes in the next command: the refresh sees the token
/// the process itself created.
#[test]
fn acc_debug_one_process_sees_its_own_create() {
    for cli in TerraformCli::all() {
        let (_provider, reattach) = start_debug_provider();
        let env = reattached_env(&cli, &reattach, "own_create");
        env.emulator.reset_stats();
        env.wd.apply().assert_success();
        assert!(
            env.emulator.stats()["by_operation"]["list_management_tokens"]
                .as_u64()
                .unwrap_or_default()
                >= 1,
            "{cli}: the apply listed nothing before it created: no stale list to test with"
        );
        let id = state_id(&env, "own_create");
        let plan = env.plan_detailed();
        assert_eq!(
            plan.code, 0,
            "{cli}: the refresh after the process's own create did not find token {id}:\n{plan}"
        );
        env.wd.destroy().assert_success();
        assert!(
            env.emulator
                .list_tokens()
                .iter()
                .all(|token| token.revoked_at.is_some()),
            "{cli}: destroy left a token active"
        );
        env.finish("acc_debug_one_process_sees_its_own_create");
    }
}
