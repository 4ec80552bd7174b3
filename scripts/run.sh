#!/usr/bin/env bash
# Usage: scripts/run.sh [maestro-server options…] — sets up, builds, installs the default skills and runs the server
# on 127.0.0.1:3000 with its data in ${MAESTRO_HOME:-~/.agents-ui}.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
"$root/scripts/setup-skills.sh" "$root/build" --force # the default skills of this checkout
exec "$root/build/host/maestro-server" "$@"
