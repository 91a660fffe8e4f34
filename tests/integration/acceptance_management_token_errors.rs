//! Acceptance: bad inputs to `influxdb3_management_token` and to the provider
//! block fail with a diagnostic that names the problem and the attribute,
//! for both Terraform CLIs (1.11.4 and 1.15.5), against the emulator.

use std::io::ErrorKind;
use std::net::{IpAddr, TcpListener, UdpSocket};
use std::time::Duration;

use crate::support::acceptance::{AccEnv, assert_output_contains, assert_secret_absent};
use crate::support::terraform::TerraformCli;

/// How long an apply against an address nobody listens on may take.
const UNREACHABLE_LIMIT: Duration = Duration::from_secs(120);

fn resource(arguments: &str) -> String {
    format!("resource \"influxdb3_management_token\" \"x\" {{\n{arguments}}}\n")
}

/// How many create requests the emulator has seen.
fn creates(env: &AccEnv) -> u64 {
    env.emulator.stats()["by_operation"]["create_management_token"]
        .as_u64()
        .unwrap_or_default()
}

/// Case 7a: bad resource arguments are refused by `terraform plan`, on the
/// attribute, and nothing is created.
#[test]
fn acc_management_token_invalid_arguments() {
    let long = "x".repeat(256);
    let cases: [(&str, String, &[&str]); 4] = [
        (
            "blank description",
            "  description = \"   \"\n".to_owned(),
            &[
                "Error: Invalid Description",
                "description = \"   \"",
                "The description must not be empty or only whitespace",
            ],
        ),
        (
            "256-character description",
            format!("  description = \"{long}\"\n"),
            &[
                "Error: Invalid Description",
                "description = \"xxxxxxxx",
                "The description has 256 characters; at most 255 are allowed.",
            ],
        ),
        (
            "expires_at not RFC 3339",
            "  description = \"d\"\n  expires_at  = \"tomorrow\"\n".to_owned(),
            &[
                "Error: Invalid Expiry Time",
                "expires_at  = \"tomorrow\"",
                "\"tomorrow\" is not an RFC 3339 timestamp",
            ],
        ),
        (
            "expires_at in the past",
            "  description = \"d\"\n  expires_at  = \"2001-01-01T00:00:00Z\"\n".to_owned(),
            &[
                "Error: Expiry Time In The Past",
                "expires_at  = \"2001-01-01T00:00:00Z\"",
                "cannot expire at 2001-01-01T00:00:00Z, which is not in the future",
            ],
        ),
    ];
    for cli in TerraformCli::all() {
        let env = AccEnv::with_env(&cli);
        for (name, arguments, needles) in &cases {
            env.write(&resource(arguments));
            let plan = env.wd.plan();
            plan.assert_failure();
            assert_output_contains(&plan, needles);
            assert_output_contains(&plan, &["with influxdb3_management_token.x"]);
            eprintln!("{cli}: {name}: refused at plan in {:.1?}", plan.duration);
        }
        assert_eq!(
            creates(&env),
            0,
            "{cli}: a bad configuration reached the API"
        );
        assert!(
            env.emulator.list_tokens().is_empty(),
            "{cli}: a token was created"
        );
        env.finish("acc_management_token_invalid_arguments");
    }
}

