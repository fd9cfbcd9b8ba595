/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_driver.c - decode records into actions, apply them to the model, and
 * check the invariants of DESIGN §5 after every one (the simulator's list,
 * sim/sim.h SIM_INVARIANT_LIST, with the same quirk masks).
 */
#include "fuzz_driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- input layout ---- */

void fz_header_decode(const uint8_t *data, size_t len, fz_header *h)
{
    uint8_t b[FZ_HDR_SIZE] = {0};
    memcpy(b, data, len < FZ_HDR_SIZE ? len : FZ_HDR_SIZE);
    /* An all-zero header is the common case: spec profile, 4 vCPUs, SPAN = 1. */
    h->profile = (b[0] & 1u) ? SDEI_PROFILE_KVM_V5 : SDEI_PROFILE_SPEC;
    h->nr_vcpus = FZ_MAX_VCPUS - (uint32_t)(b[1] % FZ_MAX_VCPUS);
    h->span = (b[2] & 1u) ? 0 : 1;
}

size_t fz_rec_count(size_t len)
{
    if (len <= FZ_HDR_SIZE) {
        return 0;
    }
    size_t n = (len - FZ_HDR_SIZE) / FZ_REC_SIZE;
    return n < FZ_MAX_RECS ? n : FZ_MAX_RECS;
}

void fz_rec_decode(const uint8_t *data, size_t index, fz_rec *r)
{
    fz_rec_decode_at(data + FZ_HDR_SIZE + index * FZ_REC_SIZE, r);
}

void fz_rec_decode_at(const uint8_t *p, fz_rec *r)
{
    r->kind = p[0];
    r->vcpu = p[1];
    r->mode = (uint16_t)sdei_get_le(p + 2, 2);
    r->sel = sdei_get_le32(p + 4);
    for (unsigned i = 0; i < 5; i++) {
        r->arg[i] = sdei_get_le64(p + 8 + 8 * i);
    }
}

void fz_rec_encode(const fz_rec *r, uint8_t *out)
{
    out[0] = r->kind;
    out[1] = r->vcpu;
    sdei_put_le(out + 2, r->mode, 2);
    sdei_put_le32(out + 4, r->sel);
    for (unsigned i = 0; i < 5; i++) {
        sdei_put_le64(out + 8 + 8 * i, r->arg[i]);
    }
}

/* ---- the fuzz VM ---- */

const sdei_event_desc fz_exposed[FZ_NR_EXPOSED] = {
    {.num = 0,
     .type = SDEI_EVENT_TYPE_PRIVATE,
     .priority = SDEI_EVENT_PRIORITY_NORMAL,
     .signaled = 1},
    {.num = FZ_EV_PRIV_NORMAL,
     .type = SDEI_EVENT_TYPE_PRIVATE,
     .priority = SDEI_EVENT_PRIORITY_NORMAL},
    {.num = FZ_EV_PRIV_CRITICAL,
     .type = SDEI_EVENT_TYPE_PRIVATE,
     .priority = SDEI_EVENT_PRIORITY_CRITICAL},
    {.num = FZ_EV_SHARED_NORMAL,
     .type = SDEI_EVENT_TYPE_SHARED,
     .priority = SDEI_EVENT_PRIORITY_NORMAL},
    {.num = FZ_EV_SHARED_CRIT,
     .type = SDEI_EVENT_TYPE_SHARED,
     .priority = SDEI_EVENT_PRIORITY_CRITICAL},
};

/* Event-number arguments go through this table so that most records name an
 * event the VM knows; the last entries are the invalid shapes of DESIGN §3.2. */
const uint64_t fz_event_choices[FZ_NR_EVENT_CHOICES] = {
    0,
    FZ_EV_PRIV_NORMAL,
    FZ_EV_PRIV_CRITICAL,
    FZ_EV_SHARED_NORMAL,
    FZ_EV_SHARED_CRIT,
    SDEI_BIND_PRIVATE_BASE,
    SDEI_BIND_PRIVATE_BASE + 1,
    SDEI_BIND_SHARED_BASE,
    SDEI_BIND_SHARED_BASE + 1,
    0, /* event 0 twice: SIGNAL and the Linux boot use it */
    FZ_EV_PRIV_NORMAL,
    FZ_EV_SHARED_NORMAL,
    UINT64_C(0x00400077),  /* right shape, not exposed */
    UINT64_C(0x80400001),  /* bit 31 set */
    UINT64_C(0x100400001), /* bits 63:32 set */
    UINT64_C(0x00000001),  /* bits 23:22 != 0b01 */
};

sdei_config fz_config(const fz_header *h)
{
    sdei_config cfg = sdei_config_default(h->nr_vcpus);
    cfg.max_events = FZ_MAX_EVENTS;
    cfg.profile = h->profile;
    cfg.sctlr_el1_span = h->span;
    return cfg;
}

static int fz_vm_build(fz_vm *f, unsigned buf)
{
    size_t need = 0;
    if (sdei_vm_mem_size(&f->cfg, &need) != SDEI_OK || need > sizeof(f->mem[buf])) {
        return -1;
    }
    sdei_vm *vm = NULL;
    if (sdei_vm_init(f->mem[buf], sizeof(f->mem[buf]), &f->cfg, &vm) != SDEI_OK) {
        return -1;
    }
    f->vm = vm;
    f->cur = buf;
    return 0;
}

int fz_vm_fresh(fz_vm *f, int expose)
{
    if (fz_vm_build(f, 1u - f->cur) != 0) {
        return -1;
    }
    memset(f->shadow_valid, 0, sizeof(f->shadow_valid));
    for (unsigned i = 0; expose && i < FZ_NR_EXPOSED; i++) {
        if (sdei_vm_expose_event(f->vm, &fz_exposed[i]) != SDEI_OK) {
            return -1;
        }
    }
    return 0;
}

int fz_vm_init(fz_vm *f, const fz_header *h)
{
    f->cfg = fz_config(h);
    memset(f->shadow_valid, 0, sizeof(f->shadow_valid));
    f->migrations = 0;
    f->ever_bound = 0;
    f->blob_made = 0;
    f->skipped_migrations = 0;
    if (fz_vm_build(f, 0) != 0) {
        return -1;
    }
    for (unsigned i = 0; i < FZ_NR_EXPOSED; i++) {
        if (sdei_vm_expose_event(f->vm, &fz_exposed[i]) != SDEI_OK) {
            return -1;
        }
    }
    return 0;
}

/* ---- decoding ---- */

static uint64_t cook_event(uint64_t arg)
{
    return fz_event_choices[arg % FZ_NR_EVENT_CHOICES];
}

/* An affinity: one of the vCPUs' MPIDRs, or one that names no vCPU. */
static uint64_t cook_affinity(const sdei_config *cfg, uint64_t arg)
{
    uint32_t i = (uint32_t)(arg % (cfg->nr_vcpus + 1u));
    if (i == cfg->nr_vcpus) {
        return UINT64_C(0x80000F00); /* Aff1 = 15: no vCPU of a small VM */
    }
    return sdei_default_mpidr(i);
}

/* INTERRUPT_BIND arguments: SGIs, a few PPIs and SPIs (so that re-binding
 * repeats), the range ends and beyond. */
