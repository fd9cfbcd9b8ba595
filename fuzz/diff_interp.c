/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diff_interp.c - the differential target's reference interpreter (see
 * diff_interp.h). Written from shared/spec/sdei-rules.md and DESIGN.md §3.2
 * only; the one thing it takes from the model is the public state table.
 */
#include "diff_interp.h"

#include <string.h>

enum {
    U = SDEI_STATE_UNREGISTERED,
    D = SDEI_STATE_REGISTERED,
    E = SDEI_STATE_ENABLED,
    RE = SDEI_STATE_RUNNING_ENABLED,
    RD = SDEI_STATE_RUNNING_DISABLED,
    UP = SDEI_STATE_UNREGISTER_PENDING
};

static const uint64_t status_bits[6] = {0, 1, 3, 7, 5, 4}; /* sdei-rules §5.1 */

void di_init(di_state *s, const sdei_config *cfg)
{
    memset(s, 0, sizeof(*s));
    s->nr_vcpus = cfg->nr_vcpus;
    s->span = cfg->sctlr_el1_span;
    s->priv_slots = cfg->private_bind_slots;
    s->shared_slots = cfg->shared_bind_slots;
    for (uint32_t v = 0; v < s->nr_vcpus; v++) {
        s->mpidr[v] = sdei_default_mpidr(v);
        s->vcpu[v].masked = 1; /* sdei-rules §9: a PE starts masked */
        s->vcpu[v].running[0] = -1;
        s->vcpu[v].running[1] = -1;
    }
    /* Bind slots first, then the events the VMM exposes (the VM's order). */
    for (uint32_t i = 0; i < cfg->private_bind_slots; i++) {
        di_event *e = &s->ev[s->nr_events++];
        e->num = SDEI_BIND_PRIVATE_BASE + i;
        e->bind = 1;
    }
    for (uint32_t i = 0; i < cfg->shared_bind_slots; i++) {
        di_event *e = &s->ev[s->nr_events++];
        e->num = SDEI_BIND_SHARED_BASE + i;
        e->bind = 2;
        e->shared = 1;
    }
    for (uint32_t i = 0; i < FZ_NR_EXPOSED; i++) {
        di_event *e = &s->ev[s->nr_events++];
        e->num = fz_exposed[i].num;
        e->shared = fz_exposed[i].type == SDEI_EVENT_TYPE_SHARED;
        e->critical = fz_exposed[i].priority == SDEI_EVENT_PRIORITY_CRITICAL;
    }
}

/* ---- lookups ---- */

/* Event numbers: exactly a number the VM exposes (bits 63:31 clear is implied,
 * DESIGN §3.2). Returns the index or -1. */
static int find(const di_state *s, uint64_t num)
{
    for (uint32_t i = 0; i < s->nr_events; i++) {
        if (s->ev[i].num == num) {
            return (int)i;
        }
    }
    return -1;
}

static int vcpu_of_mpidr(const di_state *s, uint64_t mpidr)
{
    for (uint32_t v = 0; v < s->nr_vcpus; v++) {
        if ((s->mpidr[v] & SDEI_MPIDR_AFFINITY_MASK) == (mpidr & SDEI_MPIDR_AFFINITY_MASK)) {
            return (int)v;
        }
    }
    return -1;
}

static uint32_t slot(const di_state *s, int e, uint32_t v)
{
    return s->ev[e].shared ? 0u : v;
}

uint8_t di_event_state(const di_state *s, uint32_t e, uint32_t v)
{
    return s->st[e][slot(s, (int)e, v)];
}

uint32_t di_pending(const di_state *s, uint32_t e, uint32_t v)
{
    return s->pending[e][v];
}

static int running_on(const di_state *s, int e, uint32_t v)
{
    return s->vcpu[v].running[0] == e || s->vcpu[v].running[1] == e;
}

/* The table decides: returns 1 and the next state when allowed, else 0 and
 * the forbidden cell's result. */
static int table(uint8_t st, sdei_action act, uint8_t *next, int64_t *result)
{
    const sdei_table_cell *c = &sdei_state_table[st][act];
    *result = c->result;
    if (c->kind == SDEI_CELL_FORBIDDEN) {
        return 0;
    }
    *next = c->next;
    return 1;
}

/* ---- the calls (sdei-rules §6) ---- */

