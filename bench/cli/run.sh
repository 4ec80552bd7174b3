#!/usr/bin/env bash
# Usage: bench/cli/run.sh [BUILD_DIR]   times `maestro --json task get <id>` against a live server
#        beside curl doing the same request in the same hyperfine run, and measures maestro's peak
#        RSS with /usr/bin/time -v. Targets: median ≤ 10 ms, peak RSS ≤ 10 MiB.
# Environment: RUNS (hyperfine runs per command, default 300).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
runs="${RUNS:-300}"
maestro="$build/cli/maestro"
server_bin="$build/host/maestro-server"
[[ -x $maestro && -x $server_bin ]] || {
    echo "build maestro and maestro-server in $build first" >&2
    exit 64
}

install_missing() { # command package
    command -v "$1" >/dev/null 2>&1 && return
    echo "installing $2" >&2
    local sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y "$2"
}
install_missing hyperfine hyperfine
install_missing /usr/bin/time time
install_missing curl curl
install_missing jq jq

# Nothing of the caller's session may change what is measured.
while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(MAESTRO_[A-Z_]*\)=.*/\1/p')
work="$(mktemp -d)"
export MAESTRO_HOME="$work/cli-home"
mkdir -p "$MAESTRO_HOME"
server_pid=""
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# A server on a free port with its own home; it prints the port it bound.
"$server_bin" --port 0 --home "$work/server-home" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
    grep -q 'listening on' "$work/server.out" 2>/dev/null && break
    sleep 0.1
done
url="$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)"
[[ -n $url ]] || {
    echo "the server did not start:" >&2
    cat "$work/server.log" >&2
    exit 69
}

project="$(curl -sf -X POST "$url/api/projects" -d '{"name":"bench","workingDir":"/tmp"}' | jq -r .id)"
task="$(curl -sf -X POST "$url/api/tasks" \
    -d "{\"projectId\":\"$project\",\"title\":\"A task to read\",\"description\":\"$(printf 'x%.0s' $(seq 500))\"}" |
    jq -r .id)"
# Both commands must print the same document.
diff <("$maestro" --server "$url" --json task get "$task") <(curl -sf "$url/api/tasks/$task"; echo) >/dev/null

echo "maestro: $maestro"
echo "server:  $url (task $task)"
hyperfine -N --warmup 20 --runs "$runs" --export-json "$work/hyperfine.json" \
    --command-name "maestro --json task get" "$maestro --server $url --json task get $task" \
    --command-name "curl" "curl -sf $url/api/tasks/$task"

peak=0
for _ in $(seq 20); do
    kb="$(/usr/bin/time -v "$maestro" --server "$url" --json task get "$task" 2>&1 >/dev/null |
        sed -n 's/.*Maximum resident set size (kbytes): //p')"
    ((kb > peak)) && peak=$kb
done

median_ms="$(jq -r '.results[0].median * 1000' "$work/hyperfine.json")"
curl_ms="$(jq -r '.results[1].median * 1000' "$work/hyperfine.json")"
peak_mib="$(awk -v kb="$peak" 'BEGIN { printf "%.1f", kb / 1024 }')"
printf '\nmaestro --json task get: median %.2f ms (curl %.2f ms), peak RSS %s MiB\n' \
    "$median_ms" "$curl_ms" "$peak_mib"

status=0
awk -v m="$median_ms" 'BEGIN { exit !(m > 10) }' && { echo "FAIL: median above 10 ms" >&2; status=1; }
awk -v p="$peak_mib" 'BEGIN { exit !(p > 10) }' && { echo "FAIL: peak RSS above 10 MiB" >&2; status=1; }
((status == 0)) && echo "targets met: median ≤ 10 ms, peak RSS ≤ 10 MiB"
exit "$status"
