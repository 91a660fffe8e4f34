//! Acceptance: `list "influxdb3_management_token"` with `terraform query`
//! (Terraform 1.14+, so 1.15.5 only). Tokens made outside Terraform are
//! listed by identity and description, revoked ones only when asked;
//! `-generate-config-out` writes configuration that imports them, after
//! which the plan is empty.

use crate::support::acceptance::{AccEnv, assert_output_contains};
use crate::support::terraform::TerraformCli;

fn query_file(include_revoked: bool) -> String {
    format!(
        "list \"influxdb3_management_token\" \"all\" {{\n  provider         = influxdb3\n  include_resource = true\n  config {{\n    include_revoked = {include_revoked}\n  }}\n}}\n"
    )
}

#[test]
fn acc_query_lists_tokens_and_generated_config_imports_them() {
    let cli = TerraformCli::get("1.15.5");
    let env = AccEnv::with_env(&cli);
    let outside: Vec<_> = (1..=3)
        .map(|n| env.emulator.create(&format!("made outside {n}")))
        .collect();
    let revoked = env.emulator.create("revoked before the query");
    assert_eq!(env.emulator.revoke(revoked.id), 204);
    env.write("");
    env.wd.write_file("all.tfquery.hcl", &query_file(false));

    let query = env.wd.run(&["query", "-no-color"]);
    query.assert_success();
    for token in &outside {
        assert_output_contains(&query, &[&token.id.to_string(), &token.description]);
    }
    assert!(
        !query.combined().contains(&revoked.id.to_string()),
        "a revoked token was listed without include_revoked:\n{query}"
    );

    env.wd.write_file("all.tfquery.hcl", &query_file(true));
    let with_revoked = env.wd.run(&["query", "-no-color"]);
    with_revoked.assert_success();
    assert_output_contains(&with_revoked, &[&revoked.id.to_string()]);

    env.wd.write_file("all.tfquery.hcl", &query_file(false));
    env.wd
        .run(&["query", "-no-color", "-generate-config-out=generated.tf"])
        .assert_success();
    let generated = std::fs::read_to_string(env.wd.path().join("generated.tf")).unwrap();
    for token in &outside {
        assert!(
            generated.contains(&token.id.to_string()) && generated.contains(&token.description),
            "{} is not in the generated configuration:\n{generated}",
            token.id
        );
    }
    assert!(!generated.contains(&revoked.id.to_string()), "{generated}");
    assert!(generated.contains("identity"), "{generated}");

    let listed_active = generated.matches("import {").count();
    assert_eq!(listed_active, 3, "{generated}");
    let apply = env.wd.apply();
    apply.assert_success();
    assert_output_contains(
        &apply,
        &[&format!(
            "{listed_active} imported, 0 added, 0 changed, 0 destroyed"
        )],
    );
    assert_eq!(
        env.wd.plan_detailed_exitcode(),
        0,
        "the plan after importing the generated configuration is not empty"
    );
    for token in &outside {
        assert_eq!(env.api_token(token.id).revoked_at, None);
    }
    env.finish("acc_query_lists_tokens_and_generated_config_imports_them");
}
