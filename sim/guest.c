/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guest.c - the guest programs: the Linux client's sequences (sdei-rules §10),
 * handler programs, a hostile guest, and the hypercalls they make.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

/* ---------------------------------------------------------------------------
 * Guest hypercalls.
 * ------------------------------------------------------------------------- */
static int is_reset_call(unsigned call)
{
    return call == SDEI_CALL_PRIVATE_RESET || call == SDEI_CALL_SHARED_RESET;
}

/* COMPLETE / COMPLETE_AND_RESUME took effect (sdei-rules §8): the handler's
 * program ends (the checker has verified the registers). */
static void completed(sim_world *w, uint32_t v, const sim_result *r, unsigned call)
{
    sim_vcpu *c = &w->vc[v];
    w->s->completions++;
    if (call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME &&
        (w->o->strict_invariants || !(w->quirks & SDEI_QUIRK_BIT(RESUME_IGNORED)))) {
        w->s->sometimes[SIM_ST_COMPLETE_AND_RESUME]++;
    }
    if (c->depth > 0 && c->frame[c->depth - 1].num == r->num) {
        c->depth--;
        w->handlers_running--;
    }
}

/* A handler was entered: its program starts. */
static void entered(sim_world *w, uint32_t v, const sim_result *r)
{
    sim_vcpu *c = &w->vc[v];
    int ei = sim_event_index(w, r->num);
    w->s->deliveries++;
    if (ei >= 0 && w->ev[ei].type == SDEI_EVENT_TYPE_SHARED) {
        w->s->sometimes[SIM_ST_SHARED_DELIVERED]++;
    }
    if (r->preempted) {
        w->s->sometimes[SIM_ST_CRITICAL_PREEMPTS_NORMAL]++;
    }
    if (r->num == 0) {
        w->s->sometimes[SIM_ST_SIGNAL_DELIVERED]++;
    }
    if (ei >= 0 && w->ev[ei].bindable) {
        w->s->sometimes[SIM_ST_BOUND_IRQ_DELIVERED]++;
    }
    if (c->depth >= 2) {
        return; /* the checker has failed the run (one_handler_per_class) */
    }
    sim_frame *f = &c->frame[c->depth++];
    /* not cleared: sim_plan_handler writes ops[0..nops) and the cursor */
    f->num = r->num;
    f->prio = r->prio;
    w->handlers_running++;
    sim_plan_handler(w, v, f);
}

void sim_deliver(sim_world *w, uint32_t v)
{
    sim_action a;
    sim_result r;
    sim_action_clear(&a);
    a.kind = SIM_A_DELIVER;
    a.vcpu = v;
    if (sim_act(w, &a, &r) == 0 && r.kind == SIM_R_ENTERED) {
        entered(w, v, &r);
    }
}

