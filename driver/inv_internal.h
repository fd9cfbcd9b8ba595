/* SPDX-License-Identifier: BSD-3-Clause */
/* inv_internal.h - shared by the checker's files (inv_step.c, inv_state.c, inv_migrate.c). */
#ifndef SIM_INV_INTERNAL_H
#define SIM_INV_INTERNAL_H

#include "invariants.h"

static inline int inv_quirk(const sim_inv *c, uint64_t bits)
{
    return (c->quirks & bits) != 0;
}

/* Observations through the target's ops: 0, or -1 when the implementation
 * cannot observe it (counted in c->unobservable) or the lookup fails. */
int inv_view(sim_inv *c, sim_target *t, uint32_t v, sdei_vcpu_view *out);
/* The same without the saved contexts (normal_saved, critical_saved not
 * written): what every check but a resync and a migration reads. */
int inv_brief(sim_inv *c, sim_target *t, uint32_t v, sdei_vcpu_view *out);
int inv_state(sim_inv *c, sim_target *t, uint64_t num, uint32_t v, sdei_event_state *out);
/* The index of num in the checker's event table, or -1. The table is
 * reloaded when the events change (expose, VMM SET, reset). */
int inv_event_index(const sim_inv *c, uint64_t num);
void inv_load_events(sim_inv *c, sim_target *t);
/* After an accepted VMM command: SETs load state from outside the actions. */
/* After a power transition or a vCPU reset: every vCPU's shadow resynced. */
void inv_after_power(sim_inv *c, sim_target *t, const sim_action *a);
void inv_after_vmm_set(sim_inv *c, sim_target *t, const sim_action *a);
/* The vCPU and the events an action can have changed (inv_state.c). */
int inv_after_state(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r);
/* Migration snapshots (inv_migrate.c). */
/* via_vmm: the migration carries only the kernel's blobs (no bindings, no
 * config records), so the whole-VM save is not expected to survive it. */
void inv_migrate_before(sim_inv *c, sim_target *t, int via_vmm);
int inv_migrate_after(sim_inv *c, sim_target *t, const sim_result *r);
/* Grows *buf to at least need bytes, keeping its first keep bytes; 0 or -1. */
int inv_grow(uint8_t **buf, size_t *cap, size_t need, size_t keep);

#endif /* SIM_INV_INTERNAL_H */
