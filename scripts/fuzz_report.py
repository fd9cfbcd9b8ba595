#!/usr/bin/env python3
"""The JUnit XML report of a fuzz campaign (scripts/fuzz --report=FILE).

scripts/fuzz writes one line per target on stdin, tab-separated:
    target engine seconds workers execs exec_per_sec cov ft findings verdict passed
(passed: 1 or 0; cov and ft are '-' when unknown). This writes one testcase per
target, failed when `passed` is 0, with the figures as testcase properties and
the verdict as its message; the XML goes through xml.etree (escaping included).

    fuzz_report.py OUT.xml < rows
Exit status: 0, 3 on a malformed row (the line number and what was expected),
4 when OUT.xml cannot be written.
"""
import sys
import xml.etree.ElementTree as ET

FIELDS = ("target", "engine", "seconds", "workers", "execs", "exec_per_sec", "cov", "ft",
          "findings", "verdict", "passed")
NUMERIC = ("seconds", "workers", "execs", "exec_per_sec", "findings")


def parse_rows(lines):
    """The rows as dicts; ValueError('line N: ...') for a malformed one."""
    rows = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) != len(FIELDS):
            raise ValueError(f"line {n}: expected {len(FIELDS)} tab-separated fields "
                             f"({' '.join(FIELDS)}), got {len(cols)}")
        row = dict(zip(FIELDS, cols))
        for f in NUMERIC:
            try:
                float(row[f])
            except ValueError:
                raise ValueError(f"line {n}: {f}: expected a number, got '{row[f]}'") from None
        if row["passed"] not in ("0", "1"):
            raise ValueError(f"line {n}: passed: expected 0 or 1, got '{row['passed']}'")
        rows.append(row)
    return rows


def junit(rows):
    """The <testsuites> element: one testsuite 'scripts/fuzz', one testcase per row."""
    failures = sum(r["passed"] == "0" for r in rows)
    total = sum(float(r["seconds"]) for r in rows)
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name="scripts/fuzz", tests=str(len(rows)),
                          failures=str(failures), errors="0", skipped="0", time=f"{total:.3f}")
    for r in rows:
        case = ET.SubElement(suite, "testcase", classname=f"scripts/fuzz.{r['engine']}",
                             name=r["target"], time=r["seconds"])
        props = ET.SubElement(case, "properties")
        for f in ("execs", "exec_per_sec", "cov", "ft", "findings", "workers"):
            ET.SubElement(props, "property", name=f, value=r[f])
        summary = (f"{r['target']}: {r['execs']} runs, {r['exec_per_sec']} exec/s, "
                   f"cov {r['cov']}, ft {r['ft']}, {r['findings']} finding(s): {r['verdict']}")
        if r["passed"] == "0":
            fail = ET.SubElement(case, "failure", type="fuzz", message=r["verdict"])
            fail.text = summary + "\nthe findings and their REPLAY lines: fuzz-out/findings/" \
                + r["target"] + "/"
        ET.SubElement(case, "system-out").text = summary
    return root


def main(argv):
    if len(argv) != 1:
        print("usage: fuzz_report.py OUT.xml < rows", file=sys.stderr)
        return 3
    try:
        rows = parse_rows(sys.stdin)
    except ValueError as e:
        print(f"fuzz_report.py: stdin: {e}", file=sys.stderr)
        return 3
    tree = ET.ElementTree(junit(rows))
    ET.indent(tree)
    try:
        tree.write(argv[0], encoding="UTF-8", xml_declaration=True)
    except OSError as e:
        print(f"fuzz_report.py: cannot write {argv[0]}: {e.strerror}", file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
