//! Acceptance: `influxdb3_management_token` and its data sources, end to end.
//!
//! Real Terraform CLIs (1.11.4 and 1.15.5) drive the provider binary Cargo
//! built, against the emulator binary. Every test runs its scenario once per
//! CLI, each with its own workdir and its own emulator on `127.0.0.1:0`. The
//! tests check what a user sees (exit codes, plan text, state) and the API's
//! view of the tokens through the emulator. Bad inputs are in
//! `acceptance_management_token_errors`.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::support::acceptance::{
    AccEnv, addresses, assert_output_contains, assert_secret_absent, resource, string_attr,
    time_attr, uuid_attr, values,
};
use crate::support::terraform::TerraformCli;

const TOKEN: &str = "influxdb3_management_token.t";

fn token_config(description: &str, lifecycle: &str) -> String {
    format!(
        "resource \"influxdb3_management_token\" \"t\" {{\n  description = \"{description}\"\n{lifecycle}}}\n"
    )
}

/// Case 1: create, then an empty plan; every computed attribute is known,
/// the secret is in state only, and the API lists the token as active.
#[test]
fn acc_management_token_create_then_empty_plan() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(&token_config("ci pipeline", ""));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["1 added, 0 changed, 0 destroyed"]);
        assert_eq!(
            env.wd.plan_detailed_exitcode(),
            0,
            "{cli}: plan after apply is not empty"
        );

        let show = env.wd.state_json();
        let state = values(&show, TOKEN);
        let id = uuid_attr(state, "id");
        let secret = string_attr(state, "access_token");
        let prefix = string_attr(state, "token_prefix");
        assert_eq!(string_attr(state, "description"), "ci pipeline");
        assert!(state["expires_at"].is_null(), "{cli}: {state:#}");
        assert!(
            !prefix.is_empty() && secret.len() > prefix.len(),
            "{cli}: {state:#}"
        );
        assert!(
            secret.starts_with(prefix),
            "{cli}: token_prefix is not the start of the secret"
        );
        uuid_attr(state, "created_by");
        let created_at = time_attr(state, "created_at");
        assert_eq!(
            resource(&show, TOKEN).unwrap()["sensitive_values"]["access_token"],
            true,
            "{cli}: access_token is not marked sensitive"
        );
        // The secret is in state, and nowhere a user would look.
        assert_secret_absent(secret, "access_token", &apply.stdout, &apply);
        assert_secret_absent(secret, "access_token", &apply.stderr, &apply);
        assert_output_contains(&apply, &["access_token = (sensitive value)"]);

        let api = env.api_token(id);
        assert_eq!(api.revoked_at, None, "{cli}: {api:?}");
        assert_eq!(api.description, "ci pipeline");
        assert_eq!(api.token_prefix, prefix);
        assert_eq!(api.created_at, created_at);
        env.finish("acc_management_token_create_then_empty_plan");
    }
}

/// Case 2: a token revoked outside Terraform shows up as deleted, is created
/// again by apply (a new id), and the plan is then empty.
#[test]
fn acc_management_token_drift_revoked_out_of_band() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(&token_config("drift", ""));
        env.wd.apply().assert_success();
        let old = uuid_attr(values(&env.wd.state_json(), TOKEN), "id");
        assert_eq!(env.emulator.revoke(old), 204, "{cli}: out-of-band revoke");

        // Terraform prints the "has been deleted" note only in a refresh-only
        // plan; a normal plan goes straight to the create.
        let refresh = env.wd.run(&[
            "plan",
            "-input=false",
            "-refresh-only",
            "-detailed-exitcode",
        ]);
        assert_eq!(
            refresh.code, 2,
            "{cli}: expected drift (exit code 2):\n{refresh}"
        );
        assert_output_contains(
            &refresh,
            &[
                "Objects have changed outside of Terraform",
                "influxdb3_management_token.t has been deleted",
            ],
        );
        let plan = env.plan_detailed();
        assert_eq!(
            plan.code, 2,
            "{cli}: expected changes (exit code 2):\n{plan}"
        );
        assert_output_contains(
            &plan,
            &[
                "influxdb3_management_token.t will be created",
                "Plan: 1 to add, 0 to change, 0 to destroy.",
            ],
        );

        env.wd.apply().assert_success();
        let new = uuid_attr(values(&env.wd.state_json(), TOKEN), "id");
        assert_ne!(new, old, "{cli}: apply did not mint a new token");
        assert_eq!(env.api_token(new).revoked_at, None);
        assert!(env.api_token(old).revoked_at.is_some());
        assert_eq!(
            env.wd.plan_detailed_exitcode(),
            0,
            "{cli}: plan after restore is not empty"
        );
        env.finish("acc_management_token_drift_revoked_out_of_band");
    }
}

