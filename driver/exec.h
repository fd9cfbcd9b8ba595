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

/* Applies one action; fills r with every field the action produces. Returns
 * 0, or -1 with a message when the action cannot apply to this VM at all
 * (vCPU index out of range: bad input), or SIM_IMPL_FINDING when the
 * implementation itself failed (message in err). API errors are results
 * (SIM_R_ERR), not failures; an action the implementation cannot take is the
 * result SIM_R_UNAVAILABLE (counted in t->unavailable). */
int sim_exec(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen);

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

/* A short dump of the VM state (every vCPU's view and every event's state on
 * the given vCPU or all), for divergence and invariant reports. */
void sim_dump_state(FILE *f, sim_target *t, uint32_t focus_vcpu);

#endif /* SIM_EXEC_H */
