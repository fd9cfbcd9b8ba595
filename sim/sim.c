/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim.c - the deterministic simulator: scheduler, guest programs, VMM,
 * invariants, "sometimes" counters (DESIGN §5; docs/simulator.md).
 *
 * Every action goes through exec.c, the layer the replayer uses, so a trace
 * written here replays through the same code. Invariants are incremental:
 * each step checks the vCPU that acted plus O(1) global counters; the blob
 * round trip and the model's own consistency check run every K steps and at
 * every migration (a full round trip every step would cost ~100x the step).
 */
#include "sim.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blobfmt.h"
#include "exec.h"
#include "names.h"
#include "prng.h"
#include "replay.h"
#include "trace.h"

const char *const sim_invariant_names[SIM_INV_COUNT] = {
#define X(id, name, quirks) name,
    SIM_INVARIANT_LIST(X)
#undef X
};
const uint64_t sim_invariant_quirks[SIM_INV_COUNT] = {
#define X(id, name, quirks) quirks,
    SIM_INVARIANT_LIST(X)
#undef X
};
const char *const sim_sometimes_names[SIM_ST_COUNT] = {
#define X(id, name, quirks) name,
    SIM_SOMETIMES_LIST(X)
#undef X
};
const uint64_t sim_sometimes_quirks[SIM_ST_COUNT] = {
#define X(id, name, quirks) quirks,
    SIM_SOMETIMES_LIST(X)
#undef X
};

void sim_options_default(sim_options *o)
{
    memset(o, 0, sizeof(*o));
    o->vcpus = 8;
    o->steps = 100000;
    o->profile = SDEI_PROFILE_SPEC;
    o->migrate_every = 5000;
    o->blob_every = 4096;
    o->hostile_permille = 125;
}

/* ---------------------------------------------------------------------------
 * The world: exposed events, vCPU guest programs, shadow state.
 * ------------------------------------------------------------------------- */
#define MAX_EVENTS 16
#define MAX_OPS 12
#define MAX_HANDLER_OPS 16 /* the longest handler program is 15 ops */
#define VBAR UINT64_C(0xffff800008010000)
#define IRQ_VECTOR (VBAR + 0x280) /* Linux's resume address (sdei-rules §10.4) */

typedef struct sim_event {
    uint64_t num;
    uint8_t type, prio;
    uint8_t bindable;        /* a bind slot (number fixed by the model) */
    uint32_t running;        /* shadow: vCPUs running it now (shared: must be <= 1) */
} sim_event;

/* One guest operation of a sequence. */
enum {
    OPF_ABORT_ON_ERR = 1u << 0, /* a negative x0 ends the sequence */
    OPF_RETRY_PENDING = 1u << 1,/* PENDING: retry up to 3 times (Linux GHES, §10.3) */
    OPF_A1_FROM_X0 = 1u << 2,   /* x1 = the previous call's x0 (REGISTER after BIND) */
    OPF_SLEEP = 1u << 3,        /* no call: stay idle for a1 turns */
    OPF_COMPUTE = 1u << 4,      /* no call: run code (registers change) */
    OPF_SET_OFFLINE = 1u << 5,  /* bookkeeping: the CPU is offline after this op */
    OPF_SET_ONLINE = 1u << 6
};

typedef struct sim_op {
    uint8_t call;
    uint8_t flags;
    uint64_t a[5];
} sim_op;

typedef struct sim_frame {
    uint64_t num;
    uint8_t prio;
    uint8_t step;            /* next handler op */
    uint8_t nops;
    sim_op ops[MAX_HANDLER_OPS];
    uint64_t saved[SDEI_SAVED_GPREGS + 2]; /* x0..x17, pc, pstate before delivery */
    uint64_t saved_spsr;
    uint64_t at_step;        /* the step that delivered it, for failure reports */
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
    uint64_t quirks;
    sim_prng sched, guest, vmm, fault;
    sim_event ev[MAX_EVENTS];
    uint32_t nev;
    sim_vcpu *vc;
    sim_bind binds[64];
    uint32_t nbinds;
    uint64_t step;
    uint32_t handlers_running;  /* shadow: frames on all vCPUs */
    int debug_regs;
    /* trace */
    int tracing;
    FILE *tf;
    int twrite_failed;       /* a write to tf failed: the trace is incomplete */
    char *tbuf;
    size_t tlen, tcap;
    uint64_t hash;
    /* failure */
    int failed;
    char fail_msg[512];
    uint32_t fail_vcpu;
} sim_world;

/* The model VM the world runs on (it changes at every migration). */
static inline sdei_vm *VM(sim_world *w)
{
    return sim_target_model(&w->t);
}

static int inv_on(const sim_world *w, unsigned inv)
{
    return w->o->strict_invariants || (w->quirks & sim_invariant_quirks[inv]) == 0;
}

