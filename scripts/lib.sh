# Shared by scripts/*: install what is missing, configure and build.
# shellcheck shell=bash
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="$(nproc 2>/dev/null || echo 2)"

# Debian's python3: the python3-* packages the scripts install (python3-matplotlib) are its own.
SDEI_PYTHON=/usr/bin/python3
[ -x "$SDEI_PYTHON" ] || SDEI_PYTHON=python3
export SDEI_PYTHON

# Debian packages the project needs (build, tests, coverage, fuzzing, plots).
SDEI_PACKAGES=(build-essential cmake pkg-config check clang clang-format-14 gcovr graphviz help2man)

sdei_install_deps() {
    local missing=()
    for p in "${SDEI_PACKAGES[@]}" "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi
}

# sdei_build PRESET: configure (once) and build a CMake preset.
sdei_build() {
    local preset="$1"
    cmake --preset "$preset" -S "$ROOT" >/dev/null
    cmake --build "$ROOT/build/$preset" -j "$JOBS"
}
