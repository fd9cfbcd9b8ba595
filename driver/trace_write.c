/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_write.c - header, action and result lines as text: what the
 * simulator records and the importers write (docs/trace-format.md). The
 * writers append to a caller's buffer without printf on the hot path.
 */
#include <stdio.h>
#include <string.h>

#include "blobfmt.h"
#include "names.h"
#include "sdei/sdei_fwreg.h"
#include "sdei/sdei_vmm.h"
#include "trace_lex.h"

static const char hexdig[] = "0123456789abcdef";

static size_t put_hex(char *buf, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = hexdig[d[i] >> 4];
        buf[2 * i + 1] = hexdig[d[i] & 15];
    }
    return 2 * n;
}

/* "0x..." without leading zeros; much faster than printf on the hot path. */
static size_t put_x(char *buf, uint64_t v)
{
    char tmp[16];
    size_t n = 0;
    buf[0] = '0';
    buf[1] = 'x';
    do {
        tmp[n++] = hexdig[v & 15];
        v >>= 4;
    } while (v != 0);
    for (size_t i = 0; i < n; i++) {
        buf[2 + i] = tmp[n - 1 - i];
    }
    return 2 + n;
}

static size_t put_u(char *buf, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    for (size_t i = 0; i < n; i++) {
        buf[i] = tmp[n - 1 - i];
    }
    return n;
}

static size_t put_s(char *buf, const char *s)
{
    size_t n = strlen(s);
    memcpy(buf, s, n);
    return n;
}

/* The $NAME of a slot, or nothing (0) when the slot holds a plain value. */
static size_t put_name(char *buf, const sim_syms *x, unsigned slot)
{
    const sim_sym *s = sim_sym_find(x, slot);
    if (s == NULL || !s->named) {
        return 0;
    }
    buf[0] = '$';
    return 1 + put_s(buf + 1, s->name);
}

/* "&MASK" and the operator of a compared value; "=" without a symbol. */
static size_t put_cmp(char *buf, const sim_syms *x, unsigned slot)
{
    const sim_sym *s = sim_sym_find(x, slot);
    size_t n = 0;
    if (s != NULL && s->has_mask) {
        buf[n++] = '&';
        n += put_x(buf + n, s->mask);
    }
    return n + put_s(buf + n, s != NULL ? sim_op_text(s->op) : "=");
}

static size_t put_vcpu(char *buf, const sim_syms *x, uint32_t v)
{
    size_t n = put_name(buf, x, SIM_SLOT_VCPU);
    return n != 0 ? n : put_u(buf, v);
}

static size_t put_num(char *buf, const sim_syms *x, unsigned slot, uint64_t v)
{
    size_t n = put_name(buf, x, slot);
    return n != 0 ? n : put_x(buf, v);
}

size_t sim_format_room(size_t data_len)
{
    return SIM_TRACE_LINE_ROOM + 2u * data_len;
}

size_t sim_format_value(char *buf, uint64_t v, int named)
{
    if (named == 1 || (named == 2 && v != 0)) {
        const char *name = sim_result_name((int64_t)v);
        if (name != NULL) {
            return put_s(buf, name);
        }
    }
    if (v < 10) {
        buf[0] = (char)('0' + v);
        return 1;
    }
    return put_x(buf, v);
}

/* ---------------------------------------------------------------------------
 * Header.
 * ------------------------------------------------------------------------- */
size_t sim_format_header_room(const sim_header *h)
{
    return SIM_TRACE_LINE_ROOM + 64u * SDEI_QUIRK_COUNT + 20u * (size_t)h->nr_mpidr;
}

