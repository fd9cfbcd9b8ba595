/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * exec.h - the one executor: applies actions to an implementation under test
 * (impl.h) and observes the results.
 *
 * Every driver goes through it: the simulator, replay, the fuzz targets and
 * the importers, so a recorded trace replays through exactly the code that
 * produced it (DESIGN §2: a driver produces actions, the executor applies
 * them to an implementation, results go to the invariants and the trace).
 */
#ifndef SIM_EXEC_H
#define SIM_EXEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "impl.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_model.h"
#include "sdei/sdei_vmm.h"
#include "trace.h"

typedef struct sim_target {
    const sim_impl_ops *ops; /* the implementation under test */
    sim_impl *impl;
    sdei_config cfg;
    uint64_t mpidr[SDEI_MAX_VCPUS];
    uint8_t *out;    /* VMM output buffer, SIM_TRACE_MAX_DATA bytes */
    uint8_t *in;     /* VMM input copy (commands may write their buffer) */
    sim_impl *spare; /* sim_migrate_vmm's destination, reset and reused (ops->reset) */
    /* What sim_migrate_vmm GOT from the source (sim_fetch_all_blobs; length 0
     * until its GETs all succeeded): the deep migration check compares the
     * destination's blobs with these instead of GETting the source again. */
    uint8_t *blobs;
    size_t blobs_len, blobs_cap;
    uint64_t migrations;
    uint64_t unobservable;         /* checks this implementation could not answer */
    uint64_t unavailable;          /* actions it could not take */
    uint64_t fid[SDEI_CALL_COUNT]; /* ops->call_fid of each call, read once per VM */
} sim_target;

/* Builds the config a header describes. */
sdei_config sim_header_config(const sim_header *h);
/* Creates the VM on the model. Returns 0, or -1 with a message (a bad config
 * is bad input). */
int sim_target_init(sim_target *t, const sdei_config *cfg, char *err, size_t errlen);
/* The same on any implementation. */
int sim_target_init_impl(sim_target *t, const sim_impl_ops *ops, const sdei_config *cfg, char *err,
                         size_t errlen);
void sim_target_fini(sim_target *t);
/* A fresh VM of the same config on the same implementation, keeping the
 * buffers (a fuzz target: one target per process, a VM per input). Returns 0,
 * or -1 with a message. */
int sim_target_reopen(sim_target *t, char *err, size_t errlen);

/* Shorthands for drivers that look at the implementation between actions. */
static inline sdei_regs *sim_target_regs(sim_target *t, uint32_t vcpu)
{
    return t->ops->regs(t->impl, vcpu);
}
/* The model VM behind the target, or NULL for any other implementation. */
static inline sdei_vm *sim_target_model(sim_target *t)
{
    return t->ops->model_vm != NULL ? t->ops->model_vm(t->impl) : NULL;
}
static inline int sim_target_can(const sim_target *t, uint32_t caps)
{
    return (t->ops->caps & caps) == caps;
}

/* sim_exec's parts (exec.c): every action but the inline hypercall path,
 * and an implementation's error as a result or a finding. */
int sim_exec_generic(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen);
int sim_exec_error(sim_target *t, sim_result *r, int e, char *err, size_t errlen);

/* Calls whose x0 is a status (SUCCESS or an error), printed by name. */
#define SIM_STATUS_BIT(c) (UINT64_C(1) << SDEI_CALL_##c)
static const uint64_t sim_status_calls =
    SIM_STATUS_BIT(EVENT_REGISTER) | SIM_STATUS_BIT(EVENT_ENABLE) | SIM_STATUS_BIT(EVENT_DISABLE) |
    SIM_STATUS_BIT(EVENT_COMPLETE) | SIM_STATUS_BIT(EVENT_COMPLETE_AND_RESUME) |
    SIM_STATUS_BIT(EVENT_UNREGISTER) | SIM_STATUS_BIT(EVENT_ROUTING_SET) |
    SIM_STATUS_BIT(PE_UNMASK) | SIM_STATUS_BIT(INTERRUPT_RELEASE) | SIM_STATUS_BIT(EVENT_SIGNAL) |
    SIM_STATUS_BIT(PRIVATE_RESET) | SIM_STATUS_BIT(SHARED_RESET);