static uint64_t cook_intid(uint64_t arg)
{
    switch (arg % 8u) {
    case 0:
        return arg % 16u; /* SGI */
    case 1:
    case 2:
        return 16u + (arg >> 3) % 4u; /* PPI */
    case 3:
    case 4:
        return 32u + (arg >> 3) % 4u; /* SPI */
    case 5:
        return SDEI_INTID_SPI_LAST;
    case 6:
        return SDEI_INTID_SPI_LAST + 1u + (arg >> 3) % 8u;
    default:
        return 16u + (arg >> 3) % 1004u; /* any PPI or SPI */
    }
}

static uint64_t cook_entry(uint64_t arg)
{
    if (arg % 8u == 0) {
        return 0; /* REGISTER.1: entry point 0 */
    }
    return UINT64_C(0xFFFF800010000000) + (arg & UINT64_C(0xFFF0));
}

void fz_decode(const sdei_config *cfg, uint64_t quirks, const fz_rec *r, fz_action *a)
{
    memset(a, 0, sizeof(*a));
    a->vcpu = r->vcpu % cfg->nr_vcpus;
    /* The kind byte: most records are hypercalls; migrations are rare (each
     * costs two full blob round trips) except in the migration target, whose
     * seeds have them. */
    uint8_t k = r->kind;
    a->kind = k < 0xA0   ? FZ_HVC
              : k < 0xC8 ? FZ_DELIVER
              : k < 0xD8 ? FZ_TRIGGER
              : k < 0xE0 ? FZ_IRQ
              : k < 0xF0 ? FZ_INJECT
              : k < 0xFC ? FZ_SETREG
                         : FZ_MIGRATE;
    switch (a->kind) {
    case FZ_HVC: {
        uint64_t c[5] = {0, 0, 0, 0, 0};
        const uint64_t *g = r->arg;
        if (r->mode & FZ_MODE_RAW_FID) {
            a->call = SDEI_CALL_ID_NONE;
            a->x[0] = r->sel;
        } else {
            unsigned s = r->sel % (SDEI_CALL_COUNT + 1u);
            if (s == SDEI_CALL_COUNT) {
                /* The other profile's FEATURES FID (kvm-v5 §1.6). */
                a->call = SDEI_CALL_ID_NONE;
                a->x[0] = (quirks & SDEI_QUIRK_BIT(FEATURES_FID_0X50)) ? SDEI_FID_FEATURES
                                                                       : SDEI_FID_FEATURES_KVM_V5;
            } else {
                a->call = (uint8_t)s;
                a->x[0] = SDEI_FID_BASE + s;
                if (s == SDEI_CALL_FEATURES && (quirks & SDEI_QUIRK_BIT(FEATURES_FID_0X50))) {
                    a->x[0] = SDEI_FID_FEATURES_KVM_V5;
                }
            }
        }
        switch (a->call) {
        case SDEI_CALL_EVENT_REGISTER:
            c[0] = cook_event(g[0]);
            c[1] = cook_entry(g[1]);
            c[2] = g[2];
            c[3] = g[3] % 3u;
            c[4] = cook_affinity(cfg, g[4]);
            break;
        case SDEI_CALL_EVENT_ENABLE:
        case SDEI_CALL_EVENT_DISABLE:
        case SDEI_CALL_EVENT_UNREGISTER:
        case SDEI_CALL_EVENT_STATUS:
        case SDEI_CALL_INTERRUPT_RELEASE:
            c[0] = cook_event(g[0]);
            break;
        case SDEI_CALL_EVENT_GET_INFO:
            c[0] = cook_event(g[0]);
            c[1] = g[1] % 6u;
            break;
        case SDEI_CALL_EVENT_ROUTING_SET:
            c[0] = cook_event(g[0]);
            c[1] = g[1] % 3u;
            c[2] = cook_affinity(cfg, g[2]);
            break;
        case SDEI_CALL_EVENT_CONTEXT:
            c[0] = g[0] % 20u;
            break;
        case SDEI_CALL_EVENT_COMPLETE:
            c[0] = g[0] % 2u;
            break;
        case SDEI_CALL_EVENT_COMPLETE_AND_RESUME:
            c[0] = UINT64_C(0xFFFF800020000000) + (g[0] & UINT64_C(0xFFFC));
            break;
        case SDEI_CALL_INTERRUPT_BIND:
            c[0] = cook_intid(g[0]);
            break;
        case SDEI_CALL_EVENT_SIGNAL:
            c[0] = (g[0] % 4u == 0) ? cook_event(g[0] >> 2) : 0;
            c[1] = cook_affinity(cfg, g[1]);
            break;
        case SDEI_CALL_FEATURES:
            c[0] = g[0] % 3u;
            break;
        default:
            break; /* VERSION, PE_MASK, ... and raw FIDs: arguments are unused */
        }
        for (unsigned i = 0; i < 5; i++) {
            a->x[i + 1] = (r->mode & FZ_MODE_RAW_ARG(i)) ? g[i] : c[i];
        }
        if (r->mode & FZ_MODE_FID_HIGH) {
            a->x[0] |= UINT64_C(0xFFFFFFFF00000000);
        }
        break;
    }
    case FZ_TRIGGER:
    case FZ_INJECT:
        /* Only exposed events: the model's API answers SDEI_E_EVENT otherwise,
         * which says nothing about the state machine. Raw numbers still
         * reach INJECT's checks. */
        a->num = (a->kind == FZ_INJECT && (r->mode & FZ_MODE_RAW_ARG(0)))
                     ? r->arg[0]
                     : fz_event_choices[r->sel % 9u];
        break;
    case FZ_IRQ:
        a->intid = (uint32_t)cook_intid(r->sel);
        break;
    case FZ_SETREG: {
        /* Registers that delivery saves and COMPLETE restores: x0..x17, pc,
         * pstate; sometimes sp/elr/spsr or a high x register. */
        a->nregs = (uint8_t)(1u + r->sel % 3u);
        for (unsigned i = 0; i < a->nregs; i++) {
            unsigned b = (r->sel >> (8 + 8 * i)) & 0xFFu;
            static const uint8_t pick[24] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                             12, 13, 14, 15, 16, 17, 32, 33, 33, 34, 35, 30};
            a->reg[i] = pick[b % 24u];
            a->val[i] = r->arg[i];
        }
        break;
    }
    case FZ_MIGRATE:
        a->variant = (uint8_t)(r->sel & 1u);
        break;
    default:
        break;
    }
}

/* ---- executing ---- */

static uint64_t *reg_ptr(sdei_regs *g, unsigned reg)
{
    if (reg < 31u) {
        return &g->x[reg];
    }
    switch (reg) {
    case 31:
        return &g->sp;
    case 32:
        return &g->pc;
    case 33:
        return &g->pstate;
    case 34:
        return &g->elr_el1;
    default:
        return &g->spsr_el1;
    }
}

static int is_status_only_call(uint32_t call)
{
    switch (call) {
    case SDEI_CALL_EVENT_REGISTER:
    case SDEI_CALL_EVENT_ENABLE:
    case SDEI_CALL_EVENT_DISABLE:
    case SDEI_CALL_EVENT_UNREGISTER:
    case SDEI_CALL_EVENT_ROUTING_SET:
    case SDEI_CALL_PE_UNMASK:
    case SDEI_CALL_INTERRUPT_RELEASE:
    case SDEI_CALL_EVENT_SIGNAL:
    case SDEI_CALL_PRIVATE_RESET:
    case SDEI_CALL_SHARED_RESET:
    case SDEI_CALL_EVENT_COMPLETE:
    case SDEI_CALL_EVENT_COMPLETE_AND_RESUME:
        return 1;
    default:
        return 0;
    }
}

