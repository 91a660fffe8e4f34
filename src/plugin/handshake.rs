//! The go-plugin handshake: the environment Terraform hands a plugin, and the
//! one line the plugin answers with on stdout.
//!
//! Parsing is separate from the process environment ([`HandshakeEnv::from_vars`])
//! so every rule is unit-tested without touching the real environment.

use std::fmt;

use base64::Engine as _;

/// The cookie Terraform sets so that a plugin knows it was launched by Terraform.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// Its value; fixed by Terraform forever.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The go-plugin core protocol version (field 1 of the handshake line).
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol this binary serves (field 2).
pub const APP_PROTOCOL_VERSION: u32 = 6;

/// The text go-plugin prints when a plugin is run by hand.
pub const RUN_BY_HAND_MESSAGE: &str = "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will\n\
load any plugins automatically";

/// What Terraform told the plugin through its environment.
#[derive(Clone, PartialEq, Eq)]
pub struct HandshakeEnv {
    /// The protocol version to serve (always [`APP_PROTOCOL_VERSION`] once negotiated).
    pub protocol_version: u32,
    /// First TCP port to try when falling back to TCP.
    pub min_port: u16,
    /// Last TCP port to try.
    pub max_port: u16,
    /// Terraform's client certificate (PEM), when AutoMTLS is on.
    pub client_cert_pem: Option<String>,
}

impl fmt::Debug for HandshakeEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandshakeEnv")
            .field("protocol_version", &self.protocol_version)
            .field("min_port", &self.min_port)
            .field("max_port", &self.max_port)
            .field(
                "client_cert",
                &self.client_cert_pem.as_ref().map(|_| "<pem>"),
            )
            .finish()
    }
}

/// Why the handshake environment cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// No or a wrong magic cookie: the binary was run by hand.
    #[error("the magic cookie is missing or wrong")]
    NotLaunchedByTerraform,
    /// The client offers no protocol version this plugin serves.
    #[error(
        "incompatible plugin protocol: this provider serves protocol {served}, the client offered [{offered}]"
    )]
    NoCommonProtocol {
        /// What this plugin serves.
        served: u32,
        /// What the client offered, verbatim.
        offered: String,
    },
    /// A port variable is not a port number, or min > max.
    #[error("invalid plugin port range: {0}")]
    InvalidPortRange(String),
}

impl HandshakeEnv {
    /// Reads the handshake variables from the process environment.
    pub fn from_process_env() -> Result<Self, HandshakeError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the handshake variables through `get`, which looks up one variable.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Self, HandshakeError> {
        if get(MAGIC_COOKIE_KEY).as_deref() != Some(MAGIC_COOKIE_VALUE) {
            return Err(HandshakeError::NotLaunchedByTerraform);
        }
        let protocol_version = negotiate_protocol(get("PLUGIN_PROTOCOL_VERSIONS").as_deref())?;
        let min_port = parse_port(get("PLUGIN_MIN_PORT"), "PLUGIN_MIN_PORT", 10000)?;
        let max_port = parse_port(get("PLUGIN_MAX_PORT"), "PLUGIN_MAX_PORT", 25000)?;
        if min_port > max_port {
            return Err(HandshakeError::InvalidPortRange(format!(
                "PLUGIN_MIN_PORT {min_port} is greater than PLUGIN_MAX_PORT {max_port}"
            )));
        }
        let client_cert_pem = get("PLUGIN_CLIENT_CERT").filter(|pem| !pem.trim().is_empty());
        Ok(Self {
            protocol_version,
            min_port,
            max_port,
            client_cert_pem,
        })
    }
}

/// Picks the protocol version from `PLUGIN_PROTOCOL_VERSIONS` (comma-separated,
/// any order). An absent variable means a client from before version
/// negotiation, which cannot speak protocol 6.
fn negotiate_protocol(offered: Option<&str>) -> Result<u32, HandshakeError> {
    let offered = offered.unwrap_or("").trim();
    let offers_ours = offered
        .split(',')
        .filter_map(|part| part.trim().parse::<u32>().ok())
        .any(|version| version == APP_PROTOCOL_VERSION);
    if offers_ours {
        Ok(APP_PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::NoCommonProtocol {
            served: APP_PROTOCOL_VERSION,
            offered: offered.to_string(),
        })
    }
}

fn parse_port(value: Option<String>, name: &str, default: u16) -> Result<u16, HandshakeError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => text.parse::<u16>().map_err(|_| {
            HandshakeError::InvalidPortRange(format!("{name}={text:?} is not a port"))
        }),
    }
}

/// Where the plugin listens, as printed in the handshake line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddress {
    /// A unix socket path.
    Unix(String),
    /// A TCP address, `127.0.0.1:PORT`.
    Tcp(String),
}

