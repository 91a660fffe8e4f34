//! Acceptance: the self-hosted products, InfluxDB 3 Core and Enterprise, end
//! to end: `influxdb3_self_hosted_admin_token`,
//! `influxdb3_enterprise_resource_token`, `influxdb3_self_hosted_database` and
//! the `influxdb3_self_hosted_tokens` / `_databases` data sources.
//!
//! Real Terraform CLIs (1.11.4 and 1.15.5) drive the provider binary against
//! the emulator in `--product core` or `--product enterprise` mode, one
//! emulator and one workdir per CLI. Each lifecycle test checks create, an
//! empty plan, a delete made outside Terraform seen as gone and created again,
//! import by name, and destroy, looking at the API's view through the emulator.

use serde_json::json;

use crate::support::acceptance::{
    assert_output_contains, assert_secret_absent, string_attr, values,
};
use crate::support::emulator::EmulatorProcess;
use crate::support::self_hosted::V3Env;
use crate::support::terraform::{TerraformCli, TestWorkdir, TfOutput, required_providers_block};

const ADMIN: &str = "influxdb3_self_hosted_admin_token.ops";
const RESOURCE: &str = "influxdb3_enterprise_resource_token.reader";
const DATABASE: &str = "influxdb3_self_hosted_database.sensors";

fn plan_exit(wd: &TestWorkdir) -> (i32, TfOutput) {
    let out = wd.run(&["plan", "-input=false", "-detailed-exitcode"]);
    (out.code, out)
}

fn core_config(retention: &str) -> String {
    format!(
        "resource \"influxdb3_self_hosted_admin_token\" \"ops\" {{\n  name = \"ops\"\n}}\n\n\
         resource \"influxdb3_self_hosted_database\" \"sensors\" {{\n  name = \"sensors\"\n{retention}}}\n"
    )
}

/// Core: an admin token and a database through their whole life.
#[test]
fn acc_self_hosted_core_token_and_database_lifecycle() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(&core_config("  retention_period = \"30d\"\n"));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["2 added, 0 changed, 0 destroyed"]);
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 0, "{cli}: plan after apply is not empty:\n{out}");

        let show = env.wd.state_json();
        let token = values(&show, ADMIN);
        let secret = string_attr(token, "token").to_owned();
        assert_eq!(string_attr(token, "id"), "ops");
        assert!(secret.starts_with("apiv3_"), "{cli}: {token:#}");
        assert!(token["token_id"].as_u64().is_some(), "{cli}: {token:#}");
        assert!(
            env.secret_works(&secret),
            "{cli}: the new admin token does not work"
        );
        assert!(
            !apply.combined().contains(&secret),
            "{cli}: the secret was printed"
        );
        let database = values(&show, DATABASE);
        assert_eq!(string_attr(database, "retention_period"), "30d");
        assert!(env.token_names().contains(&"ops".to_owned()));
        assert!(env.database_names().contains(&"sensors".to_owned()));

        // Deleted outside Terraform: seen as gone, created again.
        env.delete_token("ops");
        env.delete_database("sensors");
        assert!(
            !env.secret_works(&secret),
            "{cli}: a deleted token still works"
        );
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 2, "{cli}: the plan does not re-create:\n{out}");
        assert_output_contains(&out, &["2 to add, 0 to change, 0 to destroy"]);
        env.wd.apply().assert_success();
        assert!(env.database_names().contains(&"sensors".to_owned()));
        let renewed = env.wd.state_json();
        let new_secret = string_attr(values(&renewed, ADMIN), "token").to_owned();
        assert_ne!(
            new_secret, secret,
            "{cli}: the re-created token has the old secret"
        );
        assert!(env.secret_works(&new_secret));

        // An in-place retention change.
        env.write(&core_config("  retention_period = \"7d\"\n"));
        let apply = env.wd.apply();
        apply.assert_success();
        assert_output_contains(&apply, &["0 added, 1 changed, 0 destroyed"]);

        // Import both by name.
        env.wd
            .run(&["state", "rm", ADMIN, DATABASE])
            .assert_success();
        env.wd.import(ADMIN, "ops").assert_success();
        env.wd.import(DATABASE, "sensors").assert_success();
        let imported = env.wd.state_json();
        assert_eq!(string_attr(values(&imported, ADMIN), "name"), "ops");
        assert!(values(&imported, ADMIN)["token"].is_null());
        assert_eq!(string_attr(values(&imported, DATABASE), "id"), "sensors");
        // The list does not show retention periods: the plan sets it again, in place.
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 2, "{cli}: {out}");
        assert_output_contains(&out, &["0 to add, 1 to change, 0 to destroy"]);
        env.wd.apply().assert_success();
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(
            code, 0,
            "{cli}: plan after import and apply is not empty:\n{out}"
        );

        // Destroy deletes for real.
        env.wd.destroy().assert_success();
        assert!(!env.token_names().contains(&"ops".to_owned()), "{cli}");
        assert!(
            !env.database_names().contains(&"sensors".to_owned()),
            "{cli}"
        );
        assert!(
            !env.secret_works(&new_secret),
            "{cli}: destroyed token still works"
        );
    }
}

