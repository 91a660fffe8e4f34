//! The emulator binary over HTTP: every status code and field of
//! `docs/management-api.md`, the state file, the test controls and the command line.
//!
//! Each test starts its own emulator on `127.0.0.1:0` (see `support::emulator`).
//! This file holds the helpers; the tests are in one module per area.

mod api;
mod controls;
mod databases;
mod process;
mod state_file;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::emulator::{EmulatorProcess, http_client, run_to_exit};

/// `createdBy` of tokens created with the bootstrap token (see docs/emulator.md).
const BOOTSTRAP_IDENTITY_ID: &str = "5e1f0000-0000-4000-8000-000000000001";

/// A response, reduced to what the tests look at.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

/// One HTTP client per test: building a client loads the system's TLS roots, which
/// is far too slow to do per request, and a client must not outlive its runtime.
struct Http {
    client: reqwest::Client,
}

impl Http {
    fn new() -> Self {
        Self {
            client: http_client(),
        }
    }

    /// Sends one request; `token` goes in `Authorization: Bearer`, `body` as JSON.
    async fn send(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.client.request(method, url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the emulator answers");
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .map(|value| value.to_str().unwrap_or_default().to_owned());
        let bytes = response.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("every body is JSON")
        };
        Reply {
            status,
            retry_after,
            body,
        }
    }

    async fn create(&self, emulator: &EmulatorProcess, token: &str, body: Value) -> Reply {
        self.send("POST", &emulator.tokens_url(), Some(token), Some(body))
            .await
    }
}

fn error_body(code: u16, message: &str) -> Value {
    json!({ "code": code, "message": message })
}

fn assert_error(reply: &Reply, status: StatusCode) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert_eq!(reply.body["code"], status.as_u16(), "{:?}", reply.body);
    assert!(reply.body["message"].is_string(), "{:?}", reply.body);
    let keys: Vec<&String> = reply
        .body
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["code", "message"],
        "the error body has exactly code and message"
    );
}

fn secret_of(token: &Value) -> String {
    token["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_owned()
}

fn id_of(token: &Value) -> Uuid {
    Uuid::parse_str(token["id"].as_str().expect("id")).expect("id is a UUID")
}