static void fail(sim_world *w, unsigned inv, uint32_t vcpu, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static void fail(sim_world *w, unsigned inv, uint32_t vcpu, const char *fmt, ...)
{
    va_list ap;
    if (w->failed) {
        return;
    }
    w->failed = 1;
    w->fail_vcpu = vcpu;
    w->s->failed_invariant = (int)inv;
    va_start(ap, fmt);
    vsnprintf(w->fail_msg, sizeof(w->fail_msg), fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------------------
 * Trace output: buffered, hashed (FNV-1a 64) for the determinism test.
 * ------------------------------------------------------------------------- */
static void t_flush(sim_world *w)
{
    if (w->tf != NULL && w->tlen != 0 && !w->twrite_failed) {
        if (fwrite(w->tbuf, 1, w->tlen, w->tf) != w->tlen) {
            w->twrite_failed = 1; /* reported when the file is closed */
        }
    }
    w->tlen = 0;
}

static char *t_room(sim_world *w, size_t n)
{
    if (w->tlen + n > w->tcap) {
        t_flush(w);
        if (n > w->tcap) {
            char *nb = realloc(w->tbuf, n);
            if (nb == NULL) {
                return NULL;
            }
            w->tbuf = nb;
            w->tcap = n;
        }
    }
    return w->tbuf + w->tlen;
}

static void t_commit(sim_world *w, size_t n)
{
    const unsigned char *p = (const unsigned char *)w->tbuf + w->tlen;
    uint64_t h = w->hash;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    }
    w->hash = h;
    w->tlen += n;
    w->s->trace_bytes += n;
}

static void t_text(sim_world *w, const char *s)
{
    size_t n = strlen(s);
    char *p = t_room(w, n);
    if (p != NULL) {
        memcpy(p, s, n);
        t_commit(w, n);
    }
}

/* Writes the action and its result, the result reduced to the fields that
 * matter (so traces stay small and human-readable). */
static void t_record(sim_world *w, const sim_action *a, const sim_result *r)
{
    char *p = t_room(w, sim_format_room(a->data_len) + sim_format_room(r->data_len));
    if (p == NULL) {
        return;
    }
    size_t n = sim_format_action(p, a);
    if (a->kind != SIM_A_SETREG) {
        sim_result rr = *r;
        switch (r->kind) {
        case SIM_R_RET:
        case SIM_R_NOTSDEI:
            rr.fields = SIM_F_X0;
            break;
        case SIM_R_COMPLETED:
            rr.fields = SIM_F_NUM | SIM_F_PC | SIM_F_PSTATE;
            break;
        case SIM_R_NORESULT:
            rr.fields = SIM_F_X0;
            break;
        case SIM_R_ENTERED:
            rr.fields = SIM_F_NUM | SIM_F_PREEMPTED | SIM_F_X0 | SIM_F_X1 | SIM_F_X2 | SIM_F_X3 |
                        SIM_F_PC | SIM_F_PSTATE;
            break;
        default:
            break;
        }
        n += sim_format_result(p + n, &rr);
    }
    t_commit(w, n);
}

/* ---------------------------------------------------------------------------
 * Acting through exec.c.
 * ------------------------------------------------------------------------- */
static int act(sim_world *w, const sim_action *a, sim_result *r)
{
    char msg[256];
    if (sim_exec(&w->t, a, r, msg, sizeof(msg)) != 0) {
        fail(w, SIM_INV_MODEL_SOUND, a->vcpu, "action rejected: %s", msg);
        return -1;
    }
    if (w->tracing) {
        t_record(w, a, r);
    }
    return 0;
}

static int event_index(const sim_world *w, uint64_t num)
{
    for (uint32_t i = 0; i < w->nev; i++) {
        if (w->ev[i].num == num) {
            return (int)i;
        }
    }
    return -1;
}

static uint64_t mpidr_of(sim_world *w, uint32_t v)
{
    return sdei_vcpu_mpidr(VM(w), v);
}

/* ---------------------------------------------------------------------------
 * Invariants around a delivery and a completion.
 * ------------------------------------------------------------------------- */
static void on_entered(sim_world *w, uint32_t v, const sdei_vcpu_view *before,
                       const sdei_regs *pre, const sim_result *r);

static void deliver(sim_world *w, uint32_t v)
{
    sdei_vcpu_view before;
    sdei_regs pre;
    sim_action a;
    sim_result r;
    (void)sdei_vcpu_view_of(VM(w), v, &before);
    pre = *sdei_vcpu_regs(VM(w), v);
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_DELIVER;
    a.vcpu = v;
    if (act(w, &a, &r) != 0) {
        return;
    }
    if (r.kind == SIM_R_ENTERED) {
        on_entered(w, v, &before, &pre, &r);
    }
}

static void plan_handler(sim_world *w, uint32_t v, sim_frame *f);

/* sdei-rules §7.2-§7.3, DESIGN §3.2, restated here independently of the
 * model: x0 = event, x2/x3 = interrupted PC/PSTATE, x4..x30, SP, ELR_EL1 and
 * SPSR_EL1 untouched; PSTATE = EL1h with DAIF set, NZCV/DIT/PAN kept (PAN
 * forced when SCTLR_EL1.SPAN = 0; the simulator's VMs have SPAN = 1). */
static int entry_state_ok(sim_world *w, uint32_t v, const sdei_regs *pre, const sim_result *r)
{
    const sdei_regs *g = sdei_vcpu_regs(VM(w), v);
    const uint64_t keep = SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_PAN;
    uint64_t want_pstate = (pre->pstate & keep) | SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
    const char *what = NULL;
    unsigned reg = 0;
    if (g->x[0] != r->num) {
        what = "x0 is not the event number";
    } else if (g->x[2] != pre->pc || g->x[3] != pre->pstate) {
        what = "x2/x3 are not the interrupted PC/PSTATE";
    } else if (g->pstate != want_pstate) {
        what = "PSTATE is not the exception-entry PSTATE";
    } else if (g->spsr_el1 != pre->spsr_el1 || g->elr_el1 != pre->elr_el1 || g->sp != pre->sp) {
        what = "SPSR_EL1, ELR_EL1 or SP changed";
    } else {
        for (reg = 4; reg < 31; reg++) {
            if (g->x[reg] != pre->x[reg]) {
                what = "a register other than x0..x3 changed";
                break;
            }
        }
    }
    if (what == NULL) {
        return 1;
    }
    fail(w, SIM_INV_HANDLER_ENTRY_STATE, v,
         "entering 0x%" PRIx64 ": %s (x%u 0x%" PRIx64 " -> 0x%" PRIx64 ", pstate 0x%" PRIx64
         " -> 0x%" PRIx64 ", want 0x%" PRIx64 ")",
         r->num, what, reg < 31 ? reg : 0, pre->x[reg < 31 ? reg : 0],
         g->x[reg < 31 ? reg : 0], pre->pstate, g->pstate, want_pstate);
    return 0;
}

static void on_entered(sim_world *w, uint32_t v, const sdei_vcpu_view *before,
                       const sdei_regs *pre, const sim_result *r)
{
    sim_vcpu *c = &w->vc[v];
    int ei = event_index(w, r->num);
    w->s->deliveries++;
    /* sdei-rules §4.5, §7.1: nothing preempts critical; same class never nests. */
    if (before->critical_running) {
        fail(w, SIM_INV_CRITICAL_NEVER_PREEMPTED, v,
             "event 0x%" PRIx64 " delivered while critical 0x%" PRIx64 " runs", r->num,
             before->critical_num);
        return;
    }
    if (before->normal_running && r->prio != SDEI_EVENT_PRIORITY_CRITICAL) {
        fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v,
             "normal event 0x%" PRIx64 " delivered while normal 0x%" PRIx64 " runs", r->num,
             before->normal_num);
        return;
    }
    /* sdei-rules §6.9, §7.1 item 4: nothing is delivered to a masked PE. */
    if (before->masked && inv_on(w, SIM_INV_NO_DELIVERY_WHEN_MASKED)) {
        fail(w, SIM_INV_NO_DELIVERY_WHEN_MASKED, v, "event 0x%" PRIx64 " delivered to a masked vCPU",
             r->num);
        return;
    }
    if (ei < 0) {
        fail(w, SIM_INV_MODEL_SOUND, v, "delivered unknown event 0x%" PRIx64, r->num);
        return;
    }
    /* sdei-rules §5.2 DISPATCH column: E -> RE. */
    if (inv_on(w, SIM_INV_DELIVERED_EVENT_RUNNING_ENABLED)) {
        sdei_event_state st = SDEI_STATE_COUNT; /* "?" if the lookup fails */
        if (sdei_event_state_of(VM(w), r->num, v, &st) != SDEI_OK ||
            st != SDEI_STATE_RUNNING_ENABLED) {
            fail(w, SIM_INV_DELIVERED_EVENT_RUNNING_ENABLED, v,
                 "event 0x%" PRIx64 " after delivery is %s, expected RE", r->num,
                 sim_state_name(st));
            return;
        }
    }
    sim_event *e = &w->ev[ei];
    if (e->type == SDEI_EVENT_TYPE_SHARED) {
        /* sdei-rules §4.3: one instance of a shared event system-wide. */
        if (e->running != 0 && inv_on(w, SIM_INV_SHARED_RUNS_ONCE)) {
            fail(w, SIM_INV_SHARED_RUNS_ONCE, v,
                 "shared event 0x%" PRIx64 " entered while it runs on another vCPU", r->num);
            return;
        }
        w->s->sometimes[SIM_ST_SHARED_DELIVERED]++;
    }
    if (inv_on(w, SIM_INV_HANDLER_ENTRY_STATE) && !entry_state_ok(w, v, pre, r)) {
        return;
    }
    e->running++;
    if (r->preempted) {
        w->s->sometimes[SIM_ST_CRITICAL_PREEMPTS_NORMAL]++;
    }
    if (r->num == 0) {
        w->s->sometimes[SIM_ST_SIGNAL_DELIVERED]++;
    }
    if (e->bindable) {
        w->s->sometimes[SIM_ST_BOUND_IRQ_DELIVERED]++;
    }
    if (c->depth >= 2) {
        fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v, "a third handler entered");
        return;
    }
    sim_frame *f = &c->frame[c->depth++];
    memset(f, 0, sizeof(*f));
    f->num = r->num;
    f->prio = r->prio;
    for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
        f->saved[i] = pre->x[i];
    }
    f->saved[SDEI_SAVED_GPREGS] = pre->pc;
    f->saved[SDEI_SAVED_GPREGS + 1] = pre->pstate;
    f->saved_spsr = pre->spsr_el1;
    f->at_step = w->step;
    w->handlers_running++;
    plan_handler(w, v, f);
}

