"""Tests of scripts/mutate.py's mutant generator (no build: the operators and the order).

Run by ctest (scripts_mutate): the repository root in SDEI_ROOT.
"""
import os
import sys
import unittest

ROOT = os.environ.get("SDEI_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import mutate  # noqa: E402 (the path above first)

SRC = [
    "    if (a == b && c < 4u) {\n",
    "        x->count = 3;\n",
    "        return SDEI_DENIED;\n",
    "    /* a comment: a < b, 7 */\n",
    "    SDEI_ASSERT(n < 8);\n",
    "    p = \"<= 9\";\n",
    "    r = -SDEI_EINVAL; /* 2 == 2 */\n",
    "    uint32_t n = 0;\n",
]


def kinds(mutants):
    return [(m[1], m[2], m[4].strip()) for m in mutants]


class MutantsTest(unittest.TestCase):
    def setUp(self):
        self.m = mutate.mutants_of("model/src/x.c", SRC)

    def test_comparisons_flip(self):
        got = kinds(self.m)
        self.assertIn((0, "flip ==", "if (a != b && c < 4u) {"), got)
        self.assertIn((0, "flip <", "if (a == b && c >= 4u) {"), got)

    def test_constants_move_by_one(self):
        got = kinds(self.m)
        self.assertIn((0, "constant 4+1", "if (a == b && c < 5u) {"), got)
        self.assertIn((1, "constant 3-1", "x->count = 2;"), got)

    def test_error_codes_swap_within_their_family(self):
        got = kinds(self.m)
        self.assertIn((2, "code SDEI_DENIED->SDEI_INVALID_PARAMETERS",
                       "return SDEI_INVALID_PARAMETERS;"), got)
        self.assertIn((6, "code SDEI_EINVAL->SDEI_ENOENT", "r = -SDEI_ENOENT; /* 2 == 2 */"), got)

    def test_statements_are_deleted_but_not_returns_or_declarations(self):
        deleted = [m[1] for m in self.m if m[2] == "delete statement"]
        self.assertEqual(deleted, [1, 5, 6])

    def test_comments_strings_and_assertions_are_left_alone(self):
        lines = {m[1] for m in self.m}
        self.assertNotIn(3, lines)
        self.assertNotIn(4, lines)
        self.assertEqual([m[2] for m in self.m if m[1] == 5], ["delete statement"])
        self.assertEqual([m[2] for m in self.m if m[1] == 6 and m[2].startswith(("flip",
                                                                                   "constant"))],
                         [])

    def test_the_order_depends_on_the_seed_only(self):
        a = mutate.ordered(self.m, 42)
        self.assertEqual(a, mutate.ordered(self.m, 42))
        self.assertNotEqual(a, mutate.ordered(self.m, 43))
        self.assertEqual(sorted(a), sorted(self.m))

    def test_describe_names_file_line_and_change(self):
        d = [mutate.describe(m) for m in self.m if m[1] == 1 and m[2] == "delete statement"]
        self.assertEqual(d, ["model/src/x.c:2: delete statement: x->count = 3;"])

    def test_the_model_sources_give_mutants_of_every_kind(self):
        m = mutate.all_mutants(ROOT, "*.c")
        got = {k[2].split()[0] for k in m}
        self.assertEqual(got, {"flip", "constant", "code", "delete"})


if __name__ == "__main__":
    unittest.main()
