/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stream.h - the realistic mixed hypercall stream of a Linux guest
 * (drivers/firmware/arm_sdei.c), shared by bench_hypercall and bench_scaling.
 *
 * Steady state: every exposed event registered and enabled (private ones on
 * every vCPU), every vCPU unmasked, no handler running. One round, on one
 * vCPU and one event e, is what the driver does over time:
 *
 *   STATUS(e) GET_INFO(e,TYPE) GET_INFO(e,PRIORITY)     probing
 *   DISABLE(e) ENABLE(e)                                 sdei_event_disable/enable
 *   UNREGISTER(e) REGISTER(e) ENABLE(e)                  re-registration
 *   PE_MASK PE_UNMASK                                    CPU hotplug / kdump paths
 *   SIGNAL(0, self) <deliver> CONTEXT(0) CONTEXT(1)      software-signalled event,
 *   COMPLETE                                             handler reads its context
 *
 * 14 hypercalls and one delivery; the round leaves the steady state intact,
 * so the stream can be replayed any number of times. The baseline replays
 * the same shape with VERSION in every slot (a do-nothing call through the
 * same entry point and the same harness).
 */
#ifndef SDEI_BENCH_STREAM_H
#define SDEI_BENCH_STREAM_H

#include "benchlib.h"

enum { BENCH_OP_CALL = 0, BENCH_OP_DELIVER = 1 };

typedef struct bench_op {
    uint32_t kind;
    uint32_t vcpu;
    sdei_regs *regs; /* the vCPU's register file, fetched once as a VMM keeps it at hand */
    uint64_t x[6];
} bench_op;

#define BENCH_STREAM_ROUNDS 64u
#define BENCH_ROUND_OPS 15u

typedef struct bench_stream {
    bench_op ops[BENCH_STREAM_ROUNDS * BENCH_ROUND_OPS];
    uint32_t nr_ops;
    uint32_t nr_calls;
} bench_stream;

#define BENCH_EP UINT64_C(0xffff800010001000)
#define BENCH_ARG UINT64_C(0xffff000012345678)

static inline void bench_stream_push(bench_stream *s, sdei_vm *vm, uint32_t kind, uint32_t v,
                                     uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
                                     uint64_t x4, uint64_t x5)
{
    bench_op *op = &s->ops[s->nr_ops++];
    op->kind = kind;
    op->vcpu = v;
    op->regs = sdei_vcpu_regs(vm, v);
    op->x[0] = x0;
    op->x[1] = x1;
    op->x[2] = x2;
    op->x[3] = x3;
    op->x[4] = x4;
    op->x[5] = x5;
    s->nr_calls += kind == BENCH_OP_CALL;
}

/* Brings a fresh bench_vm() into the steady state. */
static inline void bench_stream_setup(sdei_vm *vm, uint32_t nv, uint32_t ne, const uint64_t *nums)
{
    for (uint32_t v = 0; v < nv; v++) {
        bench_call(vm, v, SDEI_FID_PE_UNMASK, 0, 0, 0, 0, 0);
    }
    for (uint32_t i = 0; i < ne; i++) {
        sdei_event_desc d;
        sdei_err err = sdei_vm_event_at(vm, i, &d);
        if (err != SDEI_OK) {
            bench_die("sdei_vm_event_at", err);
        }
        uint32_t n = d.type == SDEI_EVENT_TYPE_SHARED ? 1u : nv;
        for (uint32_t v = 0; v < n; v++) {
            int64_t a = bench_call(vm, v, SDEI_FID_EVENT_REGISTER, nums[i], BENCH_EP, BENCH_ARG,
                                   SDEI_RM_ANY, 0);
            int64_t b = bench_call(vm, v, SDEI_FID_EVENT_ENABLE, nums[i], 0, 0, 0, 0);
            if (a != SDEI_SUCCESS || b != SDEI_SUCCESS) {
                fprintf(stderr, "bench: setup of event 0x%llx on vCPU %u: %lld %lld\n",
                        (unsigned long long)nums[i], v, (long long)a, (long long)b);
                exit(2);
            }
        }
    }
}

/* The mixed stream over nv vCPUs and ne events; `baseline` puts VERSION in
 * every slot instead. */