static void hvc(sim_world *w, uint32_t v, unsigned call, uint64_t fid, const uint64_t *args,
                sim_result *r)
{
    sim_action *a = &w->hvc_action; /* zero but for the fields set here */
    a->kind = SIM_A_HVC;
    a->vcpu = v;
    a->call = (uint8_t)call;
    a->fid = fid;
    memcpy(a->arg, args, sizeof(a->arg));
    if (sim_act_inline(w, a, r) != 0) {
        return;
    }
    w->s->hvcs++;
    w->vc[v].last_x0 = r->x[0];
    int64_t x0 = (int64_t)r->x[0];
    /* What the model decoded, not what the guest meant: a hostile raw FID may
     * be a real call. */
    call = r->call;
    if (r->kind == SIM_R_COMPLETED) {
        completed(w, v, r, call);
    } else if (r->kind == SIM_R_RET) {
        switch (call) {
        case SDEI_CALL_EVENT_UNREGISTER:
            if (x0 == SDEI_PENDING) {
                w->s->sometimes[SIM_ST_UNREGISTER_WHILE_RUNNING]++;
            } else if (x0 == SDEI_DENIED && w->vc[v].retry_saw_pending) {
                w->s->sometimes[SIM_ST_UNREGISTER_RETRY_DENIED]++;
            }
            break;
        case SDEI_CALL_EVENT_ROUTING_SET:
            if (x0 == SDEI_SUCCESS) {
                w->s->sometimes[SIM_ST_ROUTING_CHANGE]++;
            }
            break;
        case SDEI_CALL_INTERRUPT_BIND:
            if (x0 == SDEI_OUT_OF_RESOURCE) {
                w->s->sometimes[SIM_ST_BIND_SLOTS_EXHAUSTED]++;
            } else if (x0 >= 0) {
                int known = 0;
                for (uint32_t i = 0; i < w->nbinds; i++) {
                    if (w->binds[i].intid == (uint32_t)args[0]) {
                        w->binds[i].num = (uint64_t)x0;
                        known = 1;
                    }
                }
                if (!known && w->nbinds < 64) {
                    w->binds[w->nbinds].intid = (uint32_t)args[0];
                    w->binds[w->nbinds].num = (uint64_t)x0;
                    w->nbinds++;
                }
            }
            break;
        case SDEI_CALL_PE_UNMASK:
            if (x0 == SDEI_SUCCESS && sdei_vcpu_has_deliverable(sim_vm(w), v)) {
                w->s->sometimes[SIM_ST_UNMASK_RELEASES_PENDING]++;
            }
            break;
        case SDEI_CALL_EVENT_CONTEXT:
            if (w->vc[v].depth == 2 && x0 >= 0) {
                w->s->sometimes[SIM_ST_CONTEXT_IN_NESTED]++;
            }
            break;
        case SDEI_CALL_EVENT_DISABLE:
            if (x0 == SDEI_SUCCESS && w->vc[v].depth > 0 &&
                w->vc[v].frame[w->vc[v].depth - 1].num == args[0]) {
                w->s->sometimes[SIM_ST_DISABLE_IN_HANDLER]++;
            }
            break;
        default:
            break;
        }
        if (is_reset_call(call) && w->handlers_running != 0 && x0 != SDEI_SUCCESS) {
            w->s->sometimes[SIM_ST_RESET_WHILE_RUNNING]++;
        }
    }
}

static void op_set(sim_op *op, unsigned call, uint8_t flags, uint64_t a1, uint64_t a2, uint64_t a3,
                   uint64_t a4, uint64_t a5)
{
    op->call = (uint8_t)call;
    op->flags = flags;
    op->a[0] = a1;
    op->a[1] = a2;
    op->a[2] = a3;
    op->a[3] = a4;
    op->a[4] = a5;
}

static void compute(sim_world *w, uint32_t v)
{
    /* The guest runs some code: PC moves, a few registers change. */
    sim_action a;
    sim_result r;
    sim_vcpu *c = &w->vc[v];
    sim_action_clear(&a);
    a.kind = SIM_A_SETREG;
    a.vcpu = v;
    c->code_pc += 4u * (1u + sim_prng_below(&w->guest, 64));
    a.reg[0] = SIM_REG_PC;
    a.val[0] = c->code_pc;
    a.reg[1] = (uint8_t)(4 + sim_prng_below(&w->guest, 14)); /* x4..x17 */
    a.val[1] = sim_prng_next(&w->guest);
    a.reg[2] = SIM_REG_PSTATE;
    /* EL1h or EL0t; NZCV, DAIF, and the bits the entry rules treat apart (PAN,
     * DIT kept; UAO, SS, IL cleared: DESIGN §3.2) vary, as in a real kernel. */
    const uint64_t varying = SDEI_PSTATE_NZCV | SDEI_PSTATE_DAIF | SDEI_PSTATE_PAN |
                             SDEI_PSTATE_UAO | SDEI_PSTATE_DIT | SDEI_PSTATE_SS | SDEI_PSTATE_IL;
    a.val[2] = (sim_prng_chance(&w->guest, 1, 4) ? UINT64_C(0) : SDEI_PSTATE_M_EL1H) |
               (sim_prng_next(&w->guest) & varying);
    a.nregs = 3;
    (void)sim_act(w, &a, &r);
}