static int is_sdei_code(int64_t v)
{
    return v == SDEI_SUCCESS || v == SDEI_NOT_SUPPORTED || v == SDEI_INVALID_PARAMETERS ||
           v == SDEI_DENIED || v == SDEI_PENDING || v == SDEI_OUT_OF_RESOURCE;
}

static int quirk(const fz_vm *f, uint64_t bit)
{
    return (sdei_vm_quirks(f->vm) & bit) != 0;
}

static char fz_msg[256];

#define U(x) ((unsigned long long)(x))

static const char *msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fz_msg, sizeof(fz_msg), fmt, ap);
    va_end(ap);
    return fz_msg;
}

static const char *exec_hvc(fz_vm *f, const fz_action *a, fz_result *res)
{
    sdei_regs *g = sdei_vcpu_regs(f->vm, a->vcpu);
    sdei_regs before;
    for (unsigned i = 0; i < 6; i++) {
        g->x[i] = a->x[i];
    }
    before = *g;
    sdei_call_info info;
    sdei_err err = sdei_hypercall(f->vm, a->vcpu, &info);
    if (err != SDEI_OK) {
        res->kind = FZ_R_ERR;
        res->ret = (int32_t)err;
        return "sdei_hypercall: API error for a valid vCPU";
    }
    switch (info.outcome) {
    case SDEI_CALL_COMPLETED: {
        res->kind = FZ_R_COMPLETED;
        res->num = info.completed_num;
        res->prio = info.completed_priority;
        /* complete_restores_registers (DESIGN §5): x0..x17, PC and PSTATE are
         * those saved at delivery; COMPLETE_AND_RESUME moves them to ELR/SPSR
         * and resumes at x1 (sdei-rules §8). */
        unsigned cls = info.completed_priority == SDEI_EVENT_PRIORITY_CRITICAL;
        if (a->vcpu < FZ_MAX_VCPUS && f->shadow_valid[a->vcpu][cls]) {
            const uint64_t *s = f->shadow[a->vcpu][cls];
            for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
                if (g->x[i] != s[i]) {
                    return msg("complete_restores_registers: x%llu = 0x%llx differs from the "
                               "value saved at delivery",
                               U(i), U(g->x[i]));
                }
            }
            int resume = info.call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME &&
                         !quirk(f, SDEI_QUIRK_BIT(RESUME_IGNORED));
            if (resume) {
                if (g->pc != before.x[1] || g->elr_el1 != s[SDEI_SAVED_GPREGS] ||
                    g->spsr_el1 != s[SDEI_SAVED_GPREGS + 1]) {
                    return msg("complete_restores_registers: COMPLETE_AND_RESUME pc 0x%llx / "
                               "elr 0x%llx are not the resume address / interrupted pc",
                               U(g->pc), U(g->elr_el1));
                }
            } else if (g->pc != s[SDEI_SAVED_GPREGS] || g->pstate != s[SDEI_SAVED_GPREGS + 1]) {
                return msg("complete_restores_registers: pc 0x%llx pstate 0x%llx differ from "
                           "the context saved at delivery",
                           U(g->pc), U(g->pstate));
            }
            f->shadow_valid[a->vcpu][cls] = 0;
        }
        break;
    }
    case SDEI_CALL_NO_RESULT:
        res->kind = FZ_R_NORESULT;
        if (!quirk(f, SDEI_QUIRK_BIT(COMPLETE_NO_RESULT))) {
            return "hvc: no result written without the complete_no_result quirk";
        }
        break;
    case SDEI_CALL_NOT_SDEI:
    case SDEI_CALL_RETURNED:
        res->kind = info.outcome == SDEI_CALL_NOT_SDEI ? FZ_R_NOTSDEI : FZ_R_RET;
        res->x0 = info.result;
        if (g->x[0] != (uint64_t)info.result || g->x[1] != 0 || g->x[2] != 0 || g->x[3] != 0) {
            return "hvc: x0 is not the result or x1..x3 are not 0 (kvm-v5 §4.1)";
        }
        if (info.call != SDEI_CALL_ID_NONE && is_status_only_call(info.call) &&
            !is_sdei_code(info.result)) {
            return msg("hvc: a status-only call returned 0x%llx (call %llu)",
                       U((unsigned long long)info.result), U(info.call));
        }
        if (info.call == SDEI_CALL_INTERRUPT_BIND && info.result >= 0) {
            f->ever_bound = 1;
        }
        if (info.call == SDEI_CALL_EVENT_COMPLETE ||
            info.call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME) {
            if (info.result != SDEI_DENIED) {
                return "hvc: a COMPLETE that failed did not return DENIED";
            }
        }
        break;
    default:
        return "hvc: unknown outcome";
    }
    /* Registers the call does not define stay as they were (x4.. and the
     * system registers), except after COMPLETE which restores a context. */
    if (res->kind != FZ_R_COMPLETED) {
        for (unsigned i = 4; i < 31; i++) {
            if (g->x[i] != before.x[i]) {
                return msg("hvc: x%llu changed from 0x%llx", U(i), U(before.x[i]));
            }
        }
        if (g->pc != before.pc || g->pstate != before.pstate || g->elr_el1 != before.elr_el1 ||
            g->spsr_el1 != before.spsr_el1 || g->sp != before.sp) {
            return "hvc: pc, pstate, sp, elr or spsr changed by a call that returned";
        }
    }
    return NULL;
}

