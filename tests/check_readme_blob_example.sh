#!/usr/bin/env bash
# check_readme_blob_example.sh SIM README: runs the README's blob example lines (the
# `$B ... .save` lines of "Common tasks") as written, in an empty folder, with B=SIM. Each
# line must make the files the next ones read (issue 13: the example once diffed files it
# never created): the save/decode and save/lint lines exit 0, the diff exits 0 or 1 (the two
# saves differ), never 3 (bad input) or 4 (I/O).
set -u
sim="$1"
readme="$2"
# shellcheck disable=SC2016 # a literal $B: the README's variable
mapfile -t lines < <(grep -E '^\$B .*\.save' "$readme" | sed 's/[[:space:]]*#.*$//')
if [ "${#lines[@]}" -lt 3 ]; then
    echo "$readme: expected the three blob example lines (\$B ... .save), found ${#lines[@]}"
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export B="$sim"
last=$((${#lines[@]} - 1))
for i in "${!lines[@]}"; do
    line="${lines[$i]}"
    rc=0
    eval "$line" >out.txt 2>&1 || rc=$?
    if [ "$rc" -eq 0 ] || { [ "$i" -eq "$last" ] && [ "$rc" -eq 1 ]; }; then
        continue
    fi
    echo "$readme: '$line' exited $rc:"
    cat out.txt
    exit 1
done
echo "the README's ${#lines[@]} blob example lines run as written"
