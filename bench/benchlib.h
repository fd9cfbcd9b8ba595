/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * benchlib.h - what every bench/bench_*.c shares: a monotonic clock, the
 * median of repetitions, and the machine-readable BENCH line that
 * scripts/bench collects (docs/benchmarks.md):
 *
 *   BENCH name=<id> value=<v> unit=<u> baseline=<b> ratio=<value/baseline> desc="..."
 *
 * Header-only (static functions) so that the CMake glob on bench_*.c stays
 * one program per file. Benchmarks print figures; they never fail on time.
 */
#ifndef SDEI_BENCHLIB_H
#define SDEI_BENCHLIB_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sdei/sdei_model.h"

/* Repetitions of every measurement; the median is reported. */
#ifndef BENCH_REPS
#define BENCH_REPS 7
#endif

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(v[0]), bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Quick mode (BENCH_QUICK=1 in the environment): shorter runs, for smoke
 * tests of the programs themselves; figures are then noisier. */
static inline int bench_quick(void)
{
    const char *q = getenv("BENCH_QUICK");
    return q != NULL && q[0] != '\0' && q[0] != '0';
}

/* Target duration of one repetition, in seconds. */
static inline double bench_rep_seconds(void)
{
    return bench_quick() ? 0.01 : 0.08;
}

static inline void bench_line(const char *name, double value, const char *unit, double baseline,
                              const char *desc)
{
    double ratio = baseline != 0.0 ? value / baseline : 0.0;
    printf("BENCH name=%s value=%.6g unit=%s baseline=%.6g ratio=%.4g desc=\"%s\"\n", name, value,
           unit, baseline, ratio, desc);
    fflush(stdout);
}

static inline void bench_die(const char *what, int err)
{
    fprintf(stderr, "bench: %s failed: %d (%s)\n", what, err, sdei_strerror(err));
    exit(2);
}

/* A VM of nv vCPUs and ne exposed events (event 0 plus ne - 1 others, about a
 * quarter shared and one in eight critical), no bind slots, unmasked. */
static inline sdei_vm *bench_vm_profile(uint32_t nv, uint32_t ne, uint64_t *nums,
                                        sdei_profile profile)
{
    sdei_config cfg = sdei_config_default(nv);
    cfg.profile = profile;
    cfg.max_events = ne;
    cfg.private_bind_slots = 0;
    cfg.shared_bind_slots = 0;
    sdei_vm *vm = NULL;
    sdei_err err = sdei_vm_new(&cfg, &vm);
    if (err != SDEI_OK) {
        bench_die("sdei_vm_new", err);
    }
    for (uint32_t i = 0; i < ne; i++) {
        sdei_event_desc d;
        memset(&d, 0, sizeof(d));
        d.num = i == 0 ? 0 : (UINT64_C(0x00400000) | i);
        d.type = i != 0 && i % 4 == 3 ? SDEI_EVENT_TYPE_SHARED : SDEI_EVENT_TYPE_PRIVATE;
        d.priority =
            i != 0 && i % 8 == 5 ? SDEI_EVENT_PRIORITY_CRITICAL : SDEI_EVENT_PRIORITY_NORMAL;
        err = sdei_vm_expose_event(vm, &d);
        if (err != SDEI_OK) {
            bench_die("sdei_vm_expose_event", err);
        }
        nums[i] = d.num;
    }
    return vm;
}

static inline sdei_vm *bench_vm(uint32_t nv, uint32_t ne, uint64_t *nums)
{
    return bench_vm_profile(nv, ne, nums, SDEI_PROFILE_SPEC);
}

/* One hypercall with x0..x5 set; returns x0 afterwards. */
static inline int64_t bench_call(sdei_vm *vm, uint32_t v, uint64_t fid, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4, uint64_t a5)
{
    sdei_regs *r = sdei_vcpu_regs(vm, v);
    r->x[0] = fid;
    r->x[1] = a1;
    r->x[2] = a2;
    r->x[3] = a3;
    r->x[4] = a4;
    r->x[5] = a5;
    sdei_err err = sdei_hypercall(vm, v, NULL);
    if (err != SDEI_OK) {
        bench_die("sdei_hypercall", err);
    }
    return (int64_t)r->x[0];
}

#endif /* SDEI_BENCHLIB_H */
