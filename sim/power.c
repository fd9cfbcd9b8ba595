/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * power.c - the guests' power transitions, the way Linux makes them
 * (sdei-rules §10.5): CPU hotplug (UNREGISTER private events, PE_MASK,
 * CPU_OFF ... CPU_ON, REGISTER + ENABLE, PE_UNMASK), power-down suspend
 * (PE_MASK, CPU_SUSPEND ... wake-up, PE_UNMASK), reboot (PRIVATE_RESET,
 * SHARED_RESET, SYSTEM_RESET, boot), a CPU_OFF from inside a handler, the
 * VMM's vCPU reset; the shadow state they change and the power invariants
 * (sdei-rules §9, docs/model.md "Power").
 */
#include <inttypes.h>
#include <string.h>

#include "names.h"
#include "world.h"

/* The guest's PC after a reset: its boot code (the model zeroes the registers). */
static void set_boot_pc(sim_world *w, uint32_t v)
{
    sim_action a;
    sim_result r;
    sim_action_clear(&a);
    a.kind = SIM_A_SETREG;
    a.vcpu = v;
    a.nregs = 1;
    a.reg[0] = SIM_REG_PC;
    a.val[0] = w->vc[v].code_pc = UINT64_C(0x80000) + ((uint64_t)v << 16);
    (void)sim_act(w, &a, &r);
}

/* Drops the guest's handler frames when the model no longer runs a handler
 * there (a PE reset abandons it, a power-down completes it); kvm-v5 keeps the
 * handler running through every transition, and then so does the guest. */
static void resync_frames(sim_world *w, uint32_t v)
{
    sdei_vcpu_view view;
    sim_vcpu *c = &w->vc[v];
    sim_vcpu_view(w, v, &view);
    if (view.normal_running || view.critical_running) {
        return;
    }
    while (c->depth > 0) {
        c->depth--;
        w->handlers_running--;
    }
}

/* sdei-rules §9, restated: after a PE reset (CPU_OFF, CPU_ON, a VMM reset,
 * SYSTEM_RESET) the PE is masked, runs no handler and has no private event
 * registered; after a wake-up it is masked (only_mask). */
static void check_reset_state(sim_world *w, uint32_t v, const char *what, int only_mask)
{
    sdei_vcpu_view view;
    if (!w->o->strict_invariants &&
        (w->quirks & sim_invariant_quirks[SIM_INV_POWER_RESET_STATE]) != 0) {
        return;
    }
    sim_vcpu_view(w, v, &view);
    if (!view.masked) {
        sim_fail(w, SIM_INV_POWER_RESET_STATE, v, "vCPU %u is unmasked after %s", v, what);
        return;
    }
    if (only_mask) {
        return;
    }
    if (view.normal_running || view.critical_running) {
        sim_fail(w, SIM_INV_POWER_RESET_STATE, v, "vCPU %u runs a handler after %s", v, what);
        return;
    }
    for (uint32_t i = 0; i < w->nev; i++) {
        sdei_event_state st = SDEI_STATE_COUNT;
        if (w->ev[i].type == SDEI_EVENT_TYPE_PRIVATE &&
            (sdei_event_state_of(sim_vm(w), w->ev[i].num, v, &st) != SDEI_OK ||
             st != SDEI_STATE_UNREGISTERED)) {
            sim_fail(w, SIM_INV_POWER_RESET_STATE, v,
                     "private event 0x%" PRIx64 " is %s on vCPU %u after %s", w->ev[i].num,
                     sim_state_name(st), v, what);
            return;
        }
    }
}

/* The guest's own idea of its power state is the implementation's. */
static void check_power_state(sim_world *w, uint32_t v)
{
    sdei_vcpu_view view;
    if (w->failed) {
        return;
    }
    sim_vcpu_view(w, v, &view);
    if (view.power != w->vc[v].power) {
        sim_fail(w, SIM_INV_POWER_STATE_TRACKED, v, "vCPU %u is %s, its transitions say %s", v,
                 sdei_power_state_name((sdei_power_state)view.power),
                 sdei_power_state_name((sdei_power_state)w->vc[v].power));
    }
}

