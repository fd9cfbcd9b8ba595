/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz2trace.c - turns a call-sequence input (targets calls, diff, migrate)
 * into a trace in the spec-traces format (docs/trace-format.md), so that a
 * finding becomes a golden trace.
 *
 *   fuzz2trace [--target calls|diff|migrate] [--no-results] [--title TEXT] FILE
 *
 * The records are decoded exactly as the target decodes them; each becomes
 * one action line, executed by the simulator's executor (sim_exec) so that
 * the result line is what the model answers now. Records the target does not
 * apply (diff: those the interpreter does not model; a migration the fuzz
 * driver skips) are left out, with a comment for the migration. Review the results before
 * committing: a trace made from a finding records the buggy answer until the
 * model is fixed (re-run fuzz2trace after the fix, or edit the line to the
 * value the rule requires).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_interp.h"
#include "exec.h"
#include "fuzz_driver.h"
#include "trace.h"

const char *fz_target_name = "fuzz2trace";

static fz_vm fvm;
static di_state ref;

static void to_sim(const fz_action *a, sim_action *s)
{
    memset(s, 0, sizeof(*s));
    s->vcpu = a->vcpu;
    switch (a->kind) {
    case FZ_HVC:
        s->kind = SIM_A_HVC;
        /* A call name only where the trace's name gives back this x0. */
        s->call =
            (a->call != SDEI_CALL_ID_NONE && (a->x[0] >> 32) == 0) ? a->call : SDEI_CALL_ID_NONE;
        s->fid = a->x[0];
        for (unsigned i = 0; i < 5; i++) {
            s->arg[i] = a->x[i + 1];
        }
        break;
    case FZ_DELIVER:
        s->kind = SIM_A_DELIVER;
        break;
    case FZ_TRIGGER:
        s->kind = SIM_A_TRIGGER;
        s->num = a->num;
        break;
    case FZ_IRQ:
        s->kind = SIM_A_IRQ;
        s->intid = a->intid;
        break;
    case FZ_INJECT:
        s->kind = SIM_A_VMM;
        s->vmm_cmd = SDEI_CMD_INJECT_EVENT;
        s->num = a->num;
        break;
    case FZ_SETREG:
        s->kind = SIM_A_SETREG;
        s->nregs = a->nregs;
        for (unsigned i = 0; i < a->nregs; i++) {
            s->reg[i] = a->reg[i];
            s->val[i] = a->val[i];
        }
        break;
    default:
        s->kind = SIM_A_MIGRATE;
        break;
    }
}

int main(int argc, char **argv)
{
    const char *target = "calls", *path = NULL, *title = NULL;
    int results = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
            target = argv[++i];
        } else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc) {
            title = argv[++i];
        } else if (strcmp(argv[i], "--no-results") == 0) {
            results = 0;
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            path = NULL;
            break;
        }
    }
    int diff = strcmp(target, "diff") == 0;
    if (path == NULL || (!diff && strcmp(target, "calls") != 0 && strcmp(target, "migrate"))) {
        fprintf(stderr,
                "usage: %s [--target calls|diff|migrate] [--no-results] [--title TEXT] FILE\n",
                argv[0]);
        return 2;
    }
    static uint8_t data[FZ_MAX_INPUT];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    size_t len = fread(data, 1, sizeof(data), f);
    fclose(f);

    fz_header h;
    fz_header_decode(data, len, &h);
    if (diff) {
        h.profile = SDEI_PROFILE_SPEC;
    }
    if (fz_vm_init(&fvm, &h) != 0) {
        fprintf(stderr, "fuzz2trace: the fuzz VM could not be built\n");
        return 2;
    }
    di_init(&ref, &fvm.cfg);

    sim_header sh;
    memset(&sh, 0, sizeof(sh));
    sh.version = SIM_TRACE_VERSION;
    sh.profile = h.profile;
    sh.vcpus = h.nr_vcpus;
    sh.span = h.span;
    sh.max_events = FZ_MAX_EVENTS;
    sim_target t;
    char err[256];
    sdei_config cfg = sim_header_config(&sh);
    if (sim_target_init(&t, &cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "fuzz2trace: %s\n", err);
        return 2;
    }
    static char line[1u << 16];
    printf("# From fuzz input %s (target %s) by fuzz2trace.\n", path, target);
    if (title != NULL) {
        printf("# %s\n", title);
    }
    sim_format_header(line, &sh);
    fputs(line, stdout);
    for (unsigned i = 0; i < FZ_NR_EXPOSED; i++) {
        sim_action a;
        sim_result r;
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_EXPOSE;
        a.num = fz_exposed[i].num;
        a.type = fz_exposed[i].type;
        a.priority = fz_exposed[i].priority;
        a.signaled = fz_exposed[i].signaled;
        sim_format_action(line, &a);
        fputs(line, stdout);
        if (sim_exec(&t, &a, &r, err, sizeof(err)) != 0) {
            fprintf(stderr, "fuzz2trace: expose: %s\n", err);
            return 2;
        }
        if (results) {
            sim_format_result(line, &r);
            fputs(line, stdout);
        }
    }
    uint64_t quirks = sdei_vm_quirks(fvm.vm);
    size_t n = fz_rec_count(len);
    for (size_t i = 0; i < n; i++) {
        fz_rec rec;
        fz_action a;
        fz_result res, want;
        fz_rec_decode(data, i, &rec);
        fz_decode(&fvm.cfg, quirks, &rec, &a);
        if (diff && di_step(&ref, &a, &want) == DI_SKIP) {
            continue;
        }
        /* The fuzz VM runs alongside to know which migrations it skipped. */
        uint64_t skipped = fvm.skipped_migrations;
        const char *m = fz_exec(&fvm, &a, &res);
        if (a.kind == FZ_MIGRATE && fvm.skipped_migrations != skipped) {
            /* The fuzz driver did not move this VM (docs/fuzzing.md F1, F2),
             * and sdei-sim replay counts a failed migration as a divergence. */
            printf("# record %zu: migration skipped by the fuzz driver (docs/fuzzing.md)\n", i);
            continue;
        }
        sim_action sa;
        sim_result sr;
        to_sim(&a, &sa);
        sim_format_action(line, &sa);
        fputs(line, stdout);
        if (sim_exec(&t, &sa, &sr, err, sizeof(err)) != 0) {
            fprintf(stderr, "fuzz2trace: record %zu: %s\n", i, err);
            return 2;
        }
        if (results) {
            sim_format_result(line, &sr);
            fputs(line, stdout);
        }
        if (m != NULL) {
            printf("# finding at record %zu: %s\n", i, m);
        }
    }
    sim_target_fini(&t);
    return 0;
}
