#!/usr/bin/env bash
# Usage: bench/worktrees/run.sh [BUILD_DIR] — what session worktrees cost, for docs/BENCHMARKS.md:
# the time a worktree adds to a spawn on repositories of 1,000 and 10,000 files, and the server CPU
# one round of refreshing 20 live sessions' change sets takes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
cmake --build "$build" -j2 --target maestro-server maestro_bench_worktrees >/dev/null
bench="$build/bench/maestro_bench_worktrees"

work="$(mktemp -d)"
cleanup() {
  [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A repository of N small files in folders of 50, one commit.
make_repo() {
  local dir="$1" count="$2"
  git init -q -b main "$dir"
  (cd "$dir"
   for ((i = 0; i < count; i++)); do
     folder="src/module$((i / 50))"
     [[ -d "$folder" ]] || mkdir -p "$folder"
     printf 'line one of file %d\nline two\nline three\n' "$i" >"$folder/file$i.txt"
   done
   git add -A
   git -c user.name=Bench -c user.email=bench@example.com commit -q -m "$count files")
}
make_repo "$work/repo1000" 1000
make_repo "$work/repo10000" 10000

mkdir -p "$work/home"
cat >"$work/home/config.json" <<JSON
{"agents": {"hello": {"command": "/bin/true"}, "sleep": {"command": "/bin/sleep", "args": ["3600"]}}}
JSON
"$build/host/maestro-server" --port 0 --home "$work/home" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port="$(grep -o '[0-9]*$' "$work/server.out")"
base="http://127.0.0.1:$port"
id() { sed 's/^{"id":"\([^"]*\)".*/\1/'; }
task_of() { # PROJECT_JSON → a task in that project
  local project
  project=$(curl -s -X POST "$base/api/projects" -d "$1" | id)
  curl -s -X POST "$base/api/tasks" -d "{\"projectId\":\"$project\",\"title\":\"Benchmark\"}" | id
}

echo "machine: $(nproc) cores, $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg); $(git --version)"
for files in 1000 10000; do
  none=$(task_of "{\"name\":\"in place $files\",\"workingDir\":\"$work/repo$files\",\"isolation\":\"none\"}")
  isolated=$(task_of "{\"name\":\"worktrees $files\",\"workingDir\":\"$work/repo$files\",\"isolation\":\"worktree\"}")
  echo -n "$files files: "
  "$bench" spawn "$port" "$none" "$isolated" "${ROUNDS:-15}"
done
live=$(task_of "{\"name\":\"live\",\"workingDir\":\"$work/repo1000\",\"isolation\":\"worktree\"}")
"$bench" changes "$port" "$server_pid" "$live" "${SESSIONS:-20}" "${CHANGE_ROUNDS:-9}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