/* 1 if an event of the given type (or any, type < 0) waits on vCPU v, or a
 * shared event runs there. */
static int pending_here(sim_world *w, uint32_t v, int type)
{
    sdei_event_obs obs[MAX_EVENTS];
    uint32_t nobs = 0;
    if (sdei_vcpu_events(sim_vm(w), v, obs, MAX_EVENTS, &nobs) != SDEI_OK) {
        nobs = 0;
    }
    for (uint32_t i = 0; i < w->nev; i++) {
        uint32_t n = 0;
        if (type >= 0 && w->ev[i].type != (uint8_t)type) {
            continue;
        }
        /* w->ev is the model's event table in its order (setup_events) */
        if (i < nobs && obs[i].num == w->ev[i].num) {
            n = obs[i].pending;
        } else if (sdei_event_pending_count(sim_vm(w), w->ev[i].num, v, &n) != SDEI_OK) {
            n = 0;
        }
        if (n > 0) {
            return 1;
        }
    }
    const sim_vcpu *c = &w->vc[v];
    for (unsigned d = 0; d < c->depth && type == SDEI_EVENT_TYPE_SHARED; d++) {
        int ei = sim_event_index(w, c->frame[d].num);
        if (ei >= 0 && w->ev[ei].type == SDEI_EVENT_TYPE_SHARED) {
            return 1;
        }
    }
    return 0;
}

/* The program of a vCPU that is off: a while later another CPU's CPU_ON
 * brings it up, and Linux's bring-up (sdei_cpuhp_up) registers and enables
 * the private events, then unmasks (sdei-rules §10.5). */
void sim_plan_power_on(sim_world *w, uint32_t v, int boot)
{
    sim_vcpu *c = &w->vc[v];
    sim_op up[2];
    memset(up, 0, sizeof(up));
    up[0].flags = OPF_SLEEP;
    up[0].a[0] = 1 + sim_prng_below(&w->guest, 16);
    up[1].flags = OPF_POWER;
    up[1].a[0] = SDEI_POWER_CPU_ON;
    if (boot) {
        sim_plan_boot(w, v); /* after a reboot: Linux's probe on this CPU */
        memmove(&c->ops[2], &c->ops[0], sizeof(c->ops[0]) * c->nops);
        c->nops = (uint8_t)(c->nops + 2u);
        c->phase = PH_BOOT;
    } else {
        c->nops = (uint8_t)sim_plan_cpuhp_up(w, v, 2);
    }
    c->ops[0] = up[0];
    c->ops[1] = up[1];
    c->pos = 0;
    c->sleep = 0;
    c->retries = 0;
}

/* SYSTEM_RESET: vCPU 0 boots, the others come up when it brings them on. */
static void after_system_reset(sim_world *w)
{
    w->s->sometimes[SIM_ST_SYSTEM_RESET]++;
    for (uint32_t u = 0; u < w->o->vcpus && !w->failed; u++) {
        sim_vcpu *c = &w->vc[u];
        c->power = u == 0 ? SDEI_PE_ON : SDEI_PE_OFF;
        resync_frames(w, u);
        check_reset_state(w, u, "SYSTEM_RESET", 0);
        if (u == 0) {
            set_boot_pc(w, 0);
            sim_plan_boot(w, 0);
            c->phase = PH_BOOT;
            c->sleep = 0;
            c->retries = 0;
        } else {
            sim_plan_power_on(w, u, 1);
        }
    }
}

/* What the guest's bookkeeping and the invariants make of a transition that
 * the model carried out (result done). depth: handlers before the call. */
