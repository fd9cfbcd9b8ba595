/* SPDX-License-Identifier: BSD-3-Clause */
/* compare.c - expected vs actual results: what replay, lockstep and the
 * fuzzers report as a divergence (see exec.h). */
#include <inttypes.h>
#include <string.h>

#include "diag.h"
#include "exec.h"
#include "names.h"
#include "sdei/sdei_fwreg.h"

/* ---------------------------------------------------------------------------
 * Comparison.
 * ------------------------------------------------------------------------- */
static void show_value(FILE *f, uint64_t v)
{
    const char *name = sim_result_name((int64_t)v);
    if (name != NULL && v != 0) {
        SIM_OUT(f, "%s (0x%" PRIx64 ")", name, v);
    } else {
        SIM_OUT(f, "0x%" PRIx64, v);
    }
}

int sim_cmp_u64(FILE *f, const char *name, uint64_t exp, uint64_t act)
{
    if (exp == act) {
        return 0;
    }
    SIM_OUT(f, "  %s: expected ", name);
    show_value(f, exp);
    SIM_OUT(f, ", actual ");
    show_value(f, act);
    SIM_OUT(f, "\n");
    return 1;
}

/* (act OP exp); the ordering operators compare signed: SDEI results are
 * negative error codes, so "x0>=0" reads "not an error". */
static int op_holds(unsigned op, uint64_t act, uint64_t exp)
{
    int64_t a = (int64_t)act, e = (int64_t)exp;
    switch (op) {
    case SIM_OP_NE:
        return act != exp;
    case SIM_OP_LT:
        return a < e;
    case SIM_OP_LE:
        return a <= e;
    case SIM_OP_GT:
        return a > e;
    case SIM_OP_GE:
        return a >= e;
    default:
        return act == exp;
    }
}

int sim_cmp_sym(FILE *f, const char *name, const sim_sym *s, uint64_t exp, uint64_t act)
{
    if (s == NULL || (s->op == SIM_OP_EQ && !s->has_mask)) {
        return sim_cmp_u64(f, name, exp, act);
    }
    uint64_t a = s->has_mask ? act & s->mask : act;
    if (op_holds(s->op, a, exp)) {
        return 0;
    }
    SIM_OUT(f, "  %s", name);
    if (s->has_mask) {
        SIM_OUT(f, "&0x%" PRIx64, s->mask);
    }
    SIM_OUT(f, ": expected %s ", sim_op_text(s->op));
    show_value(f, exp);
    SIM_OUT(f, ", actual ");
    show_value(f, a);
    if (s->has_mask) {
        SIM_OUT(f, " (unmasked 0x%" PRIx64 ")", act);
    }
    SIM_OUT(f, "\n");
    return 1;
}

/* At most 32 bytes of hex, then "...". */
static void show_hex(FILE *f, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n && i < 32; i++) {
        SIM_OUT(f, "%02x", d[i]);
    }
    if (n > 32) {
        SIM_OUT(f, "...");
    }
}

/* data=HEX (all of it) or data[A:B]=HEX (those bytes). */
static int cmp_data(FILE *f, const sim_result *x, const sim_result *y)
{
    int ranged = x->syms != NULL && x->syms->ranged;
    size_t off = ranged ? x->syms->data_off : 0;
    if (!(y->fields & SIM_F_DATA)) {
        SIM_OUT(f, "  data: expected %zu bytes, actual none\n", x->data_len);
        return 1;
    }
    if (ranged) {
        if (off + x->data_len > y->data_len) {
            SIM_OUT(f, "  data[%zu:%zu]: expected %zu bytes there, actual %zu bytes in all\n", off,
                    off + x->data_len, x->data_len, y->data_len);
            return 1;
        }
        if (memcmp(y->data + off, x->data, x->data_len) != 0) {
            SIM_OUT(f, "  data[%zu:%zu]: expected ", off, off + x->data_len);
            show_hex(f, x->data, x->data_len);
            SIM_OUT(f, ", actual ");
            show_hex(f, y->data + off, x->data_len);
            SIM_OUT(f, "\n");
            return 1;
        }
        return 0;
    }
    if (x->data_len != y->data_len || memcmp(x->data, y->data, x->data_len) != 0) {
        SIM_OUT(f, "  data: expected %zu bytes, actual %zu bytes\n", x->data_len, y->data_len);
        return 1;
    }
    return 0;
}