/* ---------------------------------------------------------------------------
 * Handler programs: what a handler does between entry and COMPLETE
 * (sdei-rules §10.4: CONTEXT x0..x3, callback, COMPLETE or
 * COMPLETE_AND_RESUME(IRQ vector); plus the odd calls real handlers make).
 * ------------------------------------------------------------------------- */
void sim_plan_handler(sim_world *w, uint32_t v, sim_frame *f)
{
    sim_prng *g = &w->guest;
    unsigned n = 0;
    unsigned reads = sim_prng_chance(g, 1, 2) ? 4 : sim_prng_below(g, 4);
    (void)v;
    for (unsigned i = 0; i < reads; i++) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_CONTEXT, 0, i, 0, 0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 32)) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_CONTEXT, 0, 18, 0, 0, 0, 0); /* bad param */
    }
    if (sim_prng_chance(g, 1, 8)) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_STATUS, 0, f->num, 0, 0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 8)) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_DISABLE, 0, f->num, 0, 0, 0, 0);
        if (sim_prng_chance(g, 1, 3)) {
            op_set(&f->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, f->num, 0, 0, 0, 0);
        }
    }
    if (sim_prng_chance(g, 1, 10)) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_UNREGISTER, 0, f->num, 0, 0, 0, 0);
        if (sim_prng_chance(g, 1, 2)) {
            op_set(&f->ops[n++], SDEI_CALL_EVENT_UNREGISTER, 0, f->num, 0, 0, 0, 0);
        }
    }
    if (sim_prng_chance(g, 1, 24)) {
        op_set(&f->ops[n++], SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 24)) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_SIGNAL, 0, 0,
               sim_mpidr_of(w, sim_prng_below(g, w->o->vcpus)), 0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 48)) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_ROUTING_SET, 0, f->num, 0, 0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 64)) {
        op_set(&f->ops[n++],
               sim_prng_chance(g, 1, 2) ? SDEI_CALL_PRIVATE_RESET : SDEI_CALL_SHARED_RESET, 0, 0, 0,
               0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 64)) {
        /* PSCI_VERSION / AFFINITY_INFO / PSCI_FEATURES: allowed in a handler */
        op_set(&f->ops[n++], 0, OPF_POWER, SDEI_POWER_QUERY, 0, 0, 0, 0);
    }
    unsigned exit = sim_prng_below(g, 20);
    if (sim_prng_chance(g, 1, 96)) {
        /* CPU_OFF from inside the handler: it is completed first (ACS 4.52) */
        op_set(&f->ops[n++], 0, OPF_POWER, SDEI_POWER_CPU_OFF, 0, 0, 0, 0);
    } else if (exit < 9) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_COMPLETE, 0, SDEI_EV_HANDLED, 0, 0, 0, 0);
    } else if (exit < 11) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_COMPLETE, 0, SDEI_EV_FAILED, 0, 0, 0, 0);
    } else {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_COMPLETE_AND_RESUME, 0, IRQ_VECTOR, 0, 0, 0, 0);
    }
    /* Internal assertion (STYLE habit 3): an overflow here once corrupted
     * the saved registers next to ops[] and looked like a model bug. */
    if (n > MAX_HANDLER_OPS) {
        fprintf(stderr, "sdei-sim: internal error: handler program of %u ops\n", n);
        abort();
    }
    f->nops = (uint8_t)n;
    f->step = 0;
}

static void handler_step(sim_world *w, uint32_t v)
{
    sim_vcpu *c = &w->vc[v];
    sim_frame *f = &c->frame[c->depth - 1];
    sim_result r;
    if (f->step >= f->nops) {
        /* The program ran out (a COMPLETE that failed): complete again. */
        op_set(&f->ops[0], SDEI_CALL_EVENT_COMPLETE, 0, SDEI_EV_HANDLED, 0, 0, 0, 0);
        f->nops = 1;
        f->step = 0;
    }
    sim_op op = f->ops[f->step++];
    if (op.flags & OPF_POWER) {
        sim_power_op(w, v, (sdei_power_action)op.a[0]);
        return;
    }
    hvc(w, v, op.call, 0, op.a, &r);
}

