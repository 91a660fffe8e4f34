#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer through cargo-fuzz, on stable Rust) of the
# parsers that take untrusted input; see fuzz/README.md.
#
# Installs cargo-fuzz into <repo>/.tools/cargo/ (idempotent: an install that
# reports the pinned version is kept), builds every target in fuzz/ with
# coverage instrumentation and debug assertions, then runs each target for N
# executions, bounded also in seconds. The committed corpus (fuzz/corpus/<target>/)
# is replayed first and never written to: inputs the fuzzer finds go to a scratch
# directory. Fails on the first crash, panic, failed check, timeout or OOM; the
# input is saved under fuzz/artifacts/<target>/ (commit it as a reproducer).
#
# Usage: scripts/fuzz.sh [--runs N] [--seconds S] [--keep DIR] [TARGET...]
#   --runs N     executions per target, the committed corpus included (default 500000)
#   --seconds S  time limit per target, whichever comes first (default 60)
#   --keep DIR   keep the inputs the fuzzer found in DIR/<target>/ (default: discarded)
#   TARGET...    only these targets (default: all, as listed by `cargo fuzz list`)
# Environment: CARGO (default cargo).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="$REPO_ROOT/fuzz"
TOOLS="$REPO_ROOT/.tools/cargo"
CARGO_FUZZ_VERSION=0.13.2
CARGO="${CARGO:-cargo}"

RUNS=500000
SECONDS_PER_TARGET=60
KEEP=""
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --runs=*) RUNS="${1#--runs=}"; shift ;;
    --seconds) SECONDS_PER_TARGET="$2"; shift 2 ;;
    --seconds=*) SECONDS_PER_TARGET="${1#--seconds=}"; shift ;;
    --keep) KEEP="$2"; shift 2 ;;
    --keep=*) KEEP="${1#--keep=}"; shift ;;
    -h | --help)
      sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "fuzz: unknown argument: $1 (try --help)" >&2
      exit 2
      ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
case "$RUNS$SECONDS_PER_TARGET" in
  *[!0-9]*)
    echo "fuzz: --runs and --seconds take whole numbers" >&2
    exit 2
    ;;
esac

export PATH="$TOOLS/bin:$PATH"

# cargo-fuzz, pinned, from crates.io (about 1.5 min to build on 2 cores).
if [ "$(cargo-fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION into ${TOOLS#"$REPO_ROOT"/}"
  "$CARGO" install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$TOOLS" --quiet
fi

# libFuzzer is C++, built from source by the libfuzzer-sys crate.
if ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "fuzz: installing g++ (apt-get) to build libFuzzer"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++
  else
    echo "fuzz: a C++ compiler is needed to build libFuzzer (apt-get install -y g++)" >&2
    exit 1
  fi
fi

cd "$FUZZ_DIR"
if [ ${#TARGETS[@]} = 0 ]; then
  mapfile -t TARGETS < <("$CARGO" fuzz list)
fi

# Stable Rust: no sanitizer (ASan needs nightly's -Zsanitizer; the crate
# forbids unsafe code). Coverage instrumentation (-Cpasses=sancov-module and
# -Cllvm-args=-sanitizer-coverage-*) and debug assertions are stable flags.
# 16 codegen units: a much faster build of the large dependency tree, for a
# small cost in executions per second.
BUILD_FLAGS=(--sanitizer none --debug-assertions --codegen-units 16)
echo "fuzz: building ${#TARGETS[@]} targets ($("$CARGO" --version))"
t0=$SECONDS
"$CARGO" fuzz build "${BUILD_FLAGS[@]}"
echo "fuzz: built in $((SECONDS - t0)) s"

HOST="$(rustc -vV | sed -n 's/^host: //p')"
BIN_DIR="$FUZZ_DIR/target/$HOST/release"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-corpus.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

declare -a SUMMARY=()
FAILED=0
for target in "${TARGETS[@]}"; do
  corpus="$FUZZ_DIR/corpus/$target"
  artifacts="$FUZZ_DIR/artifacts/$target"
  log="$SCRATCH/$target.log"
  mkdir -p "$SCRATCH/$target" "$corpus" "$artifacts"
  echo
  echo "==== fuzz $target: $RUNS runs, at most $SECONDS_PER_TARGET s"
  t0=$SECONDS
  rc=0
  # New inputs go to the first directory (scratch); the committed corpus
  # is only read. -timeout: an input running 10 s is a hang (a finding).
  "$BIN_DIR/$target" \
    -runs="$RUNS" \
    -max_total_time="$SECONDS_PER_TARGET" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -artifact_prefix="$artifacts/" \
    "$SCRATCH/$target" "$corpus" >"$log" 2>&1 || rc=$?
  took=$((SECONDS - t0))
  # The progress lines without libFuzzer's long recommended dictionary.
  grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|stat::average_exec_per_sec|INFO: +[0-9]+ files found)' "$log" || true
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  if [ "$rc" = 0 ]; then
    SUMMARY+=("PASS  $target: ${execs:-?} executions in ${took} s")
  else
    FAILED=1
    SUMMARY+=("FAIL  $target (exit $rc after ${took} s)")
    echo "---- $target failed (exit $rc); libFuzzer's report:"
    grep -v -E '^(#[0-9]+ |"|###### )' "$log" | tail -n 80
    echo "---- reproduce: $BIN_DIR/$target <artifact> (or: cd fuzz && cargo fuzz run ${BUILD_FLAGS[*]} $target <artifact>)"
  fi
  if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP/$target"
    cp -n "$SCRATCH/$target"/* "$KEEP/$target/" 2>/dev/null || true
  fi
done

echo
echo "==== fuzz summary"
for line in "${SUMMARY[@]}"; do
  echo "  $line"
done
if [ "$FAILED" != 0 ]; then
  echo "fuzz: FAILED (inputs saved under fuzz/artifacts/<target>/)"
  exit 1
fi
echo "fuzz: OK"