/* COMPLETE / COMPLETE_AND_RESUME took effect (sdei-rules §8). */
static void on_completed(sim_world *w, uint32_t v, const sim_result *r, unsigned call,
                         uint64_t resume)
{
    sim_vcpu *c = &w->vc[v];
    w->s->completions++;
    if (c->depth == 0) {
        fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v, "COMPLETE succeeded with no handler running");
        return;
    }
    sim_frame *f = &c->frame[c->depth - 1];
    if (f->num != r->num || f->prio != r->prio) {
        fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v,
             "COMPLETE finished 0x%" PRIx64 " but the top handler is 0x%" PRIx64, r->num, f->num);
        return;
    }
    sdei_regs *g = sdei_vcpu_regs(VM(w), v);
    /* Under resume_ignored v5 completes instead; --strict-invariants holds
     * even that to the spec. */
    int resumed = call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME &&
                  (w->o->strict_invariants || !(w->quirks & SDEI_QUIRK_BIT(RESUME_IGNORED)));
    for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
        if (g->x[i] != f->saved[i]) {
            fail(w, SIM_INV_COMPLETE_RESTORES_REGS, v,
                 "after COMPLETE of 0x%" PRIx64 " (delivered at step %" PRIu64 ") x%u = 0x%" PRIx64
                 ", saved 0x%" PRIx64,
                 r->num, f->at_step, i, g->x[i], f->saved[i]);
            return;
        }
    }
    uint64_t spc = f->saved[SDEI_SAVED_GPREGS], sps = f->saved[SDEI_SAVED_GPREGS + 1];
    if (!resumed) {
        if (g->pc != spc || g->pstate != sps) {
            fail(w, SIM_INV_COMPLETE_RESTORES_REGS, v,
                 "after COMPLETE of 0x%" PRIx64 " pc/pstate = 0x%" PRIx64 "/0x%" PRIx64
                 ", saved 0x%" PRIx64 "/0x%" PRIx64,
                 r->num, g->pc, g->pstate, spc, sps);
            return;
        }
    } else {
        /* sdei-rules §8: PC = resume address, ELR/SPSR_EL1 = interrupted PC/PSTATE. */
        if (g->pc != resume || g->elr_el1 != spc || g->spsr_el1 != sps) {
            fail(w, SIM_INV_COMPLETE_RESTORES_REGS, v,
                 "after COMPLETE_AND_RESUME of 0x%" PRIx64 ": pc=0x%" PRIx64 " (want 0x%" PRIx64
                 ") elr=0x%" PRIx64 " (want 0x%" PRIx64 ") spsr=0x%" PRIx64 " (want 0x%" PRIx64
                 ")",
                 r->num, g->pc, resume, g->elr_el1, spc, g->spsr_el1, sps);
            return;
        }
        w->s->sometimes[SIM_ST_COMPLETE_AND_RESUME]++;
    }
    int ei = event_index(w, f->num);
    if (ei >= 0 && w->ev[ei].running > 0) {
        w->ev[ei].running--;
    }
    c->depth--;
    w->handlers_running--;
}

/* Cheap per-step checks on the vCPU that acted. */
static void check_vcpu(sim_world *w, uint32_t v, uint64_t touched_num)
{
    sdei_vcpu_view view;
    const sim_vcpu *c = &w->vc[v];
    (void)sdei_vcpu_view_of(VM(w), v, &view);
    int want_normal = 0, want_critical = 0;
    for (unsigned i = 0; i < c->depth; i++) {
        if (c->frame[i].prio == SDEI_EVENT_PRIORITY_CRITICAL) {
            want_critical++;
        } else {
            want_normal++;
        }
    }
    if (want_normal > 1 || want_critical > 1 || view.normal_running != want_normal ||
        view.critical_running != want_critical) {
        fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v,
             "handlers: model normal=%u critical=%u, guest saw normal=%d critical=%d",
             view.normal_running, view.critical_running, want_normal, want_critical);
        return;
    }
    if (c->depth == 2 && c->frame[0].prio == SDEI_EVENT_PRIORITY_CRITICAL) {
        fail(w, SIM_INV_CRITICAL_NEVER_PREEMPTED, v, "a handler runs on top of a critical one");
        return;
    }
    /* sdei-rules §5.1: UP = running and unregistered. */
    if (touched_num != SDEI_INVALID_EVENT && inv_on(w, SIM_INV_UNREGISTER_PENDING_RUNNING)) {
        int ei = event_index(w, touched_num);
        sdei_event_state st;
        if (ei >= 0 && sdei_event_state_of(VM(w), touched_num, v, &st) == SDEI_OK &&
            st == SDEI_STATE_UNREGISTER_PENDING) {
            int running = w->ev[ei].type == SDEI_EVENT_TYPE_SHARED
                              ? w->ev[ei].running != 0
                              : ((c->depth >= 1 && c->frame[0].num == touched_num) ||
                                 (c->depth == 2 && c->frame[1].num == touched_num));
            if (!running) {
                fail(w, SIM_INV_UNREGISTER_PENDING_RUNNING, v,
                     "event 0x%" PRIx64 " is unregister-pending but not running", touched_num);
            }
        }
    }
}

/* ---------------------------------------------------------------------------
 * Guest hypercalls.
 * ------------------------------------------------------------------------- */
static int is_reset_call(unsigned call)
{
    return call == SDEI_CALL_PRIVATE_RESET || call == SDEI_CALL_SHARED_RESET;
}

