#!/usr/bin/env bash
# Keeps the declared minimum supported Rust version (MSRV) honest: the
# `rust-version` of Cargo.toml must be the Rust release CI builds and tests with
# (`make msrv-check`, run by .ci/run).
#
# Only one toolchain is tested (the one on PATH), so the only MSRV the project
# can promise is that toolchain's minor release: declaring an older one would be
# a promise nobody checks. To support an older Rust, add a CI job that builds and
# tests with exactly that toolchain (rustup toolchain install 1.NN), then lower
# `rust-version` and run this check with RUSTC pointing at it.
#
# Also fails when a dependency declares a newer rust-version than the MSRV.
#
# Environment: RUSTC (default rustc), CARGO (default cargo).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUSTC="${RUSTC:-rustc}"
CARGO="${CARGO:-cargo}"

die() {
  echo "msrv-check: FAIL: $*" >&2
  exit 1
}

declared="$(python3 - "$REPO_ROOT/Cargo.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
package = re.search(r"^\[package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
match = package and re.search(r'^rust-version\s*=\s*"([^"]+)"', package.group(1), re.M)
print(match.group(1) if match else "")
PY
)"
[ -n "$declared" ] || die "Cargo.toml declares no rust-version in [package]"
[[ "$declared" =~ ^[0-9]+\.[0-9]+$ ]] ||
  die "rust-version \"$declared\" should be MAJOR.MINOR (e.g. 1.95): a minor release is what CI tests"

tested_full="$("$RUSTC" --version)" || die "cannot run $RUSTC --version"
tested="$(sed -E 's/^rustc ([0-9]+)\.([0-9]+)\..*/\1.\2/' <<<"$tested_full")"
[[ "$tested" =~ ^[0-9]+\.[0-9]+$ ]] || die "cannot read a version from \"$tested_full\""

echo "msrv-check: Cargo.toml rust-version = \"$declared\"; CI toolchain: $tested_full"
if [ "$declared" != "$tested" ]; then
  die "the declared MSRV ($declared) is not the toolchain CI tests with ($tested). Set rust-version = \"$tested\" in Cargo.toml, or test with Rust $declared (RUSTC=... and a CI job on that toolchain)"
fi

# Dependencies that need a newer Rust than we promise (Cargo would refuse them
# only when building with that older Rust, i.e. never in CI). Only those of the
# host platform: they are already downloaded by any build, so this needs no
# network after one.
host="$("$RUSTC" -vV | sed -n 's/^host: //p')"
[ -n "$host" ] || die "cannot read the host platform from $RUSTC -vV"
newest="$("$CARGO" metadata --format-version 1 --locked --filter-platform "$host" \
  --manifest-path "$REPO_ROOT/Cargo.toml" |
  python3 -c '
import json, sys
meta = json.load(sys.stdin)
used = {node["id"] for node in meta["resolve"]["nodes"]} - set(meta["workspace_members"])
versions = [
    (tuple(int(part) for part in p["rust_version"].split(".")[:2]), p["name"] + " " + p["version"])
    for p in meta["packages"]
    if p.get("rust_version") and p["id"] in used
]
if versions:
    (major, minor), name = max(versions)
    print(f"{major}.{minor} {name}")
')"
if [ -n "$newest" ]; then
  read -r needed who <<<"$newest"
  echo "msrv-check: the most demanding dependency, $who, needs Rust $needed"
  if [ "$(printf '%s\n%s\n' "$needed" "$declared" | sort -V | tail -n 1)" != "$declared" ]; then
    die "$who needs Rust $needed, newer than the declared MSRV $declared"
  fi
fi
echo "msrv-check: OK (MSRV $declared is the tested toolchain)"
