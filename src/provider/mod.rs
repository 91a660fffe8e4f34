//! The provider layer: the `influxdb3` provider, its configuration, the
//! management-API client, resources and data sources.
//!
//! Uses the framework for everything Terraform-shaped and [`crate::api`] for
//! the wire types; the HTTP code lives in [`client`] only, so a future
//! official endpoint is a change there.

mod actions;
pub mod client;
mod client_options;
pub mod config;
mod data_sources;
mod database_list;
mod diagnostics;
mod ephemeral_resources;
mod list_cache;
mod list_resources;
pub mod product;
mod resources;
mod secret_value;
mod self_hosted_config;
mod self_hosted_data;
mod token_kind;
pub mod v3_client;

#[cfg(test)]
#[path = "product_mismatch_tests.rs"]
mod product_mismatch_tests;

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use uuid::Uuid;

use crate::api::v3::TokenRow;
use crate::api::{DatabaseToken, ManagementToken};

use crate::framework::action::Action;
use crate::framework::data_source::DataSource;
use crate::framework::diag::{Diagnostic, Diagnostics};
use crate::framework::ephemeral_resource::EphemeralResource;
use crate::framework::list_resource::ListResource;
use crate::framework::provider::{ConfigureRequest, Provider};
use crate::framework::resource::Resource;
use crate::framework::schema::Schema;
use crate::framework::value::Value;

use self::client::{ClientError, ManagementApiClient};
use self::config::ResolvedConfig;
use self::list_cache::ListCache;
use self::product::{Product, ProductScope, WRONG_PRODUCT};
use self::v3_client::V3Client;

/// The provider type name.
pub const PROVIDER_TYPE_NAME: &str = "influxdb3";
/// The source address users put in `required_providers` (with the registry host).
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/influxdb3/influxdb3";
/// The provider's version.
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The `influxdb3` provider.
#[derive(Debug, Clone, Default)]
pub struct InfluxDb3Provider {
    data: Arc<ProviderData>,
    env: Option<fn(&str) -> Option<String>>,
}

impl InfluxDb3Provider {
    /// A provider that reads its environment variables from the process.
    pub fn new() -> Self {
        Self::default()
    }

    fn env(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| match self.env {
            Some(get) => get(name),
            None => std::env::var(name).ok(),
        }
    }
}

/// What configuring the provider produced, shared with every resource and
/// data source of the process.
#[derive(Debug, Default)]
pub(crate) struct ProviderData {
    state: RwLock<ConfigState>,
    /// One list call serves every refresh of the process; see [`list_cache`].
    management_tokens: ListCache<HashMap<Uuid, ManagementToken>>,
    /// The same for the cluster's databases, by name; see [`database_list`].
    databases: ListCache<HashMap<String, crate::api::Database>>,
    /// The same for database tokens: one list call per process serves every read.
    database_tokens: ListCache<HashMap<Uuid, DatabaseToken>>,
    /// Whether a list call succeeded since the provider was last configured:
    /// the API accepted the provider token in this command.
    token_accepted: AtomicBool,
    /// Whether a list call of the cluster (databases, database tokens)
    /// succeeded since the provider was last configured: the API accepted the
    /// provider token for the cluster, and on Cloud Dedicated its
    /// `cluster_id`. The plan-time check of a database or table to create
    /// needs no request after that (see `database_list::check_cluster_accepted`).
    cluster_accepted: AtomicBool,
    /// The token list of a self-hosted server, as [`Self::management_tokens`];
    /// see `self_hosted_data`.
    self_hosted_tokens: ListCache<Vec<TokenRow>>,
    /// The database names of a self-hosted server, likewise.
    self_hosted_databases: ListCache<Vec<String>>,
}

#[derive(Debug, Default)]
enum ConfigState {
    /// `ConfigureProvider` has not run.
    #[default]
    NotConfigured,
    /// The configuration depends on values not known yet (plan only).
    NotYetKnown,
    /// Ready to call the API.
    Ready(ManagementApiClient),
    /// Ready to call the `/api/v3` API of a self-hosted server.
    SelfHosted(V3Client),
}

impl ProviderData {
    /// The configured client, or a diagnostic saying why there is none.
    /// `Ok(None)` means the configuration is not known yet (plan phase).
    pub(crate) fn client(&self) -> Result<Option<ManagementApiClient>, Diagnostic> {
        let state = self
            .state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*state {
            ConfigState::Ready(client) => Ok(Some(client.clone())),
            ConfigState::NotYetKnown => Ok(None),
            ConfigState::SelfHosted(client) => Err(management_on_self_hosted(client)),
            ConfigState::NotConfigured => Err(not_configured()),
        }
    }

    /// The client of a self-hosted server (Core or Enterprise), or a
    /// diagnostic saying why there is none. `Ok(None)` means the configuration
    /// is not known yet (plan phase).
    pub(crate) fn v3_client(&self) -> Result<Option<V3Client>, Diagnostic> {
        let state = self
            .state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*state {
            ConfigState::SelfHosted(client) => Ok(Some(client.clone())),
            ConfigState::NotYetKnown => Ok(None),
            ConfigState::Ready(_) => Err(self_hosted_on_management()),
            ConfigState::NotConfigured => Err(not_configured()),
        }
    }