static void hvc(sim_world *w, uint32_t v, unsigned call, uint64_t fid, const uint64_t *args,
                sim_result *r)
{
    sim_action a;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_HVC;
    a.vcpu = v;
    a.call = (uint8_t)call;
    a.fid = fid;
    memcpy(a.arg, args, sizeof(a.arg));
    if (act(w, &a, r) != 0) {
        return;
    }
    w->s->hvcs++;
    w->vc[v].last_x0 = r->x[0];
    int64_t x0 = (int64_t)r->x[0];
    /* What the model decoded, not what the guest meant: a hostile raw FID may
     * be a real call. */
    call = r->call;
    if (r->kind == SIM_R_COMPLETED) {
        on_completed(w, v, r, call, args[0]);
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
            if (x0 == SDEI_SUCCESS && sdei_vcpu_has_deliverable(VM(w), v)) {
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
    uint64_t touched = SDEI_INVALID_EVENT;
    if (call == SDEI_CALL_EVENT_UNREGISTER || call == SDEI_CALL_EVENT_REGISTER ||
        call == SDEI_CALL_EVENT_ENABLE || call == SDEI_CALL_EVENT_DISABLE) {
        touched = args[0];
    } else if (r->kind == SIM_R_COMPLETED) {
        touched = r->num;
    }
    check_vcpu(w, v, touched);
}

static void op_set(sim_op *op, unsigned call, uint8_t flags, uint64_t a1, uint64_t a2,
                   uint64_t a3, uint64_t a4, uint64_t a5)
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
    memset(&a, 0, sizeof(a));
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
    (void)act(w, &a, &r);
}

/* ---------------------------------------------------------------------------
 * Handler programs: what a handler does between entry and COMPLETE
 * (sdei-rules §10.4: CONTEXT x0..x3, callback, COMPLETE or
 * COMPLETE_AND_RESUME(IRQ vector); plus the odd calls real handlers make).
 * ------------------------------------------------------------------------- */
static void plan_handler(sim_world *w, uint32_t v, sim_frame *f)
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
               mpidr_of(w, sim_prng_below(g, w->o->vcpus)), 0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 48)) {
        op_set(&f->ops[n++], SDEI_CALL_EVENT_ROUTING_SET, 0, f->num, 0, 0, 0, 0);
    }
    if (sim_prng_chance(g, 1, 64)) {
        op_set(&f->ops[n++], sim_prng_chance(g, 1, 2) ? SDEI_CALL_PRIVATE_RESET
                                                      : SDEI_CALL_SHARED_RESET,
               0, 0, 0, 0, 0, 0);
    }
    unsigned exit = sim_prng_below(g, 20);
    if (exit < 9) {
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
    if (op.call == SDEI_CALL_EVENT_CONTEXT && c->depth == 2 && op.a[0] < 4) {
        /* counted in hvc() */
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
        op_set(&c->ops[n++], SDEI_CALL_EVENT_REGISTER, OPF_ABORT_ON_ERR, w->ev[i].num,
               ep_of(v, i), arg_of(v, i), 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, w->ev[i].num, 0, 0, 0, 0);
    }
    return n;
}

static void plan_boot(sim_world *w, uint32_t v)
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

static void plan_run(sim_world *w, uint32_t v)
{
    sim_vcpu *c = &w->vc[v];
    sim_prng *g = &w->guest;
    unsigned n = 0;
    uint32_t k = sim_prng_below(g, 100);
    if (k < 30) {
        op_set(&c->ops[n++], 0, OPF_COMPUTE, 0, 0, 0, 0, 0);
    } else if (k < 40) {
        /* 2026 kernels: SIGNAL(0, target MPIDR), an NMI-like cross call. */
        op_set(&c->ops[n++], SDEI_CALL_EVENT_SIGNAL, 0, 0,
               mpidr_of(w, sim_prng_below(g, w->o->vcpus)), 0, 0, 0);
    } else if (k < 47) {
        uint32_t ei = pick_event(w, -1, 1);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_STATUS, 0, w->ev[ei].num, 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_GET_INFO, 0, w->ev[ei].num,
               sim_prng_below(g, 5), 0, 0, 0);
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
               rm_pe ? mpidr_of(w, sim_prng_below(g, w->o->vcpus)) : 0);
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
               rm_pe ? mpidr_of(w, sim_prng_below(g, w->o->vcpus)) : 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, num, 0, 0, 0, 0);
    } else if (k < 74) {
        /* CPU hotplug (§10.5): offline = UNREGISTER private events + PE_MASK;
         * online = REGISTER + ENABLE + PE_UNMASK. */
        for (uint32_t i = 0; i < w->nev && n < 4; i++) {
            if (w->ev[i].type == SDEI_EVENT_TYPE_PRIVATE && !w->ev[i].bindable) {
                op_set(&c->ops[n++], SDEI_CALL_EVENT_UNREGISTER, 0, w->ev[i].num, 0, 0, 0, 0);
            }
        }
        op_set(&c->ops[n++], SDEI_CALL_PE_MASK, OPF_SET_OFFLINE, 0, 0, 0, 0, 0);
        op_set(&c->ops[n++], 0, OPF_SLEEP, 2 + sim_prng_below(g, 20), 0, 0, 0, 0);
        n = push_private_register(w, c, v, n);
        op_set(&c->ops[n++], SDEI_CALL_PE_UNMASK, OPF_SET_ONLINE, 0, 0, 0, 0, 0);
    } else if (k < 79) {
        /* CPU idle / suspend: PE_MASK ... PE_UNMASK. */
        op_set(&c->ops[n++], SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0, 0);
        op_set(&c->ops[n++], 0, OPF_SLEEP, 1 + sim_prng_below(g, 8), 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0, 0);
    } else if (k < 84) {
        /* Vendor wrappers: bind an interrupt, register and enable the event. */
        uint32_t intid = sim_prng_chance(g, 1, 2) ? 16 + sim_prng_below(g, 16)
                                                  : 32 + sim_prng_below(g, 8);
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
        op_set(&c->ops[n++], SDEI_CALL_EVENT_REGISTER, 0, num, ep_of(v, ei), arg_of(v, ei), 0,
               0);
        op_set(&c->ops[n++], SDEI_CALL_EVENT_ENABLE, 0, num, 0, 0, 0, 0);
    } else if (k < 95) {
        op_set(&c->ops[n++], SDEI_CALL_FEATURES, 0, sim_prng_below(g, 3), 0, 0, 0, 0);
        op_set(&c->ops[n++], SDEI_CALL_VERSION, 0, 0, 0, 0, 0, 0);
    } else if (k < 97) {
        /* Private events re-signalled to self through event 0. */
        op_set(&c->ops[n++], SDEI_CALL_EVENT_SIGNAL, 0, 0, mpidr_of(w, v), 0, 0, 0);
    } else if (k < 99) {
        /* kexec / reboot path (§10.5): PRIVATE_RESET, then boot again. */
        op_set(&c->ops[n++], SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0, 0);
        n = push_private_register(w, c, v, n);
    } else {
        op_set(&c->ops[n++], SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0, 0);
    }
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
    case 2:
        return w->ev[sim_prng_below(g, w->nev)].num | (UINT64_C(1) << (sim_prng_below(g, 64)));
    case 3:
        return sim_prng_below(g, 32);
    case 4:
        return mpidr_of(w, sim_prng_below(g, w->o->vcpus));
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

