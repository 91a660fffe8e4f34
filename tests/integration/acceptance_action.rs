//! Acceptance: the `influxdb3_revoke_management_token` action (Terraform
//! 1.14+, so 1.15.5 only). `terraform apply -invoke=...` revokes a token
//! Terraform does not manage and shows progress; invoking it again succeeds
//! with a warning; an unknown id is an error on `token_id`.

use crate::support::acceptance::{AccEnv, assert_output_contains, invoke_action};
use crate::support::terraform::TerraformCli;

fn action_config(name: &str, token_id: &str) -> String {
    format!(
        "action \"influxdb3_revoke_management_token\" \"{name}\" {{\n  config {{\n    token_id = \"{token_id}\"\n  }}\n}}\n"
    )
}

fn invoke(env: &AccEnv, name: &str) -> crate::support::terraform::TfOutput {
    invoke_action(
        &env.wd,
        &format!("influxdb3_revoke_management_token.{name}"),
    )
}

#[test]
fn acc_action_revokes_an_unmanaged_token_then_notes_it_was_revoked() {
    let cli = TerraformCli::get("1.15.5");
    let env = AccEnv::with_env(&cli);
    let leaked = env.emulator.create("leaked in a CI log");
    let bystander = env.emulator.create("still needed");
    env.write(&action_config("leaked", &leaked.id.to_string()));

    let first = invoke(&env, "leaked");
    first.assert_success();
    assert_output_contains(
        &first,
        &[&format!("Revoking management token {}", leaked.id)],
    );
    assert!(
        env.api_token(leaked.id).revoked_at.is_some(),
        "the action did not revoke the token:\n{first}"
    );
    assert_eq!(env.api_token(bystander.id).revoked_at, None);

    let again = invoke(&env, "leaked");
    again.assert_success();
    assert_output_contains(
        &again,
        &["Management Token Already Revoked", "was already revoked"],
    );

    let unknown = uuid::Uuid::new_v4();
    env.write(&action_config("unknown", &unknown.to_string()));
    let missing = invoke(&env, "unknown");
    missing.assert_failure();
    assert_output_contains(
        &missing,
        &["Management Token Not Found", &unknown.to_string()],
    );

    env.write(&action_config("bad", "not-a-uuid"));
    let bad = invoke(&env, "bad");
    bad.assert_failure();
    assert_output_contains(&bad, &["Invalid Management Token ID"]);
    env.finish("acc_action_revokes_an_unmanaged_token_then_notes_it_was_revoked");
}