/* ---------------------------------------------------------------------------
 * Guest programs outside handlers: the Linux client's sequences (§10).
 * ------------------------------------------------------------------------- */
static uint64_t ep_of(uint32_t v, uint32_t ei)
{
    return UINT64_C(0xffff800010000000) + ((uint64_t)ei << 8) + ((uint64_t)v << 20);
}

static uint64_t arg_of(uint32_t v, uint32_t ei)
{
    return UINT64_C(0xffff000020000000) + ((uint64_t)v << 12) + ((uint64_t)ei << 4);
}

static unsigned push_private_register(sim_world *w, sim_vcpu *c, uint32_t v, unsigned n)
{
    for (uint32_t i = 0; i < w->nev && n + 4 <= MAX_OPS; i++) {
        if (w->ev[i].type != SDEI_EVENT_TYPE_PRIVATE || w->ev[i].bindable) {
            continue;
        }
        op_set(&c->ops[n++], SDEI_CALL_EVENT_REGISTER, OPF_ABORT_ON_ERR, w->ev[i].num, ep_of(v, i),
               arg_of(v, i), 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, w->ev[i].num, 0, 0, 0, 0);
    }
    return n;
}

unsigned sim_plan_cpuhp_up(sim_world *w, uint32_t v, unsigned n)
{
    sim_vcpu *c = &w->vc[v];
    n = push_private_register(w, c, v, n);
    op_set(&c->ops[n++], SDEI_CALL_PE_UNMASK, OPF_SET_ONLINE, 0, 0, 0, 0, 0);
    return n;
}

void sim_plan_boot(sim_world *w, uint32_t v)
{
    /* sdei-rules §10.2: VERSION, PRIVATE_RESET (each CPU), SHARED_RESET (once),
     * then per CPU: register + enable private events, PE_UNMASK. */
    sim_vcpu *c = &w->vc[v];
    unsigned n = 0;
    op_set(&c->ops[n++], SDEI_CALL_VERSION, 0, 0, 0, 0, 0, 0);
    op_set(&c->ops[n++], SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0, 0);
    if (v == 0) {
        op_set(&c->ops[n++], SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0, 0);
    }
    n = push_private_register(w, c, v, n);
    op_set(&c->ops[n++], SDEI_CALL_PE_UNMASK, OPF_SET_ONLINE, 0, 0, 0, 0, 0);
    c->nops = (uint8_t)n;
    c->pos = 0;
}

static uint32_t pick_event(sim_world *w, int type, int allow_bind)
{
    uint32_t cand[MAX_EVENTS], n = 0;
    for (uint32_t i = 0; i < w->nev; i++) {
        if ((type < 0 || w->ev[i].type == (uint8_t)type) && (allow_bind || !w->ev[i].bindable) &&
            w->ev[i].num != 0) {
            cand[n++] = i;
        }
    }
    return n == 0 ? 0 : cand[sim_prng_below(&w->guest, n)];
}