static void guest_step(sim_world *w, uint32_t v)
{
    sim_vcpu *c = &w->vc[v];
    if (c->depth > 0) {
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
    if (c->phase == PH_RUN && c->hostile && c->pos >= c->nops && sim_prng_chance(&w->fault, 1, 2)) {
        hostile_step(w, v);
        return;
    }
    if (c->pos >= c->nops) {
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
    uint64_t args[5];
    sim_result r;
    memcpy(args, op->a, sizeof(args));
    if (op->flags & OPF_A1_FROM_X0) {
        args[0] = c->last_x0;
    }
    hvc(w, v, op->call, 0, args, &r);
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

/* ---------------------------------------------------------------------------
 * The VMM.
 * ------------------------------------------------------------------------- */
static void vmm_vcpu_state(sim_world *w, uint32_t v, int reset)
{
    /* GET_VCPU_STATE, set masked, SET_VCPU_STATE: what a VMM does to pause SDEI
     * on a vCPU, or (reset) at a vCPU reset when no handler runs. */
    sim_action a;
    sim_result r;
    uint8_t blob[SDEI_BLOB_VCPU_STATE_SIZE];
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_VMM;
    a.vcpu = v;
    a.vmm_cmd = SDEI_CMD_GET_VCPU_STATE;
    if (act(w, &a, &r) != 0 || r.ret != 0 || r.data_len != sizeof(blob)) {
        return;
    }
    memcpy(blob, r.data, sizeof(blob));
    blob[0] = 1;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_VMM;
    a.vcpu = v;
    a.vmm_cmd = SDEI_CMD_SET_VCPU_STATE;
    a.data = blob;
    a.data_len = sizeof(blob);
    (void)act(w, &a, &r);
    if (reset && r.ret == 0) {
        /* The guest boots this CPU again (CPU_ON): registers reset, Linux's
         * bring-up sequence runs. */
        sim_vcpu *c = &w->vc[v];
        sim_action s;
        memset(&s, 0, sizeof(s));
        s.kind = SIM_A_SETREG;
        s.vcpu = v;
        s.nregs = 2;
        s.reg[0] = SIM_REG_PC;
        s.val[0] = c->code_pc = UINT64_C(0x80000) + ((uint64_t)v << 16);
        s.reg[1] = SIM_REG_PSTATE;
        s.val[1] = SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF;
        (void)act(w, &s, &r);
        c->phase = PH_BOOT;
        c->sleep = 0;
        c->retries = 0;
        plan_boot(w, v);
        w->s->sometimes[SIM_ST_VMM_RESET_VCPU]++;
    }
}

static void check_blobs(sim_world *w);
static void lint_clean(sim_world *w);
static void do_migrate(sim_world *w);

static void vmm_step(sim_world *w)
{
    sim_prng *g = &w->vmm;
    sim_action a;
    sim_result r;
    uint32_t k = sim_prng_below(g, 100);
    uint32_t v = sim_prng_below(g, w->o->vcpus);
    w->s->vmm_actions++;
    memset(&a, 0, sizeof(a));
    if (k < 50) {
        /* A platform event fires (private on v, shared routed). */
        uint32_t ei = sim_prng_below(g, w->nev);
        a.kind = SIM_A_TRIGGER;
        a.num = w->ev[ei].num;
        a.vcpu = v;
        w->s->triggers++;
        (void)act(w, &a, &r);
    } else if (k < 65) {
        uint32_t ei = sim_prng_below(g, w->nev);
        a.kind = SIM_A_VMM;
        a.vcpu = v;
        a.vmm_cmd = SDEI_CMD_INJECT_EVENT;
        a.num = w->ev[ei].num;
        if (act(w, &a, &r) == 0 && r.ret == 0) {
            w->s->sometimes[SIM_ST_VMM_INJECT]++;
        }
    } else if (k < 80) {
        if (w->nbinds == 0) {
            return;
        }
        a.kind = SIM_A_IRQ;
        a.intid = w->binds[sim_prng_below(g, w->nbinds)].intid;
        a.vcpu = v;
        w->s->triggers++;
        (void)act(w, &a, &r);
    } else if (k < 85) {
        vmm_vcpu_state(w, v, 0);
    } else if (k < 88) {
        if (w->vc[v].depth == 0) {
            vmm_vcpu_state(w, v, 1);
        }
    } else if (k < 92) {
        /* Another vCPU's GET of its vcpu events (read-only: a VMM polling). */
        a.kind = SIM_A_VMM;
        a.vcpu = v;
        a.vmm_cmd = SDEI_CMD_GET_VCPU_EVENT_COUNT;
        (void)act(w, &a, &r);
    } else {
        a.kind = SIM_A_VMM;
        a.vcpu = SDEI_VMM_VM;
        a.vmm_cmd = sim_prng_chance(g, 1, 2) ? SDEI_CMD_GET_REGISTERED_EVENT_COUNT
                                             : SDEI_CMD_GET_VERSION;
        (void)act(w, &a, &r);
    }
}

/* ---------------------------------------------------------------------------
 * Every K steps and at migrations: blob round trip, model self-check.
 * ------------------------------------------------------------------------- */
static void check_blobs(sim_world *w)
{
    const char *chk = sdei_vm_check(VM(w));
    w->s->invariant_checks++;
    if (chk != NULL) {
        fail(w, SIM_INV_MODEL_SOUND, 0, "sdei_vm_check: %s", chk);
        return;
    }
    /* sdei_absent: no blobs to read on a kernel without the interface */
    if (!inv_on(w, SIM_INV_BLOB_ROUNDTRIP) ||
        (sdei_vm_quirks(VM(w)) & SDEI_QUIRK_BIT(ABSENT)) != 0) {
        return;
    }
    /* Decode then encode every blob the VMM can read: the identity
     * (DESIGN §4: every byte, padding and hole included, survives). */
    uint8_t enc[SDEI_BLOB_REGISTERED_SIZE];
    static sdei_blob_registered reg; /* 8 KiB: off the stack */
    for (unsigned k = 0; k < SIM_BLOB_COUNT; k++) {
        uint32_t n = 0;
        size_t esz = sim_blob_entry_size(k);
        uint32_t vmax = k <= SIM_BLOB_REGISTERED ? 1 : w->o->vcpus;
        for (uint32_t v = 0; v < vmax; v++) {
            if (sim_fetch_blobs(&w->t, k, v, &n) != 0) {
                fail(w, SIM_INV_BLOB_ROUNDTRIP, v, "VMM GET of %s blobs failed",
                     sim_blob_kind_name(k));
                return;
            }
            for (uint32_t i = 0; i < n; i++) {
                const uint8_t *b = w->t.out + (size_t)i * esz;
                sdei_err e1 = SDEI_OK, e2 = SDEI_OK;
                switch (k) {
                case SIM_BLOB_EXPOSED: {
                    sdei_blob_exposed x;
                    e1 = sdei_blob_exposed_decode(b, esz, &x);
                    e2 = sdei_blob_exposed_encode(&x, enc, esz);
                    break;
                }
                case SIM_BLOB_REGISTERED:
                    e1 = sdei_blob_registered_decode(b, esz, &reg);
                    e2 = sdei_blob_registered_encode(&reg, enc, esz);
                    break;
                case SIM_BLOB_VCPU_EVENT: {
                    sdei_blob_vcpu_event x;
                    e1 = sdei_blob_vcpu_event_decode(b, esz, &x);
                    e2 = sdei_blob_vcpu_event_encode(&x, enc, esz);
                    break;
                }
                default: {
                    sdei_blob_vcpu_state x;
                    e1 = sdei_blob_vcpu_state_decode(b, esz, &x);
                    e2 = sdei_blob_vcpu_state_encode(&x, enc, esz);
                    break;
                }
                }
                if (e1 != SDEI_OK || e2 != SDEI_OK || memcmp(enc, b, esz) != 0) {
                    fail(w, SIM_INV_BLOB_ROUNDTRIP, v,
                         "%s blob %u: decode/encode is not the identity (%s)",
                         sim_blob_kind_name(k), i,
                         e1 != SDEI_OK ? "decode failed"
                                       : e2 != SDEI_OK ? "encode failed" : "bytes differ");
                    if (e1 == SDEI_OK && e2 == SDEI_OK) {
                        sim_blob_diff(w->err, k, b, enc);
                    }
                    return;
                }
            }
        }
    }
    lint_clean(w);
}

/* DESIGN §4 blob lint: the state a correct dispatcher reaches never shows an
 * inconsistency a kernel would accept (e.g. an unregister-pending bit with no
 * handler running, which the state view cannot show: it derives UP from
 * "running"). */
static void lint_clean(sim_world *w)
{
    size_t size = 0, written = 0;
    if (!inv_on(w, SIM_INV_BLOB_LINT_CLEAN) || sdei_vm_save_size(VM(w), &size) != SDEI_OK) {
        return;
    }
    uint8_t *buf = malloc(size);
    if (buf == NULL || sdei_vm_save(VM(w), buf, size, &written) != SDEI_OK) {
        free(buf);
        fail(w, SIM_INV_BLOB_LINT_CLEAN, 0, "sdei_vm_save failed");
        return;
    }
    sdei_lint_finding f;
    uint32_t n = sdei_lint_save(buf, written, w->o->vcpus, &f, 1);
    free(buf);
    if (n != 0) {
        fail(w, SIM_INV_BLOB_LINT_CLEAN, 0, "%u lint finding(s), first: %s[%u].%s (@%u): %s", n,
             f.strct, f.entry, f.field, f.offset, f.problem);
    }
}

static void do_migrate(sim_world *w)
{
    /* Snapshot what the guest can observe, migrate, compare (DESIGN §4:
     * migration transparency), then check save -> restore -> save. */
    uint32_t nv = w->o->vcpus;
    char msg[256];
    int mid = 0, nested = 0;
    for (uint32_t v = 0; v < nv; v++) {
        mid |= w->vc[v].depth > 0;
        nested |= w->vc[v].depth == 2;
    }
    check_blobs(w);
    if (w->failed) {
        return;
    }
    size_t sz = 0, sz2 = 0;
    if (sdei_vm_save_size(VM(w), &sz) != SDEI_OK) {
        fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "sdei_vm_save_size failed");
        return;
    }
    uint8_t *before = malloc(sz);
    sdei_vcpu_view *views = malloc(sizeof(*views) * nv);
    if (before == NULL || views == NULL ||
        sdei_vm_save(VM(w), before, sz, &sz) != SDEI_OK) {
        free(before);
        free(views);
        fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "sdei_vm_save failed");
        return;
    }
    for (uint32_t v = 0; v < nv; v++) {
        (void)sdei_vcpu_view_of(VM(w), v, &views[v]);
    }
    sim_action a;
    sim_result r;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_MIGRATE;
    if (sim_exec(&w->t, &a, &r, msg, sizeof(msg)) != 0 || r.kind != SIM_R_OK) {
        /* kvm-v5 route_mode_from_affinity: the first REGISTER stored x5 as
         * route_mode, and the kernel's own SET_REGISTERED_EVENT refuses that
         * blob (route_mode.rec: -EINVAL). The migration fails as it would for
         * a VMM, and the run goes on on the source VM. */
        if ((w->quirks & SDEI_QUIRK_BIT(ROUTE_MODE_FROM_AFFINITY)) &&
            strstr(msg, "route_mode") != NULL) {
            w->s->migrations_refused++;
            free(before);
            free(views);
            return;
        }
        fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "migration failed: %s", msg);
        free(before);
        free(views);
        return;
    }
    if (w->tracing) {
        t_record(w, &a, &r);
    }
    w->s->migrations++;
    if (mid) {
        w->s->sometimes[SIM_ST_MIGRATION_MID_HANDLER]++;
    }
    if (nested) {
        w->s->sometimes[SIM_ST_MIGRATION_NESTED]++;
    }
    for (uint32_t v = 0; v < nv && !w->failed; v++) {
        sdei_vcpu_view now;
        (void)sdei_vcpu_view_of(VM(w), v, &now);
        if (memcmp(&now, &views[v], sizeof(now)) != 0) {
            fail(w, SIM_INV_MIGRATION_TRANSPARENT, v,
                 "vCPU %u's SDEI state differs after migration", v);
        }
        for (uint32_t i = 0; i < w->nev && !w->failed; i++) {
            sdei_event_state s1;
            uint32_t p1 = 0;
            (void)sdei_event_state_of(VM(w), w->ev[i].num, v, &s1);
            (void)sdei_event_pending_count(VM(w), w->ev[i].num, v, &p1);
            (void)s1;
            (void)p1;
        }
    }
    if (!w->failed) {
        uint8_t *after = NULL;
        if (sdei_vm_save_size(VM(w), &sz2) == SDEI_OK && sz2 == sz &&
            (after = malloc(sz2)) != NULL && sdei_vm_save(VM(w), after, sz2, &sz2) == SDEI_OK) {
            if (memcmp(before, after, sz) != 0) {
                fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                     "save -> restore -> save gives different bytes");
            }
        } else {
            fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "the restored VM saves a different size");
        }
        free(after);
    }
    free(before);
    free(views);
}

