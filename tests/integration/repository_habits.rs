//! The repository's own paperwork: the license Cargo.toml declares, verbatim;
//! a security policy; a contributing guide that documents every make target
//! and the layers a new resource goes through; and an MSRV check that catches a
//! declared `rust-version` CI does not test. (cargo-deny runs as its own CI step,
//! `make deny`; release signing is tested in `acceptance_release::signing`.)

use std::process::Command;

use tempfile::TempDir;

use crate::support::terraform::repo_root;

/// SHA-256 of the Mozilla Public License 2.0 as Mozilla publishes it
/// (<https://www.mozilla.org/media/MPL/2.0/index.txt>).
const MPL_2_0_SHA256: &str = "fab3dd6bdab226f1c08630b1dd917e11fcb4ec5e1e020e2c16f83a0a13863e85";

fn read(relative: &str) -> String {
    let path = repo_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whitespace runs collapsed, so phrases match across line breaks.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn license_is_the_verbatim_mpl_2_0_cargo_toml_declares() {
    assert_eq!(env!("CARGO_PKG_LICENSE"), "MPL-2.0", "Cargo.toml license");
    let license = read("LICENSE");
    assert!(
        license.starts_with("Mozilla Public License Version 2.0\n"),
        "LICENSE does not start with the MPL 2.0 title"
    );
    let output = Command::new("sha256sum")
        .arg(repo_root().join("LICENSE"))
        .output()
        .expect("sha256sum runs");
    assert!(output.status.success());
    let digest = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        digest.split_whitespace().next(),
        Some(MPL_2_0_SHA256),
        "LICENSE is not the exact MPL 2.0 text (a changed character, line ending or a \
         copyright header added to it?)"
    );
}

#[test]
fn security_policy_says_how_to_report_and_what_is_in_scope() {
    let policy = normalized(&read("SECURITY.md"));
    for phrase in [
        "## Reporting a vulnerability",
        "Do not open a public issue",
        "Report a vulnerability",
        "Never include a real token",
        "## In scope",
        "## Out of scope",
    ] {
        assert!(
            policy.contains(phrase),
            "SECURITY.md does not say {phrase:?}"
        );
    }
    let in_scope =
        &policy[policy.find("## In scope").unwrap()..policy.find("## Out of scope").unwrap()];
    for topic in [
        "Secrets in logs",
        "Secrets in state",
        "mTLS",
        "TLS to the management API",
    ] {
        assert!(
            in_scope.contains(topic),
            "SECURITY.md: {topic:?} is not in scope"
        );
    }
    let out_of_scope = &policy[policy.find("## Out of scope").unwrap()..];
    assert!(
        out_of_scope
            .contains("The emulator (`influxdb3-emulator`) is for tests and local trials only"),
        "SECURITY.md: the emulator is not declared test-only"
    );
}

#[test]
fn contributing_guide_documents_every_make_target_and_the_layers() {
    let guide = read("CONTRIBUTING.md");
    let makefile = read("Makefile");
    let targets: Vec<&str> = makefile
        .lines()
        .filter_map(|line| line.strip_prefix(".PHONY:"))
        .flat_map(str::split_whitespace)
        .filter(|target| *target != "all")
        .collect();
    assert!(targets.len() >= 10, "targets found: {targets:?}");
    let undocumented: Vec<_> = targets
        .iter()
        .filter(|target| !guide.contains(&format!("make {target}")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "CONTRIBUTING.md does not mention `make {undocumented:?}`"
    );

    // Adding a resource walks the layers in dependency order.
    let steps = &guide[guide
        .find("## Adding a resource")
        .expect("CONTRIBUTING.md has an \"Adding a resource\" section")..];
    let layers = [
        "docs/management-api.md",
        "src/api/",
        "src/provider/client/",
        "src/emulator/",
        "src/framework/",
        "src/provider/resources/",
        "templates/resources/",
        "examples/resources/",
        "tests/integration/acceptance_",
        "CHANGELOG",
    ];
    let mut from = 0;
    for layer in layers {
        let at = steps[from..]
            .find(layer)
            .unwrap_or_else(|| panic!("CONTRIBUTING.md: {layer} is missing or out of order"));
        from += at + layer.len();
    }

    let releasing = normalized(&guide[guide.find("## Releasing").expect("a Releasing section")..]);
    for phrase in [
        "SHA256SUMS.sig",
        "GPG_FINGERPRINT",
        "--gpg-key",
        "gpg --verify",
        "advisories",
    ] {
        assert!(
            releasing.contains(phrase),
            "CONTRIBUTING.md, Releasing: no {phrase:?}"
        );
    }
}

#[test]
fn msrv_check_accepts_only_the_tested_toolchain() {
    let script = repo_root().join("scripts/check-msrv.sh");
    let run = |rustc: Option<&std::path::Path>| {
        let mut command = Command::new("bash");
        command.arg(&script).current_dir(repo_root());
        if let Some(rustc) = rustc {
            command.env("RUSTC", rustc);
        }
        command.output().expect("check-msrv.sh runs")
    };

    // The toolchain running these tests is the one CI tests with.
    let output = run(None);
    assert!(
        output.status.success(),
        "make msrv-check fails with the toolchain in use:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    // Another toolchain than the declared MSRV is refused, with the fix.
    let tmp = TempDir::new().unwrap();
    let declared = env!("CARGO_PKG_RUST_VERSION");
    let (major, minor) = declared
        .split_once('.')
        .expect("rust-version is MAJOR.MINOR");
    let other = format!("{major}.{}", minor.parse::<u32>().unwrap() + 1);
    let fake = tmp.path().join("rustc");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\necho 'rustc {other}.0 (0000000 2030-01-01)'\n"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = run(Some(&fake));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "a Rust {other} toolchain passed the MSRV {declared} check"
    );
    assert!(
        stderr.contains(&format!(
            "the declared MSRV ({declared}) is not the toolchain CI tests with ({other})"
        )),
        "{stderr}"
    );
}
