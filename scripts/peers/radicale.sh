#!/usr/bin/env bash
# Installs Radicale 3 (the CalDAV server the frontdesk-caldav tests run on loopback) into a venv,
# once, and prints the path of that venv's python. Each test starts its own server from it.
# Usage: export FRONTDESK_RADICALE=$(scripts/peers/radicale.sh)
# The venv is $FRONTDESK_PEERS_VENV, else /work/.venv-peers (where the tests also look).
set -euo pipefail
VENV=${FRONTDESK_PEERS_VENV:-/work/.venv-peers}
PY="$VENV/bin/python"
if "$PY" -c 'import radicale' >/dev/null 2>&1; then
  echo "$PY"
  exit 0
fi
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
  else
    echo "python3-venv is missing and this is not root: install it, then run this again" >&2
    exit 1
  fi
fi
python3 -m venv "$VENV" >&2
"$PY" -m pip install -q 'radicale==3.*' >&2
"$PY" -c 'import radicale' >&2
echo "$PY"
