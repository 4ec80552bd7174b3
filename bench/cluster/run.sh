#!/usr/bin/env bash
# Usage: bench/cluster/run.sh [BUILD_DIR] — PostgreSQL store and cluster figures for docs/BENCHMARKS.md.
# Side by side in one run: POST /api/tasks per second (wrk -t1 per server, CONNECTIONS each) on
# one server with SQLite, one node on PostgreSQL, and three nodes on one PostgreSQL loaded at
# once (their sum); then one event's latency from a POST on node 1 to the frame on a WebSocket
# client of node 2, beside the same on node 1 alone (maestro_bench_fanout, 1 client).
# PostgreSQL is a throwaway cluster (scripts/throwaway-postgres.sh) with fsync off, as in the
# tests: the figures are the servers' cost, not a disk's.
# While the three nodes are loaded, the servers' PostgreSQL connections are sampled (5 a
# second) by state and wait event: where the time goes.
# Environment: DURATION (10s), CONNECTIONS (16), ROUNDS (300 events for the latency).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
rounds="${ROUNDS:-300}"
"$root/scripts/setup.sh" --bench --tests >/dev/null
cmake --build "$build" -j2 --target maestro-server maestro_bench_load maestro_bench_fanout >/dev/null

work="$(mktemp -d /tmp/maestro-bench-cluster.XXXXXX)"
chmod 755 "$work" # as root, PostgreSQL runs as another user, who must reach its folder
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  "$root/scripts/throwaway-postgres.sh" stop "$work/postgres" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Not called in $(…): the pid must reach `pids` in this shell, or cleanup misses the server.
start_server() { # name [maestro-server args…] → sets port
  local home="$work/$1"
  shift
  mkdir -p "$home"
  "$build/host/maestro-server" --port 0 --home "$home" "$@" >"$home.out" 2>"$home.log" &
  pids+=("$!")
  for _ in $(seq 200); do grep -q "listening on" "$home.out" 2>/dev/null && break; sleep 0.1; done
  port="$(grep -o '[0-9]*$' "$home.out")"
}
posts_per_second() { # port project → requests/s of one wrk run
  PROJECT="$2" wrk -t1 -c"$connections" -d"$duration" -s "$root/bench/server/post.lua" \
    "http://127.0.0.1:$1/api/tasks" | awk '/Requests\/sec/ {print $2}'
}

sample_backends() { # url seconds → "count state/wait" lines, most frequent first
  local end=$((SECONDS + $2))
  while ((SECONDS < end)); do
    psql "$1" -XAtqc "SELECT state || ' / ' || coalesce(wait_event_type || ':' || wait_event, 'running')
      FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
      AND state IN ('active', 'idle in transaction')" || true
    sleep 0.2
  done | sort | uniq -c | sort -rn
}

url="$("$root/scripts/throwaway-postgres.sh" start "$work/postgres")"

start_server sqlite
sqlite_port="$port"
project="$("$build/bench/maestro_bench_load" "$sqlite_port" 1 | cut -d' ' -f1)"
sqlite_rps="$(posts_per_second "$sqlite_port" "$project")"

start_server node1 --database "$url" --node-id node1
port1="$port"
project="$("$build/bench/maestro_bench_load" "$port1" 1 | cut -d' ' -f1)"
one_rps="$(posts_per_second "$port1" "$project")"

start_server node2 --database "$url" --node-id node2
port2="$port"
start_server node3 --database "$url" --node-id node3
port3="$port"
loads=()
for port in "$port1" "$port2" "$port3"; do
  posts_per_second "$port" "$project" >"$work/rps.$port" &
  loads+=("$!")
done
sample_backends "$url" "${duration%s}" >"$work/backends"
wait "${loads[@]}"
three_rps="$(cat "$work/rps.$port1" "$work/rps.$port2" "$work/rps.$port3" | awk '{s += $1} END {printf "%.2f", s}')"

printf 'POST /api/tasks/s (wrk -t1 -c%s -d%s per server):\n' "$connections" "$duration"
printf '  sqlite, one server:        %s\n' "$sqlite_rps"
printf '  postgresql, one node:      %s\n' "$one_rps"
printf '  postgresql, three nodes:   %s  (%s + %s + %s)\n' "$three_rps" \
  "$(cat "$work/rps.$port1")" "$(cat "$work/rps.$port2")" "$(cat "$work/rps.$port3")"
printf 'PostgreSQL connections during the three-node run (samples: state / wait event):\n'
sed 's/^/  /' "$work/backends"
printf 'event latency, POST sent → frame received (%s events):\n' "$rounds"
printf '  same node (1 → 1):         %s\n' "$("$build/bench/maestro_bench_fanout" "$port1" "$project" 1 "$rounds")"
printf '  across nodes (1 → 2):      %s\n' "$("$build/bench/maestro_bench_fanout" "$port2" "$project" 1 "$rounds" "$port1")"
