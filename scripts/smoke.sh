#!/usr/bin/env bash
# Starts the built service (dist/) on a throw-away embedded PostgreSQL, signs in as the demo
# admin, reads a region, then stops it with SIGTERM and checks nothing is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.data/smoke
rm -rf "$dir"
export PORT=${SMOKE_PORT:-3917} EMBEDDED_PG_PORT=${SMOKE_PG_PORT:-54317} DATA_DIR=$dir EMBEDDED_PG_DIR=$dir/postgres LOG_LEVEL=warn
unset DATABASE_URL
start=$(date +%s%N)
node dist/src/main.js > "$dir.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/health" > /dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$dir.log"; echo "smoke: service exited"; exit 1; }
  sleep 0.1
done
echo "smoke: healthy after $(( ($(date +%s%N) - start) / 1000000 )) ms (fresh database)"
token=$(curl -fs -X POST "http://127.0.0.1:$PORT/auth/login" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"gep-demo-2026"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')
curl -fs "http://127.0.0.1:$PORT/regions/361130" -H "authorization: Bearer $token" | grep -q '婺源县'
kill -TERM $pid
wait $pid
trap - EXIT
if pgrep -f "$(pwd)/$dir/postgres" > /dev/null; then echo "smoke: postgres left running"; exit 1; fi
echo "smoke: login, read and clean shutdown OK"
