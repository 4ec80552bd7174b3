#!/usr/bin/env bash
# Usage: scripts/test.sh [ctest args…] — sets up, builds (with tests) and runs the whole suite: unit, integration,
# end-to-end and browser tests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --tests
"$root/scripts/build.sh" "$root/build" -DMAESTRO_BUILD_TESTS=ON -DMAESTRO_WERROR=ON
# Gates on the web UI's sources: the TypeScript checker (app and unit tests) and ESLint.
npm --prefix "$root/web" run --silent typecheck
npm --prefix "$root/web" run --silent lint
cd "$root/build"
exec ctest --output-on-failure --timeout 600 -j2 "$@"
