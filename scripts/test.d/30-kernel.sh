#!/usr/bin/env bash
# The kernel target (docs/kernel-target.md): build the v5, v6 and v7 trees of
# ../shared/kernel-trees with ASan+UBSan and run the kernel-labelled tests
# (harness unit tests; for v5 every kernel/kvm-v5 trace replayed against the
# kernel code; the kernel fuzz target's corpus, fuzz.corpus.kernel). Without
# ../shared there is nothing to build against.
source "$(dirname "$0")/../lib.sh"
trees="$ROOT/../shared/kernel-trees"
if [ ! -d "$trees" ]; then
    echo "skipped: no ../shared/kernel-trees"
    exit 0
fi
trees="$(cd "$trees" && pwd)"
for v in v5 v6 v7; do
    b="$ROOT/build/kernel-$v"
    echo "== kernel target $v"
    cmake -S "$ROOT" -B "$b" -DCMAKE_BUILD_TYPE=Debug -DSDEI_SANITIZE=ON -DSDEI_WERROR=ON \
        -DSDEI_KERNEL_TREE="$trees/kvm-sdei-$v" >/dev/null
    cmake --build "$b" -j "$JOBS" --target sdei-sim test_kernel_target test_kvm_ioctl \
        fuzz_kernel_replay
    (cd "$b" && UBSAN_OPTIONS=print_stacktrace=1 ctest -L kernel --output-on-failure -j "$JOBS")
done
