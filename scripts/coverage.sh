#!/usr/bin/env bash
# Usage: scripts/coverage.sh [BUILD_DIR]   line coverage of cli/ and of the server's API logic
#        (host/src/{domain,service,http,store}) from the whole test suite; fails below 80 %.
# Environment: JOBS (build/test parallelism, default: all cores), CTEST_ARGS (default: -LE web,
# since the browser tests cover the UI rather than these files), COVERAGE_MIN (default 80).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-coverage}"
jobs="${JOBS:-$(nproc)}"
minimum="${COVERAGE_MIN:-80}"
read -r -a ctest_args <<<"${CTEST_ARGS:--LE web}"

if ! command -v gcovr >/dev/null 2>&1; then
    echo "installing gcovr" >&2
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y gcovr
fi

# Unoptimised (-O0 comes with MAESTRO_COVERAGE), in a build directory of its own.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMAESTRO_COVERAGE=ON \
    -DMAESTRO_BUILD_TESTS=ON -DMAESTRO_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs"

# Counters from an earlier run would add up with this one. A failing test still leaves its
# counters, so the figures are reported either way and the failure decides the exit status.
find "$build" -name '*.gcda' -delete
tests_failed=0
(cd "$build" && ctest --output-on-failure -j "$jobs" "${ctest_args[@]}") || tests_failed=1

# One report per area: the summary line, and a per-file table beside the build.
report() {
    local name="$1"
    shift
    (cd "$root" && gcovr --root "$root" --object-directory "$build" -j "$jobs" \
        --gcov-ignore-parse-errors "$@" --txt "$build/coverage-$name.txt" --print-summary) |
        awk -v area="$name" '/^lines:/ { sub("%", "", $2); print area, $2 }'
}

failed=0
while read -r area percent; do
    printf '%-12s %6.1f %% of lines\n' "$area" "$percent"
    if awk -v p="$percent" -v m="$minimum" 'BEGIN { exit !(p < m) }'; then failed=1; fi
done < <(
    report cli --filter 'cli/'
    report server-api --filter 'host/src/domain/' --filter 'host/src/service/' \
        --filter 'host/src/http/' --filter 'host/src/store/'
)
echo "per-file tables: $build/coverage-cli.txt, $build/coverage-server-api.txt"
if ((failed)); then echo "coverage below ${minimum} %" >&2; fi
if ((tests_failed)); then echo "some tests failed (see above)" >&2; fi
exit $((failed || tests_failed))