static const char *exec_deliver(fz_vm *f, const fz_action *a, fz_result *res)
{
    sdei_vcpu_view pre;
    if (sdei_vcpu_view_of(f->vm, a->vcpu, &pre) != SDEI_OK) {
        return "sdei_vcpu_view_of failed";
    }
    sdei_regs *g = sdei_vcpu_regs(f->vm, a->vcpu);
    sdei_regs before = *g;
    int would = sdei_vcpu_has_deliverable(f->vm, a->vcpu);
    sdei_delivery d;
    if (sdei_vcpu_deliver(f->vm, a->vcpu, &d) != SDEI_OK) {
        return "sdei_vcpu_deliver: API error for a valid vCPU";
    }
    if (would != d.delivered) {
        return "sdei_vcpu_has_deliverable disagrees with sdei_vcpu_deliver";
    }
    if (!d.delivered) {
        res->kind = FZ_R_NONE;
        if (memcmp(&before, g, sizeof(before)) != 0) {
            return "deliver: nothing delivered but the registers changed";
        }
        return NULL;
    }
    res->kind = FZ_R_ENTERED;
    res->num = d.num;
    res->prio = d.priority;
    res->preempted = d.preempted;
    int v5_mask = quirk(f, SDEI_QUIRK_BIT(INJECT_MASKED_EPERM));
    /* critical_never_preempted, one_handler_per_class (sdei-rules §4.5) */
    if (pre.critical_running) {
        return "critical_never_preempted: delivered while a critical handler runs";
    }
    if (d.priority == SDEI_EVENT_PRIORITY_NORMAL && pre.normal_running) {
        return "one_handler_per_class: a normal event delivered over a running normal handler";
    }
    if (d.preempted != (d.priority == SDEI_EVENT_PRIORITY_CRITICAL && pre.normal_running)) {
        return "deliver: the preempted flag is wrong";
    }
    /* no_delivery_when_masked (sdei-rules §7.1 condition 4) */
    if (pre.masked && !v5_mask) {
        return "no_delivery_when_masked: delivered to a masked vCPU";
    }
    /* delivered_event_running_enabled */
    sdei_event_state st;
    if (sdei_event_state_of(f->vm, d.num, a->vcpu, &st) != SDEI_OK) {
        return "deliver: the delivered event is unknown";
    }
    if (st != SDEI_STATE_RUNNING_ENABLED && !v5_mask &&
        !quirk(f, SDEI_QUIRK_BIT(STATUS_RUNNING_VM_WIDE))) {
        return msg("delivered_event_running_enabled: event 0x%llx is in state %llu after "
                   "delivery",
                   U(d.num), U(st));
    }
    /* Handler entry registers (sdei-rules §7.2-§7.3). */
    if (g->x[0] != d.num || g->x[2] != before.pc || g->x[3] != before.pstate) {
        return "deliver: x0/x2/x3 at handler entry are not num/interrupted pc/pstate";
    }
    if ((g->pstate & SDEI_PSTATE_DAIF) != SDEI_PSTATE_DAIF ||
        (g->pstate & SDEI_PSTATE_M_MASK) != SDEI_PSTATE_M_EL1H) {
        return "deliver: handler PSTATE is not EL1h with DAIF masked";
    }
    if (!quirk(f, SDEI_QUIRK_BIT(ZERO_X4_X17))) {
        for (unsigned i = 4; i < 31; i++) {
            if (g->x[i] != before.x[i]) {
                return msg("deliver: x%llu changed at handler entry (was 0x%llx)", U(i),
                           U(before.x[i]));
            }
        }
    }
    if (!quirk(f, SDEI_QUIRK_BIT(SPSR_CLOBBER)) && g->spsr_el1 != before.spsr_el1) {
        return "deliver: SPSR_EL1 changed at handler entry";
    }
    unsigned cls = d.priority == SDEI_EVENT_PRIORITY_CRITICAL;
    if (a->vcpu < FZ_MAX_VCPUS) {
        uint64_t *s = f->shadow[a->vcpu][cls];
        for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
            s[i] = before.x[i];
        }
        s[SDEI_SAVED_GPREGS] = before.pc;
        s[SDEI_SAVED_GPREGS + 1] = before.pstate;
        f->shadow_valid[a->vcpu][cls] = 1;
    }
    return NULL;
}

static const char *exec_inject(fz_vm *f, const fz_action *a, fz_result *res)
{
    sdei_vmm_cmd_block cmd;
    memset(&cmd, 0, sizeof(cmd));
    cmd.cmd = SDEI_CMD_INJECT_EVENT;
    cmd.num = a->num;
    res->kind = FZ_R_VMM;
    res->ret = sdei_vmm_command(f->vm, a->vcpu, &cmd);
    if (res->ret != 0 && sdei_errno_name(res->ret) == NULL) {
        return "INJECT_EVENT: an errno the kernel does not return";
    }
    return NULL;
}

const char *fz_exec(fz_vm *f, const fz_action *a, fz_result *res)
{
    memset(res, 0, sizeof(*res));
    switch (a->kind) {
    case FZ_HVC:
        return exec_hvc(f, a, res);
    case FZ_DELIVER:
        return exec_deliver(f, a, res);
    case FZ_TRIGGER:
    case FZ_IRQ: {
        sdei_trigger_result tr = SDEI_TRIGGER_DROPPED;
        sdei_err err = a->kind == FZ_TRIGGER
                           ? sdei_event_trigger(f->vm, a->num, a->vcpu, &tr)
                           : sdei_interrupt_trigger(f->vm, a->intid, a->vcpu, &tr);
        if (err != SDEI_OK) {
            res->kind = FZ_R_ERR;
            res->ret = (int32_t)err;
            sdei_event_state st;
            /* SDEI_E_EVENT is right for a number this VM does not expose (the
             * bind slots under no_bind), SDEI_E_INTID for an unbound interrupt. */
            if (a->kind == FZ_TRIGGER &&
                (err != SDEI_E_EVENT || sdei_event_state_of(f->vm, a->num, 0, &st) == SDEI_OK)) {
                return "trigger: API error for an exposed event";
            }
            if (a->kind == FZ_IRQ && err != SDEI_E_INTID) {
                return "irq: API error other than SDEI_E_INTID";
            }
            return NULL;
        }
        res->kind = tr == SDEI_TRIGGER_PENDING ? FZ_R_PENDING : FZ_R_DROPPED;
        return NULL;
    }
    case FZ_INJECT:
        return exec_inject(f, a, res);
    case FZ_SETREG: {
        sdei_regs *g = sdei_vcpu_regs(f->vm, a->vcpu);
        for (unsigned i = 0; i < a->nregs; i++) {
            *reg_ptr(g, a->reg[i]) = a->val[i];
        }
        res->kind = FZ_R_OK;
        return NULL;
    }
    case FZ_MIGRATE:
        res->kind = FZ_R_OK;
        return fz_migrate(f, a->variant);
    default:
        return "unknown action kind";
    }
}

/* ---- whole-VM invariants ---- */

/* The invariants of one event across every vCPU (views of all vCPUs given). */
/* Quirks that make an invariant not hold (sim/sim.h SIM_INVARIANT_LIST). */
#define Q_SHARED_RUNS_ONCE SDEI_QUIRK_BIT(SHARED_PER_VCPU)
#define Q_UP_RUNNING                                                                               \
    (SDEI_QUIRK_BIT(STALE_UNREGISTER_PENDING) | SDEI_QUIRK_BIT(PENDING_KEEPS_REGISTERED))

/* Views of the vCPUs, fetched on first use (a view copies both saved
 * contexts: the most expensive part of a check). */
typedef struct views {
    const sdei_vm *vm;
    uint8_t valid[FZ_MAX_VCPUS];
    sdei_vcpu_view v[FZ_MAX_VCPUS];
} views;

static const sdei_vcpu_view *view_of(views *w, uint32_t v)
{
    if (!w->valid[v]) {
        if (sdei_vcpu_view_of(w->vm, v, &w->v[v]) != SDEI_OK) {
            memset(&w->v[v], 0, sizeof(w->v[v]));
        }
        w->valid[v] = 1;
    }
    return &w->v[v];
}

/* The invariants of one event: on vCPU `only` for a private event (every
 * vCPU when only == UINT32_MAX), on every vCPU for a shared one. */
