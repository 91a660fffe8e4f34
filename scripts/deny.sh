#!/usr/bin/env bash
# Checks the dependency graph against deny.toml with cargo-deny (`make deny`,
# run by .ci/run): licenses (only the permissive ones deny.toml allows), bans
# (no OpenSSL or second crypto provider, no wildcard requirements; duplicate
# versions are warnings) and sources (crates.io only).
#
# NOT checked here: advisories. cargo-deny clones the RustSec advisory database
# from GitHub for that, and CI cannot reach GitHub. Before a release, on a
# machine that can: scripts/deny.sh advisories (or cargo deny check advisories).
#
# Installs cargo-deny, pinned, from crates.io into <repo>/.tools/cargo/
# (idempotent: an install reporting the pinned version is kept; a build from
# source takes a few minutes on 2 cores). Needs crates.io for that and for
# `cargo metadata` (dependencies of every release platform).
#
# Usage: scripts/deny.sh [CHECK...]   (default: licenses bans sources)
# Environment: CARGO (default cargo); CARGO_TOOLS_ROOT (default <repo>/.tools/cargo),
# where cargo-deny is installed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${CARGO_TOOLS_ROOT:-$REPO_ROOT/.tools/cargo}"
CARGO_DENY_VERSION=0.20.2
CARGO="${CARGO:-cargo}"

CHECKS=("$@")
if [ ${#CHECKS[@]} = 0 ]; then
  CHECKS=(licenses bans sources)
fi
for check in "${CHECKS[@]}"; do
  case "$check" in
    licenses | bans | sources | advisories) ;;
    -h | --help)
      sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "deny: unknown check '$check' (licenses, bans, sources, advisories)" >&2
      exit 2
      ;;
  esac
done

export PATH="$TOOLS/bin:$PATH"
if [ "$(cargo-deny --version 2>/dev/null || true)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
  echo "deny: installing cargo-deny $CARGO_DENY_VERSION into $TOOLS"
  t0=$SECONDS
  "$CARGO" install cargo-deny --version "$CARGO_DENY_VERSION" --locked --root "$TOOLS" --quiet
  echo "deny: installed in $((SECONDS - t0)) s"
fi

echo "deny: cargo deny check ${CHECKS[*]} ($(cargo-deny --version), $REPO_ROOT/deny.toml)"
cd "$REPO_ROOT"
cargo-deny --color never check --show-stats --hide-inclusion-graph "${CHECKS[@]}"