/// Case 3: changing the description replaces the token (destroy, then
/// create); with `create_before_destroy` the new token is minted before the
/// old one is revoked.
#[test]
fn acc_management_token_description_change_replaces() {
    const CBD: &str = "  lifecycle {\n    create_before_destroy = true\n  }\n";
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(&token_config("one", ""));
        env.wd.apply().assert_success();
        let first = uuid_attr(values(&env.wd.state_json(), TOKEN), "id");

        // Default order: destroy, then create.
        env.write(&token_config("two", ""));
        let plan = env.plan_detailed();
        assert_eq!(plan.code, 2, "{cli}:\n{plan}");
        assert_output_contains(
            &plan,
            &[
                "influxdb3_management_token.t must be replaced",
                "-/+ destroy and then create replacement",
                "# forces replacement",
                "Plan: 1 to add, 0 to change, 1 to destroy.",
            ],
        );
        let apply = env.wd.apply();
        apply.assert_success();
        assert_before(&apply.stdout, "Destroying...", "Creating...", &apply);
        let second = uuid_attr(values(&env.wd.state_json(), TOKEN), "id");
        assert_ne!(second, first);
        assert!(
            env.api_token(first).revoked_at.is_some(),
            "{cli}: old token still active"
        );
        let second_api = env.api_token(second);
        assert_eq!(second_api.revoked_at, None);
        assert_eq!(second_api.description, "two");

        // create_before_destroy: create, then destroy (the deposed object).
        env.write(&token_config("three", CBD));
        let plan = env.plan_detailed();
        assert_eq!(plan.code, 2, "{cli}:\n{plan}");
        assert_output_contains(
            &plan,
            &[
                "+/- create replacement and then destroy",
                "# forces replacement",
            ],
        );
        let apply = env.wd.apply();
        apply.assert_success();
        assert_before(&apply.stdout, "Creating...", "Destroying...", &apply);
        let third = uuid_attr(values(&env.wd.state_json(), TOKEN), "id");
        let (old, new) = (env.api_token(second), env.api_token(third));
        let revoked_at = old
            .revoked_at
            .expect("old token revoked after the replacement");
        assert_eq!(new.revoked_at, None);
        assert!(
            new.created_at <= revoked_at,
            "{cli}: new token created at {} after the old one was revoked at {revoked_at}",
            new.created_at
        );
        assert_eq!(
            env.wd.plan_detailed_exitcode(),
            0,
            "{cli}: plan after replacement not empty"
        );
        env.finish("acc_management_token_description_change_replaces");
    }
}

#[track_caller]
fn assert_before(text: &str, first: &str, then: &str, out: &crate::support::terraform::TfOutput) {
    let (Some(a), Some(b)) = (text.find(first), text.find(then)) else {
        panic!("expected both {first:?} and {then:?} in the output:\n{out}");
    };
    assert!(a < b, "expected {first:?} before {then:?}:\n{out}");
}

