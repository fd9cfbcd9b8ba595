#!/usr/bin/env bash
# Coverage (STYLE habit 13): gcc --coverage build, every ctest test plus fixed-seed simulations
# (never a time-boxed random run), gcovr reports in build/coverage (HTML, Cobertura XML, JSON),
# and the thresholds: model/ >= 98 % of lines and >= 90 % of branches, sim/ + driver/ + cli/
# >= 90 % of lines. A failing test or simulation, or a missed threshold, fails the stage; the
# files and line numbers no test reaches are listed.
# Also prints the spec-rule traceability count (scripts/rules; informative, never fails).
source "$(dirname "$0")/../lib.sh"
echo "-- spec rules without a test or golden trace:"
"$ROOT/scripts/rules" --count
if ! "$ROOT/scripts/coverage" --check; then
    echo "50-coverage: FAILED - a test or simulation failed, or coverage is under a threshold"
    echo "  (see above and build/coverage/html/index.html). The thresholds are part of CI: add"
    echo "  tests, do not lower them (docs/coverage.md)."
    exit 1
fi
echo "50-coverage: thresholds met"