static int64_t do_register(di_state *s, uint32_t v, const uint64_t *x)
{
    uint64_t num = x[1], ep = x[2], arg = x[3], flags = x[4], aff = x[5];
    /* §6.2: entry point, flags, RM_PE affinity, then the event, then state */
    if (ep == 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    if (flags != SDEI_RM_ANY && flags != SDEI_RM_PE) {
        return SDEI_INVALID_PARAMETERS;
    }
    if (flags == SDEI_RM_PE && vcpu_of_mpidr(s, aff) < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    int e = find(s, num);
    if (e < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint32_t sl = slot(s, e, v);
    uint8_t next;
    int64_t res;
    if (!table(s->st[e][sl], SDEI_ACT_REGISTER, &next, &res)) {
        return res;
    }
    if (s->ev[e].bind != 0 && s->ev[e].intid == 0) {
        return SDEI_DENIED; /* §6.2 step 6: a dynamic slot that is not bound */
    }
    s->st[e][sl] = next;
    s->ep[e][sl] = ep;
    s->arg[e][sl] = arg;
    if (s->ev[e].shared) {
        s->ev[e].route_mode = (uint8_t)flags;
        s->ev[e].route_aff = aff & SDEI_MPIDR_AFFINITY_MASK;
    }
    return res;
}

static int64_t do_enable_disable(di_state *s, uint32_t v, uint64_t num, sdei_action act)
{
    int e = find(s, num);
    if (e < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint32_t sl = slot(s, e, v);
    uint8_t next;
    int64_t res;
    if (table(s->st[e][sl], act, &next, &res)) {
        s->st[e][sl] = next;
    }
    return res;
}

/* Drops the pending latches of e (on v, or everywhere for a shared event):
 * UNREGISTER clears a pending trigger (§7.4). */
static void cancel(di_state *s, int e, uint32_t v)
{
    for (uint32_t u = 0; u < s->nr_vcpus; u++) {
        if (s->ev[e].shared || u == v) {
            s->pending[e][u] = 0;
        }
    }
}

/* Unregisters e for the caller; returns the table's result or DENIED/PENDING. */
static int64_t unregister(di_state *s, int e, uint32_t v, int *allowed)
{
    uint32_t sl = slot(s, e, v);
    uint8_t next;
    int64_t res;
    *allowed = table(s->st[e][sl], SDEI_ACT_UNREGISTER, &next, &res);
    if (*allowed) {
        s->st[e][sl] = next;
        s->ep[e][sl] = 0;
        s->arg[e][sl] = 0;
        cancel(s, e, v);
    }
    return res;
}

static int64_t do_unregister(di_state *s, uint32_t v, uint64_t num)
{
    int e = find(s, num);
    if (e < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    int allowed;
    return unregister(s, e, v, &allowed);
}

static int64_t do_get_info(const di_state *s, uint32_t v, uint64_t num, uint64_t info)
{
    int e = find(s, num);
    if (e < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    const di_event *ev = &s->ev[e];
    switch (info) {
    case SDEI_INFO_EV_TYPE:
        return ev->shared;
    case SDEI_INFO_EV_SIGNALED:
        return ev->num == 0 ? 0 : 1; /* DESIGN §3.2: 0 = can be signalled */
    case SDEI_INFO_EV_PRIORITY:
        return ev->critical;
    case SDEI_INFO_EV_ROUTING_MODE:
    case SDEI_INFO_EV_ROUTING_AFF: {
        if (!ev->shared) {
            return SDEI_INVALID_PARAMETERS;
        }
        uint8_t st = s->st[e][slot(s, e, v)];
        if (st == U || st == UP) {
            return SDEI_DENIED; /* routing of an unregistered shared event */
        }
        if (info == SDEI_INFO_EV_ROUTING_MODE) {
            return ev->route_mode;
        }
        return ev->route_mode == SDEI_RM_PE ? (int64_t)ev->route_aff : SDEI_INVALID_PARAMETERS;
    }
    default:
        return SDEI_INVALID_PARAMETERS;
    }
}

static int64_t do_routing_set(di_state *s, uint32_t v, const uint64_t *x)
{
    uint64_t num = x[1], mode = x[2], aff = x[3];
    /* §6.6: mode, affinity, event, private, unbound slot, then state D */
    if (mode != SDEI_RM_ANY && mode != SDEI_RM_PE) {
        return SDEI_INVALID_PARAMETERS;
    }
    if (mode == SDEI_RM_PE && vcpu_of_mpidr(s, aff) < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    int e = find(s, num);
    if (e < 0 || !s->ev[e].shared) {
        return SDEI_INVALID_PARAMETERS;
    }
    if (s->ev[e].bind != 0 && s->ev[e].intid == 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint8_t next;
    int64_t res;
    if (!table(s->st[e][slot(s, e, v)], SDEI_ACT_ROUTING_SET, &next, &res)) {
        return res;
    }
    s->ev[e].route_mode = (uint8_t)mode;
    if (mode == SDEI_RM_PE) {
        s->ev[e].route_aff = aff & SDEI_MPIDR_AFFINITY_MASK;
    }
    return res;
}

static int64_t do_bind(di_state *s, uint64_t intid)
{
    /* §6.10: not a PPI or SPI; already bound; no free slot; bind */
    if (intid < SDEI_INTID_PPI_FIRST || intid > SDEI_INTID_SPI_LAST) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint8_t kind = intid <= SDEI_INTID_PPI_LAST ? 1 : 2;
    for (uint32_t i = 0; i < s->nr_events; i++) {
        if (s->ev[i].bind == kind && s->ev[i].intid == intid) {
            return (int64_t)s->ev[i].num;
        }
    }
    for (uint32_t i = 0; i < s->nr_events; i++) {
        if (s->ev[i].bind == kind && s->ev[i].intid == 0) {
            s->ev[i].intid = (uint32_t)intid;
            return (int64_t)s->ev[i].num;
        }
    }
    return SDEI_OUT_OF_RESOURCE;
}

static int registered_anywhere(const di_state *s, int e)
{
    for (uint32_t v = 0; v < (s->ev[e].shared ? 1u : s->nr_vcpus); v++) {
        uint8_t st = s->st[e][v];
        if (st == D || st == E || st == RE || st == RD) {
            return 1;
        }
    }
    return 0;
}

static int64_t release(di_state *s, uint32_t v, int e)
{
    /* §6.11: not dynamic; registered on any PE; caller's copy not U; not bound */
    if (s->ev[e].bind == 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    if (registered_anywhere(s, e)) {
        return SDEI_DENIED;
    }
    uint8_t next;
    int64_t res;
    if (!table(s->st[e][slot(s, e, v)], SDEI_ACT_RELEASE, &next, &res)) {
        return res;
    }
    if (s->ev[e].intid == 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    s->ev[e].intid = 0;
    return res;
}

/* Latches a trigger of e on v (the table says whether it is kept). */
static int latch(di_state *s, int e, uint32_t v)
{
    uint8_t next;
    int64_t res;
    if (!table(s->st[e][slot(s, e, v)], SDEI_ACT_TRIGGER, &next, &res)) {
        return 0;
    }
    if (!s->pending[e][v] && !running_on(s, e, v)) {
        s->inst_seq[e][v] = ++s->next_seq; /* a new vCPU event instance */
    }
    s->pending[e][v] = 1; /* edge-triggered: one latch (§6.12) */
    return 1;
}

static int64_t do_signal(di_state *s, const uint64_t *x)
{
    /* §6.12: only event 0; a target MPIDR that names a PE; the target
     * unmasked with event 0 registered and enabled (TF-A b142ede74). */
    if (x[1] != 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    int e = find(s, 0);
    int t = vcpu_of_mpidr(s, x[2]);
    if (e < 0 || t < 0 || s->vcpu[t].masked) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint8_t st = s->st[e][t];
    if (st != E && st != RE) {
        return SDEI_INVALID_PARAMETERS;
    }
    return latch(s, e, (uint32_t)t) ? SDEI_SUCCESS : SDEI_INVALID_PARAMETERS;
}

static int64_t do_reset(di_state *s, uint32_t v, int shared)
{
    /* §6.14: unregister every event of the class the caller sees; DENIED if
     * one was running or unregister-pending (it still goes to UP). */
    int denied = 0;
    for (uint32_t i = 0; i < s->nr_events; i++) {
        if (s->ev[i].shared != shared) {
            continue;
        }
        int allowed;
        int64_t res = unregister(s, (int)i, v, &allowed);
        if (res == SDEI_PENDING) {
            denied = 1;
        }
    }
    if (denied) {
        return SDEI_DENIED;
    }
    if (!shared) {
        return SDEI_SUCCESS;
    }
    /* then every bound slot is released; the first error is returned */
    int64_t first = SDEI_SUCCESS;
    for (uint32_t i = 0; i < s->nr_events; i++) {
        if (s->ev[i].bind == 0 || s->ev[i].intid == 0) {
            continue;
        }
        int64_t res = release(s, v, (int)i);
        if (res != SDEI_SUCCESS && first == SDEI_SUCCESS) {
            first = res;
        }
    }
    return first;
}

/* PSTATE at handler entry and at resume (DESIGN §3.2). */
static uint64_t entry_pstate(const di_state *s, uint64_t p)
{
    uint64_t r = p & (SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_PAN);
    if (s->span == 0) {
        r |= SDEI_PSTATE_PAN;
    }
    return r | SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
}

static int64_t do_context(const di_state *s, uint32_t v, uint64_t param)
{
    const di_vcpu *vc = &s->vcpu[v];
    /* §6.15: the register number first, then a running handler */
    if (param >= SDEI_SAVED_GPREGS) {
        return SDEI_INVALID_PARAMETERS;
    }
    int cls = vc->running[1] >= 0 ? 1 : 0;
    if (vc->running[cls] < 0) {
        return SDEI_DENIED;
    }
    return (int64_t)vc->saved[cls][param];
}

/* COMPLETE / COMPLETE_AND_RESUME; returns 1 when the handler ended. */
static int do_complete(di_state *s, uint32_t v, int resume, sim_result *res)
{
    di_vcpu *vc = &s->vcpu[v];
    int cls = vc->running[1] >= 0 ? 1 : 0;
    int e = vc->running[cls];
    if (e < 0) {
        return 0;
    }
    uint32_t sl = slot(s, e, v);
    uint8_t next;
    int64_t r;
    if (!table(s->st[e][sl], resume ? SDEI_ACT_COMPLETE_AND_RESUME : SDEI_ACT_COMPLETE, &next,
               &r)) {
        return 0; /* cannot happen: a running event is in RE, RD or UP */
    }
    s->st[e][sl] = next;
    vc->running[cls] = -1;
    uint64_t addr = vc->regs.x[1];
    const uint64_t *sv = vc->saved[cls];
    for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
        vc->regs.x[i] = sv[i];
    }
    vc->regs.pc = sv[SDEI_SAVED_GPREGS];
    vc->regs.pstate = sv[SDEI_SAVED_GPREGS + 1];
    if (resume) {
        /* §8: a synchronous exception taken at the resume address */
        vc->regs.elr_el1 = sv[SDEI_SAVED_GPREGS];
        vc->regs.spsr_el1 = sv[SDEI_SAVED_GPREGS + 1];
        vc->regs.pc = addr;
        vc->regs.pstate = entry_pstate(s, sv[SDEI_SAVED_GPREGS + 1]);
    }
    res->kind = SIM_R_COMPLETED;
    res->num = s->ev[e].num;
    res->prio = (uint8_t)cls;
    return 1;
}

static void do_hvc(di_state *s, const sim_action *a, sim_result *res)
{
    uint32_t v = a->vcpu;
    di_vcpu *vc = &s->vcpu[v];
    /* The spec profile: every call at its own function ID. */
    vc->regs.x[0] = a->call != SDEI_CALL_ID_NONE ? SDEI_FID_BASE + a->call : a->fid;
    for (unsigned i = 0; i < 5; i++) {
        vc->regs.x[i + 1] = a->arg[i];
    }
    const uint64_t *x = vc->regs.x;
    /* SMCCC: the function ID is W0; the SDEI IDs are 0xC4000020 + call. */
    uint32_t fid = (uint32_t)x[0];
    uint32_t base = (uint32_t)SDEI_FID_BASE;
    int64_t r;
    res->kind = SIM_R_RET;
    if (fid < base || fid >= base + SDEI_CALL_COUNT) {
        r = SDEI_NOT_SUPPORTED;
        if (fid < (uint32_t)SDEI_FID_RANGE_FIRST || fid > (uint32_t)SDEI_FID_RANGE_LAST) {
            res->kind = SIM_R_NOTSDEI;
        }
    } else {
        switch ((sdei_call_id)(fid - base)) {
        case SDEI_CALL_VERSION:
            r = (int64_t)SDEI_VERSION_WORD(1, 1, 0);
            break;
        case SDEI_CALL_EVENT_REGISTER:
            r = do_register(s, v, x);
            break;
        case SDEI_CALL_EVENT_ENABLE:
            r = do_enable_disable(s, v, x[1], SDEI_ACT_ENABLE);
            break;
        case SDEI_CALL_EVENT_DISABLE:
            r = do_enable_disable(s, v, x[1], SDEI_ACT_DISABLE);
            break;
        case SDEI_CALL_EVENT_CONTEXT:
            r = do_context(s, v, x[1]);
            break;
        case SDEI_CALL_EVENT_COMPLETE:
        case SDEI_CALL_EVENT_COMPLETE_AND_RESUME:
            if (do_complete(s, v, fid - base == SDEI_CALL_EVENT_COMPLETE_AND_RESUME, res)) {
                return;
            }
            r = SDEI_DENIED; /* §6.16: no handler running on this PE */
            break;
        case SDEI_CALL_EVENT_UNREGISTER:
            r = do_unregister(s, v, x[1]);
            break;
        case SDEI_CALL_EVENT_STATUS: {
            int e = find(s, x[1]);
            r = e < 0 ? SDEI_INVALID_PARAMETERS : (int64_t)status_bits[s->st[e][slot(s, e, v)]];
            break;
        }
        case SDEI_CALL_EVENT_GET_INFO:
            r = do_get_info(s, v, x[1], x[2]);
            break;
        case SDEI_CALL_EVENT_ROUTING_SET:
            r = do_routing_set(s, v, x);
            break;
        case SDEI_CALL_PE_MASK:
            r = vc->masked ? 0 : 1; /* §6.8 */
            vc->masked = 1;
            break;
        case SDEI_CALL_PE_UNMASK:
            vc->masked = 0;
            r = SDEI_SUCCESS;
            break;
        case SDEI_CALL_INTERRUPT_BIND:
            r = do_bind(s, x[1]);
            break;
        case SDEI_CALL_INTERRUPT_RELEASE: {
            int e = find(s, x[1]);
            r = e < 0 ? SDEI_INVALID_PARAMETERS : release(s, v, e);
            break;
        }
        case SDEI_CALL_EVENT_SIGNAL:
            r = do_signal(s, x);
            break;
        case SDEI_CALL_FEATURES:
            r = x[1] == SDEI_FEATURE_BIND_SLOTS
                    ? (int64_t)((uint64_t)s->priv_slots | ((uint64_t)s->shared_slots << 16))
                : x[1] == SDEI_FEATURE_RELATIVE_MODE ? 0
                                                     : SDEI_INVALID_PARAMETERS;
            break;
        case SDEI_CALL_PRIVATE_RESET:
            r = do_reset(s, v, 0);
            break;
        case SDEI_CALL_SHARED_RESET:
            r = do_reset(s, v, 1);
            break;
        default:
            r = SDEI_NOT_SUPPORTED;
            break;
        }
    }
    res->x[0] = (uint64_t)r;
    vc->regs.x[0] = (uint64_t)r;
    vc->regs.x[1] = 0;
    vc->regs.x[2] = 0;
    vc->regs.x[3] = 0;
}

static void do_deliver(di_state *s, uint32_t v, sim_result *res)
{
    di_vcpu *vc = &s->vcpu[v];
    res->kind = SIM_R_NONE;
    /* §7.1: unmasked; nothing preempts critical; a normal event only when no
     * handler runs; the event pending here in state E. Critical first, then
     * the oldest instance. */
    if (vc->masked || vc->running[1] >= 0) {
        return;
    }
    int best = -1;
    for (uint32_t i = 0; i < s->nr_events; i++) {
        if (!s->pending[i][v] || s->st[i][slot(s, (int)i, v)] != E) {
            continue;
        }
        if (!s->ev[i].critical && vc->running[0] >= 0) {
            continue;
        }
        if (best < 0 || s->ev[i].critical > s->ev[best].critical ||
            (s->ev[i].critical == s->ev[best].critical &&
             s->inst_seq[i][v] < s->inst_seq[best][v])) {
            best = (int)i;
        }
    }
    if (best < 0) {
        return;
    }
    int e = best;
    int cls = s->ev[e].critical;
    uint32_t sl = slot(s, e, v);
    uint8_t next;
    int64_t r;
    if (!table(s->st[e][sl], SDEI_ACT_DISPATCH, &next, &r)) {
        return;
    }
    s->st[e][sl] = next;
    s->pending[e][v] = 0;
    res->preempted = (uint8_t)(cls == 1 && vc->running[0] >= 0);
    vc->running[cls] = (int16_t)e;
    uint64_t *sv = vc->saved[cls];
    for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
        sv[i] = vc->regs.x[i];
    }
    sv[SDEI_SAVED_GPREGS] = vc->regs.pc;
    sv[SDEI_SAVED_GPREGS + 1] = vc->regs.pstate;
    /* §7.2: x0 = event, x1 = argument, x2/x3 = interrupted PC/PSTATE */
    vc->regs.x[0] = s->ev[e].num;
    vc->regs.x[1] = s->arg[e][sl];
    vc->regs.x[2] = sv[SDEI_SAVED_GPREGS];
    vc->regs.x[3] = sv[SDEI_SAVED_GPREGS + 1];
    vc->regs.pstate = entry_pstate(s, sv[SDEI_SAVED_GPREGS + 1]);
    vc->regs.pc = s->ep[e][sl];
    res->kind = SIM_R_ENTERED;
    res->num = s->ev[e].num;
    res->prio = (uint8_t)cls;
}

/* Private event index that a bound PPI names, -2 for a bound SPI (shared:
 * not modelled), -1 when the interrupt is not bound. */
static int bound_event(const di_state *s, uint32_t intid)
{
    for (uint32_t i = 0; i < s->nr_events; i++) {
        if (s->ev[i].bind != 0 && s->ev[i].intid == intid && intid != 0) {
            return s->ev[i].shared ? -2 : (int)i;
        }
    }
    return -1;
}

int di_models(const di_state *s, const sim_action *a)
{
    switch (a->kind) {
    case SIM_A_TRIGGER:
    case SIM_A_VMM: {
        int e = find(s, a->num);
        return e >= 0 && !s->ev[e].shared &&
               (a->kind == SIM_A_TRIGGER || a->vmm_cmd == SDEI_CMD_INJECT_EVENT);
    }
    case SIM_A_IRQ:
        return bound_event(s, a->intid) != -2;
    default:
        return 1;
    }
}

di_outcome di_step(di_state *s, const sim_action *a, sim_result *res)
{
    memset(res, 0, sizeof(*res));
    if (!di_models(s, a)) {
        return DI_SKIP;
    }
    uint32_t v = a->vcpu;
    switch (a->kind) {
    case SIM_A_HVC:
        do_hvc(s, a, res);
        break;
    case SIM_A_DELIVER:
        do_deliver(s, v, res);
        break;
    case SIM_A_TRIGGER:
    case SIM_A_IRQ: {
        int e = a->kind == SIM_A_TRIGGER ? find(s, a->num) : bound_event(s, a->intid);
        if (e < 0) {
            res->kind = SIM_R_ERR;
            res->err = SDEI_E_INTID;
            break;
        }
        res->kind = latch(s, e, v) ? SIM_R_PENDING : SIM_R_DROPPED;
        break;
    }
    case SIM_A_VMM: {
        /* kvm-v5 §6 INJECT_EVENT as the spec profile keeps it: no registered
         * object -> -ENOENT; not registered here or unregister-pending ->
         * -EPERM; else a trigger, latched even when masked or disabled. */
        int e = find(s, a->num);
        int present = 0;
        for (uint32_t u = 0; u < s->nr_vcpus; u++) {
            present |= s->st[e][u] != U;
        }
        uint8_t st = s->st[e][v];
        res->kind = SIM_R_VMM;
        if (!present) {
            res->ret = -SDEI_ENOENT;
        } else if (st == U || st == UP) {
            res->ret = -SDEI_EPERM;
        } else {
            (void)latch(s, e, v);
            res->ret = 0;
        }
        break;
    }
    case SIM_A_SETREG:
        for (unsigned i = 0; i < a->nregs; i++) {
            unsigned r = a->reg[i];
            uint64_t *p = r < 31    ? &s->vcpu[v].regs.x[r]
                          : r == 31 ? &s->vcpu[v].regs.sp
                          : r == 32 ? &s->vcpu[v].regs.pc
                          : r == 33 ? &s->vcpu[v].regs.pstate
                          : r == 34 ? &s->vcpu[v].regs.elr_el1
                                    : &s->vcpu[v].regs.spsr_el1;
            *p = a->val[i];
        }
        res->kind = SIM_R_OK;
        break;
    case SIM_A_MIGRATE:
        res->kind = SIM_R_OK; /* migration is invisible to the guest (DESIGN §4) */
        break;
    default:
        return DI_SKIP;
    }
    return DI_DONE;
}
