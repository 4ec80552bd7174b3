#!/usr/bin/env bash
# Usage: bench/store/amplify.sh [BUILD_DIR] [SERVER_BINARY] — storage amplification: how much the
# database grows for what a client sends. 100 PATCHes of about 100 KiB each to one task, in two
# kinds — new timeline entries (7 of ~14.6 KiB a PATCH: a history that only grows) and a new
# description every time (the same task rewritten) — each against a fresh home. The database
# is measured (maestro.db plus its WAL) after a clean stop, which checkpoints the WAL into the
# file, before and after the PATCHes. Target: growth ≤ 3× the bytes sent.
# SERVER_BINARY measures another build (an older one, for a before/after).
# Environment: PATCHES (100).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
server="${2:-$build/host/maestro-server}"
patches="${PATCHES:-100}"
[[ -n "${2:-}" ]] || cmake --build "$build" -j2 --target maestro-server >/dev/null

work="$(mktemp -d)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start() { # home → sets $pid and $base
  "$server" --port 0 --home "$1" >"$work/out" 2>>"$work/log" &
  pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$(grep -o '[0-9]*$' "$work/out")"
}
stop() { kill "$pid" && wait "$pid" || true; pid=""; }
dbsize() { cat "$1"/maestro.db* 2>/dev/null | wc -c; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
# $1 characters, JSON-safe and incompressible. cut reads all its input, so nothing before it
# dies of SIGPIPE (which pipefail would turn into the script's exit).
text() { head -c "$1" /dev/urandom | base64 -w0 | cut -c "1-$1"; }

# The body of PATCH number $2 of kind $1.
body() {
  if [[ $1 == timeline ]]; then
    local entries=""
    for e in $(seq 7); do
      entries+="${entries:+,}{\"type\":\"update\",\"message\":\"$(text 14600)\"}"
    done
    echo "{\"timeline\":[$entries]}"
  else
    echo "{\"description\":\"$(text 102000)\"}"
  fi
}

run() { # kind → one line of figures
  local kind=$1 home="$work/home-$1"
  start "$home"
  local project task
  project="$(curl -s -X POST "$base/api/projects" -H 'Content-Type: application/json' \
    -d '{"name":"amplify","workingDir":"/tmp"}' | field id)"
  task="$(curl -s -X POST "$base/api/tasks" -H 'Content-Type: application/json' \
    -d "{\"projectId\":\"$project\",\"title\":\"grows\"}" | field id)"
  stop
  local before sent=0 times=()
  before=$(dbsize "$home")
  start "$home"
  for i in $(seq "$patches"); do
    body "$kind" >"$work/body"
    sent=$((sent + $(wc -c <"$work/body")))
    read -r status seconds < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X PATCH \
      "$base/api/tasks/$task" -H 'Content-Type: application/json' --data-binary @"$work/body")
    [[ $status == 200 ]] || { echo "PATCH $i: HTTP $status" >&2; exit 1; }
    times+=("$seconds")
  done
  stop
  local after growth first last
  after=$(dbsize "$home")
  growth=$((after - before))
  first=$(printf '%s\n' "${times[@]:0:10}" | median)
  last=$(printf '%s\n' "${times[@]: -10}" | median)
  awk -v k="$kind" -v n="$patches" -v s="$sent" -v g="$growth" -v f="$first" -v l="$last" 'BEGIN {
    printf "%-12s %d PATCHes, %6.2f MiB sent, database +%7.2f MiB = %5.2fx sent; PATCH median %5.1f ms (first 10), %5.1f ms (last 10)\n",
      k, n, s / 1048576, g / 1048576, g / s, f * 1000, l * 1000 }'
}

echo "server: $server; $(nproc) cores, $(uname -r)"
run timeline
run description
