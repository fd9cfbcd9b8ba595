/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_delivery - delivery + COMPLETE round trips per second:
 *
 *   delivery_signal   SIGNAL(0, self) hypercall, sdei_vcpu_deliver, COMPLETE
 *   delivery_trigger  sdei_event_trigger (platform), sdei_vcpu_deliver, COMPLETE
 *   delivery_preempt  normal trigger + delivery, critical trigger + delivery
 *                     (preempts), COMPLETE, COMPLETE: two round trips
 *
 * The baseline, measured in the same run, goes through the same three entry
 * points doing nothing: a trigger of an exposed but unregistered event
 * (dropped), a delivery with nothing pending, a COMPLETE with no handler
 * (DENIED). Goal (docs/benchmarks.md): >= 10 M round trips/s.
 */
#include "benchlib.h"

#define ROUNDS 4096u

typedef struct ctx {
    sdei_vm *vm;
    uint32_t nv;
    uint64_t normal;                 /* a private normal event, registered and enabled */
    uint64_t critical;               /* a private critical event, registered and enabled */
    uint64_t idle;                   /* exposed, never registered */
    sdei_regs *regs[SDEI_MAX_VCPUS]; /* fetched once, as a VMM keeps them at hand */
    uint64_t mpidr[SDEI_MAX_VCPUS];
} ctx;

static void set_call(sdei_regs *r, uint64_t fid, uint64_t a1, uint64_t a2)
{
    r->x[0] = fid;
    r->x[1] = a1;
    r->x[2] = a2;
}

/* A platform trigger of an exposed event (a refusal would mean a broken setup). */
static void trig(const ctx *c, uint64_t num, uint32_t v)
{
    if (sdei_event_trigger(c->vm, num, v, NULL) != SDEI_OK) {
        fprintf(stderr, "bench_delivery: event 0x%llx is not exposed\n", (unsigned long long)num);
        exit(2);
    }
}

static void rt_signal(const ctx *c, uint32_t v)
{
    sdei_regs *r = c->regs[v];
    set_call(r, SDEI_FID_EVENT_SIGNAL, 0, c->mpidr[v]);
    (void)sdei_hypercall(c->vm, v, NULL);
    (void)sdei_vcpu_deliver(c->vm, v, NULL);
    set_call(r, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0);
    (void)sdei_hypercall(c->vm, v, NULL);
}

static void rt_trigger(const ctx *c, uint32_t v)
{
    sdei_regs *r = c->regs[v];
    trig(c, c->normal, v);
    (void)sdei_vcpu_deliver(c->vm, v, NULL);
    set_call(r, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0);
    (void)sdei_hypercall(c->vm, v, NULL);
}

static void rt_preempt(const ctx *c, uint32_t v)
{
    sdei_regs *r = c->regs[v];
    trig(c, c->normal, v);
    (void)sdei_vcpu_deliver(c->vm, v, NULL);
    trig(c, c->critical, v);
    (void)sdei_vcpu_deliver(c->vm, v, NULL);
    set_call(r, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0);
    (void)sdei_hypercall(c->vm, v, NULL);
    set_call(r, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0);
    (void)sdei_hypercall(c->vm, v, NULL);
}

static void rt_baseline(const ctx *c, uint32_t v)
{
    sdei_regs *r = c->regs[v];
    trig(c, c->idle, v);
    (void)sdei_vcpu_deliver(c->vm, v, NULL);
    set_call(r, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0);
    (void)sdei_hypercall(c->vm, v, NULL);
}

typedef void (*rt_fn)(const ctx *c, uint32_t v);

/* Seconds per round trip over `rounds` round trips spread over the vCPUs. */
static double rep(const ctx *c, rt_fn fn, uint32_t rounds)
{
    double a = bench_now();
    uint32_t v = 0;
    for (uint32_t i = 0; i < rounds; i++) {
        fn(c, v);
        v = v + 1 == c->nv ? 0 : v + 1;
    }
    return (bench_now() - a) / rounds;
}

static uint32_t calibrate(const ctx *c, rt_fn fn)
{
    double t = rep(c, fn, ROUNDS);
    return (uint32_t)(bench_rep_seconds() / t) + 1u;
}

