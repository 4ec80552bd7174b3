#!/usr/bin/env bash
# Usage: scripts/build.sh [BUILD_DIR] [extra cmake args…] — builds the web UI and the C++ tree (Release, -j2).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
shift || true

if [[ -f "$root/web/package.json" ]]; then
  (cd "$root/web" && npm run --silent build)
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j2
