/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diff_interp.h - a second, deliberately simple interpreter of the SDEI
 * state machine, for the differential target (fuzz_diff.c).
 *
 * It shares no code with model/src: it reads only the public state table
 * (sdei_state_table) for transitions and results, and implements the check
 * orders of shared/spec/sdei-rules.md §6 on its own, for the `spec` profile.
 * State: a 3-bit state per (event, slot), a running slot per vCPU and class,
 * one pending latch per (event, vCPU) with the order in which its instance
 * was created, bind slots, the masks and a register file per vCPU.
 *
 * Not modelled (di_step returns DI_SKIP, and the record is applied to neither
 * side): triggers and injections of shared events (routing, RM_ANY
 * re-balancing on mask), bound SPIs, INJECT of a raw event number. Shared
 * events are therefore never pending or running here; every call on them is
 * still modelled.
 */
#ifndef DIFF_INTERP_H
#define DIFF_INTERP_H

#include <stdint.h>

#include "fuzz_driver.h"

#define DI_MAX_EVENTS FZ_MAX_EVENTS
#define DI_MAX_VCPUS FZ_MAX_VCPUS

typedef struct di_event {
    uint64_t num;
    uint8_t shared;
    uint8_t critical;
    uint8_t bind;   /* 0 static, 1 PPI slot, 2 SPI slot */
    uint32_t intid; /* bound interrupt, 0 = none */
    uint8_t route_mode;
    uint64_t route_aff;
} di_event;

typedef struct di_vcpu {
    uint8_t masked;
    int16_t running[2]; /* event index in the normal / critical slot, -1 = none */
    uint64_t saved[2][SDEI_SAVED_GPREGS + 2];
    sdei_regs regs;
} di_vcpu;

typedef struct di_state {
    uint32_t nr_vcpus;
    uint32_t nr_events;
    uint64_t mpidr[DI_MAX_VCPUS];
    uint8_t span;
    uint16_t priv_slots, shared_slots;
    di_event ev[DI_MAX_EVENTS];
    /* state per (event, slot): slot = vCPU for private events, 0 for shared */
    uint8_t st[DI_MAX_EVENTS][DI_MAX_VCPUS];
    uint64_t ep[DI_MAX_EVENTS][DI_MAX_VCPUS];
    uint64_t arg[DI_MAX_EVENTS][DI_MAX_VCPUS];
    uint8_t pending[DI_MAX_EVENTS][DI_MAX_VCPUS];
    uint64_t inst_seq[DI_MAX_EVENTS][DI_MAX_VCPUS]; /* creation order of the instance */
    uint64_t next_seq;
    di_vcpu vcpu[DI_MAX_VCPUS];
} di_state;

typedef enum di_outcome {
    DI_DONE = 0, /* res holds the expected result */
    DI_SKIP = 1  /* not modelled: apply the record to neither side */
} di_outcome;

/* Builds the state of a fresh fuzz VM (fz_config + fz_exposed). */
void di_init(di_state *s, const sdei_config *cfg);
/* Applies an action; fills the expected result. */
di_outcome di_step(di_state *s, const sim_action *a, sim_result *res);
/* 1 if the interpreter models this action (without applying it). */
int di_models(const di_state *s, const sim_action *a);

/* The state (sdei_event_state) and pending latch of event index e on vCPU v. */
uint8_t di_event_state(const di_state *s, uint32_t e, uint32_t v);
uint32_t di_pending(const di_state *s, uint32_t e, uint32_t v);

#endif /* DIFF_INTERP_H */