static const char *check_event(const sdei_vm *vm, const sdei_event_desc *d, views *w, uint32_t n,
                               int strict, uint32_t only)
{
    uint64_t q = sdei_vm_quirks(vm);
    uint32_t runs = 0, pend_total = 0;
    int shared = d->type == SDEI_EVENT_TYPE_SHARED;
    for (uint32_t v = 0; v < n; v++) {
        if (!shared && only != UINT32_MAX && v != only) {
            continue;
        }
        const sdei_vcpu_view *view = view_of(w, v);
        int on_normal = view->normal_running && view->normal_num == d->num;
        int on_crit = view->critical_running && view->critical_num == d->num;
        if (on_normal && d->priority != SDEI_EVENT_PRIORITY_NORMAL) {
            return msg("one_handler_per_class: event 0x%llx (critical) in the normal slot of "
                       "vCPU %u",
                       U(d->num), v);
        }
        if (on_crit && d->priority != SDEI_EVENT_PRIORITY_CRITICAL) {
            return msg("one_handler_per_class: event 0x%llx (normal) in the critical slot of "
                       "vCPU %u",
                       U(d->num), v);
        }
        int here = on_normal || on_crit;
        runs += (uint32_t)here;
        sdei_event_state st;
        uint32_t pend = 0;
        if (sdei_event_state_of(vm, d->num, v, &st) != SDEI_OK ||
            sdei_event_pending_count(vm, d->num, v, &pend) != SDEI_OK) {
            return "state view failed for an exposed event";
        }
        pend_total += pend;
        int running_state = st == SDEI_STATE_RUNNING_ENABLED || st == SDEI_STATE_RUNNING_DISABLED ||
                            st == SDEI_STATE_UNREGISTER_PENDING;
        if (d->type == SDEI_EVENT_TYPE_PRIVATE && running_state != here && !(q & Q_UP_RUNNING)) {
            return msg("unregister_pending_implies_running: private event 0x%llx in state %s "
                       "on vCPU %u disagrees with its running slots",
                       U(d->num), sdei_state_name(st), v);
        }
        if (strict) {
            /* Edge-triggered (sdei-rules §6.12): one latch per (event, vCPU). */
            if (pend > 1 && strict == 2) {
                return msg("edge_triggered: event 0x%llx has %u pending triggers on vCPU %u",
                           U(d->num), pend, v);
            }
            /* UNREGISTER cancels triggers; a trigger on U or UP is dropped (§7.4). */
            if (pend > 0 &&
                (st == SDEI_STATE_UNREGISTERED || st == SDEI_STATE_UNREGISTER_PENDING)) {
                return msg("no_pending_when_unregistered: event 0x%llx pending on vCPU %u in "
                           "state %s",
                           U(d->num), v, sdei_state_name(st));
            }
        }
    }
    if (d->type == SDEI_EVENT_TYPE_SHARED) {
        /* shared_runs_on_one_vcpu (ACS 4.42, sdei-rules §4.3) */
        if (runs > 1 && !(q & Q_SHARED_RUNS_ONCE)) {
            return msg("shared_runs_on_one_vcpu: event 0x%llx runs on %u vCPUs", U(d->num), runs);
        }
        if (strict == 2 && pend_total > 1) {
            return msg("edge_triggered: shared event 0x%llx has %u pending triggers", U(d->num),
                       pend_total);
        }
        sdei_event_state st;
        if (sdei_event_state_of(vm, d->num, 0, &st) != SDEI_OK) {
            return "state view failed";
        }
        int running_state = st == SDEI_STATE_RUNNING_ENABLED || st == SDEI_STATE_RUNNING_DISABLED ||
                            st == SDEI_STATE_UNREGISTER_PENDING;
        if (running_state != (runs > 0) && !(q & Q_UP_RUNNING)) {
            return msg("unregister_pending_implies_running: shared event 0x%llx in state %s "
                       "disagrees with the running slots",
                       U(d->num), sdei_state_name(st));
        }
    }
    return NULL;
}

/* Events a record can have changed: none (0), the listed ones, or any (-1). */
int fz_touched(const fz_vm *f, const fz_action *a, const fz_result *res, uint64_t *nums)
{
    int k = 0;
    switch (a->kind) {
    case FZ_HVC: {
        uint32_t fid = (uint32_t)a->x[0];
        uint32_t call = fid - (uint32_t)SDEI_FID_BASE;
        if (fid < (uint32_t)SDEI_FID_BASE || call >= SDEI_CALL_COUNT) {
            return 0; /* not an SDEI call: nothing changes */
        }
        switch (call) {
        case SDEI_CALL_PRIVATE_RESET:
        case SDEI_CALL_SHARED_RESET:
        case SDEI_CALL_PE_MASK: /* re-routes waiting RM_ANY triggers */
        case SDEI_CALL_PE_UNMASK:
        case SDEI_CALL_EVENT_ROUTING_SET:
        case SDEI_CALL_EVENT_SIGNAL: /* another vCPU's event 0 */
        case SDEI_CALL_INTERRUPT_RELEASE:
            return -1;
        default:
            break;
        }
        nums[k++] = a->x[1];
        if (res->kind == FZ_R_COMPLETED) {
            nums[k++] = res->num;
        }
        break;
    }
    case FZ_DELIVER:
        if (res->kind == FZ_R_ENTERED) {
            nums[k++] = res->num;
        }
        break;
    case FZ_TRIGGER:
    case FZ_INJECT:
        nums[k++] = a->num;
        break;
    case FZ_SETREG:
        break;
    default:
        return -1; /* irq (which event?), migrate */
    }
    /* The acting vCPU's running events: a COMPLETE or a delivery moves them. */
    sdei_vcpu_view vw;
    if (sdei_vcpu_view_of(f->vm, a->vcpu, &vw) == SDEI_OK) {
        if (vw.normal_running) {
            nums[k++] = vw.normal_num;
        }
        if (vw.critical_running) {
            nums[k++] = vw.critical_num;
        }
    }
    return k;
}

int fz_full_check_always;

/* A record the rules make a pure rejection or a read: no state can change
 * (sdei-rules §3: parameter and state checks come before any effect), so the
 * fuzzing build skips its per-record check; the check after the last record
 * still sees anything such a record broke. The replayers check it anyway. */
static int no_change(const fz_action *a, const fz_result *res)
{
    switch (a->kind) {
    case FZ_HVC: {
        if (res->kind == FZ_R_NOTSDEI || res->kind == FZ_R_NORESULT) {
            return 1;
        }
        if (res->kind != FZ_R_RET) {
            return 0;
        }
        uint32_t call = (uint32_t)a->x[0] - (uint32_t)SDEI_FID_BASE;
        switch (call) {
        case SDEI_CALL_VERSION:
        case SDEI_CALL_EVENT_CONTEXT:
        case SDEI_CALL_EVENT_STATUS:
        case SDEI_CALL_EVENT_GET_INFO:
        case SDEI_CALL_FEATURES:
            return 1;
        case SDEI_CALL_PRIVATE_RESET:
        case SDEI_CALL_SHARED_RESET:
            return 0; /* DENIED with effects (sdei-rules §6.14) */
        default:
            return res->x0 == SDEI_NOT_SUPPORTED || res->x0 == SDEI_INVALID_PARAMETERS ||
                   res->x0 == SDEI_DENIED || res->x0 == SDEI_OUT_OF_RESOURCE;
        }
    }
    case FZ_DELIVER:
        return res->kind == FZ_R_NONE;
    case FZ_TRIGGER:
    case FZ_IRQ:
        return res->kind == FZ_R_DROPPED || res->kind == FZ_R_ERR;
    case FZ_INJECT:
        return res->ret != 0;
    case FZ_SETREG:
        return 1; /* the register file only: checked by the next call */
    default:
        return 0;
    }
}

