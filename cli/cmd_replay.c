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
#include <time.h>

#include "cli.h"
#include "kvm_target.h"

enum { OPT_QUIET = 1, OPT_STATS, OPT_STRICT, OPT_TARGET, OPT_TRACE_OUT, OPT_FINDINGS, OPT_EXPLAIN };

static const struct option replay_options[] = {
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"stats", no_argument, NULL, OPT_STATS},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"target", required_argument, NULL, OPT_TARGET},
    {"trace-out", required_argument, NULL, OPT_TRACE_OUT},
    {"findings", required_argument, NULL, OPT_FINDINGS},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage_replay(void)
{
    puts("usage: sdei-sim replay [--quiet] [--stats] [--strict] [--explain] FILE...\n"
         "       sdei-sim replay [--target=NAME] [--trace-out=FILE] FILE...\n"
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
         "  --quiet     no 'ok' lines and no summary (failures are still reported)\n"
         "  -h, --help  this text\n"
         "\n'ok' lines and the summary go to stdout, diagnostics to stderr.\n"
         "Exit status: the highest of the files': 0 ok, 1 divergence, 3 bad input\n"
         "(including an action without its result under --strict), 4 I/O error,\n"
         "6 finding (the implementation under test itself failed); --target=kvm:\n"
         "8 no /dev/kvm, 9 no permission on it, 10 not an arm64 KVM or no kvm target.");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *outcome(int rc)
{
    switch (rc) {
    case SIM_EXIT_OK: return "ok";
    case SIM_EXIT_DIVERGENCE: return "divergence";
    case SIM_EXIT_BAD_INPUT: return "bad input";
    case SIM_EXIT_IO: return "I/O error";
    case SIM_EXIT_FINDING: return "finding";
    default: return "failed";
    }
}

/* The implementation --target names, or an exit code (kvm: one line each
 * for no /dev/kvm, no permission, not arm64; docs/kvm-target.md). */
static int pick_target(const char *name, const sim_impl_ops **out)
{
    *out = sim_impl_by_name(name);
    if (strcmp(name, "kvm") == 0) {
#ifdef SIM_HAVE_KVM_TARGET
        char err[256];
        int e = sim_kvm_probe(err, sizeof(err));
        if (e != 0) {
            fprintf(stderr, "sdei-sim: %s\n", err);
            return e;
        }
#else
        fprintf(stderr, "sdei-sim: --target=kvm: this build has no kvm target (it is built "
                        "for aarch64 Linux only: docs/kvm-target.md)\n");
        return SIM_KVM_EXIT_NOT_ARM64;
#endif
    }
    if (*out == NULL) {
        return cli_usage_error("replay", "--target: expected model, kvm or kernel (if built), "
                                         "got '%s'", name);
    }
    return 0;
}

/* Replays one file; prints its "ok" line and --stats on stdout. */
static int replay_one(const sim_impl_ops *impl, const char *path, int flags, int quiet,
                      int stats, FILE *rec)
{
    sim_replay_stats st;
    double t0 = now_s();
    int rc = sim_replay_file_record(impl, path, stderr, flags | SIM_REPLAY_QUIET, rec, &st);
    double dt = now_s() - t0;
    if (rc == SIM_EXIT_OK && !quiet) {
        printf("%s: ok (%" PRIu64 " lines, %" PRIu64 " actions, %" PRIu64 " results, %" PRIu64
               " checks)\n",
               path, st.lines, st.actions, st.results, st.checks);
    }
    if (stats) {
        printf("%s: %" PRIu64 " lines in %.3f s (%.0f lines/s)\n", path, st.lines, dt,
               dt > 0 ? (double)st.lines / dt : 0.0);
    }
    return rc;
}

int cmd_replay(int argc, char **argv)
{
    int quiet = 0, stats = 0, explain = 0, c, rc = -1;
    int flags = 0;
    const char *target = "model", *rec_path = NULL;
    while (rc < 0 && (c = cli_getopt(argc, argv, replay_options, "replay", &rc)) != -1) {
        if (c == 'h') {
            usage_replay();
            return SIM_EXIT_OK;
        }
        quiet |= c == OPT_QUIET;
        stats |= c == OPT_STATS;
        explain |= c == OPT_EXPLAIN;
        flags |= c == OPT_STRICT ? SIM_REPLAY_STRICT : 0;
        target = c == OPT_TARGET ? optarg : target;
        rec_path = c == OPT_TRACE_OUT ? optarg : rec_path;
        if (c == OPT_FINDINGS && cli_findings_policy(optarg) != 0) {
            return cli_usage_error("replay", "replay: --findings=%s: expected stop or report",
                                   optarg);
        }
    }
    if (rc >= 0) {
        return rc;
    }
    int nfiles = argc - optind;
    if (nfiles <= 0) {
        return cli_usage_error("replay", "replay: expected at least one FILE");
    }
    const sim_impl_ops *impl;
    int pe = pick_target(target, &impl);
    if (pe != 0) {
        return pe;
    }
    FILE *rec = NULL;
    if (rec_path != NULL && (rec = fopen(rec_path, "w")) == NULL) {
        fprintf(stderr, "sdei-sim: cannot write %s: %s\n", rec_path, strerror(errno));
        return SIM_EXIT_IO;
    }
    int *rcs = calloc((size_t)nfiles, sizeof(*rcs));
    if (rcs == NULL) {
        if (rec != NULL) {
            fclose(rec);
        }
        fprintf(stderr, "sdei-sim: replay: out of memory\n");
        return SIM_EXIT_IO;
    }
    int worst = SIM_EXIT_OK, failed = 0;
    for (int i = 0; i < nfiles; i++) {
        rcs[i] = replay_one(impl, argv[optind + i], flags, quiet, stats, rec);
        if (explain && rcs[i] == SIM_EXIT_DIVERGENCE) {
            (void)sim_replay_explain(argv[optind + i], stderr);
        }
        worst = rcs[i] > worst ? rcs[i] : worst;
        failed += rcs[i] != SIM_EXIT_OK;
    }
    if (!quiet && nfiles > 1) {
        printf("== replay summary: %d file(s), %d ok, %d failed\n", nfiles, nfiles - failed,
               failed);
        for (int i = 0; i < nfiles; i++) {
            printf("%s: %s (exit %d)\n", argv[optind + i], outcome(rcs[i]), rcs[i]);
        }
    }
    free(rcs);
    if (rec != NULL && fclose(rec) != 0) {
        fprintf(stderr, "sdei-sim: cannot write %s\n", rec_path);
        worst = worst > SIM_EXIT_IO ? worst : SIM_EXIT_IO;
    }
    return worst;
}