#undef SIM_STATUS_BIT
_Static_assert(SDEI_CALL_COUNT <= 64, "sim_status_calls: one bit per call");

static inline int sim_is_status_call(unsigned call)
{
    return call < 64 && ((sim_status_calls >> call) & 1u) != 0;
}

/* The result registers of a vCPU (x0..x3, pc, pstate, ELR/SPSR_EL1). */
static inline void sim_result_fill_regs(sim_result *r, const sdei_regs *g)
{
    r->x[0] = g->x[0];
    r->x[1] = g->x[1];
    r->x[2] = g->x[2];
    r->x[3] = g->x[3];
    r->pc = g->pc;
    r->pstate = g->pstate;
    r->elr = g->elr_el1;
    r->spsr = g->spsr_el1;
    r->fields |= SIM_F_X0 | SIM_F_X1 | SIM_F_X2 | SIM_F_X3 | SIM_F_PC | SIM_F_PSTATE | SIM_F_ELR |
                 SIM_F_SPSR;
}

/* A hypercall on a vCPU that exists, by an implementation that takes them;
 * r cleared. Inline in every driver's loop: a call layer per hypercall was a
 * tenth of the simulator's cost per step (issue 9). */
static inline __attribute__((always_inline)) int sim_exec_hvc(sim_target *t, const sim_action *a,
                                                              sim_result *r)
{
    sdei_regs *g = t->ops->regs(t->impl, a->vcpu);
    sdei_call_info info;
    g->x[0] = a->call < SDEI_CALL_COUNT      ? t->fid[a->call]
              : a->call != SDEI_CALL_ID_NONE ? t->ops->call_fid(t->impl, (sdei_call_id)a->call)
                                             : a->fid;
    if (a->keep_mask == 0) {
        memcpy(&g->x[1], a->arg, sizeof(a->arg));
    } else {
        for (unsigned i = 0; i < 5; i++) {
            if (!(a->keep_mask & (1u << i))) {
                g->x[i + 1] = a->arg[i];
            }
        }
    }
    int e = t->ops->hypercall(t->impl, a->vcpu, &info);
    if (e != SDEI_OK) {
        return e;
    }
    sim_result_fill_regs(r, g); /* regs() stays valid for the whole action (impl.h) */
    switch (info.outcome) {
    case SDEI_CALL_COMPLETED:
        r->kind = SIM_R_COMPLETED;
        r->num = info.completed_num;
        r->prio = info.completed_priority;
        r->fields |= SIM_F_NUM | SIM_F_PRIO;
        break;
    case SDEI_CALL_NO_RESULT:
        r->kind = SIM_R_NORESULT;
        break;
    case SDEI_CALL_NOT_SDEI:
        r->kind = SIM_R_NOTSDEI;
        break;
    default:
        r->kind = SIM_R_RET;
        break;
    }
    r->x0_named = (uint8_t)(sim_is_status_call(info.call) ? 1 : 2);
    r->call = (uint8_t)info.call;
    return SDEI_OK;
}

/* Applies one action; fills r with every field the action produces. Returns
 * 0, or -1 with a message when the action cannot apply to this VM at all
 * (vCPU index out of range: bad input), or SIM_IMPL_FINDING when the
 * implementation itself failed (message in err). API errors are results
 * (SIM_R_ERR), not failures; an action the implementation cannot take is the
 * result SIM_R_UNAVAILABLE (counted in t->unavailable). */
int sim_exec(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen);

/* The same, inline in a driver's hot loop (the simulator's sim_act_checked):
 * its hypercalls, most actions, then pay no call layer of the executor. */
static inline __attribute__((always_inline)) int
sim_exec_inline(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen)
{
    if (a->kind == SIM_A_HVC && a->vcpu < t->cfg.nr_vcpus && sim_target_can(t, SIM_CAP_HVC)) {
        /* Most actions: a hypercall the implementation takes, on a vCPU that
         * exists (sim_exec_generic's checks, in one test). */
        sim_result_clear(r);
        int e = sim_exec_hvc(t, a, r);
        return e == SDEI_OK ? 0 : sim_exec_error(t, r, e, err, errlen);
    }
    return sim_exec_generic(t, a, r, err, errlen);
}

