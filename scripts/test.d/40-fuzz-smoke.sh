#!/usr/bin/env bash
# Fuzz smoke: build the fuzz preset (clang, libFuzzer + ASan + UBSan) and run
# every target for ~30 s on a temporary copy of its corpus. Any finding fails
# the stage; the negative target must crash (it proves the setup detects
# failures). Then the kernel target against each tree of ../shared/kernel-trees
# (v5 side by side with the kvm-v5 profile; v6, v7 alone), ~20 s each, past
# the known problems of fuzz/kernel-known-vN.txt: a new finding or divergence
# fails. The corpus replays themselves run in 10-unit-asan and 30-kernel
# (ctest). The results are also written as JUnit XML (build/fuzz-smoke.xml,
# build/fuzz-smoke-kernel-vN.xml) for CI systems.
source "$(dirname "$0")/../lib.sh"
seconds="${SDEI_FUZZ_SMOKE_SECONDS:-30}"
kseconds="${SDEI_FUZZ_KERNEL_SECONDS:-20}"
status=0
bash "$ROOT/scripts/fuzz" --target all --engine libfuzzer --time "$seconds" --workers 1 --smoke \
    --report "$ROOT/build/fuzz-smoke.xml" || status=1
trees="$ROOT/../shared/kernel-trees"
if [ ! -d "$trees" ]; then
    echo "skipped: no ../shared/kernel-trees (kernel fuzz smoke)"
    exit "$status"
fi
for v in v5 v6 v7; do
    bash "$ROOT/scripts/fuzz" --target kernel --tree "$trees/kvm-sdei-$v" --engine libfuzzer \
        --time "$kseconds" --workers 1 --smoke --report "$ROOT/build/fuzz-smoke-kernel-$v.xml" ||
        status=1
done
exit "$status"
