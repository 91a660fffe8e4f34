//! Acceptance: `influxdb3_database_token` and its data sources, end to end,
//! with both Terraform CLIs (1.11.4 and 1.15.5) against the emulator in both
//! flavours (Cloud Dedicated, `--clustered`). One scenario per CLI and flavour
//! walks the whole life of a token, to keep the number of Terraform runs low.

use serde_json::Value;
use uuid::Uuid;

use crate::support::acceptance::{
    AccEnv, assert_output_contains, assert_secret_absent, resource, string_attr, uuid_attr, values,
};
use crate::support::terraform::TerraformCli;

const TOKEN: &str = "influxdb3_database_token.t";

/// `permissions` as HCL from `(action, resource)` pairs.
fn permissions(pairs: &[(&str, &str)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(action, resource)| format!("{{ action = \"{action}\", resource = \"{resource}\" }}"))
        .collect();
    format!("[{}]", items.join(", "))
}

fn token_config(description: &str, pairs: &[(&str, &str)], expires_at: Option<&str>) -> String {
    let expires = expires_at.map_or(String::new(), |at| format!("  expires_at  = \"{at}\"\n"));
    format!(
        "resource \"influxdb3_database_token\" \"t\" {{\n  description = \"{description}\"\n  \
         permissions = {}\n{expires}}}\n",
        permissions(pairs)
    )
}

const DATA_SOURCES: &str = "data \"influxdb3_database_token\" \"by_id\" {\n  id = \
     influxdb3_database_token.t.id\n}\n\ndata \"influxdb3_database_tokens\" \"active\" {\n  depends_on = [influxdb3_database_token.t]\n}\n\n\
     data \"influxdb3_database_tokens\" \"all\" {\n  include_revoked = true\n  depends_on      = \
     [influxdb3_database_token.t]\n}\n";

/// `(action, resource)` pairs of a token, sorted.
fn api_permissions(env: &AccEnv, id: Uuid) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = api_token(env, id)
        .permissions
        .iter()
        .map(|p| (p.action.clone(), p.resource.clone()))
        .collect();
    pairs.sort();
    pairs
}

#[track_caller]
fn api_token(env: &AccEnv, id: Uuid) -> influxdb3_provider::api::DatabaseToken {
    let tokens = env.emulator.list_database_tokens();
    tokens
        .iter()
        .find(|token| token.id == id)
        .cloned()
        .unwrap_or_else(|| panic!("the API does not list database token {id}: {tokens:?}"))
}

