/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * invariants.h - the one invariant checker (DESIGN §5): any driver (the
 * simulator, the fuzz targets) runs it around each action it applies through
 * the executor, against any implementation.
 *
 *   sim_inv_before(c, t, a);  sim_exec(t, a, r, ...);  sim_inv_after(c, t, a, r);
 *
 * It keeps its own shadow, updated from actions and results only: the
 * context each vCPU had when a handler was entered (per class) and how many
 * vCPUs run each event. It observes the implementation through the target's
 * ops (impl.h caps); a check the implementation cannot answer is counted in
 * `unobservable`, never passed silently. Model-only checks (the whole-VM save
 * identity, the blob lint of a save, the model's own consistency check) run
 * when sim_target_model(t) != NULL.
 *
 * Each invariant names the rule it enforces and the quirks (kvm-v5
 * deviations) that break it; such an invariant is not checked while one of
 * those quirks is on, unless `strict` is set (--strict-invariants: a run
 * with one such quirk must then fail, which tests the checker).
 */
#ifndef SIM_INVARIANTS_H
#define SIM_INVARIANTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "exec.h"

/* Every kvm-v5 quirk: invariants the fuzz driver checked in the spec profile only. */
#define SIM_INV_Q_ANY SDEI_QUIRK_MASK_ALL

/* X(id, name, quirks that break it, rule) */
#define SIM_INVARIANT_LIST(X)                                                                      \
    X(ONE_HANDLER_PER_CLASS, "one_handler_per_class", 0,                                           \
      "sdei-rules §4.5, §7.1: at most one normal and one critical handler per vCPU, each in "    \
      "the slot of its class")                                                                     \
    X(CRITICAL_NEVER_PREEMPTED, "critical_never_preempted", 0,                                     \
      "sdei-rules §4.5: nothing is delivered while a critical handler runs")                       \
    X(NO_DELIVERY_WHEN_MASKED, "no_delivery_when_masked", SDEI_QUIRK_BIT(DELIVER_UNCHECKED),       \
      "sdei-rules §6.9, §7.1 item 4: nothing is delivered to a masked vCPU")                       \
    X(DELIVERED_EVENT_RUNNING_ENABLED, "delivered_event_running_enabled",                          \
      SDEI_QUIRK_BIT(DELIVER_UNCHECKED) | SDEI_QUIRK_BIT(DELIVER_DISABLED) |                       \
          SDEI_QUIRK_BIT(STATUS_RUNNING_VM_WIDE),                                                  \
      "sdei-rules §5.2 DISPATCH: E -> RE")                                                         \
    X(SHARED_RUNS_ONCE, "shared_runs_on_one_vcpu", SDEI_QUIRK_BIT(SHARED_PER_VCPU),                \
      "sdei-rules §4.3, ACS 4.42: one instance of a shared event system-wide")                     \
    X(UNREGISTER_PENDING_RUNNING, "unregister_pending_implies_running",                            \
      SDEI_QUIRK_BIT(STALE_UNREGISTER_PENDING) | SDEI_QUIRK_BIT(PENDING_KEEPS_REGISTERED),         \
      "sdei-rules §5.1: the running states (RE, RD, UP) are exactly the running slots")            \
    X(HANDLER_ENTRY_STATE, "handler_entry_state",                                                  \
      SDEI_QUIRK_BIT(ZERO_X4_X17) | SDEI_QUIRK_BIT(SPSR_CLOBBER) |                                 \
          SDEI_QUIRK_BIT(PSTATE_KEEP_ALL),                                                         \
      "sdei-rules §7.2-§7.3, DESIGN §3.2: x0 = event, x2/x3 = interrupted PC/PSTATE, the "      \
      "exception-entry PSTATE, nothing else changed")                                              \
    X(COMPLETE_RESTORES_REGS, "complete_restores_registers", 0,                                    \
      "sdei-rules §8: COMPLETE restores x0..x17, PC, PSTATE saved at delivery; "                  \
      "COMPLETE_AND_RESUME resumes at x1 with ELR/SPSR_EL1 = interrupted PC/PSTATE")               \
    X(BLOB_ROUNDTRIP, "blob_roundtrip_identity", 0,                                                \
      "DESIGN §4: decode then encode of every blob, and a migration through the blobs, keep "     \
      "every byte")                                                                                \
    X(BLOB_LINT_CLEAN, "blob_lint_clean",                                                          \
      SDEI_QUIRK_BIT(STALE_UNREGISTER_PENDING) | SDEI_QUIRK_BIT(UNREGISTER_KEEPS_PENDING) |        \
          SDEI_QUIRK_BIT(DELIVER_LOWEST_NUMBER),                                                   \
      "DESIGN §4 blob lint: a correct dispatcher's save has no finding")                           \
    X(SAVE_RESTORE_IDENTITY, "save_restore_identity", 0,                                           \
      "DESIGN §4: save -> restore -> save gives the same bytes")                                   \
    X(MIGRATION_TRANSPARENT, "migration_keeps_state", 0,                                           \
      "DESIGN §4: what the guest and the VMM observe is the same after a migration")               \
    X(MODEL_SOUND, "model_internal_check", 0,                                                      \
      "the implementation's own consistency check (sdei_vm_check), and deliveries of known "       \
      "events")                                                                                    \
    X(HVC_RESULT_SHAPE, "hvc_result_shape", 0,                                                     \
      "kvm-v5 §4.1: a call that returns writes x0 = result, x1..x3 = 0 and nothing else; a "      \
      "status call returns a status code; a failed COMPLETE returns DENIED; no call returns "      \
      "nothing (except under complete_no_result)")                                                 \
    X(PREEMPTED_FLAG, "preempted_flag", 0,                                                         \
      "sdei-rules §4.5: a delivery preempts exactly when a critical event enters over a "         \
      "running normal handler")                                                                    \
    X(EDGE_TRIGGERED, "edge_triggered", SIM_INV_Q_ANY,                                             \
      "sdei-rules §6.12: one pending latch per (event, vCPU), shared events one VM-wide")          \
    X(NO_PENDING_WHEN_UNREGISTERED, "no_pending_when_unregistered", SIM_INV_Q_ANY,                 \
      "sdei-rules §7.4: UNREGISTER cancels triggers; a trigger on U or UP is dropped")             \
    X(NO_DELIVERY_WHEN_OFF, "no_delivery_to_pe_not_on", 0,                                         \
      "sdei-rules §9 (ACS 4.48): an event does not bring a PE that is off or asleep online")       \
    X(POWER_STATE_TRACKED, "power_state_as_transitions_say", 0,                                    \
      "docs/model.md Power: a vCPU's power state is the one its transitions lead to")              \
    X(POWER_RESET_STATE, "pe_reset_masks_and_unregisters", SDEI_QUIRK_BIT(POWER_KEEPS_SDEI_STATE), \
      "sdei-rules §9 (ACS 4.47, 4.44): after a PE reset the PE is masked, runs nothing and "      \
      "has no private event registered; it wakes from a power-down suspend masked")                \
    X(POWER_COMPLETES_HANDLER, "cpu_off_completes_handler_first",                                  \
      SDEI_QUIRK_BIT(POWER_KEEPS_SDEI_STATE),                                                      \
      "sdei-rules §9 (ACS 4.52): CPU_OFF inside a handler completes it first")                     \
    X(API_ERRORS, "api_errors", 0,                                                                 \
      "impl.h: an action on a valid target fails only as its interface says (trigger: "            \
      "SDEI_E_EVENT for a number not exposed; irq: SDEI_E_INTID; VMM: an errno the kernel "        \
      "returns, kvm-v5 §6)")

enum sim_invariant {
#define SIM_INV_ENUM(id, name, quirks, rule) SIM_INV_##id,
    SIM_INVARIANT_LIST(SIM_INV_ENUM)
#undef SIM_INV_ENUM
        SIM_INV_COUNT
};

extern const char *const sim_invariant_names[SIM_INV_COUNT];
extern const uint64_t sim_invariant_quirks[SIM_INV_COUNT];
extern const char *const sim_invariant_rules[SIM_INV_COUNT];

/* How much to check (the drivers' cost profiles). */
typedef struct sim_inv_opts {
    int strict; /* check every invariant whatever the quirks */
    /* After each action that can change state: every event it can have
     * touched on every vCPU, the implementation's own check, the whole
     * register file around each call (the fuzz targets: a few vCPUs, a few
     * hundred actions). Otherwise (the simulator: up to 512 vCPUs, millions
     * of steps) the acting vCPU, the touched event, the result registers;
     * the whole VM at sim_inv_sweep(). */
    int thorough;
    int full;         /* every event on every vCPU after every action (replayers) */
    int deep_migrate; /* at a migration also registers, event states, pending
                       * counts and every blob byte */
} sim_inv_opts;

typedef struct sim_inv_frame {
    uint8_t running; /* 0 none, 1 context known, 2 running, context unknown */
    uint64_t num;
    uint64_t saved[SDEI_SAVED_GPREGS + 2]; /* x0..x17, pc, pstate */
    uint64_t at;                           /* action count at delivery, for reports */
} sim_inv_frame;

typedef struct sim_inv_event {
    uint64_t num;
    uint32_t at; /* its index for event_at (and vcpu_events) */
    uint8_t type, priority;
    uint32_t running; /* vCPUs running it (shadow) */
} sim_inv_event;

typedef struct sim_inv {
    sim_inv_opts o;
    uint64_t quirks;
    uint32_t nvcpus, vcap;
    sim_inv_frame (*fr)[2]; /* per vCPU: [0] normal, [1] critical */
    sim_inv_event ev[SDEI_MAX_EVENTS];
    uint32_t nev;
    uint8_t vmm_made; /* state loaded through SET commands: any event count */
    uint64_t actions;
    uint64_t unobservable; /* checks this implementation could not answer */
    /* before the action */
    sdei_regs pre; /* the acting vCPU's registers, arguments applied */
    sdei_vcpu_view pre_view;
    uint8_t have_pre_view, pre_deliverable;
    /* migration snapshots (grown on demand) */
    sdei_vcpu_view *mig_views;
    uint8_t *mig_save, *mig_blobs, *scratch;
    size_t mig_save_len, mig_save_cap, mig_blobs_len, mig_blobs_cap, scratch_cap;
    /* What a migration is compared with: the save before it is the
     * checker's own (c->mig_save) or the one the implementation restored
     * from (ops->migrated_from); the blobs before it are the checker's GET
     * (in c->mig_blobs), the executor's (t->blobs) or that save's pieces. */
    uint8_t mig_save_ref, mig_blobs_from;
    sdei_event_obs obs[SDEI_MAX_EVENTS]; /* a snapshot's bulk read of one vCPU */
    /* failure */
    int failed; /* sim_invariant + 1, or 0 */
    uint32_t fail_vcpu;
    char msg[512];
} sim_inv;

/* Returns 0, or -1 (out of memory). */
int sim_inv_init(sim_inv *c, sim_target *t, const sim_inv_opts *o);
void sim_inv_fini(sim_inv *c);
/* A new VM on t (same or fewer vCPUs than at init, or reallocated): a fresh
 * shadow. */
int sim_inv_reset(sim_inv *c, sim_target *t);
/* The VM's state was loaded from outside the actions (VMM SET commands, a
 * restore): the shadow takes the running slots from the views, contexts
 * unknown; edge-triggered counts are no longer checked (finding F3). */
void sim_inv_forget(sim_inv *c, sim_target *t);

void sim_inv_before(sim_inv *c, sim_target *t, const sim_action *a);
/* Returns 0 if every invariant holds, else 1 (c->failed, c->msg). */
int sim_inv_after(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r);
/* The whole VM: every event on every vCPU, every vCPU against the shadow,
 * the implementation's own check. */
int sim_inv_sweep(sim_inv *c, sim_target *t);
/* Every blob the VMM can read decodes and encodes to the same bytes (a
 * field-by-field diff of the first that does not goes to diff, if not NULL);
 * the save has no lint finding (model). */
int sim_inv_blobs(sim_inv *c, sim_target *t, FILE *diff);

/* The numbers of the events action a (with result r) can have changed: their
 * count (at most 4), or -1 for "any event" (resets, masks, routing, SIGNAL,
 * RELEASE, irq, migrate). */
int sim_inv_touched(const sim_inv *c, const sim_action *a, const sim_result *r, uint64_t *nums);
/* Everything a guest and a VMM can observe of the VM as bytes (every vCPU's
 * view and registers, every event's state and pending count on every vCPU,
 * every blob), to compare two VMs. Returns 0, or -1. */
int sim_inv_snapshot(sim_inv *c, sim_target *t, uint8_t **buf, size_t *cap, size_t *len);

/* 1 if invariant inv is checked (no quirk breaks it, or strict). */
static inline int sim_inv_on(const sim_inv *c, unsigned inv)
{
    return c->o.strict || (c->quirks & sim_invariant_quirks[inv]) == 0;
}
/* Records the first failure; returns 1. */
int sim_inv_fail(sim_inv *c, unsigned inv, uint32_t vcpu, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "name: message" of the failure. */
const char *sim_inv_message(const sim_inv *c, char *buf, size_t cap);

#endif /* SIM_INVARIANTS_H */
