/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * inv_step.c - the invariants around one action (invariants.h): what the
 * vCPU looked like before it, what a hypercall or a delivery did to its
 * registers, and the shadow of entered handlers.
 */
#include <inttypes.h>
#include <string.h>

#include "inv_internal.h"

/* Every action but the simulator's hypercalls. */
static void before_other(sim_inv *c, sim_target *t, const sim_action *a)
{
    switch (a->kind) {
    case SIM_A_HVC:
        if (a->vcpu >= c->nvcpus) {
            break;
        }
        c->pre = *sim_target_regs(t, a->vcpu);
        for (unsigned i = 0; i < 5; i++) {
            if (!(a->keep_mask & (1u << i))) {
                c->pre.x[i + 1] = a->arg[i];
            }
        }
        break;
    case SIM_A_DELIVER: {
        sdei_vm *vm = sim_target_model(t);
        if (a->vcpu >= c->nvcpus) {
            break;
        }
        c->pre = *sim_target_regs(t, a->vcpu);
        c->have_pre_view = inv_brief(c, t, a->vcpu, &c->pre_view) == 0;
        c->pre_deliverable =
            vm != NULL && c->o.thorough ? (uint8_t)sdei_vcpu_has_deliverable(vm, a->vcpu) : 2;
        break;
    }
    case SIM_A_MIGRATE:
        inv_migrate_before(c, t, a->via_vmm);
        break;
    default:
        break;
    }
}

/* inline + always_inline: an external definition that a link-time
 * optimised driver inlines into its loop (the simulator's sim_act_checked:
 * a call layer per action, issue 9). */
inline __attribute__((always_inline)) void sim_inv_before(sim_inv *c, sim_target *t,
                                                          const sim_action *a)
{
    c->have_pre_view = 0;
    if (a->kind == SIM_A_HVC && !c->o.thorough) {
        /* Most actions: only x1 is read after the call (the event, the
         * resume address). */
        if (a->vcpu < c->nvcpus) {
            c->pre.x[1] = a->keep_mask & 1u ? sim_target_regs(t, a->vcpu)->x[1] : a->arg[0];
        }
        return;
    }
    before_other(c, t, a);
}

/* sdei-rules §7.2-§7.3, DESIGN §3.2, restated independently of any
 * implementation: x0 = event, x2/x3 = interrupted PC/PSTATE; PSTATE = EL1h
 * with DAIF set, NZCV/DIT/PAN kept (PAN forced when SCTLR_EL1.SPAN = 0);
 * x4..x30, SP, ELR_EL1 and SPSR_EL1 untouched. Each part is exempt under
 * the quirk that breaks it. */
static int entry_state(sim_inv *c, sim_target *t, uint32_t v, const sim_result *r)
{
    const sdei_regs *g = sim_target_regs(t, v);
    const sdei_regs *pre = &c->pre;
    const uint64_t keep = SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_PAN;
    uint64_t want = (pre->pstate & keep) | SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
    int strict = c->o.strict;
    if (t->cfg.sctlr_el1_span == 0) {
        want |= SDEI_PSTATE_PAN;
    }
    const char *what = NULL;
    unsigned reg = 0;
    if (g->x[0] != r->num) {
        what = "x0 is not the event number";
    } else if (g->x[2] != pre->pc || g->x[3] != pre->pstate) {
        what = "x2/x3 are not the interrupted PC/PSTATE";
    } else if ((strict || !inv_quirk(c, SDEI_QUIRK_BIT(PSTATE_KEEP_ALL)))
                   ? g->pstate != want
                   : (g->pstate & (SDEI_PSTATE_DAIF | SDEI_PSTATE_M_MASK)) !=
                         (SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H)) {
        what = "PSTATE is not the exception-entry PSTATE";
    } else if ((strict || !inv_quirk(c, SDEI_QUIRK_BIT(SPSR_CLOBBER))) &&
               g->spsr_el1 != pre->spsr_el1) {
        what = "SPSR_EL1 changed";
    } else if (g->elr_el1 != pre->elr_el1 || g->sp != pre->sp) {
        what = "ELR_EL1 or SP changed";
    } else if (strict || !inv_quirk(c, SDEI_QUIRK_BIT(ZERO_X4_X17))) {
        for (reg = 4; reg < 31; reg++) {
            if (g->x[reg] != pre->x[reg]) {
                what = "a register other than x0..x3 changed";
                break;
            }
        }
    }
    if (what == NULL) {
        return 0;
    }
    reg = reg < 31 ? reg : 0;
    return sim_inv_fail(c, SIM_INV_HANDLER_ENTRY_STATE, v,
                        "entering 0x%" PRIx64 ": %s (x%u 0x%" PRIx64 " -> 0x%" PRIx64
                        ", pstate 0x%" PRIx64 " -> 0x%" PRIx64 ", want 0x%" PRIx64 ")",
                        r->num, what, reg, pre->x[reg], g->x[reg], pre->pstate, g->pstate, want);
}