/// Case 4: import a token created through the API, with `terraform import`
/// and with an `import` block; the plan is then empty (the secret stays
/// null: the API never shows it again). Importing a revoked or an unknown id
/// fails with a clear message.
#[test]
fn acc_management_token_import() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        let by_cli = env.emulator.create("imported by cli");
        let by_block = env.emulator.create("imported by block");
        let resources = "resource \"influxdb3_management_token\" \"x\" {\n  description = \"imported by cli\"\n}\n\
             resource \"influxdb3_management_token\" \"y\" {\n  description = \"imported by block\"\n}\n";

        // terraform import (only x in the configuration at first).
        env.write(
            &resources[..resources
                .find("resource \"influxdb3_management_token\" \"y\"")
                .unwrap()],
        );
        let import = env
            .wd
            .import("influxdb3_management_token.x", &by_cli.id.to_string());
        import.assert_success();
        assert_output_contains(&import, &["Import successful"]);
        let show = env.wd.state_json();
        let x = values(&show, "influxdb3_management_token.x");
        assert_eq!(uuid_attr(x, "id"), by_cli.id);
        assert_eq!(string_attr(x, "token_prefix"), by_cli.token_prefix);
        assert_eq!(time_attr(x, "created_at"), by_cli.created_at);
        assert!(
            x["access_token"].is_null(),
            "{cli}: imported token has a secret: {x:#}"
        );
        let plan = env.plan_detailed();
        assert_eq!(
            plan.code, 0,
            "{cli}: plan after `terraform import` is not empty:\n{plan}"
        );
        eprintln!("{cli}: plan after `terraform import`: empty (exit 0), access_token stays null");

        // An import block, planned then applied.
        env.write(&format!(
            "{resources}import {{\n  to = influxdb3_management_token.y\n  id = \"{}\"\n}}\n",
            by_block.id
        ));
        let plan = env.plan_detailed();
        assert_eq!(plan.code, 2, "{cli}:\n{plan}");
        assert_output_contains(
            &plan,
            &[
                "influxdb3_management_token.y will be imported",
                "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.",
            ],
        );
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["1 imported, 0 added, 0 changed, 0 destroyed"]);
        let plan = env.plan_detailed();
        assert_eq!(
            plan.code, 0,
            "{cli}: plan after the import block is not empty:\n{plan}"
        );
        let show = env.wd.state_json();
        assert_eq!(
            uuid_attr(values(&show, "influxdb3_management_token.y"), "id"),
            by_block.id
        );
        for token in [&by_cli, &by_block] {
            assert_eq!(
                env.api_token(token.id).revoked_at,
                None,
                "{cli}: import changed the token"
            );
        }

        // A revoked id and an unknown id cannot be imported.
        let revoked = env.emulator.create("revoked");
        assert_eq!(env.emulator.revoke(revoked.id), 204);
        env.write(&format!(
            "{resources}resource \"influxdb3_management_token\" \"z\" {{\n  description = \"revoked\"\n}}\n"
        ));
        let import = env
            .wd
            .import("influxdb3_management_token.z", &revoked.id.to_string());
        import.assert_failure();
        assert_output_contains(
            &import,
            &[
                "Cannot Import Revoked Management Token",
                &format!("{} was revoked", revoked.id),
            ],
        );
        let unknown = Uuid::new_v4();
        let import = env
            .wd
            .import("influxdb3_management_token.z", &unknown.to_string());
        import.assert_failure();
        assert_output_contains(
            &import,
            &[&format!("No management token with id {unknown}")],
        );
        let show = env.wd.state_json();
        assert!(
            resource(&show, "influxdb3_management_token.z").is_none(),
            "{cli}: failed import left state"
        );
        env.finish("acc_management_token_import");
    }
}

/// Case 5: destroy revokes every token; the API keeps listing them, revoked.
#[test]
fn acc_management_token_destroy_revokes_all() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(
            "resource \"influxdb3_management_token\" \"t\" {\n  count       = 3\n  description = \"batch ${count.index}\"\n}\n",
        );
        env.wd.apply().assert_success();
        let show = env.wd.state_json();
        let ids: Vec<Uuid> = (0..3)
            .map(|i| uuid_attr(values(&show, &format!("{TOKEN}[{i}]")), "id"))
            .collect();
        for id in &ids {
            assert_eq!(env.api_token(*id).revoked_at, None);
        }
        let destroy = env.wd.destroy();
        destroy.assert_success();
        assert_output_contains(&destroy, &["Destroy complete! Resources: 3 destroyed."]);
        let listed = env.emulator.list_tokens();
        for id in &ids {
            let token = listed.iter().find(|token| token.id == *id);
            let token = token.unwrap_or_else(|| panic!("{cli}: {id} no longer listed: {listed:?}"));
            assert!(
                token.revoked_at.is_some(),
                "{cli}: {id} not revoked by destroy: {token:?}"
            );
        }
        assert!(
            addresses(&env.wd.state_json()).is_empty(),
            "{cli}: state not empty after destroy"
        );
        env.finish("acc_management_token_destroy_revokes_all");
    }
}

