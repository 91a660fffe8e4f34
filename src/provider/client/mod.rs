//! HTTP client for the InfluxDB 3 management API: management tokens (the project's
//! own contract), and databases, tables and database tokens (the published API).
//!
//! This module is the only place that speaks HTTP to InfluxDB: it depends on
//! [`crate::api`] for the wire types and on nothing else in the crate (not the
//! emulator, not the plugin or framework layers), so that when an official
//! management-token endpoint is published, adapting to it is a change here only.
//! The contract it implements is `docs/management-api.md`.
//!
//! - [`ClientConfig`]: URL, account, bearer token, CA bundle, timeouts, retry policy
//!   and the cancellation token that fires when Terraform stops the provider.
//! - [`ManagementApiClient`]: the four operations (create, list, get, revoke).
//! - [`ClientError`]: what went wrong, phrased for a diagnostic and free of secrets.
//! - [`RetryPolicy`]: exponential backoff with full jitter, bounded in attempts and
//!   in total time, honouring `Retry-After`.
//!
//! Layout: `transport` sends one request with retries, timeouts, cancellation and a
//! response size limit; `management_tokens` maps the four operations onto it;
//! `retry` is the pure backoff arithmetic; `error` the error type. The cluster
//! resources are in `databases`, `tables` and `database_tokens`, with what they
//! share (cluster path, path-segment encoding, decoding) in `cluster`; `describe`
//! puts answers and transport failures into words for errors.

mod cluster;
mod database_tokens;
mod databases;
mod describe;
mod error;
pub(crate) mod management_tokens;
mod retry;
mod tables;
pub(crate) mod transport;

#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::api::API_BASE_PATH;
pub use crate::api::Secret;

pub use cluster::DeleteOutcome;
pub use database_tokens::CreatedDatabaseToken;
pub use error::{ClientError, ClientErrorKind};
pub use retry::{MIN_ATTEMPT_BUDGET, RetryPolicy, is_retryable_status, parse_retry_after};

use transport::Transport;

/// The largest response body the client reads; a larger one fails with
/// [`ClientErrorKind::ResponseTooLarge`] without being buffered.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The default [`ClientConfig::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default [`ClientConfig::request_timeout`].
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The default [`ClientConfig::user_agent`].
pub const DEFAULT_USER_AGENT: &str =
    concat!("terraform-provider-influxdb3/", env!("CARGO_PKG_VERSION"));

/// Everything [`ManagementApiClient::new`] needs.
#[derive(Clone)]
pub struct ClientConfig {
    /// Where the API lives, without `/api/v0` (the client appends it), e.g.
    /// `https://console.influxdata.com`. Plain `http` is accepted only for loopback
    /// hosts (127.0.0.0/8, `::1`, `localhost`). A URL that already ends in `/api/v0`
    /// is used as is.
    pub base_url: String,
    /// `Some` for Cloud Dedicated (paths `/accounts/{id}/management-tokens`), `None`
    /// for Clustered (paths `/management-tokens`).
    pub account_id: Option<Uuid>,
    /// The cluster of the Cloud Dedicated form (paths
    /// `/accounts/{a}/clusters/{c}/databases...`). Databases, tables and database
    /// tokens need it there; management tokens do not. Ignored for Clustered.
    pub cluster_id: Option<Uuid>,
    /// The management token sent as `Authorization: Bearer`.
    pub token: Secret,
    /// Extra trusted root CAs in PEM, added to the platform roots (Clustered behind a
    /// private CA).
    pub ca_bundle_pem: Option<Vec<u8>>,
    /// The `User-Agent` header, e.g.
    /// `terraform-provider-influxdb3/0.1.0 (+Terraform 1.15.5)`.
    pub user_agent: String,
    /// How long a TCP + TLS connection may take. Default 10 s.
    pub connect_timeout: Duration,
    /// How long one attempt (connect, request and full response body) may take.
    /// Default 30 s.
    pub request_timeout: Duration,
    /// When and how long to retry.
    pub retry: RetryPolicy,
    /// Cancelled when Terraform calls StopProvider: every request and every wait
    /// races against it and ends with [`ClientErrorKind::Cancelled`].
    pub cancel: CancellationToken,
}

