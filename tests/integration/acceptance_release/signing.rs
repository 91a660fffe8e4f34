//! Acceptance: `scripts/release.sh --gpg-key` writes the binary detached
//! signature of `SHA256SUMS` the Terraform Registry requires
//! (`terraform-provider-influxdb3_VERSION_SHA256SUMS.sig`). Each test makes a
//! throwaway key (`support::gpg`) and checks the signature with `gpg --verify`.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use super::{
    Layout, VERSION, assert_release_layout, fake_binary, release, release_in, release_sh_in,
};
use crate::support::gpg::ThrowawayKeyring;
use crate::support::terraform::repo_root;

/// Reads a release file, panicking with its path when it is missing.
fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn release_signs_sha256sums_with_the_chosen_key() {
    let keyring = ThrowawayKeyring::new("Release Test <release-test@example.invalid>");
    let tmp = TempDir::new().unwrap();
    let binary = fake_binary(tmp.path());
    let out = tmp.path().join("dist");
    let layout = Layout::new(VERSION);
    let sums = out.join(&layout.sums);
    let signature = out.join(&layout.signature);

    // --gpg-key names the key (here by fingerprint).
    let stdout = release_in(
        &binary,
        &out,
        &["--gpg-key", keyring.fingerprint()],
        Some(&keyring),
    );
    assert_release_layout(&out, &binary, VERSION);
    assert!(
        stdout.contains(&layout.signature) && stdout.contains(keyring.fingerprint()),
        "the script names the signature and the key:\n{stdout}"
    );
    // A binary detached signature (what the Registry takes), not ASCII armor:
    // an OpenPGP packet starts with a byte whose top bit is set.
    let bytes = read(&signature);
    assert!(
        bytes.first().is_some_and(|byte| byte & 0x80 != 0) && !bytes.starts_with(b"-----BEGIN"),
        "{} is not a binary OpenPGP signature",
        layout.signature
    );
    let packets = keyring.gpg_ok(&["--list-packets", signature.to_str().unwrap()]);
    let packets = String::from_utf8_lossy(&packets.stdout);
    assert!(
        packets.contains(":signature packet:") && !packets.contains(":literal data packet:"),
        "a detached signature holds a signature packet and no data:\n{packets}"
    );
    assert_eq!(
        keyring.verify(&signature, &sums).as_deref(),
        Some(keyring.fingerprint()),
        "gpg --verify {} {}",
        layout.signature,
        layout.sums
    );

    // The signature covers SHA256SUMS exactly: one changed byte breaks it.
    let tampered = tmp.path().join("tampered_SHA256SUMS");
    let mut changed = read(&sums);
    changed[0] = if changed[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(&tampered, changed).unwrap();
    assert_eq!(
        keyring.verify(&signature, &tampered),
        None,
        "a signature of SHA256SUMS verified a modified file"
    );

    // GPG_FINGERPRINT chooses the key when --gpg-key is not given.
    let output = Command::new("bash")
        .arg(repo_root().join("scripts/release.sh"))
        .args(["--binary", binary.to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .env("GNUPGHOME", keyring.home())
        .env("GPG_FINGERPRINT", "release-test@example.invalid")
        .output()
        .expect("release.sh runs");
    assert!(
        output.status.success(),
        "GPG_FINGERPRINT release failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        keyring.verify(&signature, &sums).as_deref(),
        Some(keyring.fingerprint())
    );

    // A later unsigned release of the same version leaves no stale signature.
    release(&binary, &out, &[]);
    assert!(
        !signature.exists(),
        "an unsigned release kept the previous {}",
        layout.signature
    );
}

#[test]
fn release_signs_with_a_passphrase_protected_key() {
    let passphrase = "correct horse battery staple";
    let keyring = ThrowawayKeyring::with_passphrase(
        "Release Passphrase Test <release-passphrase@example.invalid>",
        passphrase,
    );
    let tmp = TempDir::new().unwrap();
    let binary = fake_binary(tmp.path());
    let out = tmp.path().join("dist");
    let passphrase_file = tmp.path().join("passphrase");
    std::fs::write(&passphrase_file, passphrase).unwrap();
    // gpg-agent caches the passphrase from key generation: forget it, so that
    // the signature can only come from --gpg-passphrase-file.
    let forget = Command::new("gpgconf")
        .args(["--reload", "gpg-agent"])
        .env("GNUPGHOME", keyring.home())
        .status()
        .expect("gpgconf runs");
    assert!(forget.success(), "gpgconf --reload gpg-agent");

    let stdout = release_in(
        &binary,
        &out,
        &[
            "--gpg-key",
            keyring.fingerprint(),
            "--gpg-passphrase-file",
            passphrase_file.to_str().unwrap(),
        ],
        Some(&keyring),
    );
    assert!(
        !stdout.contains(passphrase),
        "the passphrase reached the output"
    );
    let layout = Layout::new(VERSION);
    assert_eq!(
        keyring
            .verify(&out.join(&layout.signature), &out.join(&layout.sums))
            .as_deref(),
        Some(keyring.fingerprint())
    );
}

#[test]
fn release_refuses_a_key_it_cannot_sign_with() {
    let keyring = ThrowawayKeyring::new("Release Test <release-test@example.invalid>");
    let tmp = TempDir::new().unwrap();
    let binary = fake_binary(tmp.path());
    let binary = binary.to_str().unwrap();
    let out = tmp.path().join("dist");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--gpg-key", "nobody@example.invalid"],
            "no secret GPG key 'nobody@example.invalid'",
        ),
        (
            &["--gpg-passphrase-file", "/nonexistent"],
            "--gpg-passphrase-file needs --gpg-key",
        ),
        (
            &[
                "--gpg-key",
                "release-test@example.invalid",
                "--gpg-passphrase-file",
                "/nonexistent/passphrase",
            ],
            "cannot be read",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["--binary", binary, "--out", out];
        all.extend_from_slice(args);
        let output = release_sh_in(&all, Some(&keyring));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{all:?} succeeded");
        assert!(
            stderr.contains(message),
            "{all:?}: expected {message:?} in:\n{stderr}"
        );
        // Refused before anything is written.
        assert!(
            !Path::new(out).join(Layout::new(VERSION).sums).exists(),
            "{all:?} wrote a release"
        );
    }
}

#[test]
fn release_without_gpg_says_how_to_install_it() {
    // A PATH with what the script needs before it signs, and no gpg.
    let tmp = TempDir::new().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    // The real interpreter, not a shim (pyenv's shims need more than this PATH).
    let python = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("python3 runs");
    let tools = [
        (
            "python3",
            String::from_utf8_lossy(&python.stdout).trim().to_string(),
        ),
        ("dirname", "/usr/bin/dirname".to_string()),
    ];
    for (tool, path) in tools {
        assert!(Path::new(&path).exists(), "{tool}: {path} does not exist");
        std::os::unix::fs::symlink(&path, bin.join(tool)).unwrap();
    }
    let binary = fake_binary(tmp.path());
    let output = Command::new("/bin/bash")
        .arg(repo_root().join("scripts/release.sh"))
        .args(["--binary", binary.to_str().unwrap()])
        .args(["--out", tmp.path().join("dist").to_str().unwrap()])
        .args(["--gpg-key", "release-test@example.invalid"])
        .env("PATH", &bin)
        .output()
        .expect("release.sh runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "signed without gpg");
    assert!(
        stderr.contains("gpg not found") && stderr.contains("apt-get install -y gnupg"),
        "{stderr}"
    );
}