/// A local address that is not loopback (so plain http to it must be
/// refused), if the machine has one.
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    // Connecting a UDP socket sends nothing; it only picks a source address.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// Case 7b: a provider block with a non-UUID `account_id` (in the
/// configuration and in `INFLUXDB3_ACCOUNT_ID`), or plain `http://` to a
/// host that is not loopback, is refused before any request.
#[test]
fn acc_management_token_invalid_provider_config() {
    // A data source: a plan that got past the provider configuration would
    // call the API.
    const LIST: &str = "data \"influxdb3_management_tokens\" \"all\" {}\n";
    for cli in TerraformCli::all() {
        let mut env = AccEnv::bare(&cli);
        let (url, token) = (env.emulator.url().to_owned(), env.emulator.token());
        let provider = |arguments: &str| {
            format!("provider \"influxdb3\" {{\n  token = \"{token}\"\n{arguments}}}\n{LIST}")
        };

        env.write(&provider(&format!(
            "  url        = \"{url}\"\n  account_id = \"not-a-uuid\"\n"
        )));
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Error: Invalid Identifier",
                "account_id = \"not-a-uuid\"",
                "account_id must be a UUID",
            ],
        );

        env.write(&provider(&format!("  url = \"{url}\"\n")));
        env.wd.env("INFLUXDB3_ACCOUNT_ID", "12345");
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Error: Invalid Identifier",
                "account_id must be a UUID",
                "got \"12345\"",
            ],
        );
        env.wd.env(
            "INFLUXDB3_ACCOUNT_ID",
            env.emulator.account_id().to_string(),
        );

        env.write(&provider("  url = \"http://example.com\"\n"));
        let plan = env.wd.plan();
        plan.assert_failure();
        assert_output_contains(
            &plan,
            &[
                "Error: Invalid Provider URL",
                "url = \"http://example.com\"",
                "Plain http to \"example.com\" would send the management token unencrypted",
            ],
        );
        assert!(
            plan.duration < Duration::from_secs(30),
            "{cli}: {:?}",
            plan.duration
        );

        // The same with a host of this machine that listens: not one connection.
        if let Some(ip) = non_loopback_address() {
            let listener = TcpListener::bind((ip, 0)).expect("listen on a local address");
            listener
                .set_nonblocking(true)
                .expect("non-blocking listener");
            let remote = format!("http://{}", listener.local_addr().unwrap());
            env.write(&provider(&format!("  url = \"{remote}\"\n")));
            let plan = env.wd.plan();
            plan.assert_failure();
            assert_output_contains(
                &plan,
                &[
                    "Error: Invalid Provider URL",
                    "would send the management token unencrypted",
                ],
            );
            match listener.accept() {
                Err(error) if error.kind() == ErrorKind::WouldBlock => {}
                other => panic!("{cli}: the provider connected to {remote}: {other:?}"),
            }
        } else {
            eprintln!(
                "{cli}: no non-loopback address on this machine; checked http://example.com only"
            );
        }
        assert_eq!(
            env.emulator.stats()["requests_total"],
            0,
            "{cli}: the API was called"
        );
        env.finish("acc_management_token_invalid_provider_config");
    }
}

/// Case 7c: a token the API refuses (401) fails the apply with a message
/// that says the token was refused, without echoing it.
#[test]
fn acc_management_token_wrong_token() {
    const WRONG: &str = "M.V1.this-is-not-the-right-token";
    for cli in TerraformCli::all() {
        let mut env = AccEnv::with_env(&cli);
        env.wd.env("INFLUXDB3_TOKEN", WRONG);
        env.write(&resource("  description = \"d\"\n"));
        let apply = env.wd.apply();
        apply.assert_failure();
        assert_output_contains(
            &apply,
            &[
                "Error: Error Creating Management Token",
                "HTTP 401",
                "The management token was refused: check the provider's `token` (or INFLUXDB3_TOKEN)",
            ],
        );
        assert_secret_absent(WRONG, "provider token", &apply.combined(), &apply);
        assert!(
            env.emulator.list_tokens().is_empty(),
            "{cli}: a token was created"
        );
        env.finish("acc_management_token_wrong_token");
    }
}

/// Case 7d: an address nobody listens on fails the apply in bounded time.
#[test]
fn acc_management_token_unreachable_url() {
    for cli in TerraformCli::all() {
        let mut env = AccEnv::with_env(&cli);
        env.wd
            .env("INFLUXDB3_URL", "http://127.0.0.1:1")
            .set_timeout(UNREACHABLE_LIMIT + Duration::from_secs(30));
        env.write(&resource("  description = \"d\"\n"));
        let apply = env.wd.apply();
        eprintln!(
            "{cli}: apply against http://127.0.0.1:1 failed after {:.1?}",
            apply.duration
        );
        assert!(
            !apply.timed_out,
            "{cli}: killed after {:?}:\n{apply}",
            apply.duration
        );
        apply.assert_failure();
        assert!(
            apply.duration < UNREACHABLE_LIMIT,
            "{cli}: took {:?}, more than {UNREACHABLE_LIMIT:?}",
            apply.duration
        );
        assert_output_contains(
            &apply,
            &[
                "Error: Error Creating Management Token",
                "cannot connect to http://127.0.0.1:1/",
            ],
        );
        assert!(env.emulator.list_tokens().is_empty());
        env.finish("acc_management_token_unreachable_url");
    }
}
