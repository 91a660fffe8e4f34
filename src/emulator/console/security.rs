//! Protection against cross-site requests and the headers of every console response.
//!
//! Every POST is checked twice: [`check_same_origin`] (the browser's `Sec-Fetch-Site`,
//! `Origin` or `Referer` must name the console's own origin) and, once signed in, the
//! session's CSRF token in the form (`SignedIn::check_post`). The session cookie is
//! `SameSite=Strict` besides.

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;

/// The Content-Security-Policy of every console response: only this origin's script
/// and stylesheet, forms only to this origin, no framing.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// Adds the security headers to a console response.
pub(crate) async fn add_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::CACHE_CONTROL, "no-store");
    response
}

/// Whether a state-changing request comes from the console's own pages.
///
/// A browser says where a request comes from: `Sec-Fetch-Site` must be `same-origin`
/// (or `none`), and `Origin`, or without it `Referer`, must be `http://<Host>`. A
/// request without any of these headers is not from a browser and passes this check;
/// the CSRF token still applies to it. The error is a message for the refusal page.
pub(crate) fn check_same_origin(headers: &HeaderMap) -> Result<(), &'static str> {
    const CROSS_SITE: &str =
        "The request came from another site; the console only accepts forms from its own pages.";
    let text = |name: HeaderName| headers.get(name).map(|value| value.to_str().unwrap_or(""));
    if let Some(site) = text(HeaderName::from_static("sec-fetch-site"))
        && site != "same-origin"
        && site != "none"
    {
        return Err(CROSS_SITE);
    }
    let Some(host) = text(header::HOST).filter(|host| !host.is_empty()) else {
        return Err("The request has no Host header.");
    };
    let own_origin = format!("http://{host}");
    if let Some(origin) = text(header::ORIGIN) {
        return if origin == own_origin {
            Ok(())
        } else {
            Err(CROSS_SITE)
        };
    }
    if let Some(referer) = text(header::REFERER) {
        let same = referer
            .strip_prefix(&own_origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        return if same { Ok(()) } else { Err(CROSS_SITE) };
    }
    Ok(())
}

/// Compares two secrets in time independent of where they differ.
pub(crate) fn same_secret(given: &str, expected: &str) -> bool {
    let (given, expected) = (given.as_bytes(), expected.as_bytes());
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn same_origin_requests_pass() {
        let host = ("host", "127.0.0.1:8181");
        for extra in [
            vec![],
            vec![("origin", "http://127.0.0.1:8181")],
            vec![("referer", "http://127.0.0.1:8181/console/management-tokens")],
            vec![
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:8181"),
            ],
        ] {
            let mut pairs = vec![host];
            pairs.extend(extra.iter().copied());
            assert_eq!(check_same_origin(&headers(&pairs)), Ok(()), "{pairs:?}");
        }
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let host = ("host", "127.0.0.1:8181");
        for extra in [
            ("origin", "http://evil.example"),
            ("origin", "null"),
            ("origin", "http://127.0.0.1:8182"),
            ("referer", "http://127.0.0.1:8181.evil.example/"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
        ] {
            assert!(
                check_same_origin(&headers(&[host, extra])).is_err(),
                "{extra:?}"
            );
        }
        assert!(check_same_origin(&headers(&[])).is_err(), "no Host");
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc"));
        assert!(!same_secret("ab", "abc"));
        assert!(!same_secret("", "abc"));
    }
}
