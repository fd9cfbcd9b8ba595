/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * inv_state.c - the checker's tables and shadow, and the invariants of the
 * state after an action: each vCPU against the shadow, each event across the
 * vCPUs (invariants.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inv_internal.h"

const char *const sim_invariant_names[SIM_INV_COUNT] = {
#define X(id, name, quirks, rule) name,
    SIM_INVARIANT_LIST(X)
#undef X
};
const uint64_t sim_invariant_quirks[SIM_INV_COUNT] = {
#define X(id, name, quirks, rule) quirks,
    SIM_INVARIANT_LIST(X)
#undef X
};
const char *const sim_invariant_rules[SIM_INV_COUNT] = {
#define X(id, name, quirks, rule) rule,
    SIM_INVARIANT_LIST(X)
#undef X
};

int sim_inv_fail(sim_inv *c, unsigned inv, uint32_t vcpu, const char *fmt, ...)
{
    va_list ap;
    if (c->failed) {
        return 1;
    }
    c->failed = (int)inv + 1;
    c->fail_vcpu = vcpu;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
    va_end(ap);
    return 1;
}

const char *sim_inv_message(const sim_inv *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s: %s", c->failed ? sim_invariant_names[c->failed - 1] : "ok",
             c->failed ? c->msg : "");
    return buf;
}

/* ---------------------------------------------------------------------------
 * Life cycle.
 * ------------------------------------------------------------------------- */
int sim_inv_init(sim_inv *c, sim_target *t, const sim_inv_opts *o)
{
    memset(c, 0, sizeof(*c));
    c->o = *o;
    return sim_inv_reset(c, t);
}

void sim_inv_fini(sim_inv *c)
{
    free(c->fr);
    free(c->mig_views);
    free(c->mig_save);
    free(c->mig_blobs);
    free(c->scratch);
    c->fr = NULL;
    c->mig_views = NULL;
    c->mig_save = c->mig_blobs = c->scratch = NULL;
}

int sim_inv_reset(sim_inv *c, sim_target *t)
{
    uint32_t n = t->cfg.nr_vcpus;
    if (n > c->vcap) {
        free(c->fr);
        free(c->mig_views);
        c->fr = calloc(n, sizeof(*c->fr));
        c->mig_views = calloc(n, sizeof(*c->mig_views));
        c->vcap = c->fr != NULL && c->mig_views != NULL ? n : 0;
        if (c->vcap == 0) {
            return -1;
        }
    } else {
        /* reused: a fresh shadow (calloc's is zero already: 184 KiB at 512
         * vCPUs, which libc clears a byte per instruction) */
        memset(c->fr, 0, n * sizeof(*c->fr));
    }
    c->nvcpus = n;
    sdei_vm *vm = sim_target_model(t);
    c->quirks =
        vm != NULL ? sdei_vm_quirks(vm)
                   : (t->cfg.quirks_override ? t->cfg.quirks : sdei_profile_quirks(t->cfg.profile));
    c->vmm_made = 0;
    c->failed = 0;
    c->actions = 0;
    c->nev = 0; /* no running count survives */
    inv_load_events(c, t);
    return 0;
}

void inv_load_events(sim_inv *c, sim_target *t)
{
    uint32_t n = t->ops->event_count(t->impl);
    sim_inv_event old[SDEI_MAX_EVENTS];
    uint32_t nold = c->nev;
    memcpy(old, c->ev, nold * sizeof(old[0]));
    c->nev = 0;
    for (uint32_t i = 0; i < n && c->nev < SDEI_MAX_EVENTS; i++) {
        sdei_event_desc d;
        if (t->ops->event_at(t->impl, i, &d) != SDEI_OK) {
            continue;
        }
        sim_inv_event *e = &c->ev[c->nev++];
        e->num = d.num;
        e->at = i;
        e->type = d.type;
        e->priority = d.priority;
        e->running = 0;
        for (uint32_t k = 0; k < nold; k++) {
            if (old[k].num == d.num) {
                e->running = old[k].running; /* the shadow survives a reload */
            }
        }
    }
}

int inv_event_index(const sim_inv *c, uint64_t num)
{
    for (uint32_t i = 0; i < c->nev; i++) {
        if (c->ev[i].num == num) {
            return (int)i;
        }
    }
    return -1;
}

