/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_kernel - the model and a kernel tree's sdei.c side by side, in one
 * run (built only with -DSDEI_KERNEL_TREE; docs/benchmarks.md "The model
 * against the kernel code"):
 *
 *   kernel_<v>_mixed_*   the Linux-client mixed stream (bench/stream.h), 8 vCPUs
 *                        x 32 events, ns per call (the delivery counted in)
 *   kernel_<v>_signal_*  SIGNAL(0, self) + guest entry + COMPLETE round trips,
 *                        ns per round trip
 *   kernel_<v>_lockstep  simulator steps/s with the kernel code as the peer
 *
 * Each stream runs, interleaved repetition by repetition: on the model with
 * the tree's profile (kvm-v5 for v5; sdei_hypercall, sdei_vcpu_deliver: the
 * `model` figure, baseline VERSION);
 * on the kernel code with trivial stand-ins (kstub_set_cheap: flag-only
 * spinlocks, calloc/free, no watchdog or fault recovery; the `kernel` figure,
 * the vCPU's registers kept in the vCPU as in KVM, only a call's x0..x5
 * written; the `kernel` figure, baseline = the model, ratio = kernel / model,
 * goal >= 2); and on the kernel code through the harness the tests and the
 * fuzzer use (checked locks, the watchdog's setjmp, allocation accounting,
 * the whole register file copied in and out per call: the `harness`
 * figure). Both kernel paths enter as KVM does (kglue.h: the hypercall
 * router, KVM_REQ_SDEI before entry). Release build: no sanitizers.
 * Figures, never pass/fail.
 */
#include "stream.h"

#include "sim.h"

#include "impl_kernel.h"
#include "kglue.h"
#include "kstub_run.h"

#define NV 8u
#define NE 32u

typedef struct side {
    sdei_vm *vm; /* the model, or NULL */
    kg_vm *kvm;  /* the kernel code, or NULL */
    int cheap;
} side;

/* The kernel vCPUs' register files, fetched once as bench_stream_push does for
 * the model's (op->regs): both sides' hot loops then do the same work. */
static kg_regs *kregs[NV];

static int64_t kcall(kg_vm *kvm, uint32_t v, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
    kg_regs *r = kg_regs_of(kvm, v);
    if (r == NULL) {
        fprintf(stderr, "bench_kernel: no vCPU %u\n", v);
        exit(2);
    }
    memset(r->x, 0, 6 * sizeof(r->x[0]));
    r->x[0] = x0;
    r->x[1] = x1;
    r->x[2] = x2;
    r->x[3] = x3;
    if (kg_hvc(kvm, v) != 0) {
        fprintf(stderr, "bench_kernel: a finding in the kernel code during setup\n");
        exit(2);
    }
    return (int64_t)r->x[0];
}

static sdei_event_desc event_at(sdei_vm *model, uint32_t i)
{
    sdei_event_desc d;
    if (sdei_vm_event_at(model, i, &d) != SDEI_OK) {
        bench_die("sdei_vm_event_at", SDEI_E_RANGE);
    }
    return d;
}

/* The kernel VM in the stream's steady state, with bench_vm()'s events. */
static kg_vm *kernel_vm(sdei_vm *model, const uint64_t *nums)
{
    kg_vm *kvm = NULL;
    if (kg_create(NV, &kvm) != 0) {
        fprintf(stderr, "bench_kernel: kg_create failed\n");
        exit(2);
    }
    for (uint32_t i = 0; i < NE; i++) {
        sdei_event_desc d = event_at(model, i);
        int32_t ret = 0;
        kg_event ev = {d.num, d.type, d.priority, (uint8_t)(d.num == 0)};
        if (kg_expose(kvm, &ev, &ret) != 0 || ret != 0) {
            fprintf(stderr, "bench_kernel: exposing 0x%llx: %d\n", (unsigned long long)d.num, ret);
            exit(2);
        }
    }
    for (uint32_t v = 0; v < NV; v++) {
        (void)kcall(kvm, v, SDEI_FID_PE_UNMASK, 0, 0, 0);
        kregs[v] = kg_regs_of(kvm, v);
    }
    for (uint32_t i = 0; i < NE; i++) {
        sdei_event_desc d = event_at(model, i);
        uint32_t n = d.type == SDEI_EVENT_TYPE_SHARED ? 1u : NV;
        for (uint32_t v = 0; v < n; v++) {
            int64_t a = kcall(kvm, v, SDEI_FID_EVENT_REGISTER, nums[i], BENCH_EP, BENCH_ARG);
            int64_t b = kcall(kvm, v, SDEI_FID_EVENT_ENABLE, nums[i], 0, 0);
            if (a != SDEI_SUCCESS || b != SDEI_SUCCESS) {
                fprintf(stderr, "bench_kernel: kernel setup of 0x%llx on vCPU %u: %lld %lld\n",
                        (unsigned long long)nums[i], v, (long long)a, (long long)b);
                exit(2);
            }
        }
    }
    return kvm;
}

