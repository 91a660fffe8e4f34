//! Token secrets: generation from the OS CSPRNG, the displayable prefix, and the
//! digest the store keeps instead of the secret.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// What every management-token secret starts with.
const SECRET_SCHEME: &str = "M.V1.";

/// Random bytes in a secret (256 bits).
const SECRET_RANDOM_BYTES: usize = 32;

/// Characters of the secret shown as `tokenPrefix`: the scheme plus four random ones.
const PREFIX_CHARS: usize = 9;

/// Why a secret could not be generated.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub(crate) struct RandomError(getrandom::Error);

/// A new secret, `M.V1.` followed by 32 random bytes in unpadded base64url.
pub(crate) fn generate_secret() -> Result<String, RandomError> {
    let mut bytes = [0_u8; SECRET_RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(format!("{SECRET_SCHEME}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The scheme of database-token secrets, as in the published API's examples.
const DATABASE_TOKEN_SCHEME: &str = "apiv1_";

/// Random bytes of a database-token secret: 48 bytes are 64 base64url characters, the
/// least the published API promises for `accessToken`.
const DATABASE_TOKEN_RANDOM_BYTES: usize = 48;

/// A fresh database-token secret: `apiv1_` and 48 random bytes in unpadded base64url.
pub(crate) fn generate_database_token_secret() -> Result<String, RandomError> {
    let mut bytes = [0_u8; DATABASE_TOKEN_RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(format!(
        "{DATABASE_TOKEN_SCHEME}{}",
        URL_SAFE_NO_PAD.encode(bytes)
    ))
}

/// The part of `secret` that is safe to show (`tokenPrefix`).
pub(crate) fn prefix_of(secret: &str) -> String {
    secret.chars().take(PREFIX_CHARS).collect()
}

/// The SHA-256 digest of `secret`, hex-encoded: what the store keeps to authenticate it.
///
/// SHA-256 comes from the TLS stack's crypto provider (aws-lc), which the crate already
/// links, rather than from one more dependency. A plain digest is enough here: the
/// secrets carry 256 random bits, so there is nothing to brute-force.
pub(crate) fn digest_of(secret: &str) -> String {
    use rustls::SupportedCipherSuite;
    use rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256;

    let hash = match TLS13_AES_128_GCM_SHA256 {
        SupportedCipherSuite::Tls13(suite) => suite.common.hash_provider,
        SupportedCipherSuite::Tls12(suite) => suite.common.hash_provider,
    };
    hash.hash(secret.as_bytes())
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_the_scheme_and_are_distinct() {
        let first = generate_secret().unwrap_or_default();
        let second = generate_secret().unwrap_or_default();
        assert!(first.starts_with(SECRET_SCHEME));
        assert_eq!(first.len(), SECRET_SCHEME.len() + 43);
        let database_token = generate_database_token_secret().unwrap_or_default();
        assert!(database_token.starts_with(DATABASE_TOKEN_SCHEME));
        assert_eq!(database_token.len(), DATABASE_TOKEN_SCHEME.len() + 64);
        assert_ne!(first, second);
    }

    #[test]
    fn prefix_is_the_first_nine_characters() {
        assert_eq!(prefix_of("M.V1.abcdefgh"), "M.V1.abcd");
        assert_eq!(prefix_of("short"), "short");
    }

    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(
            digest_of("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
