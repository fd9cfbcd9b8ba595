#!/usr/bin/env python3
"""mutate.py - a time-boxed mutation run over model/src (scripts/mutate runs it).

    mutate.py [--seed N] [--time SECONDS] [--max N] [--files GLOB] [--list]

Copies the tree into a scratch folder (build/mutate/src), builds it once (Debug,
no sanitizers), then, until the time or the count is used up, applies one random
source mutant at a time to a model/src file of the copy - a flipped comparison,
an integer constant +1 or -1, a deleted statement, a swapped SDEI error code -
rebuilds and runs the unit tests (ctest -L unit; --label to choose). A mutant is killed when a test
fails (or times out), survives when they all pass, and is not viable when the
copy does not build. Prints the score (killed / viable) and every survivor with
file:line and the change. The same --seed (printed) gives the same mutants in
the same order. Never touches the source tree. Exit codes: 0 the run finished
(whatever the score), 3 bad argument, 4 I/O or the unmutated copy fails.
"""

import argparse
import fnmatch
import os
import random
import re
import shutil
import subprocess
import sys
import time

# Comparison flips: each operator and what it becomes.
FLIPS = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_CMP = re.compile(r"(?<![<>=!-])(==|!=|<=|>=|<|>)(?![<>=])")
_INT = re.compile(r"(?<![\w.])(\d+)(u|U|ul|UL|ull|ULL)?(?![\w.])")
# Guest-visible result codes and kernel errnos, swapped within their family.
CODES = [
    ["SDEI_DENIED", "SDEI_INVALID_PARAMETERS", "SDEI_PENDING", "SDEI_NOT_SUPPORTED",
     "SDEI_OUT_OF_RESOURCE"],
    ["SDEI_EINVAL", "SDEI_ENOENT", "SDEI_EEXIST", "SDEI_EPERM", "SDEI_ERANGE", "SDEI_EFAULT"],
]
_CODE = re.compile(r"\b(" + "|".join(c for fam in CODES for c in fam) + r")\b")
# A statement worth deleting: an assignment, a call or ++/--, alone on its line.
_STMT = re.compile(r"^\s*(?!return\b|break\b|continue\b|goto\b|case\b|default\b)"
                   r"[A-Za-z_][\w.\[\]>-]*(\s*(\+\+|--|[-+*/|&^]?=[^=])|\s*\().*;\s*$")
_DECL = re.compile(r"^\s*(const\s+|static\s+|unsigned\s+|struct\s+)*"
                   r"(u?int\d+_t|int|char|size_t|sdei_\w+|bool|void|uint\w*)\s+\**\w+")


def skip_line(line):
    """Lines no mutant touches: preprocessor, comments, assertions."""
    s = line.strip()
    return (not s or s.startswith(("#", "/*", "*", "//")) or "SDEI_ASSERT" in s
            or "SDEI_UNREACHABLE_BRANCH" in s or "_Static_assert" in s)


def code_part(line):
    """The line without a trailing comment or string literals (blanked, same length)."""
    out = re.sub(r'"(\\.|[^"\\])*"', lambda m: " " * len(m.group(0)), line)
    for marker in ("/*", "//"):
        i = out.find(marker)
        if i >= 0:
            out = out[:i] + " " * (len(out) - i)
    return out


def mutants_of(path, lines):
    """Every mutant of one file: (path, line index, kind, old line, new line)."""
    out = []
    for i, line in enumerate(lines):
        if skip_line(line):
            continue
        code = code_part(line)
        for m in _CMP.finditer(code):
            op = m.group(1)
            new = line[:m.start()] + FLIPS[op] + line[m.end():]
            out.append((path, i, "flip %s" % op, line, new))
        for m in _INT.finditer(code):
            v = int(m.group(1))
            for d in (1, -1):
                if v + d < 0:
                    continue
                new = line[:m.start(1)] + str(v + d) + line[m.end(1):]
                out.append((path, i, "constant %d%+d" % (v, d), line, new))
        for m in _CODE.finditer(code):
            fam = next(f for f in CODES if m.group(1) in f)
            other = fam[(fam.index(m.group(1)) + 1) % len(fam)]
            new = line[:m.start()] + other + line[m.end():]
            out.append((path, i, "code %s->%s" % (m.group(1), other), line, new))
        if _STMT.match(code) and not _DECL.match(code):
            indent = line[:len(line) - len(line.lstrip())]
            out.append((path, i, "delete statement", line, indent + ";\n"))
    return out


def all_mutants(src_root, pattern):
    """Mutants of model/src files matching pattern, in a stable order."""
    out = []
    folder = os.path.join(src_root, "model", "src")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".c") or not fnmatch.fnmatch(name, pattern):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            lines = fh.readlines()
        out.extend(mutants_of(os.path.join("model", "src", name), lines))
    return out