int inv_view(sim_inv *c, sim_target *t, uint32_t v, sdei_vcpu_view *out)
{
    if (!sim_target_can(t, SIM_CAP_OBS_VCPU)) {
        c->unobservable++;
        return -1;
    }
    return t->ops->vcpu_view(t->impl, v, out) == SDEI_OK ? 0 : -1;
}

static void shadow_slot(sim_inv *c, sim_inv_frame *f, int running, uint64_t num,
                        const uint64_t *saved)
{
    int was = f->running != 0;
    if (was && (!running || f->num != num || memcmp(f->saved, saved, sizeof(f->saved)) != 0 ||
                f->running != 1)) {
        int ei = inv_event_index(c, f->num);
        if (ei >= 0 && c->ev[ei].running > 0) {
            c->ev[ei].running--;
        }
        was = 0;
        f->running = 0;
    }
    if (running && !was) {
        int ei = inv_event_index(c, num);
        if (ei >= 0) {
            c->ev[ei].running++;
        }
        f->running = 2; /* the context comes from the implementation, not a delivery */
        f->num = num;
        memcpy(f->saved, saved, sizeof(f->saved));
        f->at = c->actions;
    }
}

/* The shadow of vCPU v takes the running slots the implementation shows; a
 * slot that did not change keeps its context. */
static void resync_vcpu(sim_inv *c, sim_target *t, uint32_t v)
{
    sdei_vcpu_view w;
    if (inv_view(c, t, v, &w) != 0) {
        return;
    }
    shadow_slot(c, &c->fr[v][0], w.normal_running, w.normal_num, w.normal_saved);
    shadow_slot(c, &c->fr[v][1], w.critical_running, w.critical_num, w.critical_saved);
}

void sim_inv_forget(sim_inv *c, sim_target *t)
{
    inv_load_events(c, t);
    for (uint32_t v = 0; v < c->nvcpus; v++) {
        resync_vcpu(c, t, v);
    }
    c->vmm_made = 1;
}

void inv_after_power(sim_inv *c, sim_target *t, const sim_action *a)
{
    /* A PE's own transition (or reset) changes only its own slots; SYSTEM_OFF
     * and SYSTEM_RESET every PE's (docs/model.md "Power"). Resyncing all 512
     * vCPUs after each hotplug cost 3x the simulator's time at 512 vCPUs. */
    int system = a->kind == SIM_A_POWER &&
                 (a->power == SDEI_POWER_SYSTEM_OFF || a->power == SDEI_POWER_SYSTEM_RESET);
    if (!system && a->vcpu < c->nvcpus) {
        resync_vcpu(c, t, a->vcpu);
        return;
    }
    for (uint32_t v = 0; v < c->nvcpus; v++) {
        resync_vcpu(c, t, v);
    }
}

