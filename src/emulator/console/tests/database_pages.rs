//! The databases and database-tokens pages driven with `oneshot`: what they show,
//! the filters, escaping, and that a console revoke is the API's delete (CSRF and
//! Origin checked, counted, persisted).

use axum::http::{Method, StatusCode};
use chrono::{TimeDelta, Utc};

use super::{BOOTSTRAP, Console, ORIGIN};
use crate::api::{
    CreateDatabaseRequest, CreateDatabaseTokenRequest, CreateTableRequest, DatabaseToken,
    DatabaseTokenPermission, PartitionBucket, PartitionTemplatePart,
};
use crate::emulator::console::databases::{retention_in_words, template_in_words};
use crate::emulator::{Config, EmulatorState, Flavor};

const DAY_NS: i64 = 86_400 * 1_000_000_000;

impl Console {
    async fn create_database(&self, name: &str, retention_period: i64, tables: &[&str]) {
        let request = CreateDatabaseRequest {
            name: name.to_owned(),
            max_tables: Some(7),
            max_columns_per_table: Some(42),
            retention_period: Some(retention_period),
            partition_template: Some(vec![PartitionTemplatePart::Tag("region".to_owned())]),
        };
        self.state
            .write(move |store| store.create_database(request, None, Utc::now()))
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        for table in tables {
            let database = name.to_owned();
            let request = CreateTableRequest {
                name: (*table).to_owned(),
                partition_template: None,
            };
            self.state
                .write(move |store| store.create_table(&database, request, None, Utc::now()))
                .await
                .unwrap_or_else(|error| panic!("{error}"));
        }
    }

    async fn mint_database_token(&self, description: &str) -> DatabaseToken {
        let request = CreateDatabaseTokenRequest {
            description: description.to_owned(),
            permissions: vec![
                DatabaseTokenPermission {
                    action: "read".to_owned(),
                    resource: "metrics".to_owned(),
                },
                DatabaseTokenPermission {
                    action: "write".to_owned(),
                    resource: "*".to_owned(),
                },
            ],
            expires_at: None,
        };
        self.state
            .write(move |store| store.create_database_token(request, None, Utc::now()))
            .await
            .unwrap_or_else(|error| panic!("{error}"))
    }

    fn database_token(&self, id: uuid::Uuid) -> DatabaseToken {
        self.state
            .read(|store| store.get_database_token(id))
            .unwrap_or_else(|error| panic!("{error}"))
    }

    async fn post_revoke(
        &self,
        id: uuid::Uuid,
        cookie: Option<&str>,
        origin: &str,
        form: &str,
    ) -> super::Reply {
        let path = format!("/console/database-tokens/{id}/revoke");
        self.send(
            Method::POST,
            &path,
            cookie,
            Some(origin),
            Some(form.to_owned()),
        )
        .await
    }
}

fn stat(console: &Console, operation: &str) -> serde_json::Value {
    let stats = serde_json::to_value(console.state.stats().body()).unwrap_or_default();
    stats["by_operation"][operation].clone()
}

#[test]
fn retention_periods_and_templates_are_in_words() {
    assert_eq!(retention_in_words(0), "infinite");
    assert_eq!(retention_in_words(30 * DAY_NS), "30 days");
    assert_eq!(retention_in_words(DAY_NS), "1 day");
    assert_eq!(retention_in_words(DAY_NS + DAY_NS / 2), "1 day 12 hours");
    assert_eq!(
        retention_in_words(90 * 1_000_000_000),
        "1 minute 30 seconds"
    );
    assert_eq!(retention_in_words(1_500), "1500 nanoseconds");
    assert_eq!(template_in_words(None), "default (by day)");
    let parts = [
        PartitionTemplatePart::Tag("region".to_owned()),
        PartitionTemplatePart::Time("%Y-%m".to_owned()),
        PartitionTemplatePart::Bucket(PartitionBucket {
            tag_name: "host".to_owned(),
            number_of_buckets: 10,
        }),
    ];
    assert_eq!(
        template_in_words(Some(&parts)),
        "tag region, time %Y-%m, bucket host into 10 buckets"
    );
}

