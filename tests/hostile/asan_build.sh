#!/bin/bash
# Builds the hostile battery under AddressSanitizer + UBSan (LeakSanitizer is
# part of ASan on Linux) outside the build tree, and runs it:
#
#   bash tests/hostile/asan_build.sh [OUT_DIR]      (default /tmp/hostile-asan)
#
# Every source of src/ (but the CLI) and probes/ is compiled instrumented, with
# only the test files the battery needs (not the whole
# edgeprobe_integration_tests). JOBS compiles at a time (default 1), nice'd,
# so a build in build/ is not starved. An object is reused when it is newer than
# its source and every header it included (g++ -MMD lists them). The full
# alternative, when there is time for it:
#
#   cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#     -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer"
#   ninja -C build-asan edgeprobe_integration_tests
#   ASAN_OPTIONS=detect_leaks=1 build-asan/edgeprobe_integration_tests -ts=hostile
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-/tmp/hostile-asan}
mkdir -p "$OUT/obj"

FLAGS=(-std=c++20 -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
       -I"$SRC/src" -I"$SRC" -I"$SRC/tests"
       -DEDGEPROBE_VERSION='"0.1.0"' -DEDGEPROBE_SOURCE_DIR="\"$SRC\""
       -DEDGEPROBE_BINARY="\"$SRC/build/edgeprobe\"" -DBOOST_ASIO_NO_DEPRECATED)

# The heavy third-party headers, precompiled once with the same flags (as the
# CMake build does).
mkdir -p "$OUT/pch"
cp "$SRC/src/pch.hpp" "$OUT/pch/pch.hpp"
if [[ ! -e $OUT/pch/pch.hpp.gch || $SRC/src/pch.hpp -nt $OUT/pch/pch.hpp.gch ]]; then
  echo "PCH src/pch.hpp"
  nice g++ "${FLAGS[@]}" -x c++-header "$OUT/pch/pch.hpp" -o "$OUT/pch/pch.hpp.gch"
fi
FLAGS+=(-include "$OUT/pch/pch.hpp")

# The demo suite the library carries inside itself, as CMake generates it.
cmake -DINPUT="$SRC/suites/demo.json" -DSYMBOL=demo_suite_json -DOUTPUT="$OUT/demo_suite.cpp" \
      -P "$SRC/cmake/embed_text.cmake"

# The battery's own files first, then the probes it talks through and the
# library under them, then the rest (ews, reports, serve), which it links but
# does not exercise.
mapfile -t SOURCES < <(
  echo tests/support/doctest_main.cpp
  echo tests/support/check_runner.cpp
  echo tests/support/hostile_peers.cpp
  echo tests/integration/hostile_battery_test.cpp
  cd "$SRC"
  for d in probes/dns probes/tcp probes/udp probes/tls probes/http probes/stun probes/turn probes/sqlbrowser \
           probes/rpc_epm src/net src/run src/core src/wire probes/ews src/report src/serve; do
    find "$d" -name '*.cpp' | sort
  done
  echo probes/modules.cpp
)
SOURCES+=("$OUT/demo_suite.cpp")

# PARTIAL_BY=EPOCH_SECONDS: on a busy machine, stop compiling at that time and
# take what is left uninstrumented from FALLBACK_LIBS (default: the layer and
# probe libraries of build/).
# ASan still checks every access the instrumented objects make, and LeakSanitizer
# every allocation (malloc is intercepted process-wide); the script says how many
# sources were left out.
PARTIAL_BY=${PARTIAL_BY:-}
FALLBACK_LIBS=${FALLBACK_LIBS:-$(ls "$SRC"/build/libedgeprobe_*.a "$SRC"/build/probes/*/libedgeprobe_*.a 2>/dev/null | tr '\n' ' ')}
JOBS=${JOBS:-1}

# Up to date: the object exists with its dependency list, and nothing listed
# there (the source, its headers) is newer.
up_to_date() { # OBJ
  [[ -e $1 && -e $1.d ]] || return 1
  local dep
  for dep in $(sed -e 's/\\$//' -e 's/^[^:]*://' "$1.d"); do
    [[ $dep -nt $1 ]] && return 1
  done
  return 0
}

compiled=0 skipped=0 failed=0
for src in "${SOURCES[@]}"; do
  [[ $src = /* ]] && path=$src || path=$SRC/$src
  obj=$OUT/obj/$(echo "${src#"$SRC"/}" | tr '/' '_' | sed 's/\.cpp$/.o/')
  if up_to_date "$obj"; then compiled=$((compiled + 1)); continue; fi
  if [[ -n $PARTIAL_BY && $(date +%s) -ge $PARTIAL_BY && $src != tests/* ]]; then
    skipped=$((skipped + 1)); rm -f "$obj" "$obj.d"; continue
  fi
  while [[ $(jobs -rp | wc -l) -ge $JOBS ]]; do wait -n || failed=$((failed + 1)); done
  echo "CXX $src"
  (nice g++ "${FLAGS[@]}" -MMD -MF "$obj.d.tmp" -c "$path" -o "$obj.tmp" &&
     mv "$obj.d.tmp" "$obj.d" && mv "$obj.tmp" "$obj") &
  compiled=$((compiled + 1))
done
while [[ $(jobs -rp | wc -l) -gt 0 ]]; do wait -n || failed=$((failed + 1)); done
[[ $failed -eq 0 ]] || { echo "asan_build: $failed compiles failed" >&2; exit 1; }
echo "instrumented: $compiled sources; left to $FALLBACK_LIBS uninstrumented: $skipped"
EXTRA_LIBS=()
# shellcheck disable=SC2206 # a list of paths without spaces
[[ $skipped -gt 0 ]] && EXTRA_LIBS=(-Wl,--start-group $FALLBACK_LIBS -Wl,--end-group)

echo "LINK $OUT/edgeprobe_tests_asan"
nice g++ -fsanitize=address,undefined "$OUT"/obj/*.o "${EXTRA_LIBS[@]}" -lssl -lcrypto -lcares -lpugixml -lcrypt -lpthread \
     -o "$OUT/edgeprobe_tests_asan"

echo "RUN -ts=hostile"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=0 \
  "$OUT/edgeprobe_tests_asan" -ts=hostile
