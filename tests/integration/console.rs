//! The emulator's console (`/console`): in headless Chromium (`browser`: sign-in, the
//! list, the filter, Revoke with its dialog or its confirmation page, the keyboard,
//! and Terraform noticing a revoke made in the browser), and over plain HTTP (`http`:
//! sessions, CSRF, escaping); the databases and database-tokens pages in both
//! (`database_pages`, and `http`).
//!
//! Screenshots of every page are saved in `<target dir>/test-artifacts/console/`.
//! Run: `cargo test --test integration console::`. This file holds the helpers both
//! share.

mod browser;
mod database_pages;
mod http;

use serde_json::{Value, json};

use crate::support::emulator::EmulatorProcess;

/// The console URL from the emulator's ready line.
fn console_url(emulator: &EmulatorProcess) -> String {
    emulator.ready_line()["console_url"]
        .as_str()
        .unwrap_or_else(|| panic!("no console_url in {}", emulator.ready_line()))
        .to_owned()
}

/// How many revokes the emulator's statistics counted.
fn revoke_count(emulator: &EmulatorProcess) -> u64 {
    emulator.stats()["by_operation"]["revoke_management_token"]
        .as_u64()
        .unwrap_or(0)
}

/// The API path of the emulator's cluster (Cloud Dedicated form).
fn cluster_path(emulator: &EmulatorProcess) -> String {
    format!(
        "/api/v0/accounts/{}/clusters/{}",
        emulator.account_id(),
        emulator.cluster_id()
    )
}

/// Creates database `name` (30 days of retention) with `tables` through the API.
fn create_database(emulator: &EmulatorProcess, name: &str, tables: &[&str]) {
    let databases = format!("{}/databases", cluster_path(emulator));
    let body = json!({"name": name, "retentionPeriod": 30_i64 * 86_400 * 1_000_000_000});
    let (status, reply) = emulator.request("POST", &databases, Some(body));
    assert_eq!(status, 200, "{reply}");
    for table in tables {
        let path = format!("{databases}/{name}/tables");
        let (status, reply) = emulator.request("POST", &path, Some(json!({"name": table})));
        assert_eq!(status, 200, "{reply}");
    }
}

/// Mints a database token through the API; the response (with `accessToken`).
fn create_database_token(emulator: &EmulatorProcess, description: &str) -> Value {
    let path = format!("{}/tokens", cluster_path(emulator));
    let body = json!({"description": description,
                      "permissions": [{"action": "read", "resource": "metrics"}]});
    let (status, reply) = emulator.request("POST", &path, Some(body));
    assert_eq!(status, 200, "{reply}");
    reply
}

/// The database token `id` as the API returns it.
fn database_token(emulator: &EmulatorProcess, id: &str) -> Value {
    let path = format!("{}/tokens/{id}", cluster_path(emulator));
    let (status, reply) = emulator.request("GET", &path, None);
    assert_eq!(status, 200, "{reply}");
    reply
}

/// How many database-token deletes the emulator's statistics counted.
fn delete_database_token_count(emulator: &EmulatorProcess) -> u64 {
    emulator.stats()["by_operation"]["delete_database_token"]
        .as_u64()
        .unwrap_or(0)
}