/* What the vCPU looked like before the delivery (sdei-rules §4.5, §7.1). */
static int entry_allowed(sim_inv *c, uint32_t v, const sim_result *r)
{
    const sdei_vcpu_view *b = &c->pre_view;
    if (!c->have_pre_view) {
        c->unobservable++;
        return 0;
    }
    if (b->critical_running) {
        return sim_inv_fail(c, SIM_INV_CRITICAL_NEVER_PREEMPTED, v,
                            "event 0x%" PRIx64 " delivered while critical 0x%" PRIx64 " runs",
                            r->num, b->critical_num);
    }
    if (b->normal_running && r->prio != SDEI_EVENT_PRIORITY_CRITICAL) {
        return sim_inv_fail(c, SIM_INV_ONE_HANDLER_PER_CLASS, v,
                            "normal event 0x%" PRIx64 " delivered while normal 0x%" PRIx64 " runs",
                            r->num, b->normal_num);
    }
    if (b->masked && sim_inv_on(c, SIM_INV_NO_DELIVERY_WHEN_MASKED)) {
        return sim_inv_fail(c, SIM_INV_NO_DELIVERY_WHEN_MASKED, v,
                            "event 0x%" PRIx64 " delivered to a masked vCPU", r->num);
    }
    if (b->power != SDEI_PE_ON) {
        return sim_inv_fail(c, SIM_INV_NO_DELIVERY_WHEN_OFF, v,
                            "event 0x%" PRIx64 " delivered to a vCPU that is %s", r->num,
                            sdei_power_state_name((sdei_power_state)b->power));
    }
    return 0;
}

static int after_deliver(sim_inv *c, sim_target *t, uint32_t v, const sim_result *r)
{
    if (r->kind == SIM_R_ERR) {
        return sim_inv_fail(c, SIM_INV_API_ERRORS, v, "deliver: API error %d", r->err);
    }
    if (r->kind != SIM_R_ENTERED) {
        if (c->pre_deliverable == 1) {
            return sim_inv_fail(c, SIM_INV_MODEL_SOUND, v,
                                "sdei_vcpu_has_deliverable disagrees with the delivery");
        }
        if (memcmp(&c->pre, sim_target_regs(t, v), sizeof(c->pre)) != 0) {
            return sim_inv_fail(c, SIM_INV_HANDLER_ENTRY_STATE, v,
                                "nothing delivered, but the registers changed");
        }
        return 0;
    }
    if (c->pre_deliverable == 0) {
        return sim_inv_fail(c, SIM_INV_MODEL_SOUND, v,
                            "sdei_vcpu_has_deliverable disagrees with the delivery");
    }
    if (entry_allowed(c, v, r)) {
        return 1;
    }
    int ei = inv_event_index(c, r->num);
    if (ei < 0) {
        return sim_inv_fail(c, SIM_INV_MODEL_SOUND, v, "delivered unknown event 0x%" PRIx64,
                            r->num);
    }
    if (sim_inv_on(c, SIM_INV_DELIVERED_EVENT_RUNNING_ENABLED)) {
        sdei_event_state st = SDEI_STATE_COUNT;
        if (inv_state(c, t, r->num, v, &st) == 0 && st != SDEI_STATE_RUNNING_ENABLED) {
            return sim_inv_fail(c, SIM_INV_DELIVERED_EVENT_RUNNING_ENABLED, v,
                                "event 0x%" PRIx64 " after delivery is %s, expected RE", r->num,
                                sdei_state_name(st));
        }
    }
    sim_inv_event *e = &c->ev[ei];
    if (e->type == SDEI_EVENT_TYPE_SHARED && e->running != 0 &&
        sim_inv_on(c, SIM_INV_SHARED_RUNS_ONCE)) {
        return sim_inv_fail(c, SIM_INV_SHARED_RUNS_ONCE, v,
                            "shared event 0x%" PRIx64 " entered while it runs on another vCPU",
                            r->num);
    }
    if (entry_state(c, t, v, r)) {
        return 1;
    }
    int crit = r->prio == SDEI_EVENT_PRIORITY_CRITICAL;
    if (c->have_pre_view && r->preempted != (crit && c->pre_view.normal_running)) {
        return sim_inv_fail(c, SIM_INV_PREEMPTED_FLAG, v,
                            "entering 0x%" PRIx64 ": preempted=%u, a normal handler %s", r->num,
                            r->preempted, c->pre_view.normal_running ? "runs" : "does not run");
    }
    sim_inv_frame *f = &c->fr[v][crit];
    if (f->running) {
        return sim_inv_fail(c, SIM_INV_ONE_HANDLER_PER_CLASS, v, "a second %s handler entered",
                            crit ? "critical" : "normal");
    }
    f->running = 1;
    f->num = r->num;
    memcpy(f->saved, c->pre.x, SDEI_SAVED_GPREGS * sizeof(uint64_t));
    f->saved[SDEI_SAVED_GPREGS] = c->pre.pc;
    f->saved[SDEI_SAVED_GPREGS + 1] = c->pre.pstate;
    f->at = c->actions;
    e->running++;
    return 0;
}

