#!/usr/bin/env bash
# Lints the scripts: shellcheck on every shell script under scripts/ (settings in
# scripts/.shellcheckrc), and every Python file under scripts/ and tests/ must compile
# (py_compile) and be pyflakes-clean. Any finding, of any severity, fails the stage.
source "$(dirname "$0")/../lib.sh"
sdei_install_deps shellcheck python3-pyflakes
cd "$ROOT" || exit 1
sh_files=()
for f in scripts/* scripts/test.d/*.sh; do
    case "$f" in *.py | */.*) continue ;; esac
    [ -f "$f" ] && sh_files+=("$f")
done
shellcheck -x "${sh_files[@]}"
echo "shellcheck: ${#sh_files[@]} scripts clean"
mapfile -t py_files < <(find scripts tests -name '*.py' | sort)
# byte code goes to a scratch folder, not into the tree
PYTHONPYCACHEPREFIX="$(mktemp -d)" "$SDEI_PYTHON" -m py_compile "${py_files[@]}"
"$SDEI_PYTHON" -m pyflakes "${py_files[@]}"
echo "python: ${#py_files[@]} files compile and are pyflakes-clean"