#[tokio::test]
async fn the_pages_need_a_session_and_are_in_the_navigation() {
    let console = Console::new();
    for path in ["/console/databases", "/console/database-tokens"] {
        let reply = console.get(path, None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.location, "/console/sign-in", "{path}");
    }
    let cookie = console.sign_in(BOOTSTRAP).await;
    let page = console.get("/console/databases", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for link in [
        "<a href=\"/console/management-tokens\">Management tokens</a>",
        "<a href=\"/console/databases\" aria-current=\"page\">Databases</a>",
        "<a href=\"/console/database-tokens\">Database tokens</a>",
    ] {
        assert!(page.body.contains(link), "{link}: {}", page.body);
    }
}

#[tokio::test]
async fn the_databases_page_lists_live_databases_with_their_tables() {
    let console = Console::new();
    console
        .create_database("metrics", 30 * DAY_NS, &["cpu", "mem"])
        .await;
    console.create_database("logs/app", 0, &[]).await;
    console.create_database("gone", 0, &[]).await;
    console
        .state
        .write(|store| store.delete_database("gone", Utc::now()))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let cookie = console.sign_in(BOOTSTRAP).await;
    let page = console.get("/console/databases", Some(&cookie)).await;
    let rows = |body: &str| body.matches("<tr data-database=").count();
    assert_eq!(rows(&page.body), 2, "{}", page.body);
    for text in [
        "2 of 2 databases shown",
        ">metrics</th>",
        ">logs/app</th>",
        ">7</td>",
        ">42</td>",
        ">30 days</td>",
        ">infinite</td>",
        "<code>tag region</code>",
        "<li>cpu</li><li>mem</li>",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    assert!(
        !page.body.contains(">gone</th>"),
        "a deleted database is not listed"
    );
    let search = console
        .get("/console/databases?q=METR", Some(&cookie))
        .await;
    assert_eq!(rows(&search.body), 1);
    assert!(search.body.contains("1 of 2 databases shown"));
    let none = console
        .get("/console/databases?q=%3Cb%3Ex", Some(&cookie))
        .await;
    assert!(none.body.contains("No database matches."));
    assert!(!none.body.contains("<b>x"), "{}", none.body);
    assert_eq!(
        stat(&console, "list_databases"),
        0,
        "a console page is not counted"
    );
}

#[tokio::test]
async fn the_database_tokens_page_shows_prefix_and_permissions_never_the_secret() {
    let console = Console::new();
    let token = console.mint_database_token("ingest").await;
    // Read through the wire form, which shows the secret whatever type holds it.
    let wire = serde_json::to_value(&token).unwrap_or_default();
    let secret = wire["accessToken"].as_str().unwrap_or_default().to_owned();
    assert!(secret.starts_with("apiv1_"), "{wire}");
    let cookie = console.sign_in(BOOTSTRAP).await;
    let page = console.get("/console/database-tokens", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&secret), "a secret is never shown");
    let prefix: String = secret.chars().take(9).collect();
    assert!(
        page.body.contains(&format!("<code>{prefix}…</code>")),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<li>read on metrics</li><li>write on all databases</li>")
    );
    assert!(page.body.contains("data-status=\"active\""));
    assert!(
        page.body
            .contains(&format!("/console/database-tokens/{}/revoke", token.id))
    );
}

#[tokio::test]
async fn database_token_filters_and_search_pick_the_rows() {
    let console = Console::new();
    let kept = console.mint_database_token("ci pipeline").await;
    let gone = console.mint_database_token("old laptop").await;
    let gone_id = gone.id;
    console
        .state
        .write(move |store| store.delete_database_token(gone_id, Utc::now()))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let cookie = console.sign_in(BOOTSTRAP).await;
    console
        .check_token_filters(
            "/console/database-tokens",
            &cookie,
            "?q=PIPE",
            gone.id,
            kept.id,
        )
        .await;
    let confirm = console
        .get(
            &format!("/console/database-tokens/{}/revoke", gone.id),
            Some(&cookie),
        )
        .await;
    assert!(confirm.body.contains("This token is already revoked."));
    assert!(!confirm.body.contains("id=\"confirm-revoke\""));
}

#[tokio::test]
async fn a_database_token_revoke_needs_the_csrf_token_and_the_own_origin() {
    let console = Console::new();
    let token = console.mint_database_token("guarded").await;
    let cookie = console.sign_in(BOOTSTRAP).await;
    let csrf = console.csrf_token(&cookie).await;
    let good = format!("csrf_token={csrf}");
    let cases = [
        ("no session", None, ORIGIN, good.as_str()),
        ("no CSRF token", Some(cookie.as_str()), ORIGIN, ""),
        (
            "wrong CSRF token",
            Some(cookie.as_str()),
            ORIGIN,
            "csrf_token=x",
        ),
        (
            "another origin",
            Some(cookie.as_str()),
            "http://evil.example",
            good.as_str(),
        ),
    ];
    for (case, cookie, origin, form) in cases {
        let reply = console.post_revoke(token.id, cookie, origin, form).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{case}: {}",
            reply.body
        );
        assert_eq!(console.database_token(token.id).revoked_at, None, "{case}");
    }
    assert_eq!(stat(&console, "delete_database_token"), 0);
    let reply = console
        .post_revoke(token.id, Some(&cookie), ORIGIN, &good)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        reply.location,
        format!("/console/database-tokens?revoked={}", token.id)
    );
    assert!(console.database_token(token.id).revoked_at.is_some());
    assert_eq!(stat(&console, "delete_database_token"), 1);
    let list = console.get(&reply.location, Some(&cookie)).await;
    assert!(list.body.contains("Revoked “guarded”"), "{}", list.body);
    assert!(list.body.contains("data-status=\"revoked\""));
    let again = console
        .post_revoke(token.id, Some(&cookie), ORIGIN, &good)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(stat(&console, "delete_database_token"), 1);
    let unknown = console
        .post_revoke(uuid::Uuid::new_v4(), Some(&cookie), ORIGIN, &good)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn html_in_a_database_token_description_is_shown_as_text() {
    let console = Console::new();
    let token = console
        .mint_database_token("<script>alert('x')</script><b>bold</b>")
        .await;
    let cookie = console.sign_in(BOOTSTRAP).await;
    let list = console.get("/console/database-tokens", Some(&cookie)).await;
    let confirm = console
        .get(
            &format!("/console/database-tokens/{}/revoke", token.id),
            Some(&cookie),
        )
        .await;
    for page in [&list, &confirm] {
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("<script>alert"), "{}", page.body);
        assert!(!page.body.contains("<b>bold"), "{}", page.body);
        assert!(page.body.contains("&#60;script&#62;alert"), "{}", page.body);
    }
}

