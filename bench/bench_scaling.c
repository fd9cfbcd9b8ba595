/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_scaling - cost per call against the size of the VM: 1..512 vCPUs x
 * 1..128 events, every event registered and enabled everywhere (the largest
 * state each size can hold). For each size and each kind of call, ns per
 * call (DATA lines, which `scripts/bench --plot` draws):
 *
 *   mixed        the whole Linux-guest stream (bench/stream.h)
 *   status       STATUS, GET_INFO x2
 *   enable       DISABLE + ENABLE
 *   register     UNREGISTER + REGISTER + ENABLE
 *   mask         PE_MASK + PE_UNMASK
 *   signal       SIGNAL + delivery + CONTEXT x2 + COMPLETE
 *
 * All of these are per-vCPU calls: their cost should not grow with the number
 * of vCPUs. The BENCH lines give, for each kind, the cost at 512 x 128 with
 * the cost at 1 vCPU (same events) as baseline, and with the cost at 1 event
 * (same vCPUs) as baseline.
 */
#include "stream.h"

static const uint32_t vcpu_sizes[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
static const uint32_t event_sizes[] = {1, 2, 4, 8, 16, 32, 64, 128};
#define NV (sizeof(vcpu_sizes) / sizeof(vcpu_sizes[0]))
#define NE (sizeof(event_sizes) / sizeof(event_sizes[0]))

typedef struct kind {
    const char *name;
    uint32_t first, last; /* positions in the round (stream.h) */
} kind;

static const kind kinds[] = {
    {"mixed", 0, 14},   {"status", 0, 2}, {"enable", 3, 4},
    {"register", 5, 7}, {"mask", 8, 9},   {"signal", 10, 14},
};
#define NK (sizeof(kinds) / sizeof(kinds[0]))

#define SCALING_REPS 7

/* The ops of `in` whose position in their round is in [first, last]. */
static void filter(const bench_stream *in, bench_stream *out, uint32_t first, uint32_t last)
{
    memset(out, 0, sizeof(*out));
    for (uint32_t i = 0; i < in->nr_ops; i++) {
        uint32_t pos = i % BENCH_ROUND_OPS;
        if (pos >= first && pos <= last) {
            out->ops[out->nr_ops++] = in->ops[i];
            out->nr_calls += in->ops[i].kind == BENCH_OP_CALL;
        }
    }
}

/* Passes of s that make one repetition last about rep_s. */
static uint32_t calibrate(const bench_stream *s, sdei_vm *vm, double rep_s)
{
    double t0 = bench_now();
    uint32_t passes = 0;
    do {
        bench_stream_run(s, vm);
        passes++;
    } while (bench_now() - t0 < rep_s / 4);
    return (uint32_t)(rep_s / ((bench_now() - t0) / passes)) + 1u;
}

typedef struct point {
    sdei_vm *vm;
    bench_stream *mixed;
    uint32_t passes[NK];
    double reps[NK][SCALING_REPS];
} point;

int main(void)
{
    static point pts[NV][NE];
    static double ns[NK][NV][NE];
    static bench_stream part;
    const double rep_s = bench_quick() ? 0.001 : 0.006;
    uint64_t nums[SDEI_MAX_EVENTS];
    for (size_t i = 0; i < NV; i++) {
        for (size_t j = 0; j < NE; j++) {
            uint32_t nv = vcpu_sizes[i], ne = event_sizes[j];
            point *pt = &pts[i][j];
            pt->vm = bench_vm(nv, ne, nums);
            pt->mixed = malloc(sizeof(*pt->mixed));
            if (pt->mixed == NULL) {
                fprintf(stderr, "bench_scaling: out of memory\n");
                return 2;
            }
            bench_stream_setup(pt->vm, nv, ne, nums);
            bench_stream_build(pt->mixed, pt->vm, nv, ne, nums, 0);
            bench_stream_check(pt->mixed, pt->vm);
            for (size_t k = 0; k < NK; k++) {
                filter(pt->mixed, &part, kinds[k].first, kinds[k].last);
                pt->passes[k] = calibrate(&part, pt->vm, rep_s);
            }
        }
    }
    /* Repetition-major: the repetitions of one point are spread over the whole
     * run, so that a noisy moment on a shared machine hits every size alike
     * instead of bending the curve at one size. */
    for (int r = 0; r < SCALING_REPS; r++) {
        for (size_t i = 0; i < NV; i++) {
            for (size_t j = 0; j < NE; j++) {
                point *pt = &pts[i][j];
                for (size_t k = 0; k < NK; k++) {
                    filter(pt->mixed, &part, kinds[k].first, kinds[k].last);
                    pt->reps[k][r] =
                        bench_stream_rep(&part, pt->vm, pt->passes[k]) * 1e9 / part.nr_calls;
                }
            }
        }
    }
    for (size_t i = 0; i < NV; i++) {
        for (size_t j = 0; j < NE; j++) {
            point *pt = &pts[i][j];
            bench_stream_check(pt->mixed, pt->vm);
            for (size_t k = 0; k < NK; k++) {
                ns[k][i][j] = bench_median(pt->reps[k], SCALING_REPS);
                printf("DATA bench=scaling kind=%s vcpus=%u events=%u ns=%.3f\n", kinds[k].name,
                       vcpu_sizes[i], event_sizes[j], ns[k][i][j]);
            }
            sdei_vm_free(pt->vm);
            free(pt->mixed);
        }
    }
    for (size_t k = 0; k < NK; k++) {
        char name[64], desc[160];
        snprintf(name, sizeof(name), "scaling_%s_vcpus", kinds[k].name);
        snprintf(desc, sizeof(desc), "%s calls at 512 vCPUs x 128 events; baseline: 1 vCPU",
                 kinds[k].name);
        bench_line(name, ns[k][NV - 1][NE - 1], "ns/call", ns[k][0][NE - 1], desc);
        snprintf(name, sizeof(name), "scaling_%s_events", kinds[k].name);
        snprintf(desc, sizeof(desc), "%s calls at 512 vCPUs x 128 events; baseline: 1 event",
                 kinds[k].name);
        bench_line(name, ns[k][NV - 1][NE - 1], "ns/call", ns[k][NV - 1][0], desc);
    }
    return 0;
}
