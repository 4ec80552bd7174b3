#!/usr/bin/env bash
# Usage: run_cluster_test.sh BUILD_DIR — starts scripts/run-cluster.sh 3 on free ports, checks
# that the three nodes list each other and share their data, interrupts it as Ctrl-C would, and
# checks that its folder, its nodes and its PostgreSQL are gone.
set -euo pipefail
build="$(cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
source "$root/tests/e2e/shell/lib.sh"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Four consecutive free ports: three nodes, then PostgreSQL. They are drawn below the kernel's
# ephemeral range, so no outgoing connection of another test can be holding one; a start that
# still loses a port to someone else is retried on new ones.
ephemeral_low="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
pick_ports() {
  for _ in $(seq 50); do
    base=$((10000 + RANDOM % (ephemeral_low - 10004)))
    busy=0
    for port in $base $((base + 1)) $((base + 2)) $((base + 3)); do
      listening "$port" && busy=1
    done
    ((busy)) || return 0
  done
  fail "no four consecutive free ports"
}

out="$(mktemp)"
cluster_pid=""
cleanup() {
  if [[ -n "$cluster_pid" ]]; then
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
  fi
  rm -f "$out"
}
trap cleanup EXIT

started=0
for attempt in 1 2 3; do
  pick_ports
  # Job control: without it a background job ignores SIGINT, and the Ctrl-C below would not reach it.
  set -m
  MAESTRO_SERVER="$build/host/maestro-server" MAESTRO_CLUSTER_PORT="$base" \
    MAESTRO_CLUSTER_PG_PORT="$((base + 3))" "$root/scripts/run-cluster.sh" 3 >"$out" 2>&1 &
  cluster_pid=$!
  set +m
  ready_or_gone() { grep -q "Ctrl-C stops" "$out" || ! kill -0 "$cluster_pid" 2>/dev/null; }
  wait_until 120 ready_or_gone || { cat "$out" >&2; fail "the cluster did not start in 120 s"; }
  if grep -q "Ctrl-C stops" "$out"; then
    started=1
    break
  fi
  wait "$cluster_pid" 2>/dev/null || true
  cluster_pid=""
  echo "attempt $attempt: the cluster did not start on ports $base-$((base + 3)):" >&2
  cat "$out" >&2
done
((started)) || fail "the cluster did not start in three attempts"
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
