//! The emulator's console (`/console`): in headless Chromium (`browser`: sign-in, the
//! list, the filter, Revoke with its dialog or its confirmation page, the keyboard,
//! and Terraform noticing a revoke made in the browser), and over plain HTTP (`http`:
//! sessions, CSRF, escaping).
//!
//! Screenshots of every page are saved in `<target dir>/test-artifacts/console/`.
//! Run: `cargo test --test integration console::`. This file holds the helpers both
//! share.

mod browser;
mod http;

use crate::support::emulator::EmulatorProcess;

/// The console URL from the emulator's ready line.
fn console_url(emulator: &EmulatorProcess) -> String {
    emulator.ready_line()["console_url"]
        .as_str()
        .unwrap_or_else(|| panic!("no console_url in {}", emulator.ready_line()))
        .to_owned()
}

/// How many revokes the emulator's statistics counted.
fn revoke_count(emulator: &EmulatorProcess) -> u64 {
    emulator.stats()["by_operation"]["revoke_management_token"]
        .as_u64()
        .unwrap_or(0)
}
