//! Acceptance: `scripts/release.sh` lays out a release the Terraform Registry
//! and filesystem mirrors accept, and both Terraform CLIs install the provider
//! from that mirror offline (`terraform init` with a `filesystem_mirror` for this
//! provider only and no `direct`), record an `h1:` hash in the lock file, and
//! run the installed binary against the emulator.
//!
//! The script packages the debug binary Cargo built for this run (`--binary`),
//! so the test needs no slow LTO release build. Signing `SHA256SUMS` is tested
//! with a throwaway GPG key (`support::gpg`), verified with `gpg --verify`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::support::emulator::EmulatorProcess;
use crate::support::gpg::ThrowawayKeyring;
use crate::support::terraform::{
    PROVIDER_SOURCE, TerraformCli, TestWorkdir, provider_binary, repo_root,
};

mod signing;

/// The version the script reads from Cargo.toml.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The manifest the Registry needs: plugin protocol 6 only.
const MANIFEST: &str = r#"{"version":1,"metadata":{"protocol_versions":["6.0"]}}"#;

fn platform() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "linux_amd64",
        "aarch64" => "linux_arm64",
        other => panic!("no release platform for architecture {other}"),
    }
}

/// Runs `scripts/release.sh ARGS` from the repository root, without signing.
fn release_sh(args: &[&str]) -> Output {
    release_sh_in(args, None)
}

/// Runs `scripts/release.sh ARGS`; with `keyring`, gpg uses it (`GNUPGHOME`).
/// A developer's `GPG_FINGERPRINT` never reaches the script.
fn release_sh_in(args: &[&str], keyring: Option<&ThrowawayKeyring>) -> Output {
    let script = repo_root().join("scripts/release.sh");
    let mut command = Command::new("bash");
    command
        .arg(&script)
        .args(args)
        .current_dir(repo_root())
        .env_remove("GPG_FINGERPRINT");
    if let Some(keyring) = keyring {
        command.env("GNUPGHOME", keyring.home());
    }
    command
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", script.display()))
}

/// Runs the script and panics with its output unless it succeeds.
#[track_caller]
fn release(binary: &Path, out: &Path, extra: &[&str]) -> String {
    release_in(binary, out, extra, None)
}

