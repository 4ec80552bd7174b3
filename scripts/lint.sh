#!/usr/bin/env bash
# Usage: scripts/lint.sh [BUILD_DIR] — the source gates: every C/C++ file formatted as .clang-format says, and
# clang-tidy (.clang-tidy) clean over the server, the CLI, the libraries and the default skills. BUILD_DIR (default
# ./build) must be configured: clang-tidy reads its compile_commands.json. Environment: JOBS (default 2).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
jobs="${JOBS:-2}"
cd "$root"

git ls-files -z -- '*.c' '*.h' '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run --Werror ||
  { echo "lint: not formatted (fix with clang-format -i FILE…)" >&2; exit 1; }

if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "lint: $build/compile_commands.json is missing; configure the build first" >&2
  exit 66
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The build uses GCC; clang-tidy parses with clang, which does not know this GCC-only flag.
sed -e 's/ -fno-gnu-unique//g' "$build/compile_commands.json" >"$work/compile_commands.json"
ours="^$root/(host|holder|process|cli|skillhost|json|plugins|plugin-api)/"
# The sources of the programs and libraries (tests and benchmarks are left out); headers are
# checked through them. clang-tidy's "N warnings generated." counts what --quiet suppressed.
git ls-files -z -- 'host/*.cpp' 'holder/*.cpp' 'process/*.cpp' 'cli/*.cpp' 'skillhost/*.cpp' 'json/*.cpp' 'plugins/*.cpp' |
  xargs -0 -P "$jobs" -n 4 clang-tidy -p "$work" --quiet --header-filter="$ours" 2>&1 |
  sed -e '/^[0-9]* warnings\{0,1\} generated\.$/d' ||
  { echo "lint: clang-tidy found problems (above)" >&2; exit 1; }
echo "lint: formatted, clang-tidy clean"
