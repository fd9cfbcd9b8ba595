"""Tests of scripts/coverage's and scripts/test's verdicts (issue 13: "make it fail", JUnit XML).

Run by ctest (scripts_ci_scripts): python3 -m unittest, with the repository root in SDEI_ROOT.
Each case copies scripts/ into an empty tree and puts stand-ins for cmake, ctest, gcovr, dpkg
and the built sdei-sim first on PATH, so what is tested is the scripts' own logic (does a red
ctest or a failing simulation fail the run; does the unit stage ask ctest for JUnit XML where
the README says), in a second, without building anything.
"""
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

ROOT = os.environ.get("SDEI_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))

# Every stand-in appends its arguments to $FAKE_LOG and exits with $FAKE_<NAME>_RC (default 0).
FAKE = """#!/bin/sh
echo "{name} $*" >>"$FAKE_LOG"
{body}
exit "${{FAKE_{var}_RC:-0}}"
"""
BODIES = {
    # ctest: a summary like ctest's, and JUnit XML where --output-junit asks for it
    "ctest": """
junit=""
while [ $# -gt 0 ]; do
    [ "$1" = --output-junit ] && junit="$2"
    shift
done
[ -n "$junit" ] && echo '<testsuite tests="1"/>' >"$junit"
if [ "${FAKE_CTEST_RC:-0}" != 0 ]; then
    echo "50% tests passed, 1 tests failed out of 2"
    echo "The following tests FAILED:"
    echo "	  7 - model_fake_case (Failed)"
fi
""",
    # gcovr: a total; only a --fail-under check takes $FAKE_GCOVR_RC
    "gcovr": """
echo "TOTAL 100 90 90%"
case "$*" in *--fail-under-*) ;; *) exit 0 ;; esac
""",
}


def fake(bindir, name, path=None):
    path = path or os.path.join(bindir, name)
    var = name.upper().replace("-", "_")
    with open(path, "w") as f:
        f.write(FAKE.format(name=name, var=var, body=BODIES.get(name, "")))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


class CiScriptsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        shutil.copytree(os.path.join(ROOT, "scripts"), os.path.join(self.dir, "scripts"))
        self.bin = os.path.join(self.dir, "fakebin")
        os.mkdir(self.bin)
        for name in ("cmake", "ctest", "gcovr", "dpkg"):
            fake(self.bin, name)
        cli = os.path.join(self.dir, "build", "coverage", "cli")
        os.makedirs(cli)
        fake(self.bin, "sdei-sim", os.path.join(cli, "sdei-sim"))
        os.makedirs(os.path.join(self.dir, "build", "asan"))
        self.log = os.path.join(self.dir, "fake.log")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_script(self, name, *args, **rcs):
        env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ["PATH"],
                   FAKE_LOG=self.log)
        for k, v in rcs.items():
            env["FAKE_%s_RC" % k.upper()] = str(v)
        p = subprocess.run(["bash", os.path.join(self.dir, "scripts", name), *args],
                           capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                           timeout=120)
        return p.returncode, p.stdout + p.stderr

    def calls(self, name):
        with open(self.log) as f:
            return [line.split(" ", 1)[1].strip() for line in f if line.startswith(name + " ")]

    def only_stage(self, stage):
        d = os.path.join(self.dir, "scripts", "test.d")
        for s in os.listdir(d):
            if s != stage:
                os.remove(os.path.join(d, s))

    def test_coverage_passes_when_everything_passes(self):
        rc, out = self.run_script("coverage", "--no-html")
        self.assertEqual(rc, 0, out)
        self.assertIn("scripts/coverage: ok", out)
        self.assertEqual(len(self.calls("sdei-sim")), 10)  # the fixed-seed simulations ran

    def test_coverage_fails_on_a_failed_test(self):
        rc, out = self.run_script("coverage", "--no-html", ctest=8)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAILED: some tests failed", out)
        self.assertIn("model_fake_case", out)  # names the failing test
        self.assertIn("scripts/coverage: FAILED", out)

    def test_coverage_fails_on_a_failed_simulation(self):
        rc, out = self.run_script("coverage", "--no-html", sdei_sim=2)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAILED: sdei-sim run --seed=1 ", out)
        self.assertIn("scripts/coverage: FAILED", out)

    def test_coverage_check_fails_under_a_threshold(self):
        rc, out = self.run_script("coverage", "--no-html", "--check", gcovr=2)
        self.assertEqual(rc, 1, out)
        self.assertIn("threshold model/", out)
        self.assertIn(">= 98%: FAILED", out)
        self.assertIn("Coverage is under a threshold", out)
        self.assertIn("scripts/coverage: FAILED", out)

    def test_unit_stage_writes_junit_where_the_readme_says(self):
        self.only_stage("10-unit-asan.sh")
        rc, out = self.run_script("test")
        self.assertEqual(rc, 0, out)
        junit = os.path.join(self.dir, "build", "asan", "junit.xml")
        self.assertIn("--output-junit " + junit, self.calls("ctest")[0])
        self.assertTrue(os.path.exists(junit))
        self.assertIn("build/asan/junit.xml", out)

    def test_test_fails_when_the_unit_stage_fails(self):
        self.only_stage("10-unit-asan.sh")
        rc, out = self.run_script("test", ctest=8)
        self.assertEqual(rc, 1, out)
        self.assertIn("== stage 10-unit-asan FAILED", out)
        self.assertIn("scripts/test: FAILED", out)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "build", "asan", "junit.xml")))


if __name__ == "__main__":
    unittest.main()
