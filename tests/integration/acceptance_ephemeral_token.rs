//! Acceptance: the ephemeral `influxdb3_management_token` (Terraform 1.10+),
//! with both CLIs. A long-lived bootstrap token configures the default
//! provider; an ephemeral token minted from it configures an aliased provider
//! that creates a resource. Afterwards every ephemeral token is revoked, the
//! resource exists (created by the apply's ephemeral token), and neither the
//! saved plan nor the state holds anything of an ephemeral token.

use std::path::Path;
use std::process::Command;

use influxdb3_provider::api::ManagementToken;

use crate::support::acceptance::{AccEnv, assert_output_contains, uuid_attr, values};
use crate::support::terraform::TerraformCli;

const EPHEMERAL_DESCRIPTION: &str = "one run of terraform";

fn config(env: &AccEnv) -> String {
    let url = env.emulator.url();
    let account = env.emulator.account_id();
    format!(
        r#"{bootstrap}
ephemeral "influxdb3_management_token" "run" {{
  description = "{EPHEMERAL_DESCRIPTION}"
  expires_in  = "30m"
}}

provider "influxdb3" {{
  alias      = "run"
  url        = "{url}"
  account_id = "{account}"
  token      = ephemeral.influxdb3_management_token.run.access_token
}}

resource "influxdb3_management_token" "made" {{
  provider    = influxdb3.run
  description = "made with the run's token"
}}
"#,
        bootstrap = env.provider_block()
    )
}