/* sdei-rules §8: the context saved at delivery comes back. */
static int restores(sim_inv *c, sim_target *t, uint32_t v, const sim_result *r,
                    const sim_inv_frame *f)
{
    const sdei_regs *g = sim_target_regs(t, v);
    for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
        if (g->x[i] != f->saved[i]) {
            return sim_inv_fail(c, SIM_INV_COMPLETE_RESTORES_REGS, v,
                                "after COMPLETE of 0x%" PRIx64 " (delivered at action %" PRIu64
                                ") x%u = 0x%" PRIx64 ", saved 0x%" PRIx64,
                                r->num, f->at, i, g->x[i], f->saved[i]);
        }
    }
    uint64_t spc = f->saved[SDEI_SAVED_GPREGS], sps = f->saved[SDEI_SAVED_GPREGS + 1];
    /* Under resume_ignored v5 completes instead; strict holds even that to the spec. */
    int resumed = r->call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME &&
                  (c->o.strict || !inv_quirk(c, SDEI_QUIRK_BIT(RESUME_IGNORED)));
    if (!resumed && (g->pc != spc || g->pstate != sps)) {
        return sim_inv_fail(c, SIM_INV_COMPLETE_RESTORES_REGS, v,
                            "after COMPLETE of 0x%" PRIx64 " pc/pstate = 0x%" PRIx64 "/0x%" PRIx64
                            ", saved 0x%" PRIx64 "/0x%" PRIx64,
                            r->num, g->pc, g->pstate, spc, sps);
    }
    uint64_t resume = c->pre.x[1];
    if (inv_quirk(c, SDEI_QUIRK_BIT(RESUME_AS_IRQ)) && !c->o.strict) {
        resume = SDEI_VECTOR_IRQ_CURRENT_SPX; /* v6: an IRQ at VBAR_EL1 (0) + 0x280 */
    }
    if (resumed && (g->pc != resume || g->elr_el1 != spc || g->spsr_el1 != sps)) {
        return sim_inv_fail(c, SIM_INV_COMPLETE_RESTORES_REGS, v,
                            "after COMPLETE_AND_RESUME of 0x%" PRIx64 ": pc=0x%" PRIx64
                            " (want 0x%" PRIx64 ") elr=0x%" PRIx64 " (want 0x%" PRIx64
                            ") spsr=0x%" PRIx64 " (want 0x%" PRIx64 ")",
                            r->num, g->pc, resume, g->elr_el1, spc, g->spsr_el1, sps);
    }
    return 0;
}

/* Out of line: one action in thirty (the hypercall path stays small). */
static __attribute__((noinline)) int completed(sim_inv *c, sim_target *t, uint32_t v,
                                               const sim_result *r)
{
    int crit = r->prio == SDEI_EVENT_PRIORITY_CRITICAL;
    sim_inv_frame *f = &c->fr[v][crit];
    if (!f->running) {
        return sim_inv_fail(c, SIM_INV_ONE_HANDLER_PER_CLASS, v,
                            "COMPLETE of 0x%" PRIx64 " succeeded with no %s handler running",
                            r->num, crit ? "critical" : "normal");
    }
    if (!crit && c->fr[v][1].running) {
        return sim_inv_fail(c, SIM_INV_ONE_HANDLER_PER_CLASS, v,
                            "COMPLETE finished normal 0x%" PRIx64 " under a running critical",
                            r->num);
    }
    if (f->num != r->num) {
        return sim_inv_fail(c, SIM_INV_ONE_HANDLER_PER_CLASS, v,
                            "COMPLETE finished 0x%" PRIx64 " but the handler is 0x%" PRIx64, r->num,
                            f->num);
    }
    if (f->running == 1 && restores(c, t, v, r, f)) {
        return 1;
    }
    f->running = 0;
    int ei = inv_event_index(c, r->num);
    if (ei >= 0 && c->ev[ei].running > 0) {
        c->ev[ei].running--;
    }
    return 0;
}

