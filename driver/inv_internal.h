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
 * written): what every check but a resync and a migration reads. Inline with
 * inv_state: the simulator makes them after every action (issue 9). */
static inline int inv_brief(sim_inv *c, sim_target *t, uint32_t v, sdei_vcpu_view *out)
{
    if (t->ops->vcpu_brief == NULL) {
        return inv_view(c, t, v, out);
    }
    if (!sim_target_can(t, SIM_CAP_OBS_VCPU)) {
        c->unobservable++;
        return -1;
    }
    return t->ops->vcpu_brief(t->impl, v, out) == SDEI_OK ? 0 : -1;
}
static inline int inv_state(sim_inv *c, sim_target *t, uint64_t num, uint32_t v,
                            sdei_event_state *out)
{
    if (!sim_target_can(t, SIM_CAP_OBS_STATE)) {
        c->unobservable++;
        return -1;
    }
    return t->ops->event_state(t->impl, num, v, out) == SDEI_OK ? 0 : -1;
}

/* A vCPU against the shadow (sdei-rules §4.5, §7.1): the running slots the
 * implementation shows are the handlers entered, none over a critical one.
 * The failure report is out of line, the test inline. */
int inv_slots_differ(sim_inv *c, uint32_t v, const sdei_vcpu_view *w);
static inline int inv_check_vcpu_view(sim_inv *c, uint32_t v, const sdei_vcpu_view *w)
{
    const sim_inv_frame *n = &c->fr[v][0], *k = &c->fr[v][1];
    if (w->normal_running != (n->running != 0) || w->critical_running != (k->running != 0) ||
        (n->running && w->normal_num != n->num) || (k->running && w->critical_num != k->num)) {
        return inv_slots_differ(c, v, w);
    }
    if (n->running == 1 && k->running == 1 && n->at > k->at) {
        return sim_inv_fail(c, SIM_INV_CRITICAL_NEVER_PREEMPTED, v,
                            "a handler runs on top of a critical one");
    }
    return 0;
}
static inline __attribute__((always_inline)) int inv_check_vcpu(sim_inv *c, sim_target *t,
                                                                uint32_t v)
{
    sdei_vcpu_view w;
    return inv_brief(c, t, v, &w) == 0 ? inv_check_vcpu_view(c, v, &w) : 0;
}
/* The index of num in the checker's event table, or -1. The table is
 * reloaded when the events change (expose, VMM SET, reset). */
int inv_event_index(const sim_inv *c, uint64_t num);
void inv_load_events(sim_inv *c, sim_target *t);
/* After an accepted VMM command: SETs load state from outside the actions. */
/* After a power transition or a vCPU reset: every vCPU's shadow resynced. */
void inv_after_power(sim_inv *c, sim_target *t, const sim_action *a);
void inv_after_vmm_set(sim_inv *c, sim_target *t, const sim_action *a);
/* The vCPU and the events an action can have changed, in the thorough and
 * full profiles (inv_state.c). */
int inv_after_state(sim_inv *c, sim_target *t, const sim_action *a, const sim_result *r);
/* Migration snapshots (inv_migrate.c). */
/* via_vmm: the migration carries only the kernel's blobs (no bindings, no
 * config records), so the whole-VM save is not expected to survive it. */
enum { INV_SAVE_NONE, INV_SAVE_OWN, INV_SAVE_IMPL };     /* sim_inv.mig_save_ref */
enum { INV_BLOBS_SNAP, INV_BLOBS_EXEC, INV_BLOBS_SAVE }; /* sim_inv.mig_blobs_from */
void inv_migrate_before(sim_inv *c, sim_target *t, int via_vmm);
int inv_migrate_after(sim_inv *c, sim_target *t, const sim_result *r);

#endif /* SIM_INV_INTERNAL_H */