/// Case 6: destroy after an out-of-band revoke succeeds, with and without a
/// refresh (without one, the provider gets 409 "already revoked" and must
/// treat it as done).
#[test]
fn acc_management_token_destroy_after_out_of_band_revoke() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        env.write(&token_config("gone", ""));
        for refresh in [true, false] {
            env.wd.apply().assert_success();
            let id = uuid_attr(values(&env.wd.state_json(), TOKEN), "id");
            assert_eq!(env.emulator.revoke(id), 204);
            env.emulator.reset_stats();
            let destroy = if refresh {
                env.wd.destroy()
            } else {
                env.wd
                    .run(&["destroy", "-input=false", "-auto-approve", "-refresh=false"])
            };
            assert_eq!(
                destroy.code, 0,
                "{cli}: destroy after an out-of-band revoke failed:\n{destroy}"
            );
            let revokes = env.emulator.stats()["by_operation"]["revoke_management_token"].as_u64();
            // With a refresh the token reads as gone and is never revoked again.
            assert_eq!(
                revokes,
                Some(if refresh { 0 } else { 1 }),
                "{cli} (refresh={refresh})"
            );
            assert!(
                addresses(&env.wd.state_json()).is_empty(),
                "{cli}: state not empty"
            );
        }
        env.finish("acc_management_token_destroy_after_out_of_band_revoke");
    }
}

/// Case 8: with `TF_LOG=trace` (the log on stderr, with the provider's own
/// output), neither the minted secret nor the provider's token appears in
/// the output of apply or destroy.
#[test]
fn acc_management_token_trace_log_keeps_secrets() {
    for cli in TerraformCli::all() {
        let mut env = AccEnv::bare(&cli);
        // TF_LOG_PATH empty: the log goes to stderr even when the developer
        // set INFLUXDB3_TEST_TF_LOG.
        env.wd.env("TF_LOG", "trace").env("TF_LOG_PATH", "");
        env.write(&format!(
            "{}{}",
            env.provider_block(),
            token_config("traced", "")
        ));
        let bootstrap = env.emulator.token();
        let apply = env.wd.apply();
        apply.assert_success();
        let secret = string_attr(values(&env.wd.state_json(), TOKEN), "access_token").to_owned();
        let destroy = env.wd.destroy();
        destroy.assert_success();
        for out in [&apply, &destroy] {
            assert!(
                out.stderr.contains("[TRACE]"),
                "{cli}: no trace log on stderr:\n{out}"
            );
            assert!(
                out.stderr.contains("terraform-provider-influxdb3"),
                "{cli}: the provider's output is not in the log"
            );
            for (what, value) in [("access_token", &secret), ("provider token", &bootstrap)] {
                assert_secret_absent(value, what, &out.stdout, out);
                assert_secret_absent(value, what, &out.stderr, out);
            }
        }
        eprintln!(
            "{cli}: trace logs checked: apply {} bytes, destroy {} bytes of stderr",
            apply.stderr.len(),
            destroy.stderr.len()
        );
        env.finish("acc_management_token_trace_log_keeps_secrets");
    }
}