#[tokio::test]
async fn a_console_revoke_is_persisted_and_works_clustered() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = dir.path().join("state.json");
    let config = || Config {
        flavor: Flavor::Clustered,
        state_file: Some(path.clone()),
        ..Config::default()
    };
    let console = Console::with_config(config());
    console.create_database("clustered-db", DAY_NS, &[]).await;
    let token = console.mint_database_token("clustered token").await;
    let cookie = console.sign_in(BOOTSTRAP).await;
    let databases = console.get("/console/databases", Some(&cookie)).await;
    assert!(
        databases.body.contains(">clustered-db</th>"),
        "{}",
        databases.body
    );
    let csrf = console.csrf_token(&cookie).await;
    let reply = console
        .post_revoke(
            token.id,
            Some(&cookie),
            ORIGIN,
            &format!("csrf_token={csrf}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let revoked_at = console.database_token(token.id).revoked_at;
    assert!(revoked_at.is_some());
    drop(console);
    let restarted = EmulatorState::new(Config {
        bootstrap_token: Some(BOOTSTRAP.to_owned()),
        ..config()
    })
    .unwrap_or_else(|error| panic!("{error}"));
    let reloaded = restarted
        .read(|store| store.get_database_token(token.id))
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(reloaded.revoked_at, revoked_at);
    assert!(
        reloaded.created_at > Utc::now() - TimeDelta::minutes(5),
        "the same token"
    );
}
