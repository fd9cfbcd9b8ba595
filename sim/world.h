/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * world.h - the simulator's world, shared by its parts (internal to sim/):
 * world.c (acting through the executor, trace output, failures), guest.c
 * (the guest programs), vmm_actor.c (the VMM and migrations), checks.c (the
 * invariants), sim.c (setup, the main loop, the summary).
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdint.h>
#include <stdio.h>

#include "exec.h"
#include "invariants.h"
#include "prng.h"
#include "sim.h"
#include "swarm.h"
#include "trace.h"

/* ---------------------------------------------------------------------------
 * The world: exposed events, vCPU guest programs, shadow state.
 * ------------------------------------------------------------------------- */
#define MAX_EVENTS 16
/* hotplug: 3 UNREGISTER, PE_MASK, CPU_OFF, then SLEEP, CPU_ON, 6 REGISTER/ENABLE, PE_UNMASK */
#define MAX_OPS 16
#define MAX_HANDLER_OPS 16 /* the longest handler program is 16 ops */
#define VBAR UINT64_C(0xffff800008010000)
#define IRQ_VECTOR (VBAR + 0x280) /* Linux's resume address (sdei-rules §10.4) */

typedef struct sim_event {
    uint64_t num;
    uint8_t type, prio;
    uint8_t bindable; /* a bind slot (number fixed by the model) */
} sim_event;

/* One guest operation of a sequence. */
enum {
    OPF_ABORT_ON_ERR = 1u << 0,  /* a negative x0 ends the sequence */
    OPF_RETRY_PENDING = 1u << 1, /* PENDING: retry up to 3 times (Linux GHES, §10.3) */
    OPF_A1_FROM_X0 = 1u << 2,    /* x1 = the previous call's x0 (REGISTER after BIND) */
    OPF_SLEEP = 1u << 3,         /* no call: stay idle for a1 turns */
    OPF_COMPUTE = 1u << 4,       /* no call: run code (registers change) */
    OPF_SET_OFFLINE = 1u << 5,   /* bookkeeping: the CPU is offline after this op */
    OPF_SET_ONLINE = 1u << 6,
    OPF_POWER = 1u << 7 /* no call: a PSCI transition, a[0] = sdei_power_action */
};

typedef struct sim_op {
    uint8_t call;
    uint8_t flags;
    uint64_t a[5];
} sim_op;

typedef struct sim_frame {
    uint64_t num;
    uint8_t prio;
    uint8_t step; /* next handler op */
    uint8_t nops;
    sim_op ops[MAX_HANDLER_OPS];
} sim_frame;

enum { PH_BOOT = 0, PH_RUN = 1 };

typedef struct sim_vcpu {
    uint8_t phase;
    uint8_t hostile;
    uint8_t offline;
    uint8_t depth;
    uint8_t nops, pos, retries;
    uint32_t sleep;
    uint64_t last_x0;
    sim_op ops[MAX_OPS];
    sim_frame frame[2];
    uint64_t code_pc;
    uint8_t retry_saw_pending;
    uint8_t power; /* shadow: sdei_power_state, from the transitions made */
} sim_vcpu;

typedef struct sim_bind {
    uint32_t intid;
    uint64_t num;
} sim_bind;

typedef struct sim_world {
    const sim_options *o;
    sim_summary *s;
    FILE *err;
    sim_target t;
    sdei_vm *vm;     /* the model VM of t (sim_vm) */
    int have_target; /* t was created (and must be freed) */
    sim_target peer; /* lockstep (o->peer) */
    int have_peer;
    sim_swarm sw;         /* the world's configuration */
    uint64_t unreachable; /* sometimes targets this world cannot reach (bit per target) */
    sim_inv inv;          /* the invariant checker (driver/invariants.h) */
    int have_inv;
    uint64_t quirks;
    sim_prng sched, guest, vmm, fault;
    sim_event ev[MAX_EVENTS];
    uint32_t nev;
    sim_vcpu *vc;
    sim_bind binds[64];
    uint32_t nbinds;
    uint64_t step;
    uint32_t handlers_running; /* frames on all vCPUs */
    /* The guests' hypercalls: the world is zeroed once, and only kind, vcpu,
     * call, fid and arg are ever written (no 184-byte clear per call). */
    sim_action hvc_action;
    int debug_regs;
    /* trace */
    int tracing;
    FILE *tf;
    int twrite_failed; /* errno of a failed write to tf: the trace is incomplete */
    char *tbuf;
    size_t tlen, tcap;
    uint64_t hash;
    /* failure */
    int failed;
    int fail_exit; /* 0: an invariant; else the exit code (lockstep) */
    char fail_msg[512];
    uint32_t fail_vcpu;
    /* What the model and the peer said about the last action they took
     * (a refused migration's reason), from the executor. */
    char act_msg[256];
    char peer_msg[256];
} sim_world;

