#!/usr/bin/env bash
# deps.sh: makes sure the Debian packages Rapport builds, runs and tests
# with are installed (used by `make run`, `make test` and `make bench`;
# `--browser` adds what the browser tests need).
#
# Checks each package with dpkg-query. When some are missing: as root,
# runs `apt-get update` once and installs them without recommends, with no
# questions asked (works with no terminal, as in CI); otherwise prints the
# exact command to run as root and exits 1. On a system without dpkg it
# says so and carries on (the build will tell what is missing).
set -euo pipefail

PACKAGES=(
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
  libcurl4-openssl-dev libssl-dev libcmocka-dev libglpk-dev meson ninja-build pkg-config gcc python3 wrk sqlite3
  libinih-dev libsystemd-dev
)
# `deps.sh --browser` (make test, make bench): also what the browser tests
# and bench/web_load.mjs need: Debian's chromium, driven headless by
# playwright-core from npm (package.json), and node with npm. `make run`
# does not ask for these.
if [ "${1:-}" = "--browser" ]; then
  # ... and what the API tests on PostgreSQL use: the server (a private
  # cluster, tests/api/pgcluster.py), psycopg2 for Debian's python3, and
  # nginx in front of two instances (dist/nginx-rapport.conf, run by
  # tests/api/test_postgres.py and the browser journey behind-nginx, whose
  # cluster and two instances need postgresql-15 too).
  PACKAGES+=(chromium nodejs postgresql-15 python3-psycopg2 nginx)
  # ... and what the operations tests use: promtool (Debian's prometheus)
  # checks a metrics scrape, systemd-analyze scores the unit in dist/.
  PACKAGES+=(prometheus systemd)
  # ... and the mail tests' SMTP server (STARTTLS, AUTH) and iCalendar parser.
  PACKAGES+=(python3-aiosmtpd python3-icalendar openssl)
  # ... and the matcher's independent reference solver (tests/api/test_matching_optimal.py).
  PACKAGES+=(python3-scipy)
  # Debian's nodejs comes without npm (a separate package); a nodejs that
  # bundles npm must not be given Debian's npm on top.
  command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: dpkg-query not found (not Debian?); not checking packages: ${PACKAGES[*]}" >&2
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == *" installed" ]] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

install_line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: install them as root, then run make again:" >&2
  echo "  sudo apt-get update && sudo $install_line" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
