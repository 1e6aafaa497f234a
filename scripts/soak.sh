#!/usr/bin/env bash
# The soak test: two `frontdesk serve` nodes on one PostgreSQL database, driven for
# FRONTDESK_SOAK_SECS seconds (default 600) with mixed traffic: texts (each delivered to both
# nodes at once), three-turn calls, web leads and availability reads. Prints requests by status,
# errors, lost and doubled texts, and p50/p99 latency; fails on any error, lost or doubled text.
# Not part of scripts/test.sh. Usage: scripts/soak.sh   (FRONTDESK_SOAK_SECS=60 for a short one)
set -euo pipefail
cd "$(dirname "$0")/.."
export FRONTDESK_TEST_PG=${FRONTDESK_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}
export FRONTDESK_SOAK_SECS=${FRONTDESK_SOAK_SECS:-600}
exec cargo test --test it --quiet soak_two_nodes_with_mixed_traffic -- --ignored --nocapture
