//! Acceptance: the Terraform 1.10+ kinds of database tokens. Identity,
//! `terraform query` and the revoke action need Terraform 1.12 / 1.14, so they
//! run with 1.15.5 only, in one workdir; the ephemeral database token runs with
//! both CLIs and both flavours.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::acceptance::{
    AccEnv, assert_output_contains, invoke_action, string_attr, values,
};
use crate::support::terraform::{TerraformCli, TfOutput};

/// The stored identity of the root-module resource `influxdb3_database_token.NAME`.
#[track_caller]
fn stored_identity(env: &AccEnv, name: &str) -> Value {
    let text = std::fs::read_to_string(env.wd.path().join("terraform.tfstate")).unwrap();
    let state: Value = serde_json::from_str(&text).unwrap();
    let resource = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "influxdb3_database_token" && r["name"] == name)
        .unwrap_or_else(|| panic!("no influxdb3_database_token.{name} in {text}"));
    let instance = &resource["instances"][0];
    assert_eq!(instance["identity_schema_version"], 0, "{instance:#}");
    instance["identity"].clone()
}

fn outside_token(env: &AccEnv, description: &str) -> Uuid {
    let created = env.emulator.create_database_token(json!({
        "description": description,
        "permissions": [{"action": "read", "resource": "signals"}]
    }));
    Uuid::parse_str(created["id"].as_str().unwrap_or_default()).expect("a UUID")
}

fn revoked_at(env: &AccEnv, id: Uuid) -> Option<chrono::DateTime<chrono::Utc>> {
    env.emulator
        .list_database_tokens()
        .into_iter()
        .find(|token| token.id == id)
        .unwrap_or_else(|| panic!("database token {id} is not listed"))
        .revoked_at
}

const MADE: &str = "resource \"influxdb3_database_token\" \"made\" {\n  description = \"made\"\n  \
                    permissions = [{ action = \"write\", resource = \"signals\" }]\n}\n";

fn query_file(include_revoked: bool) -> String {
    format!(
        "list \"influxdb3_database_token\" \"all\" {{\n  provider         = influxdb3\n  \
         include_resource = true\n  config {{\n    include_revoked = {include_revoked}\n  }}\n}}\n"
    )
}

fn invoke(env: &AccEnv, token_id: &str) -> TfOutput {
    env.write(&format!(
        "{MADE}\naction \"influxdb3_revoke_database_token\" \"x\" {{\n  config {{\n    \
         token_id = \"{token_id}\"\n  }}\n}}\n"
    ));
    invoke_action(&env.wd, "influxdb3_revoke_database_token.x")
}