impl ClientConfig {
    /// A configuration with defaults for everything but URL, account and token.
    pub fn new(
        base_url: impl Into<String>,
        account_id: Option<Uuid>,
        token: impl Into<Secret>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            account_id,
            cluster_id: None,
            token: token.into(),
            ca_bundle_pem: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            cancel: CancellationToken::new(),
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("account_id", &self.account_id)
            .field("cluster_id", &self.cluster_id)
            .field("token", &self.token)
            .field(
                "ca_bundle_pem",
                &self
                    .ca_bundle_pem
                    .as_ref()
                    .map(|pem| format!("<{} bytes>", pem.len())),
            )
            .field("user_agent", &self.user_agent)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("cancelled", &self.cancel.is_cancelled())
            .finish()
    }
}

/// What [`ManagementApiClient::revoke_management_token`] found.
///
/// All three mean the token can no longer authenticate, which is what a destroy
/// wants. The last two come from a 404 or 409 that was the API's own error
/// response and that the token list confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeOutcome {
    /// The token was active and is now revoked (HTTP 204).
    Revoked,
    /// The token had been revoked before, or has expired (HTTP 409 or 404, and
    /// the list shows it inactive). Also the answer when a revoke was retried
    /// after its first response was lost.
    AlreadyRevoked,
    /// The API knows no token with that id (HTTP 404, and the list does not
    /// have it).
    NotFound,
}

/// A client for the management-token endpoints. Cheap to clone: clones share one
/// connection pool.
#[derive(Clone)]
pub struct ManagementApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    /// `/accounts/{id}/management-tokens` or `/management-tokens`.
    tokens_path: String,
    account_id: Option<Uuid>,
    cluster_id: Option<Uuid>,
}

impl fmt::Debug for ManagementApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementApiClient")
            .field("api_root", &self.inner.transport.api_root())
            .field("account_id", &self.inner.account_id)
            .field("cluster_id", &self.inner.cluster_id)
            .finish_non_exhaustive()
    }
}

impl ManagementApiClient {
    /// Validates `config` and builds the HTTP client. Fails with
    /// [`ClientErrorKind::InvalidConfig`] for a URL that is not http(s), plain http to
    /// a non-loopback host, an empty token, an unusable CA bundle or zero timeouts.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let tokens_path = match config.account_id {
            Some(account) => format!("/accounts/{account}/management-tokens"),
            None => "/management-tokens".to_owned(),
        };
        let account_id = config.account_id;
        let cluster_id = config.cluster_id;
        let transport = build_transport(config, API_BASE_PATH)?;
        Ok(Self {
            inner: Arc::new(Inner {
                transport,
                tokens_path,
                account_id,
                cluster_id,
            }),
        })
    }

    /// The API root the client talks to, e.g. `https://console.influxdata.com/api/v0`.
    pub fn api_root(&self) -> &str {
        self.inner.transport.api_root()
    }

    /// The account of the Cloud Dedicated form; `None` for Clustered.
    pub fn account_id(&self) -> Option<Uuid> {
        self.inner.account_id
    }

    /// The Cloud Dedicated cluster, if configured; `None` on Clustered.
    pub fn cluster_id(&self) -> Option<Uuid> {
        self.inner.cluster_id
    }
}

