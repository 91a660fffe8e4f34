//! Acceptance: the provider token is checked by `terraform plan`, once per
//! command and with the list request a refresh makes anyway; a token that
//! expired before it is imported is refused. Both Terraform CLIs, against the
//! emulator.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::support::acceptance::{AccEnv, assert_output_contains, assert_secret_absent};
use crate::support::terraform::{TerraformCli, TfOutput};

const WRONG: &str = "M.V1.this-is-not-the-right-token";

fn token_resource(name: &str) -> String {
    format!(
        "resource \"influxdb3_management_token\" \"{name}\" {{\n  description = \"{name}\"\n}}\n"
    )
}

/// API requests the emulator has counted since its last reset.
fn requests(env: &AccEnv) -> u64 {
    env.emulator.stats()["requests_total"]
        .as_u64()
        .unwrap_or_default()
}

/// The plan failed with the 401 diagnostic of a refused provider token, and
/// does not show `secret`.
#[track_caller]
fn assert_refused(plan: &TfOutput, secret: &str) {
    plan.assert_failure();
    assert_output_contains(
        plan,
        &[
            "Error: Error Creating Management Token",
            "HTTP 401",
            "The management token was refused: check the provider's `token` (or INFLUXDB3_TOKEN); it may be revoked or expired.",
        ],
    );
    assert_secret_absent(secret, "provider token", &plan.combined(), plan);
}

/// A plan that only creates used to pass with a wrong or revoked provider
/// token (only the apply failed): now the plan fails with the 401
/// diagnostic, and nothing is created.
#[test]
fn acc_plan_fails_on_a_wrong_or_revoked_provider_token() {
    for cli in TerraformCli::all() {
        let mut env = AccEnv::with_env(&cli);
        env.write(&token_resource("only_created"));

        env.wd.env("INFLUXDB3_TOKEN", WRONG);
        assert_refused(&env.wd.plan(), WRONG);

        let minted = env
            .emulator
            .create_json(json!({ "description": "revoked before the plan" }));
        let secret = minted["accessToken"]
            .as_str()
            .expect("the create response has an accessToken")
            .to_owned();
        let id = Uuid::parse_str(minted["id"].as_str().unwrap_or_default()).expect("token id");
        assert_eq!(env.emulator.revoke(id), 204, "{cli}: revoke");
        env.wd.env("INFLUXDB3_TOKEN", secret.clone());
        assert_refused(&env.wd.plan(), &secret);
        // -refresh=false makes no refresh: the plan's own check still runs.
        assert_refused(
            &env.wd.run(&["plan", "-input=false", "-refresh=false"]),
            &secret,
        );

        let creates = env.emulator.stats()["by_operation"]["create_management_token"]
            .as_u64()
            .unwrap_or_default();
        assert_eq!(creates, 1, "{cli}: only the test's own token was created");
        env.finish("acc_plan_fails_on_a_wrong_or_revoked_provider_token");
    }
}

/// The check reuses the refresh's list request: a plan that refreshes one
/// token and creates another costs one request, as a plan without the
/// create does. A plan that refreshes nothing costs that one request too,
/// and an apply one list per provider process (plan step, apply step).
#[test]
fn acc_plan_checks_the_token_without_extra_requests() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(&token_resource("existing"));
        env.wd.apply().assert_success();

        env.emulator.reset_stats();
        assert_eq!(env.plan_detailed().code, 0, "{cli}: plan after apply");
        assert_eq!(requests(&env), 1, "{cli}: a plan that only refreshes");

        env.write(&format!(
            "{}{}",
            token_resource("existing"),
            token_resource("created")
        ));
        env.emulator.reset_stats();
        let plan = env.plan_detailed();
        assert_eq!(plan.code, 2, "{cli}: plan with a create:\n{plan}");
        assert_eq!(
            requests(&env),
            1,
            "{cli}: a plan that refreshes and creates made more than the one list request:\n{}",
            env.emulator.stats()
        );
        assert_eq!(
            env.emulator.stats()["by_operation"]["list_management_tokens"],
            1
        );

        env.emulator.reset_stats();
        let plan = env.wd.run(&[
            "plan",
            "-input=false",
            "-refresh=false",
            "-detailed-exitcode",
        ]);
        assert_eq!(plan.code, 2, "{cli}: plan -refresh=false:\n{plan}");
        assert_eq!(
            requests(&env),
            1,
            "{cli}: the check of a plan without refresh"
        );

        // An apply: the plan step lists once (refresh and check), the apply
        // step (its own provider process) checks once before its creates,
        // however many there are.
        env.write(&format!(
            "{}{}{}{}",
            token_resource("existing"),
            token_resource("created"),
            token_resource("created_too"),
            token_resource("created_three")
        ));
        env.emulator.reset_stats();
        env.wd.apply().assert_success();
        let stats = env.emulator.stats();
        assert_eq!(
            stats["by_operation"]["create_management_token"], 3,
            "{cli}: {stats}"
        );
        assert_eq!(
            stats["by_operation"]["list_management_tokens"], 2,
            "{cli}: {stats}"
        );
        env.finish("acc_plan_checks_the_token_without_extra_requests");
    }
}

/// A provider configuration that is not known at plan time (its token comes
/// from a resource not created yet) cannot be checked: the plan passes and
/// calls no API.
#[test]
fn acc_plan_with_unknown_provider_config_passes() {
    for cli in TerraformCli::all() {
        let env = AccEnv::bare(&cli);
        env.write(&format!(
            "resource \"terraform_data\" \"token\" {{\n  input = \"{token}\"\n}}\n\
             provider \"influxdb3\" {{\n  url        = \"{url}\"\n  account_id = \"{account}\"\n  token      = terraform_data.token.output\n}}\n{resource}",
            token = env.emulator.token(),
            url = env.emulator.url(),
            account = env.emulator.account_id(),
            resource = token_resource("later"),
        ));
        let plan = env.plan_detailed();
        assert_eq!(
            plan.code, 2,
            "{cli}: plan with unknown provider token:\n{plan}"
        );
        assert_output_contains(&plan, &["2 to add"]);
        assert_eq!(requests(&env), 0, "{cli}: the API was called");
        env.finish("acc_plan_with_unknown_provider_config_passes");
    }
}

/// A token that expired before the import is refused with its own
/// diagnostic, and nothing lands in state.
#[test]
fn acc_import_of_an_expired_token_is_refused() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        let expires_at = Utc::now() + chrono::Duration::seconds(2);
        let minted = env.emulator.create_json(json!({
            "description": "expires soon",
            "expiresAt": expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        }));
        let id = minted["id"].as_str().expect("token id").to_owned();
        env.write(&token_resource("expired"));
        // expiresAt is rounded down to the second by the formatting above.
        while Utc::now() <= expires_at {
            std::thread::sleep(Duration::from_millis(200));
        }
        let import = env.wd.import("influxdb3_management_token.expired", &id);
        import.assert_failure();
        assert_output_contains(
            &import,
            &[
                "Error: Cannot Import Expired Management Token",
                &format!("Management token {id} has expired"),
            ],
        );
        let state = env.wd.run(&["state", "list"]);
        assert!(
            !state.stdout.contains("influxdb3_management_token.expired"),
            "{cli}: the expired token is in state:\n{state}"
        );
        env.finish("acc_import_of_an_expired_token_is_refused");
    }
}