fn resource_token_config(permissions: &str) -> String {
    format!(
        "resource \"influxdb3_enterprise_resource_token\" \"reader\" {{\n  name        = \"reader\"\n  \
         permissions = [{permissions}]\n  expiry_secs = 3600\n}}\n"
    )
}

/// Enterprise: a resource token with permissions, and the data sources.
#[test]
fn acc_self_hosted_enterprise_resource_token_lifecycle() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "enterprise");
        let config = resource_token_config("\"db:sensors,metrics:read,write\", \"system:*:read\"");
        env.write(&config);
        env.wd.apply().assert_success();
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 0, "{cli}: plan after apply is not empty:\n{out}");
        let show = env.wd.state_json();
        let token = values(&show, RESOURCE);
        assert!(string_attr(token, "token").starts_with("apiv3_"));
        assert!(!token["expires_at"].is_null(), "{cli}: {token:#}");
        let row = env
            .token_rows()
            .into_iter()
            .find(|row| row["name"] == "reader")
            .unwrap_or_else(|| panic!("{cli}: the API does not list the token"));
        assert_eq!(
            row["permissions"], "db:sensors,metrics:read,write system:*:read",
            "{cli}"
        );

        env.delete_token("reader");
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 2, "{cli}: {out}");
        assert_output_contains(&out, &["1 to add, 0 to change, 0 to destroy"]);
        env.wd.apply().assert_success();

        // Import by name (expiry_secs is not known after an import: leave it out).
        env.write(
            &resource_token_config("\"db:sensors,metrics:read,write\", \"system:*:read\"")
                .replace("  expiry_secs = 3600\n", ""),
        );
        env.wd.run(&["state", "rm", RESOURCE]).assert_success();
        env.wd.import(RESOURCE, "reader").assert_success();
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 0, "{cli}: plan after import is not empty:\n{out}");

        // The data sources list it (without secrets) and the databases.
        env.write(&format!(
            "{}\ndata \"influxdb3_self_hosted_tokens\" \"all\" {{}}\n\
             data \"influxdb3_self_hosted_databases\" \"all\" {{}}\n\
             output \"names\" {{ value = [for t in data.influxdb3_self_hosted_tokens.all.tokens : t.name] }}\n\
             output \"admins\" {{ value = [for t in data.influxdb3_self_hosted_tokens.all.tokens : t.name if t.admin] }}\n\
             output \"databases\" {{ value = data.influxdb3_self_hosted_databases.all.names }}\n",
            resource_token_config("\"db:sensors,metrics:read,write\", \"system:*:read\"")
                .replace("  expiry_secs = 3600\n", "")
        ));
        env.wd.apply().assert_success();
        let outputs = env.wd.run(&["output", "-json"]);
        outputs.assert_success();
        let outputs = outputs.json();
        assert_eq!(
            outputs["names"]["value"],
            json!(["_admin", "reader"]),
            "{cli}"
        );
        assert_eq!(outputs["admins"]["value"], json!(["_admin"]), "{cli}");
        assert_eq!(outputs["databases"]["value"], json!(["_internal"]), "{cli}");

        env.wd.destroy().assert_success();
        assert!(!env.token_names().contains(&"reader".to_owned()), "{cli}");
    }
}

