"""Tests of scripts/bench_report.py on canned bench outputs (tests/data/bench/).

Run by ctest (scripts_bench_report): python3 -m unittest, with the repository
root in SDEI_ROOT. The plot test needs matplotlib and is skipped without it.
"""
import importlib.util
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

ROOT = os.environ.get("SDEI_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import bench_report  # noqa: E402 (the path above first)

DATA = os.path.join(ROOT, "tests", "data", "bench")
FILES = [os.path.join(DATA, f) for f in ("bench_hypercall.txt", "bench_scaling.txt")]


def run(*args):
    """(exit code, stdout) of bench_report's main."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = bench_report.main(list(args))
    return rc, buf.getvalue()


class BenchReportTest(unittest.TestCase):
    def test_fields_keep_quoted_values_whole(self):
        d = bench_report.parse_fields('name=x value=1.5 desc="two words" goal="<=3"')
        self.assertEqual(d, {"name": "x", "value": "1.5", "desc": "two words", "goal": "<=3"})

    def test_goals_of_the_table_and_of_the_line_are_checked(self):
        bench, data = bench_report.read_outputs(FILES)
        self.assertEqual(len(bench), 4)
        self.assertEqual(len(data), 12)
        by = {b["name"]: b for b in bench_report.evaluate(bench)}
        self.assertEqual([g["met"] for g in by["hypercall_mixed"]["goals"]], [True])
        # value <= 20 met, ratio <= 3 met
        self.assertEqual([g["met"] for g in by["hypercall_mixed_ns"]["goals"]], [True, True])
        self.assertEqual([g["met"] for g in by["delivery_signal"]["goals"]], [False])
        own = by["custom_goal"]["goals"]
        self.assertEqual([(g["on"], g["met"]) for g in own], [("value", False), ("ratio", True)])

    def test_figures_are_short(self):
        self.assertEqual(bench_report.fmt(5.1e7), "51.00M")
        self.assertEqual(bench_report.fmt(12345), "12.3k")
        self.assertEqual(bench_report.fmt(950), "950")
        self.assertEqual(bench_report.fmt(0.39), "0.39")
        self.assertEqual(bench_report.fmt(None), "-")

    def test_table_counts_goals_and_misses_and_results_json_is_written(self):
        with tempfile.TemporaryDirectory() as out:
            rc, text = run("--out", out, *FILES)
            self.assertEqual(rc, 0)
            self.assertIn("delivery_signal", text)
            self.assertIn(">=10.00M MISSED", text)
            self.assertIn("4 figures, 6 goals, 2 missed", text)
            with open(os.path.join(out, "results.json"), encoding="utf-8") as fh:
                res = json.load(fh)
            self.assertEqual(len(res["bench"]), 4)
            self.assertEqual(res["data"][0]["kind"], "mixed")

    def test_json_mode_prints_the_results(self):
        with tempfile.TemporaryDirectory() as out:
            rc, text = run("--out", out, "--json", *FILES)
            self.assertEqual(rc, 0)
            self.assertEqual(json.loads(text)["bench"][0]["name"], "hypercall_mixed")

    def test_a_missing_file_is_an_io_error(self):
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(run("--out", out, os.path.join(out, "nope.txt"))[0], 4)

    def test_scaling_panels_follow_the_data(self):
        _, data = bench_report.read_outputs(FILES)
        panels = bench_report.scaling_panels(data)
        self.assertEqual(len(panels), 3)
        title, xlabel, series = panels[0]
        self.assertEqual(xlabel, "vCPUs")
        self.assertEqual([s[0] for s in series], ["mixed", "signal"])
        self.assertEqual(series[0][1], [(1, 22.5), (8, 29.5), (64, 85.5)])
        self.assertEqual(bench_report.scaling_panels([]), [])

    def test_plot_writes_an_svg(self):
        if importlib.util.find_spec("matplotlib") is None:
            self.skipTest("matplotlib not installed (python3-matplotlib)")
        with tempfile.TemporaryDirectory() as out:
            rc, text = run("--out", out, "--plot", *FILES)
            self.assertEqual(rc, 0)
            with open(os.path.join(out, "cost.svg"), encoding="utf-8") as fh:
                svg = fh.read()
            self.assertIn("<svg", svg)
            self.assertIn("wrote", text)


if __name__ == "__main__":
    unittest.main()
