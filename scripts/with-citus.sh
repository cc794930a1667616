#!/usr/bin/env bash
# Runs a command against a three-node Citus 13.2 cluster (PostgreSQL 15) on loopback:
#
#   scripts/with-citus.sh npm-or-jest-command...
#
# Builds and installs Citus from ../shared/tools/citus (idempotent: nothing to do when it is
# installed; as root, with apt), starts a coordinator on :56001 and workers on :56002/:56003 with
# their data in a temporary directory, creates the database `gep_citus` owned by the login role
# `gep` on every node (the citus extension and node registration are the superuser's part), runs
# the command with CITUS_URL naming that database as `gep`, then stops the cluster and deletes it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${CITUS_TOOLS:-$ROOT/../shared/tools/citus}
TARBALL=$(ls "$TOOLS"/citus-*.tar.gz | head -1)

t0=$(date +%s)
echo "== building Citus from $(basename "$TARBALL") (skipped when installed)"
bash "$TOOLS/build-citus.sh" "$TARBALL" | sed 's/^/   /'

BASE=$(mktemp -d "${TMPDIR:-/tmp}/gep-citus.XXXXXX")
chmod 755 "$BASE"
export CITUS_BASE=$BASE/cluster
stop() {
  bash "$TOOLS/cluster.sh" stop >/dev/null 2>&1 || true
  rm -rf "$BASE"
}
trap stop EXIT

PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
bash "$TOOLS/cluster.sh" start | sed 's/^/   /'
bash "$TOOLS/cluster.sh" db gep_citus gep "$PASSWORD" | sed 's/^/   /'
echo "== Citus cluster ready in $(($(date +%s) - t0)) s"

CITUS_URL="postgres://gep:$PASSWORD@127.0.0.1:56001/gep_citus" "$@"