static const char *check_num(const sdei_vm *vm, uint64_t num, views *w, uint32_t n, int strict,
                             uint32_t only)
{
    sdei_event_state st;
    /* Only numbers the VM knows (a record may name an invalid one). */
    if (sdei_event_state_of(vm, num, 0, &st) != SDEI_OK) {
        return NULL;
    }
    for (uint32_t e = 0; e < sdei_vm_event_count(vm); e++) {
        sdei_event_desc d;
        if (sdei_vm_event_at(vm, e, &d) == SDEI_OK && d.num == num) {
            return check_event(vm, &d, w, n, strict, only);
        }
    }
    return NULL;
}

const char *fz_check_after(fz_vm *f, const fz_action *a, const fz_result *res)
{
    const sdei_vm *vm = f->vm;
    int full = fz_full_check_always || a == NULL;
#ifdef FZ_MEASURE_NO_CHECK
    if (!full) {
        return NULL;
    }
#endif
    if (!full && no_change(a, res)) {
        return NULL;
    }
    const char *m = sdei_vm_check(vm);
    if (m != NULL) {
        return msg("model_internal_check: %s", m);
    }
    uint64_t nums[8];
    int k = full ? -1 : fz_touched(f, a, res, nums);
    if (k == 0) {
        return NULL;
    }
    uint32_t n = sdei_vm_nr_vcpus(vm);
    /* The spec profile: every invariant holds; the edge-triggered count only
     * for states a guest made (a SET_VCPU_EVENT may load any event_count,
     * which the lint accepts: finding F3). */
    int strict = sdei_vm_quirks(vm) == 0 ? (f->blob_made ? 1 : 2) : 0;
    views w;
    w.vm = vm;
    memset(w.valid, 0, sizeof(w.valid));
    if (k > 0) {
        /* Private events changed only on the acting vCPU (the global calls
         * took the k < 0 path); shared events are checked everywhere. */
        for (int i = 0; i < k; i++) {
            m = check_num(vm, nums[i], &w, n, strict, a->vcpu);
            if (m != NULL) {
                return m;
            }
        }
        return NULL;
    }
    for (uint32_t e = 0; e < sdei_vm_event_count(vm); e++) {
        sdei_event_desc d;
        if (sdei_vm_event_at(vm, e, &d) != SDEI_OK) {
            return "sdei_vm_event_at failed";
        }
        m = check_event(vm, &d, &w, n, strict, UINT32_MAX);
        if (m != NULL) {
            return m;
        }
    }
    return NULL;
}

const char *fz_check(fz_vm *f)
{
    return fz_check_after(f, NULL, NULL);
}

/* ---- text ---- */

static void app(char *buf, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void app(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    if (*n + 1 >= cap) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (w > 0) {
        *n += (size_t)w < cap - *n ? (size_t)w : cap - *n - 1;
    }
}

static void app_val(char *buf, size_t cap, size_t *n, uint64_t v)
{
    if (v < 10) {
        app(buf, cap, n, " %llu", (unsigned long long)v);
    } else {
        app(buf, cap, n, " 0x%llx", (unsigned long long)v);
    }
}

static const char *const reg_names[36] = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",     "x10", "x11",
    "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",    "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",  "pc",  "pstate", "elr", "spsr",
};

const char *fz_reg_name(unsigned reg)
{
    return reg_names[reg % 36u];
}

size_t fz_action_format(char *buf, size_t cap, const fz_action *a)
{
    size_t n = 0;
    buf[0] = '\0';
    switch (a->kind) {
    case FZ_HVC: {
        app(buf, cap, &n, "hvc %u ", a->vcpu);
        if (a->call != SDEI_CALL_ID_NONE && (a->x[0] >> 32) == 0) {
            app(buf, cap, &n, "%s", sdei_call_name((sdei_call_id)a->call));
        } else {
            app(buf, cap, &n, "0x%llx", (unsigned long long)a->x[0]);
        }
        /* Trailing zero arguments are left out, as the trace writer does. */
        int last = 5;
        while (last >= 1 && a->x[last] == 0) {
            last--;
        }
        for (int i = 1; i <= last; i++) {
            app_val(buf, cap, &n, a->x[i]);
        }
        break;
    }
    case FZ_DELIVER:
        app(buf, cap, &n, "deliver %u", a->vcpu);
        break;
    case FZ_TRIGGER:
        app(buf, cap, &n, "trigger 0x%llx %u", (unsigned long long)a->num, a->vcpu);
        break;
    case FZ_IRQ:
        app(buf, cap, &n, "irq %u %u", a->intid, a->vcpu);
        break;
    case FZ_INJECT:
        app(buf, cap, &n, "vmm %u INJECT_EVENT num=0x%llx", a->vcpu, (unsigned long long)a->num);
        break;
    case FZ_SETREG:
        app(buf, cap, &n, "setreg %u", a->vcpu);
        for (unsigned i = 0; i < a->nregs; i++) {
            app(buf, cap, &n, " %s=0x%llx", fz_reg_name(a->reg[i]), (unsigned long long)a->val[i]);
        }
        break;
    case FZ_MIGRATE:
        app(buf, cap, &n, "migrate");
        break;
    default:
        app(buf, cap, &n, "?");
        break;
    }
    return n;
}

size_t fz_result_format(char *buf, size_t cap, const fz_result *r)
{
    static const char *const kinds[] = {"ret",     "completed", "noresult", "notsdei",
                                        "entered", "none",      "pending",  "dropped",
                                        "vmm",     "ok",        "err"};
    size_t n = 0;
    buf[0] = '\0';
    app(buf, cap, &n, "%s", r->kind < 11 ? kinds[r->kind] : "?");
    switch (r->kind) {
    case FZ_R_RET:
    case FZ_R_NOTSDEI: {
        const char *name = sdei_result_name(r->x0);
        if (name != NULL && r->x0 < 0) {
            app(buf, cap, &n, " x0=%s", name);
        } else {
            app(buf, cap, &n, " x0=0x%llx", (unsigned long long)r->x0);
        }
        break;
    }
    case FZ_R_COMPLETED:
    case FZ_R_ENTERED:
        app(buf, cap, &n, " 0x%llx prio=%s%s", (unsigned long long)r->num,
            r->prio ? "critical" : "normal", r->preempted ? " preempted" : "");
        break;
    case FZ_R_VMM:
    case FZ_R_ERR:
        app(buf, cap, &n, " ret=%d", r->ret);
        break;
    default:
        break;
    }
    return n;
}

/* ---- migration ---- */

/* Blob buffers of one migration (static: no allocation per input). */
static uint8_t mig_exposed[FZ_MAX_EVENTS * SDEI_BLOB_EXPOSED_SIZE];
static uint8_t mig_registered[FZ_MAX_EVENTS * SDEI_BLOB_REGISTERED_SIZE];
static uint8_t mig_registered2[FZ_MAX_EVENTS * SDEI_BLOB_REGISTERED_SIZE];
static uint8_t mig_vev[FZ_MAX_VCPUS][FZ_MAX_EVENTS * SDEI_BLOB_VCPU_EVENT_SIZE];
static uint8_t mig_vst[FZ_MAX_VCPUS][SDEI_BLOB_VCPU_STATE_SIZE];
static uint8_t mig_tmp[FZ_MAX_EVENTS * SDEI_BLOB_EXPOSED_SIZE + SDEI_BLOB_VCPU_STATE_SIZE];
#ifdef FZ_HAVE_SAVE
static uint8_t mig_save[2][256 * 1024];
#endif