fn listed_ids(state: &Value) -> Vec<String> {
    state["tokens"]
        .as_array()
        .map(|tokens| {
            tokens
                .iter()
                .filter_map(|token| token["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Create (with the data sources), an empty plan (also with the permissions
/// in another order), an in-place update, a
/// replacement, an out-of-band revoke seen as deleted and re-created, import,
/// destroy.
#[test]
fn acc_database_token_lifecycle() {
    for cli in TerraformCli::all() {
        for clustered in [false, true] {
            let flavour = if clustered {
                "Clustered"
            } else {
                "Cloud Dedicated"
            };
            let mut env = AccEnv::for_cluster(&cli, clustered);
            // Every command's trace log, scanned for the secrets at the end.
            let log = env.wd.path().with_file_name("terraform-trace.log");
            env.wd
                .env("TF_LOG", "trace")
                .env("TF_LOG_PATH", log.display().to_string());
            let mut secrets = Vec::new();
            // An older, revoked token, for the data sources' include_revoked.
            let revoked = env.emulator.create_database_token(serde_json::json!({
                "description": "old", "permissions": []
            }));
            let revoked_id = revoked["id"].as_str().unwrap_or_default().to_owned();
            let revoked_uuid = Uuid::parse_str(&revoked_id).expect("a UUID");
            assert_eq!(env.emulator.revoke_database_token(revoked_uuid), 204);

            // 1. Create, with the data sources reading it.
            let first = [("read", "signals"), ("write", "*")];
            env.write(&format!(
                "{}\n{DATA_SOURCES}",
                token_config("ci", &first, None)
            ));
            let apply = env.wd.apply();
            apply.assert_success();
            assert_output_contains(&apply, &["1 added, 0 changed, 0 destroyed"]);
            let show = env.wd.state_json();
            let state = values(&show, TOKEN);
            let id = uuid_attr(state, "id");
            let secret = string_attr(state, "access_token").to_owned();
            secrets.push(secret.clone());
            assert!(secret.starts_with("apiv1_"), "{cli} {flavour}: {state:#}");
            assert_eq!(
                resource(&show, TOKEN).unwrap()["sensitive_values"]["access_token"],
                true,
                "{cli} {flavour}: access_token is not sensitive"
            );
            assert_secret_absent(&secret, "access_token", &apply.combined(), &apply);
            if clustered {
                assert!(state["account_id"].is_null() && state["cluster_id"].is_null());
            } else {
                assert_eq!(
                    string_attr(state, "cluster_id"),
                    env.emulator.cluster_id().to_string()
                );
                assert_eq!(
                    string_attr(state, "account_id"),
                    env.emulator.account_id().to_string()
                );
            }
            let by_id = values(&show, "data.influxdb3_database_token.by_id");
            assert_eq!(string_attr(by_id, "description"), "ci");
            assert!(by_id["revoked_at"].is_null());
            assert!(by_id.get("access_token").is_none(), "{by_id:#}");
            assert_eq!(by_id["permissions"].as_array().map(Vec::len), Some(2));
            let active = listed_ids(values(&show, "data.influxdb3_database_tokens.active"));
            let mut all = listed_ids(values(&show, "data.influxdb3_database_tokens.all"));
            assert_eq!(active, vec![id.to_string()], "{cli} {flavour}");
            // Oldest first; both were created in the same second here.
            all.sort();
            let mut expected = vec![revoked_id.clone(), id.to_string()];
            expected.sort();
            assert_eq!(all, expected, "{cli} {flavour}");
            assert_eq!(
                show.to_string().matches("apiv1_").count(),
                1,
                "{cli} {flavour}: the state holds a secret other than the resource's own"
            );
            assert_eq!(
                api_permissions(&env, id),
                vec![
                    ("read".to_owned(), "signals".to_owned()),
                    ("write".to_owned(), "*".to_owned())
                ]
            );

            // 2. An empty plan.
            assert_eq!(
                env.wd.plan_detailed_exitcode(),
                0,
                "{cli} {flavour}: plan after apply is not empty"
            );

            // Permissions are a set: another order is no change.
            env.write(&token_config(
                "ci",
                &[("write", "*"), ("read", "signals")],
                None,
            ));
            assert_eq!(
                env.wd.plan_detailed_exitcode(),
                0,
                "{cli} {flavour}: reordered permissions plan a change"
            );

            // 3. Description and permissions change in place.
            let second = [("write", "signals")];
            env.write(&token_config("ci writer", &second, None));
            let plan = env.plan_detailed();
            assert_eq!(plan.code, 2, "{cli} {flavour}:\n{plan}");
            assert_output_contains(
                &plan,
                &[
                    "influxdb3_database_token.t will be updated in-place",
                    "Plan: 0 to add, 1 to change, 0 to destroy.",
                ],
            );
            env.wd.apply().assert_success();
            let state = env.wd.state_json();
            let updated = values(&state, TOKEN);
            assert_eq!(uuid_attr(updated, "id"), id, "{cli} {flavour}: id changed");
            assert_eq!(string_attr(updated, "access_token"), secret);
            assert_eq!(api_token(&env, id).description, "ci writer");
            assert_eq!(
                api_permissions(&env, id),
                vec![("write".to_owned(), "signals".to_owned())]
            );
            assert_eq!(env.wd.plan_detailed_exitcode(), 0, "{cli} {flavour}");

            // 4. A new expiry replaces the token.
            let expiry = "2099-01-01T00:00:00Z";
            env.write(&token_config("ci writer", &second, Some(expiry)));
            let plan = env.plan_detailed();
            assert_output_contains(
                &plan,
                &[
                    "influxdb3_database_token.t must be replaced",
                    "# forces replacement",
                    "Plan: 1 to add, 0 to change, 1 to destroy.",
                ],
            );
            env.wd.apply().assert_success();
            let show = env.wd.state_json();
            let replaced = uuid_attr(values(&show, TOKEN), "id");
            secrets.push(string_attr(values(&show, TOKEN), "access_token").to_owned());
            assert_ne!(replaced, id, "{cli} {flavour}: not replaced");
            assert!(api_token(&env, id).revoked_at.is_some(), "old token active");
            assert_eq!(api_token(&env, replaced).revoked_at, None);

            // 5. Revoked outside Terraform: deleted, then created again.
            assert_eq!(env.emulator.revoke_database_token(replaced), 204);
            env.assert_refresh_reports_deleted(TOKEN);
            env.wd.apply().assert_success();
            let show = env.wd.state_json();
            let recreated = uuid_attr(values(&show, TOKEN), "id");
            secrets.push(string_attr(values(&show, TOKEN), "access_token").to_owned());
            assert_ne!(recreated, replaced, "{cli} {flavour}: not re-created");
            assert_eq!(api_token(&env, recreated).revoked_at, None);

            // 6. Import by id: same attributes, no secret, an empty plan.
            env.wd.run(&["state", "rm", TOKEN]).assert_success();
            env.wd
                .import(TOKEN, &recreated.to_string())
                .assert_success();
            let imported = env.wd.state_json();
            let imported = values(&imported, TOKEN);
            assert!(imported["access_token"].is_null(), "{imported:#}");
            assert_eq!(string_attr(imported, "expires_at"), expiry);
            assert_eq!(
                env.wd.plan_detailed_exitcode(),
                0,
                "{cli} {flavour}: plan after import is not empty"
            );

            // 7. Destroy revokes.
            env.wd.destroy().assert_success();
            assert!(api_token(&env, recreated).revoked_at.is_some());

            // No secret in Terraform's and the provider's trace log, nor in the
            // emulator's log (the state and `terraform show -json` hold them).
            let trace = std::fs::read_to_string(&log).unwrap_or_default();
            assert!(
                trace.contains("[TRACE]") && trace.contains("terraform-provider-influxdb3"),
                "{cli} {flavour}: the trace log lacks the provider's lines"
            );
            for secret in &secrets {
                for (what, text) in [
                    ("trace log", &trace),
                    ("emulator log", &env.emulator.stderr()),
                ] {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{cli} {flavour}: an access_token is in the {what}"
                    );
                }
            }
            env.finish(&format!("acc_database_token_lifecycle ({flavour})"));
        }
    }
}

/// Bad arguments fail `terraform plan` on the attribute, and nothing is created.
#[test]
fn acc_database_token_invalid_arguments() {
    let bad = [
        (
            "action",
            "  description = \"d\"\n  permissions = [{ action = \"admin\", resource = \"*\" }]\n",
        ),
        (
            "resource",
            "  description = \"d\"\n  permissions = [{ action = \"read\", resource = \"bad name\" }]\n",
        ),
        (
            "description",
            "  description = \"  \"\n  permissions = []\n",
        ),
        (
            "expiry",
            "  description = \"d\"\n  permissions = []\n  expires_at = \"tomorrow\"\n",
        ),
    ];
    let validation: String = bad
        .iter()
        .map(|(name, body)| {
            format!("resource \"influxdb3_database_token\" \"{name}\" {{\n{body}}}\n")
        })
        .collect();
    for cli in TerraformCli::all() {
        let env = AccEnv::for_cluster(&cli, false);
        env.write(&validation);
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "with influxdb3_database_token.action",
                r#"must be one of: "read", "write""#,
                "with influxdb3_database_token.resource",
                r#""*" (every database) or a database name"#,
                "with influxdb3_database_token.description",
                "Error: Invalid Description",
                "with influxdb3_database_token.expiry",
                "\"tomorrow\" is not an RFC 3339 timestamp",
            ],
        );
        // Checked at plan, after validation: an expiry in the past.
        env.write(
            "resource \"influxdb3_database_token\" \"past\" {\n  description = \"d\"\n  \
             permissions = []\n  expires_at  = \"2001-01-01T00:00:00Z\"\n}\n",
        );
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Error: Expiry Time In The Past",
                "with influxdb3_database_token.past",
                "expires_at  = \"2001-01-01T00:00:00Z\"",
            ],
        );
        assert!(env.emulator.list_database_tokens().is_empty());
        env.finish("acc_database_token_invalid_arguments");

        // Cloud Dedicated without a cluster id fails the plan, naming both settings.
        let env = AccEnv::with_env(&cli);
        env.write(&token_config("d", &[], None));
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Error: Missing Cluster ID",
                "`cluster_id`",
                "INFLUXDB3_CLUSTER_ID",
            ],
        );
    }
}