impl ListenAddress {
    /// The go-plugin network name: `unix` or `tcp`.
    pub fn network(&self) -> &'static str {
        match self {
            ListenAddress::Unix(_) => "unix",
            ListenAddress::Tcp(_) => "tcp",
        }
    }

    /// The address string.
    pub fn address(&self) -> &str {
        match self {
            ListenAddress::Unix(path) | ListenAddress::Tcp(path) => path,
        }
    }
}

/// Formats the handshake line (without the newline):
/// `1|6|NETWORK|ADDRESS|grpc|CERT`, where CERT is the unpadded standard base64
/// of the server certificate's DER, or empty without TLS.
pub fn handshake_line(address: &ListenAddress, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!(
        "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{}|{}|grpc|{cert}",
        address.network(),
        address.address()
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Result<HandshakeEnv, HandshakeError> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HandshakeEnv::from_vars(|name| vars.get(name).cloned())
    }

    const COOKIE: (&str, &str) = (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE);

    #[test]
    fn missing_or_wrong_cookie_is_run_by_hand() {
        assert_eq!(env(&[]), Err(HandshakeError::NotLaunchedByTerraform));
        assert_eq!(
            env(&[
                (MAGIC_COOKIE_KEY, "nope"),
                ("PLUGIN_PROTOCOL_VERSIONS", "6")
            ]),
            Err(HandshakeError::NotLaunchedByTerraform)
        );
    }

    #[test]
    fn protocol_six_is_picked_in_any_order() {
        for offered in ["5,6", "6,5", "6", " 5 , 6 ", "4,6,7"] {
            let parsed = env(&[COOKIE, ("PLUGIN_PROTOCOL_VERSIONS", offered)]).unwrap();
            assert_eq!(parsed.protocol_version, 6, "offered {offered}");
        }
    }

    #[test]
    fn client_without_six_gets_clear_error() {
        for offered in ["5", "", "abc", "5,7"] {
            let error = env(&[COOKIE, ("PLUGIN_PROTOCOL_VERSIONS", offered)]).unwrap_err();
            assert!(matches!(
                error,
                HandshakeError::NoCommonProtocol { served: 6, .. }
            ));
            assert!(error.to_string().contains("serves protocol 6"), "{error}");
        }
        let error = env(&[COOKIE]).unwrap_err();
        assert!(matches!(error, HandshakeError::NoCommonProtocol { .. }));
    }

    #[test]
    fn ports_default_and_validate() {
        let parsed = env(&[COOKIE, ("PLUGIN_PROTOCOL_VERSIONS", "6")]).unwrap();
        assert_eq!((parsed.min_port, parsed.max_port), (10000, 25000));
        let parsed = env(&[
            COOKIE,
            ("PLUGIN_PROTOCOL_VERSIONS", "6"),
            ("PLUGIN_MIN_PORT", "20000"),
            ("PLUGIN_MAX_PORT", "20010"),
        ])
        .unwrap();
        assert_eq!((parsed.min_port, parsed.max_port), (20000, 20010));
        for (min, max) in [("30000", "20000"), ("x", "20000"), ("1", "70000")] {
            let error = env(&[
                COOKIE,
                ("PLUGIN_PROTOCOL_VERSIONS", "6"),
                ("PLUGIN_MIN_PORT", min),
                ("PLUGIN_MAX_PORT", max),
            ])
            .unwrap_err();
            assert!(
                matches!(error, HandshakeError::InvalidPortRange(_)),
                "{min} {max}"
            );
        }
    }

    #[test]
    fn empty_client_cert_means_no_tls() {
        let parsed = env(&[
            COOKIE,
            ("PLUGIN_PROTOCOL_VERSIONS", "6"),
            ("PLUGIN_CLIENT_CERT", ""),
        ])
        .unwrap();
        assert_eq!(parsed.client_cert_pem, None);
        let parsed = env(&[
            COOKIE,
            ("PLUGIN_PROTOCOL_VERSIONS", "6"),
            ("PLUGIN_CLIENT_CERT", "PEM"),
        ])
        .unwrap();
        assert_eq!(parsed.client_cert_pem.as_deref(), Some("PEM"));
    }

    #[test]
    fn handshake_line_format() {
        let unix = ListenAddress::Unix("/tmp/plugin123".into());
        assert_eq!(handshake_line(&unix, None), "1|6|unix|/tmp/plugin123|grpc|");
        let tcp = ListenAddress::Tcp("127.0.0.1:10000".into());
        // Unpadded: 4 bytes encode to 6 characters, no "==".
        assert_eq!(
            handshake_line(&tcp, Some(&[1, 2, 3, 4])),
            "1|6|tcp|127.0.0.1:10000|grpc|AQIDBA"
        );
    }
}