size_t sim_format_header(char *buf, const sim_header *h)
{
    int n = sprintf(buf, "sdei-trace %u profile=%s vcpus=%u", SIM_TRACE_VERSION,
                    sim_profile_name(h->profile), h->vcpus);
    if (h->has_seed) {
        n += sprintf(buf + n, " seed=0x%llx", (unsigned long long)h->seed);
    }
    if (h->has_bind) {
        n += sprintf(buf + n, " bind=%u/%u", h->private_bind_slots, h->shared_bind_slots);
    }
    if (h->span != 1) {
        n += sprintf(buf + n, " span=%u", h->span);
    }
    if (h->max_events != 0) {
        n += sprintf(buf + n, " max-events=%u", h->max_events);
    }
    for (uint32_t v = 0; v < h->nr_mpidr; v++) {
        n +=
            sprintf(buf + n, "%s0x%llx", v == 0 ? " mpidr=" : ",", (unsigned long long)h->mpidr[v]);
    }
    if (h->quirks_override) {
        uint64_t base = sdei_profile_quirks(h->profile);
        const char *sep = " quirks=";
        for (unsigned q = 0; q < SDEI_QUIRK_COUNT; q++) {
            uint64_t bit = UINT64_C(1) << q;
            if ((base ^ h->quirks) & bit) {
                n += sprintf(buf + n, "%s%c%s", sep, (h->quirks & bit) ? '+' : '-',
                             sdei_quirk_table[q].name);
                sep = ",";
            }
        }
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return (size_t)n;
}

/* ---------------------------------------------------------------------------
 * Actions.
 * ------------------------------------------------------------------------- */
static size_t fmt_hvc(char *buf, const sim_action *a)
{
    size_t n = put_s(buf, "hvc ");
    n += put_vcpu(buf + n, a->syms, a->vcpu);
    buf[n++] = ' ';
    if (a->call != SDEI_CALL_ID_NONE) {
        n += put_s(buf + n, sim_call_name(a->call));
    } else {
        n += put_x(buf + n, a->fid);
    }
    /* Trailing zero arguments are left out: "missing = 0". */
    int last = 4;
    while (last >= 0 && a->arg[last] == 0 && !(a->keep_mask & (1u << last)) &&
           sim_sym_find(a->syms, SIM_SLOT_ARG + (unsigned)last) == NULL) {
        last--;
    }
    for (int i = 0; i <= last; i++) {
        size_t k = 0;
        buf[n++] = ' ';
        if (a->keep_mask & (1u << i)) {
            buf[n++] = '-';
        } else if ((k = put_name(buf + n, a->syms, SIM_SLOT_ARG + (unsigned)i)) != 0) {
            n += k;
        } else {
            n += sim_format_value(buf + n, a->arg[i], 0);
        }
    }
    return n;
}

/* " NAME[&MASK]OP VALUE ..." of setreg and = regs. */
static size_t fmt_regs(char *buf, const uint8_t *reg, const uint64_t *val, unsigned nregs,
                       const sim_syms *x)
{
    size_t n = 0;
    for (unsigned i = 0; i < nregs; i++) {
        size_t k;
        buf[n++] = ' ';
        n += put_s(buf + n, sim_reg_name(reg[i]));
        n += put_cmp(buf + n, x, SIM_SLOT_VAL + i);
        k = put_name(buf + n, x, SIM_SLOT_VAL + i);
        n += k != 0 ? k : sim_format_value(buf + n, val[i], 0);
    }
    return n;
}

static size_t fmt_setreg(char *buf, const sim_action *a)
{
    size_t n = put_s(buf, "setreg ");
    n += put_vcpu(buf + n, a->syms, a->vcpu);
    return n + fmt_regs(buf + n, a->reg, a->val, a->nregs, a->syms);
}

static size_t fmt_deliver_any(char *buf, const sim_action *a)
{
    size_t n = put_s(buf, "deliver-any ");
    for (unsigned i = 0; i < a->nregs; i++) {
        uint32_t lo = (uint32_t)a->val[i], hi = (uint32_t)(a->val[i] >> 32);
        if (i > 0) {
            buf[n++] = ',';
        }
        n += put_u(buf + n, lo);
        if (hi != lo) {
            buf[n++] = '-';
            n += put_u(buf + n, hi);
        }
    }
    return n;
}

static size_t fmt_expose(char *buf, const sim_action *a)
{
    size_t n = put_s(buf, "expose ");
    n += put_x(buf + n, a->num);
    n += put_s(buf + n, a->type == SDEI_EVENT_TYPE_SHARED ? " shared" : " private");
    n += put_s(buf + n, a->priority == SDEI_EVENT_PRIORITY_CRITICAL ? " critical" : " normal");
    if (a->signaled != (a->num == 0 ? 1 : 0)) {
        n += put_s(buf + n, " signaled=");
        n += put_u(buf + n, a->signaled);
    }
    return n;
}

static size_t fmt_vmm(char *buf, const sim_action *a)
{
    const char *name = sim_vmm_cmd_name(a->vmm_cmd);
    size_t n = put_s(buf, "vmm ");
    n += a->vcpu == SDEI_VMM_VM ? put_s(buf + n, "vm") : put_vcpu(buf + n, a->syms, a->vcpu);
    buf[n++] = ' ';
    n += name != NULL ? put_s(buf + n, name) : put_u(buf + n, a->vmm_cmd);
    if (a->has_count) {
        n += put_s(buf + n, " count=");
        n += put_u(buf + n, a->count);
    }
    if (a->num != 0 || sim_sym_find(a->syms, SIM_SLOT_NUM) != NULL) {
        n += put_s(buf + n, " num=");
        n += put_num(buf + n, a->syms, SIM_SLOT_NUM, a->num);
    }
    if (a->data != NULL) {
        n += put_s(buf + n, " data=");
        n += put_hex(buf + n, a->data, a->data_len);
    }
    return n;
}

/* "trigger NUM V" / "irq INTID V" / "deliver V". */
static size_t fmt_target(char *buf, const char *word, const sim_action *a)
{
    size_t n = put_s(buf, word);
    if (a->kind == SIM_A_TRIGGER) {
        n += put_num(buf + n, a->syms, SIM_SLOT_NUM, a->num);
        buf[n++] = ' ';
    } else if (a->kind == SIM_A_IRQ) {
        n += put_u(buf + n, a->intid);
        buf[n++] = ' ';
    }
    return n + put_vcpu(buf + n, a->syms, a->vcpu);
}

size_t sim_format_action(char *buf, const sim_action *a)
{
    size_t n = 0;
    buf[n++] = '>';
    buf[n++] = ' ';
    switch (a->kind) {
    case SIM_A_HVC:
        n += fmt_hvc(buf + n, a);
        break;
    case SIM_A_SETREG:
        n += fmt_setreg(buf + n, a);
        break;
    case SIM_A_DELIVER:
        n += fmt_target(buf + n, "deliver ", a);
        break;
    case SIM_A_TRIGGER:
        n += fmt_target(buf + n, "trigger ", a);
        break;
    case SIM_A_IRQ:
        n += fmt_target(buf + n, "irq ", a);
        break;
    case SIM_A_DELIVER_ANY:
        n += fmt_deliver_any(buf + n, a);
        break;
    case SIM_A_MIGRATE:
        n += put_s(buf + n, "migrate");
        break;
    case SIM_A_EXPOSE:
        n += fmt_expose(buf + n, a);
        break;
    case SIM_A_VMM:
        n += fmt_vmm(buf + n, a);
        break;
    case SIM_A_POWER:
        n += fmt_target(buf + n, "power ", a);
        buf[n++] = ' ';
        n += put_s(buf + n, sdei_power_action_name((sdei_power_action)a->power));
        break;
    case SIM_A_VCPU_RESET:
        n += fmt_target(buf + n, "vcpu_reset ", a);
        break;
    default:
        n += put_s(buf + n, "?");
        break;
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return n;
}

/* ---------------------------------------------------------------------------
 * Results.
 * ------------------------------------------------------------------------- */

/* The value of one KEY= field. */
static size_t fmt_field(char *buf, const sim_result *r, uint32_t bit)
{
    switch (bit) {
    case SIM_F_X0:
        return sim_format_value(buf, r->x[0], r->x0_named);
    case SIM_F_X1:
        return sim_format_value(buf, r->x[1], 0);
    case SIM_F_X2:
        return sim_format_value(buf, r->x[2], 0);
    case SIM_F_X3:
        return sim_format_value(buf, r->x[3], 0);
    case SIM_F_PC:
        return put_x(buf, r->pc);
    case SIM_F_PSTATE:
        return put_x(buf, r->pstate);
    case SIM_F_ELR:
        return put_x(buf, r->elr);
    case SIM_F_SPSR:
        return put_x(buf, r->spsr);
    case SIM_F_NUM:
        return put_x(buf, r->num);
    case SIM_F_PRIO:
        return put_s(buf, r->prio ? "critical" : "normal");
    case SIM_F_RET: {
        const char *en = sim_errno_name(r->ret);
        return en != NULL ? put_s(buf, en) : (size_t)sprintf(buf, "%d", r->ret);
    }
    case SIM_F_COUNT:
        return put_u(buf, r->count);
    case SIM_F_DATA:
        return put_hex(buf, r->data, r->data_len);
    case SIM_F_ON:
        return put_u(buf, r->on);
    case SIM_F_COMPLETED:
        return put_u(buf, r->completed);
    default:
        return 0;
    }
}

/* " KEY[&MASK]OP VALUE" (data: " data[A:B]=HEX"). */
static size_t fmt_keyed(char *buf, const sim_result *r, unsigned j)
{
    uint32_t bit = sim_res_keys[j].bit;
    unsigned slot = (unsigned)__builtin_ctz(bit);
    size_t n = 0, k;
    buf[n++] = ' ';
    n += put_s(buf + n, sim_res_keys[j].key);
    if (bit == SIM_F_DATA && r->syms != NULL && r->syms->ranged) {
        n += (size_t)sprintf(buf + n, "[%u:%zu]", r->syms->data_off,
                             (size_t)r->syms->data_off + r->data_len);
    }
    n += put_cmp(buf + n, r->syms, slot);
    k = put_name(buf + n, r->syms, slot);
    const sim_sym *s = sim_sym_find(r->syms, slot);
    if (k == 0 && s != NULL && s->op >= SIM_OP_LT && (int64_t)sim_result_get(r, bit) < 0) {
        /* an ordering compares signed: "x0<-2" */
        k = (size_t)sprintf(buf + n, "%lld", (long long)(int64_t)sim_result_get(r, bit));
    }
    return n + (k != 0 ? k : fmt_field(buf + n, r, bit));
}

/* The shorthands "< x0=..." (a result of any hypercall kind) and "< ret=..."
 * (a VMM result) start with that field instead of the kind word: its bit,
 * or 0 for a line with the kind word. */
static uint32_t shorthand_bit(const sim_result *r)
{
    if (r->any_kind && r->kind == SIM_R_RET && (r->fields & SIM_F_X0)) {
        return SIM_F_X0;
    }
    if (r->any_kind && r->kind == SIM_R_VMM && (r->fields & SIM_F_RET)) {
        return SIM_F_RET;
    }
    return 0;
}

static unsigned key_index(uint32_t bit)
{
    unsigned j = 0;
    while (j + 1 < sim_n_res_keys && sim_res_keys[j].bit != bit) {
        j++;
    }
    return j;
}

size_t sim_format_result(char *buf, const sim_result *r)
{
    size_t n = 0;
    int positional = r->kind == SIM_R_ENTERED || r->kind == SIM_R_COMPLETED;
    uint32_t first = shorthand_bit(r);
    buf[n++] = '<';
    if (first != 0) {
        n += fmt_keyed(buf + n, r, key_index(first));
    } else {
        buf[n++] = ' ';
        n += put_s(buf + n, sim_res_kind_name(r->kind));
    }
    if (positional && (r->fields & SIM_F_NUM)) {
        buf[n++] = ' ';
        n += put_num(buf + n, r->syms, (unsigned)__builtin_ctz(SIM_F_NUM), r->num);
    }
    if (r->kind == SIM_R_ERR && (r->fields & SIM_F_ERR)) {
        buf[n++] = ' ';
        n += put_u(buf + n, (uint32_t)r->err);
    }
    if (r->kind == SIM_R_POWER && (r->fields & SIM_F_POWER)) {
        buf[n++] = ' ';
        n += put_s(buf + n, sdei_power_result_name((sdei_power_result)r->power));
    }
    for (unsigned j = 0; j < sim_n_res_keys; j++) {
        uint32_t bit = sim_res_keys[j].bit;
        if (!(r->fields & bit) || bit == SIM_F_ERR || bit == first ||
            (bit == SIM_F_NUM && positional)) {
            continue;
        }
        if (bit == SIM_F_PREEMPTED && sim_sym_find(r->syms, (unsigned)__builtin_ctz(bit)) == NULL) {
            /* recorded traces say "preempted" or nothing */
            n += r->preempted ? put_s(buf + n, " preempted") : 0;
            continue;
        }
        n += fmt_keyed(buf + n, r, j);
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return n;
}

/* ---------------------------------------------------------------------------
 * Checks.
 * ------------------------------------------------------------------------- */
static size_t fmt_vcpu_check(char *buf, const sim_check *c)
{
    size_t n = 0;
    if (c->fields & 1u) {
        n += put_s(buf + n, " masked=");
        n += put_u(buf + n, c->masked);
    }
    for (unsigned k = 0; k < 2; k++) {
        uint64_t v = k == 0 ? c->normal : c->critical;
        if (c->fields & (2u << k)) {
            size_t w;
            n += put_s(buf + n, k == 0 ? " normal=" : " critical=");
            w = put_name(buf + n, c->syms, k == 0 ? SIM_SLOT_NORMAL : SIM_SLOT_CRITICAL);
            n += w != 0 ? w : v == SDEI_INVALID_EVENT ? put_s(buf + n, "none") : put_x(buf + n, v);
        }
    }
    if (c->fields & 8u) {
        n += put_s(buf + n, " queued=");
        n += put_u(buf + n, c->queued);
    }
    if (c->fields & 16u) {
        n += put_s(buf + n, " power=");
        n += put_s(buf + n, sdei_power_state_name((sdei_power_state)c->power));
    }
    return n;
}

/* The keys of "= blob KIND ..." then the bytes. */
static size_t fmt_blob_check(char *buf, const sim_check *c)
{
    size_t n = put_s(buf, sim_blob_kind_name(c->blob));
    buf[n++] = ' ';
    if (c->blob == SIM_BLOB_EXPOSED) {
        n += put_u(buf + n, c->index);
    } else if (c->blob == SIM_BLOB_REGISTERED) {
        n += put_num(buf + n, c->syms, SIM_SLOT_NUM, c->num);
    } else {
        n += put_vcpu(buf + n, c->syms, c->vcpu);
        if (c->blob == SIM_BLOB_VCPU_EVENT) {
            buf[n++] = ' ';
            n += put_num(buf + n, c->syms, SIM_SLOT_NUM, c->num);
        }
    }
    buf[n++] = ' ';
    return n + put_hex(buf + n, c->data, c->data_len);
}

size_t sim_format_check(char *buf, const sim_check *c)
{
    size_t n = put_s(buf, "= ");
    if (c->kind == SIM_C_STATE || c->kind == SIM_C_PENDING) {
        n += put_s(buf + n, c->kind == SIM_C_STATE ? "state " : "pending ");
        n += put_num(buf + n, c->syms, SIM_SLOT_NUM, c->num);
        buf[n++] = ' ';
        n += put_vcpu(buf + n, c->syms, c->vcpu);
        buf[n++] = ' ';
        n += c->kind == SIM_C_STATE ? put_s(buf + n, sim_state_name(c->state))
                                    : put_u(buf + n, c->pending);
    } else if (c->kind == SIM_C_VCPU || c->kind == SIM_C_REGS) {
        n += put_s(buf + n, c->kind == SIM_C_VCPU ? "vcpu " : "regs ");
        n += put_vcpu(buf + n, c->syms, c->vcpu);
        n += c->kind == SIM_C_VCPU ? fmt_vcpu_check(buf + n, c)
                                   : fmt_regs(buf + n, c->reg, c->val, c->nregs, c->syms);
    } else if (c->kind == SIM_C_BLOB) {
        n += put_s(buf + n, "blob ");
        n += fmt_blob_check(buf + n, c);
    } else if (c->kind == SIM_C_FWREG && sdei_fwreg_name(c->num) != NULL) {
        n += put_s(buf + n, "fwreg ");
        n += put_vcpu(buf + n, c->syms, c->vcpu);
        buf[n++] = ' ';
        n += put_s(buf + n, sdei_fwreg_name(c->num));
        buf[n++] = ' ';
        n += put_hex(buf + n, c->data, c->data_len);
    } else {
        n += put_s(buf + n, "?");
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return n;
}
