//! A recording proxy between the client and the emulator: every request the client
//! sends and every response the emulator returns, kept for the contract checks.

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

/// One request and its response.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub(crate) method: String,
    /// The path as sent, percent-encoding included, without a query string.
    pub(crate) path: String,
    pub(crate) request_body: Option<Value>,
    pub(crate) status: u16,
    /// `None` for an empty body.
    pub(crate) response_body: Option<Value>,
}

#[derive(Clone)]
struct Forward {
    upstream: String,
    http: reqwest::Client,
    log: Arc<Mutex<Vec<Exchange>>>,
}

/// A running proxy; its exchanges so far are in [`Recorder::exchanges`].
pub(crate) struct Recorder {
    pub(crate) url: String,
    log: Arc<Mutex<Vec<Exchange>>>,
    server: tokio::task::JoinHandle<()>,
}

impl Recorder {
    /// Starts a proxy on a free loopback port in front of `upstream`.
    pub(crate) async fn start(upstream: &str) -> Recorder {
        let log = Arc::new(Mutex::new(Vec::new()));
        let forward = Forward {
            upstream: upstream.trim_end_matches('/').to_owned(),
            http: crate::support::emulator::http_client(),
            log: Arc::clone(&log),
        };
        let app = axum::Router::new().fallback(relay).with_state(forward);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Recorder { url, log, server }
    }

    /// Everything recorded so far.
    pub(crate) fn exchanges(&self) -> Vec<Exchange> {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn relay(State(forward): State<Forward>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes())
        .unwrap_or(reqwest::Method::GET);
    let mut upstream = forward
        .http
        .request(method, format!("{}{path_and_query}", forward.upstream));
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name.as_str(), value.as_bytes());
        }
    }
    let answer = upstream.body(body.to_vec()).send().await;
    let Ok(answer) = answer else {
        return status_only(StatusCode::BAD_GATEWAY);
    };
    let status = answer.status().as_u16();
    let headers = answer.headers().clone();
    let answer_body = answer.bytes().await.unwrap_or_default();
    let exchange = Exchange {
        method: parts.method.as_str().to_owned(),
        path,
        request_body: json_of(&body),
        status,
        response_body: json_of(&answer_body),
    };
    if let Ok(mut log) = forward.log.lock() {
        log.push(exchange);
    }
    let mut response = Response::new(Body::from(answer_body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (name, value) in &headers {
        if name.as_str() == "content-length" || name.as_str() == "transfer-encoding" {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// The body as JSON; `None` when empty, a string value when not JSON (so the schema
/// check reports it).
fn json_of(bytes: &Bytes) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    Some(
        serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned())),
    )
}

fn status_only(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}
