/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * checks.c - the simulator's use of the one invariant checker
 * (driver/invariants.h, DESIGN §5): around every action it takes, and the
 * whole VM, the blob round trip and the lint every K steps and at every
 * migration. The checks themselves live in the driver, shared with the
 * fuzz targets.
 */
#include <string.h>

#include "world.h"

int sim_checks_open(sim_world *w)
{
    /* The acting vCPU after each step, the whole VM every K steps: a full
     * check every step would cost ~100x the step at 512 vCPUs. */
    sim_inv_opts o;
    memset(&o, 0, sizeof(o));
    o.strict = w->o->strict_invariants;
    if (sim_inv_init(&w->inv, &w->t, &o) != 0) {
        return -1;
    }
    w->have_inv = 1;
    return 0;
}

static __attribute__((noinline)) int failed(sim_world *w)
{
    sim_fail(w, (unsigned)w->inv.failed - 1u, w->inv.fail_vcpu, "%s", w->inv.msg);
    return -1;
}

/* inline + always_inline: an external definition that a link-time
 * optimised build inlines into sim_act's callers (world.h). */
inline __attribute__((always_inline)) int sim_act_checked(sim_world *w, const sim_action *a,
                                                          sim_result *r, int trace)
{
    sim_inv_before(&w->inv, &w->t, a);
    if (sim_exec_inline(&w->t, a, r, w->act_msg, sizeof(w->act_msg)) != 0) {
        sim_fail(w, SIM_INV_MODEL_SOUND, a->vcpu, "action rejected: %s", w->act_msg);
        return -1;
    }
    if (trace && w->tracing) {
        sim_trace_record(w, a, r);
    }
    if (sim_inv_after(&w->inv, &w->t, a, r)) {
        return failed(w);
    }
    return 0;
}

/* Every K steps and at migrations: the implementation's own check, every
 * vCPU and event against the shadow, the blob round trip and lint. */
void sim_check_blobs(sim_world *w)
{
    w->s->invariant_checks++;
    if (w->failed) {
        return;
    }
    if (sim_inv_sweep(&w->inv, &w->t) || sim_inv_blobs(&w->inv, &w->t, w->err)) {
        (void)failed(w);
    }
}