/// Validates `config` and builds the [`Transport`] every request of an API goes
/// through (retries, timeouts, cancellation, size cap). `api_base_path` is the
/// API's path prefix appended to `config.base_url` (`/api/v0` for the management
/// API; empty for an API whose paths are given in full, such as `/api/v3/...`).
/// Fails with [`ClientErrorKind::InvalidConfig`] for a URL that is not http(s),
/// plain http to a non-loopback host, an empty token, an unusable CA bundle or
/// zero timeouts.
pub(crate) fn build_transport(
    config: ClientConfig,
    api_base_path: &str,
) -> Result<Transport, ClientError> {
    let (api_root, loopback) = api_root(&config.base_url, api_base_path)?;
    let authorization = authorization_header(&config.token)?;
    if config.connect_timeout.is_zero() || config.request_timeout.is_zero() {
        return Err(ClientError::invalid_config(
            "timeouts must be greater than zero",
        ));
    }
    if config.retry.max_elapsed.is_zero() {
        return Err(ClientError::invalid_config(
            "retry.max_elapsed must be greater than zero",
        ));
    }
    if config.retry.max_attempts == 0 {
        return Err(ClientError::invalid_config(
            "retry.max_attempts must be at least 1",
        ));
    }
    let user_agent = HeaderValue::from_str(&config.user_agent).map_err(|_| {
        ClientError::invalid_config(
            "the user agent contains characters not allowed in an HTTP header",
        )
    })?;

    let mut builder = reqwest::Client::builder()
        .user_agent(user_agent)
        .connect_timeout(config.connect_timeout)
        // The API never redirects; following one could carry the bearer token
        // somewhere else.
        .redirect(reqwest::redirect::Policy::none());
    if loopback {
        // A local emulator or port-forward: an HTTP(S)_PROXY from the environment
        // cannot reach it. Remote hosts keep the system proxy settings.
        builder = builder.no_proxy();
    }
    if let Some(pem) = &config.ca_bundle_pem {
        builder = builder.tls_certs_merge(ca_bundle(pem)?);
    }
    let http = builder.build().map_err(|e| {
        ClientError::invalid_config(format!("cannot build the HTTP client: {}", e.without_url()))
    })?;

    Ok(Transport::new(
        http,
        api_root,
        authorization,
        config.token,
        config.request_timeout,
        config.retry,
        config.cancel,
    ))
}

/// Validates the base URL; returns the API root without a trailing slash and whether
/// the host is a loopback one.
fn api_root(base_url: &str, api_base_path: &str) -> Result<(String, bool), ClientError> {
    let url = Url::parse(base_url.trim()).map_err(|e| {
        ClientError::invalid_config(format!("the base URL is not a valid URL: {e}"))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ClientError::invalid_config(
            "the base URL must not contain a user name or password",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ClientError::invalid_config(
            "the base URL must not contain a query string or fragment",
        ));
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" if !host.is_empty() => {}
        "http" if loopback => {}
        "http" => {
            return Err(ClientError::invalid_config(format!(
                "plain http is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost); \
                 use https for {host}"
            )));
        }
        scheme => {
            return Err(ClientError::invalid_config(format!(
                "the base URL must use https (or http for a loopback host), not {scheme:?}"
            )));
        }
    }
    let root = url.as_str().trim_end_matches('/');
    let root = if root.ends_with(api_base_path) {
        root.to_owned()
    } else {
        format!("{root}{api_base_path}")
    };
    Ok((root, loopback))
}

/// Whether the URL's host is a loopback address or `localhost`.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    }
}

/// Builds the sensitive `Authorization: Bearer` header value.
fn authorization_header(token: &Secret) -> Result<HeaderValue, ClientError> {
    if token.is_blank() {
        return Err(ClientError::invalid_config("the management token is empty"));
    }
    // The header keeps its own copy; this one is wiped when dropped.
    let bearer = zeroize::Zeroizing::new(format!("Bearer {}", token.expose()));
    let mut value = HeaderValue::from_str(&bearer).map_err(|_| {
        ClientError::invalid_config(
            "the management token contains characters not allowed in an HTTP header",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Parses and validates a PEM bundle of root CAs.
fn ca_bundle(pem: &[u8]) -> Result<Vec<reqwest::Certificate>, ClientError> {
    let mut certificates = Vec::new();
    for (index, item) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let der = item.map_err(|e| {
            ClientError::invalid_config(format!(
                "the CA bundle is not valid PEM (certificate {}): {e}",
                index + 1
            ))
        })?;
        // Parse it the way the verifier will, so a bad certificate fails here with a
        // clear message instead of in the middle of a handshake.
        rustls::RootCertStore::empty()
            .add(der.clone())
            .map_err(|e| {
                ClientError::invalid_config(format!(
                    "certificate {} of the CA bundle cannot be used as a trust anchor: {e}",
                    index + 1
                ))
            })?;
        let certificate = reqwest::Certificate::from_der(&der).map_err(|e| {
            ClientError::invalid_config(format!("the CA bundle is unusable: {}", e.without_url()))
        })?;
        certificates.push(certificate);
    }
    if certificates.is_empty() {
        return Err(ClientError::invalid_config(
            "the CA bundle contains no PEM certificate",
        ));
    }
    Ok(certificates)
}