static int is_status_code(uint64_t x0)
{
    int64_t v = (int64_t)x0;
    return v == SDEI_SUCCESS || v == SDEI_NOT_SUPPORTED || v == SDEI_INVALID_PARAMETERS ||
           v == SDEI_DENIED || v == SDEI_PENDING || v == SDEI_OUT_OF_RESOURCE;
}

/* kvm-v5 §4.1: what a call that returns writes (sdei_absent: every SDEI
 * call is NOT_SUPPORTED). */
static int returned(sim_inv *c, uint32_t v, const sim_result *r)
{
    if (r->kind == SIM_R_NORESULT) {
        if (c->o.strict || !inv_quirk(c, SDEI_QUIRK_BIT(COMPLETE_NO_RESULT))) {
            return sim_inv_fail(c, SIM_INV_HVC_RESULT_SHAPE, v,
                                "no result written without the complete_no_result quirk");
        }
        return 0;
    }
    if (r->x[1] != 0 || r->x[2] != 0 || r->x[3] != 0) {
        return sim_inv_fail(c, SIM_INV_HVC_RESULT_SHAPE, v, "x1..x3 are not 0 after a call");
    }
    if (r->kind == SIM_R_RET && r->x0_named == 1 && !is_status_code(r->x[0])) {
        return sim_inv_fail(c, SIM_INV_HVC_RESULT_SHAPE, v, "status call %u returned 0x%" PRIx64,
                            r->call, r->x[0]);
    }
    if (r->kind == SIM_R_RET &&
        (r->call == SDEI_CALL_EVENT_COMPLETE || r->call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME) &&
        (int64_t)r->x[0] != SDEI_DENIED &&
        !((int64_t)r->x[0] == SDEI_NOT_SUPPORTED && inv_quirk(c, SDEI_QUIRK_BIT(ABSENT)))) {
        return sim_inv_fail(c, SIM_INV_HVC_RESULT_SHAPE, v,
                            "a COMPLETE that failed returned 0x%" PRIx64 ", not DENIED", r->x[0]);
    }
    return 0;
}

static int after_hvc(sim_inv *c, sim_target *t, uint32_t v, const sim_result *r)
{
    if (r->kind == SIM_R_ERR) {
        return sim_inv_fail(c, SIM_INV_API_ERRORS, v, "hypercall: API error %d", r->err);
    }
    if (r->kind == SIM_R_COMPLETED) {
        return completed(c, t, v, r);
    }
    if (returned(c, v, r) || !c->o.thorough) {
        return c->failed != 0;
    }
    /* Registers the call does not name stay as they were. */
    const sdei_regs *g = sim_target_regs(t, v);
    const sdei_regs *p = &c->pre;
    for (unsigned i = 4; i < 31; i++) {
        if (g->x[i] != p->x[i]) {
            return sim_inv_fail(c, SIM_INV_HVC_RESULT_SHAPE, v,
                                "x%u changed from 0x%" PRIx64 " by a call", i, p->x[i]);
        }
    }
    if (g->pc != p->pc || g->pstate != p->pstate || g->elr_el1 != p->elr_el1 ||
        g->spsr_el1 != p->spsr_el1 || g->sp != p->sp) {
        return sim_inv_fail(c, SIM_INV_HVC_RESULT_SHAPE, v,
                            "pc, pstate, sp, elr or spsr changed by a call that returned");
    }
    return 0;
}

