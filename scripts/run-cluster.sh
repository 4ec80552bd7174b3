#!/usr/bin/env bash
# Usage: scripts/run-cluster.sh [N] — a throwaway local PostgreSQL and N maestro-server nodes (default 3) sharing it.
#
# The nodes listen on 127.0.0.1, on consecutive ports from $MAESTRO_CLUSTER_PORT (default
# 3101); PostgreSQL on 127.0.0.1:$MAESTRO_CLUSTER_PG_PORT (default 55432). Everything lives in
# one temporary folder: the database cluster (scripts/throwaway-postgres.sh) and each node's
# home with its server.log. It prints the nodes' URLs and runs until Ctrl-C (or SIGTERM), then
# stops the nodes and PostgreSQL and removes the folder. The server is $MAESTRO_SERVER, else the
# one in build/ (scripts/build.sh), else maestro-server on PATH.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-3}"
if ! [[ "$count" =~ ^[1-9][0-9]?$ ]]; then
  echo "usage: $0 [N]   (1-99 nodes)" >&2
  exit 64
fi
base_port="${MAESTRO_CLUSTER_PORT:-3101}"
pg_port="${MAESTRO_CLUSTER_PG_PORT:-55432}"

server="${MAESTRO_SERVER:-}"
if [[ -z "$server" ]]; then
  if [[ -x "$root/build/host/maestro-server" ]]; then
    server="$root/build/host/maestro-server"
  elif command -v maestro-server >/dev/null 2>&1; then
    server="$(command -v maestro-server)"
  else
    echo "run-cluster: no maestro-server: build it first (scripts/build.sh)" >&2
    exit 69
  fi
fi

dir="$(mktemp -d /tmp/maestro-cluster.XXXXXX)"
chmod 755 "$dir" # as root, PostgreSQL runs as another user, who must reach its folder
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$root/scripts/throwaway-postgres.sh" stop "$dir/postgres" || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

url="$("$root/scripts/throwaway-postgres.sh" start "$dir/postgres" "$pg_port")"
echo "PostgreSQL: $url"

for ((i = 1; i <= count; i++)); do
  port=$((base_port + i - 1))
  home="$dir/node$i"
  mkdir -p "$home"
  "$server" --port "$port" --home "$home" --database "$url" --node-id "node$i" \
    --advertise-url "http://127.0.0.1:$port" >"$home/stdout" 2>"$home/server.log" &
  pids+=("$!")
done

# Each node prints one line once it listens; wait for all of them (20 s at most).
for ((i = 1; i <= count; i++)); do
  home="$dir/node$i"
  for ((tries = 0; tries < 200; tries++)); do
    grep -q "listening on" "$home/stdout" 2>/dev/null && break
    if ! kill -0 "${pids[i - 1]}" 2>/dev/null; then
      echo "run-cluster: node$i did not start:" >&2
      tail -n 20 "$home/server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -q "listening on" "$home/stdout" || { echo "run-cluster: node$i did not start in time" >&2; exit 1; }
  echo "node$i: http://127.0.0.1:$((base_port + i - 1))   (log: $home/server.log)"
done
echo "Ctrl-C stops the cluster and removes $dir"
wait -n "${pids[@]}" || true
echo "run-cluster: a node exited; stopping the cluster" >&2
