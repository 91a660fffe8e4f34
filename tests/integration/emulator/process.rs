//! The process: ready line, flags, exit codes, stdout and logs.

use super::*;

#[tokio::test]
async fn ready_line_carries_url_ids_and_token() {
    let emulator = EmulatorProcess::start();
    let ready = emulator.ready_line();
    let keys: Vec<&String> = ready.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        ["account_id", "cluster_id", "console_url", "token", "url"]
    );
    assert_eq!(
        ready["console_url"].as_str(),
        Some(format!("{}/console", emulator.url()).as_str())
    );
    assert!(
        emulator.url().starts_with("http://127.0.0.1:"),
        "{}",
        emulator.url()
    );
    assert_ne!(emulator.account_id(), emulator.cluster_id());
    assert!(!emulator.token().is_empty());
}

#[tokio::test]
async fn ids_and_token_come_from_the_flags() {
    let http = Http::new();
    let account_id = Uuid::new_v4().to_string();
    let cluster_id = Uuid::new_v4().to_string();
    let emulator = EmulatorProcess::start_with(&[
        "--account-id",
        &account_id,
        "--cluster-id",
        &cluster_id,
        "--token",
        "my-admin-token",
    ]);
    assert_eq!(emulator.account_id().to_string(), account_id);
    assert_eq!(emulator.cluster_id().to_string(), cluster_id);
    assert_eq!(emulator.token(), "my-admin-token");
    let reply = http
        .send("GET", &emulator.tokens_url(), Some("my-admin-token"), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[test]
fn a_bad_flag_exits_2_with_a_message() {
    for (args, message) in [
        (vec!["--bogus"], "unknown flag --bogus"),
        (
            vec!["--account-id", "nope"],
            "--account-id: \"nope\" is not a UUID",
        ),
        (vec!["--listen"], "--listen needs a value"),
        (vec!["--token", "has space"], "--token"),
    ] {
        let output = run_to_exit(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn help_prints_usage_on_stdout_and_exits_0() {
    let output = run_to_exit(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--listen",
        "--account-id",
        "--cluster-id",
        "--token",
        "--state-file",
        "--clustered",
        "127.0.0.1:8181",
    ] {
        assert!(stdout.contains(flag), "{flag} in {stdout}");
    }
}

#[tokio::test]
async fn sigterm_exits_0_with_the_ready_line_as_the_only_stdout() {
    let emulator = EmulatorProcess::start();
    let minted = emulator.create("before shutdown");
    emulator.revoke(minted.id);
    let stopped = emulator.stop();
    assert_eq!(stopped.status.code(), Some(0), "{}", stopped.stderr);
    let lines: Vec<&str> = stopped.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{:?}", stopped.stdout);
    let ready: Value = serde_json::from_str(lines[0]).expect("the ready line is JSON");
    assert!(ready["url"].is_string());
}

#[tokio::test]
async fn logs_never_contain_secrets() {
    let http = Http::new();
    let emulator = EmulatorProcess::start_with(&["--token", "bootstrap-secret-value"]);
    let minted = emulator.create("logged");
    let secret = EmulatorProcess::access_token_of(&minted);
    http.send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await;
    emulator.revoke(minted.id);
    http.send("GET", &emulator.tokens_url(), Some(&secret), None)
        .await; // 401
    http.send("GET", &emulator.tokens_url(), Some("Bearer-guess"), None)
        .await; // 401
    emulator.set_fault(json!({"status": 500, "count": 1}));
    http.send(
        "POST",
        &emulator.tokens_url(),
        Some(&emulator.token()),
        Some(json!({"description": "x"})),
    )
    .await;
    let stopped = emulator.stop();
    assert!(!stopped.stderr.is_empty(), "the emulator logs");
    for secret in ["bootstrap-secret-value", secret.as_str(), "Bearer-guess"] {
        assert!(
            !stopped.stderr.contains(secret),
            "{secret} in:\n{}",
            stopped.stderr
        );
    }
}