/* The guest's everyday calls (queries, registrations, routing, teardown). */
static unsigned plan_calls(sim_world *w, sim_vcpu *c, uint32_t v, uint32_t k)
{
    sim_prng *g = &w->guest;
    unsigned n = 0;
    if (k < 30) {
        op_set(&c->ops[n++], 0, OPF_COMPUTE, 0, 0, 0, 0, 0);
    } else if (k < 40) {
        /* 2026 kernels: SIGNAL(0, target MPIDR), an NMI-like cross call. */
        op_set(&c->ops[n++], SDEI_CALL_EVENT_SIGNAL, 0, 0,
               sim_mpidr_of(w, sim_prng_below(g, w->o->vcpus)), 0, 0, 0);
    } else if (k < 47) {
        uint32_t ei = pick_event(w, -1, 1);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_STATUS, 0, w->ev[ei].num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_GET_INFO, 0, w->ev[ei].num, sim_prng_below(g, 5), 0, 0,
               0);
    } else if (k < 59) {
        /* sdei_event_register of a shared event (§10.3): GET_INFO x2, REGISTER,
         * ENABLE. Some registrations use RM_PE (vendor wrappers). */
        uint32_t ei = pick_event(w, SDEI_EVENT_TYPE_SHARED, 0);
        uint64_t num = w->ev[ei].num;
        int rm_pe = sim_prng_chance(g, 1, 4);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_GET_INFO, 0, num, SDEI_INFO_EV_PRIORITY, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_GET_INFO, 0, num, SDEI_INFO_EV_TYPE, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_REGISTER, OPF_ABORT_ON_ERR, num, ep_of(v, ei),
               arg_of(v, ei), rm_pe ? SDEI_RM_PE : SDEI_RM_ANY,
               rm_pe ? sim_mpidr_of(w, sim_prng_below(g, w->o->vcpus)) : 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, num, 0, 0, 0, 0);
    } else if (k < 67) {
        /* sdei_unregister_ghes: DISABLE, then UNREGISTER retried on PENDING. */
        uint32_t ei = pick_event(w, sim_prng_chance(g, 3, 4) ? (int)SDEI_EVENT_TYPE_SHARED : -1, 1);
        uint64_t num = w->ev[ei].num;
        c->retry_saw_pending = 0;
        op_set(&c->ops[n++], SDEI_CALL_EVENT_DISABLE, 0, num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_UNREGISTER, OPF_RETRY_PENDING, num, 0, 0, 0, 0);
    } else if (k < 72) {
        /* Routing change: only legal in D (sdei-rules §6.6). */
        uint32_t ei = pick_event(w, SDEI_EVENT_TYPE_SHARED, 1);
        uint64_t num = w->ev[ei].num;
        int rm_pe = sim_prng_chance(g, 1, 2);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_DISABLE, OPF_ABORT_ON_ERR, num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ROUTING_SET, 0, num, rm_pe ? SDEI_RM_PE : SDEI_RM_ANY,
               rm_pe ? sim_mpidr_of(w, sim_prng_below(g, w->o->vcpus)) : 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, num, 0, 0, 0, 0);
    }
    return n;
}