/* One pass on the kernel code: the same hot loop as bench_stream_run. */
static void kernel_run(const bench_stream *s, kg_vm *kvm)
{
    for (uint32_t i = 0; i < s->nr_ops; i++) {
        const bench_op *op = &s->ops[i];
        if (op->kind == BENCH_OP_CALL) {
            memcpy(kregs[op->vcpu]->x, op->x, sizeof(op->x));
            (void)kg_hvc(kvm, op->vcpu);
        } else {
            (void)kg_enter(kvm, op->vcpu);
        }
    }
}

/* One checked pass on the kernel code: calls succeed, entries enter event
 * 0's handler, COMPLETEs (which write no result) leave no handler running. */
static void kernel_check(const bench_stream *s, kg_vm *kvm)
{
    for (uint32_t i = 0; i < s->nr_ops; i++) {
        const bench_op *op = &s->ops[i];
        kg_view view;
        int ok;
        if (op->kind == BENCH_OP_DELIVER) {
            ok = kg_enter(kvm, op->vcpu) == 0 && kg_view_of(kvm, op->vcpu, &view) == 0 &&
                 view.normal_running && view.normal_num == 0;
        } else {
            kg_regs *r = kg_regs_of(kvm, op->vcpu);
            memcpy(r->x, op->x, sizeof(op->x));
            ok = kg_hvc(kvm, op->vcpu) == 0;
            if (op->x[0] == SDEI_FID_EVENT_COMPLETE) {
                ok &= kg_view_of(kvm, op->vcpu, &view) == 0 && !view.normal_running;
            } else {
                ok &= (int64_t)r->x[0] >= 0;
            }
        }
        if (!ok) {
            fprintf(stderr, "bench_kernel: kernel op %u (fid 0x%llx) on vCPU %u failed: x0 %lld\n",
                    i, (unsigned long long)op->x[0], op->vcpu,
                    (long long)kg_regs_of(kvm, op->vcpu)->x[0]);
            exit(2);
        }
    }
}

/* Seconds per pass, over `passes` passes, on one side. */
static double rep(const bench_stream *s, const side *sd, uint32_t passes)
{
    kstub_set_cheap(sd->cheap);
    double a = bench_now();
    for (uint32_t p = 0; p < passes; p++) {
        if (sd->vm != NULL) {
            bench_stream_run(s, sd->vm);
        } else {
            kernel_run(s, sd->kvm);
        }
    }
    double t = (bench_now() - a) / passes;
    kstub_set_cheap(0);
    return t;
}

static uint32_t calibrate(const bench_stream *s, const side *sd)
{
    uint32_t passes = 1;
    double t;
    while ((t = rep(s, sd, passes)) * passes < bench_rep_seconds() / 8) {
        passes *= 2;
    }
    return (uint32_t)(bench_rep_seconds() / t) + 1u;
}

