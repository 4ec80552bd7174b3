#!/usr/bin/env bash
# Usage: [BASELINE=OTHER_BUILD_DIR] [ROUNDS=3] [PARTS="holder reattach activity"]
#        bench/sessions/run.sh [BUILD_DIR] — spawn latency, terminal streaming, re-attaching at
#        start, and the cost of watching activity, for docs/BENCHMARKS.md.
# Each round starts a server with a fresh home and the agent profiles "hello" (one line, exit),
# "stream" (~1 MB of output, then a marker line) and "echo" (answers each line), and runs
# maestro_bench_sessions against it: spawn latency, then 50 streams at once. With BASELINE, the
# maestro-server of that build (the previous version, say) takes its turn in every round, so the
# two are compared under the same load. Then, for this build only, 50 live sessions, a server
# restart, and the time until all 50 answer again. Then (part "activity") the same spawns and
# streams with screens and detection off (config.json "watchActivity": false), beside the
# default run of the round, and the detection latency of a "prompter" agent's (y/n) prompt.
# Medians of the rounds at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
rounds="${ROUNDS:-3}"
spawns="${SPAWNS:-50}"
streams="${STREAMS:-50}"
sessions="${SESSIONS:-50}"
prompts="${PROMPTS:-20}"
parts="${PARTS:-holder reattach activity}"
cmake --build "$build" -j2 --target maestro-server maestro-session maestro_bench_sessions >/dev/null
bench="$build/bench/maestro_bench_sessions"

work="$(mktemp -d)"
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$work" # a session's holder ends when its folder goes
}
trap cleanup EXIT

# new_home DIR [SETTINGS]: a home with the benchmark's agent profiles and, before them, more
# top-level settings ('"key": value,').
new_home() {
  mkdir -p "$1/project"
  { echo "{${2:-}"; cat <<'JSON'; } >"$1/config.json"
"agents": {
  "hello":  {"command": "/bin/echo", "args": ["hello"]},
  "stream": {"command": "/bin/sh", "args": ["-c", "head -c 750000 /dev/zero | od -v -A d | head -c 1000000; echo; echo stream-end"]},
  "echo":   {"command": "/bin/sh", "args": ["-c", "echo ready; while IFS= read -r l; do echo \"got:$l\"; done"]},
  "prompter": {"command": "/bin/sh", "args": ["-c", "echo ready; read l; printf '\\033[1mProceed with %s?\\033[0m (y/n) ' \"$l\"; while :; do sleep 1; done"]}
}}
JSON
}

# start_server BINARY HOME: sets server_pid and port once it listens.
start_server() {
  : >"$2/server.out"
  MAESTRO_SKILLS_PATH="$build/skills" "$1" --port 0 --home "$2" >"$2/server.out" 2>>"$2/server.log" &
  server_pid=$!
  for _ in $(seq 400); do grep -q "listening on" "$2/server.out" && break; sleep 0.025; done
  port="$(grep -o '[0-9]*$' "$2/server.out")"
}

# create_task HOME: sets task.
create_task() {
  local base="http://127.0.0.1:$port" project
  project=$(curl -s -X POST "$base/api/projects" -d "{\"name\":\"bench\",\"workingDir\":\"$1/project\"}" |
    sed 's/.*"id":"\([^"]*\)".*/\1/')
  task=$(curl -s -X POST "$base/api/tasks" -d "{\"projectId\":\"$project\",\"title\":\"Benchmark\"}" |
    sed 's/^{"id":"\([^"]*\)".*/\1/')
}

results="$work/results"
record() { echo "$1 $2" >>"$results"; }

# measure NAME BUILD_DIR ROUND [SETTINGS]: spawn latency and streaming with that build's server.
measure() {
  local home="$work/$1-$3"
  new_home "$home" "${4:-}"
  start_server "$2/host/maestro-server" "$home"
  create_task "$home"
  local spawn stream
  spawn="$("$bench" spawn "$port" "$task" "$spawns")"
  stream="$("$bench" stream "$port" "$task" "$streams")"
  echo "  $1: $spawn"
  echo "  $1: $stream"
  record "$1-spawn-median-ms" "$(sed 's/.*median=\([0-9.]*\)ms.*/\1/' <<<"$spawn")"
  record "$1-spawn-p90-ms" "$(sed 's/.*p90=\([0-9.]*\)ms.*/\1/' <<<"$spawn")"
  record "$1-stream-MB/s" "$(sed 's/.* = \([0-9.]*\) MB\/s.*/\1/' <<<"$stream")"
  record "$1-stream-s" "$(sed 's/.* MB in \([0-9.]*\)s.*/\1/' <<<"$stream")"
  stop_server
  rm -rf "$home"
}

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# reattach ROUND: SESSIONS live sessions, a restart (SIGTERM), and the time until all answer.
reattach() {
  local home="$work/reattach-$1"
  new_home "$home"
  start_server "$build/host/maestro-server" "$home"
  create_task "$home"
  "$bench" prepare "$port" "$task" "$sessions" >"$home/ids"
  stop_server
  local started listening answered logged
  started=$(date +%s%N)
  start_server "$build/host/maestro-server" "$home"
  listening=$(ms_since "$started")
  "$bench" answer "$port" <"$home/ids" >/dev/null
  answered=$(ms_since "$started")
  logged="$(grep -o 're-attached [0-9]* running sessions in [0-9.]* ms' "$home/server.log" | tail -1)"
  echo "  re-attach: $logged; server start → listening ${listening} ms; → all $sessions answered ${answered} ms"
  record "reattach-in-server-ms" "$(sed 's/.* in \([0-9.]*\) ms/\1/' <<<"$logged")"
  record "reattach-start-to-listening-ms" "$listening"
  record "reattach-start-to-all-answered-ms" "$answered"
  stop_server
  rm -rf "$home"
}

# detect ROUND: the detection latency of PROMPTS prompts, one session each.
detect() {
  local home="$work/detect-$1" line
  new_home "$home"
  start_server "$build/host/maestro-server" "$home"
  create_task "$home"
  line="$("$bench" detect "$port" "$task" "$prompts")"
  echo "  detect: $line"
  record "detect-median-ms" "$(sed 's/.*: n=[0-9]* median=\([0-9.]*\)ms.*/\1/' <<<"$line")"
  record "detect-p90-ms" "$(sed 's/.* p90=\([0-9.]*\)ms.*/\1/' <<<"$line")"
  stop_server
  rm -rf "$home"
}

has() { [[ " $parts " == *" $1 "* ]]; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds"
for round in $(seq "$rounds"); do
  echo "round $round"
  [[ -n "${BASELINE:-}" ]] && measure baseline "$(cd "$BASELINE" && pwd)" "$round"
  # With activity on and off in turn, each going first in every other round.
  if has activity && ((round % 2 == 0)); then measure unwatched "$build" "$round" '"watchActivity": false,'; fi
  if has holder || has activity; then measure holder "$build" "$round"; fi
  if has activity && ((round % 2 == 1)); then measure unwatched "$build" "$round" '"watchActivity": false,'; fi
  if has reattach; then reattach "$round"; fi
  if has activity; then detect "$round"; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians of $rounds rounds:"
for key in $(cut -d' ' -f1 "$results" | awk '!seen[$0]++'); do
  grep "^$key " "$results" | cut -d' ' -f2 | sort -g |
    awk -v key="$key" '{ v[NR] = $1 } END { printf "  %-34s %s\n", key, v[int((NR + 1) / 2)] }'
done
