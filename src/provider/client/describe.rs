//! How answers and transport failures are put into words for errors: URLs
//! without credentials, error chains without wrappers, TLS causes, and short
//! single-line excerpts of bodies. Nothing here ever returns a secret the
//! caller did not pass in; the transport scrubs the bearer token afterwards.

use std::error::Error as _;

use reqwest::Url;

/// The most characters of a body quoted in an error message.
const MAX_ERROR_EXCERPT_CHARS: usize = 200;

/// The URL without user info, query string or fragment.
pub(super) fn display_url(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// The error's causes joined by `": "`, without reqwest's and hyper's generic
/// wrappers ("error sending request", "client error (Connect)") and repeats.
pub(super) fn describe_chain(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = error.source();
    while let Some(err) = source {
        let text = err.to_string();
        if !text.starts_with("client error (") && !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

/// A rustls error anywhere in the chain. hyper-rustls and tokio-rustls wrap it in
/// (nested) `io::Error`s, whose `source()` skips the wrapped error, hence `get_ref`.
pub(super) fn find_tls_error(error: &reqwest::Error) -> Option<String> {
    let mut source = error.source();
    while let Some(err) = source {
        let mut candidate: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(inner) = candidate {
            if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                return Some(tls.to_string());
            }
            candidate = inner
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|wrapped| wrapped as &(dyn std::error::Error + 'static));
        }
        source = err.source();
    }
    None
}

/// Whether a `Content-Type` value is JSON (`application/json` or `application/*+json`).
pub(super) fn is_json_content_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A short, single-line excerpt of a non-JSON error body.
pub(super) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
        if out.chars().count() > MAX_ERROR_EXCERPT_CHARS {
            out = out.chars().take(MAX_ERROR_EXCERPT_CHARS).collect();
            out.push('…');
            break;
        }
    }
    out
}
