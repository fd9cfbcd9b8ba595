#!/usr/bin/env bash
# Build with ASan+UBSan under gcc and run every ctest test (unit suites, golden
# traces, corpus replays, purity check). The results are also written as JUnit XML
# (build/asan/junit.xml) for CI systems.
source "$(dirname "$0")/../lib.sh"
sdei_build asan
cd "$ROOT/build/asan" || exit 1
status=0
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j "$JOBS" --output-junit "$ROOT/build/asan/junit.xml" || status=$?
echo "JUnit XML of these tests: build/asan/junit.xml"
exit "$status"