/// Core has no resource tokens: the plan says so.
#[test]
fn acc_self_hosted_resource_token_refused_on_core() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(&resource_token_config("\"db:sensors:read\""));
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Enterprise-Only Resource",
                "only InfluxDB 3 Enterprise has",
                "product = \"core\"",
            ],
        );
        assert_eq!(env.token_names(), vec!["_admin".to_owned()], "{cli}");
    }
}

/// Bad inputs fail the plan on their attribute, before any request.
#[test]
fn acc_self_hosted_bad_inputs_fail_the_plan() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "enterprise");
        env.write(
            "resource \"influxdb3_self_hosted_admin_token\" \"empty\" {\n  name = \"\"\n}\n\n\
             resource \"influxdb3_self_hosted_admin_token\" \"negative\" {\n  name = \"n\"\n  expiry_secs = -5\n}\n\n\
             resource \"influxdb3_enterprise_resource_token\" \"action\" {\n  name = \"a\"\n  permissions = [\"db:sensors:delete\"]\n}\n\n\
             resource \"influxdb3_self_hosted_database\" \"retention\" {\n  name = \"sensors\"\n  retention_period = \"7 days\"\n}\n",
        );
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Invalid Token Name",
                "name = \"\"",
                "Invalid Expiry",
                "expiry_secs = -5",
                "Invalid Permission",
                "unknown permission action \"delete\"",
                "Invalid Retention Period",
                "retention_period = \"7 days\"",
            ],
        );
        assert_eq!(
            env.emulator.stats()["requests_total"],
            0,
            "{cli}: a bad input reached the API"
        );
    }
}

/// One configuration, three products: provider aliases for Core, Enterprise
/// and Cloud Dedicated side by side.
#[test]
fn acc_self_hosted_aliases_manage_several_products() {
    for cli in TerraformCli::all() {
        let core = V3Env::new(&cli, "core");
        let enterprise = EmulatorProcess::start_with(&["--product", "enterprise"]);
        let cloud = EmulatorProcess::start();
        core.wd.write_config(&format!(
            "{}\nprovider \"influxdb3\" {{\n  alias = \"core\"\n  product = \"core\"\n  host = \"{}\"\n  token = \"{}\"\n}}\n\
             provider \"influxdb3\" {{\n  alias = \"ent\"\n  product = \"enterprise\"\n  host = \"{}\"\n  token = \"{}\"\n}}\n\
             provider \"influxdb3\" {{\n  alias = \"cloud\"\n  product = \"cloud_dedicated\"\n  url = \"{}\"\n  account_id = \"{}\"\n  token = \"{}\"\n}}\n\
             resource \"influxdb3_self_hosted_database\" \"on_core\" {{\n  provider = influxdb3.core\n  name = \"edge\"\n}}\n\
             resource \"influxdb3_self_hosted_database\" \"on_ent\" {{\n  provider = influxdb3.ent\n  name = \"central\"\n}}\n\
             resource \"influxdb3_management_token\" \"on_cloud\" {{\n  provider = influxdb3.cloud\n  description = \"cloud\"\n}}\n",
            required_providers_block(),
            core.emulator.url(),
            core.emulator.token(),
            enterprise.url(),
            enterprise.token(),
            cloud.url(),
            cloud.account_id(),
            cloud.token(),
        ));
        core.wd.apply().assert_success();
        assert!(core.database_names().contains(&"edge".to_owned()), "{cli}");
        assert!(
            !core.database_names().contains(&"central".to_owned()),
            "{cli}"
        );
        let (status, body) =
            enterprise.request("GET", "/api/v3/configure/database?format=json", None);
        assert_eq!(status, 200);
        assert_eq!(body["databases"], json!(["_internal", "central"]), "{cli}");
        assert_eq!(cloud.list_tokens().len(), 1, "{cli}");
        let (code, out) = plan_exit(&core.wd);
        assert_eq!(code, 0, "{cli}: {out}");
        core.wd.destroy().assert_success();
        assert!(cloud.list_tokens()[0].revoked_at.is_some(), "{cli}");
    }
}

