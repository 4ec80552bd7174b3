# Shared by the shell-driven end-to-end tests (sourced, not run): a real maestro-server on a free
# port with its own home, waiting on conditions with deadlines, and failing with the evidence.

# fail MESSAGE… — prints the message and the server's log, and exits non-zero.
fail() {
  echo "FAIL: $*" >&2
  if [[ -n "${server_log:-}" && -f "$server_log" ]]; then
    echo "--- maestro-server log:" >&2
    tail -n 40 "$server_log" >&2
  fi
  exit 1
}

# wait_until SECONDS COMMAND… — runs COMMAND every 50 ms until it succeeds; false on the deadline.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

# start_server BINARY HOME [options…] — starts maestro-server on 127.0.0.1, port 0, and sets
# server_pid, server_url and server_log. stop_server ends it (call it from an EXIT trap).
start_server() {
  local binary="$1" home="$2"
  shift 2
  server_log="$home.log"
  "$binary" --port 0 --home "$home" "$@" >"$home.out" 2>"$server_log" &
  server_pid=$!
  wait_until 30 grep -q "listening on" "$home.out" || fail "$binary did not start"
  server_url="$(grep -o 'http://[^ ]*' "$home.out" | head -n 1)"
}

stop_server() {
  if [[ -n "${server_pid:-}" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