/* ---------------------------------------------------------------------------
 * Setup and the main loop.
 * ------------------------------------------------------------------------- */
static void setup_events(sim_world *w)
{
    static const struct {
        uint64_t num;
        uint8_t type, prio;
    } evs[] = {
        {0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL},
        {0x400001, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL},
        {0x400002, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_CRITICAL},
        {0x400003, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL},
        {0x400004, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_CRITICAL},
        {0x400005, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL},
    };
    for (unsigned i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
        sim_action a;
        sim_result r;
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_EXPOSE;
        a.num = evs[i].num;
        a.type = evs[i].type;
        a.priority = evs[i].prio;
        a.signaled = evs[i].num == 0 ? 1 : 0;
        (void)act(w, &a, &r);
    }
    /* The simulator's event table is the model's: exposed events plus bind slots. */
    uint32_t n = sdei_vm_event_count(VM(w));
    for (uint32_t i = 0; i < n && w->nev < MAX_EVENTS; i++) {
        sdei_event_desc d;
        if (sdei_vm_event_at(VM(w), i, &d) != SDEI_OK) {
            continue;
        }
        sim_event *e = &w->ev[w->nev++];
        memset(e, 0, sizeof(*e));
        e->num = d.num;
        e->type = d.type;
        e->prio = d.priority;
        e->bindable = (d.num & ~UINT64_C(0xffff)) == SDEI_BIND_PRIVATE_BASE ||
                      (d.num & ~UINT64_C(0xffff)) == SDEI_BIND_SHARED_BASE;
    }
}