/* The model VM the world runs on: cached (the simulator asks for it on its
 * hot path), refreshed by sim_do_migrate, the one place it changes. */
static inline sdei_vm *sim_vm(sim_world *w)
{
    return w->vm;
}

/* Index of event num in the world's table, or -1. */
static inline int sim_event_index(const sim_world *w, uint64_t num)
{
    for (uint32_t i = 0; i < w->nev; i++) {
        if (w->ev[i].num == num) {
            return (int)i;
        }
    }
    return -1;
}

/* world.c */
void sim_fail(sim_world *w, unsigned inv, uint32_t vcpu, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sim_trace_flush(sim_world *w);
void sim_trace_text(sim_world *w, const char *s);
void sim_trace_record(sim_world *w, const sim_action *a, const sim_result *r);
/* Applies a through the executor, checked and traced (and in lockstep on the
 * peer too). Returns 0, or -1 after a failure. */
int sim_act(sim_world *w, const sim_action *a, sim_result *r);
int sim_act_with_peer(sim_world *w, const sim_action *a, sim_result *r);
/* Lockstep: the action the model just took, on the peer, compared. Returns
 * 0, or -1 when the run stops (divergence or a finding of the peer). */
int sim_peer_apply(sim_world *w, const sim_action *a, const sim_result *r);
uint64_t sim_mpidr_of(sim_world *w, uint32_t v);
/* The model's view of vCPU v, without normal_saved and critical_saved. */
void sim_vcpu_view(sim_world *w, uint32_t v, sdei_vcpu_view *out);

/* known.c: what to do with an action that would run into a known finding of
 * the lockstep peer (counted): take it (SIM_KNOWN_TAKE), skip it on both sides
 * (SIM_KNOWN_SKIP), or take *changed instead (SIM_KNOWN_CHANGE). */
enum { SIM_KNOWN_TAKE, SIM_KNOWN_SKIP, SIM_KNOWN_CHANGE };
int sim_known_avoid(sim_world *w, const sim_action *a, sim_action *changed);

/* checks.c: the driver's invariant checker around every action */
int sim_checks_open(sim_world *w);
/* Applies a through the executor with the checker around it; traced if
 * trace is set. Returns 0, or -1 after a failure (sim_fail). */
int sim_act_checked(sim_world *w, const sim_action *a, sim_result *r, int trace);
void sim_check_blobs(sim_world *w);

/* sim_act inline, with sim_act_checked inlined into it by a link-time
 * optimised build: the guests' hypercalls, most actions, pay no call layer of
 * their own (issue 9). */
static inline int sim_act_inline(sim_world *w, const sim_action *a, sim_result *r)
{
    if (w->have_peer) {
        return sim_act_with_peer(w, a, r);
    }
    return sim_act_checked(w, a, r, 1) != 0 ? -1 : 0;
}

/* guest.c */
void sim_deliver(sim_world *w, uint32_t v);
void sim_plan_handler(sim_world *w, uint32_t v, sim_frame *f);
void sim_plan_boot(sim_world *w, uint32_t v);
void sim_guest_step(sim_world *w, uint32_t v);
/* From index n: REGISTER + ENABLE of the private events, PE_UNMASK (Linux's
 * sdei_cpuhp_up); returns the new op count. */
unsigned sim_plan_cpuhp_up(sim_world *w, uint32_t v, unsigned n);

/* power.c */
void sim_power_op(sim_world *w, uint32_t v, sdei_power_action act);
void sim_plan_power_on(sim_world *w, uint32_t v, int boot);
void sim_vmm_vcpu_reset(sim_world *w, uint32_t v);

/* vmm_actor.c */
void sim_vmm_step(sim_world *w);
void sim_do_migrate(sim_world *w);

#endif /* SIM_WORLD_H */
