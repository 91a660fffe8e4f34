//! The emulator: the InfluxDB 3 management API served locally, for users' local runs
//! and for every test of the project.
//!
//! It serves management tokens (`/api/v0/accounts/{accountId}/management-tokens...`)
//! and the published API's databases, tables and database tokens
//! (`/api/v0/accounts/{accountId}/clusters/{clusterId}/databases...`, `.../tokens...`)
//! in the Cloud Dedicated form, or all of them without the prefix in the Clustered
//! form, with bearer authentication, an optional durable
//! state file, and test controls under `/_emulator/` (injected faults, request
//! counters). `docs/emulator.md` is the user's guide; `docs/management-api.md` the
//! contract it implements.
//!
//! It uses only the wire types of [`crate::api`] and nothing of the provider, so that
//! it stays an independent stand-in for InfluxDB.
//!
//! # Structure
//!
//! - [`EmulatorState`] (`state`): configuration, store, faults and stats behind one handle.
//! - `store`: one table per resource, one lock, and the state file; every change is
//!   persisted before it becomes visible.
//! - `routes`: one module per resource plus the controls; handlers return
//!   `Result<_, ApiError>`.
//! - [`serve`] (`server`): the accept loop, which can drop a connection without a response.
//!
//! # Examples
//!
//! ```no_run
//! use influxdb3_provider::emulator::{Config, EmulatorState, ReadyLine, serve};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let state = EmulatorState::new(Config::default())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! println!("{}", ReadyLine::new(listener.local_addr()?, &state).to_json());
//! serve(listener, state, std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```

mod console;
mod error;
mod faults;
mod operation;
mod routes;
mod secret;
mod server;
mod state;
mod stats;
mod store;

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use self::console::CONSOLE_PATH;
pub use self::error::ApiError;
pub use self::server::serve;
pub use self::state::{Config, EmulatorState, Flavor, StartError};

/// The address the emulator listens on when `--listen` is not given.
pub const DEFAULT_LISTEN_ADDR: &str = "127.0.0.1:8181";

/// The `createdBy` of tokens created with the bootstrap token.
pub const BOOTSTRAP_IDENTITY_ID: Uuid = Uuid::from_u128(0x5e1f_0000_0000_4000_8000_0000_0000_0001);

/// The router of the whole emulator: the API of `state`'s flavor and the controls.
///
/// Driving it directly (e.g. with `tower::ServiceExt::oneshot`) works for everything
/// except `drop_after_commit` faults, which need a connection to drop: see [`serve`].
pub fn app(state: EmulatorState) -> axum::Router {
    routes::router(state)
}

/// The one line the emulator prints on stdout once it accepts connections.
///
/// ```json
/// {"url":"http://127.0.0.1:8181","account_id":"…","cluster_id":"…","token":"…",
///  "console_url":"http://127.0.0.1:8181/console"}
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadyLine {
    /// The base URL (without `/api/v0`).
    pub url: String,
    /// The account id.
    pub account_id: Uuid,
    /// The cluster id.
    pub cluster_id: Uuid,
    /// The bootstrap management token. A secret.
    pub token: String,
    /// The console's URL (`url` + `/console`); absent from lines of older versions
    /// and for the self-hosted products (Core, Enterprise), which have no console.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub console_url: String,
}

impl ReadyLine {
    /// The ready line of `state` listening on `address`.
    pub fn new(address: SocketAddr, state: &EmulatorState) -> Self {
        let url = format!("http://{address}");
        Self {
            console_url: if state.flavor().is_self_hosted() {
                String::new()
            } else {
                format!("{url}{CONSOLE_PATH}")
            },
            url,
            account_id: state.account_id(),
            cluster_id: state.cluster_id(),
            token: state.bootstrap_token().to_owned(),
        }
    }

    /// The line as compact JSON, without a trailing newline.
    pub fn to_json(&self) -> String {
        // Serializing strings and UUIDs cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl std::fmt::Debug for ReadyLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadyLine")
            .field("url", &self.url)
            .field("account_id", &self.account_id)
            .field("cluster_id", &self.cluster_id)
            .field("token", &"<redacted>")
            .field("console_url", &self.console_url)
            .finish()
    }
}