/// `examples/self-hosted` applies and destroys against a Core and an
/// Enterprise emulator, as its comment says.
#[test]
fn acc_self_hosted_example_applies() {
    let example = std::fs::read_to_string(
        crate::support::terraform::repo_root().join("examples/self-hosted/main.tf"),
    )
    .unwrap_or_else(|error| panic!("examples/self-hosted/main.tf: {error}"));
    for cli in TerraformCli::all() {
        let core = V3Env::new(&cli, "core");
        let enterprise = EmulatorProcess::start_with(&["--product", "enterprise"]);
        core.wd.write_config(&example);
        let vars = [
            format!("core_url={}", core.emulator.url()),
            format!("core_token={}", core.emulator.token()),
            format!("enterprise_url={}", enterprise.url()),
            format!("enterprise_token={}", enterprise.token()),
        ];
        let mut args = vec!["apply", "-auto-approve", "-input=false"];
        for var in &vars {
            args.extend(["-var", var.as_str()]);
        }
        core.wd.run(&args).assert_success();
        assert!(core.token_names().contains(&"ops".to_owned()), "{cli}");
        let (_, listed) = enterprise.request(
            "POST",
            "/api/v3/query_sql",
            Some(json!({"db": "_internal", "q": "SELECT * FROM system.tokens"})),
        );
        assert_eq!(listed[1]["name"], "edge-forwarder", "{cli}: {listed}");
        args[0] = "destroy";
        core.wd.run(&args).assert_success();
        assert_eq!(core.token_names(), vec!["_admin".to_owned()], "{cli}");
    }
}

/// A refresh of several tokens and databases lists each once per plan.
#[test]
fn acc_self_hosted_refresh_lists_once() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(
            "resource \"influxdb3_self_hosted_admin_token\" \"t\" {\n  count = 3\n  name = \"t${count.index}\"\n}\n\n\
             resource \"influxdb3_self_hosted_database\" \"d\" {\n  count = 2\n  name = \"d${count.index}\"\n}\n",
        );
        env.wd.apply().assert_success();
        env.emulator.reset_stats();
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 0, "{cli}: {out}");
        let stats = env.emulator.stats();
        assert_eq!(stats["by_operation"]["query_sql"], 1, "{cli}: {stats}");
        assert_eq!(stats["by_operation"]["list_databases"], 1, "{cli}: {stats}");
        assert_eq!(stats["requests_total"], 2, "{cli}: {stats}");
    }
}

/// A resource of one product with a provider of another fails the plan, saying
/// which product each is for.
#[test]
fn acc_self_hosted_product_mismatch_fails_the_plan() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write("resource \"influxdb3_management_token\" \"m\" {\n  description = \"x\"\n}\n");
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Resource Not Available For This Product",
                "configured for InfluxDB 3 Core",
            ],
        );

        // A Cloud Dedicated provider (the default) with a self-hosted resource.
        let cloud = EmulatorProcess::start();
        env.wd.write_config(&format!(
            "{}\nprovider \"influxdb3\" {{\n  url = \"{}\"\n  account_id = \"{}\"\n  token = \"{}\"\n}}\n\
             resource \"influxdb3_self_hosted_database\" \"d\" {{\n  name = \"d\"\n}}\n",
            required_providers_block(),
            cloud.url(),
            cloud.account_id(),
            cloud.token()
        ));
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Resource Not Available For This Product",
                "product = \"core\"",
            ],
        );
    }
}