/* The round-trip stream: SIGNAL(0, self), entry, COMPLETE on each vCPU. */
static void signal_stream(bench_stream *s, sdei_vm *vm, int baseline)
{
    memset(s, 0, sizeof(*s));
    for (uint32_t round = 0; round < 64; round++) {
        uint32_t v = round % NV;
        uint64_t vers = SDEI_FID_VERSION;
        bench_stream_push(s, vm, 0, v, baseline ? vers : SDEI_FID_EVENT_SIGNAL, 0,
                          baseline ? 0 : sdei_vcpu_mpidr(vm, v), 0, 0, 0);
        bench_stream_push(s, vm, baseline ? BENCH_OP_CALL : BENCH_OP_DELIVER, v,
                          baseline ? vers : 0, 0, 0, 0, 0, 0);
        bench_stream_push(s, vm, 0, v, baseline ? vers : SDEI_FID_EVENT_COMPLETE,
                          baseline ? 0 : SDEI_EV_HANDLED, 0, 0, 0, 0);
    }
}

static void figure(const char *name, double v, const char *unit, double base, const char *goal,
                   const char *desc)
{
    printf("BENCH name=%s value=%.6g unit=%s baseline=%.6g ratio=%.4g%s%s%s desc=\"%s\"\n", name, v,
           unit, base, base != 0.0 ? v / base : 0.0, goal ? " ratio_goal=\"" : "", goal ? goal : "",
           goal ? "\"" : "", desc);
    fflush(stdout);
}

/* model / cheap kernel / harness kernel / VERSION baseline on the model. */
static void compare(const char *what, const bench_stream *s, const bench_stream *base, sdei_vm *vm,
                    kg_vm *kvm, uint32_t per_unit, const char *unit)
{
    const side model = {vm, NULL, 0}, cheap = {NULL, kvm, 1}, full = {NULL, kvm, 0};
    const side *sides[3] = {&model, &cheap, &full};
    uint32_t passes[4];
    double t[4][BENCH_REPS];
    for (int k = 0; k < 3; k++) {
        passes[k] = calibrate(s, sides[k]);
    }
    passes[3] = calibrate(base, &model);
    for (int r = 0; r < BENCH_REPS; r++) {
        for (int k = 0; k < 3; k++) {
            t[k][r] = rep(s, sides[k], passes[k]);
        }
        t[3][r] = rep(base, &model, passes[3]);
    }
    double ns[4];
    for (int k = 0; k < 4; k++) {
        ns[k] = bench_median(t[k], BENCH_REPS) * 1e9 / per_unit;
    }
    char name[96], desc[240];
    const char *v = kg_version;
    snprintf(name, sizeof(name), "kernel_%s_%s_model_ns", v, what);
    snprintf(desc, sizeof(desc),
             "%s on the model (profile kvm-%s), %u vCPUs x %u events; "
             "baseline VERSION in every slot",
             what, v, NV, NE);
    figure(name, ns[0], unit, ns[3], NULL, desc);
    snprintf(name, sizeof(name), "kernel_%s_%s_ns", v, what);
    snprintf(desc, sizeof(desc),
             "%s on the %s code with trivial stand-ins; baseline the model "
             "(ratio = how much faster the model is; goal >= 2)",
             what, v);
    figure(name, ns[1], unit, ns[0], ">=2", desc);
    snprintf(name, sizeof(name), "kernel_%s_%s_harness_ns", v, what);
    snprintf(desc, sizeof(desc),
             "%s on the %s code through the test/fuzz harness (checked "
             "locks, watchdog setjmp); baseline the model",
             what, v);
    figure(name, ns[2], unit, ns[0], NULL, desc);
}

/* One run of the simulator (peer = the kernel code, or none) from a seed;
 * the steps it made and its seconds. A run with a peer stops at the kernel's
 * first fatal finding: without ASan, K5-1's read of freed memory soon calls
 * a "notifier" from reused memory (an oops). */
