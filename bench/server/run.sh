#!/usr/bin/env bash
# Usage: bench/server/run.sh [BUILD_DIR] — HTTP and WebSocket figures for docs/BENCHMARKS.md.
# Starts maestro-server (temporary home, a free port) and nginx serving the same JSON as a static
# file, loads 1,000 tasks, then measures with wrk, side by side in one run:
# GET /api/tasks/:id, GET /api/tasks?projectId=…&limit=100, POST /api/tasks, and one event's
# fan-out latency to 500 WebSocket clients.
# Environment: DURATION (10s), CONNECTIONS (32), ROUNDS (3; medians are printed, the ratio
# being the median of each round's pair), CLIENTS (500)
# and EVENTS (50) for the fan-out.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
"$root/scripts/setup.sh" --bench >/dev/null
cmake --build "$build" -j2 --target maestro-server maestro_bench_load maestro_bench_fanout >/dev/null

work="$(mktemp -d)"
cleanup() {
  [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$build/host/maestro-server" --port 0 --home "$work/home" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port="$(grep -o '[0-9]*$' "$work/server.out")"
read -r project task _ < <("$build/bench/maestro_bench_load" "$port" 1000)
base="http://127.0.0.1:$port"

# nginx serving the very bytes of GET /api/tasks/:id and of the 100-task list as static files.
mkdir -p "$work/www"
curl -s "$base/api/tasks/$task" >"$work/www/task.json"
curl -s "$base/api/tasks?projectId=$project&limit=100" >"$work/www/list.json"
start_nginx() { # port → starts nginx on it, or fails if the port is taken
  cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  server {
    listen 127.0.0.1:$1;
    root $work/www;
  }
}
CONF
  nginx -c "$work/nginx.conf" 2>/dev/null
}
# nginx cannot pick a free port itself: try the ports after ours until one is free.
nginx_port=$((port + 1))
until start_nginx "$nginx_port"; do
  nginx_port=$((nginx_port + 1))
  ((nginx_port < port + 100)) || { echo "nginx: no free port near $port" >&2; exit 1; }
done

rate() { # url [wrk args…] → requests/s
  local url="$1"; shift
  wrk -t2 -c"$connections" -d"$duration" --latency "$@" "$url" | awk '/Requests\/sec/ {print $2}'
}
median() { tr ' ' '\n' | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# The machine is noisy: each figure is the median of $rounds runs, nginx and maestro taking
# turns so that both see the same moments of the machine.
rounds="${ROUNDS:-3}"
echo "machine: $(nproc) cores, $(uname -r); wrk -t2 -c$connections -d$duration; 1,000 tasks loaded; median of $rounds"
ng_one=(); us_one=(); ng_list=(); us_list=(); us_post=()
for _ in $(seq "$rounds"); do
  ng_one+=("$(rate "http://127.0.0.1:$nginx_port/task.json")")
  us_one+=("$(rate "$base/api/tasks/$task")")
  ng_list+=("$(rate "http://127.0.0.1:$nginx_port/list.json")")
  us_list+=("$(rate "$base/api/tasks?projectId=$project&limit=100")")
done
# POSTs last: they grow the project, which the list above must not see.
for _ in $(seq "$rounds"); do
  us_post+=("$(PROJECT="$project" rate "$base/api/tasks" -s "$root/bench/server/post.lua")")
done
echo "runs (r/s): nginx one ${ng_one[*]} | maestro one ${us_one[*]} | nginx list ${ng_list[*]} | maestro list ${us_list[*]} | maestro post ${us_post[*]}"
# The ratio is the median of each round's maestro/nginx pair, measured back to back: the
# machine's speed drifts between rounds more than within one.
ratios() { # maestro-runs nginx-runs → one ratio (%) per round
  local -n us=$1 ng=$2
  for i in "${!us[@]}"; do awk "BEGIN{print 100*${us[$i]}/${ng[$i]}}"; done | tr '\n' ' '
}
one_ratio=$(ratios us_one ng_one | median); list_ratio=$(ratios us_list ng_list | median)
ng_one=$(echo "${ng_one[*]}" | median); us_one=$(echo "${us_one[*]}" | median)
ng_list=$(echo "${ng_list[*]}" | median); us_list=$(echo "${us_list[*]}" | median)
us_post=$(echo "${us_post[*]}" | median)
printf "%-34s %12s %12s %8s\n" "request" "maestro r/s" "nginx r/s" "ratio"
printf "%-34s %12.0f %12.0f %7.0f%%\n" "GET /api/tasks/:id" "$us_one" "$ng_one" "$one_ratio"
printf "%-34s %12.0f %12.0f %7.0f%%\n" "GET /api/tasks?limit=100" "$us_list" "$ng_list" "$list_ratio"
printf "%-34s %12.0f %12s %8s\n" "POST /api/tasks" "$us_post" "-" "-"
"$build/bench/maestro_bench_fanout" "$port" "$project" "${CLIENTS:-500}" "${EVENTS:-50}"