static int32_t vmm(sdei_vm *vm, uint32_t vcpu, uint32_t cmd, uint32_t count, uint8_t *data,
                   size_t len, uint32_t *count_out)
{
    sdei_vmm_cmd_block b;
    memset(&b, 0, sizeof(b));
    b.cmd = cmd;
    b.count = count;
    b.data = data;
    b.data_len = len;
    int32_t ret = sdei_vmm_command(vm, vcpu, &b);
    if (count_out != NULL) {
        *count_out = b.count;
    }
    return ret;
}

/* GET_<x>_COUNT then GET_<x> into buf; returns the count or -1. */
static int64_t get_blobs(sdei_vm *vm, uint32_t vcpu, uint32_t count_cmd, uint8_t *buf, size_t size,
                         size_t cap)
{
    uint32_t n = 0;
    if (vmm(vm, vcpu, count_cmd, 0, NULL, 0, &n) != 0 || (size_t)n * size > cap) {
        return -1;
    }
    if (n > 0 && vmm(vm, vcpu, count_cmd + 1, n, buf, (size_t)n * size, NULL) != 0) {
        return -1;
    }
    return n;
}

/* Compares everything the views show of two VMs (migration_keeps_state). */
static const char *same_views(const sdei_vm *a, const sdei_vm *b)
{
    uint32_t n = sdei_vm_nr_vcpus(a);
    if (sdei_vm_event_count(a) != sdei_vm_event_count(b)) {
        return "migration_keeps_state: exposed event count differs";
    }
    for (uint32_t v = 0; v < n; v++) {
        sdei_vcpu_view va, vb;
        sdei_regs ra, rb;
        if (sdei_vcpu_view_of(a, v, &va) != SDEI_OK || sdei_vcpu_view_of(b, v, &vb) != SDEI_OK ||
            sdei_vcpu_get_regs(a, v, &ra) != SDEI_OK || sdei_vcpu_get_regs(b, v, &rb) != SDEI_OK) {
            return "view failed";
        }
        if (memcmp(&va, &vb, sizeof(va)) != 0) {
            return msg("migration_keeps_state: vCPU %u state differs after migration", v);
        }
        if (memcmp(&ra, &rb, sizeof(ra)) != 0) {
            return msg("migration_keeps_state: vCPU %u registers differ after migration", v);
        }
        for (uint32_t e = 0; e < sdei_vm_event_count(a); e++) {
            sdei_event_desc da, db;
            sdei_event_state sa, sb;
            uint32_t pa, pb;
            if (sdei_vm_event_at(a, e, &da) != SDEI_OK || sdei_vm_event_at(b, e, &db) != SDEI_OK) {
                return "view failed";
            }
            if (da.num != db.num || da.type != db.type || da.priority != db.priority ||
                da.signaled != db.signaled) {
                return msg("migration_keeps_state: exposed event %u differs", e);
            }
            if (sdei_event_state_of(a, da.num, v, &sa) != SDEI_OK ||
                sdei_event_state_of(b, da.num, v, &sb) != SDEI_OK ||
                sdei_event_pending_count(a, da.num, v, &pa) != SDEI_OK ||
                sdei_event_pending_count(b, da.num, v, &pb) != SDEI_OK) {
                return "view failed";
            }
            if (sa != sb || pa != pb) {
                return msg("migration_keeps_state: event 0x%llx on vCPU %u: state %s -> %s, "
                           "pending %u -> %u",
                           U(da.num), v, sdei_state_name(sa), sdei_state_name(sb), pa, pb);
            }
        }
    }
    return NULL;
}

/* The kernel's way: GET every blob, SET them into a fresh VM in the restore
 * order (DESIGN §4), then GET again: blob_roundtrip_identity. */
static const char *migrate_vmm(fz_vm *f, sdei_vm *old, sdei_vm *fresh, int *skip)
{
    uint32_t nvcpu = sdei_vm_nr_vcpus(old);
    int64_t ne = get_blobs(old, SDEI_VMM_VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT, mig_exposed,
                           SDEI_BLOB_EXPOSED_SIZE, sizeof(mig_exposed));
    int64_t nr = get_blobs(old, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT, mig_registered,
                           SDEI_BLOB_REGISTERED_SIZE, sizeof(mig_registered));
    if (ne < 0 || nr < 0) {
        return "migrate: GET of the VM blobs failed";
    }
    if (sdei_vm_quirks(old) & SDEI_QUIRK_BIT(ROUTE_MODE_FROM_AFFINITY)) {
        /* kvm-v5 §10 item 1 has a consequence: a REGISTER with x5 not 0/1
         * stores a route_mode that the kernel's own SET_REGISTERED_EVENT
         * refuses (-EINVAL), so that VM cannot be migrated (finding F2). */
        for (int64_t i = 0; i < nr; i++) {
            if (mig_registered[(size_t)i * SDEI_BLOB_REGISTERED_SIZE + 8] > 1u) {
                *skip = 1;
                return NULL;
            }
        }
    }
    int64_t nv[FZ_MAX_VCPUS];
    for (uint32_t v = 0; v < nvcpu; v++) {
        nv[v] = get_blobs(old, v, SDEI_CMD_GET_VCPU_EVENT_COUNT, mig_vev[v],
                          SDEI_BLOB_VCPU_EVENT_SIZE, sizeof(mig_vev[v]));
        if (nv[v] < 0 || vmm(old, v, SDEI_CMD_GET_VCPU_STATE, 0, mig_vst[v],
                             SDEI_BLOB_VCPU_STATE_SIZE, NULL) != 0) {
            return "migrate: GET of the vCPU blobs failed";
        }
    }
    int32_t ret = vmm(fresh, SDEI_VMM_VM, SDEI_CMD_SET_EXPOSED_EVENT, (uint32_t)ne, mig_exposed,
                      (size_t)ne * SDEI_BLOB_EXPOSED_SIZE, NULL);
    if (ret != 0) {
        return msg("migrate: SET_EXPOSED_EVENT of the VM's own blobs returned %d", ret);
    }
    ret = vmm(fresh, SDEI_VMM_VM, SDEI_CMD_SET_REGISTERED_EVENT, (uint32_t)nr, mig_registered,
              (size_t)nr * SDEI_BLOB_REGISTERED_SIZE, NULL);
    if (ret != 0) {
        return msg("migrate: SET_REGISTERED_EVENT of the VM's own blobs returned %d", ret);
    }
    for (uint32_t v = 0; v < nvcpu; v++) {
        ret = vmm(fresh, v, SDEI_CMD_SET_VCPU_EVENT, (uint32_t)nv[v], mig_vev[v],
                  (size_t)nv[v] * SDEI_BLOB_VCPU_EVENT_SIZE, NULL);
        if (ret != 0) {
            return msg("migrate: SET_VCPU_EVENT of vCPU %u's own blobs returned %d", v, ret);
        }
        ret =
            vmm(fresh, v, SDEI_CMD_SET_VCPU_STATE, 0, mig_vst[v], SDEI_BLOB_VCPU_STATE_SIZE, NULL);
        if (ret != 0) {
            return msg("migrate: SET_VCPU_STATE of vCPU %u's own blob returned %d", v, ret);
        }
    }
    /* blob_roundtrip_identity: the new VM gives back the same bytes. */
    int64_t ne2 = get_blobs(fresh, SDEI_VMM_VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT, mig_tmp,
                            SDEI_BLOB_EXPOSED_SIZE, sizeof(mig_tmp));
    if (ne2 != ne || memcmp(mig_tmp, mig_exposed, (size_t)ne * SDEI_BLOB_EXPOSED_SIZE) != 0) {
        return "blob_roundtrip_identity: exposed events differ after SET";
    }
    int64_t nr2 = get_blobs(fresh, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT,
                            mig_registered2, SDEI_BLOB_REGISTERED_SIZE, sizeof(mig_registered2));
    if (nr2 != nr ||
        memcmp(mig_registered2, mig_registered, (size_t)nr * SDEI_BLOB_REGISTERED_SIZE) != 0) {
        return "blob_roundtrip_identity: registered events differ after SET";
    }
    for (uint32_t v = 0; v < nvcpu; v++) {
        int64_t n2 = get_blobs(fresh, v, SDEI_CMD_GET_VCPU_EVENT_COUNT, mig_tmp,
                               SDEI_BLOB_VCPU_EVENT_SIZE, sizeof(mig_tmp));
        if (n2 != nv[v] || memcmp(mig_tmp, mig_vev[v], (size_t)n2 * SDEI_BLOB_VCPU_EVENT_SIZE)) {
            return msg("blob_roundtrip_identity: vCPU %u events differ after SET", v);
        }
        if (vmm(fresh, v, SDEI_CMD_GET_VCPU_STATE, 0, mig_tmp, SDEI_BLOB_VCPU_STATE_SIZE, NULL) !=
                0 ||
            memcmp(mig_tmp, mig_vst[v], SDEI_BLOB_VCPU_STATE_SIZE) != 0) {
            return msg("blob_roundtrip_identity: vCPU %u state differs after SET", v);
        }
    }
    (void)f;
    return NULL;
}

