#!/usr/bin/env bash
# Runs a command against a throwaway cluster of Debian's PostgreSQL server of a given major
# version (the embedded server the tests use by default is 18; this checks the oldest one the
# service supports):
#
#   scripts/with-postgres.sh 15 npm test
#
# Installs postgresql-<major> with apt when it is missing (as root), creates a cluster in a
# temporary directory owned by the `postgres` user (PostgreSQL refuses to run as root), starts it
# on 127.0.0.1 with trust authentication, runs the command with DATABASE_URL naming the server's
# `postgres` database (the tests create their own databases there), then stops and deletes it.
set -euo pipefail

MAJOR=${1:?usage: $0 MAJOR COMMAND...}
shift
PORT=${PG_PORT:-$((56000 + MAJOR))}
BIN=/usr/lib/postgresql/$MAJOR/bin

if [ ! -x "$BIN/postgres" ]; then
  echo "== installing Debian's postgresql-$MAJOR"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "postgresql-$MAJOR" >/dev/null
fi

DIR=$(mktemp -d "${TMPDIR:-/tmp}/gep-pg$MAJOR.XXXXXX")
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$DIR"

stop() {
  as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
  >/dev/null
# the settings of the embedded server (src/database/embedded-postgres.ts), fsync off: a test cluster
as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
  "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off \
   -c shared_buffers=512MB -c max_wal_size=4GB -c work_mem=32MB -c temp_buffers=64MB" \
  start >/dev/null
echo "== PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres" "$@"