void sim_print_replay(FILE *f, const sim_options *o, uint64_t steps)
{
    fprintf(f, "REPLAY: sdei-sim run --seed=0x%" PRIx64 " --vcpus=%u --steps=%" PRIu64
               " --profile=%s",
            o->seed, o->vcpus, steps, sim_profile_name(o->profile));
    if (o->migrate_every != 5000) {
        fprintf(f, " --migrate-every=%u", o->migrate_every);
    }
    if (o->blob_every != 4096) {
        fprintf(f, " --blob-every=%u", o->blob_every);
    }
    if (o->hostile_permille != 125) {
        fprintf(f, " --hostile=%u", o->hostile_permille);
    }
    if (o->quirks_override) {
        uint64_t base = sdei_profile_quirks(o->profile);
        const char *sep = " --quirks=";
        for (unsigned q = 0; q < SDEI_QUIRK_COUNT; q++) {
            uint64_t bit = UINT64_C(1) << q;
            if ((base ^ o->quirks) & bit) {
                fprintf(f, "%s%c%s", sep, (o->quirks & bit) ? '+' : '-',
                        sdei_quirk_table[q].name);
                sep = ",";
            }
        }
    }
    if (o->strict_invariants) {
        fputs(" --strict-invariants", f);
    }
    fputc('\n', f);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Writes the whole-VM save of vm to path (for `sdei-sim blob decode|lint`
 * and for VMM developers who want a real save to test against). */
static int write_save(const sdei_vm *vm, const char *path, FILE *err)
{
    size_t size = 0, written = 0;
    if (sdei_vm_save_size(vm, &size) != SDEI_OK) {
        fprintf(err, "sdei-sim: cannot size the save of the final VM\n");
        return -1;
    }
    uint8_t *buf = malloc(size);
    if (buf == NULL || sdei_vm_save(vm, buf, size, &written) != SDEI_OK) {
        free(buf);
        fprintf(err, "sdei-sim: cannot save the final VM\n");
        return -1;
    }
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(buf, 1, written, f) == written;
    if (f != NULL && fclose(f) != 0) {
        ok = 0;
    }
    free(buf);
    if (!ok) {
        fprintf(err, "sdei-sim: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

int sim_run(const sim_options *o, sim_summary *s, FILE *err)
{
    sim_world *w = calloc(1, sizeof(*w));
    char msg[256];
    int rc = SIM_EXIT_OK;
    memset(s, 0, sizeof(*s));
    s->failed_invariant = -1;
    if (w == NULL) {
        return SIM_EXIT_IO;
    }
    w->o = o;
    w->s = s;
    w->err = err;
    w->hash = UINT64_C(0xcbf29ce484222325);
    sdei_config cfg = sdei_config_default(o->vcpus);
    cfg.profile = o->profile;
    cfg.quirks_override = o->quirks_override ? 1 : 0;
    cfg.quirks = o->quirks;
    if (sim_target_init(&w->t, &cfg, msg, sizeof(msg)) != 0) {
        fprintf(err, "sdei-sim: %s\n", msg);
        free(w);
        return SIM_EXIT_BAD_INPUT;
    }
    w->quirks = sdei_vm_quirks(VM(w));
    w->vc = calloc(o->vcpus, sizeof(*w->vc));
    w->tcap = 1u << 20;
    w->tbuf = malloc(w->tcap);
    if (w->vc == NULL || w->tbuf == NULL) {
        rc = SIM_EXIT_IO;
        goto out;
    }
    if (o->trace_out != NULL) {
        w->tf = fopen(o->trace_out, "wb");
        if (w->tf == NULL) {
            fprintf(err, "sdei-sim: cannot write %s\n", o->trace_out);
            rc = SIM_EXIT_IO;
            goto out;
        }
    }
    w->tracing = o->trace_out != NULL || o->hash;
    w->debug_regs = getenv("SDEI_SIM_TRACE_REGS") != NULL;
    sim_prng_seed(&w->sched, o->seed, SIM_STREAM_SCHED);
    sim_prng_seed(&w->guest, o->seed, SIM_STREAM_GUEST);
    sim_prng_seed(&w->vmm, o->seed, SIM_STREAM_VMM);
    sim_prng_seed(&w->fault, o->seed, SIM_STREAM_FAULT);
    if (w->tracing) {
        sim_header h;
        char line[512];
        memset(&h, 0, sizeof(h));
        h.version = SIM_TRACE_VERSION;
        h.profile = o->profile;
        h.vcpus = o->vcpus;
        h.seed = o->seed;
        h.has_seed = 1;
        h.span = 1;
        h.quirks_override = o->quirks_override ? 1 : 0;
        h.quirks = o->quirks;
        sim_format_header(line, &h);
        t_text(w, line);
        snprintf(line, sizeof(line),
                 "# sdei-sim run --seed=0x%" PRIx64 " --vcpus=%u --steps=%" PRIu64
                 " --profile=%s\n",
                 o->seed, o->vcpus, o->steps, sim_profile_name(o->profile));
        t_text(w, line);
    }
    setup_events(w);
    /* The last ceil(vcpus * permille / 1000) vCPUs run the hostile guest. */
    uint32_t nhostile = (uint32_t)(((uint64_t)o->vcpus * o->hostile_permille + 999u) / 1000u);
    for (uint32_t v = 0; v < o->vcpus; v++) {
        w->vc[v].hostile = v >= o->vcpus - nhostile;
        w->vc[v].code_pc = UINT64_C(0x80000) + ((uint64_t)v << 16);
        plan_boot(w, v);
    }
    uint32_t vmm_weight = o->vcpus / 8u + 1u;
    uint32_t slots = o->vcpus + vmm_weight;
    double t0 = now_s(), last = t0;
    uint64_t steps = o->stop_after_steps != 0 && o->stop_after_steps < o->steps
                         ? o->stop_after_steps
                         : o->steps;
    for (w->step = 0; w->step < steps && !w->failed; w->step++) {
        uint32_t pick = sim_prng_below(&w->sched, slots);
        if (o->migrate_every != 0 && sim_prng_below(&w->sched, o->migrate_every) == 0) {
            do_migrate(w);
        } else if (pick < o->vcpus) {
            if (sdei_vcpu_has_deliverable(VM(w), pick) &&
                sim_prng_below(&w->sched, 8) != 0) {
                deliver(w, pick);
                if (!w->failed) {
                    check_vcpu(w, pick, SDEI_INVALID_EVENT);
                }
            } else {
                guest_step(w, pick);
            }
        } else {
            vmm_step(w);
        }
        w->s->invariant_checks++;
        if (w->debug_regs && w->tracing) {
            /* Debug aid (SDEI_SIM_TRACE_REGS=1): a register check after every
             * step, so a replay finds the first step where the two differ. */
            for (uint32_t v = 0; v < o->vcpus; v++) {
                char line[256];
                const sdei_regs *g = sdei_vcpu_regs(VM(w), v);
                snprintf(line, sizeof(line),
                         "= regs %u x0=0x%" PRIx64 " x1=0x%" PRIx64 " x2=0x%" PRIx64
                         " x3=0x%" PRIx64 " x4=0x%" PRIx64 " pc=0x%" PRIx64 " pstate=0x%" PRIx64
                         "\n",
                         v, g->x[0], g->x[1], g->x[2], g->x[3], g->x[4], g->pc, g->pstate);
                t_text(w, line);
            }
        }
        if (o->blob_every != 0 && (w->step + 1) % o->blob_every == 0 && !w->failed) {
            check_blobs(w);
        }
        if (o->progress && (w->step & 0xFFFFu) == 0) {
            double t = now_s();
            if (t - last >= 2.0) {
                last = t;
                fprintf(err, "[sdei-sim] step %" PRIu64 " / %" PRIu64 " (%.0f steps/s)\n",
                        w->step, steps, (double)w->step / (t - t0));
            }
        }
    }
    s->steps = w->step;
    s->seconds = now_s() - t0;
    if (w->failed) {
        s->failed_step = w->step - 1;
        t_flush(w);
        fprintf(err, "INVARIANT FAILED at step %" PRIu64 ": %s\n  %s\n", s->failed_step,
                sim_invariant_names[s->failed_invariant], w->fail_msg);
        sim_dump_state(err, &w->t, w->fail_vcpu);
        sim_print_replay(err, o, s->failed_step + 1);
        rc = SIM_EXIT_INVARIANT;
    } else {
        check_blobs(w);
        if (w->failed) {
            s->failed_step = w->step;
            fprintf(err, "INVARIANT FAILED at the end: %s\n  %s\n",
                    sim_invariant_names[s->failed_invariant], w->fail_msg);
            sim_dump_state(err, &w->t, w->fail_vcpu);
            sim_print_replay(err, o, w->step);
            rc = SIM_EXIT_INVARIANT;
        }
    }
    s->trace_hash = w->tracing ? w->hash : 0;
    if (rc == SIM_EXIT_OK && o->require_all) {
        for (unsigned i = 0; i < SIM_ST_COUNT; i++) {
            if (s->sometimes[i] == 0 && (w->quirks & sim_sometimes_quirks[i]) == 0) {
                fprintf(err, "sometimes target never reached: %s\n", sim_sometimes_names[i]);
                rc = SIM_EXIT_UNREACHED;
            }
        }
        if (rc != SIM_EXIT_OK) {
            sim_print_replay(err, o, o->steps);
        }
    }
    if (o->save_out != NULL && VM(w) != NULL && write_save(VM(w), o->save_out, err) != 0 &&
        rc == SIM_EXIT_OK) {
        rc = SIM_EXIT_IO;
    }
out:
    t_flush(w);
    if (w->tf != NULL) {
        /* A failed write (disk full) or close leaves an incomplete trace: an
         * I/O error, unless an invariant failure is the bigger news. */
        int closed = fclose(w->tf) == 0;
        if (!closed || w->twrite_failed) {
            fprintf(err, "sdei-sim: cannot write %s\n", o->trace_out);
            if (rc == SIM_EXIT_OK) {
                rc = SIM_EXIT_IO;
            }
        }
    }
    sim_target_fini(&w->t);
    free(w->vc);
    free(w->tbuf);
    free(w);
    s->exit_code = rc;
    return rc;
}

void sim_print_summary(FILE *f, const sim_options *o, const sim_summary *s, int json)
{
    double rate = s->seconds > 0 ? (double)s->steps / s->seconds : 0.0;
    if (json) {
        fprintf(f,
                "{\"seed\":\"0x%" PRIx64 "\",\"vcpus\":%u,\"profile\":\"%s\",\"steps\":%" PRIu64
                ",\"seconds\":%.3f,\"steps_per_second\":%.0f,\"hvcs\":%" PRIu64
                ",\"deliveries\":%" PRIu64 ",\"completions\":%" PRIu64
                ",\"vmm_actions\":%" PRIu64 ",\"triggers\":%" PRIu64 ",\"migrations\":%" PRIu64
                ",\"migrations_refused\":%" PRIu64
                ",\"invariant_checks\":%" PRIu64 ",\"exit_code\":%d",
                o->seed, o->vcpus, sim_profile_name(o->profile), s->steps, s->seconds, rate,
                s->hvcs, s->deliveries, s->completions, s->vmm_actions, s->triggers,
                s->migrations, s->migrations_refused, s->invariant_checks, s->exit_code);
        if (s->trace_hash != 0) {
            fprintf(f, ",\"trace_hash\":\"%016" PRIx64 "\"", s->trace_hash);
        }
        fprintf(f, ",\"failed_invariant\":%s%s%s", s->failed_invariant >= 0 ? "\"" : "",
                s->failed_invariant >= 0 ? sim_invariant_names[s->failed_invariant] : "null",
                s->failed_invariant >= 0 ? "\"" : "");
        fprintf(f, ",\"sometimes\":{");
        for (unsigned i = 0; i < SIM_ST_COUNT; i++) {
            fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "", sim_sometimes_names[i],
                    s->sometimes[i]);
        }
        fprintf(f, "}}\n");
        return;
    }
    fprintf(f, "== sdei-sim summary\n");
    fprintf(f, "seed 0x%" PRIx64 ", %u vCPUs, profile %s\n", o->seed, o->vcpus,
            sim_profile_name(o->profile));
    fprintf(f, "steps %" PRIu64 " in %.2f s (%.0f steps/s, invariants on)\n", s->steps,
            s->seconds, rate);
    fprintf(f, "hypercalls %" PRIu64 ", deliveries %" PRIu64 ", completions %" PRIu64
               ", VMM actions %" PRIu64 ", triggers %" PRIu64 ", migrations %" PRIu64 "\n",
            s->hvcs, s->deliveries, s->completions, s->vmm_actions, s->triggers, s->migrations);
    if (s->migrations_refused != 0) {
        fprintf(f, "migrations refused %" PRIu64 " (kvm-v5 route_mode_from_affinity: the kernel "
                   "cannot restore its own save either)\n",
                s->migrations_refused);
    }
    if (s->trace_hash != 0) {
        fprintf(f, "trace %" PRIu64 " bytes, hash %016" PRIx64 "\n", s->trace_bytes,
                s->trace_hash);
    }
    fprintf(f, "\n| sometimes target | count |\n| --- | ---: |\n");
    for (unsigned i = 0; i < SIM_ST_COUNT; i++) {
        fprintf(f, "| %s | %" PRIu64 "%s |\n", sim_sometimes_names[i], s->sometimes[i],
                s->sometimes[i] == 0 ? " (never)" : "");
    }
    fprintf(f, "\nresult: %s\n",
            s->exit_code == 0 ? "ok" : s->failed_invariant >= 0 ? "INVARIANT FAILED" : "FAILED");
}
