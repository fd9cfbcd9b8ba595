#!/usr/bin/env python3
"""bench_report.py - the table, JSON and plot of scripts/bench.

    bench_report.py --out DIR [--json] [--plot] FILE...

Each FILE is the stdout of one bench_* program (build/bench/<program>.txt). Its
BENCH lines are figures (name, value, unit, baseline, ratio; docs/benchmarks.md)
and its DATA lines are series (bench_scaling: ns per call against vCPUs and
events). Writes DIR/results.json; prints the table (or, with --json, the JSON);
with --plot draws DIR/cost.svg with matplotlib (Debian: python3-matplotlib).
Figures are printed, never failed on: the exit code is 0 unless an argument or
a file is wrong (3: bad input, 4: I/O), as the project's tools do.
"""

import argparse
import json
import os
import re
import sys

# Goals of the issues (docs/benchmarks.md). A BENCH line may also carry its own
# goal=">=X" or goal="<=X" (on its value) or ratio_goal="<=X" (on its ratio);
# both apply.
GOALS = {
    "hypercall_mixed": (">=", 50e6, "value"),
    "hypercall_mixed_ns": ("<=", 20.0, "value"),
    "hypercall_mixed_ns#ratio": ("<=", 3.0, "ratio"),
    "delivery_signal": (">=", 10e6, "value"),
    "delivery_trigger": (">=", 10e6, "value"),
    "delivery_preempt": (">=", 10e6, "value"),
}

_FIELD = re.compile(r'(\w+)=("([^"]*)"|\S+)')
_GOAL = re.compile(r"(>=|<=)\s*([0-9.eE+-]+)$")


def parse_fields(text):
    """key=value pairs of one line; a value may be "quoted"."""
    out = {}
    for m in _FIELD.finditer(text):
        out[m.group(1)] = m.group(3) if m.group(3) is not None else m.group(2)
    return out


def num(s):
    """The number s holds, or None."""
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def read_outputs(paths):
    """(bench, data): the BENCH and DATA lines of every file, each with its program."""
    bench, data = [], []
    for path in paths:
        prog = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                for prefix, into in (("BENCH ", bench), ("DATA ", data)):
                    if line.startswith(prefix):
                        d = parse_fields(line[len(prefix):])
                        d["program"] = prog
                        into.append(d)
    return bench, data


def goals_of(b):
    """[(op, limit, 'value'|'ratio')] that apply to figure b."""
    name = b.get("name", "")
    out = [g for key, g in GOALS.items() if key.split("#")[0] == name]
    for key, what in (("goal", "value"), ("ratio_goal", "ratio")):
        m = _GOAL.match(b.get(key) or "")
        if m:
            out.append((m.group(1), float(m.group(2)), what))
    return out


def evaluate(bench):
    """Adds b['goals'] = [{on, op, limit, met}] to every figure; returns bench."""
    for b in bench:
        checks = []
        for op, lim, what in goals_of(b):
            x = num(b.get(what))
            met = x is not None and (x >= lim if op == ">=" else x <= lim)
            checks.append({"on": what, "op": op, "limit": lim, "met": met})
        b["goals"] = checks
    return bench


def fmt(v):
    """A figure in 3-4 significant characters: 51.00M, 12.3k, 950, 0.39."""
    if v is None:
        return "-"
    a = abs(v)
    for lim, div, suffix, pat in ((1e9, 1e9, "G", "%.2f"), (1e6, 1e6, "M", "%.2f"),
                                  (1e4, 1e3, "k", "%.1f")):
        if a >= lim:
            return (pat % (v / div)) + suffix
    return "%.0f" % v if a >= 100 else "%.3g" % v


