//! AutoMTLS: the server certificate a plugin mints for itself, and a client
//! verifier that accepts exactly the certificate Terraform passed in
//! `PLUGIN_CLIENT_CERT`.
//!
//! Terraform's client certificate is a self-signed ECDSA P-521 certificate with
//! `CA:TRUE`. rustls' `WebPkiClientVerifier` refuses a CA certificate used as an
//! end entity, and ring cannot verify P-521 at all, so this module pins the
//! certificate by its DER bytes and checks the handshake signature with the
//! aws-lc-rs algorithm table (which includes `ECDSA_NISTP521_SHA512`). A client
//! that presents any other certificate, or none, fails the TLS handshake. The
//! reasoning is in `docs/design/001-tls-and-crypto.md`.

use std::sync::Arc;

use rustls::DigitallySignedStruct;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DistinguishedName, SignatureScheme};

/// Errors setting up TLS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// `PLUGIN_CLIENT_CERT` holds no parseable PEM certificate.
    #[error("PLUGIN_CLIENT_CERT does not hold a PEM certificate: {0}")]
    InvalidClientCert(String),
    /// Generating the server certificate failed.
    #[error("could not generate the server certificate: {0}")]
    CertificateGeneration(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("could not build the TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// The server side of AutoMTLS: a rustls configuration plus the DER of the
/// certificate it presents (printed in the handshake line).
#[derive(Debug)]
pub struct ServerTls {
    /// The rustls server configuration, ALPN `h2`.
    pub config: Arc<rustls::ServerConfig>,
    /// DER of the server certificate.
    pub server_cert_der: Vec<u8>,
}

impl ServerTls {
    /// Builds the server TLS configuration for a client certificate in PEM.
    pub fn for_client_cert_pem(client_cert_pem: &str) -> Result<Self, TlsError> {
        let client_cert = CertificateDer::from_pem_slice(client_cert_pem.as_bytes())
            .map_err(|error| TlsError::InvalidClientCert(error.to_string()))?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let (server_cert, server_key) = generate_server_certificate()?;
        let server_cert_der = server_cert.as_ref().to_vec();
        let verifier = Arc::new(PinnedClientCertVerifier::new(
            client_cert.into_owned(),
            provider.signature_verification_algorithms,
        ));
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![server_cert], server_key)?;
        // grpc-go 1.67+ (Terraform 1.12+) refuses a connection without ALPN h2.
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(Self {
            config: Arc::new(config),
            server_cert_der,
        })
    }
}

/// A fresh self-signed P-256 certificate for `localhost`, valid from 30 s ago
/// (clock skew) for 30 years, like go-plugin's own. Terraform trusts it because
/// the handshake line carries it.
fn generate_server_certificate()
-> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), TlsError> {
    let key_pair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params.distinguished_name.push(
        rcgen::DnType::OrganizationName,
        "terraform-provider-influxdb3",
    );
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyAgreement,
    ];
    let now = std::time::SystemTime::now();
    params.not_before = (now - std::time::Duration::from_secs(30)).into();
    params.not_after = (now + std::time::Duration::from_secs(30 * 365 * 24 * 3600)).into();
    let certificate = params.self_signed(&key_pair)?;
    let key = PrivateKeyDer::try_from(key_pair.serialize_der())
        .map_err(|error| TlsError::InvalidClientCert(error.to_string()))?;
    Ok((certificate.der().clone(), key))
}

/// Accepts exactly one client certificate, compared byte for byte.
#[derive(Debug)]
pub struct PinnedClientCertVerifier {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCertVerifier {
    /// A verifier for `expected`, checking signatures with `algorithms`.
    pub fn new(expected: CertificateDer<'static>, algorithms: WebPkiSupportedAlgorithms) -> Self {
        Self {
            expected,
            algorithms,
        }
    }

    /// A verifier using the process's aws-lc-rs algorithm table.
    pub fn with_aws_lc_rs(expected: CertificateDer<'static>) -> Self {
        let provider: CryptoProvider = rustls::crypto::aws_lc_rs::default_provider();
        Self::new(expected, provider.signature_verification_algorithms)
    }
}

impl ClientCertVerifier for PinnedClientCertVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // Empty hints mean "any CA" to Go's TLS client, which then sends its certificate.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p521_is_among_the_verifiable_schemes() {
        let verifier = PinnedClientCertVerifier::with_aws_lc_rs(CertificateDer::from(vec![1, 2]));
        assert!(
            verifier
                .supported_verify_schemes()
                .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
        );
        assert!(verifier.client_auth_mandatory());
    }

    #[test]
    fn only_the_pinned_certificate_is_accepted() {
        let verifier =
            PinnedClientCertVerifier::with_aws_lc_rs(CertificateDer::from(vec![1, 2, 3]));
        let now = UnixTime::now();
        assert!(
            verifier
                .verify_client_cert(&CertificateDer::from(vec![1, 2, 3]), &[], now)
                .is_ok()
        );
        assert!(
            verifier
                .verify_client_cert(&CertificateDer::from(vec![1, 2, 4]), &[], now)
                .is_err()
        );
    }

    #[test]
    fn invalid_pem_is_a_clear_error() {
        let error = ServerTls::for_client_cert_pem("not a certificate").unwrap_err();
        assert!(matches!(error, TlsError::InvalidClientCert(_)), "{error}");
    }

    #[test]
    fn server_config_has_alpn_h2() {
        let (cert, _) = generate_server_certificate().unwrap();
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, cert.as_ref())
        );
        let tls = ServerTls::for_client_cert_pem(&pem).unwrap();
        assert_eq!(tls.config.alpn_protocols, vec![b"h2".to_vec()]);
        assert!(!tls.server_cert_der.is_empty());
    }
}
