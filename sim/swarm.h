/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * swarm.h - the configuration of a simulated world: fixed (the default), or
 * drawn from the seed (--swarm), as TigerBeetle's VOPR draws its cluster so
 * that one seed explores one of many worlds, not many runs of one world.
 */
#ifndef SIM_SWARM_H
#define SIM_SWARM_H

#include <stdint.h>

#include "sdei/sdei_model.h"
#include "sim.h"

/* Exposed events of a world (bind slots come on top; with them the world
 * stays within the simulator's 16-event table). */
#define SIM_SWARM_MAX_EVENTS 9u

typedef struct sim_swarm {
    sdei_config cfg; /* cfg.mpidr points into mpidr[] when sparse */
    uint64_t mpidr[SDEI_MAX_VCPUS];
    uint8_t sparse_mpidr;
    uint32_t nev;
    sdei_event_desc ev[SIM_SWARM_MAX_EVENTS];
} sim_swarm;

/* The world of a run: o->swarm ? drawn from o->seed : the fixed six events,
 * KVM's MPIDR layout, SPAN = 1, 2+2 bind slots, the profile's quirks. */
void sim_swarm_make(const sim_options *o, sim_swarm *sw);

#endif /* SIM_SWARM_H */
