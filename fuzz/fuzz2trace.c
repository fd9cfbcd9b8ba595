/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz2trace.c - turns a call-sequence input (targets calls, diff, migrate)
 * into a trace in the spec-traces format (docs/trace-format.md), so that a
 * finding becomes a golden trace.
 *
 *   fuzz2trace [--target calls|diff|migrate|kernel] [--no-results] [--title TEXT] FILE
 *
 * The records are decoded exactly as the target decodes them, into the
 * trace's own actions (sim_action), and run by the one executor on the fuzz
 * VM; each becomes one action line and its result line (sim_format_*), what
 * the model answers now. Records the target does not
 * apply (diff: those the interpreter does not model; a migration the fuzz
 * driver skips) are left out, with a comment for the migration. Review the results before
 * committing: a trace made from a finding records the buggy answer until the
 * model is fixed (re-run fuzz2trace after the fix, or edit the line to the
 * value the rule requires).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_interp.h"
#include "fuzz_driver.h"
#include "trace.h"

const char *fz_target_name = "fuzz2trace";

static fz_vm fvm;
static di_state ref;

/* The fuzz VM's events, as the trace's expose lines. */
static void print_exposes(char *line, int results)
{
    for (unsigned i = 0; fz_exposes(&fvm.t.cfg) && i < FZ_NR_EXPOSED; i++) {
        sim_action a;
        sim_result r;
        fz_expose_action(i, &a);
        memset(&r, 0, sizeof(r));
        r.kind = SIM_R_OK;
        sim_format_action(line, &a);
        fputs(line, stdout);
        if (results) {
            sim_format_result(line, &r);
            fputs(line, stdout);
        }
    }
}

/* Each record the target applies: its action line and its result line. */
static void print_records(const uint8_t *data, size_t len, int diff, int results, char *line)
{
    size_t n = fz_rec_count(len);
    for (size_t i = 0; i < n; i++) {
        fz_rec rec;
        sim_action a;
        sim_result res, want;
        fz_rec_decode(data, i, &rec);
        fz_decode(&fvm.t.cfg, fvm.quirks, &rec, &a);
        if (diff && di_step(&ref, &a, &want) == DI_SKIP) {
            continue;
        }
        uint64_t skipped = fvm.skipped_migrations;
        int bad = fz_step(&fvm, &a, &res);
        if (a.kind == SIM_A_MIGRATE && fvm.skipped_migrations != skipped) {
            /* The VM did not move (docs/fuzzing.md F2): left out of the trace. */
            printf("# record %zu: migration skipped by the fuzz driver (docs/fuzzing.md)\n", i);
            continue;
        }
        sim_format_action(line, &a);
        fputs(line, stdout);
        if (results) {
            sim_format_result(line, &res);
            fputs(line, stdout);
        }
        if (bad) {
            printf("# finding at record %zu: %s\n", i, fvm.msg);
        }
    }
}

int main(int argc, char **argv)
{
    const char *target = "calls", *path = NULL, *title = NULL;
    int results = 1, profile = SDEI_PROFILE_KVM_V5;
    static const char usage[] =
        "usage: fuzz2trace [--target calls|diff|migrate|kernel] [--profile kvm-vN] "
        "[--no-results] [--title TEXT] FILE\n"
        "  --profile: the kernel target's profile, the tree's version (default kvm-v5)\n";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            /* exit codes: README.md, "Exit codes" (3 bad input, 4 I/O) */
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
            target = argv[++i];
        } else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc) {
            title = argv[++i];
        } else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
            profile = sdei_profile_by_name(argv[++i]);
            if (profile < 0) {
                fprintf(stderr,
                        "fuzz2trace: --profile %s: expected a profile name (kvm-v5, "
                        "kvm-v6, kvm-v7, ...)\n",
                        argv[i]);
                return 3;
            }
        } else if (strcmp(argv[i], "--no-results") == 0) {
            results = 0;
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            path = NULL;
            break;
        }
    }
    int diff = strcmp(target, "diff") == 0, kernel = strcmp(target, "kernel") == 0;
    if (path == NULL ||
        (!diff && !kernel && strcmp(target, "calls") != 0 && strcmp(target, "migrate"))) {
        fprintf(stderr, "fuzz2trace: expected [--target calls|diff|migrate|kernel] FILE\n"
                        "Try 'fuzz2trace --help'.\n");
        return 3;
    }
    static uint8_t data[FZ_MAX_INPUT];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "fuzz2trace: cannot open %s: %s\n", path, strerror(errno));
        return 4;
    }
    size_t len = fread(data, 1, sizeof(data), f);
    int read_failed = ferror(f);
    fclose(f);
    if (read_failed) {
        fprintf(stderr, "fuzz2trace: cannot read %s: %s\n", path, strerror(errno));
        return 4;
    }

    fz_header h;
    fz_header_decode(data, len, &h);
    if (diff) {
        h.profile = SDEI_PROFILE_SPEC;
    } else if (kernel) {
        h.profile = (uint8_t)profile; /* as fuzz_kernel.c decodes for the tree */
    } else if (strcmp(target, "migrate") == 0) {
        fz_header_for_migrate(&h); /* as fuzz_migrate.c runs it */
    }
    /* The fuzz VM runs the records exactly as the target does (its checker
     * included); its executor's results are the trace's result lines. */
    if (fz_vm_open(&fvm, &h, 0) != 0) {
        fprintf(stderr, "fuzz2trace: the fuzz VM could not be built\n");
        return 3;
    }
    di_init(&ref, &fvm.t.cfg);
    sim_header sh = fz_trace_header(&h);
    if (kernel) {
        sh.max_events = 0; /* the kernel code's own table: replay --target=kernel takes it */
    }
    static char line[1u << 16];
    printf("# From fuzz input %s (target %s) by fuzz2trace.\n", path, target);
    if (title != NULL) {
        printf("# %s\n", title);
    }
    sim_format_header(line, &sh);
    fputs(line, stdout);
    print_exposes(line, results);
    print_records(data, len, diff, results, line);
    return 0;
}
