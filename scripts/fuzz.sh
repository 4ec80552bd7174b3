#!/usr/bin/env bash
# Usage: scripts/fuzz.sh [SECONDS] [TARGET…] — builds the libFuzzer targets of fuzz/ with clang under ASan+UBSan
# (in build-fuzz/, or $MAESTRO_FUZZ_BUILD) and runs each for SECONDS (default 60) from its checked-in seed corpus,
# JOBS (default 2) at a time.
# Fails when a target crashes; the input is kept in build-fuzz/crashes/<target>/ (copy it into fuzz/corpus/<target>/
# once fixed: the test suite replays that corpus). Running it twice is harmless: the corpus grows in build-fuzz/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
build="${MAESTRO_FUZZ_BUILD:-$root/build-fuzz}"
targets=("$@")
if (( ${#targets[@]} == 0 )); then
  targets=($(sed -n 's/^set(fuzz_targets \(.*\))$/\1/p' "$root/fuzz/CMakeLists.txt"))
fi

# -O1 and line tables only: what sanitizers need for speed and stack traces, at a fraction of
# the compile time of -O2 -g (the fuzz build is part of every CI run).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
  -DCMAKE_C_FLAGS_FUZZ="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DMAESTRO_FUZZ=ON -DMAESTRO_BUILD_TESTS=OFF -DMAESTRO_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j2 --target maestro_fuzzers

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One target on each core at a time (JOBS, default 2); each runs for SECONDS.
run() { # TARGET
  local target=$1 corpus="$build/corpus/$1" crashes="$build/crashes/$1" log="$build/logs/$1.log"
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  # New inputs go to the first folder; the checked-in seeds are only read.
  if "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$root/fuzz/corpus/$target" \
       >"$log" 2>&1; then
    local runs
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    echo "fuzz: $target: no crash in ${seconds}s (${runs:-?} runs, corpus $(ls "$corpus" | wc -l) files)"
  else
    echo "fuzz: $target: FAILED — the input is in $crashes/, the log in $log:" >&2
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" | head -20 >&2 || tail -30 "$log" >&2
    return 1
  fi
}
jobs="${JOBS:-2}"
failed=()
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  batch=("${targets[@]:i:jobs}")
  pids=()
  for target in "${batch[@]}"; do run "$target" & pids+=($!); done
  for j in "${!pids[@]}"; do wait "${pids[$j]}" || failed+=("${batch[$j]}"); done
done
if (( ${#failed[@]} )); then
  echo "fuzz: crashed: ${failed[*]}" >&2
  exit 1
fi
