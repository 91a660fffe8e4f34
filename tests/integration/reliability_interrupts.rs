//! Reliability: Ctrl-C during an apply.
//!
//! An apply of `COUNT` tokens runs against the emulator with slowed-down
//! creates, and the test sends SIGINT, either to Terraform's whole process
//! group (what Ctrl-C in a terminal does: Terraform and the providers it
//! started get it; the provider ignores it, like go-plugin, and Terraform
//! stops it with StopProvider) or to Terraform alone. Then: Terraform exits
//! within `EXIT_LIMIT`, no provider process it started is left, the state and
//! the API agree, and the next apply converges with every token minted once.
//!
//! Two moments for the interrupt:
//! - `Moment::WhileHeld`: the first 10 creates (Terraform's parallelism) are
//!   done and the next 10 are held by the emulator before they reach the
//!   store; the provider lets them finish (up to 10 s) and starts no more;
//! - `Moment::WhileCommitting`: 30 creates (`-parallelism=30`) were released
//!   together and the first one is committed: the others are being written
//!   to the store, which finishes them whether or not the client is still
//!   there (as any server does once it has started).
//!
//! See `docs/reliability.md`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::reliability::{
    Scenario, assert_no_crash, counted_tokens, error_excerpt, for_each_cli, live_group_members,
    wait_gone,
};
use crate::support::acceptance::assert_output_contains;
use crate::support::terraform::TerraformCli;

/// Tokens in the interrupted apply.
const COUNT: usize = 30;

/// Terraform's default parallelism: creates in flight at once.
const PARALLELISM: u64 = 10;

/// Terraform must be gone this soon after SIGINT.
const EXIT_LIMIT: Duration = Duration::from_secs(20);

/// How long the provider processes may outlive Terraform.
const PROVIDER_EXIT_LIMIT: Duration = Duration::from_secs(3);

const CREATE: &str = "create_management_token";

/// Tries of the `Moment::WhileCommitting` scenario.
const COMMIT_ATTEMPTS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `kill -INT -- -PGID`: Terraform and its providers, like Ctrl-C.
    Group,
    /// `kill -INT PID`: Terraform only.
    Terraform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moment {
    /// 10 creates done, the next 10 held (5 s) before they reach the store.
    WhileHeld,
    /// 30 creates released at once, the first committed, the rest committing.
    WhileCommitting,
}

