//! A 404 or 409 to a revoke counts as done only when it is the API's own answer
//! about that token, confirmed by the token list; otherwise the error says what
//! answered.

use super::*;
use crate::provider::client::test_server::{Reply, TestServer};

const NOT_FOUND: &str = r#"{"code":404,"message":"token not found"}"#;

fn revoked_token_json() -> String {
    token_json(false).replace(
        r#""tokenPrefix""#,
        r#""revokedAt":"2026-03-02T12:00:00Z","tokenPrefix""#,
    )
}

async fn revoke_against(replies: Vec<Reply>) -> (Result<RevokeOutcome, ClientError>, TestServer) {
    let server = TestServer::start(replies).await;
    let revoked = client(&server).revoke_management_token(TOKEN_ID).await;
    (revoked, server)
}

/// The error is `Unconfirmed` and its text contains every one of `needles`.
#[track_caller]
fn assert_unconfirmed(revoked: Result<RevokeOutcome, ClientError>, needles: &[&str]) {
    let error = revoked.expect_err("the revoke must not count as done");
    assert!(
        matches!(error.kind(), ClientErrorKind::Unconfirmed { .. }),
        "{error}"
    );
    let text = error.to_string();
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} not in: {text}");
    }
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_404_from_something_else_is_not_done() {
    // What a proxy, a web server or another service at a wrong `url` says.
    let (revoked, server) =
        revoke_against(vec![Reply::typed(404, "text/plain", "404 page not found")]).await;
    assert_unconfirmed(
        revoked,
        &[
            "could not revoke management token: the answer was HTTP 404 Not Found",
            r#"content type "text/plain""#,
            r#"body "404 page not found""#,
            "may still be active",
        ],
    );
    assert_eq!(server.recorded().len(), 1, "nothing else is asked");

    for reply in [
        Reply::typed(404, "", "<html><body>Not Found</body></html>"),
        Reply::json(404, r#"{"error":"not found"}"#),
        Reply::json(404, r#"{"code":"not found","message":"no"}"#),
        Reply::json(409, r#"{"code":404,"message":"mismatched"}"#),
        Reply::typed(409, "text/html", format!("<p>conflict {TOKEN}</p>")),
        Reply::typed(404, "application/json", ""),
    ] {
        let (revoked, _server) = revoke_against(vec![reply]).await;
        assert_unconfirmed(
            revoked,
            &["which is not the management API's error response"],
        );
    }
}

#[tokio::test]
async fn an_api_shaped_404_the_list_cannot_confirm_is_not_done() {
    // Another service of the same shape: the token path and the list are both unknown.
    let route = r#"{"code":404,"message":"no such route"}"#;
    let (revoked, server) =
        revoke_against(vec![Reply::json(404, route), Reply::json(404, route)]).await;
    assert_unconfirmed(
        revoked,
        &[
            "the API answered HTTP 404 Not Found, and the token list that should confirm it failed",
            "could not list management tokens: HTTP 404 Not Found: no such route",
        ],
    );
    assert_eq!(server.recorded()[1].method, "GET");
}

#[tokio::test]
async fn a_conflict_while_the_list_shows_the_token_active_is_not_done() {
    let (revoked, _server) = revoke_against(vec![
        Reply::json(409, r#"{"code":409,"message":"token already revoked"}"#),
        Reply::json(200, format!("[{}]", token_json(false))),
    ])
    .await;
    assert_unconfirmed(
        revoked,
        &["HTTP 409 Conflict, but its token list still shows the token as active"],
    );
}

#[tokio::test]
async fn confirmed_answers_are_done() {
    let (revoked, _server) =
        revoke_against(vec![Reply::json(404, NOT_FOUND), Reply::json(200, "[]")]).await;
    assert_eq!(revoked.unwrap(), RevokeOutcome::NotFound);

    let (revoked, _server) = revoke_against(vec![
        Reply::typed(
            409,
            "application/problem+json; charset=utf-8",
            r#"{"code":409,"message":"token already revoked"}"#,
        ),
        Reply::json(200, format!("[{}]", revoked_token_json())),
    ])
    .await;
    assert_eq!(revoked.unwrap(), RevokeOutcome::AlreadyRevoked);

    let (revoked, server) = revoke_against(vec![Reply::typed(204, "", "")]).await;
    assert_eq!(revoked.unwrap(), RevokeOutcome::Revoked);
    assert_eq!(server.recorded().len(), 1, "a 204 needs no confirmation");
}

/// Database tokens go through the same confirmation (Clustered paths here).
#[tokio::test]
async fn database_token_revokes_are_confirmed_the_same_way() {
    let database_token = |revoked: bool| {
        let revoked_at = if revoked {
            r#","revokedAt":"2026-03-02T12:00:00Z""#
        } else {
            ""
        };
        format!(
            r#"[{{"id":"{TOKEN_ID}","description":"ci","permissions":[],
                 "createdAt":"2026-03-01T12:00:00Z"{revoked_at}}}]"#
        )
    };
    let revoke = |replies: Vec<Reply>| async move {
        let server = TestServer::start(replies).await;
        let clustered = ManagementApiClient::new(fast_config(&server.url(), None)).unwrap();
        (clustered.revoke_database_token(TOKEN_ID).await, server)
    };

    let (revoked, server) = revoke(vec![Reply::typed(404, "text/plain", "not found")]).await;
    assert_unconfirmed(
        revoked,
        &["could not delete database token: the answer was HTTP 404 Not Found"],
    );
    assert_eq!(server.recorded().len(), 1);

    let (revoked, server) = revoke(vec![
        Reply::json(404, NOT_FOUND),
        Reply::json(200, database_token(false)),
    ])
    .await;
    assert_unconfirmed(revoked, &["still shows the token as active"]);
    assert_eq!(server.recorded()[1].path, "/api/v0/tokens");

    let (revoked, _server) = revoke(vec![
        Reply::json(404, NOT_FOUND),
        Reply::json(200, database_token(true)),
    ])
    .await;
    assert_eq!(revoked.unwrap(), RevokeOutcome::AlreadyRevoked);

    let (revoked, _server) =
        revoke(vec![Reply::json(404, NOT_FOUND), Reply::json(200, "[]")]).await;
    assert_eq!(revoked.unwrap(), RevokeOutcome::NotFound);

    let (revoked, server) = revoke(vec![Reply::typed(204, "", "")]).await;
    assert_eq!(revoked.unwrap(), RevokeOutcome::Revoked);
    assert_eq!(
        server.recorded()[0].path,
        format!("/api/v0/tokens/{TOKEN_ID}")
    );
}
