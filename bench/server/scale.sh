#!/usr/bin/env bash
# Usage: bench/server/scale.sh [BUILD_DIR] — what a project's size costs. One server per size
# (1,000 / 10,000 / 100,000 tasks in one project, `maestro_bench_load … mixed`), all running at
# once; then, in rounds that take turns between the sizes, wrk -t1 on each request: the list
# of 100 without a filter, by status, top-level, top-level by status, a parent's children, a
# page deep in the list by after= and by offset, and GET /api/status.
# Prints req/s per size and the cost at the largest size against the smallest (target ≤ 1.5).
# Environment: SIZES ("1000 10000 100000"), DURATION (5s), CONNECTIONS (32), ROUNDS (3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
duration="${DURATION:-5s}"
connections="${CONNECTIONS:-32}"
rounds="${ROUNDS:-3}"
read -r -a sizes <<<"${SIZES:-1000 10000 100000}"
"$root/scripts/setup.sh" --bench >/dev/null
cmake --build "$build" -j2 --target maestro-server maestro_bench_load >/dev/null

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

declare -A base project parent
for n in "${sizes[@]}"; do
  "$build/host/maestro-server" --port 0 --home "$work/home-$n" >"$work/out-$n" 2>"$work/log-$n" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$work/out-$n" 2>/dev/null && break; sleep 0.1; done
  port="$(grep -o '[0-9]*$' "$work/out-$n")"
  base[$n]="http://127.0.0.1:$port"
  started=$SECONDS
  read -r project[$n] _ parent[$n] < <("$build/bench/maestro_bench_load" "$port" "$n" mixed)
  echo "loaded $n tasks in $((SECONDS - started)) s" >&2
done

# The requests, as paths with P (project), X (parent), A (a task halfway down the list) and
# O (the offset of that task) filled in per size.
names=("list of 100" "by status" "top-level" "top-level by status" "children of a parent"
       "halfway, after=" "halfway, offset=" "GET /api/status")
paths=("/api/tasks?projectId=P&limit=100"
       "/api/tasks?projectId=P&status=blocked&limit=100"
       "/api/tasks?projectId=P&parentId=null&limit=100"
       "/api/tasks?projectId=P&parentId=null&status=in_progress&limit=100"
       "/api/tasks/X/children?limit=100"
       "/api/tasks?projectId=P&limit=100&after=A"
       "/api/tasks?projectId=P&limit=100&offset=O"
       "/api/status?projectId=P")
declare -A halfway
for n in "${sizes[@]}"; do
  halfway[$n]="$(curl -s "${base[$n]}/api/tasks?projectId=${project[$n]}&limit=1&offset=$((n / 2))" |
    grep -o '"id":"task_[^"]*"' | head -1 | cut -d'"' -f4)"
done
url() { # size index → URL
  local n=$1 p="${paths[$2]}"
  p="${p//P/${project[$n]}}"; p="${p//X/${parent[$n]}}"; p="${p//A/${halfway[$n]}}"; p="${p//O/$((n / 2))}"
  echo "${base[$n]}$p"
}
rate() { wrk -t1 -c"$connections" -d"$duration" "$1" | awk '/Requests\/sec/ {print $2}'; }
median() { tr ' ' '\n' | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

declare -A runs median_rate
for _ in $(seq "$rounds"); do
  for i in "${!paths[@]}"; do
    for n in "${sizes[@]}"; do runs[$i,$n]+="$(rate "$(url "$n" "$i")") "; done
  done
done

smallest="${sizes[0]}"; largest="${sizes[-1]}"
echo "machine: $(nproc) cores, $(uname -r); wrk -t1 -c$connections -d$duration; median of $rounds rounds taking turns"
printf "%-24s" "request (req/s)"; for n in "${sizes[@]}"; do printf "%12s" "$n tasks"; done; printf "%14s\n" "cost ${largest}/${smallest}"
for i in "${!paths[@]}"; do
  printf "%-24s" "${names[$i]}"
  for n in "${sizes[@]}"; do
    median_rate[$n]="$(echo "${runs[$i,$n]}" | median)"
    printf "%12.0f" "${median_rate[$n]}"
  done
  awk -v a="${median_rate[$smallest]}" -v b="${median_rate[$largest]}" 'BEGIN {printf "%13.2fx\n", a / b}'
done
