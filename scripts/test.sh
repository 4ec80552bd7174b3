#!/usr/bin/env bash
# Usage: scripts/test.sh [ctest args…] — sets up, builds (with tests), runs the source gates (scripts/lint.sh:
# clang-format, clang-tidy) and the whole suite: unit, integration, end-to-end (with the install tree and the
# README's commands) and browser tests, then the fuzz targets (scripts/fuzz.sh) for 30 s each.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --tests
"$root/scripts/build.sh" "$root/build" -DMAESTRO_BUILD_TESTS=ON -DMAESTRO_WERROR=ON
"$root/scripts/lint.sh" "$root/build"
# Gates on the web UI's sources: its API types are generated from docs/openapi.yaml (no drift),
# the TypeScript checker (app and unit tests) and ESLint.
npm --prefix "$root/web" run --silent check:api
npm --prefix "$root/web" run --silent typecheck
npm --prefix "$root/web" run --silent lint
(cd "$root/build" && ctest --output-on-failure --timeout 600 -j2 "$@")
# Then each fuzz target for MAESTRO_FUZZ_SECONDS (default 30; 0 skips) under ASan+UBSan from its
# seed corpus — the whole suite only, not a selection of tests.
seconds="${MAESTRO_FUZZ_SECONDS:-30}"
if (( $# == 0 && seconds > 0 )); then
  "$root/scripts/fuzz.sh" "$seconds"
fi
