//! The settings every product's client takes from the provider configuration:
//! request timeout, retries and the extra CA bundle.

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;

use super::client::ClientConfig;
use super::config::{Setting, parse_duration, parse_retries};

/// The settings every product's client takes: timeout, retries, CA bundle.
pub(crate) struct ClientOptions {
    request_timeout: Option<std::time::Duration>,
    max_retries: Option<u32>,
    ca_certificate: Option<String>,
}

impl ClientOptions {
    /// Parses the known settings, reporting bad ones on their attributes.
    pub(crate) fn parse(
        request_timeout: Setting,
        max_retries: Setting,
        ca_certificate: Setting,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        let request_timeout = match request_timeout {
            Setting::Known(text) => match parse_duration(&text) {
                Ok(duration) => Some(duration),
                Err(problem) => {
                    diagnostics.attribute_error(
                        Path::root("request_timeout"),
                        "Invalid Request Timeout",
                        problem,
                    );
                    None
                }
            },
            _ => None,
        };
        let max_retries = match max_retries {
            Setting::Known(text) => match parse_retries(&text) {
                Ok(retries) => Some(retries),
                Err(problem) => {
                    diagnostics.attribute_error(
                        Path::root("max_retries"),
                        "Invalid Retry Count",
                        problem,
                    );
                    None
                }
            },
            _ => None,
        };
        let ca_certificate = match ca_certificate {
            Setting::Known(pem) => Some(pem),
            _ => None,
        };
        Self {
            request_timeout,
            max_retries,
            ca_certificate,
        }
    }

    /// Sets them on `client`.
    pub(crate) fn apply(self, client: &mut ClientConfig) {
        if let Some(pem) = self.ca_certificate {
            client.ca_bundle_pem = Some(pem.into_bytes());
        }
        if let Some(timeout) = self.request_timeout {
            client.request_timeout = timeout;
            // The total budget must leave room for at least one whole attempt and a retry.
            client.retry.max_elapsed = client.retry.max_elapsed.max(timeout * 2);
        }
        if let Some(retries) = self.max_retries {
            client.retry.max_attempts = retries + 1;
        }
    }
}
