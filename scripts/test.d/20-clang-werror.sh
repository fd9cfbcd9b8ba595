#!/usr/bin/env bash
# The tree must build warning-free under clang as well as gcc.
source "$(dirname "$0")/../lib.sh"
sdei_build clang >/dev/null
echo "clang -Wall -Wextra -Werror build: ok"
