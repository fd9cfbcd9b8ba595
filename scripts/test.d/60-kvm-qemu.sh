#!/usr/bin/env bash
# The kvm target end to end on a real KVM (docs/kvm-target.md): cross-build
# the static aarch64 sdei-sim, boot Debian's stock arm64 kernel in QEMU with
# EL2 (-M virt,virtualization=on), replay the traces of tests/kvm/ on its
# KVM (a released kernel: no SDEI, profile absent) recording what it
# returned, run the simulator in lockstep with it (run --target=kvm
# --trace-out), then replay those recordings on the model's `absent` profile.
# Prints one line "skipped: ..." and exits 0 when a piece cannot be had.
source "$(dirname "$0")/../lib.sh"
W="$ROOT/build/kvm-qemu"
T0=$(date +%s)
mkdir -p "$W"

skip() { echo "skipped: 60-kvm-qemu: $*"; exit 0; }

# --- packages: QEMU, the cross compiler, cpio; the arm64 kernel image -------
if ! (sdei_install_deps qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio) \
    >"$W/install.log" 2>&1; then
    skip "cannot install qemu-system-arm / gcc-aarch64-linux-gnu (no package mirror?)"
fi
kernel="$(find "$W/kernel/boot" -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | sort | head -1 || true)"
if [ -z "$kernel" ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        $sudo dpkg --add-architecture arm64
    fi
    $sudo apt-get update -qq >>"$W/install.log" 2>&1 || skip "apt-get update failed"
    # linux-image-arm64 is a metapackage: download the image it depends on
    pkg="$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
        awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
    [ -n "$pkg" ] || skip "no linux-image-arm64:arm64 in the package lists"
    (cd "$W" && rm -f linux-image-*.deb && apt-get download "$pkg" >>"$W/install.log" 2>&1) ||
        skip "cannot download $pkg"
    rm -rf "$W/kernel"
    dpkg-deb -x "$W"/linux-image-*.deb "$W/kernel"
    rm -f "$W"/linux-image-*.deb
    kernel="$(find "$W/kernel/boot" -maxdepth 1 -name 'vmlinuz-*' | sort | head -1)"
fi
echo "== kernel: $(basename "$kernel")"

# --- the static aarch64 build ------------------------------------------------
cmake --preset kvm-cross -S "$ROOT" >/dev/null
cmake --build "$ROOT/build/kvm-cross" -j "$JOBS" --target sdei-sim sdei-kvm-init >/dev/null
B="$ROOT/build/kvm-cross"

# --- the initramfs: /init, /sdei-sim, /traces ----------------------------------
rm -rf "$W/root" && mkdir -p "$W/root/traces"
cp "$B/targets/kvm/sdei-kvm-init" "$W/root/init"
cp "$B/cli/sdei-sim" "$W/root/sdei-sim"
cp "$ROOT"/tests/kvm/*.trace "$ROOT"/spec-traces/absent/calls.trace "$W/root/traces/"
(cd "$W/root" && find . | cpio -o -H newc --quiet) >"$W/initrd"

# --- boot ----------------------------------------------------------------------
echo "== booting $(basename "$kernel") in qemu-system-aarch64 (TCG, EL2)"
T1=$(date +%s)
qrc=0
timeout "${SDEI_KVM_QEMU_TIMEOUT:-300}" qemu-system-aarch64 \
    -M virt,virtualization=on,gic-version=3 -cpu max -smp 1 -m 1024 -nographic -nic none \
    -no-reboot -kernel "$kernel" -initrd "$W/initrd" \
    -append "console=ttyAMA0 rdinit=/init panic=-1 quiet" </dev/null >"$W/console.log" 2>&1 ||
    qrc=$?
T2=$(date +%s)
tr -d '\r' <"$W/console.log" >"$W/console.txt"
if ! grep -q "==SDEI-KVM-DONE" "$W/console.txt"; then
    echo "60-kvm-qemu: the guest did not finish (qemu exit $qrc); console tail:"
    tail -30 "$W/console.txt"
    exit 1
fi
grep "^kvm: \|^sdei-sim: \|: ok (\|divergence\|DIVERGENCE\|finding\|FINDING\|^lockstep with\|^steps \|==SDEI-KVM-NODEV" \
    "$W/console.txt" || true
grep "==SDEI-KVM-DONE" "$W/console.txt"

# --- the recordings, replayed on the model (profile absent) --------------------
rm -rf "$W/rec" && mkdir -p "$W/rec"
awk -v dir="$W/rec" '
    /^==SDEI-KVM-REC-BEGIN / { name = $2; sub(/==$/, "", name); out = dir "/" name; next }
    /^==SDEI-KVM-REC-END /   { out = ""; next }
    out != "" { print > out }' "$W/console.txt"
n=$(find "$W/rec" -maxdepth 1 -name '*.trace' 2>/dev/null | wc -l)
sdei_build asan >/dev/null
fail=0
grep -q "failed=0==" "$W/console.txt" || fail=1
# without /dev/kvm: one line and exit 8 (docs/kvm-target.md)
if ! grep -q "==SDEI-KVM-NODEV rc=8==" "$W/console.txt" ||
    ! grep -q "^sdei-sim: kvm: no /dev/kvm" "$W/console.txt"; then
    echo "60-kvm-qemu: replay --target=kvm without /dev/kvm did not exit 8 with its line"
    fail=1
fi
for f in "$W"/rec/*.trace; do
    [ -e "$f" ] || continue
    "$ROOT/build/asan/cli/sdei-sim" replay "$f" || fail=1
done
[ "$n" -gt 0 ] || fail=1
# the simulator's lockstep run on the real KVM: recorded, and every result compared
f="$W/rec/run_kvm.trace"
if ! grep -q "^sdei-trace 1 profile=absent" "$f" 2>/dev/null ||
    ! grep -q "^lockstep with kvm: [1-9][0-9]* results compared" "$W/console.txt"; then
    echo "60-kvm-qemu: sdei-sim run --target=kvm left no recording or compared nothing"
    fail=1
fi
# the comparison is real: the same recording under the spec profile diverges
f="$W/rec/released_kernel_probe.trace"
if [ -e "$f" ]; then
    sed 's/^sdei-trace 1 profile=absent/sdei-trace 1 profile=spec/' "$f" >"$W/spec.trace"
    if "$ROOT/build/asan/cli/sdei-sim" replay --quiet "$W/spec.trace" 2>/dev/null; then
        echo "60-kvm-qemu: the recording replays under the spec profile too: no check"
        fail=1
    fi
fi
T3=$(date +%s)
echo "60-kvm-qemu: $n recordings from the real KVM replayed on the model;" \
     "boot+run $((T2 - T1)) s, stage $((T3 - T0)) s"
exit $fail
