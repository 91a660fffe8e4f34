#!/usr/bin/env bash
# Installs what the console's browser tests need (tests/integration/console.rs):
# Debian's Chromium and its WebDriver (`chromium`, `chromium-driver`). `make test`
# and `.ci/run` run it; it is idempotent (a second run only checks, in well under
# a second).
#
# As root it uses apt-get; otherwise it fails saying what to install. Elsewhere,
# install a Chromium and a matching chromedriver yourself and point the tests at
# them with INFLUXDB3_TEST_CHROMIUM and INFLUXDB3_TEST_CHROMEDRIVER.
set -euo pipefail

have_browser() {
  if [ -n "${INFLUXDB3_TEST_CHROMIUM:-}" ] && [ -n "${INFLUXDB3_TEST_CHROMEDRIVER:-}" ]; then
    [ -x "$INFLUXDB3_TEST_CHROMIUM" ] && [ -x "$INFLUXDB3_TEST_CHROMEDRIVER" ]
    return
  fi
  command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1
}

if have_browser; then
  echo "install-browser: $(chromedriver --version 2>/dev/null | head -n 1 || echo "chromedriver from INFLUXDB3_TEST_CHROMEDRIVER")"
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: installing chromium and chromium-driver with apt-get ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
  if have_browser; then
    echo "install-browser: $(chromedriver --version | head -n 1)"
    exit 0
  fi
  echo "install-browser: ERROR: apt-get finished but chromium/chromedriver are not on PATH" >&2
  exit 1
fi

cat >&2 <<'MSG'
install-browser: ERROR: the console's browser tests need Chromium and chromedriver.
  On Debian/Ubuntu, as root:  apt-get install -y chromium chromium-driver
  Or set INFLUXDB3_TEST_CHROMIUM and INFLUXDB3_TEST_CHROMEDRIVER to a Chromium and a
  matching chromedriver.
MSG
exit 1