/* Checks that one round trip of each kind really enters and leaves handlers. */
static void check(const ctx *c)
{
    for (uint32_t v = 0; v < c->nv; v++) {
        sdei_regs *r = sdei_vcpu_regs(c->vm, v);
        sdei_delivery d;
        sdei_call_info info;
        set_call(r, SDEI_FID_EVENT_SIGNAL, 0, sdei_vcpu_mpidr(c->vm, v));
        (void)sdei_hypercall(c->vm, v, &info);
        int ok = info.result == SDEI_SUCCESS;
        (void)sdei_vcpu_deliver(c->vm, v, &d);
        ok &= d.delivered && d.num == 0;
        set_call(r, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0);
        (void)sdei_hypercall(c->vm, v, &info);
        ok &= info.outcome == SDEI_CALL_COMPLETED;
        trig(c, c->normal, v);
        (void)sdei_vcpu_deliver(c->vm, v, &d);
        ok &= d.delivered && d.num == c->normal;
        trig(c, c->critical, v);
        (void)sdei_vcpu_deliver(c->vm, v, &d);
        ok &= d.delivered && d.num == c->critical && d.preempted;
        for (int k = 0; k < 2; k++) {
            set_call(r, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0);
            (void)sdei_hypercall(c->vm, v, &info);
            ok &= info.outcome == SDEI_CALL_COMPLETED;
        }
        if (!ok || sdei_vcpu_has_deliverable(c->vm, v)) {
            fprintf(stderr, "bench_delivery: round trip check failed on vCPU %u\n", v);
            exit(2);
        }
    }
    const char *bad = sdei_vm_check(c->vm);
    if (bad != NULL) {
        fprintf(stderr, "bench_delivery: sdei_vm_check: %s\n", bad);
        exit(2);
    }
}

static void run_size(uint32_t nv, uint32_t ne, const char *suffix)
{
    uint64_t nums[SDEI_MAX_EVENTS];
    static ctx c;
    memset(&c, 0, sizeof(c));
    c.vm = bench_vm(nv, ne, nums);
    c.nv = nv;
    for (uint32_t v = 0; v < nv; v++) {
        c.regs[v] = sdei_vcpu_regs(c.vm, v);
        c.mpidr[v] = sdei_vcpu_mpidr(c.vm, v);
    }
    /* bench_vm: index 1 private normal, 5 private critical, 2 private normal. */
    c.normal = nums[1];
    c.critical = nums[5];
    c.idle = nums[2];
    for (uint32_t v = 0; v < nv; v++) {
        bench_call(c.vm, v, SDEI_FID_PE_UNMASK, 0, 0, 0, 0, 0);
        const uint64_t reg[] = {0, c.normal, c.critical};
        for (size_t i = 0; i < sizeof(reg) / sizeof(reg[0]); i++) {
            int64_t a = bench_call(c.vm, v, SDEI_FID_EVENT_REGISTER, reg[i],
                                   UINT64_C(0xffff800010002000), v, SDEI_RM_ANY, 0);
            int64_t b = bench_call(c.vm, v, SDEI_FID_EVENT_ENABLE, reg[i], 0, 0, 0, 0);
            if (a != SDEI_SUCCESS || b != SDEI_SUCCESS) {
                fprintf(stderr, "bench_delivery: setup failed\n");
                exit(2);
            }
        }
    }
    check(&c);

    static const struct {
        const char *name;
        rt_fn fn;
        uint32_t trips; /* round trips per call of fn */
        const char *what;
    } kinds[] = {
        {"delivery_signal", rt_signal, 1, "SIGNAL + deliver + COMPLETE"},
        {"delivery_trigger", rt_trigger, 1, "platform trigger + deliver + COMPLETE"},
        {"delivery_preempt", rt_preempt, 2, "normal, then critical preempting it, 2x COMPLETE"},
    };
    const size_t nk = sizeof(kinds) / sizeof(kinds[0]);
    uint32_t pb = calibrate(&c, rt_baseline);
    uint32_t pk[3];
    double tb[BENCH_REPS], tk[3][BENCH_REPS];
    for (size_t k = 0; k < nk; k++) {
        pk[k] = calibrate(&c, kinds[k].fn);
    }
    for (int r = 0; r < BENCH_REPS; r++) {
        tb[r] = rep(&c, rt_baseline, pb);
        for (size_t k = 0; k < nk; k++) {
            tk[k][r] = rep(&c, kinds[k].fn, pk[k]) / kinds[k].trips;
        }
    }
    check(&c);
    double base = 1.0 / bench_median(tb, BENCH_REPS);
    for (size_t k = 0; k < nk; k++) {
        char name[64], desc[200];
        snprintf(name, sizeof(name), "%s%s", kinds[k].name, suffix);
        snprintf(desc, sizeof(desc),
                 "%s, %u vCPUs x %u events; baseline: the same entry points doing nothing",
                 kinds[k].what, nv, ne);
        bench_line(name, 1.0 / bench_median(tk[k], BENCH_REPS), "trips/s", base, desc);
    }
    sdei_vm_free(c.vm);
}

int main(void)
{
    run_size(8, 32, "");
    run_size(512, 128, "_512x128");
    return 0;
}
