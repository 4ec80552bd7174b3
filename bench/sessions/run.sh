#!/usr/bin/env bash
# Usage: bench/sessions/run.sh [BUILD_DIR] — spawn latency and terminal streaming for docs/BENCHMARKS.md.
# Starts maestro-server with a temporary home and two agent profiles: "hello" (one line, exit) and
# "stream" (~1 MB of output, then a marker line), and runs maestro_bench_sessions against it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
cmake --build "$build" -j2 --target maestro-server maestro_bench_sessions >/dev/null

work="$(mktemp -d)"
cleanup() {
  [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home" "$work/project"
cat >"$work/home/config.json" <<JSON
{"agents": {
  "hello":  {"command": "/bin/echo", "args": ["hello"]},
  "stream": {"command": "/bin/sh", "args": ["-c", "head -c 750000 /dev/zero | od -v -A d | head -c 1000000; echo; echo stream-end"]}
}}
JSON
MAESTRO_SKILLS_PATH="$build/skills" "$build/host/maestro-server" --port 0 --home "$work/home" \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port="$(grep -o '[0-9]*$' "$work/server.out")"
base="http://127.0.0.1:$port"
project=$(curl -s -X POST "$base/api/projects" -d "{\"name\":\"bench\",\"workingDir\":\"$work/project\"}" | sed 's/.*"id":"\([^"]*\)".*/\1/')
task=$(curl -s -X POST "$base/api/tasks" -d "{\"projectId\":\"$project\",\"title\":\"Benchmark\",\"description\":\"Spawn benchmark\"}" \
  | sed 's/^{"id":"\([^"]*\)".*/\1/')
echo "machine: $(nproc) cores; default skills loaded from $build/skills"
"$build/bench/maestro_bench_sessions" "$port" "$task" "${SPAWNS:-50}" "${STREAMS:-50}"