/// Identity from create, refresh and import; `terraform query`; the action.
#[test]
fn acc_database_token_identity_query_and_action() {
    let cli = TerraformCli::get("1.15.5");
    let env = AccEnv::for_cluster(&cli, false);
    let (account, cluster) = (
        env.emulator.account_id().to_string(),
        env.emulator.cluster_id().to_string(),
    );

    // Identity after create and after a refresh.
    env.write(MADE);
    env.wd.apply().assert_success();
    let show = env.wd.state_json();
    let made_id = string_attr(values(&show, "influxdb3_database_token.made"), "id").to_owned();
    let created = stored_identity(&env, "made");
    assert_eq!(created["id"], made_id.as_str(), "{created:#}");
    assert_eq!(created["account_id"], account.as_str(), "{created:#}");
    assert_eq!(created["cluster_id"], cluster.as_str(), "{created:#}");
    env.wd
        .run(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
        .assert_success();
    assert_eq!(stored_identity(&env, "made"), created);

    // terraform query: active tokens by identity and description.
    let listed = outside_token(&env, "made outside");
    let to_revoke = outside_token(&env, "leaked in a CI log");
    let revoked = outside_token(&env, "revoked before the query");
    assert_eq!(env.emulator.revoke_database_token(revoked), 204);
    env.wd.write_file("all.tfquery.hcl", &query_file(false));
    let query = env.wd.run(&["query"]);
    query.assert_success();
    assert_output_contains(
        &query,
        &[
            &listed.to_string(),
            "made outside",
            &to_revoke.to_string(),
            &made_id,
        ],
    );
    assert!(
        !query.combined().contains(&revoked.to_string()),
        "a revoked token was listed without include_revoked:\n{query}"
    );
    env.wd.write_file("all.tfquery.hcl", &query_file(true));
    let with_revoked = env.wd.run(&["query"]);
    with_revoked.assert_success();
    assert_output_contains(&with_revoked, &[&revoked.to_string()]);
    std::fs::remove_file(env.wd.path().join("all.tfquery.hcl")).unwrap();

    // Import by identity.
    env.write(&format!(
        "{MADE}\nimport {{\n  to       = influxdb3_database_token.outside\n  identity = {{\n    \
         id         = \"{listed}\"\n    cluster_id = \"{cluster}\"\n  }}\n}}\n\
         resource \"influxdb3_database_token\" \"outside\" {{\n  description = \"made outside\"\n  \
         permissions = [{{ action = \"read\", resource = \"signals\" }}]\n}}\n"
    ));
    let import = env.wd.apply();
    import.assert_success();
    assert_output_contains(&import, &["1 imported, 0 added, 0 changed, 0 destroyed"]);
    let imported = stored_identity(&env, "outside");
    assert_eq!(imported["id"], listed.to_string().as_str());
    assert_eq!(imported["cluster_id"], cluster.as_str());
    assert_eq!(env.wd.plan_detailed_exitcode(), 0, "plan after import");
    env.wd
        .run(&["state", "rm", "influxdb3_database_token.outside"])
        .assert_success();

    // The action: revoke, note when already revoked, error when unknown.
    let first = invoke(&env, &to_revoke.to_string());
    first.assert_success();
    assert_output_contains(&first, &[&format!("Revoking database token {to_revoke}")]);
    assert!(
        revoked_at(&env, to_revoke).is_some(),
        "not revoked:\n{first}"
    );
    assert_eq!(revoked_at(&env, listed), None, "a bystander was revoked");
    let again = invoke(&env, &to_revoke.to_string());
    again.assert_success();
    assert_output_contains(
        &again,
        &["Database Token Already Revoked", "was already revoked"],
    );
    let unknown = Uuid::new_v4();
    let missing = invoke(&env, &unknown.to_string());
    missing.assert_failure();
    assert_output_contains(
        &missing,
        &["Database Token Not Found", &unknown.to_string()],
    );
    env.finish("acc_database_token_identity_query_and_action");
}

/// The ephemeral database token: minted for the run, revoked when the run is
/// done, in neither the state nor the output.
#[test]
fn acc_database_token_ephemeral() {
    const DESCRIPTION: &str = "one run of terraform";
    for cli in TerraformCli::all() {
        for clustered in [false, true] {
            let env = AccEnv::for_cluster(&cli, clustered);
            env.write(&format!(
                "ephemeral \"influxdb3_database_token\" \"run\" {{\n  description = \
                 \"{DESCRIPTION}\"\n  expires_in  = \"15m\"\n  permissions = [{{ action = \
                 \"read\", resource = \"*\" }}]\n}}\n\nlocals {{\n  run_token = \
                 ephemeral.influxdb3_database_token.run.access_token\n}}\n\n{MADE}"
            ));
            let apply = env.wd.apply();
            apply.assert_success();
            let minted: Vec<_> = env
                .emulator
                .list_database_tokens()
                .into_iter()
                .filter(|token| token.description == DESCRIPTION)
                .collect();
            assert!(
                !minted.is_empty(),
                "{cli}: no ephemeral database token was minted:\n{apply}"
            );
            for token in &minted {
                assert!(
                    token.revoked_at.is_some(),
                    "{cli}: ephemeral token {} is still active",
                    token.id
                );
                assert!(token.expires_at.is_some(), "{cli}: no expiry");
                let id = token.id.to_string();
                let state =
                    std::fs::read_to_string(env.wd.path().join("terraform.tfstate")).unwrap();
                assert!(!state.contains(&id), "{cli}: the state names {id}");
            }
            env.finish("acc_database_token_ephemeral");
        }
    }
}
