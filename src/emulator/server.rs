//! The accept loop: one hyper connection per TCP connection, so that a handler can
//! have its connection dropped without a response (`drop_after_commit`), which axum's
//! own `serve` cannot do.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;

use super::{EmulatorState, app};

/// How long open connections get to finish their requests after shutdown begins.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Pause after a failed `accept` (e.g. out of file descriptors) before trying again.
const ACCEPT_RETRY_PAUSE: Duration = Duration::from_millis(100);

/// A request extension through which a handler asks for its connection to be closed
/// without a response.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionAbort(CancellationToken);

impl ConnectionAbort {
    /// Drops the connection: the response being produced is never written.
    pub(crate) fn abort(&self) {
        self.0.cancel();
    }
}

/// Serves [`app`]`(state)` on `listener` until `shutdown` completes, then lets open
/// connections finish (up to five seconds) and returns.
///
/// HTTP/1.1 and HTTP/2 (prior knowledge) are both accepted.
pub async fn serve(
    listener: TcpListener,
    state: EmulatorState,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let app = app(state);
    let stopping = CancellationToken::new();
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve_connection(stream, app.clone(), stopping.clone()));
                }
                Err(error) => {
                    log::warn!("accepting a connection failed: {error}");
                    tokio::time::sleep(ACCEPT_RETRY_PAUSE).await;
                }
            },
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    log::info!("shutting down");
    // Refuse new connections now rather than leave them queued until we return.
    drop(listener);
    stopping.cancel();
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        log::warn!("closing connections still busy after {SHUTDOWN_GRACE:?}");
        connections.shutdown().await;
    }
    Ok(())
}

async fn serve_connection(stream: TcpStream, app: Router, stopping: CancellationToken) {
    let abort = CancellationToken::new();
    let handle = ConnectionAbort(abort.clone());
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        app.clone().oneshot(request.map(Body::new))
    });
    let builder = auto::Builder::new(TokioExecutor::new());
    let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
    tokio::select! {
        result = connection.as_mut() => return log_end(result),
        () = abort.cancelled() => return log_abort(),
        () = stopping.cancelled() => {}
    }
    connection.as_mut().graceful_shutdown();
    tokio::select! {
        result = connection.as_mut() => log_end(result),
        () = abort.cancelled() => log_abort(),
    }
}

fn log_end(result: Result<(), Box<dyn std::error::Error + Send + Sync>>) {
    if let Err(error) = result {
        log::debug!("connection ended with an error: {error}");
    }
}

fn log_abort() {
    log::debug!("connection dropped without a response (injected)");
}
