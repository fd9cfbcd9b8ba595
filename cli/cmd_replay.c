/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_replay.c - `sdei-sim replay`: re-execute trace files (driver/replay.c)
 * one after the other, whatever the earlier ones gave, and end with a
 * per-file summary; the exit code is the highest of the files'.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

enum {
    OPT_QUIET = 1,
    OPT_STATS,
    OPT_STRICT,
    OPT_TARGET,
    OPT_TRACE_OUT,
    OPT_FINDINGS,
    OPT_EXPLAIN,
    OPT_REPORT
};

static const struct option replay_options[] = {
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"stats", no_argument, NULL, OPT_STATS},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"target", required_argument, NULL, OPT_TARGET},
    {"trace-out", required_argument, NULL, OPT_TRACE_OUT},
    {"findings", required_argument, NULL, OPT_FINDINGS},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"report", required_argument, NULL, OPT_REPORT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage_replay(void)
{
    puts("usage: sdei-sim replay [--quiet] [--stats] [--strict] [--explain] FILE...\n"
         "       sdei-sim replay [--target=NAME] [--trace-out=FILE] [--report=FILE] FILE...\n"
         "Replays each trace (docs/trace-format.md; '-' is stdin) and compares every\n"
         "result, check and blob. A divergence is reported with the line number, the\n"
         "expected and actual values, a field-by-field blob diff and a state dump; the\n"
         "next file is replayed all the same, and a summary of every file ends the run.\n"
         "\nOptions:\n"
         "  --strict    every action needs its result line ('< ...'; setreg has none)\n"
         "  --stats     print replayed lines per second, per file\n"
         "  --target=NAME  the implementation: model (default), kvm (the running\n"
         "              kernel's KVM through /dev/kvm, aarch64 Linux builds only;\n"
         "              docs/kvm-target.md)\n"
         "              kernel (a build with -DSDEI_KERNEL_TREE: the tree's sdei.c;\n"
         "              docs/kernel-target.md)\n"
         "  --trace-out=FILE  record what the implementation did: every action with\n"
         "              its actual result, the files one after the other\n"
         "  --findings=stop|report  kernel target: stop at the first finding (default,\n"
         "              exit 6), or report each once and go on (hangs, oopses and lock\n"
         "              errors still stop)\n"
         "  --explain   for a file that diverges: replay it on the model once per quirk,\n"
         "              that quirk switched relative to its header, and name each quirk\n"
         "              with which it passes, or say 'unexplained'\n"
         "  --report=FILE  also write a JUnit XML report for CI systems: one testcase\n"
         "              per trace file; a failure carries FILE:LINE, the expected and\n"
         "              actual values and the whole diagnostic\n"
         "  --quiet     no 'ok' lines and no summary (failures are still reported)\n"
         "  -h, --help  this text\n"
         "\n'ok' lines and the summary go to stdout, diagnostics to stderr.\n"
         "Exit status: the highest of the files': 0 ok, 1 divergence, 3 bad input\n"
         "(including an action without its result under --strict), 4 I/O error,\n"
         "6 finding (the implementation under test itself failed); --target=kvm:\n"
         "8 no /dev/kvm, 9 no permission on it, 10 not an arm64 KVM or no kvm target.");
}

static const char *outcome(int rc)
{
    switch (rc) {
    case SIM_EXIT_OK:
        return "ok";
    case SIM_EXIT_DIVERGENCE:
        return "divergence";
    case SIM_EXIT_BAD_INPUT:
        return "bad input";
    case SIM_EXIT_IO:
        return "I/O error";
    case SIM_EXIT_FINDING:
        return "finding";
    default:
        return "failed";
    }
}

/* What cmd_replay's options say. */
typedef struct replay_opts {
    int quiet, stats, explain, flags;
    const char *target, *rec_path, *report_path;
} replay_opts;

/* Replays one file; prints its "ok" line and --stats on stdout, and adds its
 * testcase to the report (when there is one). */