/// [`release`] with a keyring for signing.
#[track_caller]
fn release_in(
    binary: &Path,
    out: &Path,
    extra: &[&str],
    keyring: Option<&ThrowawayKeyring>,
) -> String {
    let mut args = vec![
        "--binary",
        binary.to_str().expect("UTF-8 binary path"),
        "--out",
        out.to_str().expect("UTF-8 output path"),
    ];
    args.extend_from_slice(extra);
    let output = release_sh_in(&args, keyring);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "scripts/release.sh {args:?} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Runs a Python 3 snippet (the zip checks use the standard library's zipfile).
#[track_caller]
fn python(code: &str, args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python3 failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The file names of a release of `version`, relative to the output directory.
struct Layout {
    zip: String,
    sums: String,
    signature: String,
    manifest: String,
    binary_name: String,
    mirror_binary: PathBuf,
}

impl Layout {
    fn new(version: &str) -> Layout {
        let binary_name = format!("terraform-provider-influxdb3_v{version}");
        Layout {
            zip: format!("terraform-provider-influxdb3_{version}_{}.zip", platform()),
            sums: format!("terraform-provider-influxdb3_{version}_SHA256SUMS"),
            signature: format!("terraform-provider-influxdb3_{version}_SHA256SUMS.sig"),
            manifest: format!("terraform-provider-influxdb3_{version}_manifest.json"),
            mirror_binary: Path::new("mirror")
                .join(PROVIDER_SOURCE)
                .join(version)
                .join(platform())
                .join(&binary_name),
            binary_name,
        }
    }
}

/// Checks every file of a release of `binary` as `version` in `out`.
#[track_caller]
fn assert_release_layout(out: &Path, binary: &Path, version: &str) {
    let layout = Layout::new(version);

    // The manifest is the repository's, byte for byte, and says protocol 6.0.
    let manifest = std::fs::read(out.join(&layout.manifest)).expect("manifest file");
    let root_manifest = std::fs::read(repo_root().join("terraform-registry-manifest.json"))
        .expect("terraform-registry-manifest.json at the repository root");
    assert_eq!(
        manifest, root_manifest,
        "{} differs from the repository's",
        layout.manifest
    );
    let parsed: serde_json::Value = serde_json::from_slice(&manifest).expect("manifest is JSON");
    assert_eq!(
        parsed,
        serde_json::from_str::<serde_json::Value>(MANIFEST).unwrap()
    );

    // SHA256SUMS lists the zip and the manifest, and the sums are right.
    let sums = std::fs::read_to_string(out.join(&layout.sums)).expect("SHA256SUMS file");
    let mut listed: Vec<&str> = sums
        .lines()
        .filter_map(|line| line.split_once("  ").map(|(_, name)| name))
        .collect();
    listed.sort_unstable();
    let mut expected = vec![layout.zip.as_str(), layout.manifest.as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected, "SHA256SUMS:\n{sums}");
    for line in sums.lines() {
        let (hash, _) = line.split_once("  ").expect("`HASH  NAME` lines");
        assert!(
            hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{line}"
        );
    }
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", &layout.sums])
        .current_dir(out)
        .output()
        .expect("sha256sum runs");
    assert!(
        check.status.success(),
        "sha256sum --check {}:\n{}{}",
        layout.sums,
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // The zip holds exactly the binary, executable, under its versioned name.
    let listing = python(
        "import hashlib, sys, zipfile\n\
         z = zipfile.ZipFile(sys.argv[1])\n\
         for info in z.infolist():\n\
         \x20   print(info.filename, oct((info.external_attr >> 16) & 0o777), hashlib.sha256(z.read(info)).hexdigest())\n",
        &[out.join(&layout.zip).to_str().unwrap()],
    );
    let binary_sha = python(
        "import hashlib, sys\nprint(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
        &[binary.to_str().unwrap()],
    );
    assert_eq!(
        listing.trim(),
        format!("{} 0o755 {}", layout.binary_name, binary_sha.trim()),
        "zip contents of {}",
        layout.zip
    );

    // The unpacked mirror holds the same binary, executable.
    let mirrored = out.join(&layout.mirror_binary);
    assert_eq!(
        std::fs::read(&mirrored).unwrap_or_else(|e| panic!("{}: {e}", mirrored.display())),
        std::fs::read(binary).unwrap(),
        "{} is not the packaged binary",
        mirrored.display()
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&mirrored).unwrap().permissions().mode();
    assert_eq!(mode & 0o755, 0o755, "{} mode {mode:o}", mirrored.display());
}

/// A small stand-in binary: the layout checks need no real provider.
fn fake_binary(dir: &Path) -> PathBuf {
    let path = dir.join("terraform-provider-influxdb3");
    std::fs::write(&path, "#!/bin/sh\necho 'not a real provider'\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn release_layout_is_complete_and_reproducible() {
    let tmp = TempDir::new().unwrap();
    let binary = fake_binary(tmp.path());
    let first = tmp.path().join("first");
    let second = tmp.path().join("second");

    let stdout = release(&binary, &first, &[]);
    assert!(
        stdout.contains("filesystem_mirror"),
        "the script says how to use the mirror:\n{stdout}"
    );
    assert_release_layout(&first, &binary, VERSION);
    // No key, no signature, and the script says the Registry needs one.
    assert!(!first.join(Layout::new(VERSION).signature).exists());
    assert!(
        stdout.contains("is NOT signed") && stdout.contains("--gpg-key"),
        "the script says SHA256SUMS is unsigned:\n{stdout}"
    );

    // Same binary, same bytes: the archive has fixed timestamps.
    release(&binary, &second, &[]);
    let layout = Layout::new(VERSION);
    assert_eq!(
        std::fs::read_to_string(first.join(&layout.sums)).unwrap(),
        std::fs::read_to_string(second.join(&layout.sums)).unwrap(),
        "two releases of the same binary differ"
    );

    // --version names every file; a leading v is dropped.
    release(&binary, &first, &["--version", "v2.3.4-rc.1"]);
    assert_release_layout(&first, &binary, "2.3.4-rc.1");
}

#[test]
fn release_rejects_bad_arguments() {
    let tmp = TempDir::new().unwrap();
    let binary = fake_binary(tmp.path());
    let cases: [(&[&str], &str); 3] = [
        (&["--version", "banana"], "not a semantic version"),
        (&["--binary", "/nonexistent/provider"], "does not exist"),
        (&["--frobnicate"], "unknown argument"),
    ];
    for (args, message) in cases {
        let mut all = vec!["--out", tmp.path().to_str().unwrap()];
        if !args.contains(&"--binary") {
            all.extend(["--binary", binary.to_str().unwrap()]);
        }
        all.extend_from_slice(args);
        let output = release_sh(&all);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{all:?} succeeded");
        assert!(
            stderr.contains(message),
            "{all:?}: expected {message:?} in:\n{stderr}"
        );
    }
}

/// A CLI config that installs this provider from `mirror` only: no registry,
/// no `direct`, so `init` works offline and cannot fetch anything else.
fn mirror_cli_config(mirror: &Path) -> String {
    format!(
        "disable_checkpoint = true\n\
         \n\
         provider_installation {{\n  \
           filesystem_mirror {{\n    \
             path    = \"{}\"\n    \
             include = [\"{PROVIDER_SOURCE}\"]\n  \
           }}\n\
         }}\n",
        mirror.display()
    )
}

fn mirror_config(description: &str) -> String {
    format!(
        "terraform {{\n  \
           required_providers {{\n    \
             influxdb3 = {{\n      \
               source  = \"influxdb3/influxdb3\"\n      \
               version = \"= {VERSION}\"\n    \
             }}\n  \
           }}\n\
         }}\n\
         \n\
         provider \"influxdb3\" {{}}\n\
         \n\
         resource \"influxdb3_management_token\" \"released\" {{\n  \
           description = \"{description}\"\n\
         }}\n"
    )
}

#[test]
fn terraform_installs_the_release_from_a_filesystem_mirror_offline() {
    let dist = TempDir::new().unwrap();
    release(&provider_binary(), dist.path(), &[]);
    assert_release_layout(dist.path(), &provider_binary(), VERSION);
    let mirror = dist.path().join("mirror");

    for cli in TerraformCli::all() {
        let emulator = EmulatorProcess::start();
        let mut wd = TestWorkdir::new(&cli);
        wd.write_cli_config(&mirror_cli_config(&mirror));
        let description = format!("installed from the mirror by Terraform {}", cli.version);
        wd.write_config(&mirror_config(&description));

        let init = wd.init();
        init.assert_success();
        assert!(
            init.stdout
                .contains(&format!("Installed influxdb3/influxdb3 v{VERSION}")),
            "{cli}: init did not install v{VERSION} from the mirror:\n{init}"
        );
        let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl"))
            .unwrap_or_else(|e| panic!("{cli}: no lock file after init ({e}):\n{init}"));
        assert!(
            lock.contains(&format!("provider \"{PROVIDER_SOURCE}\"")),
            "{cli}: lock file:\n{lock}"
        );
        assert!(
            lock.contains(&format!("version     = \"{VERSION}\"")),
            "{cli}: lock file:\n{lock}"
        );
        assert!(
            lock.contains("\"h1:"),
            "{cli}: the lock file has no h1: hash:\n{lock}"
        );
        let installed = wd
            .path()
            .join(".terraform/providers")
            .join(PROVIDER_SOURCE)
            .join(VERSION)
            .join(platform());
        assert!(
            installed.is_dir(),
            "{cli}: {} missing after init",
            installed.display()
        );

        // The installed binary (not a dev override) plans, applies and destroys.
        wd.env("INFLUXDB3_URL", emulator.url())
            .env("INFLUXDB3_ACCOUNT_ID", emulator.account_id().to_string())
            .env("INFLUXDB3_TOKEN", emulator.token());
        let plan = wd.plan();
        plan.assert_success();
        assert!(
            plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
            "{cli}: plan:\n{plan}"
        );
        assert!(
            !plan.combined().contains("development overrides"),
            "{cli}: dev_overrides leaked into the mirror test:\n{plan}"
        );

        wd.apply().assert_success();
        let active: Vec<_> = emulator
            .list_tokens()
            .into_iter()
            .filter(|token| token.description == description && token.revoked_at.is_none())
            .collect();
        assert_eq!(
            active.len(),
            1,
            "{cli}: expected one active token {description:?}"
        );
        assert_eq!(
            wd.plan_detailed_exitcode(),
            0,
            "{cli}: a second plan is not empty"
        );

        wd.destroy().assert_success();
        let token = emulator
            .list_tokens()
            .into_iter()
            .find(|token| token.id == active[0].id)
            .expect("a revoked token stays listed");
        assert!(
            token.revoked_at.is_some(),
            "{cli}: destroy did not revoke {}",
            token.id
        );
    }
}
