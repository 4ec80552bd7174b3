#!/usr/bin/env bash
# Usage: install_test.sh BUILD_DIR VERSION [GENERATOR] — `cmake --install` into a temporary
# prefix gives a working Maestro: both binaries with VERSION, the default skills where
# scripts/setup-skills.sh finds them, the installed server serving its web UI, and the Maestro
# CMake package — an out-of-tree skill (tests/fixtures/skills/minimal, as docs/writing-a-skill.md
# builds it) configured with find_package(Maestro) builds, validates and loads.
set -euo pipefail
build="$(cd "$1" && pwd)"
version="$2"
generator="${3:-Ninja}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
source "$root/tests/e2e/shell/lib.sh"

work="$(mktemp -d)"
trap 'stop_server; rm -rf "$work"' EXIT
prefix="$work/prefix"
home="$work/home"

cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install failed"

# The binaries say which version they are: project(VERSION), through the generated header.
[[ "$("$prefix/bin/maestro" --version)" == "maestro $version" ]] ||
  fail "maestro --version: $("$prefix/bin/maestro" --version)"
[[ "$("$prefix/bin/maestro-server" --version)" == "maestro-server $version" ]] ||
  fail "maestro-server --version: $("$prefix/bin/maestro-server" --version)"

# The default skills, from the prefix into a home.
MAESTRO_HOME="$home" "$root/scripts/setup-skills.sh" "$prefix" >/dev/null
for id in maestro-cli maestro-worker maestro-orchestrator; do
  [[ -f "$home/maestro-skills/$id/manifest.json" ]] || fail "setup-skills.sh did not install $id"
done

# A skill built outside the tree against the installed package only.
cmake -S "$root/tests/fixtures/skills/minimal" -B "$work/skill" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$work/skill.log" 2>&1 ||
  fail "configuring the skill with find_package(Maestro) failed: $(cat "$work/skill.log")"
cmake --build "$work/skill" >>"$work/skill.log" 2>&1 ||
  fail "building the skill failed: $(cat "$work/skill.log")"
skill="$work/skill/skills/minimal"
validation="$(MAESTRO_HOME="$home" "$prefix/bin/maestro" --json skill validate "$skill")" ||
  fail "maestro skill validate: $validation"
[[ "$validation" == *'"status":"loaded"'* ]] || fail "maestro skill validate: $validation"
cp -R "$skill" "$home/maestro-skills/minimal"

# The installed server loads it, and finds its web UI beside its binary.
start_server "$prefix/bin/maestro-server" "$home"
for id in minimal maestro-cli maestro-worker maestro-orchestrator; do
  info="$(curl -fsS "$server_url/api/skills/$id")" || fail "GET /api/skills/$id"
  [[ "$info" == *'"status":"loaded"'* ]] || fail "$id is not loaded: $info"
done
greeting="$(MAESTRO_HOME="$home" "$prefix/bin/maestro" --server "$server_url" minimal hello Ada)"
[[ "$greeting" == "hello, Ada" ]] || fail "maestro minimal hello Ada: $greeting"
if [[ -f "$root/web/dist/index.html" ]]; then
  [[ -f "$prefix/share/maestro/web/index.html" ]] || fail "the web UI is not installed"
  curl -fsS "$server_url/" | grep -q '<div id="app">' || fail "GET / is not the web UI"
else
  echo "note: web/dist is not built, so the installed web UI is not checked" >&2
fi
echo "ok: $prefix works"
