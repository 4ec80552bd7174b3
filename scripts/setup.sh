#!/usr/bin/env bash
# Usage: scripts/setup.sh [--tests] [--bench] — installs what building (and testing/benchmarking) Maestro needs.
# Idempotent: only missing Debian packages are installed, npm packages only when the lock file changed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_tests=0
want_bench=0
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1 ;;
    --bench) want_bench=1 ;;
    *) echo "usage: $0 [--tests] [--bench]" >&2; exit 64 ;;
  esac
done

packages=(build-essential cmake ninja-build pkg-config git ca-certificates
          libpoco-dev libsqlite3-dev libpq-dev libboost-dev libboost-filesystem-dev libcli11-dev
          libgtest-dev libgmock-dev libvterm-dev)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
# postgresql: the tests' (and scripts/run-cluster.sh's) throwaway PostgreSQL server. The
# PostgreSQL store itself needs only Poco's connector (libpocodatapostgresql80, a dependency
# of libpoco-dev) and libpq. e2fsprogs: mkfs.ext4 for the storage-fault tests' loop-mounted disk.
# clang-format, clang-tidy: the source gates (scripts/lint.sh). clang and its runtimes (libFuzzer,
# sanitizers) build the fuzz targets (scripts/fuzz.sh).
if (( want_tests )); then
    packages+=(chromium procps curl postgresql e2fsprogs clang-format clang-tidy clang libclang-rt-14-dev)
fi
if (( want_bench )); then packages+=(wrk nginx-light hyperfine time curl); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  sudo=""
  (( EUID == 0 )) || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages — the web UI's, and with --tests those of the MCP client and API contract tests —
# each reinstalled only when its package-lock.json changes.
npm_dirs=(web)
if (( want_tests )); then npm_dirs+=(tests/mcp tests/contract); fi
for dir in "${npm_dirs[@]}"; do
  [[ -f "$root/$dir/package-lock.json" ]] || continue
  stamp="$root/$dir/node_modules/.maestro-lock-stamp"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$root/$dir/package-lock.json" "$stamp"; then
    echo "setup: installing the npm packages of $dir"
    (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$root/$dir/package-lock.json" "$stamp"
  fi
done
