#!/usr/bin/env bash
# Usage: readme_test.sh BUILD_DIR — runs the commands of the README's "Using it" block, exactly
# as written, in a fresh shell whose PATH has only the system and an installed Maestro, against a
# throwaway server. What differs from a user's machine: the server listens on a free port
# (MAESTRO_API_URL says which), HOME is a temporary folder, and the "claude" profile runs a
# stand-in agent (tests/fixtures/agents/fake-agent.sh). `events --follow` is stopped with
# SIGINT, as Ctrl-C would, once it has printed an event.
set -euo pipefail
build="$(cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
source "$root/tests/e2e/shell/lib.sh"

work="$(mktemp -d)"
cleanup() {
  [[ -n "${shell_pid:-}" ]] && kill -KILL -- "-$shell_pid" 2>/dev/null
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
prefix="$work/prefix"
user="$work/user" # the user's HOME
home="$user/.agents-ui"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install failed"

# The block between the "## Using it" heading and the end of its first sh fence.
commands="$(awk '/^## Using it/ { section = 1 } section && /^```sh/ { inside = 1; next }
                 inside && /^```/ { exit } inside' "$root/README.md")"
[[ "$commands" == *"maestro "* ]] || fail "no maestro commands under \"## Using it\" in README.md"
printf '%s\n' "$commands" >"$work/using-it.sh"

mkdir -p "$home" "$user/src/shop"
printf '{"agents":{"claude":{"command":"%s","args":["sleep"]}}}\n' \
  "$root/tests/fixtures/agents/fake-agent.sh" >"$home/config.json"
start_server "$prefix/bin/maestro-server" "$home"
maestro() { MAESTRO_API_URL="$server_url" MAESTRO_RETRIES=0 "$prefix/bin/maestro" "$@"; }

# A fresh shell: no profile, no rc file, nothing inherited but these variables; its own process
# group, so SIGINT reaches the command in the foreground as a terminal's Ctrl-C would.
(cd "$user/src/shop" &&
  exec setsid env -i HOME="$user" PATH="$prefix/bin:/usr/bin:/bin" MAESTRO_API_URL="$server_url" \
    bash --noprofile --norc -eo pipefail "$work/using-it.sh" >"$work/out" 2>"$work/err") &
shell_pid=$!

# Once the shell reaches `events --follow`, a change in the project must show up there. Until
# the stream is subscribed a change is not printed, so one is made until one is.
shell_running() { kill -0 "$shell_pid" 2>/dev/null; }
followed() {
  shell_running || fail "the README commands stopped early: $(cat "$work/err") $(cat "$work/out")"
  local project
  project="$(maestro -q project list | head -n 1)"
  [[ -n "$project" ]] && maestro -q --project "$project" task create "Followed" >/dev/null
  grep -q "Followed" "$work/out"
}
wait_until 60 followed || fail "events --follow printed no event: $(cat "$work/out") $(cat "$work/err")"
kill -INT -- "-$shell_pid"
# This shell reaps the child as soon as it ends, so kill -0 fails from then on.
wait_until 10 bash -c "! kill -0 $shell_pid 2>/dev/null" || fail "events --follow ignored SIGINT"
status=0
wait "$shell_pid" || status=$?
shell_pid=""
((status == 130)) || fail "the shell ended with $status, not by the interrupt: $(cat "$work/err")"

# What the commands did, as the API tells it.
[[ "$(maestro project list)" == *"Shop"* ]] || fail "no project Shop"
tasks="$(maestro --json task list)"
[[ "$tasks" == *'"title":"Add checkout"'* && "$tasks" == *'"priority":"high"'* ]] ||
  fail "no high-priority task Add checkout: $tasks"
sessions="$(maestro --json session list)"
[[ "$sessions" == *'"role":"orchestrator"'* ]] || fail "no orchestrator session: $sessions"
[[ "$(cat "$work/out")" == *"Add checkout"* ]] || fail "status showed nothing of the task"
echo "ok: the README's commands work"