void inv_after_vmm_set(sim_inv *c, sim_target *t, const sim_action *a)
{
    switch (a->vmm_cmd) {
    case SDEI_CMD_SET_VCPU_STATE:
        resync_vcpu(c, t, a->vcpu);
        break;
    case SDEI_CMD_SET_EXPOSED_EVENT:
    case SDEI_CMD_SET_REGISTERED_EVENT:
    case SDEI_CMD_SET_VCPU_EVENT:
        sim_inv_forget(c, t); /* any event count (finding F3) */
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------------------
 * A vCPU against the shadow (sdei-rules §4.5, §7.1).
 * ------------------------------------------------------------------------- */
int inv_slots_differ(sim_inv *c, uint32_t v, const sdei_vcpu_view *w)
{
    const sim_inv_frame *n = &c->fr[v][0], *k = &c->fr[v][1];
    return sim_inv_fail(c, SIM_INV_ONE_HANDLER_PER_CLASS, v,
                        "handlers: implementation normal=%u critical=%u, entered normal=%d "
                        "critical=%d",
                        w->normal_running, w->critical_running, n->running != 0, k->running != 0);
}

/* ---------------------------------------------------------------------------
 * Events across vCPUs.
 * ------------------------------------------------------------------------- */
static int running_state(sdei_event_state st)
{
    return st == SDEI_STATE_RUNNING_ENABLED || st == SDEI_STATE_RUNNING_DISABLED ||
           st == SDEI_STATE_UNREGISTER_PENDING;
}

/* One (event, vCPU): the slots, the state and the pending latch; o is the
 * pair's state and pending count read in bulk (vcpu_events), or NULL. */
static int check_pair(sim_inv *c, sim_target *t, const sim_inv_event *e, uint32_t v,
                      const sdei_vcpu_view *w, const sdei_event_obs *o, uint32_t *runs,
                      uint32_t *pend_total)
{
    int on_n = w->normal_running && w->normal_num == e->num;
    int on_c = w->critical_running && w->critical_num == e->num;
    if ((on_n && e->priority != SDEI_EVENT_PRIORITY_NORMAL) ||
        (on_c && e->priority != SDEI_EVENT_PRIORITY_CRITICAL)) {
        return sim_inv_fail(c, SIM_INV_ONE_HANDLER_PER_CLASS, v,
                            "event 0x%" PRIx64 " runs in the slot of the other class", e->num);
    }
    *runs += (uint32_t)(on_n || on_c);
    sdei_event_state st;
    uint32_t pend = 0;
    if (o != NULL) {
        st = o->state;
        pend = o->pending;
    } else if (inv_state(c, t, e->num, v, &st) != 0) {
        return 0;
    } else if (!sim_target_can(t, SIM_CAP_OBS_PENDING)) {
        c->unobservable++;
    } else if (t->ops->pending_count(t->impl, e->num, v, &pend) != SDEI_OK) {
        return sim_inv_fail(c, SIM_INV_MODEL_SOUND, v, "no pending count for 0x%" PRIx64, e->num);
    }
    *pend_total += pend;
    if (e->type == SDEI_EVENT_TYPE_PRIVATE && running_state(st) != (on_n || on_c) &&
        sim_inv_on(c, SIM_INV_UNREGISTER_PENDING_RUNNING)) {
        return sim_inv_fail(c, SIM_INV_UNREGISTER_PENDING_RUNNING, v,
                            "private event 0x%" PRIx64 " in state %s disagrees with the slots",
                            e->num, sdei_state_name(st));
    }
    if (pend > 1 && !c->vmm_made && sim_inv_on(c, SIM_INV_EDGE_TRIGGERED)) {
        return sim_inv_fail(c, SIM_INV_EDGE_TRIGGERED, v,
                            "event 0x%" PRIx64 " has %u pending triggers", e->num, pend);
    }
    /* As edge_triggered: a state the VMM loaded (SET_VCPU_EVENT, restore) may
     * hold what a guest can never make, and the kernel accepts it (docs/
     * fuzzing.md F3/F4); this invariant is about what guests can reach. */
    if (pend > 0 && (st == SDEI_STATE_UNREGISTERED || st == SDEI_STATE_UNREGISTER_PENDING) &&
        !c->vmm_made && sim_inv_on(c, SIM_INV_NO_PENDING_WHEN_UNREGISTERED)) {
        return sim_inv_fail(c, SIM_INV_NO_PENDING_WHEN_UNREGISTERED, v,
                            "event 0x%" PRIx64 " pending in state %s", e->num, sdei_state_name(st));
    }
    return 0;
}

/* A shared event over every vCPU (sdei-rules §4.3). */
static int check_shared(sim_inv *c, sim_target *t, const sim_inv_event *e, uint32_t runs,
                        uint32_t pend_total)
{
    sdei_event_state st;
    if (runs > 1 && sim_inv_on(c, SIM_INV_SHARED_RUNS_ONCE)) {
        return sim_inv_fail(c, SIM_INV_SHARED_RUNS_ONCE, 0,
                            "shared event 0x%" PRIx64 " runs on %u vCPUs", e->num, runs);
    }
    if (pend_total > 1 && !c->vmm_made && sim_inv_on(c, SIM_INV_EDGE_TRIGGERED)) {
        return sim_inv_fail(c, SIM_INV_EDGE_TRIGGERED, 0,
                            "shared event 0x%" PRIx64 " has %u pending triggers", e->num,
                            pend_total);
    }
    if (inv_state(c, t, e->num, 0, &st) == 0 && running_state(st) != (runs > 0) &&
        sim_inv_on(c, SIM_INV_UNREGISTER_PENDING_RUNNING)) {
        return sim_inv_fail(c, SIM_INV_UNREGISTER_PENDING_RUNNING, 0,
                            "shared event 0x%" PRIx64 " in state %s disagrees with the slots",
                            e->num, sdei_state_name(st));
    }
    return 0;
}

#define ALL_EVENTS (-1)

/* The state and pending count of the first cap events (event_at order) on
 * vCPU v in one call, when the implementation offers it: the count read, or
 * 0 (each pair is then read on its own). */
static uint32_t bulk_events(sim_target *t, uint32_t v, sdei_event_obs *obs, uint32_t cap)
{
    uint32_t n = 0;
    if (cap == 0 || t->ops->vcpu_events == NULL ||
        !sim_target_can(t, SIM_CAP_OBS_STATE | SIM_CAP_OBS_PENDING) ||
        t->ops->vcpu_events(t->impl, v, obs, cap, &n) != SDEI_OK) {
        return 0;
    }
    return n;
}

/* The listed events (k = ALL_EVENTS: every one): private ones on vCPU `only`
 * (every vCPU when only == UINT32_MAX), shared ones on every vCPU. */
static int check_events(sim_inv *c, sim_target *t, const int *idx, int k, uint32_t only)
{
    /* Only the first n counts are used: cleared here, not all 128 (a fuzz
     * target checks after most actions; 1 KiB cleared each time was a tenth
     * of this function). */
    uint32_t runs[SDEI_MAX_EVENTS], pend[SDEI_MAX_EVENTS], cap = 0;
    sdei_event_obs obs[SDEI_MAX_EVENTS];
    int n = k == ALL_EVENTS ? (int)c->nev : k, any_shared = 0;
    for (int i = 0; i < n; i++) {
        const sim_inv_event *e = &c->ev[k == ALL_EVENTS ? i : idx[i]];
        runs[i] = pend[i] = 0;
        any_shared |= e->type == SDEI_EVENT_TYPE_SHARED;
        cap = e->at >= cap ? e->at + 1u : cap;
    }
    for (uint32_t v = 0; v < c->nvcpus; v++) {
        sdei_vcpu_view w;
        if ((only != UINT32_MAX && v != only && !any_shared) || inv_brief(c, t, v, &w) != 0) {
            continue;
        }
        if (k == ALL_EVENTS && only == UINT32_MAX && inv_check_vcpu_view(c, v, &w)) {
            return 1; /* a sweep: each vCPU against the shadow, one view each */
        }
        uint32_t nobs = bulk_events(t, v, obs, cap);
        int other = only != UINT32_MAX && v != only; /* private events not checked here */
        for (int i = 0; i < n; i++) {
            const sim_inv_event *e = &c->ev[k == ALL_EVENTS ? i : idx[i]];
            if (other && e->type == SDEI_EVENT_TYPE_PRIVATE) {
                continue;
            }
            /* The bulk read answers by index: used when it names this event. */
            const sdei_event_obs *o = e->at < nobs && obs[e->at].num == e->num ? &obs[e->at] : NULL;
            if (check_pair(c, t, e, v, &w, o, &runs[i], &pend[i])) {
                return 1;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        const sim_inv_event *e = &c->ev[k == ALL_EVENTS ? i : idx[i]];
        if (e->type == SDEI_EVENT_TYPE_SHARED && check_shared(c, t, e, runs[i], pend[i])) {
            return 1;
        }
    }
    return 0;
}

static int add_event(const sim_inv *c, int *idx, int k, uint64_t num)
{
    int ei = inv_event_index(c, num);
    for (int i = 0; i < k; i++) {
        if (idx[i] == ei) {
            return k;
        }
    }
    if (ei >= 0) {
        idx[k++] = ei;
    }
    return k;
}

/* Events an action can have changed: the listed ones, or ALL_EVENTS. */
static int touched(const sim_inv *c, const sim_action *a, const sim_result *r, int *idx)
{
    int k = 0;
    switch (a->kind) {
    case SIM_A_HVC:
        switch (r->call) {
        case SDEI_CALL_PRIVATE_RESET:
        case SDEI_CALL_SHARED_RESET:
        case SDEI_CALL_PE_MASK: /* re-routes waiting RM_ANY triggers */
        case SDEI_CALL_PE_UNMASK:
        case SDEI_CALL_EVENT_ROUTING_SET:
        case SDEI_CALL_EVENT_SIGNAL: /* another vCPU's event 0 */
        case SDEI_CALL_INTERRUPT_RELEASE:
            return ALL_EVENTS;
        default:
            break;
        }
        k = add_event(c, idx, k, c->pre.x[1]);
        if (r->kind == SIM_R_COMPLETED) {
            k = add_event(c, idx, k, r->num);
        }
        break;
    case SIM_A_DELIVER:
        if (r->kind == SIM_R_ENTERED) {
            k = add_event(c, idx, k, r->num);
        }
        break;
    case SIM_A_TRIGGER:
    case SIM_A_VMM:
        if (a->kind == SIM_A_VMM && a->vmm_cmd != SDEI_CMD_INJECT_EVENT) {
            return ALL_EVENTS;
        }
        k = add_event(c, idx, k, a->num);
        break;
    default:
        return ALL_EVENTS; /* irq (which event?), migrate, expose */
    }
    /* The acting vCPU's running events: a COMPLETE or a delivery moves them. */
    for (int cls = 0; cls < 2; cls++) {
        if (c->fr[a->vcpu][cls].running) {
            k = add_event(c, idx, k, c->fr[a->vcpu][cls].num);
        }
    }
    return k;
}

/* An action the rules make a pure rejection or a read cannot change state
 * (sdei-rules §3: parameter and state checks come before any effect). */
static int no_change(const sim_action *a, const sim_result *r)
{
    int64_t x0 = (int64_t)r->x[0];
    switch (a->kind) {
    case SIM_A_HVC:
        if (r->kind == SIM_R_NOTSDEI || r->kind == SIM_R_NORESULT) {
            return 1;
        }
        if (r->kind != SIM_R_RET) {
            return 0;
        }
        switch (r->call) {
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
            return x0 == SDEI_NOT_SUPPORTED || x0 == SDEI_INVALID_PARAMETERS || x0 == SDEI_DENIED ||
                   x0 == SDEI_OUT_OF_RESOURCE;
        }
    case SIM_A_DELIVER:
        return r->kind == SIM_R_NONE;
    case SIM_A_TRIGGER:
    case SIM_A_IRQ:
        return r->kind == SIM_R_DROPPED || r->kind == SIM_R_ERR;
    case SIM_A_VMM:
        return r->kind != SIM_R_VMM || r->ret != 0;
    default:
        return 0;
    }
}

static int model_sound(sim_inv *c, sim_target *t)
{
    if (!sim_target_can(t, SIM_CAP_OBS_CHECK)) {
        c->unobservable++;
        return 0;
    }
    const char *m = t->ops->check(t->impl);
    return m != NULL ? sim_inv_fail(c, SIM_INV_MODEL_SOUND, 0, "%s", m) : 0;
}

int sim_inv_touched(const sim_inv *c, const sim_action *a, const sim_result *r, uint64_t *nums)
{
    int idx[8];
    int k = touched(c, a, r, idx);
    for (int i = 0; i < k; i++) {
        nums[i] = c->ev[idx[i]].num;
    }
    return k;
}

/* The replayers' and the fuzz targets' profiles (the simulator's is
 * after_state_brief in inv_step.c, inline on its hot path). */
int inv_after_state(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r)
{
    int vcpu_act = a->kind == SIM_A_HVC || a->kind == SIM_A_DELIVER;
    if (c->o.full) {
        return (vcpu_act && inv_check_vcpu(c, t, a->vcpu)) || sim_inv_sweep(c, t);
    }
    /* The fuzz targets' fast path: a rejection or a read changes nothing
     * (the check after the last record still sees anything it broke). */
    if (no_change(a, r)) {
        return 0;
    }
    if ((vcpu_act && inv_check_vcpu(c, t, a->vcpu)) || model_sound(c, t)) {
        return 1;
    }
    int idx[8];
    int k = touched(c, a, r, idx);
    if (k == 0) {
        return 0;
    }
    /* Private events changed only on the acting vCPU (the global calls take
     * the ALL_EVENTS path); shared events are checked everywhere. */
    return check_events(c, t, idx, k, k == ALL_EVENTS ? UINT32_MAX : a->vcpu);
}

int sim_inv_sweep(sim_inv *c, sim_target *t)
{
    if (c->failed) {
        return 1;
    }
    if (model_sound(c, t)) {
        return 1;
    }
    return check_events(c, t, NULL, ALL_EVENTS, UINT32_MAX);
}
