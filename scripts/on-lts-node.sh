#!/usr/bin/env bash
# Runs a command on a Node LTS line the service supports (22 or 24): as it is when this machine's
# Node is one of them, else on Node 24 fetched from the npm registry (the `node` package ships the
# binary; npx caches it). Node 20 reached end of life in April 2026: CI and the benchmarks run on
# a supported Node, so that their figures are the service's as it is deployed (a province's
# evaluation is ~20% slower on Node 20's V8).
set -euo pipefail
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
  echo "== Node $(node --version) is past end of life: running on Node 24" >&2
  exec npx -y -p node@24 -- "$@"
fi
exec "$@"
