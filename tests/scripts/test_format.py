"""Tests of scripts/format (clang-format-14 and .clang-format; docs/testing.md, "Formatting").

Run by ctest (scripts_format): python3 -m unittest, with the repository root in SDEI_ROOT.
Skipped where clang-format-14 is not installed (scripts/lib.sh installs it).
"""
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.environ.get("SDEI_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
FORMAT = os.path.join(ROOT, "scripts", "format")
HAVE = shutil.which("clang-format-14") is not None

GOOD = "int f(int x)\n{\n    if (x) {\n        return 1;\n    }\n    return 0;\n}\n"
BAD = "int f(int x) {\n  if (x) {\n    return 1;\n  }\n  return   0;\n}\n"


def run(*args, cwd=None):
    p = subprocess.run(["bash", FORMAT, *args], capture_output=True, text=True, cwd=cwd,
                       stdin=subprocess.DEVNULL, timeout=120)
    return p.returncode, p.stdout, p.stderr


@unittest.skipUnless(HAVE, "clang-format-14 is not installed")
class FormatTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        shutil.copy(os.path.join(ROOT, ".clang-format"), self.dir)
        for name, text in (("good.c", GOOD), ("bad.c", BAD)):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(text)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()

    def test_check_passes_a_formatted_file(self):
        rc, out, _ = run("--check", "good.c", cwd=self.dir)
        self.assertEqual(rc, 0)
        self.assertIn("1 file(s) formatted as .clang-format says", out)

    def test_check_lists_what_differs_exits_7_and_changes_nothing(self):
        rc, out, _ = run("--check", "good.c", "bad.c", cwd=self.dir)
        self.assertEqual(rc, 7)
        self.assertIn("bad.c: ", out)
        self.assertNotIn("good.c: ", out)
        self.assertIn("1 of 2 file(s) differ", out)
        self.assertEqual(self.read("bad.c"), BAD)

    def test_without_check_it_formats_in_place(self):
        rc, _, _ = run("bad.c", cwd=self.dir)
        self.assertEqual(rc, 0)
        self.assertEqual(self.read("bad.c"), GOOD)
        self.assertEqual(run("--check", "bad.c", cwd=self.dir)[0], 0)

    def test_usage_errors(self):
        rc, _, err = run("--frob", cwd=self.dir)
        self.assertEqual(rc, 3)
        self.assertIn("unknown option '--frob'", err)
        rc, _, err = run("--check", "missing.c", cwd=self.dir)
        self.assertEqual(rc, 3)
        self.assertIn("missing.c: no such file", err)


class FormatConfigTest(unittest.TestCase):
    def test_the_file_list_leaves_out_the_ignored_files(self):
        rc, out, _ = run("--list")
        self.assertEqual(rc, 0)
        files = out.split()
        self.assertIn("cli/report.c", files)
        self.assertIn("targets/kernel/glue_v5.c", files)
        self.assertNotIn("tests/data/kernel_blobs.h", files)  # generated
        self.assertNotIn("model/src/table.c", files)  # laid out by hand

    @unittest.skipUnless(HAVE, "clang-format-14 is not installed")
    def test_the_kernel_stand_ins_keep_their_include_order(self):
        def sort_includes(path):
            p = subprocess.run(["clang-format-14", "--style=file", "--dump-config",
                                "--assume-filename=" + os.path.join(ROOT, path)],
                               capture_output=True, text=True, check=True)
            line = [x for x in p.stdout.splitlines() if x.startswith("SortIncludes:")][0]
            return line.split(":", 1)[1].strip()

        self.assertEqual(sort_includes("targets/kernel/glue_v5.c"), "Never")
        self.assertEqual(sort_includes("targets/kernel/include/linux/list.h"), "Never")
        self.assertEqual(sort_includes("cli/report.c"), "CaseSensitive")

    @unittest.skipUnless(HAVE, "clang-format-14 is not installed")
    def test_the_kernel_iteration_macros_are_loops(self):
        loop = "void f(void)\n{\n    list_for_each_entry(e, &k->x, link) {\n        g(e);\n    }\n}\n"
        p = subprocess.run(["clang-format-14", "--style=file",
                            "--assume-filename=" + os.path.join(ROOT, "targets/kernel/x.c")],
                           input=loop, capture_output=True, text=True, check=True)
        self.assertEqual(p.stdout, loop)


if __name__ == "__main__":
    unittest.main()
