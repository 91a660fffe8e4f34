//! [`Secret`]: a secret string (a bearer token, a minted `accessToken`) that
//! never prints itself and is wiped from memory when dropped.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroize;

/// What `Debug` and `Display` show instead of a secret.
pub const REDACTED: &str = "<redacted>";

/// A secret string, such as a bearer token or a management token's
/// `accessToken`.
///
/// - `Debug` and `Display` both show `<redacted>`, so a secret cannot reach a
///   log line, a diagnostic or an error through formatting;
/// - the memory holding it is overwritten with zeros when it is dropped
///   (every clone wipes its own copy);
/// - [`Secret::expose`] is the only way to the value, so every place that
///   sends or stores it is greppable;
/// - serde reads and writes it as a plain JSON string: serializing is sending
///   it (the emulator's create response) or storing it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value, for sending or storing it. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the secret is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "M.V1.secret-VALUE-0123";

    #[test]
    fn debug_and_display_redact() {
        let secret = Secret::new(VALUE);
        assert_eq!(format!("{secret}"), REDACTED);
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(format!("{secret:#?}"), REDACTED);
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(<redacted>)");
        let wrapped = format!("{:?}", vec![secret]);
        assert!(!wrapped.contains("VALUE"), "{wrapped}");
    }

    #[test]
    fn the_value_is_reached_only_through_expose() {
        let secret = Secret::from(VALUE.to_owned());
        assert_eq!(secret.expose(), VALUE);
        assert!(!secret.is_empty());
        assert!(Secret::default().is_empty());
        assert!(Secret::new(" \t").is_blank() && !secret.is_blank());
        assert_eq!(Secret::from(VALUE), secret);
    }

    #[test]
    fn serde_carries_the_plain_string() {
        let secret = Secret::new(VALUE);
        let json = serde_json::to_string(&secret).unwrap_or_default();
        assert_eq!(json, format!("\"{VALUE}\""));
        let back: Secret = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back.expose(), VALUE);
        assert!(serde_json::from_str::<Secret>("42").is_err());
    }

    #[test]
    fn dropping_wipes_the_bytes() {
        // `Zeroize` on a `String` zeroes its whole buffer and then clears it;
        // what `Drop` runs is checked here on a value that stays observable.
        let mut secret = Secret::new(VALUE);
        let capacity = secret.0.capacity();
        secret.0.zeroize();
        assert!(secret.0.is_empty());
        assert_eq!(secret.0.capacity(), capacity, "the buffer is kept, zeroed");
    }
}