    /// The diagnostic for `scope`'s type used with a provider configured for
    /// the other family of products, naming the type and what to use
    /// instead; `None` when they match, or the configuration is not known
    /// (yet).
    pub(crate) fn wrong_product_for(&self, scope: &ProductScope) -> Option<Diagnostic> {
        let state = self
            .state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match (&*state, scope.self_hosted) {
            (ConfigState::SelfHosted(client), false) => {
                Some(scope.used_with(&Product::SelfHosted(client.product())))
            }
            (ConfigState::Ready(_), true) => Some(scope.used_with_cloud()),
            _ => None,
        }
    }

    /// [`Self::client`] for `scope`'s type (a Cloud one): a provider
    /// configured for Core or Enterprise gets [`Self::wrong_product_for`]'s
    /// diagnostic.
    pub(crate) fn client_for(
        &self,
        scope: &ProductScope,
    ) -> Result<Option<ManagementApiClient>, Diagnostic> {
        self.client()
            .map_err(|diagnostic| self.wrong_product_for(scope).unwrap_or(diagnostic))
    }

    /// [`Self::v3_client`] for `scope`'s type (a self-hosted one): a provider
    /// configured for Cloud Dedicated or Clustered gets
    /// [`Self::wrong_product_for`]'s diagnostic.
    pub(crate) fn v3_client_for(
        &self,
        scope: &ProductScope,
    ) -> Result<Option<V3Client>, Diagnostic> {
        self.v3_client()
            .map_err(|diagnostic| self.wrong_product_for(scope).unwrap_or(diagnostic))
    }

    /// [`Self::require_client`] for `scope`'s type, as [`Self::client_for`].
    pub(crate) fn require_client_for(
        &self,
        scope: &ProductScope,
        summary: &str,
    ) -> Result<ManagementApiClient, Diagnostic> {
        self.require_client(summary)
            .map_err(|diagnostic| self.wrong_product_for(scope).unwrap_or(diagnostic))
    }

    /// [`Self::require_v3_client`] for `scope`'s type (a self-hosted one): a
    /// provider configured for Cloud Dedicated or Clustered gets
    /// [`Self::wrong_product_for`]'s diagnostic.
    pub(crate) fn require_v3_client_for(
        &self,
        scope: &ProductScope,
        summary: &str,
    ) -> Result<V3Client, Diagnostic> {
        self.require_v3_client(summary)
            .map_err(|diagnostic| self.wrong_product_for(scope).unwrap_or(diagnostic))
    }

    /// The self-hosted client for an operation that must call the API now;
    /// the error diagnostic (titled `summary`) says why there is none.
    pub(crate) fn require_v3_client(&self, summary: &str) -> Result<V3Client, Diagnostic> {
        match self.v3_client() {
            Ok(Some(client)) => Ok(client),
            Ok(None) => Err(diagnostics::configuration_not_known(summary)),
            Err(diagnostic) => Err(diagnostic),
        }
    }

    /// The configured client for an operation that must call the API now;
    /// the error diagnostic (titled `summary`) says why there is none.
    pub(crate) fn require_client(&self, summary: &str) -> Result<ManagementApiClient, Diagnostic> {
        match self.client() {
            Ok(Some(client)) => Ok(client),
            Ok(None) => Err(diagnostics::configuration_not_known(summary)),
            Err(diagnostic) => Err(diagnostic),
        }
    }