/* The numeric fields, in the order differences are reported. */
static const uint32_t numeric_fields[] = {
    SIM_F_X0,        SIM_F_X1,    SIM_F_X2,   SIM_F_X3,  SIM_F_PC,
    SIM_F_PSTATE,    SIM_F_ELR,   SIM_F_SPSR, SIM_F_NUM, SIM_F_PRIO,
    SIM_F_PREEMPTED, SIM_F_COUNT, SIM_F_ERR,  SIM_F_ON,  SIM_F_COMPLETED,
};

int sim_result_compare(FILE *f, const sim_result *x, const sim_result *y)
{
    int bad = 0;
    if (y->entries > 1) {
        SIM_OUT(f, "  deliver-any: exactly one vCPU may enter, %u did (the first: %u)\n",
                y->entries, y->on);
        return 1;
    }
    if (x->kind != y->kind && !x->any_kind) {
        char line[SIM_TRACE_LINE_ROOM];
        sim_result shown = *y;
        /* Show the actual result without bulky data. */
        shown.fields &= ~(uint32_t)SIM_F_DATA;
        sim_format_result(line, &shown);
        SIM_OUT(f, "  result: expected '%s', actual %s", sim_res_kind_name(x->kind), line);
        return 1;
    }
    uint32_t m = x->fields;
    for (size_t i = 0; i < sizeof(numeric_fields) / sizeof(numeric_fields[0]); i++) {
        uint32_t bit = numeric_fields[i];
        if (m & bit) {
            bad |= sim_cmp_sym(f, sim_result_key(bit),
                               sim_sym_find(x->syms, (unsigned)__builtin_ctz(bit)),
                               sim_result_get(x, bit), sim_result_get(y, bit));
        }
    }
    if ((m & SIM_F_POWER) && x->power != y->power) {
        SIM_OUT(f, "  power: expected %s, actual %s\n",
                sdei_power_result_name((sdei_power_result)x->power),
                sdei_power_result_name((sdei_power_result)y->power));
        bad = 1;
    }
    if ((m & SIM_F_RET) && x->ret != y->ret) {
        const char *a = sim_errno_name(x->ret), *b = sim_errno_name(y->ret);
        SIM_OUT(f, "  ret: expected %s (%d), actual %s (%d)\n", a ? a : "?", x->ret, b ? b : "?",
                y->ret);
        bad = 1;
    }
    if (m & SIM_F_DATA) {
        bad |= cmp_data(f, x, y);
    }
    return bad;
}

int sim_fwregs_compare(sim_target *m, sim_target *k, uint32_t nr_vcpus, char *msg, size_t cap)
{
    if (!sim_target_can(k, SIM_CAP_FWREG) || !sim_target_can(m, SIM_CAP_FWREG) ||
        k->ops->fwreg_get == NULL || m->ops->fwreg_get == NULL) {
        return 0;
    }
    for (uint32_t v = 0; v < nr_vcpus; v++) {
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            uint64_t id = sdei_fwreg_id_at(i);
            uint8_t mb[SDEI_FWREG_MAX_SIZE], kb[SDEI_FWREG_MAX_SIZE];
            int32_t mr = 0, kr = 0;
            memset(mb, 0xA5, sizeof(mb));
            memset(kb, 0xA5, sizeof(kb));
            size_t n = sdei_fwreg_size(id), at = 0;
            int rc = m->ops->fwreg_get(m->impl, v, id, mb, n, &mr);
            int krc = k->ops->fwreg_get(k->impl, v, id, kb, n, &kr);
            if (krc == SIM_IMPL_FINDING) {
                snprintf(msg, cap, "KVM_GET_ONE_REG %s", sdei_fwreg_name(id));
                return SIM_IMPL_FINDING;
            }
            while (at < n && mb[at] == kb[at]) {
                at++;
            }
            if (rc != 0 || krc != 0 || mr != kr || at < n) {
                at = at < n ? at : 0;
                snprintf(msg, cap,
                         "firmware register %s of vCPU %u differs at byte %zu: model 0x%02x "
                         "(ret %d), %s 0x%02x (ret %d)",
                         sdei_fwreg_name(id), v, at, mb[at], mr, k->ops->name, kb[at], kr);
                return 1;
            }
        }
    }
    return 0;
}
