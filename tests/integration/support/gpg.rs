//! A throwaway GPG keyring for the release-signing tests: a fresh `GNUPGHOME`
//! with one RSA signing key, generated in a fraction of a second, whose agent is
//! stopped when the keyring is dropped.
//!
//! `gpg` must be installed. When it is not, [`ensure_gpg`] installs `gnupg` with
//! apt-get if the tests run as root (as in CI), and otherwise fails saying how
//! to install it: a missing tool never skips a test.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use tempfile::TempDir;

/// How to get `gpg` where the tests cannot install it themselves.
const INSTALL_HINT: &str = "install GnuPG: `apt-get install -y gnupg` (Debian/Ubuntu), \
                            `dnf install -y gnupg2` (Fedora) or `brew install gnupg` (macOS)";

/// Makes sure `gpg` runs, installing it with apt-get when running as root.
/// Panics, saying how to install it, when it is missing and cannot be installed.
pub(crate) fn ensure_gpg() {
    static CHECKED: OnceLock<Result<String, String>> = OnceLock::new();
    let result = CHECKED.get_or_init(|| {
        if let Some(version) = gpg_version() {
            return Ok(version);
        }
        let is_root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0");
        let has_apt = Command::new("apt-get")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !(is_root && has_apt) {
            return Err(format!("gpg is not installed; {INSTALL_HINT}"));
        }
        eprintln!("gpg is missing: installing gnupg with apt-get");
        let installed = Command::new("sh")
            .args([
                "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnupg",
            ])
            .status()
            .is_ok_and(|status| status.success());
        match gpg_version() {
            Some(version) if installed => Ok(version),
            _ => Err(format!(
                "gpg is not installed and `apt-get install gnupg` failed; {INSTALL_HINT}"
            )),
        }
    });
    if let Err(message) = result {
        panic!("{message}");
    }
}

fn gpg_version() -> Option<String> {
    let output = Command::new("gpg").arg("--version").output().ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    })
}

/// A temporary `GNUPGHOME` holding one secret signing key.
#[derive(Debug)]
pub(crate) struct ThrowawayKeyring {
    home: TempDir,
    fingerprint: String,
}

impl ThrowawayKeyring {
    /// A keyring with an RSA 2048 signing key without passphrase, for `user_id`.
    pub(crate) fn new(user_id: &str) -> ThrowawayKeyring {
        ThrowawayKeyring::generate(user_id, "")
    }

    /// A keyring whose key is protected by `passphrase`.
    pub(crate) fn with_passphrase(user_id: &str, passphrase: &str) -> ThrowawayKeyring {
        assert!(!passphrase.is_empty(), "use ThrowawayKeyring::new");
        ThrowawayKeyring::generate(user_id, passphrase)
    }

    fn generate(user_id: &str, passphrase: &str) -> ThrowawayKeyring {
        ensure_gpg();
        // A short path under the temp dir: gpg-agent's socket may live in it.
        let home = tempfile::Builder::new()
            .prefix("gpg")
            .tempdir()
            .expect("temporary GNUPGHOME");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let mut keyring = ThrowawayKeyring {
            home,
            fingerprint: String::new(),
        };
        // The Terraform Registry accepts RSA and DSA keys; 2048 bits keeps it fast.
        keyring.gpg_ok(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--quick-gen-key",
            user_id,
            "rsa2048",
            "sign",
            "never",
        ]);
        let listing = keyring.gpg_ok(&["--with-colons", "--list-secret-keys", user_id]);
        let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
        keyring.fingerprint = listing
            .lines()
            .find_map(|line| line.strip_prefix("fpr:"))
            .and_then(|rest| rest.split(':').find(|field| field.len() == 40))
            .unwrap_or_else(|| panic!("no fingerprint in:\n{listing}"))
            .to_string();
        keyring
    }

    /// The `GNUPGHOME` directory.
    pub(crate) fn home(&self) -> &Path {
        self.home.path()
    }

    /// The key's 40-hex-digit fingerprint.
    pub(crate) fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Runs `gpg --batch ARGS` on this keyring.
    pub(crate) fn gpg(&self, args: &[&str]) -> Output {
        Command::new("gpg")
            .arg("--batch")
            .args(args)
            .env("GNUPGHOME", self.home())
            .stdin(Stdio::null())
            .output()
            .expect("gpg runs")
    }

    /// Runs `gpg --batch ARGS` and panics with its output unless it succeeds.
    #[track_caller]
    pub(crate) fn gpg_ok(&self, args: &[&str]) -> Output {
        let output = self.gpg(args);
        assert!(
            output.status.success(),
            "gpg {args:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Verifies the detached `signature` of `data` against this keyring and
    /// returns the fingerprint of the key that made it (`None`: bad signature).
    pub(crate) fn verify(&self, signature: &Path, data: &Path) -> Option<String> {
        let output = self.gpg(&[
            "--status-fd",
            "1",
            "--verify",
            signature.to_str().expect("UTF-8 path"),
            data.to_str().expect("UTF-8 path"),
        ]);
        if !output.status.success() {
            return None;
        }
        // [GNUPG:] VALIDSIG <fingerprint> ...
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .find_map(|line| {
                line.strip_prefix("[GNUPG:] VALIDSIG ")
                    .and_then(|rest| rest.split_whitespace().next())
                    .map(str::to_string)
            })
    }
}

impl Drop for ThrowawayKeyring {
    fn drop(&mut self) {
        // gpg started an agent for this GNUPGHOME: stop it with the keyring.
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", self.home())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
