/* SPDX-License-Identifier: BSD-3-Clause */
/* compare.c - expected vs actual results: what replay, lockstep and the
 * fuzzers report as a divergence (see exec.h). */
#include <inttypes.h>
#include <string.h>

#include "exec.h"
#include "names.h"

/* Comparisons may run silently first (f = NULL), then again to report. */
#define OUT(...)                                                                           \
    do {                                                                                   \
        if (f != NULL) {                                                                   \
            fprintf(f, __VA_ARGS__);                                                       \
        }                                                                                  \
    } while (0)

/* ---------------------------------------------------------------------------
 * Comparison.
 * ------------------------------------------------------------------------- */
static void show_value(FILE *f, uint64_t v)
{
    const char *name = sim_result_name((int64_t)v);
    if (name != NULL && v != 0) {
        OUT("%s (0x%" PRIx64 ")", name, v);
    } else {
        OUT("0x%" PRIx64, v);
    }
}

int sim_cmp_u64(FILE *f, const char *name, uint64_t exp, uint64_t act)
{
    if (exp == act) {
        return 0;
    }
    OUT("  %s: expected ", name);
    show_value(f, exp);
    OUT(", actual ");
    show_value(f, act);
    OUT("\n");
    return 1;
}

int sim_result_compare(FILE *f, const sim_result *x, const sim_result *y)
{
    int bad = 0;
    if (x->kind != y->kind && !x->any_kind) {
        char line[SIM_TRACE_LINE_ROOM];
        sim_result shown = *y;
        /* Show the actual result without bulky data. */
        shown.fields &= ~(uint32_t)SIM_F_DATA;
        sim_format_result(line, &shown);
        OUT("  result: expected '%s', actual %s", sim_res_kind_name(x->kind), line);
        return 1;
    }
    uint32_t m = x->fields;
    if (m & SIM_F_X0) bad |= sim_cmp_u64(f, "x0", x->x[0], y->x[0]);
    if (m & SIM_F_X1) bad |= sim_cmp_u64(f, "x1", x->x[1], y->x[1]);
    if (m & SIM_F_X2) bad |= sim_cmp_u64(f, "x2", x->x[2], y->x[2]);
    if (m & SIM_F_X3) bad |= sim_cmp_u64(f, "x3", x->x[3], y->x[3]);
    if (m & SIM_F_PC) bad |= sim_cmp_u64(f, "pc", x->pc, y->pc);
    if (m & SIM_F_PSTATE) bad |= sim_cmp_u64(f, "pstate", x->pstate, y->pstate);
    if (m & SIM_F_ELR) bad |= sim_cmp_u64(f, "elr", x->elr, y->elr);
    if (m & SIM_F_SPSR) bad |= sim_cmp_u64(f, "spsr", x->spsr, y->spsr);
    if (m & SIM_F_NUM) bad |= sim_cmp_u64(f, "num", x->num, y->num);
    if (m & SIM_F_PRIO) bad |= sim_cmp_u64(f, "prio", x->prio, y->prio);
    if (m & SIM_F_PREEMPTED) bad |= sim_cmp_u64(f, "preempted", x->preempted, y->preempted);
    if (m & SIM_F_COUNT) bad |= sim_cmp_u64(f, "count", x->count, y->count);
    if (m & SIM_F_ERR) bad |= sim_cmp_u64(f, "err", (uint64_t)x->err, (uint64_t)y->err);
    if ((m & SIM_F_RET) && x->ret != y->ret) {
        const char *a = sim_errno_name(x->ret), *b = sim_errno_name(y->ret);
        OUT("  ret: expected %s (%d), actual %s (%d)\n", a ? a : "?", x->ret,
                b ? b : "?", y->ret);
        bad = 1;
    }
    if (m & SIM_F_DATA) {
        if (!(y->fields & SIM_F_DATA)) {
            OUT("  data: expected %zu bytes, actual none\n", x->data_len);
            bad = 1;
        } else if (x->data_len != y->data_len || memcmp(x->data, y->data, x->data_len) != 0) {
            OUT("  data: expected %zu bytes, actual %zu bytes\n", x->data_len,
                    y->data_len);
            bad = 1;
        }
    }
    return bad;
}

