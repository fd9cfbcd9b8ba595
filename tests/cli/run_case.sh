#!/usr/bin/env bash
# run_case.sh SIM SRC CASE: runs one golden CLI case (tests/cli/*.case) and checks it.
#
# A case file, one directive a line (# starts a comment):
#   args: ARGS             sdei-sim's arguments, as sh words; $SRC is the source tree and
#                          the command runs in an empty scratch folder (its files stay there)
#   exit: N                the exit code (default 0)
#   stdout-contains: TEXT  TEXT appears in stdout (repeatable); stderr-contains: likewise
#   stdout-starts: TEXT    stdout begins with TEXT; stderr-starts: likewise
#   stdout-empty           nothing on stdout; stderr-empty: likewise
#   file-contains: F: TEXT the file F the command wrote (in its folder) contains TEXT (repeatable)
#   file-xml: F            F is well-formed XML (python3's xml.dom.minidom parses it)
# and, beside it, NAME.stdout / NAME.stderr if present: the whole stream, byte for byte.
# Prints what differs and exits 1 on a mismatch, 0 when everything holds.
set -uo pipefail
sim="$1" src="$2" case_file="$3"
export sim # used by the eval below
name="$(basename "$case_file" .case)"
dir="$(dirname "$case_file")"
work="${TMPDIR:-/tmp}/sdei-cli-case.$name.$$"
rm -rf "$work" && mkdir -p "$work" || exit 4
trap 'rm -rf "$work"' EXIT

args="" want_exit=0
checks=()
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        '' | '#'*) ;;
        args:*) args="${line#args:}" args="${args# }" ;;
        exit:*) want_exit="${line#exit:}" want_exit="${want_exit// /}" ;;
        std* | file-*) checks+=("$line") ;;
        *) echo "$case_file: unknown directive: $line" >&2; exit 3 ;;
    esac
done <"$case_file"
[ -n "$args" ] || { echo "$case_file: no args: line" >&2; exit 3; }

# The arguments are sh words ($SRC expands, quotes group); eval runs them with "$sim" first.
(cd "$work" && export SRC="$src" && eval "\"\$sim\" $args" >"$work/.stdout" 2>"$work/.stderr")
rc=$?
fail=0
bad() { echo "FAILED $name: $*"; fail=1; }
[ "$rc" = "$want_exit" ] || bad "exit $rc, expected $want_exit"
for c in "${checks[@]}"; do
    stream="${c%%-*}" rest="${c#*-}"
    kind="${rest%%:*}" text="${rest#*:}" text="${text# }"
    file="$work/.$stream"
    if [ "$stream" = file ]; then
        # file-KIND: F[: TEXT]
        stream="${text%%:*}" file="$work/${text%%:*}" text="${text#*:}" text="${text# }"
        [ -f "$file" ] || { bad "no file $stream was written"; continue; }
    fi
    case "$kind" in
        contains) grep -qF -- "$text" "$file" || bad "$stream does not contain: $text" ;;
        starts) [ "$(head -c "${#text}" "$file")" = "$text" ] || bad "$stream does not start with: $text" ;;
        empty) [ ! -s "$file" ] || bad "$stream is not empty" ;;
        xml) "${SDEI_PYTHON:-python3}" -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
                 "$file" 2>"$work/.xml-error" || bad "$stream is not well-formed XML: $(tail -1 "$work/.xml-error")" ;;
        *) echo "$case_file: unknown check: $c" >&2; exit 3 ;;
    esac
done
for stream in stdout stderr; do
    if [ -f "$dir/$name.$stream" ] && ! cmp -s "$dir/$name.$stream" "$work/.$stream"; then
        bad "$stream differs from $name.$stream:"
        diff "$dir/$name.$stream" "$work/.$stream" | head -20
    fi
done
if [ "$fail" != 0 ]; then
    echo "-- command: sdei-sim $args (exit $rc)"
    echo "-- stdout:"; head -c 2000 "$work/.stdout"
    echo "-- stderr:"; head -c 2000 "$work/.stderr"
    exit 1
fi
echo "ok $name: sdei-sim $args"
