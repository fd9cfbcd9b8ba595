#!/usr/bin/env bash
# Build with ASan+UBSan under gcc and run every ctest test (unit suites, golden
# traces, corpus replays, purity check).
source "$(dirname "$0")/../lib.sh"
sdei_build asan
cd "$ROOT/build/asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j "$JOBS"
