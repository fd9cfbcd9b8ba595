/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_write.c - header, action and result lines as text: what the
 * simulator records and the importers write (docs/trace-format.md). The
 * writers append to a caller's buffer without printf on the hot path.
 */
#include <stdio.h>
#include <string.h>

#include "names.h"
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
    n += put_u(buf + n, a->vcpu);
    buf[n++] = ' ';
    if (a->call != SDEI_CALL_ID_NONE) {
        n += put_s(buf + n, sim_call_name(a->call));
    } else {
        n += put_x(buf + n, a->fid);
    }
    /* Trailing zero arguments are left out: "missing = 0". */
    int last = 4;
    while (last >= 0 && a->arg[last] == 0 && !(a->keep_mask & (1u << last))) {
        last--;
    }
    for (int i = 0; i <= last; i++) {
        buf[n++] = ' ';
        if (a->keep_mask & (1u << i)) {
            buf[n++] = '-';
        } else {
            n += sim_format_value(buf + n, a->arg[i], 0);
        }
    }
    return n;
}

static size_t fmt_setreg(char *buf, const sim_action *a)
{
    size_t n = put_s(buf, "setreg ");
    n += put_u(buf + n, a->vcpu);
    for (unsigned i = 0; i < a->nregs; i++) {
        buf[n++] = ' ';
        n += put_s(buf + n, sim_reg_name(a->reg[i]));
        buf[n++] = '=';
        n += sim_format_value(buf + n, a->val[i], 0);
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
    n += a->vcpu == SDEI_VMM_VM ? put_s(buf + n, "vm") : put_u(buf + n, a->vcpu);
    buf[n++] = ' ';
    n += name != NULL ? put_s(buf + n, name) : put_u(buf + n, a->vmm_cmd);
    if (a->has_count) {
        n += put_s(buf + n, " count=");
        n += put_u(buf + n, a->count);
    }
    if (a->num != 0) {
        n += put_s(buf + n, " num=");
        n += put_x(buf + n, a->num);
    }
    if (a->data != NULL) {
        n += put_s(buf + n, " data=");
        n += put_hex(buf + n, a->data, a->data_len);
    }
    return n;
}

/* "trigger NUM V" / "irq INTID V" / "deliver V". */
static size_t fmt_target(char *buf, const char *word, const uint64_t *num, const uint32_t *id,
                         uint32_t vcpu)
{
    size_t n = put_s(buf, word);
    if (num != NULL) {
        n += put_x(buf + n, *num);
        buf[n++] = ' ';
    } else if (id != NULL) {
        n += put_u(buf + n, *id);
        buf[n++] = ' ';
    }
    return n + put_u(buf + n, vcpu);
}

size_t sim_format_action(char *buf, const sim_action *a)
{
    size_t n = 0;
    buf[n++] = '>';
    buf[n++] = ' ';
    switch (a->kind) {
    case SIM_A_HVC: n += fmt_hvc(buf + n, a); break;
    case SIM_A_SETREG: n += fmt_setreg(buf + n, a); break;
    case SIM_A_DELIVER: n += fmt_target(buf + n, "deliver ", NULL, NULL, a->vcpu); break;
    case SIM_A_TRIGGER: n += fmt_target(buf + n, "trigger ", &a->num, NULL, a->vcpu); break;
    case SIM_A_IRQ: n += fmt_target(buf + n, "irq ", NULL, &a->intid, a->vcpu); break;
    case SIM_A_MIGRATE: n += put_s(buf + n, "migrate"); break;
    case SIM_A_EXPOSE: n += fmt_expose(buf + n, a); break;
    case SIM_A_VMM: n += fmt_vmm(buf + n, a); break;
    default: n += put_s(buf + n, "?"); break;
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
    case SIM_F_X0: return sim_format_value(buf, r->x[0], r->x0_named);
    case SIM_F_X1: return sim_format_value(buf, r->x[1], 0);
    case SIM_F_X2: return sim_format_value(buf, r->x[2], 0);
    case SIM_F_X3: return sim_format_value(buf, r->x[3], 0);
    case SIM_F_PC: return put_x(buf, r->pc);
    case SIM_F_PSTATE: return put_x(buf, r->pstate);
    case SIM_F_ELR: return put_x(buf, r->elr);
    case SIM_F_SPSR: return put_x(buf, r->spsr);
    case SIM_F_NUM: return put_x(buf, r->num);
    case SIM_F_PRIO: return put_s(buf, r->prio ? "critical" : "normal");
    case SIM_F_RET: {
        const char *en = sim_errno_name(r->ret);
        return en != NULL ? put_s(buf, en) : (size_t)sprintf(buf, "%d", r->ret);
    }
    case SIM_F_COUNT: return put_u(buf, r->count);
    case SIM_F_DATA: return put_hex(buf, r->data, r->data_len);
    default: return 0;
    }
}

size_t sim_format_result(char *buf, const sim_result *r)
{
    size_t n = 0;
    int positional = r->kind == SIM_R_ENTERED || r->kind == SIM_R_COMPLETED;
    buf[n++] = '<';
    buf[n++] = ' ';
    n += put_s(buf + n, sim_res_kind_name(r->kind));
    if (positional && (r->fields & SIM_F_NUM)) {
        buf[n++] = ' ';
        n += put_x(buf + n, r->num);
    }
    if (r->kind == SIM_R_ERR && (r->fields & SIM_F_ERR)) {
        buf[n++] = ' ';
        n += put_u(buf + n, (uint32_t)r->err);
    }
    for (unsigned j = 0; j < sim_n_res_keys; j++) {
        uint32_t bit = sim_res_keys[j].bit;
        if (!(r->fields & bit) || bit == SIM_F_ERR || (bit == SIM_F_NUM && positional)) {
            continue;
        }
        if (bit == SIM_F_PREEMPTED) {
            n += r->preempted ? put_s(buf + n, " preempted") : 0;
            continue;
        }
        buf[n++] = ' ';
        n += put_s(buf + n, sim_res_keys[j].key);
        buf[n++] = '=';
        n += fmt_field(buf + n, r, bit);
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return n;
}