#ifdef FZ_HAVE_SAVE
/* The project's whole-VM buffer: save, restore, save again (save_restore_identity). */
static const char *migrate_save(sdei_vm *old, sdei_vm *fresh, int *skip)
{
    size_t len = 0, len2 = 0;
    if (sdei_vm_save(old, mig_save[0], sizeof(mig_save[0]), &len) != SDEI_OK) {
        return "migrate: sdei_vm_save failed";
    }
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    if (sdei_vm_restore_ex(fresh, mig_save[0], len, &err) != SDEI_OK) {
        if ((sdei_vm_quirks(old) & SDEI_QUIRK_BIT(ROUTE_MODE_FROM_AFFINITY)) && err.field != NULL &&
            strcmp(err.field, "route_mode") == 0) {
            *skip = 1; /* finding F2: the kernel's own blob is refused */
            return NULL;
        }
        return msg("migrate: sdei_vm_restore of the VM's own save failed: %s", err.text);
    }
    if (sdei_vm_save(fresh, mig_save[1], sizeof(mig_save[1]), &len2) != SDEI_OK) {
        return "migrate: sdei_vm_save of the restored VM failed";
    }
    if (len != len2 || memcmp(mig_save[0], mig_save[1], len) != 0) {
        return "save_restore_identity: the restored VM saves different bytes";
    }
    return NULL;
}
#endif

const char *fz_compare_vms(sdei_vm *a, sdei_vm *b)
{
    const char *m = same_views(a, b);
    if (m != NULL) {
        return m;
    }
    int64_t na = get_blobs(a, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT, mig_registered,
                           SDEI_BLOB_REGISTERED_SIZE, sizeof(mig_registered));
    int64_t nb = get_blobs(b, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT, mig_registered2,
                           SDEI_BLOB_REGISTERED_SIZE, sizeof(mig_registered2));
    if (na < 0 || na != nb ||
        memcmp(mig_registered, mig_registered2, (size_t)na * SDEI_BLOB_REGISTERED_SIZE) != 0) {
        return "registered event blobs differ";
    }
    for (uint32_t v = 0; v < sdei_vm_nr_vcpus(a); v++) {
        int64_t ea = get_blobs(a, v, SDEI_CMD_GET_VCPU_EVENT_COUNT, mig_vev[0],
                               SDEI_BLOB_VCPU_EVENT_SIZE, sizeof(mig_vev[0]));
        int64_t eb = get_blobs(b, v, SDEI_CMD_GET_VCPU_EVENT_COUNT, mig_vev[1],
                               SDEI_BLOB_VCPU_EVENT_SIZE, sizeof(mig_vev[1]));
        if (ea < 0 || ea != eb ||
            memcmp(mig_vev[0], mig_vev[1], (size_t)ea * SDEI_BLOB_VCPU_EVENT_SIZE) != 0) {
            return msg("vCPU %u event blobs differ", v);
        }
        if (vmm(a, v, SDEI_CMD_GET_VCPU_STATE, 0, mig_vst[0], SDEI_BLOB_VCPU_STATE_SIZE, NULL) ||
            vmm(b, v, SDEI_CMD_GET_VCPU_STATE, 0, mig_vst[1], SDEI_BLOB_VCPU_STATE_SIZE, NULL) ||
            memcmp(mig_vst[0], mig_vst[1], SDEI_BLOB_VCPU_STATE_SIZE) != 0) {
            return msg("vCPU %u state blobs differ", v);
        }
    }
    return NULL;
}

const char *fz_migrate(fz_vm *f, unsigned variant)
{
#ifdef FZ_HAVE_SAVE
    if (f->ever_bound) {
        variant = 0;
    }
#else
    if (f->ever_bound) {
        f->skipped_migrations++;
        return NULL;
    }
#endif
    sdei_vm *old = f->vm;
    unsigned next = 1u - f->cur;
    if (fz_vm_build(f, next) != 0) {
        return "migrate: the fresh VM could not be built";
    }
    sdei_vm *fresh = f->vm;
    const char *m;
    int skip = 0;
#ifdef FZ_HAVE_SAVE
    m = variant == 0 ? migrate_save(old, fresh, &skip) : migrate_vmm(f, old, fresh, &skip);
#else
    (void)variant;
    m = migrate_vmm(f, old, fresh, &skip);
#endif
    if (m != NULL) {
        return m;
    }
    if (skip) {
        /* Keep running on the old VM: this one cannot move. */
        f->vm = old;
        f->cur = 1u - f->cur;
        f->skipped_migrations++;
        return NULL;
    }
    /* The register files are the VMM's to move (KVM_GET/SET_ONE_REG). */
    for (uint32_t v = 0; v < sdei_vm_nr_vcpus(old); v++) {
        sdei_regs r;
        if (sdei_vcpu_get_regs(old, v, &r) != SDEI_OK || sdei_vcpu_set_regs(fresh, v, &r)) {
            return "migrate: register copy failed";
        }
    }
    f->migrations++;
    /* The blobs came back identical; the views are compared too where
     * migration is the subject (the migrate target, and every replay). */
    return f->deep_migrate || fz_full_check_always ? same_views(old, fresh) : NULL;
}
