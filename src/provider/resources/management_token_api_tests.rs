//! The resource's operations against the emulator served in-process: reading
//! revoked, expired and unknown tokens, deleting, importing an expired token,
//! the plan's check of the provider token, and a process seeing its own
//! writes. (The Terraform CLIs cover the same ground end to end.)

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use uuid::Uuid;

use super::*;
use crate::api::CreateManagementTokenRequest;
use crate::emulator::{Config, EmulatorState, serve};
use crate::provider::ConfigState;
use crate::provider::client::{ClientConfig, ManagementApiClient, RevokeOutcome};

const BOOTSTRAP: &str = "bootstrap-SECRET-5c2e";

/// The emulator on `127.0.0.1:0`, stopped when the test's runtime ends.
struct Api {
    url: String,
    state: EmulatorState,
}

impl Api {
    async fn start() -> Self {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let state = EmulatorState::new(Config {
            bootstrap_token: Some(BOOTSTRAP.to_owned()),
            ..Config::default()
        })
        .unwrap_or_else(|error| panic!("{error}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(serve(listener, state.clone(), std::future::pending::<()>()));
        Self { url, state }
    }

    fn client(&self, token: &str) -> ManagementApiClient {
        ManagementApiClient::new(ClientConfig::new(
            &self.url,
            Some(self.state.account_id()),
            token,
        ))
        .unwrap()
    }

    /// A resource whose provider is configured with `token`.
    fn resource(&self, token: &str) -> ManagementTokenResource {
        let data = Arc::new(ProviderData::default());
        data.set(ConfigState::Ready(self.client(token)));
        ManagementTokenResource::new(data)
    }

    /// Mints a token out of band (as another tool would).
    async fn mint(&self, description: &str, expires_at: Option<DateTime<Utc>>) -> ManagementToken {
        let request = CreateManagementTokenRequest {
            description: description.to_owned(),
            expires_at,
        };
        self.client(BOOTSTRAP)
            .create_management_token(&request)
            .await
            .unwrap()
    }

    async fn revoke(&self, id: Uuid) {
        let outcome = self.client(BOOTSTRAP).revoke_management_token(id).await;
        assert!(matches!(outcome, Ok(RevokeOutcome::Revoked)), "{outcome:?}");
    }

    async fn is_revoked(&self, id: Uuid) -> bool {
        self.client(BOOTSTRAP)
            .get_management_token(id)
            .await
            .unwrap()
            .is_some_and(|token| token.revoked_at.is_some())
    }

    fn list_requests(&self) -> u64 {
        let stats = serde_json::to_value(self.state.stats().body()).unwrap();
        stats["by_operation"]["list_management_tokens"]
            .as_u64()
            .unwrap()
    }
}

/// The state the resource would hold for `token`.
fn state_of(token: &ManagementToken) -> Value {
    ManagementTokenModelV0::from_api(token, None, Some("M.V1.secret-in-state".into())).to_value()
}

async fn read(resource: &ManagementTokenResource, state: Value) -> ReadResponse {
    resource.read(ReadRequest { state }).await
}

fn create_plan(description: &str) -> PlanContext {
    let config = Value::object([
        ("description", Value::string(description)),
        ("expires_at", Value::Null),
        ("id", Value::Null),
        ("access_token", Value::Null),
        ("token_prefix", Value::Null),
        ("created_at", Value::Null),
        ("created_by", Value::Null),
    ]);
    PlanContext {
        planned: config.clone(),
        config,
        prior: None,
        requires_replace: vec![],
        diagnostics: Diagnostics::new(),
    }
}

#[tokio::test]
async fn read_keeps_a_live_token_and_drops_revoked_and_unknown_ones() {
    let api = Api::start().await;
    let live = api.mint("live", None).await;
    let revoked = api.mint("revoked", None).await;
    api.revoke(revoked.id).await;
    let resource = api.resource(BOOTSTRAP);

    let kept = read(&resource, state_of(&live)).await;
    assert!(kept.diagnostics.is_empty(), "{:?}", kept.diagnostics);
    let kept = kept.state.expect("a live token stays in state");
    assert_eq!(string_attr(&kept, "id"), Some(live.id.to_string().as_str()));
    assert_eq!(
        string_attr(&kept, "access_token"),
        Some("M.V1.secret-in-state"),
        "the secret in state is kept"
    );

    let gone = read(&resource, state_of(&revoked)).await;
    assert!(gone.diagnostics.is_empty(), "{:?}", gone.diagnostics);
    assert!(gone.state.is_none(), "a revoked token reads as gone");

    let mut unknown = live.clone();
    unknown.id = Uuid::new_v4();
    let gone = read(&resource, state_of(&unknown)).await;
    assert!(gone.diagnostics.is_empty() && gone.state.is_none());
    assert_eq!(api.list_requests(), 1, "the three reads share one list");
}

#[tokio::test]
async fn an_expired_token_reads_as_gone_and_cannot_be_imported() {
    let api = Api::start().await;
    let expiry = Utc::now() + ChronoDuration::milliseconds(1200);
    let token = api.mint("expires soon", Some(expiry)).await;
    while Utc::now() <= expiry {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let resource = api.resource(BOOTSTRAP);

    let gone = read(&resource, state_of(&token)).await;
    assert!(gone.diagnostics.is_empty(), "{:?}", gone.diagnostics);
    assert!(gone.state.is_none(), "an expired token reads as gone");

    let import = resource.import_state(&token.id.to_string()).await;
    assert!(import.state.is_none());
    let diagnostic = import.diagnostics.iter().next().expect("a diagnostic");
    assert!(diagnostic.is_error());
    assert_eq!(diagnostic.summary, "Cannot Import Expired Management Token");
    assert!(
        diagnostic
            .detail
            .contains(&format!("Management token {} has expired", token.id)),
        "{}",
        diagnostic.detail
    );
}

#[tokio::test]
async fn delete_revokes_and_a_later_read_in_the_process_sees_it() {
    let api = Api::start().await;
    let token = api.mint("to delete", None).await;
    let resource = api.resource(BOOTSTRAP);
    // Loads the list: the token is live.
    assert!(read(&resource, state_of(&token)).await.state.is_some());

    let deleted = resource
        .delete(DeleteRequest {
            state: state_of(&token),
        })
        .await;
    assert!(deleted.diagnostics.is_empty(), "{:?}", deleted.diagnostics);
    assert!(
        api.is_revoked(token.id).await,
        "the API still has it active"
    );
    // The process's own revoke is seen at once, not after the cache's age.
    assert!(
        read(&resource, state_of(&token)).await.state.is_none(),
        "a read after this process's revoke still found the token live"
    );
    assert_eq!(api.list_requests(), 2);

    // Already revoked, and never minted: both count as done.
    let again = resource
        .delete(DeleteRequest {
            state: state_of(&token),
        })
        .await;
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    let mut unknown = token.clone();
    unknown.id = Uuid::new_v4();
    let never = resource
        .delete(DeleteRequest {
            state: state_of(&unknown),
        })
        .await;
    assert!(never.diagnostics.is_empty(), "{:?}", never.diagnostics);
}

#[tokio::test]
async fn a_create_in_the_process_is_seen_by_a_later_read() {
    let api = Api::start().await;
    let resource = api.resource(BOOTSTRAP);
    let mut plan = create_plan("mine");
    resource.modify_plan(&mut plan).await;
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(api.list_requests(), 1, "the plan's check listed the tokens");

    let created = resource
        .create(CreateRequest {
            config: plan.config.clone(),
            planned: plan.planned.clone(),
        })
        .await;
    assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
    let state = created.state.expect("created");
    let refreshed = read(&resource, state.clone()).await;
    assert_eq!(
        refreshed.state.as_ref().and_then(|s| string_attr(s, "id")),
        string_attr(&state, "id"),
        "a read after this process's create did not find the token"
    );
}

#[tokio::test]
async fn plan_of_a_create_fails_on_a_refused_token_and_checks_once() {
    let api = Api::start().await;

    let wrong = api.resource("M.V1.wrong-SECRET-token");
    let mut plan = create_plan("x");
    wrong.modify_plan(&mut plan).await;
    let diagnostic = plan.diagnostics.iter().next().expect("a diagnostic");
    assert!(diagnostic.is_error());
    assert_eq!(diagnostic.summary, "Error Creating Management Token");
    assert!(
        diagnostic.detail.contains("HTTP 401"),
        "{}",
        diagnostic.detail
    );
    assert!(
        diagnostic
            .detail
            .contains("The management token was refused"),
        "{}",
        diagnostic.detail
    );
    assert!(!diagnostic.detail.contains("wrong-SECRET"));

    let revoked = api.mint("revoked provider token", None).await;
    let secret = revoked.access_token.clone().expect("a secret");
    api.revoke(revoked.id).await;
    let mut plan = create_plan("x");
    api.resource(secret.expose()).modify_plan(&mut plan).await;
    assert!(
        plan.diagnostics.has_error(),
        "a revoked token passed the plan"
    );

    let before = api.list_requests();
    let good = api.resource(BOOTSTRAP);
    for _ in 0..3 {
        let mut plan = create_plan("x");
        good.modify_plan(&mut plan).await;
        assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    }
    assert_eq!(
        api.list_requests() - before,
        1,
        "one check per configured provider"
    );
}

#[tokio::test]
async fn plan_with_unknown_provider_configuration_makes_no_request() {
    let api = Api::start().await;
    let data = Arc::new(ProviderData::default());
    data.set(ConfigState::NotYetKnown);
    let resource = ManagementTokenResource::new(data);
    let mut plan = create_plan("x");
    resource.modify_plan(&mut plan).await;
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(api.list_requests(), 0);
}