static uint64_t sim_steps(uint64_t seed, uint64_t steps, const sim_impl_ops *peer, FILE *quiet,
                          double *seconds)
{
    sim_options o;
    sim_summary sum;
    sim_options_default(&o);
    o.seed = seed;
    o.vcpus = NV;
    o.steps = steps;
    o.profile = SDEI_PROFILE_KVM_V5;
    o.peer = peer;
    o.peer_compare = 0; /* results not compared: the same cost, past divergences */
    int rc = sim_run(&o, &sum, quiet);
    if (rc != 0 && peer == NULL) {
        fprintf(stderr, "bench_kernel: the simulator alone failed (seed %llu)\n",
                (unsigned long long)seed);
        exit(2);
    }
    *seconds += sum.seconds;
    return sum.steps;
}

/* Lockstep steps/s: the simulator with the kernel code as its peer (harness
 * on) over successive seeds until `target` steps, against the simulator
 * alone over the same seeds and step counts. */
static void lockstep(void)
{
    uint64_t target = bench_quick() ? 20000 : 400000;
    int reps = bench_quick() ? 1 : 3;
    double r[2][3];
    FILE *quiet = fopen("/dev/null", "w");
    if (quiet == NULL) {
        quiet = stderr;
    }
    sim_kernel_findings_policy(1, quiet);
    for (int i = 0; i < reps; i++) {
        double tp = 0, ta = 0;
        uint64_t done = 0, runs = 0;
        for (uint64_t seed = UINT64_C(0x5eed) + 1000u * (uint64_t)i; done < target; seed++) {
            uint64_t n = sim_steps(seed, target - done, &sim_impl_kernel, quiet, &tp);
            (void)sim_steps(seed, n, NULL, quiet, &ta);
            done += n;
            runs++;
        }
        r[0][i] = (double)done / tp;
        r[1][i] = (double)done / ta;
        if (i == 0) {
            fprintf(stderr, "bench_kernel: lockstep: %llu steps in %llu runs\n",
                    (unsigned long long)done, (unsigned long long)runs);
        }
    }
    if (quiet != stderr) {
        fclose(quiet);
    }
    char name[64], desc[240];
    snprintf(name, sizeof(name), "kernel_%s_lockstep", kg_version);
    snprintf(desc, sizeof(desc),
             "simulator steps/s, %u vCPUs, kvm-v5, with the %s code as its "
             "peer (harness on; runs until the kernel's first oops, next seed); baseline the "
             "simulator alone",
             NV, kg_version);
    figure(name, bench_median(r[0], reps), "steps/s", bench_median(r[1], reps), NULL, desc);
}

/* The model's profile of the tree's version (kvm-v5 for v5): both sides then
 * follow the same rules, e.g. v5's counted signals and KVM_REQ_SDEI. */
static sdei_profile model_profile(void)
{
    char name[32];
    snprintf(name, sizeof(name), "kvm-%s", kg_version);
    int p = sdei_profile_by_name(name);
    if (p < 0) {
        fprintf(stderr, "bench_kernel: no model profile %s\n", name);
        exit(2);
    }
    return (sdei_profile)p;
}

int main(void)
{
    uint64_t nums[SDEI_MAX_EVENTS];
    kstub_init(); /* the harness's signal handlers and watchdog, as the kernel target has them */
    sdei_vm *vm = bench_vm_profile(NV, NE, nums, model_profile());
    bench_stream_setup(vm, NV, NE, nums);
    kg_vm *kvm = kernel_vm(vm, nums);
    static bench_stream mixed, base, sig, sigbase;
    bench_stream_build(&mixed, vm, NV, NE, nums, 0);
    bench_stream_build(&base, vm, NV, NE, nums, 1);
    signal_stream(&sig, vm, 0);
    signal_stream(&sigbase, vm, 1);
    bench_stream_check(&mixed, vm);
    bench_stream_check(&sig, vm);
    kernel_check(&mixed, kvm);
    kernel_check(&sig, kvm);
    compare("mixed", &mixed, &base, vm, kvm, mixed.nr_calls, "ns/call");
    compare("signal", &sig, &sigbase, vm, kvm, sig.nr_ops / 3u, "ns/trip");
    bench_stream_check(&mixed, vm);
    kernel_check(&mixed, kvm);
    sdei_vm_free(vm);
    (void)kg_destroy(kvm);
    lockstep();
    return 0;
}