/* CPU life cycle and rarer calls: hotplug, idle, binds, resets, power. */
static unsigned plan_cpu(sim_world *w, sim_vcpu *c, uint32_t v, uint32_t k)
{
    sim_prng *g = &w->guest;
    unsigned n = 0;
    if (k < 74) {
        /* CPU hotplug (§10.5): offline = UNREGISTER private events + PE_MASK;
         * online = REGISTER + ENABLE + PE_UNMASK. */
        for (uint32_t i = 0; i < w->nev && n < 4; i++) {
            if (w->ev[i].type == SDEI_EVENT_TYPE_PRIVATE && !w->ev[i].bindable) {
                op_set(&c->ops[n++], SDEI_CALL_EVENT_UNREGISTER, 0, w->ev[i].num, 0, 0, 0, 0);
            }
        }
        op_set(&c->ops[n++], SDEI_CALL_PE_MASK, OPF_SET_OFFLINE, 0, 0, 0, 0, 0);
        if (sim_prng_chance(g, 1, 4)) {
            /* CPU_PM only: the CPU stays powered (an idle state) */
            op_set(&c->ops[n++], 0, OPF_SLEEP, 2 + sim_prng_below(g, 20), 0, 0, 0, 0);
            n = sim_plan_cpuhp_up(w, v, n);
        } else {
            /* PSCI CPU_OFF; power.c plans the CPU_ON and the bring-up after it */
            op_set(&c->ops[n++], 0, OPF_POWER, SDEI_POWER_CPU_OFF, 0, 0, 0, 0);
        }
    } else if (k < 79) {
        /* CPU idle / suspend: PE_MASK ... PE_UNMASK, half of them with a
         * power-down CPU_SUSPEND and its wake-up in between. */
        int down = sim_prng_chance(g, 1, 2);
        op_set(&c->ops[n++], SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0, 0);
        if (down) {
            op_set(&c->ops[n++], 0, OPF_POWER, SDEI_POWER_SUSPEND, 0, 0, 0, 0);
        }
        op_set(&c->ops[n++], 0, OPF_SLEEP, 1 + sim_prng_below(g, 8), 0, 0, 0, 0);
        if (down) {
            op_set(&c->ops[n++], 0, OPF_POWER, SDEI_POWER_RESUME, 0, 0, 0, 0);
        }
        op_set(&c->ops[n++], SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0, 0);
    } else if (k < 84) {
        /* Vendor wrappers: bind an interrupt, register and enable the event. */
        uint32_t intid =
            sim_prng_chance(g, 1, 2) ? 16 + sim_prng_below(g, 16) : 32 + sim_prng_below(g, 8);
        op_set(&c->ops[n++], SDEI_CALL_INTERRUPT_BIND, OPF_ABORT_ON_ERR, intid, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_REGISTER, OPF_ABORT_ON_ERR | OPF_A1_FROM_X0, 0,
               ep_of(v, 15), arg_of(v, 15), 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, OPF_A1_FROM_X0, 0, 0, 0, 0, 0);
    } else if (k < 88) {
        /* Release a bound event: DISABLE, UNREGISTER, RELEASE. */
        uint32_t ei = pick_event(w, -1, 1);
        uint64_t num = w->ev[ei].num;
        op_set(&c->ops[n++], SDEI_CALL_EVENT_DISABLE, 0, num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_UNREGISTER, 0, num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_INTERRUPT_RELEASE, 0, num, 0, 0, 0, 0);
    } else if (k < 93) {
        /* Private event teardown and re-registration on this CPU. */
        uint32_t ei = pick_event(w, SDEI_EVENT_TYPE_PRIVATE, 0);
        uint64_t num = w->ev[ei].num;
        op_set(&c->ops[n++], SDEI_CALL_EVENT_DISABLE, 0, num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_UNREGISTER, OPF_RETRY_PENDING, num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_REGISTER, 0, num, ep_of(v, ei), arg_of(v, ei), 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, num, 0, 0, 0, 0);
    } else if (k < 95) {
        op_set(&c->ops[n++], SDEI_CALL_FEATURES, 0, sim_prng_below(g, 3), 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_VERSION, 0, 0, 0, 0, 0, 0);
    } else if (k < 97) {
        /* Private events re-signalled to self through event 0. */
        op_set(&c->ops[n++], SDEI_CALL_EVENT_SIGNAL, 0, 0, sim_mpidr_of(w, v), 0, 0, 0);
    } else if (k < 99) {
        /* kexec / reboot path (§10.5): PRIVATE_RESET, then boot again; now
         * and then a whole reboot: SHARED_RESET too, then SYSTEM_RESET. */
        op_set(&c->ops[n++], SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0, 0);
        if (sim_prng_chance(g, 1, 32)) {
            op_set(&c->ops[n++], SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0, 0);
            op_set(&c->ops[n++], 0, OPF_POWER, SDEI_POWER_SYSTEM_RESET, 0, 0, 0, 0);
        } else {
            n = push_private_register(w, c, v, n);
        }
    } else {
        op_set(&c->ops[n++], SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0, 0);
    }
    return n;
}

static void plan_run(sim_world *w, uint32_t v)
{
    sim_vcpu *c = &w->vc[v];
    uint32_t k = sim_prng_below(&w->guest, 100);
    unsigned n = k < 72 ? plan_calls(w, c, v, k) : plan_cpu(w, c, v, k);
    c->nops = (uint8_t)n;
    c->pos = 0;
}

/* A hostile guest: arbitrary function IDs and arguments (bounded choice of
 * interesting values so the calls reach deep states, not only errors). */
static uint64_t hostile_value(sim_world *w)
{
    sim_prng *g = &w->fault;
    switch (sim_prng_below(g, 8)) {
    case 0:
        return 0;
    case 1:
        return w->ev[sim_prng_below(g, w->nev)].num;
    case 2: {
        /* Two draws in two statements: the operands of | are unsequenced, and
         * compilers order them differently (a -O0 build and a -O2 build drew
         * different traces from one seed). */
        uint64_t num = w->ev[sim_prng_below(g, w->nev)].num;
        return num | (UINT64_C(1) << sim_prng_below(g, 64));
    }
    case 3:
        return sim_prng_below(g, 32);
    case 4:
        return sim_mpidr_of(w, sim_prng_below(g, w->o->vcpus));
    case 5:
        return SDEI_INVALID_EVENT;
    case 6:
        return UINT64_C(0xffff800010000000) + (sim_prng_next(g) & 0xfff0);
    default:
        return sim_prng_next(g);
    }
}

