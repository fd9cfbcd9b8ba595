/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_hypercall - model hypercalls per second on a Linux guest's realistic
 * mixed stream (bench/stream.h), and ns per call, against a do-nothing call
 * (VERSION) through the same entry point and the same harness, measured in
 * the same run. Goals (docs/benchmarks.md): >= 50 M calls/s, <= 20 ns/call,
 * at most 3x the do-nothing call.
 *
 * Usage: bench_hypercall            (BENCH lines on stdout)
 */
#include "stream.h"

typedef struct size_case {
    const char *suffix;
    uint32_t nv;
    uint32_t ne;
} size_case;

static void run_case(const size_case *c)
{
    uint64_t nums[SDEI_MAX_EVENTS];
    sdei_vm *vm = bench_vm(c->nv, c->ne, nums);
    bench_stream_setup(vm, c->nv, c->ne, nums);

    static bench_stream mixed;
    static bench_stream base;
    static bench_stream unknown;
    bench_stream_build(&mixed, vm, c->nv, c->ne, nums, 0);
    bench_stream_build(&base, vm, c->nv, c->ne, nums, 1);
    unknown = base;
    for (uint32_t i = 0; i < unknown.nr_ops; i++) {
        unknown.ops[i].x[0] = UINT64_C(0xC400003F); /* SDEI range, no call: NOT_SUPPORTED */
    }
    /* Twice: the second pass starts from the state the first one leaves. */
    bench_stream_check(&mixed, vm);
    bench_stream_check(&mixed, vm);

    uint32_t pm = bench_stream_calibrate(&mixed, vm);
    uint32_t pb = bench_stream_calibrate(&base, vm);
    uint32_t pu = bench_stream_calibrate(&unknown, vm);
    double tm[BENCH_REPS], tb[BENCH_REPS], tu[BENCH_REPS];
    /* Interleaved, so that a frequency change hits both sides alike. */
    for (int k = 0; k < BENCH_REPS; k++) {
        tm[k] = bench_stream_rep(&mixed, vm, pm);
        tb[k] = bench_stream_rep(&base, vm, pb);
        tu[k] = bench_stream_rep(&unknown, vm, pu);
    }
    bench_stream_check(&mixed, vm);
    double ns_mixed = bench_median(tm, BENCH_REPS) * 1e9 / mixed.nr_calls;
    double ns_base = bench_median(tb, BENCH_REPS) * 1e9 / base.nr_calls;
    double ns_unknown = bench_median(tu, BENCH_REPS) * 1e9 / unknown.nr_calls;

    char name[64], desc[160];
    snprintf(name, sizeof(name), "hypercall_mixed%s", c->suffix);
    snprintf(desc, sizeof(desc),
             "mixed Linux-guest stream, %u vCPUs x %u events (delivery time included); "
             "baseline VERSION",
             c->nv, c->ne);
    bench_line(name, 1e9 / ns_mixed, "calls/s", 1e9 / ns_base, desc);
    snprintf(name, sizeof(name), "hypercall_mixed_ns%s", c->suffix);
    bench_line(name, ns_mixed, "ns/call", ns_base, desc);
    if (c->suffix[0] == '\0') {
        bench_line("hypercall_unknown_fid_ns", ns_unknown, "ns/call", ns_base,
                   "unknown function ID in the SDEI range (NOT_SUPPORTED); baseline VERSION");
    }
    sdei_vm_free(vm);
}

int main(void)
{
    static const size_case cases[] = {
        {"", 8, 32},
        {"_512x128", 512, 128},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_case(&cases[i]);
    }
    return 0;
}