static void after_power(sim_world *w, uint32_t v, sdei_power_action act, const sim_result *r,
                        unsigned depth)
{
    sim_vcpu *c = &w->vc[v];
    switch (act) {
    case SDEI_POWER_CPU_OFF:
        if (depth > 0) {
            w->s->sometimes[SIM_ST_CPU_OFF_IN_HANDLER]++;
        }
        /* sdei-rules §9 (ACS 4.52): every running handler is completed first */
        if ((w->o->strict_invariants ||
             (w->quirks & sim_invariant_quirks[SIM_INV_POWER_COMPLETES_HANDLER]) == 0) &&
            r->completed != depth) {
            sim_fail(w, SIM_INV_POWER_COMPLETES_HANDLER, v,
                     "CPU_OFF with %u handler(s) running completed %u", depth, r->completed);
            return;
        }
        c->power = SDEI_PE_OFF;
        resync_frames(w, v);
        check_reset_state(w, v, "CPU_OFF", 0);
        sim_plan_power_on(w, v, 0);
        break;
    case SDEI_POWER_CPU_ON:
        c->power = SDEI_PE_ON;
        set_boot_pc(w, v);
        check_reset_state(w, v, "CPU_ON", 0);
        break;
    case SDEI_POWER_SUSPEND:
        c->power = SDEI_PE_SUSPENDED;
        break;
    case SDEI_POWER_RESUME:
        c->power = SDEI_PE_ON;
        check_reset_state(w, v, "the wake-up from a power-down suspend", 1);
        break;
    case SDEI_POWER_SYSTEM_RESET:
        after_system_reset(w);
        break;
    default: /* QUERY: nothing changes */
        break;
    }
}

void sim_power_op(sim_world *w, uint32_t v, sdei_power_action act)
{
    sim_vcpu *c = &w->vc[v];
    unsigned depth = c->depth;
    int shared = act == SDEI_POWER_CPU_OFF && pending_here(w, v, SDEI_EVENT_TYPE_SHARED);
    int waiting = act == SDEI_POWER_SUSPEND && pending_here(w, v, -1);
    sim_action a;
    sim_result r;
    sim_action_clear(&a);
    a.kind = SIM_A_POWER;
    a.vcpu = v;
    a.power = (uint8_t)act;
    if (sim_act(w, &a, &r) != 0 || r.kind != SIM_R_POWER) {
        return;
    }
    /* The guest only asks for transitions its own bookkeeping says are legal:
     * any other answer means the two disagree about the vCPU's power state. */
    if (r.power != SDEI_POWER_DONE) {
        sim_fail(w, SIM_INV_POWER_STATE_TRACKED, v, "%s of vCPU %u answered %s",
                 sdei_power_action_name(act), v,
                 sdei_power_result_name((sdei_power_result)r.power));
        return;
    }
    if (shared) {
        w->s->sometimes[SIM_ST_SHARED_TO_OFF_PE]++;
    }
    after_power(w, v, act, &r, depth);
    if (act == SDEI_POWER_RESUME && pending_here(w, v, -1)) {
        waiting = 1;
    }
    if (waiting) {
        w->s->sometimes[SIM_ST_SUSPEND_WITH_PENDING]++;
    }
    check_power_state(w, v);
}

/* The VMM resets a vCPU in any state (KVM_ARM_VCPU_INIT on a running VM):
 * a PE reset; the guest boots that CPU again. */
void sim_vmm_vcpu_reset(sim_world *w, uint32_t v)
{
    sim_vcpu *c = &w->vc[v];
    sim_action a;
    sim_result r;
    sim_action_clear(&a);
    a.kind = SIM_A_VCPU_RESET;
    a.vcpu = v;
    if (sim_act(w, &a, &r) != 0 || r.kind != SIM_R_OK) {
        return;
    }
    c->power = SDEI_PE_ON;
    resync_frames(w, v);
    check_reset_state(w, v, "a VMM vCPU reset", 0);
    set_boot_pc(w, v);
    c->phase = PH_BOOT;
    c->sleep = 0;
    c->retries = 0;
    sim_plan_boot(w, v);
    w->s->sometimes[SIM_ST_VMM_RESET_VCPU]++;
    check_power_state(w, v);
}
