/* SPDX-License-Identifier: BSD-3-Clause */
/* swarm.c - fixed and seed-drawn world configurations (swarm.h). */
#include "swarm.h"

#include <string.h>

#include "prng.h"

/* The fixed world: the event shapes of DESIGN §3.2, two of each kind. */
static const sdei_event_desc fixed_events[] = {
    {0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 1},
    {0x400001, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 0},
    {0x400002, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_CRITICAL, 0},
    {0x400003, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL, 0},
    {0x400004, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_CRITICAL, 0},
    {0x400005, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL, 0},
};

static void base_config(const sim_options *o, sim_swarm *sw)
{
    memset(sw, 0, sizeof(*sw));
    sw->cfg = sdei_config_default(o->vcpus);
    sw->cfg.profile = o->profile;
    sw->cfg.quirks_override = o->quirks_override ? 1 : 0;
    sw->cfg.quirks = o->quirks;
}

/* Sparse affinities: clusters of 16 (Aff0 = v mod 16) at a drawn Aff1 base
 * and stride, with drawn Aff2 and Aff3, as big systems number their PEs. The
 * model and the guests must route by MPIDR, never by vCPU index. */
static void draw_mpidrs(sim_prng *g, sim_swarm *sw, uint32_t nv)
{
    uint64_t aff3 = sim_prng_below(g, 4);
    uint64_t aff2 = sim_prng_below(g, 256);
    uint64_t base1 = sim_prng_below(g, 16);
    uint64_t stride = 1 + sim_prng_below(g, 3);
    for (uint32_t v = 0; v < nv; v++) {
        uint64_t aff1 = base1 + (uint64_t)(v >> 4) * stride;
        sw->mpidr[v] =
            UINT64_C(0x80000000) | (aff3 << 32) | (aff2 << 16) | (aff1 << 8) | (uint64_t)(v & 15u);
    }
    sw->sparse_mpidr = 1;
    sw->cfg.mpidr = sw->mpidr;
}

/* Events: event 0 (SIGNAL), then one private normal, one critical and one
 * shared event so that every guest program has something to act on, then up
 * to five more of drawn type and priority. */
static void draw_events(sim_prng *g, sim_swarm *sw)
{
    sw->ev[0] = fixed_events[0];
    sw->ev[1] = fixed_events[1];
    sw->ev[2] = fixed_events[2];
    sw->ev[2].type = (uint8_t)sim_prng_below(g, 2);
    sw->ev[3] = fixed_events[3];
    sw->nev = 4;
    uint32_t extra = sim_prng_below(g, SIM_SWARM_MAX_EVENTS - 4 + 1);
    for (uint32_t i = 0; i < extra; i++) {
        sdei_event_desc *d = &sw->ev[sw->nev];
        d->num = UINT64_C(0x400010) + i;
        d->type = (uint8_t)sim_prng_below(g, 2);
        d->priority = (uint8_t)(sim_prng_chance(g, 1, 4) ? SDEI_EVENT_PRIORITY_CRITICAL
                                                         : SDEI_EVENT_PRIORITY_NORMAL);
        d->signaled = 0;
        sw->nev++;
    }
}

/* kvm-v5 with some of its bugs fixed: each quirk stays with probability
 * 3/4, so a run also explores combinations no kernel version had. Not in
 * lockstep against a peer whose results are compared (--target=kernel with
 * kvm-v5): that code has every bug of the profile, and fixing some in the
 * model alone would only measure the fix. */
static void draw_quirks(const sim_options *o, sim_prng *g, sim_swarm *sw)
{
    if (sw->cfg.quirks_override || sw->cfg.profile != SDEI_PROFILE_KVM_V5 || o->peer_compare) {
        return;
    }
    uint64_t q = sdei_profile_quirks(sw->cfg.profile);
    for (unsigned i = 0; i < SDEI_QUIRK_COUNT; i++) {
        if ((q & (UINT64_C(1) << i)) && sim_prng_chance(g, 1, 4)) {
            q &= ~(UINT64_C(1) << i);
        }
    }
    sw->cfg.quirks = q;
    sw->cfg.quirks_override = 1;
}

void sim_swarm_make(const sim_options *o, sim_swarm *sw)
{
    base_config(o, sw);
    uint64_t q = sw->cfg.quirks_override ? sw->cfg.quirks : sdei_profile_quirks(sw->cfg.profile);
    if (q & SDEI_QUIRK_BIT(EVENT_TABLE_KVM)) {
        /* v7: KVM's own events 0 and 1; the VMM exposes nothing (no bind slots) */
        if (o->swarm) {
            sim_prng g;
            sim_prng_seed(&g, o->seed, SIM_STREAM_SWARM);
            if (sim_prng_chance(&g, 1, 2)) {
                draw_mpidrs(&g, sw, o->vcpus);
            }
            sw->cfg.sctlr_el1_span = (uint8_t)(sim_prng_chance(&g, 1, 4) ? 0 : 1);
        }
        return;
    }
    if (!o->swarm) {
        memcpy(sw->ev, fixed_events, sizeof(fixed_events));
        sw->nev = sizeof(fixed_events) / sizeof(fixed_events[0]);
        return;
    }
    sim_prng g;
    sim_prng_seed(&g, o->seed, SIM_STREAM_SWARM);
    if (sim_prng_chance(&g, 1, 2)) {
        draw_mpidrs(&g, sw, o->vcpus);
    }
    sw->cfg.sctlr_el1_span = (uint8_t)(sim_prng_chance(&g, 1, 4) ? 0 : 1);
    sw->cfg.private_bind_slots = (uint16_t)sim_prng_below(&g, 4);
    sw->cfg.shared_bind_slots = (uint16_t)sim_prng_below(&g, 4);
    draw_events(&g, sw);
    draw_quirks(o, &g, sw);
}
