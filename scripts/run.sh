#!/usr/bin/env bash
# Usage: scripts/run.sh [maestro-server options…] — sets up, builds and installs Maestro into PREFIX (default
# /usr/local as root, else ~/.local), installs the default skills and runs the installed server on 127.0.0.1:3000
# with its data in ${MAESTRO_HOME:-~/.agents-ui}.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${PREFIX:-}" ]]; then
  prefix="$PREFIX"
elif ((EUID == 0)); then
  prefix=/usr/local
else
  prefix="$HOME/.local"
fi
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
cmake --install "$root/build" --prefix "$prefix" >/dev/null
"$root/scripts/setup-skills.sh" "$prefix" --force # the default skills of this checkout
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "run: maestro is in $prefix/bin, which is not on PATH: export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
esac
exec "$prefix/bin/maestro-server" "$@"