/// A create that had to be retried while an identical token appeared warns
/// with that token's id: on a server that ignores `Idempotency-Key`, a lost
/// attempt would leave such a token behind.
#[test]
fn acc_database_token_retried_create_warns_of_possible_duplicates() {
    let cli = TerraformCli::get("1.15.5");
    let env = AccEnv::for_cluster(&cli, false);
    env.write(&token_config("twin", &[("read", "signals")], None));
    // The first create attempt fails and the provider waits 2 s before the
    // retry; meanwhile an identical token is created beside it.
    env.emulator.set_fault(serde_json::json!({
        "status": 503, "count": 1, "operation": "create_database_token", "retry_after": 2
    }));
    let (apply, twin) = std::thread::scope(|scope| {
        let twin = scope.spawn(|| {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
            while env.emulator.stats()["by_operation"]["create_database_token"]
                .as_u64()
                .unwrap_or_default()
                == 0
            {
                assert!(std::time::Instant::now() < deadline, "no create attempt");
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let created = env.emulator.create_database_token(serde_json::json!({
                "description": "twin",
                "permissions": [{"action": "read", "resource": "signals"}]
            }));
            created["id"].as_str().unwrap_or_default().to_owned()
        });
        let apply = env.wd.apply();
        (apply, twin.join().expect("the twin thread"))
    });
    apply.assert_success();
    assert_output_contains(
        &apply,
        &["Warning: Possible Duplicate Database Tokens", &twin],
    );
    let mine = uuid_attr(values(&env.wd.state_json(), TOKEN), "id");
    assert_ne!(mine.to_string(), twin);
    env.finish("acc_database_token_retried_create_warns_of_possible_duplicates");
}
