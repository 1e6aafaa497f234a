#!/usr/bin/env bash
# Runs every check and test of frontdesk: formatting, clippy, and all tests on SQLite and
# PostgreSQL, with the real peers the tests need started here. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PEERS=${FRONTDESK_PEERS_DIR:-${TMPDIR:-/tmp}/frontdesk-peers}
mkdir -p "$PEERS"
log() { printf '\n== %s\n' "$*"; }

log "formatting"
cargo fmt --all -- --check

log "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

log "PostgreSQL"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "${FRONTDESK_TEST_PG:-}" ]; then
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 \
     && psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    export FRONTDESK_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres
    echo "using the server on 127.0.0.1:5432"
  else
    if [ -z "$PGBIN" ]; then
      echo "installing PostgreSQL"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    D="$PEERS/pg"
    if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" status >/dev/null 2>&1; then
      rm -rf "$D" && mkdir -p "$D" && chown postgres "$D"
      runuser -u postgres -- "$PGBIN/initdb" -D "$D/data" -A trust -U postgres --no-sync >/dev/null
      runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" -l "$D/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p 55432 -k $D -c fsync=off" start >/dev/null
    fi
    export FRONTDESK_TEST_PG=postgres://postgres@127.0.0.1:55432/postgres
    echo "started a throwaway server on 127.0.0.1:55432"
  fi
fi
# Databases left by earlier runs.
psql "$FRONTDESK_TEST_PG" -Atc "select datname from pg_database where datname like 'fdt_%'" 2>/dev/null \
  | while read -r db; do psql "$FRONTDESK_TEST_PG" -qc "drop database if exists $db" >/dev/null 2>&1 || true; done
export FRONTDESK_REQUIRE_PG=${FRONTDESK_REQUIRE_PG:-1}

log "Python peers: Twilio's helper library, Radicale (CalDAV), aiosmtpd (SMTP sink)"
VENV=${FRONTDESK_PEERS_VENV:-$HOME/.cache/frontdesk/peers-venv}
if ! "$VENV/bin/python" -c 'import twilio, radicale, aiosmtpd' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'twilio==9.*' 'radicale==3.*' aiosmtpd
fi
export FRONTDESK_TWILIO_PYTHON="$VENV/bin/python" FRONTDESK_RADICALE="$VENV/bin/python" FRONTDESK_AIOSMTPD="$VENV/bin/python"
if [ "${CI:-}" = true ]; then export FRONTDESK_REQUIRE_PEERS=1; fi

log "Chromium (for report and page screenshots)"
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || echo "could not install chromium: browser tests will say they were skipped"
  else
    echo "chromium missing and not root: browser tests will say they were skipped"
  fi
fi

log "llama.cpp (a real OpenAI-compatible model server and a small model, cached)"
# Built once from the llama-cpp-python sdist and cached in $HOME/.cache/frontdesk/llama; the
# model tests use it (FRONTDESK_LLAMA_SERVER, FRONTDESK_LLAMA_MODEL) and say they were skipped
# without it, except under CI, where a failed build is an error.
if LLAMA_ENV=$("$ROOT/scripts/llama-server.sh" --env 2>"$PEERS/llama-build.log"); then
  eval "$LLAMA_ENV"
  echo "llama-server: $FRONTDESK_LLAMA_SERVER"
elif [ "${CI:-}" = true ]; then
  tail -n 30 "$PEERS/llama-build.log"
  echo "could not build llama-server (see above)" >&2
  exit 1
else
  tail -n 5 "$PEERS/llama-build.log"
  echo "could not build llama-server: the real-model tests will say they were skipped"
fi

log "tests"
cargo test --workspace --quiet 2>&1 | tee "$PEERS/test.log"
