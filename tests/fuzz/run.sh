#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in a build directory of
# their own and fuzzes each one for a time or a number of executions, one after
# the other, starting from its seed corpus (real captured bytes). Prints a
# table: target, executions, seconds, crashes. Exit 1 when any target crashed;
# the crash inputs are left in the work directory, and each one, once fixed,
# goes into the target's seed corpus so the default test run replays it.
#
#   bash tests/fuzz/run.sh                       # every target, 60 s each
#   bash tests/fuzz/run.sh --time 600 ssrp stun_codec
#   bash tests/fuzz/run.sh --runs 10000000       # the README's target per target
#
# Environment: EDGEPROBE_FUZZ_BUILD (default build-fuzz), EDGEPROBE_FUZZ_WORK
# (default /tmp/edgeprobe-fuzz: grown corpora and crash inputs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${EDGEPROBE_FUZZ_BUILD:-$here/build-fuzz}
work=${EDGEPROBE_FUZZ_WORK:-/tmp/edgeprobe-fuzz}
limit=(-max_total_time=60)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) limit=(-max_total_time="$2"); shift 2 ;;
    --runs) limit=(-runs="$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for source in "$here"/tests/fuzz/*.cpp; do
    name=$(basename "$source" .cpp)
    [ "$name" = replay_main ] || targets+=("$name")
  done
fi

command -v clang++ >/dev/null || { echo "fuzz: clang++ is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
if [ ! -f "$build/build.ninja" ]; then
  CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DEDGEPROBE_FUZZ=ON -DEDGEPROBE_TESTS=OFF >/dev/null
fi
ninja -C "$build" "${targets[@]/#/fuzz_}" >/dev/null

mkdir -p "$work"
status=0
printf '%-20s %14s %9s %8s\n' target executions seconds crashes
for name in "${targets[@]}"; do
  corpus="$work/$name/corpus"
  mkdir -p "$corpus" "$work/$name/crashes"
  cp -n "$here/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
  log="$work/$name/last.log"
  start=$(date +%s)
  # The seed corpus is read but not written; new inputs go to the work corpus.
  set +e
  "$build/fuzz_$name" "${limit[@]}" -print_final_stats=1 -artifact_prefix="$work/$name/crashes/" \
    "$corpus" "$here/tests/fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  set -e
  seconds=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # libFuzzer also leaves slow-unit-* there: an input that took over 10 s,
  # which a paused or starved fuzzer produces too. Not a finding; the rest
  # (crash-, leak-, timeout-, oom-) are.
  crashes=$(find "$work/$name/crashes" -type f ! -name 'slow-unit-*' | wc -l)
  printf '%-20s %14s %9s %8s\n' "$name" "${runs:-?}" "$seconds" "$crashes"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    echo "fuzz: $name failed (exit $rc); see $log and $work/$name/crashes/" >&2
    status=1
  fi
done
exit "$status"