/// Every entry of the zip file at `path` (a saved plan), decompressed and
/// concatenated, plus the raw bytes; Python's zipfile does the unzipping.
fn plan_file_contents(path: &Path) -> Vec<u8> {
    let script = "import sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  sys.stdout.buffer.write(b''.join(z.read(n) for n in z.namelist()))";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 is needed to unzip the saved plan");
    assert!(
        output.status.success(),
        "unzipping {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut contents = std::fs::read(path).unwrap();
    contents.extend(output.stdout);
    assert!(
        contents.windows(9).any(|w| w == b"made with"),
        "the saved plan does not look unzipped"
    );
    contents
}

fn ephemeral_tokens(env: &AccEnv) -> Vec<ManagementToken> {
    env.emulator
        .list_tokens()
        .into_iter()
        .filter(|token| token.description == EPHEMERAL_DESCRIPTION)
        .collect()
}

/// Panics when `haystack` holds the secret's prefix (the start of the
/// secret) of any of `tokens`, or, with `ids`, one of their ids.
#[track_caller]
fn assert_no_trace(tokens: &[ManagementToken], haystack: &[u8], what: &str, ids: bool) {
    let text = String::from_utf8_lossy(haystack);
    for token in tokens {
        assert!(
            !ids || !text.contains(&token.id.to_string()),
            "{what} holds the id of ephemeral token {}",
            token.id
        );
        assert!(
            !text.contains(&token.token_prefix),
            "{what} holds the secret prefix of ephemeral token {}",
            token.id
        );
    }
}

#[test]
fn acc_ephemeral_token_configures_an_aliased_provider_and_is_revoked() {
    for cli in TerraformCli::all() {
        let env = AccEnv::bare(&cli);
        env.write(&config(&env));

        let plan = env
            .wd
            .run(&["plan", "-input=false", "-no-color", "-out=run.tfplan"]);
        plan.assert_success();
        let during_plan = ephemeral_tokens(&env);
        assert_eq!(
            during_plan.len(),
            1,
            "{cli}: plan opens it once: {during_plan:?}"
        );
        assert!(
            during_plan.iter().all(|t| t.revoked_at.is_some()),
            "{cli}: the plan's ephemeral token was not revoked: {during_plan:?}"
        );
        let saved_plan = plan_file_contents(&env.wd.path().join("run.tfplan"));
        assert_no_trace(&during_plan, &saved_plan, "the saved plan", true);

        let apply = env
            .wd
            .run(&["apply", "-input=false", "-no-color", "run.tfplan"]);
        apply.assert_success();
        assert_output_contains(&apply, &["1 added, 0 changed, 0 destroyed"]);
        let all = ephemeral_tokens(&env);
        assert_eq!(all.len(), 2, "{cli}: plan and apply open one each: {all:?}");
        assert!(
            all.iter().all(|t| t.revoked_at.is_some()),
            "{cli}: an ephemeral token is still active: {all:?}"
        );
        assert!(
            all.iter().all(|t| t.expires_at.is_some()),
            "{cli}: an ephemeral token has no expiry: {all:?}"
        );

        let show = env.wd.state_json();
        let made = env.api_token(uuid_attr(
            values(&show, "influxdb3_management_token.made"),
            "id",
        ));
        assert_eq!(made.revoked_at, None, "{cli}: {made:?}");
        let apply_token = all
            .iter()
            .find(|t| !during_plan.iter().any(|p| p.id == t.id))
            .unwrap();
        assert_eq!(
            made.created_by, apply_token.id,
            "{cli}: the resource was not created with the apply's ephemeral token"
        );
        // The state holds the apply token's id as the resource's `created_by`
        // (public), but no secret of any ephemeral token.
        let state_file = std::fs::read(env.wd.path().join("terraform.tfstate")).unwrap();
        assert_no_trace(&all, &state_file, "the state file", false);
        assert_no_trace(&all, apply.combined().as_bytes(), "the apply output", false);
        env.finish("acc_ephemeral_token_configures_an_aliased_provider_and_is_revoked");
    }
}

/// The provider that opens the ephemeral token is configured with a token
/// created in the same run: during the plan its configuration is unknown,
/// so nothing is minted (the result is unknown); the apply mints, uses and
/// revokes it.
#[test]
fn acc_ephemeral_token_waits_for_an_unknown_provider_configuration() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        let url = env.emulator.url().to_owned();
        let account = env.emulator.account_id();
        env.write(&format!(
            r#"resource "influxdb3_management_token" "bootstrap" {{
  description = "bootstrap made by this run"
}}

provider "influxdb3" {{
  alias      = "bootstrap"
  url        = "{url}"
  account_id = "{account}"
  token      = influxdb3_management_token.bootstrap.access_token
}}

ephemeral "influxdb3_management_token" "run" {{
  provider    = influxdb3.bootstrap
  description = "{EPHEMERAL_DESCRIPTION}"
}}

provider "influxdb3" {{
  alias      = "run"
  url        = "{url}"
  account_id = "{account}"
  token      = ephemeral.influxdb3_management_token.run.access_token
}}

resource "influxdb3_management_token" "made" {{
  provider    = influxdb3.run
  description = "made with the run's token"
}}
"#
        ));
        env.wd.plan().assert_success();
        assert!(
            ephemeral_tokens(&env).is_empty(),
            "{cli}: the plan minted with an unknown provider configuration"
        );
        env.wd.apply().assert_success();
        let minted = ephemeral_tokens(&env);
        assert!(
            !minted.is_empty(),
            "{cli}: the apply minted no ephemeral token"
        );
        assert!(
            minted.iter().all(|t| t.revoked_at.is_some()),
            "{cli}: an ephemeral token is still active: {minted:?}"
        );
        env.finish("acc_ephemeral_token_waits_for_an_unknown_provider_configuration");
    }
}

/// Bad arguments are reported on the attribute, before anything is minted.
#[test]
fn acc_ephemeral_token_rejects_bad_arguments() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(
            "ephemeral \"influxdb3_management_token\" \"run\" {\n  description = \"  \"\n  expires_in  = \"1 day\"\n}\n",
        );
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Invalid Description",
                "Invalid Lifetime",
                "\"1 day\" is not a duration",
            ],
        );
        assert!(ephemeral_tokens(&env).is_empty() && env.emulator.list_tokens().is_empty());
        env.finish("acc_ephemeral_token_rejects_bad_arguments");
    }
}