/* API errors of the platform and VMM paths (impl.h, kvm-v5 §6). */
static int after_other(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r)
{
    if (a->kind == SIM_A_TRIGGER && r->kind == SIM_R_ERR) {
        sdei_event_state st;
        if (r->err != SDEI_E_EVENT || inv_state(c, t, a->num, 0, &st) == 0) {
            return sim_inv_fail(c, SIM_INV_API_ERRORS, a->vcpu,
                                "trigger of 0x%" PRIx64 ": API error %d", a->num, r->err);
        }
    }
    if (a->kind == SIM_A_IRQ && r->kind == SIM_R_ERR && r->err != SDEI_E_INTID) {
        return sim_inv_fail(c, SIM_INV_API_ERRORS, a->vcpu, "irq %u: API error %d", a->intid,
                            r->err);
    }
    if (a->kind == SIM_A_VMM && r->kind == SIM_R_VMM && r->ret != 0 &&
        sdei_errno_name(r->ret) == NULL) {
        return sim_inv_fail(c, SIM_INV_API_ERRORS, a->vcpu,
                            "VMM command %u returned %d, not an errno the kernel returns",
                            a->vmm_cmd, r->ret);
    }
    if (a->kind == SIM_A_VMM && r->kind == SIM_R_VMM && r->ret == 0) {
        inv_after_vmm_set(c, t, a);
    }
    if (a->kind == SIM_A_EXPOSE) {
        inv_load_events(c, t);
    }
    if (a->kind == SIM_A_POWER || a->kind == SIM_A_VCPU_RESET) {
        /* docs/model.md "Power": a transition ends or abandons handlers, a
         * system one on every vCPU: the shadow takes the implementation's slots */
        inv_after_power(c, t, a);
    }
    return 0;
}

/* The simulator's per-step check: the touched event on the acting vCPU is
 * unregister-pending only while it runs (sdei-rules §5.1). */
static inline int up_running(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r)
{
    uint64_t num;
    if (r->kind == SIM_R_COMPLETED) {
        num = r->num;
    } else if (r->call == SDEI_CALL_EVENT_UNREGISTER || r->call == SDEI_CALL_EVENT_REGISTER ||
               r->call == SDEI_CALL_EVENT_ENABLE || r->call == SDEI_CALL_EVENT_DISABLE) {
        num = c->pre.x[1];
    } else {
        return 0;
    }
    sdei_event_state st;
    if (!sim_inv_on(c, SIM_INV_UNREGISTER_PENDING_RUNNING) ||
        inv_state(c, t, num, a->vcpu, &st) != 0 || st != SDEI_STATE_UNREGISTER_PENDING) {
        return 0;
    }
    int ei = inv_event_index(c, num);
    if (ei < 0) {
        return 0;
    }
    const sim_inv_frame *f = c->fr[a->vcpu];
    int running = c->ev[ei].type == SDEI_EVENT_TYPE_SHARED
                      ? c->ev[ei].running != 0
                      : ((f[0].running && f[0].num == num) || (f[1].running && f[1].num == num));
    return running ? 0
                   : sim_inv_fail(c, SIM_INV_UNREGISTER_PENDING_RUNNING, a->vcpu,
                                  "event 0x%" PRIx64 " is unregister-pending but not running", num);
}

/* The simulator's profile after a vCPU's action: that vCPU against the
 * shadow and the touched event; the whole VM at sim_inv_sweep. */
static inline __attribute__((always_inline)) int
after_state_brief(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r)
{
    if (inv_check_vcpu(c, t, a->vcpu)) {
        return 1;
    }
    return a->kind == SIM_A_HVC ? up_running(c, t, a, r) : 0;
}

/* Every action but a hypercall. */
static int after_other_kinds(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r)
{
    int bad;
    switch (a->kind) {
    case SIM_A_DELIVER:
        bad = after_deliver(c, t, a->vcpu, r);
        break;
    case SIM_A_MIGRATE:
        bad = inv_migrate_after(c, t, r);
        break;
    case SIM_A_SETREG:
        return 0;
    default:
        bad = after_other(c, t, a, r);
        break;
    }
    if (bad) {
        return bad;
    }
    if (!c->o.thorough && !c->o.full) {
        /* only a vCPU's own actions are checked per step in this profile */
        return a->kind == SIM_A_DELIVER ? after_state_brief(c, t, a, r) : 0;
    }
    return inv_after_state(c, t, a, r);
}

/* Inlined into a link-time optimised driver's loop (see sim_inv_before). */
inline __attribute__((always_inline)) int sim_inv_after(sim_inv *c, sim_target *t,
                                                        const sim_action *a, const sim_result *r)
{
    c->actions++;
    if (c->failed || r->kind == SIM_R_UNAVAILABLE) {
        return c->failed != 0;
    }
    if (a->kind != SIM_A_HVC) {
        return after_other_kinds(c, t, a, r);
    }
    if (after_hvc(c, t, a->vcpu, r)) {
        return 1;
    }
    return !c->o.thorough && !c->o.full ? after_state_brief(c, t, a, r)
                                        : inv_after_state(c, t, a, r);
}
