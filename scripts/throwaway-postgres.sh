#!/usr/bin/env bash
# Usage: scripts/throwaway-postgres.sh start DIR [PORT] | stop DIR — a disposable PostgreSQL cluster in DIR.
#
# start: creates the cluster in DIR (once), starts it and prints its URL, a database `maestro`
# owned by the user `maestro` (trust authentication: for tests and demos on this machine only).
# With PORT it listens on 127.0.0.1:PORT, without it only on a Unix socket in DIR/socket.
# PostgreSQL refuses to run as root, so as root the cluster runs as $MAESTRO_PG_USER (default:
# `postgres` when that account exists, else `nobody`), which owns DIR.
# stop: stops the cluster (immediately: nothing in it is worth a checkpoint) and removes DIR.
# Running either twice is harmless.
set -euo pipefail

usage() { echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 64; }
(( $# >= 2 )) || usage
action="$1"
dir="$2"
port="${3:-}"

bindir="${MAESTRO_PG_BIN:-}"
if [[ -z "$bindir" ]]; then
  if command -v initdb >/dev/null 2>&1; then
    bindir="$(dirname "$(readlink -f "$(command -v initdb)")")"
  else
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  fi
fi
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "throwaway-postgres: initdb not found (install postgresql: scripts/setup.sh --tests)" >&2
  exit 69
fi

as_owner=()
if (( EUID == 0 )); then
  owner="${MAESTRO_PG_USER:-}"
  if [[ -z "$owner" ]]; then
    if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  fi
  as_owner=(runuser -u "$owner" --)
fi

data="$dir/data"
socket="$dir/socket"
pg_ctl() { "${as_owner[@]}" "$bindir/pg_ctl" "$@"; }

case "$action" in
  start)
    mkdir -p "$dir"
    if [[ ! -f "$data/PG_VERSION" ]]; then
      mkdir -p "$socket"
      if (( EUID == 0 )); then chown -R "$owner" "$dir"; fi
      "${as_owner[@]}" "$bindir/initdb" -D "$data" -U maestro --auth=trust -E UTF8 --no-locale \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      {
        echo "unix_socket_directories = '$socket'"
        if [[ -n "$port" ]]; then
          echo "listen_addresses = '127.0.0.1'"
          echo "port = $port"
        else
          echo "listen_addresses = ''"
        fi
        echo "max_connections = 300"
        # Throwaway data: durability would only slow the tests and demos down.
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      } | "${as_owner[@]}" tee -a "$data/postgresql.conf" >/dev/null
    fi
    if ! pg_ctl -D "$data" status >/dev/null 2>&1; then
      pg_ctl -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    fi
    pg_port="$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$data/postgresql.conf" | tail -n 1)"
    pg_port="${pg_port:-5432}"
    psql=("$bindir/psql" -h "$socket" -p "$pg_port" -U maestro -d postgres -qAtX)
    if [[ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'maestro'")" != 1 ]]; then
      "${psql[@]}" -c "CREATE DATABASE maestro" >/dev/null
    fi
    if [[ -n "$port" ]]; then
      echo "postgresql://maestro@127.0.0.1:$pg_port/maestro"
    else
      echo "postgresql://maestro@/maestro?host=$socket&port=$pg_port"
    fi
    ;;
  stop)
    if [[ -f "$data/PG_VERSION" ]]; then
      pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
