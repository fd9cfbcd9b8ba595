/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim.h - the deterministic simulator (DESIGN §5, docs/simulator.md).
 *
 * One thread, virtual time (a step = one scheduler decision), one seed with a
 * PRNG sub-stream per subsystem. Actors: N vCPUs running guest programs (the
 * Linux client's sequences, handlers, a hostile guest) and a VMM. After every
 * step an invariant checker runs; "sometimes" counters record which hard
 * states were reached.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "impl.h"
#include "invariants.h"
#include "sdei/sdei_model.h"

/* The invariants (names, rules, the quirks that break them) are the
 * driver's checker's: invariants.h. */

/* ---------------------------------------------------------------------------
 * "Sometimes" targets (STYLE habit 14): hard states a long run must reach.
 * The quirk mask names quirks that make a target unreachable.
 * ------------------------------------------------------------------------- */
#define SIM_SOMETIMES_LIST(X)                                                                      \
    X(CRITICAL_PREEMPTS_NORMAL, "critical_preempts_normal", SDEI_QUIRK_BIT(EVENT_TABLE_V6))        \
    X(UNREGISTER_WHILE_RUNNING, "unregister_while_running", 0)                                     \
    X(UNREGISTER_RETRY_DENIED, "unregister_retry_denied_after_complete", 0)                        \
    X(MIGRATION_MID_HANDLER, "migration_mid_handler", SDEI_QUIRK_BIT(NO_SDEI_COMMAND))             \
    X(MIGRATION_NESTED, "migration_with_nested_handlers",                                          \
      SDEI_QUIRK_BIT(NO_SDEI_COMMAND) | SDEI_QUIRK_BIT(EVENT_TABLE_V6))                            \
    X(ROUTING_CHANGE, "routing_change", SDEI_QUIRK_BIT(ROUTING_SET_NOT_SUPPORTED))                 \
    X(BIND_SLOTS_EXHAUSTED, "bind_slots_exhausted", SDEI_QUIRK_BIT(NO_BIND))                       \
    X(BOUND_IRQ_DELIVERED, "bound_interrupt_delivered", SDEI_QUIRK_BIT(NO_BIND))                   \
    X(RESET_WHILE_RUNNING, "reset_while_running", 0)                                               \
    X(COMPLETE_AND_RESUME, "complete_and_resume", SDEI_QUIRK_BIT(RESUME_IGNORED))                  \
    X(SIGNAL_DELIVERED, "signal_delivered", 0)                                                     \
    X(SHARED_DELIVERED, "shared_event_delivered", SDEI_QUIRK_BIT(EVENT_TABLE_V6))                  \
    X(UNMASK_RELEASES_PENDING, "unmask_releases_pending", 0)                                       \
    X(CONTEXT_IN_NESTED, "context_read_in_nested_handler", SDEI_QUIRK_BIT(EVENT_TABLE_V6))         \
    X(DISABLE_IN_HANDLER, "disable_inside_handler", 0)                                             \
    X(VMM_INJECT, "vmm_inject_accepted", SDEI_QUIRK_BIT(NO_SDEI_COMMAND))                          \
    X(VMM_RESET_VCPU, "vmm_vcpu_reset", 0)                                                         \
    X(HOSTILE_CALL, "hostile_call", 0)                                                             \
    X(CPU_OFF_IN_HANDLER, "handler_running_at_cpu_off", 0)                                         \
    X(SHARED_TO_OFF_PE, "shared_event_routed_to_pe_going_off", SDEI_QUIRK_BIT(EVENT_TABLE_V6))     \
    X(SUSPEND_WITH_PENDING, "suspend_with_pending_event", 0)                                       \
    X(SYSTEM_RESET, "system_reset_reboot", 0)

enum sim_sometimes {
#define SIM_ST_ENUM(id, name, quirks) SIM_ST_##id,
    SIM_SOMETIMES_LIST(SIM_ST_ENUM)
#undef SIM_ST_ENUM
        SIM_ST_COUNT
};

extern const char *const sim_sometimes_names[SIM_ST_COUNT];
extern const uint64_t sim_sometimes_quirks[SIM_ST_COUNT];

/* Lockstep with a kernel peer: its known findings (docs/kernel-findings.md)
 * the simulator steps around (known.c), each counted in the summary. */
#define SIM_KNOWN_FINDINGS(X)                                                                      \
    X(K7_1, "K7-1", "EVENT_ENABLE / EVENT_DISABLE sent with x1 bit 31 clear: v7 oopses on it")     \
    X(K7_2, "K7-2", "guest entries skipped: v7's delivery loop would spin for ever")               \
    X(K5_4, "K5-4",                                                                                \
      "UNREGISTER / resets skipped while a shared event runs on two vCPUs: v5 "                    \
      "frees it under the other")

typedef enum sim_known {
#define SIM_KNOWN_ENUM(id, name, what) SIM_KNOWN_##id,
    SIM_KNOWN_FINDINGS(SIM_KNOWN_ENUM)
#undef SIM_KNOWN_ENUM
        SIM_KNOWN_COUNT
} sim_known;

extern const char *const sim_known_names[SIM_KNOWN_COUNT]; /* "K7-2" */
extern const char *const sim_known_what[SIM_KNOWN_COUNT];

typedef struct sim_options {
    uint64_t seed;
    uint32_t vcpus;
    uint64_t steps;
    sdei_profile profile;
    const char *trace_out;     /* NULL: no trace file */
    const char *save_out;      /* NULL: no save; else the final VM (sdei_vm_save) */
    int hash;                  /* compute the trace hash even without a file */
    int progress;              /* progress lines on stderr */
    uint32_t migrate_every;    /* mean steps between migrations; 0 = never */
    uint32_t blob_every;       /* full blob round-trip every K steps (and at migrations) */
    uint32_t hostile_permille; /* share of hostile vCPUs, per mille */
    int require_all;
    uint64_t stop_after_steps; /* 0 = steps */
    int quirks_override;       /* 1: `quirks` instead of the profile's set */
    uint64_t quirks;
    /* Check every invariant even where a quirk breaks it: a run with a quirk
     * on must then fail, which proves the checker catches that deviation. */
    int strict_invariants;
    /* Draw the world from the seed too (sim/swarm.h): events, MPIDRs, SPAN,
     * bind slots, kvm-v5 quirk subsets. */
    int swarm;
    /* Lockstep: every action also goes to this implementation (NULL: none);
     * with peer_compare its results must equal the model's, else the run
     * stops at the first difference (exit 1) with the trace up to it. */
    const sim_impl_ops *peer;
    int peer_compare;
    int hit_known; /* lockstep: run into the peer's known findings (known.c) */
} sim_options;

void sim_options_default(sim_options *o);

typedef struct sim_summary {
    uint64_t steps;
    uint64_t hvcs, deliveries, completions, vmm_actions, triggers, migrations;
    /* migrations the implementation refused (kvm-v5 route_mode_from_affinity:
     * a save the kernel itself cannot restore; kvm-v6: no interface); the VM
     * went on running on the source, as a VMM's would */
    uint64_t migrations_refused;
    char refused_why[320]; /* the first refusal: what the model and the peer said */
    uint64_t invariant_checks;
    uint64_t peer_compared;            /* lockstep: results compared with the peer */
    uint64_t peer_unavailable;         /* lockstep: actions the peer could not take */
    uint64_t avoided[SIM_KNOWN_COUNT]; /* lockstep: actions skipped or changed per known finding */
    uint64_t sometimes[SIM_ST_COUNT];
    uint64_t trace_hash; /* FNV-1a 64 of the trace text (0 if not computed) */
    uint64_t trace_bytes;
    double seconds;
    uint64_t quirks;      /* the quirks in force (profile, --quirks, --swarm) */
    char failure[600];    /* what failed, one line ("" if nothing did) */
    int failed_invariant; /* -1 if none */
    uint64_t failed_step;
    int exit_code;
} sim_summary;

/* Runs a simulation. Diagnostics (invariant failures, replay command,
 * progress) go to err. Returns a sim_exit code (replay.h). */
int sim_run(const sim_options *o, sim_summary *s, FILE *err);

/* Prints the summary as text or JSON. */
void sim_print_summary(FILE *f, const sim_options *o, const sim_summary *s, int json);
/* "sdei-sim run --seed=... --vcpus=... --steps=... --profile=..." */
void sim_print_replay(FILE *f, const sim_options *o, uint64_t steps);

#endif /* SIM_SIM_H */
