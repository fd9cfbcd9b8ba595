/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prng.h - the simulator's one source of randomness (DESIGN §5, STYLE habit 5).
 *
 * xoshiro256** seeded through splitmix64. A run has one 64-bit seed; each
 * subsystem (scheduler, guest programs, VMM, faults) gets its own stream
 * derived from (seed, stream id), so an extra draw in one subsystem never
 * reshuffles the others.
 */
#ifndef SIM_PRNG_H
#define SIM_PRNG_H

#include <stdint.h>

typedef struct sim_prng {
    uint64_t s[4];
} sim_prng;

/* Sub-streams of a run. */
typedef enum sim_stream {
    SIM_STREAM_SCHED = 1,
    SIM_STREAM_GUEST = 2,
    SIM_STREAM_VMM = 3,
    SIM_STREAM_FAULT = 4,
    SIM_STREAM_SWARM = 5 /* the world itself (--swarm) */
} sim_stream;

uint64_t sim_splitmix64(uint64_t *state);
/* Seeds p from (seed, stream): never the all-zero state. */
void sim_prng_seed(sim_prng *p, uint64_t seed, uint64_t stream);

static inline uint64_t sim_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman & Vigna). */
static inline uint64_t sim_prng_next(sim_prng *p)
{
    uint64_t *s = p->s;
    uint64_t result = sim_rotl(s[1] * 5u, 7) * 9u;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sim_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) for n >= 1 (Lemire's multiply-shift; the tiny bias of
 * skipping the rejection step does not matter for a simulator, and keeping
 * one draw per call keeps streams aligned). */
static inline uint32_t sim_prng_below(sim_prng *p, uint32_t n)
{
    return (uint32_t)(((sim_prng_next(p) >> 32) * (uint64_t)n) >> 32);
}

/* 1 with probability num/den. */
static inline int sim_prng_chance(sim_prng *p, uint32_t num, uint32_t den)
{
    return sim_prng_below(p, den) < num;
}

#endif /* SIM_PRNG_H */