/// Runs the scenario; returns false, having checked only that Terraform and
/// its providers are gone, when the apply had already finished when the
/// interrupt arrived (possible for `Moment::WhileCommitting` on a busy
/// machine).
fn interrupt_apply(cli: &TerraformCli, target: Target, moment: Moment, test: &str) -> bool {
    let mut s = Scenario::new(cli);
    s.write(&counted_tokens("intr", COUNT));
    let mut args = vec!["apply", "-input=false", "-auto-approve"];
    let mut running = match moment {
        Moment::WhileHeld => {
            s.fault(json!({"delay_ms": 200, "count": PARALLELISM, "method": "POST"}));
            s.fault(json!({"delay_ms": 5000, "count": PARALLELISM, "method": "POST"}));
            let mut running = s.spawn(&args);
            // Terraform starts create 11 only when one of the first 10 has
            // returned: at 20, all of the first 10 are in state.
            running.wait_until(
                "the second wave of creates",
                Duration::from_secs(60),
                || s.count(CREATE) >= 2 * PARALLELISM,
            );
            // Well inside the 5 s hold.
            std::thread::sleep(Duration::from_millis(200));
            running
        }
        Moment::WhileCommitting => {
            s.fault(json!({"delay_ms": 1000, "count": COUNT, "method": "POST"}));
            args.push("-parallelism=30");
            let mut running = s.spawn(&args);
            running.wait_until("the first commit", Duration::from_secs(60), || {
                !s.emulator.list_tokens().is_empty()
            });
            running
        }
    };
    let pgid = running.pid();
    assert!(
        !running.providers.is_empty(),
        "{cli}: no provider process seen under Terraform (pid {pgid})"
    );
    let interrupted = Instant::now();
    match target {
        Target::Group => running.signal_group("INT"),
        Target::Terraform => running.signal_terraform("INT"),
    }
    let out = running.wait(EXIT_LIMIT + Duration::from_secs(30));
    let exit_after = interrupted.elapsed();
    s.record(&out);
    let providers: BTreeSet<u32> = running.providers.clone();
    eprintln!(
        "{cli}: SIGINT to {target:?} ({moment:?}) after {} creates started; Terraform exited with {} {exit_after:.1?} later; \
         provider processes seen: {providers:?}\n{}",
        s.count(CREATE),
        out.code,
        error_excerpt(&out, 12)
    );
    assert!(
        !out.timed_out && exit_after < EXIT_LIMIT,
        "{cli}: Terraform took {exit_after:?} (limit {EXIT_LIMIT:?}) to exit after SIGINT:\n{out}"
    );
    assert_no_crash(&out);
    let too_late = out.success();
    if !too_late {
        assert_output_contains(&out, &["Interrupt received"]);
    }

    // No provider process outlives Terraform, and nothing is left in the group.
    let alive = wait_gone(&providers, PROVIDER_EXIT_LIMIT);
    assert!(
        alive.is_empty(),
        "{cli}: provider processes {alive:?} (children of Terraform {pgid}) still run \
         {PROVIDER_EXIT_LIMIT:?} after Terraform exited"
    );
    let members = live_group_members(pgid);
    assert!(
        members.is_empty(),
        "{cli}: processes left in Terraform's process group {pgid}: {members:?}"
    );

    if too_late {
        eprintln!("{cli}: the apply had finished when the interrupt arrived");
        return false;
    }

    // What the interrupted apply left: consistent. (WhileCommitting: every
    // create was in flight, and in-flight creates are allowed to finish, so
    // the state may be complete; what matters is that it agrees with the API.)
    s.emulator.clear_faults();
    let state = s.assert_consistent("after the interrupt");
    if moment == Moment::WhileHeld {
        assert!(
            state.len() < COUNT,
            "{cli}: the apply finished before the interrupt took effect"
        );
        // The first wave is in state, and so is the held one: a create in
        // flight is allowed to finish when the provider is stopped (its
        // response holds the only copy of the secret); none starts after.
        assert_eq!(state.len() as u64, 2 * PARALLELISM, "{cli}: {state:?}");
    }

    // The next apply converges: every token once, all in state and active.
    let apply = s.apply(&[]);
    apply.assert_success();
    assert_output_contains(
        &apply,
        &[&format!(
            "{} added, 0 changed, 0 destroyed",
            COUNT - state.len()
        )],
    );
    assert_eq!(s.plan_code(), 0, "{cli}: plan after the second apply");
    let state = s.assert_consistent("after the second apply");
    assert_eq!(state.len(), COUNT);
    let minted = s.minted_per_description();
    let twice: Vec<_> = minted.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "{cli}: minted more than once: {twice:?}");
    assert_eq!(minted.len(), COUNT, "{cli}: {minted:?}");
    s.finish(test);
    true
}

/// Ctrl-C as a terminal sends it: SIGINT to the whole foreground process
/// group, while 10 creates are held by the API.
#[test]
fn reliability_interrupt_apply_sigint_to_group() {
    for_each_cli("reliability_interrupt_apply_sigint_to_group", |cli| {
        let interrupted = interrupt_apply(
            cli,
            Target::Group,
            Moment::WhileHeld,
            "reliability_interrupt_apply_sigint_to_group",
        );
        assert!(interrupted, "{cli}: the apply was not interrupted");
    });
}

/// SIGINT to the Terraform process alone (as `kill -INT` does): Terraform
/// stops the providers itself.
#[test]
fn reliability_interrupt_apply_sigint_to_terraform() {
    for_each_cli("reliability_interrupt_apply_sigint_to_terraform", |cli| {
        let interrupted = interrupt_apply(
            cli,
            Target::Terraform,
            Moment::WhileHeld,
            "reliability_interrupt_apply_sigint_to_terraform",
        );
        assert!(interrupted, "{cli}: the apply was not interrupted");
    });
}

/// Ctrl-C while the API is committing creates: a create the server finishes
/// after the interrupt must still end up in state (or be revoked), never
/// active and unknown to Terraform. The commit window is short (the
/// emulator writes about 30 tokens in a few hundred milliseconds), so a
/// scenario the interrupt reached too late is run again, up to
/// `COMMIT_ATTEMPTS` times.
#[test]
fn reliability_interrupt_apply_while_creates_commit() {
    for_each_cli("reliability_interrupt_apply_while_creates_commit", |cli| {
        let interrupted = (0..COMMIT_ATTEMPTS).any(|_| {
            interrupt_apply(
                cli,
                Target::Group,
                Moment::WhileCommitting,
                "reliability_interrupt_apply_while_creates_commit",
            )
        });
        assert!(
            interrupted,
            "{cli}: in {COMMIT_ATTEMPTS} tries the interrupt never arrived before the apply finished"
        );
    });
}