def table(rows):
    """The text table of the figures, with a closing count of goals."""
    hdr = ("benchmark", "value", "unit", "baseline", "ratio", "goal")
    lines = []
    for b in rows:
        goals = ["%s%s%s %s" % ("" if c["on"] == "value" else "ratio", c["op"], fmt(c["limit"]),
                                "ok" if c["met"] else "MISSED") for c in b["goals"]]
        lines.append((b.get("name", "?"), fmt(num(b.get("value"))), b.get("unit", ""),
                      fmt(num(b.get("baseline"))), fmt(num(b.get("ratio"))), "; ".join(goals)))
    w = [max(len(r[i]) for r in lines + [hdr]) for i in range(len(hdr))]
    head = "  ".join(h.ljust(w[i]) for i, h in enumerate(hdr))
    out = [head, "-" * len(head)]
    for r in lines:
        out.append("  ".join(c.rjust(w[i]) if i in (1, 3, 4) else c.ljust(w[i])
                             for i, c in enumerate(r)).rstrip())
    missed = sum(1 for b in rows for c in b["goals"] if not c["met"])
    ngoals = sum(len(b["goals"]) for b in rows)
    out.append("-" * len(head))
    out.append("%d figures, %d goals, %d missed (figures are printed, never failed on)"
               % (len(rows), ngoals, missed))
    return "\n".join(out)


def scaling_panels(data):
    """The plot's three panels from bench_scaling's DATA lines, or [] without any:
    [(title, xlabel, [(label, [(x, ns or None)])])]."""
    pts = [d for d in data if d.get("bench") == "scaling"]
    if not pts:
        return []
    kinds = list(dict.fromkeys(d["kind"] for d in pts))
    vcpus = sorted({int(d["vcpus"]) for d in pts})
    events = sorted({int(d["events"]) for d in pts})
    cost = {(d["kind"], int(d["vcpus"]), int(d["events"])): float(d["ns"]) for d in pts}
    maxv, maxe = vcpus[-1], events[-1]
    return [
        ("cost per call vs vCPUs (%d events)" % maxe, "vCPUs",
         [(k, [(x, cost.get((k, x, maxe))) for x in vcpus]) for k in kinds]),
        ("cost per call vs events (%d vCPUs)" % maxv, "events",
         [(k, [(x, cost.get((k, maxv, x))) for x in events]) for k in kinds]),
        ("mixed stream vs vCPUs, one line per event count", "vCPUs",
         [("%d ev" % e, [(x, cost.get(("mixed", x, e))) for x in vcpus]) for e in events]),
    ]


def plot(panels, path):
    """Draws the panels into path (SVG) with matplotlib."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
    for ax, (title, xlabel, series) in zip(axes[0], panels):
        ticks = sorted({x for _, pts in series for x, _ in pts})
        for label, pts in series:
            xs = [x for x, y in pts if y is not None]
            ys = [y for _, y in pts if y is not None]
            ax.plot(xs, ys, marker="o", markersize=3, label=label)
        ax.set_xscale("log", base=2)
        ax.set_xticks(ticks, [str(x) for x in ticks])
        ax.minorticks_off()
        ax.set_ylim(bottom=0)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel + " (log scale)")
        ax.set_ylabel("ns per call")
        ax.grid(True, color="#ddd")
        ax.legend(fontsize=7)
    fig.suptitle("sdei-sim: model cost per call (ns, release build, one core) against VM size")
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="folder for results.json and cost.svg")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    ap.add_argument("--plot", action="store_true", help="draw cost.svg (bench_scaling data)")
    ap.add_argument("files", nargs="+", help="bench_* outputs")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 3
    note = sys.stderr if args.json else sys.stdout
    try:
        bench, data = read_outputs(args.files)
    except OSError as e:
        print("bench_report: %s: %s" % (e.filename, e.strerror), file=sys.stderr)
        return 4
    results = {"bench": evaluate(bench), "data": data}
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=1)
    if args.json:
        json.dump(results, sys.stdout, indent=1)
        print()
    else:
        print(table(results["bench"]))
    if args.plot:
        panels = scaling_panels(data)
        if not panels:
            print("bench_report: no scaling data (bench_scaling): no plot", file=sys.stderr)
        else:
            path = os.path.join(args.out, "cost.svg")
            plot(panels, path)
            print("bench_report: wrote %s" % path, file=note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
