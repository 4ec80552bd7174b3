#!/usr/bin/env bash
# Usage: run_cluster_test.sh BUILD_DIR — starts scripts/run-cluster.sh 3 on free ports, checks
# that the three nodes list each other and share their data, interrupts it as Ctrl-C would, and
# checks that its folder, its nodes and its PostgreSQL are gone.
set -euo pipefail
build="$(cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
source "$root/tests/e2e/shell/lib.sh"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Four consecutive ports nobody listens on: three nodes, then PostgreSQL.
for _ in $(seq 50); do
  base=$((30000 + RANDOM % 20000))
  busy=0
  for port in $base $((base + 1)) $((base + 2)) $((base + 3)); do
    listening "$port" && busy=1
  done
  ((busy)) || break
done

out="$(mktemp)"
# Job control: without it a background job ignores SIGINT, and the Ctrl-C below would not reach it.
set -m
MAESTRO_SERVER="$build/host/maestro-server" MAESTRO_CLUSTER_PORT="$base" \
  MAESTRO_CLUSTER_PG_PORT="$((base + 3))" "$root/scripts/run-cluster.sh" 3 >"$out" 2>&1 &
cluster_pid=$!
set +m
cleanup() {
  kill -TERM "$cluster_pid" 2>/dev/null || true
  wait "$cluster_pid" 2>/dev/null || true
  rm -f "$out"
}
trap cleanup EXIT

wait_until 120 grep -q "Ctrl-C stops" "$out" || { cat "$out" >&2; fail "the cluster did not start"; }
folder="$(sed -n 's/^Ctrl-C stops the cluster and removes //p' "$out")"
[[ -d "$folder" ]] || fail "no cluster folder: $(cat "$out")"

nodes="$(curl -sf "http://127.0.0.1:$base/api/nodes")"
[[ "$(grep -o '"status":"up"' <<<"$nodes" | wc -l)" == 3 ]] || fail "not three nodes up: $nodes"
project="$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"name":"shared","workingDir":"/tmp"}' "http://127.0.0.1:$((base + 1))/api/projects")"
id="$(grep -o '"id":"[^"]*"' <<<"$project" | head -n 1 | cut -d'"' -f4)"
curl -sf "http://127.0.0.1:$((base + 2))/api/projects/$id" | grep -q '"name":"shared"' ||
  fail "node 3 does not see the project made on node 2"

kill -INT "$cluster_pid"
wait_until 60 bash -c "! kill -0 $cluster_pid 2>/dev/null" || fail "run-cluster.sh did not stop"
[[ ! -e "$folder" ]] || fail "$folder is left behind"
for port in $base $((base + 1)) $((base + 2)) $((base + 3)); do
  listening "$port" && fail "something still listens on $port"
done
echo "ok: three nodes shared one database; Ctrl-C left nothing behind"
