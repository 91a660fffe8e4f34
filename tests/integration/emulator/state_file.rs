//! `--state-file`: restarts, durability, and files that must stop the start.

use super::*;

#[tokio::test]
async fn a_restart_with_the_state_file_serves_the_same_tokens() {
    let http = Http::new();
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("state.json");
    let state_arg = state_file.to_str().expect("UTF-8 path");
    let first = EmulatorProcess::start_with(&["--state-file", state_arg]);
    let kept = first.create("kept");
    let revoked = first.create("revoked");
    assert_eq!(first.revoke(revoked.id), 204);
    let listed_before = first.list_tokens();
    let (account_id, cluster_id, token) = (first.account_id(), first.cluster_id(), first.token());
    let stopped = first.stop();
    assert!(stopped.status.success(), "{:?}", stopped.status);
    let on_disk = std::fs::read_to_string(&state_file).expect("state file");
    let kept_secret = EmulatorProcess::access_token_of(&kept);
    assert!(
        !on_disk.contains(&kept_secret),
        "minted secrets are stored as digests"
    );

    let second = EmulatorProcess::start_with(&["--state-file", state_arg]);
    assert_eq!(second.account_id(), account_id);
    assert_eq!(second.cluster_id(), cluster_id);
    assert_eq!(second.token(), token);
    assert_eq!(second.list_tokens(), listed_before);
    let as_kept = http
        .send("GET", &second.tokens_url(), Some(&kept_secret), None)
        .await;
    assert_eq!(
        as_kept.status,
        StatusCode::OK,
        "a minted token still authenticates"
    );
    let revoked_secret = EmulatorProcess::access_token_of(&revoked);
    let as_revoked = http
        .send("GET", &second.tokens_url(), Some(&revoked_secret), None)
        .await;
    assert_error(&as_revoked, StatusCode::UNAUTHORIZED);
    assert_eq!(second.revoke(revoked.id), 409);
}

#[tokio::test]
async fn a_change_is_on_disk_before_its_response() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("state.json");
    let emulator =
        EmulatorProcess::start_with(&["--state-file", state_file.to_str().expect("UTF-8")]);
    let minted = emulator.create("durable");
    let on_disk = std::fs::read_to_string(&state_file).expect("state file");
    assert!(on_disk.contains(&minted.id.to_string()));
    // A kill (no clean shutdown) loses nothing that was answered.
    drop(emulator);
    let again = EmulatorProcess::start_with(&["--state-file", state_file.to_str().expect("UTF-8")]);
    assert_eq!(again.list_tokens().len(), 1);
}

#[test]
fn a_corrupt_state_file_fails_the_start_and_is_kept() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("state.json");
    std::fs::write(&state_file, "{ this is not json").expect("write");
    let output = run_to_exit(&[
        "--listen",
        "127.0.0.1:0",
        "--state-file",
        state_file.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no ready line");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("corrupt"), "{stderr}");
    assert!(
        stderr.contains(state_file.to_str().expect("UTF-8")),
        "{stderr}"
    );
    let content = std::fs::read_to_string(&state_file).expect("still there");
    assert_eq!(content, "{ this is not json", "never silently replaced");
}

#[test]
fn an_unreadable_state_file_fails_the_start() {
    let directory = tempfile::tempdir().expect("temporary directory");
    // A directory cannot be read as a file.
    let output = run_to_exit(&[
        "--listen",
        "127.0.0.1:0",
        "--state-file",
        directory.path().to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read state file"), "{stderr}");
}