def ordered(mutants, seed):
    """The mutants in the run's order: a shuffle that depends on the seed only."""
    out = list(mutants)
    random.Random(seed).shuffle(out)
    return out


def describe(m):
    """One line: file:line: kind: the changed line (the removed one for a deletion)."""
    path, i, kind, old, new = m
    return "%s:%d: %s: %s" % (path, i + 1, kind, (old if kind == "delete statement" else new)
                              .strip())


def sh(cmd, cwd, timeout):
    """Return code of cmd (124 on timeout), output discarded."""
    try:
        return subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return 124


def copy_tree(root, dst):
    """The tracked and untracked (not ignored) files of the tree, into dst."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root,
                           check=True, capture_output=True).stdout.decode().split("\0")
    shutil.rmtree(dst, ignore_errors=True)
    for f in filter(None, files):
        src = os.path.join(root, f)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
            shutil.copy2(src, os.path.join(dst, f))


class Runner:
    """Builds the scratch copy and runs its unit tests."""

    def __init__(self, src, build, jobs, label):
        self.src, self.build, self.jobs, self.label = src, build, jobs, label

    def configure(self):
        return sh(["cmake", "-S", self.src, "-B", self.build, "-DCMAKE_BUILD_TYPE=Debug",
                   "-DSDEI_WERROR=OFF"], self.src, 600) == 0

    def build_ok(self):
        return sh(["cmake", "--build", self.build, "-j", str(self.jobs)], self.src, 900) == 0

    def tests_pass(self, timeout):
        env_cmd = ["ctest", "--test-dir", self.build, "-L", self.label, "-j", str(self.jobs),
                   "--stop-on-failure", "--timeout", str(timeout)]
        return sh(env_cmd, self.src, timeout * 4) == 0


def run(args, root):
    work = os.path.join(root, "build", "mutate")
    src, build = os.path.join(work, "src"), os.path.join(work, "build")
    print("mutate: seed %d (repeat with --seed %d), time box %ds" % (args.seed, args.seed,
                                                                       args.time), flush=True)
    copy_tree(root, src)
    mutants = ordered(all_mutants(src, args.files), args.seed)
    if args.list:
        for m in mutants[:args.max]:
            print(describe(m))
        return 0
    r = Runner(src, build, args.jobs, args.label)
    t0 = time.monotonic()
    if not r.configure() or not r.build_ok() or not r.tests_pass(args.test_timeout):
        print("mutate: the unmutated copy does not build or pass its unit tests (%s)" % build,
              file=sys.stderr)
        return 4
    base = time.monotonic() - t0
    print("mutate: %d candidate mutants in model/src; baseline build+tests %.0fs"
          % (len(mutants), base), flush=True)
    killed, survived, unviable = [], [], []
    for path, i, kind, old, new in mutants[:args.max]:
        if time.monotonic() - t0 > args.time:
            break
        full = os.path.join(src, path)
        with open(full, encoding="utf-8") as fh:
            lines = fh.readlines()
        lines[i] = new
        with open(full, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        try:
            if not r.build_ok():
                verdict, into = "not viable", unviable
            elif r.tests_pass(args.test_timeout):
                verdict, into = "SURVIVED", survived
            else:
                verdict, into = "killed", killed
        finally:
            lines[i] = old
            with open(full, "w", encoding="utf-8") as fh:
                fh.writelines(lines)
        into.append((path, i, kind, old, new))
        print("  %-10s %s" % (verdict, describe((path, i, kind, old, new))), flush=True)
    viable = len(killed) + len(survived)
    score = 100.0 * len(killed) / viable if viable else 0.0
    print("mutate: seed %d: %d mutants tried in %.0fs: %d killed, %d survived, %d not viable; "
          "score %.1f %%" % (args.seed, viable + len(unviable), time.monotonic() - t0,
                             len(killed), len(survived), len(unviable), score))
    for path, i, kind, old, new in survived:
        print("survivor %s:%d: %s\n   - %s\n   + %s" % (path, i + 1, kind, old.strip(),
                                                      new.strip()))
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=lambda s: int(s, 0), default=None,
                    help="mutant order (default: drawn and printed)")
    ap.add_argument("--time", type=int, default=900, help="time box in seconds (900)")
    ap.add_argument("--max", type=int, default=1000000, help="at most this many mutants")
    ap.add_argument("--files", default="*.c", help="model/src files to mutate (glob)")
    ap.add_argument("--jobs", type=int, default=2, help="build and test jobs (2)")
    ap.add_argument("--test-timeout", type=int, default=120, help="seconds per test (120)")
    ap.add_argument("--label", default="unit",
                    help="ctest label regex of the tests that judge a mutant (unit; 'unit|trace' "
                    "adds the golden traces)")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 3
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 32)
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    try:
        return run(args, root)
    except (OSError, subprocess.CalledProcessError) as e:
        print("mutate: %s" % e, file=sys.stderr)
        return 4


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