static int replay_one(const sim_impl_ops *impl, const char *path, const replay_opts *o, FILE *rec,
                      cli_report *report)
{
    sim_replay_stats st;
    cli_diag d;
    if (cli_diag_begin(&d, report != NULL, stderr) != 0) {
        fprintf(stderr, "sdei-sim: replay: out of memory\n");
        return SIM_EXIT_IO;
    }
    double t0 = cli_now_s();
    int rc = sim_replay_file_record(impl, path, d.f, o->flags | SIM_REPLAY_QUIET, rec, &st);
    double dt = cli_now_s() - t0;
    char *diag = cli_diag_take(&d);
    if (report != NULL && diag != NULL) {
        char msg[512];
        cli_diag_summary(diag, msg, sizeof(msg));
        cli_report_case(report, path, dt, rc == SIM_EXIT_OK ? NULL : outcome(rc), msg, diag);
    }
    free(diag);
    if (rc == SIM_EXIT_OK && !o->quiet) {
        printf("%s: ok (%" PRIu64 " lines, %" PRIu64 " actions, %" PRIu64 " results, %" PRIu64
               " checks)\n",
               path, st.lines, st.actions, st.results, st.checks);
    }
    if (o->stats) {
        printf("%s: %" PRIu64 " lines in %.3f s (%.0f lines/s)\n", path, st.lines, dt,
               dt > 0 ? (double)st.lines / dt : 0.0);
    }
    return rc;
}

/* The options into *o: -1 to go on, else the exit code (--help: 0). */
static int parse_replay(int argc, char **argv, replay_opts *o)
{
    int c, rc = -1;
    while (rc < 0 && (c = cli_getopt(argc, argv, replay_options, "replay", &rc)) != -1) {
        if (c == 'h') {
            usage_replay();
            return SIM_EXIT_OK;
        }
        o->quiet |= c == OPT_QUIET;
        o->stats |= c == OPT_STATS;
        o->explain |= c == OPT_EXPLAIN;
        o->flags |= c == OPT_STRICT ? SIM_REPLAY_STRICT : 0;
        o->target = c == OPT_TARGET ? optarg : o->target;
        o->rec_path = c == OPT_TRACE_OUT ? optarg : o->rec_path;
        o->report_path = c == OPT_REPORT ? optarg : o->report_path;
        if (c == OPT_FINDINGS && cli_findings_policy(optarg) != 0) {
            return cli_usage_error("replay", "replay: --findings=%s: expected stop or report",
                                   optarg);
        }
    }
    if (rc < 0 && optind >= argc) {
        return cli_usage_error("replay", "replay: expected at least one FILE");
    }
    return rc;
}

/* Every file in turn, then the summary; the highest exit code. */
static int replay_all(const sim_impl_ops *impl, char **files, int nfiles, const replay_opts *o,
                      FILE *rec, cli_report *report)
{
    int *rcs = calloc((size_t)nfiles, sizeof(*rcs));
    if (rcs == NULL) {
        fprintf(stderr, "sdei-sim: replay: out of memory\n");
        return SIM_EXIT_IO;
    }
    int worst = SIM_EXIT_OK, failed = 0;
    for (int i = 0; i < nfiles; i++) {
        rcs[i] = replay_one(impl, files[i], o, rec, report);
        if (o->explain && rcs[i] == SIM_EXIT_DIVERGENCE) {
            (void)sim_replay_explain(files[i], stderr);
        }
        worst = rcs[i] > worst ? rcs[i] : worst;
        failed += rcs[i] != SIM_EXIT_OK;
    }
    if (!o->quiet && nfiles > 1) {
        printf("== replay summary: %d file(s), %d ok, %d failed\n", nfiles, nfiles - failed,
               failed);
        for (int i = 0; i < nfiles; i++) {
            printf("%s: %s (exit %d)\n", files[i], outcome(rcs[i]), rcs[i]);
        }
    }
    free(rcs);
    return worst;
}

static int max_rc(int a, int b)
{
    return a > b ? a : b;
}

int cmd_replay(int argc, char **argv)
{
    replay_opts o = {.target = "model"};
    int rc = parse_replay(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    const sim_impl_ops *impl;
    int pe = cli_pick_target("replay", o.target, &impl);
    if (pe != 0) {
        return pe;
    }
    FILE *rec = NULL;
    if (o.rec_path != NULL && (rec = fopen(o.rec_path, "w")) == NULL) {
        fprintf(stderr, "sdei-sim: cannot write %s: %s\n", o.rec_path, strerror(errno));
        return SIM_EXIT_IO;
    }
    cli_report *report = NULL;
    if (o.report_path != NULL &&
        (report = cli_report_open(o.report_path, "sdei-sim replay")) == NULL) {
        if (rec != NULL) {
            fclose(rec);
        }
        return SIM_EXIT_IO;
    }
    int worst = replay_all(impl, argv + optind, argc - optind, &o, rec, report);
    if (report != NULL) {
        worst = max_rc(worst, cli_report_close(report));
    }
    if (rec != NULL && fclose(rec) != 0) {
        fprintf(stderr, "sdei-sim: cannot write %s\n", o.rec_path);
        worst = max_rc(worst, SIM_EXIT_IO);
    }
    return worst;
}