static inline void bench_stream_build(bench_stream *s, sdei_vm *vm, uint32_t nv, uint32_t ne,
                                      const uint64_t *nums, int baseline)
{
    memset(s, 0, sizeof(*s));
    for (uint32_t round = 0; round < BENCH_STREAM_ROUNDS; round++) {
        uint32_t v = (round * 37u) % nv;
        uint64_t e = ne > 1 ? nums[1 + (round * 5u) % (ne - 1)] : nums[0];
        uint64_t self = sdei_vcpu_mpidr(vm, v);
        uint32_t start = s->nr_ops;
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_STATUS, e, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_GET_INFO, e, SDEI_INFO_EV_TYPE, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_GET_INFO, e, SDEI_INFO_EV_PRIORITY, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_DISABLE, e, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_ENABLE, e, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_UNREGISTER, e, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_REGISTER, e, BENCH_EP, BENCH_ARG, SDEI_RM_ANY,
                          0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_ENABLE, e, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_PE_MASK, 0, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_PE_UNMASK, 0, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_SIGNAL, 0, self, 0, 0, 0);
        bench_stream_push(s, vm, BENCH_OP_DELIVER, v, 0, 0, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_CONTEXT, 0, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_CONTEXT, 1, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0, 0, 0, 0);
        if (baseline) {
            for (uint32_t i = start; i < s->nr_ops; i++) {
                if (s->ops[i].kind == BENCH_OP_DELIVER) {
                    s->ops[i].kind = BENCH_OP_CALL;
                    s->nr_calls++;
                }
                memset(s->ops[i].x, 0, sizeof(s->ops[i].x));
                s->ops[i].x[0] = SDEI_FID_VERSION;
            }
        }
    }
}

/* One pass over the stream. The hot loop: set x0..x5, call. */
static inline void bench_stream_run(const bench_stream *s, sdei_vm *vm)
{
    for (uint32_t i = 0; i < s->nr_ops; i++) {
        const bench_op *op = &s->ops[i];
        if (op->kind == BENCH_OP_CALL) {
            memcpy(op->regs->x, op->x, sizeof(op->x));
            (void)sdei_hypercall(vm, op->vcpu, NULL);
        } else {
            (void)sdei_vcpu_deliver(vm, op->vcpu, NULL);
        }
    }
}

/* One checked pass: every call must take its success path (no error code in
 * x0), every delivery must enter event 0's handler, every COMPLETE must
 * complete. Exits on the first surprise: a benchmark of an error path would
 * measure the wrong thing. */
static inline void bench_stream_check(const bench_stream *s, sdei_vm *vm)
{
    for (uint32_t i = 0; i < s->nr_ops; i++) {
        const bench_op *op = &s->ops[i];
        sdei_regs *r = sdei_vcpu_regs(vm, op->vcpu);
        if (op->kind == BENCH_OP_DELIVER) {
            sdei_delivery d;
            sdei_err err = sdei_vcpu_deliver(vm, op->vcpu, &d);
            if (err != SDEI_OK || !d.delivered || d.num != 0) {
                fprintf(stderr, "bench: op %u: delivery on vCPU %u failed\n", i, op->vcpu);
                exit(2);
            }
            continue;
        }
        memcpy(r->x, op->x, sizeof(op->x));
        sdei_call_info info;
        sdei_err err = sdei_hypercall(vm, op->vcpu, &info);
        int ok = err == SDEI_OK && (info.outcome == SDEI_CALL_COMPLETED ||
                                    (info.outcome == SDEI_CALL_RETURNED && info.result >= 0));
        if (!ok) {
            fprintf(stderr,
                    "bench: op %u (fid 0x%llx x1=0x%llx) on vCPU %u: outcome %d result %lld\n", i,
                    (unsigned long long)op->x[0], (unsigned long long)op->x[1], op->vcpu,
                    (int)info.outcome, (long long)info.result);
            exit(2);
        }
    }
    const char *bad = sdei_vm_check(vm);
    if (bad != NULL) {
        fprintf(stderr, "bench: sdei_vm_check after the stream: %s\n", bad);
        exit(2);
    }
}

/* Passes that make one repetition last about bench_rep_seconds(). */
static inline uint32_t bench_stream_calibrate(const bench_stream *s, sdei_vm *vm)
{
    double t0 = bench_now();
    uint32_t passes = 0;
    do {
        bench_stream_run(s, vm);
        passes++;
    } while (bench_now() - t0 < bench_rep_seconds() / 4);
    double per = (bench_now() - t0) / passes;
    return (uint32_t)(bench_rep_seconds() / per) + 1u;
}

/* Seconds per pass over one repetition of `passes` passes. */
static inline double bench_stream_rep(const bench_stream *s, sdei_vm *vm, uint32_t passes)
{
    double a = bench_now();
    for (uint32_t p = 0; p < passes; p++) {
        bench_stream_run(s, vm);
    }
    return (bench_now() - a) / passes;
}

/* Seconds per pass: the median of BENCH_REPS repetitions. */
static inline double bench_stream_time(const bench_stream *s, sdei_vm *vm)
{
    uint32_t passes = bench_stream_calibrate(s, vm);
    double reps[BENCH_REPS];
    for (int k = 0; k < BENCH_REPS; k++) {
        reps[k] = bench_stream_rep(s, vm, passes);
    }
    return bench_median(reps, BENCH_REPS);
}

#endif /* SDEI_BENCH_STREAM_H */