/// Case 9: the data sources. One token by id (a revoked one shows
/// `revoked_at`); the list leaves revoked tokens out unless asked.
#[test]
fn acc_management_token_data_sources() {
    for cli in TerraformCli::all() {
        let env = AccEnv::bare(&cli);
        let active = env.emulator.create("active");
        let revoked = env.emulator.create("revoked");
        assert_eq!(env.emulator.revoke(revoked.id), 204);
        let revoked_at = env.api_token(revoked.id).revoked_at.expect("revoked");
        env.write(&format!(
            "{}\
             data \"influxdb3_management_token\" \"revoked\" {{\n  id = \"{}\"\n}}\n\
             data \"influxdb3_management_token\" \"active\" {{\n  id = \"{}\"\n}}\n\
             data \"influxdb3_management_tokens\" \"default\" {{}}\n\
             data \"influxdb3_management_tokens\" \"all\" {{\n  include_revoked = true\n}}\n",
            env.provider_block(),
            revoked.id,
            active.id
        ));
        env.wd.apply().assert_success();
        let show = env.wd.state_json();

        let one = values(&show, "data.influxdb3_management_token.revoked");
        assert_eq!(string_attr(one, "description"), "revoked");
        assert_eq!(string_attr(one, "token_prefix"), revoked.token_prefix);
        assert_eq!(time_attr(one, "revoked_at"), revoked_at, "{cli}: {one:#}");
        assert!(one["expires_at"].is_null());
        let one = values(&show, "data.influxdb3_management_token.active");
        assert!(one["revoked_at"].is_null(), "{cli}: {one:#}");
        assert_eq!(time_attr(one, "created_at"), active.created_at);

        let listed = |address: &str| -> Vec<Uuid> {
            values(&show, address)["tokens"]
                .as_array()
                .unwrap_or_else(|| panic!("{cli}: {address}.tokens is not a list"))
                .iter()
                .map(|token| uuid_attr(token, "id"))
                .collect()
        };
        assert_eq!(
            listed("data.influxdb3_management_tokens.default"),
            vec![active.id],
            "{cli}"
        );
        let mut all = listed("data.influxdb3_management_tokens.all");
        all.sort();
        let mut expected = vec![active.id, revoked.id];
        expected.sort();
        assert_eq!(all, expected, "{cli}");
        let all = &values(&show, "data.influxdb3_management_tokens.all")["tokens"];
        let entry = all
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == revoked.id.to_string());
        assert_eq!(time_attr(entry.unwrap(), "revoked_at"), revoked_at);
        env.finish("acc_management_token_data_sources");
    }
}

/// Case 10: a token that expires reads as deleted; the plan to create it
/// again then fails at plan time because its `expires_at` is in the past.
#[test]
fn acc_management_token_expiry() {
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        // Whole seconds, 5 to 6 s ahead: enough for apply on a busy machine.
        let expiry = Utc::now() + Duration::from_secs(6);
        let expires_at = expiry.to_rfc3339_opts(SecondsFormat::Secs, true);
        let expiry = chrono::DateTime::parse_from_rfc3339(&expires_at)
            .unwrap()
            .with_timezone(&Utc);
        env.write(&token_config(
            "short-lived",
            &format!("  expires_at  = \"{expires_at}\"\n"),
        ));
        env.wd.apply().assert_success();
        let show = env.wd.state_json();
        let state = values(&show, TOKEN);
        assert_eq!(string_attr(state, "expires_at"), expires_at);
        assert_eq!(
            env.api_token(uuid_attr(state, "id")).expires_at,
            Some(expiry)
        );

        let wait = (expiry - Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(300);
        eprintln!("{cli}: waiting {wait:?} for the token to expire");
        std::thread::sleep(wait);

        // One plan: the refresh finds the token gone, the create is refused.
        let plan = env.wd.run(&["plan", "-input=false", "-json"]);
        assert_eq!(
            plan.code, 1,
            "{cli}: plan of an expired token did not fail:\n{plan}"
        );
        let messages: Vec<Value> = plan
            .stdout
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        assert!(
            messages.iter().any(|m| m["type"] == "resource_drift"
                && m["change"]["resource"]["addr"] == TOKEN
                && m["change"]["action"] == "delete"),
            "{cli}: no drift (delete) reported:\n{plan}"
        );
        assert!(
            messages.iter().any(|m| m["type"] == "diagnostic"
                && m["diagnostic"]["severity"] == "error"
                && m["diagnostic"]["summary"] == "Expiry Time In The Past"
                && m["diagnostic"]["address"] == TOKEN
                && m["diagnostic"]["snippet"]["code"]
                    .as_str()
                    .is_some_and(|c| c.contains("expires_at"))),
            "{cli}: no plan-time error on expires_at:\n{plan}"
        );
        // What a user reads: the deletion, then the error on expires_at.
        let refresh = env.wd.run(&[
            "plan",
            "-input=false",
            "-refresh-only",
            "-detailed-exitcode",
        ]);
        assert_eq!(refresh.code, 2, "{cli}:\n{refresh}");
        assert_output_contains(&refresh, &["influxdb3_management_token.t has been deleted"]);
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Error: Expiry Time In The Past",
                &format!("expires_at  = \"{expires_at}\""),
                "which is not in the future",
            ],
        );
        env.finish("acc_management_token_expiry");
    }
}