/// With `TF_LOG=trace`, neither a created token's secret nor the provider's
/// admin token shows up in Terraform's or the provider's output.
#[test]
fn acc_self_hosted_trace_log_keeps_secrets() {
    for cli in TerraformCli::all() {
        let mut env = V3Env::new(&cli, "enterprise");
        env.wd.env("TF_LOG", "trace").env("TF_LOG_PATH", "");
        env.write(&format!(
            "resource \"influxdb3_self_hosted_admin_token\" \"ops\" {{\n  name = \"ops\"\n}}\n\n{}",
            resource_token_config("\"db:*:read\"")
        ));
        let apply = env.wd.apply();
        apply.assert_success();
        let show = env.wd.state_json();
        let secrets = [
            (
                "admin token",
                string_attr(values(&show, ADMIN), "token").to_owned(),
            ),
            (
                "resource token",
                string_attr(values(&show, RESOURCE), "token").to_owned(),
            ),
            ("provider token", env.emulator.token()),
        ];
        let destroy = env.wd.destroy();
        destroy.assert_success();
        for out in [&apply, &destroy] {
            assert!(out.stderr.contains("[TRACE]"), "{cli}: no trace log");
            for (what, secret) in &secrets {
                assert_secret_absent(secret, what, &out.stdout, out);
                assert_secret_absent(secret, what, &out.stderr, out);
            }
        }
    }
}

/// A plan that creates checks, with the list a refresh makes anyway, that the
/// provider's token is accepted and that the names are free.
#[test]
fn acc_self_hosted_plan_checks_token_and_names() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        let (status, body) = env.emulator.request(
            "POST",
            "/api/v3/configure/token/named_admin",
            Some(json!({"token_name": "taken"})),
        );
        assert_eq!(status, 201, "{body}");
        let (status, body) = env.emulator.request(
            "POST",
            "/api/v3/configure/database",
            Some(json!({"db": "taken"})),
        );
        assert_eq!(status, 200, "{body}");
        env.write(
            "resource \"influxdb3_self_hosted_admin_token\" \"t\" {\n  name = \"taken\"\n}\n\n\
             resource \"influxdb3_self_hosted_database\" \"d\" {\n  name = \"taken\"\n}\n",
        );
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Token Name Taken",
                "terraform import influxdb3_self_hosted_admin_token.<name> taken",
                "Database Exists",
            ],
        );

        // A provider token the server refuses fails the plan of a create.
        env.wd.write_config(&format!(
            "{}\nprovider \"influxdb3\" {{\n  product = \"core\"\n  host = \"{}\"\n  token = \"apiv3_wrong\"\n}}\n\
             resource \"influxdb3_self_hosted_database\" \"d\" {{\n  name = \"fresh\"\n}}\n",
            required_providers_block(),
            env.emulator.url(),
        ));
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Error Planning Database",
                "HTTP 401",
                "The admin token was refused",
            ],
        );
        assert_secret_absent("apiv3_wrong", "provider token", &plan.combined(), &plan);
    }
}

/// A token that expires is seen as gone and created again: the expired token,
/// which still holds its name on the server, is deleted by that create.
#[test]
fn acc_self_hosted_expired_token_is_created_again() {
    for cli in TerraformCli::all() {
        let env = V3Env::new(&cli, "core");
        env.write(
            "resource \"influxdb3_self_hosted_admin_token\" \"ops\" {\n  name = \"ops\"\n  expiry_secs = 1\n}\n",
        );
        env.wd.apply().assert_success();
        let first = string_attr(values(&env.wd.state_json(), ADMIN), "token").to_owned();
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert!(!env.secret_works(&first), "{cli}: an expired token works");
        let (code, out) = plan_exit(&env.wd);
        assert_eq!(code, 2, "{cli}: {out}");
        assert_output_contains(&out, &["1 to add, 0 to change, 0 to destroy"]);
        env.wd.apply().assert_success();
        let second = string_attr(values(&env.wd.state_json(), ADMIN), "token").to_owned();
        assert_ne!(first, second, "{cli}");
        let rows = env.token_rows();
        assert_eq!(
            rows.iter().filter(|row| row["name"] == "ops").count(),
            1,
            "{cli}: {rows:?}"
        );
    }
}