static void hostile_step(sim_world *w, uint32_t v)
{
    sim_prng *g = &w->fault;
    uint64_t args[5];
    sim_result r;
    unsigned call;
    uint64_t fid = 0;
    for (unsigned i = 0; i < 5; i++) {
        args[i] = hostile_value(w);
    }
    uint32_t k = sim_prng_below(g, 16);
    if (k == 0) {
        call = SDEI_CALL_ID_NONE;
        fid = SDEI_FID_BASE + sim_prng_below(g, 0x40); /* incl. unknown IDs in the range */
    } else if (k == 1) {
        call = SDEI_CALL_ID_NONE;
        fid = sim_prng_next(g);
    } else {
        call = sim_prng_below(g, SDEI_CALL_COUNT);
    }
    w->s->sometimes[SIM_ST_HOSTILE_CALL]++;
    hvc(w, v, call, fid, args, &r);
}

void sim_guest_step(sim_world *w, uint32_t v)
{
    sim_vcpu *c = &w->vc[v];
    int on = c->power == SDEI_PE_ON;
    if (c->depth > 0 && on) {
        if (c->hostile && sim_prng_chance(&w->fault, 1, 4)) {
            hostile_step(w, v);
        } else {
            handler_step(w, v);
        }
        return;
    }
    if (c->sleep > 0) {
        c->sleep--;
        return;
    }
    if (c->phase == PH_RUN && c->hostile && on && c->pos >= c->nops &&
        sim_prng_chance(&w->fault, 1, 2)) {
        hostile_step(w, v);
        return;
    }
    if (c->pos >= c->nops && !on) {
        sim_plan_power_on(w, v, 0); /* defensive: a CPU that is off only waits for CPU_ON */
    } else if (c->pos >= c->nops) {
        if (c->phase == PH_BOOT) {
            c->phase = PH_RUN;
        }
        plan_run(w, v);
    }
    sim_op *op = &c->ops[c->pos];
    if (op->flags & OPF_COMPUTE) {
        c->pos++;
        compute(w, v);
        return;
    }
    if (op->flags & OPF_SLEEP) {
        c->pos++;
        c->sleep = (uint32_t)op->a[0];
        return;
    }
    if (op->flags & OPF_POWER) {
        c->pos++; /* power.c may plan a new program */
        sim_power_op(w, v, (sdei_power_action)op->a[0]);
        return;
    }
    uint64_t args[5];
    const uint64_t *argp = op->a;
    sim_result r;
    if (op->flags & OPF_A1_FROM_X0) {
        memcpy(args, op->a, sizeof(args));
        args[0] = c->last_x0;
        argp = args;
    }
    hvc(w, v, op->call, 0, argp, &r);
    if (w->failed) {
        return;
    }
    int64_t x0 = (int64_t)r.x[0];
    if (op->flags & OPF_A1_FROM_X0) {
        c->last_x0 = args[0]; /* keep the bound event number for the next op */
    }
    if ((op->flags & OPF_RETRY_PENDING) && r.kind == SIM_R_RET && x0 == SDEI_PENDING &&
        c->retries < 3) {
        /* Linux: schedule() and try again, at most 3 times (§10.3). */
        c->retries++;
        c->retry_saw_pending = 1;
        c->sleep = 1 + sim_prng_below(&w->guest, 6);
        return;
    }
    c->retries = 0;
    if (op->flags & OPF_SET_OFFLINE) {
        c->offline = 1;
    }
    if (op->flags & OPF_SET_ONLINE) {
        c->offline = 0;
    }
    c->pos++;
    if ((op->flags & OPF_ABORT_ON_ERR) && r.kind == SIM_R_RET && x0 < 0) {
        c->pos = c->nops;
    }
}
