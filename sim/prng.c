/* SPDX-License-Identifier: BSD-3-Clause */
/* prng.c - splitmix64 seeding of xoshiro256** sub-streams (see prng.h). */
#include "prng.h"

uint64_t sim_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void sim_prng_seed(sim_prng *p, uint64_t seed, uint64_t stream)
{
    /* Mix the stream id in through one splitmix step of its own, so that
     * streams of neighbouring seeds do not overlap trivially. */
    uint64_t st = stream;
    uint64_t sm = seed ^ sim_splitmix64(&st);
    for (int i = 0; i < 4; i++) {
        p->s[i] = sim_splitmix64(&sm);
    }
    if ((p->s[0] | p->s[1] | p->s[2] | p->s[3]) == 0) {
        p->s[0] = 1; /* the one forbidden state of xoshiro */
    }
}