    /// The management token `id` as the (cached) list shows it, revoked and
    /// expired ones included; `None` when it is not listed at all.
    pub(crate) async fn listed_management_token(
        &self,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<ManagementToken>, ClientError> {
        let tokens = self.management_token_list(client).await?;
        Ok(tokens.get(&id).cloned())
    }

    /// Checks that the API accepts the provider token, once per configured
    /// provider: with the list request a refresh makes anyway (none when one
    /// already succeeded or is in flight), so a plan that only creates fails
    /// on a wrong or revoked token instead of the apply.
    pub(crate) async fn check_token_accepted(
        &self,
        client: &ManagementApiClient,
    ) -> Result<(), ClientError> {
        if self.token_accepted.load(Ordering::Acquire) {
            return Ok(());
        }
        self.management_token_list(client).await.map(drop)
    }

    async fn management_token_list(
        &self,
        client: &ManagementApiClient,
    ) -> Result<Arc<HashMap<Uuid, ManagementToken>>, ClientError> {
        self.load_by_id(
            &self.management_tokens,
            client.list_management_tokens(),
            |token| token.id,
            false,
        )
        .await
    }

    /// Call after every create or revoke so later reads see it.
    pub(crate) fn management_tokens_changed(&self) {
        self.management_tokens.invalidate();
    }

    /// The database token `id` as the (cached) list shows it, revoked and
    /// expired ones included; `None` when it is not listed at all.
    pub(crate) async fn listed_database_token(
        &self,
        client: &ManagementApiClient,
        id: Uuid,
    ) -> Result<Option<DatabaseToken>, ClientError> {
        let tokens = self.database_token_list(client).await?;
        Ok(tokens.get(&id).cloned())
    }

    /// Every database token, as the (cached) list shows them, by id.
    pub(crate) async fn database_token_list(
        &self,
        client: &ManagementApiClient,
    ) -> Result<Arc<HashMap<Uuid, DatabaseToken>>, ClientError> {
        self.load_by_id(
            &self.database_tokens,
            client.list_database_tokens(),
            |token| token.id,
            true,
        )
        .await
    }

    /// The cached list of `cache`, loaded with `list` when there is none: by
    /// id. A load that succeeds shows that the API accepts the provider token
    /// (and, for a `cluster_scoped` list, the cluster).
    async fn load_by_id<T>(
        &self,
        cache: &ListCache<HashMap<Uuid, T>>,
        list: impl Future<Output = Result<Vec<T>, ClientError>>,
        id: fn(&T) -> Uuid,
        cluster_scoped: bool,
    ) -> Result<Arc<HashMap<Uuid, T>>, ClientError> {
        cache
            .get_or_load(|| async {
                let listed = list.await?;
                self.token_accepted.store(true, Ordering::Release);
                if cluster_scoped {
                    self.cluster_accepted.store(true, Ordering::Release);
                }
                Ok(listed.into_iter().map(|item| (id(&item), item)).collect())
            })
            .await
    }

    /// Call after every create, update or revoke of a database token.
    pub(crate) fn database_tokens_changed(&self) {
        self.database_tokens.invalidate();
    }

    fn set(&self, new_state: ConfigState) {
        self.management_tokens.invalidate();
        self.self_hosted_tokens.invalidate();
        self.self_hosted_databases.invalidate();
        self.databases.invalidate();
        self.database_tokens.invalidate();
        self.token_accepted.store(false, Ordering::Release);
        self.cluster_accepted.store(false, Ordering::Release);
        let mut state = self
            .state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *state = new_state;
    }
}

fn management_on_self_hosted(client: &V3Client) -> Diagnostic {
    Diagnostic::error(
        WRONG_PRODUCT,
        format!(
            "This resource belongs to InfluxDB 3 Cloud Dedicated and Clustered; this \
             provider is configured for {}. Use the influxdb3_self_hosted_* resources \
             with it, or give this resource a provider alias configured for Cloud \
             Dedicated or Clustered.",
            client.product()
        ),
    )
}

fn self_hosted_on_management() -> Diagnostic {
    Diagnostic::error(
        WRONG_PRODUCT,
        "This resource manages InfluxDB 3 Core or Enterprise (self-hosted) servers; this \
         provider is configured for InfluxDB 3 Cloud Dedicated or Clustered. Give the \
         resource a provider alias with `product = \"core\"` or `product = \"enterprise\"` \
         and the server's `host`.",
    )
}

fn not_configured() -> Diagnostic {
    Diagnostic::error(
        "Provider Not Configured",
        "The provider was used before it was configured. This is a bug in Terraform or the provider.",
    )
}

#[async_trait]
impl Provider for InfluxDb3Provider {
    fn type_name(&self) -> &'static str {
        PROVIDER_TYPE_NAME
    }

    fn schema(&self) -> Schema {
        config::provider_schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        config::validate(config)
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        let user_agent = format!(
            "terraform-provider-influxdb3/{PROVIDER_VERSION} (+Terraform {})",
            request.terraform_version
        );
        let env = self.env();
        match config::resolve(&request.config, &env, user_agent) {
            Ok(ResolvedConfig::NotYetKnown) => {
                log::debug!("provider configuration not known yet; API calls wait for apply");
                self.data.set(ConfigState::NotYetKnown);
                Diagnostics::new()
            }
            Ok(ResolvedConfig::Ready(mut client_config)) => {
                client_config.cancel = request.stop.clone();
                match ManagementApiClient::new(*client_config) {
                    Ok(client) => {
                        self.data.set(ConfigState::Ready(client));
                        Diagnostics::new()
                    }
                    Err(error) => {
                        let mut diagnostics = Diagnostics::new();
                        diagnostics.error(
                            "Invalid Provider Configuration",
                            format!("The management API client could not be set up: {error}."),
                        );
                        diagnostics
                    }
                }
            }
            Ok(ResolvedConfig::SelfHosted(mut client_config, product)) => {
                client_config.cancel = request.stop.clone();
                match V3Client::new(*client_config, product) {
                    Ok(client) => {
                        self.data.set(ConfigState::SelfHosted(client));
                        Diagnostics::new()
                    }
                    Err(error) => {
                        let mut diagnostics = Diagnostics::new();
                        diagnostics.error(
                            "Invalid Provider Configuration",
                            format!("The {product} client could not be set up: {error}."),
                        );
                        diagnostics
                    }
                }
            }
            Err(diagnostics) => diagnostics,
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        resources::all(&self.data)
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        data_sources::all(&self.data)
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        ephemeral_resources::all(&self.data)
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        list_resources::all(&self.data)
    }

    fn actions(&self) -> Vec<Arc<dyn Action>> {
        actions::all(&self.data)
    }
}
