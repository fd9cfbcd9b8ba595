#!/usr/bin/env bash
# The C style: scripts/format --check (clang-format-14 and .clang-format) over every tracked
# source but those in .clang-format-ignore. Enforced since the tree was reformatted
# in one commit (docs/testing.md, "Formatting"); with the switch at 0 it would only print how
# far the tree is and pass.
source "$(dirname "$0")/../lib.sh"
SDEI_FORMAT_ENFORCED=1
sdei_install_deps clang-format-14
status=0
out="$(bash "$ROOT/scripts/format" --check)" || status=$?
if [ "$SDEI_FORMAT_ENFORCED" = 1 ]; then
    echo "$out"
    exit "$status"
fi
case "$status" in
    0 | 7) echo "not enforced yet: $(echo "$out" | tail -1)" ;;
    *) echo "$out"; echo "06-format: scripts/format --check itself failed (exit $status)"; exit "$status" ;;
esac
