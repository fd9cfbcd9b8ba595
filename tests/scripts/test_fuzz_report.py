"""Tests of scripts/fuzz_report.py (the JUnit report of scripts/fuzz --report) and of
scripts/fuzz's usage errors, which it reports before it builds anything.

Run by ctest (scripts_fuzz_report): python3 -m unittest, with the repository root in
SDEI_ROOT.
"""
import io
import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from contextlib import redirect_stderr

ROOT = os.environ.get("SDEI_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import fuzz_report  # noqa: E402 (the path above first)

ROWS = [
    "calls\tlibfuzzer\t30\t1\t261000\t8700\t1177\t5636\t0\tno finding\t1\n",
    "blobs\tlibfuzzer\t30\t1\t42000\t1400\t-\t-\t2\t2 finding(s)\t0\n",
    "negative\tlibfuzzer\t30\t1\t900\t30\t12\t40\t1\tcrash found (expected)\t1\n",
]


def write_report(lines):
    """(exit code, stderr, parsed XML root or None) of fuzz_report.main on lines."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.xml")
        err = io.StringIO()
        stdin = sys.stdin
        sys.stdin = io.StringIO("".join(lines))
        try:
            with redirect_stderr(err):
                rc = fuzz_report.main([out])
        finally:
            sys.stdin = stdin
        root = ET.parse(out).getroot() if rc == 0 else None
    return rc, err.getvalue(), root


def run_fuzz(*args):
    """(exit code, stderr) of scripts/fuzz with args."""
    p = subprocess.run(["bash", os.path.join(ROOT, "scripts", "fuzz"), *args],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode, p.stderr


class FuzzReportTest(unittest.TestCase):
    def test_one_testcase_per_target_with_its_figures(self):
        rc, _, root = write_report(ROWS)
        self.assertEqual(rc, 0)
        suite = root.find("testsuite")
        self.assertEqual(suite.get("tests"), "3")
        self.assertEqual(suite.get("failures"), "1")
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        self.assertEqual(sorted(cases), ["blobs", "calls", "negative"])
        props = {p.get("name"): p.get("value") for p in cases["calls"].iter("property")}
        self.assertEqual(props["exec_per_sec"], "8700")
        self.assertEqual(props["execs"], "261000")
        self.assertEqual(props["findings"], "0")
        self.assertIsNone(cases["calls"].find("failure"))
        self.assertIsNone(cases["negative"].find("failure"))  # its crash is the expected one
        fail = cases["blobs"].find("failure")
        self.assertEqual(fail.get("message"), "2 finding(s)")
        self.assertIn("fuzz-out/findings/blobs/", fail.text)

    def test_a_malformed_row_is_bad_input_with_its_line(self):
        rc, err, _ = write_report([ROWS[0], "calls\tlibfuzzer\t30\n"])
        self.assertEqual(rc, 3)
        self.assertIn("stdin: line 2: expected 11 tab-separated fields", err)
        rc, err, _ = write_report([ROWS[0].replace("8700", "fast")])
        self.assertEqual(rc, 3)
        self.assertIn("line 1: exec_per_sec: expected a number, got 'fast'", err)

    def test_an_unwritable_report_is_an_io_error(self):
        sys.stdin, stdin = io.StringIO(ROWS[0]), sys.stdin
        try:
            with redirect_stderr(io.StringIO()) as err:
                rc = fuzz_report.main(["/nonexistent-dir/r.xml"])
        finally:
            sys.stdin = stdin
        self.assertEqual(rc, 4)
        self.assertIn("cannot write /nonexistent-dir/r.xml", err.getvalue())


# A stand-in for a libFuzzer binary: logs its arguments, prints libFuzzer's final stats and
# writes nothing (a merge into corpus/ would only be logged).
FAKE_FUZZER = """#!/bin/sh
echo "$0 $*" >> "$FAKE_LOG"
echo "stat::number_of_executed_units: 1234"
echo "stat::average_exec_per_sec:     617"
echo "#1234	DONE   cov: 99 ft: 321 corp: 5/10b exec/s: 617"
"""


class FuzzCampaignTest(unittest.TestCase):
    """A campaign with a stand-in fuzzer (SDEI_FUZZ_BIN): the source tree's corpus/ is merged
    into only with --merge, and --report gets the stand-in's figures."""

    def campaign(self, *args):
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "fuzz_calls")
            with open(fake, "w") as f:
                f.write(FAKE_FUZZER)
            os.chmod(fake, 0o755)
            log = os.path.join(d, "log")
            report = os.path.join(d, "r.xml")
            env = dict(os.environ, SDEI_FUZZ_BIN=d, SDEI_FUZZ_OUT=os.path.join(d, "out"),
                       FAKE_LOG=log)
            p = subprocess.run(["bash", os.path.join(ROOT, "scripts", "fuzz"), "--target=calls",
                                "--time=1", "--report", report, *args], capture_output=True,
                               text=True, stdin=subprocess.DEVNULL, env=env, timeout=120)
            with open(log) as f:
                calls = f.read().splitlines()
            root = ET.parse(report).getroot()
        return p.returncode, calls, root

    def test_no_merge_into_the_corpus_unless_asked(self):
        rc, calls, root = self.campaign()
        self.assertEqual(rc, 0)
        self.assertEqual(len(calls), 1)
        self.assertNotIn("-merge=1", calls[0])
        props = {p.get("name"): p.get("value") for p in root.iter("property")}
        self.assertEqual((props["execs"], props["exec_per_sec"], props["cov"], props["ft"]),
                         ("1234", "617", "99", "321"))

    def test_merge_goes_into_the_corpus_when_asked(self):
        rc, calls, _ = self.campaign("--merge")
        self.assertEqual(rc, 0)
        merges = [c for c in calls if "-merge=1" in c]
        self.assertEqual(len(merges), 1)
        self.assertIn(os.path.join("corpus", "calls") + " ", merges[0])


class FuzzUsageTest(unittest.TestCase):
    """scripts/fuzz refuses what it cannot do before building anything (exit 3, or 4)."""

    def test_an_unknown_target_is_named_with_the_valid_ones(self):
        rc, err = run_fuzz("--target", "bogus")
        self.assertEqual(rc, 3)
        self.assertIn("unknown target 'bogus' (valid: calls diff blobs traces migrate", err)

    def test_usage_errors(self):
        for args, text in ((["--frob"], "unknown option '--frob'"),
                           (["--minimize"], "--minimize needs --merge"),
                           (["--time"], "option '--time' needs a value"),
                           (["--time=abc"], "--time and --workers take a whole number"),
                           (["--engine=x"], "--engine: expected libfuzzer or afl, got 'x'")):
            rc, err = run_fuzz(*args)
            self.assertEqual(rc, 3, args)
            self.assertIn(text, err)

    def test_an_unwritable_report_fails_before_the_campaign(self):
        rc, err = run_fuzz("--target=calls", "--report=/nonexistent-dir/r.xml")
        self.assertEqual(rc, 4)
        self.assertIn("cannot write /nonexistent-dir/r.xml", err)

    def test_help_says_merging_is_asked_for(self):
        p = subprocess.run(["bash", os.path.join(ROOT, "scripts", "fuzz"), "--help"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0)
        self.assertIn("The source tree is left alone\nunless asked:\n--merge:", p.stdout)


if __name__ == "__main__":
    unittest.main()
