#!/usr/bin/env bash
# Fuzz smoke: build the fuzz preset (clang, libFuzzer + ASan + UBSan) and run
# every target for ~30 s on a temporary copy of its corpus. Any finding fails
# the stage; the negative target must crash (it proves the setup detects
# failures). The corpus replays themselves run in 10-unit-asan (ctest). The
# results are also written as JUnit XML (build/fuzz-smoke.xml) for CI systems.
source "$(dirname "$0")/../lib.sh"
seconds="${SDEI_FUZZ_SMOKE_SECONDS:-30}"
exec bash "$ROOT/scripts/fuzz" --target all --engine libfuzzer --time "$seconds" --workers 1 --smoke \
    --report "$ROOT/build/fuzz-smoke.xml"
