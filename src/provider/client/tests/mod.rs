//! Unit tests of the client against the scripted [`TestServer`]: requests and
//! responses (`operations`), retries, timeouts, cancellation and TLS (`failures`),
//! how a create ends when it may have been committed unseen (`create_outcomes`) and
//! when a 404 or 409 to a revoke counts as done (`revoke_outcomes`).

mod create_outcomes;
mod failures;
mod operations;
mod revoke_outcomes;

use std::time::Duration;

use uuid::Uuid;

use super::test_server::{TestServer, private_ca_tls};
use super::*;
use crate::api::CreateManagementTokenRequest;

const TOKEN: &str = "bearer-SECRET-7f3a9c";
const ACCESS: &str = "M.V1.access-SECRET-d41d8c";
const ACCOUNT: Uuid = Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);
const TOKEN_ID: Uuid = Uuid::from_u128(0xaaaa_bbbb_cccc_4ddd_8eee_ffff_0000_1111);

fn init() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

fn fast_config(url: &str, account: Option<Uuid>) -> ClientConfig {
    init();
    let mut config = ClientConfig::new(url, account, TOKEN);
    config.request_timeout = Duration::from_secs(3);
    config.retry = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_elapsed: Duration::from_secs(10),
    };
    config
}

fn client(server: &TestServer) -> ManagementApiClient {
    ManagementApiClient::new(fast_config(&server.url(), Some(ACCOUNT))).unwrap()
}

fn token_json(with_secret: bool) -> String {
    let secret = if with_secret {
        format!(r#","accessToken":"{ACCESS}""#)
    } else {
        String::new()
    };
    format!(
        r#"{{"accountId":"{ACCOUNT}","id":"{TOKEN_ID}","description":"ci","tokenPrefix":"M.V1.ac",
           "createdAt":"2026-03-01T12:00:00Z","createdBy":"{ACCOUNT}"{secret}}}"#
    )
}

fn create_request() -> CreateManagementTokenRequest {
    CreateManagementTokenRequest {
        description: "ci".into(),
        expires_at: None,
    }
}

/// The secret rule: neither the bearer token nor an access token in any rendering.
#[track_caller]
fn assert_no_secret(error: &ClientError) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{:?}", error.kind()),
    ] {
        assert!(!text.contains(TOKEN), "bearer token leaked: {text}");
        assert!(!text.contains(ACCESS), "access token leaked: {text}");
        assert!(!text.contains("SECRET"), "secret leaked: {text}");
    }
}

#[test]
fn configuration_is_validated() {
    let refused = |config: ClientConfig, expected: &str| {
        let error = ManagementApiClient::new(config).unwrap_err();
        assert!(matches!(
            error.kind(),
            ClientErrorKind::InvalidConfig { .. }
        ));
        assert!(error.to_string().contains(expected), "{error}");
        assert_no_secret(&error);
    };
    let with_url = |url: &str| fast_config(url, Some(ACCOUNT));
    refused(
        with_url("http://influx.example.com"),
        "plain http is only allowed for loopback hosts",
    );
    refused(with_url("http://10.0.0.1:8080"), "use https for 10.0.0.1");
    refused(with_url("ftp://127.0.0.1"), "must use https");
    refused(with_url("not a url"), "is not a valid URL");
    refused(
        with_url(&format!("https://user:{TOKEN}@example.com")),
        "user name or password",
    );
    refused(with_url("https://example.com/?x=1"), "query string");
    let mut config = with_url("https://example.com");
    config.token = Secret::from("  ");
    refused(config, "the management token is empty");
    let mut config = with_url("https://example.com");
    config.token = Secret::from(format!("{TOKEN}\n"));
    refused(config, "not allowed in an HTTP header");
    let mut config = with_url("https://example.com");
    config.request_timeout = Duration::ZERO;
    refused(config, "timeouts must be greater than zero");
    let mut config = with_url("https://example.com");
    config.retry.max_attempts = 0;
    refused(config, "max_attempts");
    let mut config = with_url("https://example.com");
    config.retry.max_elapsed = Duration::ZERO;
    refused(config, "max_elapsed");
    let mut config = with_url("https://example.com");
    config.ca_bundle_pem = Some(b"no certificates here".to_vec());
    refused(config, "contains no PEM certificate");
    let mut config = with_url("https://example.com");
    config.ca_bundle_pem =
        Some(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec());
    refused(config, "certificate 1 of the CA bundle");

    for (url, root) in [
        (
            "https://console.influxdata.com",
            "https://console.influxdata.com/api/v0",
        ),
        (
            "https://example.com/prefix/",
            "https://example.com/prefix/api/v0",
        ),
        ("https://example.com/api/v0/", "https://example.com/api/v0"),
        ("http://localhost:8080", "http://localhost:8080/api/v0"),
        ("http://127.9.8.7", "http://127.9.8.7/api/v0"),
        ("http://[::1]:1", "http://[::1]:1/api/v0"),
    ] {
        let client = ManagementApiClient::new(with_url(url)).unwrap();
        assert_eq!(client.api_root(), root);
    }
}

#[test]
fn secrets_do_not_print() {
    let secret = Secret::from(TOKEN);
    assert_eq!(secret.to_string(), "<redacted>");
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(secret.expose(), TOKEN);
    let mut config = fast_config("https://example.com", Some(ACCOUNT));
    config.ca_bundle_pem = Some(b"pem".to_vec());
    let debug = format!("{config:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    let (ca_pem, _) = private_ca_tls();
    config.ca_bundle_pem = Some(ca_pem.into_bytes());
    let client = ManagementApiClient::new(config).unwrap();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(TOKEN) && debug.contains("api_root"),
        "{debug}"
    );
}