/* deliver-any (exec_any.c): a guest entry on each listed vCPU; r is the
 * first that entered (on=, entries = how many did) or none. */
int sim_exec_deliver_any(sim_target *t, const sim_action *a, sim_result *r, char *err,
                         size_t errlen);

/* The implementation saves itself, restores into a fresh VM and goes on
 * there (impl.h). Returns SDEI_OK or its error, with a message. */
int sim_migrate(sim_target *t, char *err, size_t errlen);
/* The same through the kernel's VMM commands, as a VMM without a whole-VM
 * save does it (DESIGN §4 restore order): GET every blob, SET them into a
 * fresh VM of the same implementation, copy the register files. A SET the
 * fresh VM refuses leaves the VM where it was: SDEI_E_FORMAT, with a message.
 * (Bindings are not in the kernel's blobs: docs/fuzzing.md F1.) */
int sim_migrate_vmm(sim_target *t, char *err, size_t errlen);

/* Compares an expected result (only the fields it carries) with the actual
 * one. Returns 0 when they agree; else 1 and writes the differences to f. */
int sim_result_compare(FILE *f, const sim_result *exp, const sim_result *act);
/* Lockstep with v7: every SDEI firmware register of every vCPU of model m and
 * implementation k, byte for byte (buffers pre-filled alike, so a byte one
 * side writes and the other does not counts: CONTEXT's unused tail). Returns
 * 0 when they agree or either cannot show them (SIM_CAP_FWREG), 1 with the
 * first difference in msg, or SIM_IMPL_FINDING when k's read is a finding. */
int sim_fwregs_compare(sim_target *m, sim_target *k, uint32_t nr_vcpus, char *msg, size_t cap);
/* One value: 0 if equal, else 1 with "  NAME: expected X, actual Y" on f
 * (f may be NULL). */
int sim_cmp_u64(FILE *f, const char *name, uint64_t exp, uint64_t act);
/* The same under a symbol's operator and mask ((act & mask) OP exp; the
 * ordering operators compare signed); s = NULL is sim_cmp_u64. */
int sim_cmp_sym(FILE *f, const char *name, const sim_sym *s, uint64_t exp, uint64_t act);

/* Evaluates a check line. Returns 0 if it holds; 1 if not (differences
 * written to f, blobs field by field); SIM_CHECK_UNOBSERVABLE when the
 * implementation cannot observe it (counted in t->unobservable); -1 with a
 * message when it cannot be evaluated (bad vCPU, unknown event: bad input). */
#define SIM_CHECK_UNOBSERVABLE 2
int sim_check_eval(sim_target *t, const sim_check *c, FILE *f, char *err, size_t errlen);

/* Fetches blobs through the VMM commands (GET_*_COUNT then GET_*). On
 * success returns 0 with *n entries in t->out. vcpu is ignored for the VM
 * kinds. */
int sim_fetch_blobs(sim_target *t, unsigned blob_kind, uint32_t vcpu, uint32_t *n);
/* The same into dst (SIM_TRACE_MAX_DATA bytes): a caller that keeps the
 * bytes need not copy them out of t->out. */
int sim_fetch_blobs_to(sim_target *t, unsigned blob_kind, uint32_t vcpu, uint8_t *dst, uint32_t *n);

/* Appends to *buf at *len every blob the VMM can read, each batch as a u32
 * count and its entries: exposed, registered, each vCPU's events, each vCPU's
 * state. Returns 0, or -1 with *bad the kind whose GET failed (or that *buf
 * could not grow for). */
int sim_fetch_all_blobs(sim_target *t, uint8_t **buf, size_t *cap, size_t *len, unsigned *bad);
/* Grows *buf to at least need bytes, keeping its first keep bytes; 0 or -1. */
int sim_buf_grow(uint8_t **buf, size_t *cap, size_t need, size_t keep);

/* A short dump of the VM state (every vCPU's view and every event's state on
 * the given vCPU or all), for divergence and invariant reports. */
void sim_dump_state(FILE *f, sim_target *t, uint32_t focus_vcpu);

#endif /* SIM_EXEC_H */
