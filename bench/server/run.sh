#!/usr/bin/env bash
# Usage: bench/server/run.sh [BUILD_DIR] — HTTP and WebSocket figures for docs/BENCHMARKS.md.
# Starts maestro-server (temporary home, a free port) and nginx (one worker) serving the same JSON
# as a static file, loads 1,000 tasks, then measures with wrk -t1, side by side in one run:
# GET /api/tasks/:id, GET /api/tasks?projectId=…&limit=100, POST /api/tasks; the same GET and
# a health probe with IDLE idle and SLOW slowloris connections held open beside them; and one event's
# fan-out latency to 500 WebSocket clients.
# Environment: DURATION (10s), CONNECTIONS (32), ROUNDS (3; medians are printed, a ratio being
# the median of each round's pair), IDLE (10000) and SLOW (300) held connections, CLIENTS (500)
# and EVENTS (50) for the fan-out.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
rounds="${ROUNDS:-3}"
idle="${IDLE:-10000}"
slow="${SLOW:-300}"
"$root/scripts/setup.sh" --bench >/dev/null
cmake --build "$build" -j2 --target maestro-server maestro_bench_load maestro_bench_fanout \
  maestro_bench_hold maestro_bench_probe >/dev/null

work="$(mktemp -d)"
cleanup() {
  local status=$?
  if ((status != 0)); then # say why: the server's last words, and whether it is still there
    echo "failed (exit $status); server $(kill -0 "${server_pid:-0}" 2>/dev/null && echo running || echo gone)" >&2
    tail -20 "$work"/*.log >&2 2>/dev/null || true
  fi
  [[ -n "${hold_pid:-}" ]] && kill "$hold_pid" 2>/dev/null && wait "$hold_pid" 2>/dev/null || true
  [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The held connections must stay for the whole run: deadlines far beyond it (the worst case, an
# attacker with all the time in the world). The descriptor limit is raised for the holder.
ulimit -n "$(ulimit -Hn)"
start_server() { # home → sets server_pid and port
  mkdir -p "$1"
  echo '{"httpIdleTimeoutMs": 3600000, "httpHeaderTimeoutMs": 3600000}' >"$1/config.json"
  "$build/host/maestro-server" --port 0 --home "$1" >"$1.out" 2>"$1.log" &
  server_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$1.out" 2>/dev/null && break; sleep 0.1; done
  port="$(grep -o '[0-9]*$' "$1.out")"
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
open_fds() { find "/proc/$server_pid/fd" -mindepth 1 | wc -l; }
hold() { # starts the holder on $port and waits until the server has accepted every connection
  local fds; fds=$(open_fds)
  : >"$work/hold.out"
  "$build/bench/maestro_bench_hold" "$port" "$idle" "$slow" >"$work/hold.out" 2>&1 &
  hold_pid=$!
  for _ in $(seq 600); do grep -q "^ready" "$work/hold.out" && break; sleep 0.1; done
  grep -q "^ready" "$work/hold.out" || { cat "$work/hold.out" >&2; exit 1; }
  for _ in $(seq 600); do (($(open_fds) >= fds + idle + slow)) && break; sleep 0.1; done
}
release() { kill "$hold_pid"; wait "$hold_pid" || true; hold_pid=; }

# Memory per held connection, on a fresh server whose heap has nothing freed to reuse: the
# growth of its resident set while it accepts the held connections, over their number.
start_server "$work/fresh"
rss=$(rss_kib)
hold
rss_per=$(awk "BEGIN{print ($(rss_kib) - $rss) * 1024 / ($idle + $slow)}")
release
kill "$server_pid"; wait "$server_pid" || true

start_server "$work/home"
read -r project task _ < <("$build/bench/maestro_bench_load" "$port" 1000)
base="http://127.0.0.1:$port"

# nginx serving the very bytes of GET /api/tasks/:id and of the 100-task list as static files.
mkdir -p "$work/www"
curl -s "$base/api/tasks/$task" >"$work/www/task.json"
curl -s "$base/api/tasks?projectId=$project&limit=100" >"$work/www/list.json"
start_nginx() { # port → starts nginx on it, or fails if the port is taken
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
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

wrk_run() { # url [wrk args…] → wrk's report
  local url="$1"; shift
  wrk -t1 -c"$connections" -d"$duration" "$@" "$url"
}
rate() { wrk_run "$@" | awk '/Requests\/sec/ {print $2}'; }
probe() { # → "p99 failed": 1,000 health probes 10 ms apart, as a supervisor would send them
  "$build/bench/maestro_bench_probe" "$port" 1000 10 |
    sed -n 's/.*failed=\([0-9]*\).*p99=\([0-9.]*\)ms.*/\2 \1/p'
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratios() { # runs-a runs-b → one ratio (%) per round, a/b
  local -n a=$1 b=$2
  for i in "${!a[@]}"; do awk "BEGIN{print 100*${a[$i]}/${b[$i]}}"; done | tr '\n' ' '
}

# The machine is noisy: each figure is the median of $rounds runs, the things compared taking
# turns so that both see the same moments of the machine.
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 -c$connections -d$duration; nginx 1 worker; 1,000 tasks loaded; median of $rounds"
ng_one=(); us_one=(); ng_list=(); us_list=(); us_post=()
for _ in $(seq "$rounds"); do
  ng_one+=("$(rate "http://127.0.0.1:$nginx_port/task.json")")
  us_one+=("$(rate "$base/api/tasks/$task")")
  ng_list+=("$(rate "http://127.0.0.1:$nginx_port/list.json")")
  us_list+=("$(rate "$base/api/tasks?projectId=$project&limit=100")")
done

# The same GET and /health with connections held open beside them: without, then with, per round.
free_one=(); held_one=(); free_p99=(); held_p99=(); held_closed=(); failed=0
for _ in $(seq "$rounds"); do
  free_one+=("$(rate "$base/api/tasks/$task")")
  read -r p99 lost < <(probe); free_p99+=("$p99"); failed=$((failed + lost))
  hold
  held_one+=("$(rate "$base/api/tasks/$task")")
  read -r p99 lost < <(probe); held_p99+=("$p99"); failed=$((failed + lost))
  release
  held_closed+=("$(awk '/closed by the server/ {print $5}' "$work/hold.out")")
done

# POSTs last: they grow the project, which the list above must not see.
for _ in $(seq "$rounds"); do
  us_post+=("$(PROJECT="$project" rate "$base/api/tasks" -s "$root/bench/server/post.lua")")
done
echo "runs (r/s): nginx one ${ng_one[*]} | maestro one ${us_one[*]} | nginx list ${ng_list[*]} | maestro list ${us_list[*]} | maestro post ${us_post[*]}"
echo "held runs: one free ${free_one[*]} | one held ${held_one[*]} | /health probe p99 ms free ${free_p99[*]} | held ${held_p99[*]} | probes failed $failed | closed by the server ${held_closed[*]}"
one_ratio=$(ratios us_one ng_one | median); list_ratio=$(ratios us_list ng_list | median)
held_ratio=$(ratios held_one free_one | median)
printf "%-34s %12s %12s %8s\n" "request" "maestro r/s" "nginx r/s" "ratio"
printf "%-34s %12.0f %12.0f %7.0f%%\n" "GET /api/tasks/:id" "$(echo "${us_one[*]}" | median)" \
  "$(echo "${ng_one[*]}" | median)" "$one_ratio"
printf "%-34s %12.0f %12.0f %7.0f%%\n" "GET /api/tasks?limit=100" "$(echo "${us_list[*]}" | median)" \
  "$(echo "${ng_list[*]}" | median)" "$list_ratio"
printf "%-34s %12.0f %12s %8s\n" "POST /api/tasks" "$(echo "${us_post[*]}" | median)" "-" "-"
printf "with %s idle + %s slowloris connections held:\n" "$idle" "$slow"
printf "  GET /api/tasks/:id %.0f r/s (%.0f without): %.0f%%\n" "$(echo "${held_one[*]}" | median)" \
  "$(echo "${free_one[*]}" | median)" "$held_ratio"
printf "  /health probe p99 %.2f ms (%.2f without)\n" "$(echo "${held_p99[*]}" | median)" \
  "$(echo "${free_p99[*]}" | median)"
printf "  server memory per held connection: %.0f bytes (fresh server)\n" "$rss_per"
"$build/bench/maestro_bench_fanout" "$port" "$project" "${CLIENTS:-500}" "${EVENTS:-50}"
