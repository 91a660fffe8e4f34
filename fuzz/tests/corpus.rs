//! Replays every committed input through its target without libFuzzer, on
//! any toolchain: `cargo test --manifest-path fuzz/Cargo.toml`.
//!
//! `corpus/<target>/` must pass. `artifacts/<target>/` holds inputs that
//! crashed a target (findings, kept as reproducers); the ignored test runs
//! them, so `cargo test ... -- --ignored` shows whether they still fail.

use std::fs;
use std::panic;
use std::path::Path;

use fuzz_harness::TARGETS;

/// Runs every file under `<dir>/<target>/`; returns (inputs, failures).
fn replay(dir: &str) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut inputs = 0;
    let mut failures = Vec::new();
    for (target, run) in TARGETS {
        let Ok(entries) = fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let data = fs::read(&path).expect("read an input");
            inputs += 1;
            if panic::catch_unwind(|| run(&data)).is_err() {
                failures.push(format!("{target}: {}", path.display()));
            }
        }
    }
    (inputs, failures)
}

#[test]
fn corpus_replays_without_a_panic() {
    let (inputs, failures) = replay("corpus");
    assert!(inputs > 0, "no corpus found");
    assert!(
        failures.is_empty(),
        "{} of {inputs} inputs panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_target_has_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, _) in TARGETS {
        let count = fs::read_dir(root.join(target))
            .map(|dir| dir.count())
            .unwrap_or(0);
        assert!(count > 0, "corpus/{target}/ is empty");
    }
}

#[test]
#[ignore = "findings: inputs that crashed a target until the code is fixed"]
fn artifacts_no_longer_crash() {
    let (inputs, failures) = replay("artifacts");
    assert!(
        failures.is_empty(),
        "{} of {inputs} artifacts still panic:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
