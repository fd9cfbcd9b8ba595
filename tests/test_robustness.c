/*
 * test_robustness.c - any argument register value, any function ID, any call
 * in any state gets an SDEI result code: never a crash, an assert or
 * undefined behaviour (the suite runs under ASan/UBSan), and the model's
 * invariants hold after every step. Deterministic: fixed seeds, in-test PRNG.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"

#define NR_VCPUS 3u
#define FID_SWEEP_FIRST UINT64_C(0xC4000000)
#define FID_SWEEP_LAST UINT64_C(0xC400007F)

/* splitmix64: one state word, good enough to drive a fuzz loop. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return rng_next(s) % n;
}

static const uint64_t event_pool[] = {
    T_EV0,
    T_EVP,
    T_EVC,
    T_EVS,
    T_EVSC,
    SDEI_BIND_PRIVATE_BASE,
    SDEI_BIND_PRIVATE_BASE + 1,
    SDEI_BIND_SHARED_BASE,
    SDEI_BIND_SHARED_BASE + 1,
    T_EV_UNEXPOSED,
};
#define NR_EVENT_POOL (sizeof(event_pool) / sizeof(event_pool[0]))

/* An argument value: mostly meaningful ones, sometimes anything. */
static uint64_t rng_arg(uint64_t *s)
{
    switch (rng_below(s, 12)) {
    case 0:
    case 1:
    case 2:
        return event_pool[rng_below(s, NR_EVENT_POOL)];
    case 3:
        return rng_below(s, 4); /* flags, modes, selectors, statuses */
    case 4:
        return sdei_default_mpidr((uint32_t)rng_below(s, NR_VCPUS + 1));
    case 5:
        return rng_below(s, 1100); /* interrupt numbers, CONTEXT params */
    case 6:
        return event_pool[rng_below(s, NR_EVENT_POOL)] | (UINT64_C(1) << (31 + rng_below(s, 33)));
    case 7:
        return 0;
    case 8:
        return UINT64_MAX - rng_below(s, 3);
    case 9:
        return UINT64_C(0x10000) + rng_below(s, 0x1000); /* entry points */
    default:
        return rng_next(s);
    }
}

static int is_error_code(int64_t x)
{
    return x == SDEI_NOT_SUPPORTED || x == SDEI_INVALID_PARAMETERS || x == SDEI_DENIED ||
           x == SDEI_PENDING || x == SDEI_OUT_OF_RESOURCE;
}

/* A call, weighted like a guest program: mostly the calls that move events
 * through their states, rarely the resets that undo everything. */
static sdei_call_id weighted_call(uint64_t *s)
{
    static const uint8_t weights[SDEI_CALL_COUNT] = {
        [SDEI_CALL_VERSION] = 1,
        [SDEI_CALL_EVENT_REGISTER] = 10,
        [SDEI_CALL_EVENT_ENABLE] = 10,
        [SDEI_CALL_EVENT_DISABLE] = 3,
        [SDEI_CALL_EVENT_CONTEXT] = 3,
        [SDEI_CALL_EVENT_COMPLETE] = 6,
        [SDEI_CALL_EVENT_COMPLETE_AND_RESUME] = 4,
        [SDEI_CALL_EVENT_UNREGISTER] = 3,
        [SDEI_CALL_EVENT_STATUS] = 3,
        [SDEI_CALL_EVENT_GET_INFO] = 3,
        [SDEI_CALL_EVENT_ROUTING_SET] = 3,
        [SDEI_CALL_PE_MASK] = 2,
        [SDEI_CALL_PE_UNMASK] = 8,
        [SDEI_CALL_INTERRUPT_BIND] = 3,
        [SDEI_CALL_INTERRUPT_RELEASE] = 1,
        [SDEI_CALL_EVENT_SIGNAL] = 5,
        [SDEI_CALL_FEATURES] = 1,
        [SDEI_CALL_PRIVATE_RESET] = 1,
        [SDEI_CALL_SHARED_RESET] = 1,
    };
    uint32_t total = 0;
    for (uint32_t i = 0; i < SDEI_CALL_COUNT; i++) {
        total += weights[i];
    }
    uint32_t pick = (uint32_t)rng_below(s, total);
    for (uint32_t i = 0; i < SDEI_CALL_COUNT; i++) {
        if (pick < weights[i]) {
            return (sdei_call_id)i;
        }
        pick -= weights[i];
    }
    return SDEI_CALL_VERSION;
}

/* Arguments a well-behaved guest would pass, whatever the call. */
static void well_formed_args(uint64_t *s, uint64_t x[6])
{
    uint32_t call = (uint32_t)x[0] - (uint32_t)SDEI_FID_BASE;
    x[1] = event_pool[rng_below(s, NR_EVENT_POOL - 1)];
    x[2] = UINT64_C(0x10000) + 0x100 * rng_below(s, 16); /* entry point */
    x[3] = rng_next(s);                                  /* argument */
    x[4] = rng_below(s, 2);                              /* RM_ANY / RM_PE */
    x[5] = sdei_default_mpidr((uint32_t)rng_below(s, NR_VCPUS));
    switch (call) {
    case SDEI_CALL_EVENT_CONTEXT:
        x[1] = rng_below(s, 19);
        break;
    case SDEI_CALL_EVENT_COMPLETE:
        x[1] = rng_below(s, 2);
        break;
    case SDEI_CALL_EVENT_GET_INFO:
        x[2] = rng_below(s, 6);
        break;
    case SDEI_CALL_EVENT_ROUTING_SET:
        x[2] = rng_below(s, 2);
        x[3] = x[5];
        break;
    case SDEI_CALL_INTERRUPT_BIND:
        x[1] = rng_below(s, 2) ? 16 + rng_below(s, 4) : 32 + rng_below(s, 4);
        break;
    case SDEI_CALL_EVENT_SIGNAL:
        x[1] = 0;
        x[2] = x[5];
        break;
    default:
        break;
    }
}

typedef struct fuzz_ctx {
    sdei_vm *vm;
    uint64_t quirks;
    const char *label;
    uint64_t step;
    uint64_t seed;
    /* reach counters (STYLE habit 14): the loop must get where it matters */
    uint64_t completed, delivered, preempted, pending, up_seen;
} fuzz_ctx;

#define QON(c, id) (((c)->quirks & SDEI_QUIRK_BIT(id)) != 0)
/* Plain checks in the hot loop: Check records every ck_assert it runs (a file
 * write each), which would make 200k steps take a minute. */
#define FAIL_IF(cond, ...)                                                                         \
    do {                                                                                           \
        if (cond) {                                                                                \
            ck_abort_msg(__VA_ARGS__);                                                             \
        }                                                                                          \
    } while (0)
#define FAIL_IF_NOT(cond, ...) FAIL_IF(!(cond), __VA_ARGS__)
#define REQUIRE(cond) FAIL_IF(!(cond), "%s:%d: %s", __FILE__, __LINE__, #cond)

/* The call id a function ID names under this VM's quirks, or SDEI_CALL_ID_NONE. */
static uint32_t expected_call(const fuzz_ctx *c, uint64_t x0)
{
    uint32_t fid = (uint32_t)x0;
    if (QON(c, FEATURES_FID_0X50)) {
        if (fid == (uint32_t)SDEI_FID_FEATURES_KVM_V5) {
            return SDEI_CALL_FEATURES;
        }
        if (fid == (uint32_t)SDEI_FID_FEATURES) {
            return SDEI_CALL_ID_NONE;
        }
    }
    if (fid >= (uint32_t)SDEI_FID_BASE && fid < (uint32_t)SDEI_FID_BASE + SDEI_CALL_COUNT) {
        return fid - (uint32_t)SDEI_FID_BASE;
    }
    return SDEI_CALL_ID_NONE;
}

/* One hypercall with the given registers on vCPU v; checks the result. */
static void fuzz_hypercall(fuzz_ctx *c, uint32_t v, const uint64_t x[6])
{
    sdei_vm *vm = c->vm;
    sdei_vcpu_view before;
    REQUIRE(sdei_vcpu_view_of(vm, v, &before) == SDEI_OK);
    sdei_regs *r = sdei_vcpu_regs(vm, v);
    for (int i = 0; i < 6; i++) {
        r->x[i] = x[i];
    }
    sdei_call_info info;
    REQUIRE(sdei_hypercall(vm, v, &info) == SDEI_OK);
    uint32_t call = expected_call(c, x[0]);
    int64_t x0 = (int64_t)r->x[0];
    const char *where = c->label;
    int running = before.critical_running || before.normal_running;
#define CTX                                                                                        \
    "%s seed 0x%" PRIx64 " step %" PRIu64 ": fid 0x%" PRIx64 " x1 0x%" PRIx64 " x2 0x%" PRIx64     \
    " on vCPU %u -> x0 0x%" PRIx64 " outcome %d"
#define CTXA where, c->seed, c->step, x[0], x[1], x[2], v, (uint64_t)x0, info.outcome
    FAIL_IF(info.call != call, CTX ": call %u, want %u", CTXA, info.call, call);
    if (call == SDEI_CALL_ID_NONE || QON(c, ABSENT)) {
        /* sdei_absent: every function ID as if unknown */
        uint32_t fid = (uint32_t)x[0];
        int in_range =
            fid >= (uint32_t)SDEI_FID_RANGE_FIRST && fid <= (uint32_t)SDEI_FID_RANGE_LAST;
        FAIL_IF(x0 != SDEI_NOT_SUPPORTED, CTX ": unknown FID", CTXA);
        FAIL_IF(info.outcome != (in_range ? SDEI_CALL_RETURNED : SDEI_CALL_NOT_SDEI), CTX, CTXA);
        return;
    }
    if (info.outcome == SDEI_CALL_COMPLETED) {
        c->completed++;
        FAIL_IF(call != SDEI_CALL_EVENT_COMPLETE && call != SDEI_CALL_EVENT_COMPLETE_AND_RESUME,
                CTX ": COMPLETED outcome", CTXA);
        FAIL_IF(!running, CTX ": completed with nothing running", CTXA);
        const uint64_t *saved =
            before.critical_running ? before.critical_saved : before.normal_saved;
        for (uint32_t i = 0; i < SDEI_SAVED_GPREGS; i++) {
            FAIL_IF(r->x[i] != saved[i], CTX ": x%u not restored", CTXA, i);
        }
        int resumed = call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME && !QON(c, RESUME_IGNORED);
        uint64_t want_pc = !resumed                ? saved[SDEI_SAVED_GPREGS]
                           : QON(c, RESUME_AS_IRQ) ? SDEI_VECTOR_IRQ_CURRENT_SPX
                                                   : x[1];
        FAIL_IF(r->pc != want_pc, CTX ": pc 0x%" PRIx64, CTXA, r->pc);
        if (resumed) {
            FAIL_IF(r->elr_el1 != saved[SDEI_SAVED_GPREGS], CTX ": ELR_EL1", CTXA);
            FAIL_IF(r->spsr_el1 != saved[SDEI_SAVED_GPREGS + 1], CTX ": SPSR_EL1", CTXA);
        } else {
            FAIL_IF(r->pstate != saved[SDEI_SAVED_GPREGS + 1], CTX ": PSTATE", CTXA);
        }
        return;
    }
    if (info.outcome == SDEI_CALL_NO_RESULT) {
        FAIL_IF(
            !QON(c, COMPLETE_NO_RESULT) || running ||
                (call != SDEI_CALL_EVENT_COMPLETE && call != SDEI_CALL_EVENT_COMPLETE_AND_RESUME),
            CTX ": NO_RESULT", CTXA);
        FAIL_IF(r->x[0] != x[0], CTX ": x0 written", CTXA);
        return;
    }
    FAIL_IF(info.outcome != SDEI_CALL_RETURNED, CTX, CTXA);
    FAIL_IF(r->x[1] != 0 || r->x[2] != 0 || r->x[3] != 0, CTX ": x1..x3 not 0", CTXA);
    FAIL_IF(info.result != x0, CTX ": info.result", CTXA);
    int ok;
    switch (call) {
    case SDEI_CALL_VERSION:
        ok = x0 == (int64_t)(QON(c, VERSION_1_0)          ? UINT64_C(0x0001000000000000)
                             : QON(c, VERSION_VENDOR_UID) ? UINT64_C(0x00010001564BCAA9)
                             : QON(c, VERSION_VENDOR_KVM) ? UINT64_C(0x00010001004B564D)
                                                          : UINT64_C(0x0001000100000000));
        break;
    case SDEI_CALL_EVENT_CONTEXT: {
        /* TF-A reads the register number as (unsigned int)x1 (args_truncated_32) */
        uint64_t param = QON(c, ARGS_TRUNCATED_32) ? (uint32_t)x[1] : x[1];
        if (running && param < SDEI_SAVED_GPREGS) {
            const uint64_t *saved =
                before.critical_running ? before.critical_saved : before.normal_saved;
            ok = (uint64_t)x0 == saved[param];
        } else {
            ok = x0 == SDEI_INVALID_PARAMETERS || x0 == SDEI_DENIED;
        }
        break;
    }
    case SDEI_CALL_EVENT_COMPLETE:
    case SDEI_CALL_EVENT_COMPLETE_AND_RESUME:
        ok = !running && x0 == SDEI_DENIED;
        break;
    case SDEI_CALL_EVENT_STATUS:
        ok = (x0 >= 0 && x0 <= 7 && x0 != 2 && x0 != 6) || x0 == SDEI_INVALID_PARAMETERS;
        if (c->quirks == 0) {
            ok = ok && x0 != 6 && x0 != 2;
        }
        break;
    case SDEI_CALL_EVENT_GET_INFO:
        if (c->quirks == 0 && x[2] == SDEI_INFO_EV_ROUTING_AFF && x0 >= 0) {
            ok = ((uint64_t)x0 & ~SDEI_MPIDR_AFFINITY_MASK) == 0;
        } else if (c->quirks == 0 || x[2] < SDEI_INFO_EV_ROUTING_MODE) {
            ok = x0 == 0 || x0 == 1 || x0 == SDEI_INVALID_PARAMETERS || x0 == SDEI_DENIED;
        } else {
            ok = 1; /* v5 returns the raw stored route_mode / affinity */
        }
        break;
    case SDEI_CALL_PE_MASK:
        ok = x0 == (QON(c, PE_MASK_RETURNS_ZERO) ? 0 : (before.masked ? 0 : 1));
        break;
    case SDEI_CALL_PE_UNMASK:
        ok = x0 == 0;
        break;
    case SDEI_CALL_INTERRUPT_BIND:
        ok = x0 == SDEI_NOT_SUPPORTED || x0 == SDEI_INVALID_PARAMETERS ||
             x0 == SDEI_OUT_OF_RESOURCE || x0 == (int64_t)SDEI_BIND_PRIVATE_BASE ||
             x0 == (int64_t)SDEI_BIND_PRIVATE_BASE + 1 || x0 == (int64_t)SDEI_BIND_SHARED_BASE ||
             x0 == (int64_t)SDEI_BIND_SHARED_BASE + 1;
        break;
    case SDEI_CALL_FEATURES:
        ok = x0 == 0 || x0 == 0x20002 || x0 == SDEI_INVALID_PARAMETERS;
        break;
    case SDEI_CALL_EVENT_SIGNAL:
        ok = x0 == 0 || x0 == SDEI_INVALID_PARAMETERS;
        break;
    case SDEI_CALL_EVENT_UNREGISTER:
    case SDEI_CALL_PRIVATE_RESET:
    case SDEI_CALL_SHARED_RESET:
        ok = x0 == 0 || is_error_code(x0);
        break;
    default:
        ok = x0 == 0 || (is_error_code(x0) && x0 != SDEI_PENDING);
        break;
    }
    FAIL_IF(!ok, CTX ": not a valid %s result", CTXA, sdei_call_name((sdei_call_id)call));
    if (x0 == SDEI_PENDING) {
        c->pending++;
    }
#undef CTX
#undef CTXA
}

/* Invariants of DESIGN §5 that hold in every profile. */
static void check_invariants(fuzz_ctx *c)
{
    const char *msg = sdei_vm_check(c->vm);
    FAIL_IF_NOT(msg == NULL, "%s seed 0x%" PRIx64 " step %" PRIu64 ": sdei_vm_check: %s", c->label,
                c->seed, c->step, msg ? msg : "");
    static const uint64_t shared[] = {T_EVS, T_EVSC, SDEI_BIND_SHARED_BASE,
                                      SDEI_BIND_SHARED_BASE + 1};
    for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
        uint32_t running = 0;
        for (uint32_t v = 0; v < NR_VCPUS; v++) {
            sdei_vcpu_view w;
            REQUIRE(sdei_vcpu_view_of(c->vm, v, &w) == SDEI_OK);
            running += (w.normal_running && w.normal_num == shared[i]) ||
                       (w.critical_running && w.critical_num == shared[i]);
        }
        sdei_event_state st;
        if (sdei_event_state_of(c->vm, shared[i], 0, &st) == SDEI_OK &&
            st == SDEI_STATE_UNREGISTER_PENDING) {
            c->up_seen++;
        }
        /* v5 keeps one instance per vCPU and delivers without a global check:
         * a shared event may run on two vCPUs (quirk shared_per_vcpu) */
        FAIL_IF_NOT(running <= 1 || QON(c, SHARED_PER_VCPU),
                    "%s seed 0x%" PRIx64 " step %" PRIu64 ": shared event 0x%" PRIx64
                    " runs on %u vCPUs",
                    c->label, c->seed, c->step, shared[i], running);
    }
}

static void fuzz_deliver(fuzz_ctx *c, uint32_t v)
{
    sdei_vcpu_view before;
    REQUIRE(sdei_vcpu_view_of(c->vm, v, &before) == SDEI_OK);
    int predicted = sdei_vcpu_has_deliverable(c->vm, v);
    sdei_delivery d;
    REQUIRE(sdei_vcpu_deliver(c->vm, v, &d) == SDEI_OK);
    FAIL_IF_NOT(d.delivered == predicted, "%s step %" PRIu64 ": has_deliverable %d, deliver %d",
                c->label, c->step, predicted, d.delivered);
    if (!d.delivered) {
        return;
    }
    c->delivered++;
    c->preempted += d.preempted;
    /* nothing preempts critical; never two of one class */
    FAIL_IF_NOT(!before.critical_running, "%s step %" PRIu64 ": critical preempted", c->label,
                c->step);
    FAIL_IF_NOT(!(before.normal_running && d.priority == SDEI_EVENT_PRIORITY_NORMAL),
                "%s step %" PRIu64 ": normal preempted normal", c->label, c->step);
    if (!QON(c, INJECT_MASKED_EPERM)) {
        FAIL_IF_NOT(!before.masked, "%s step %" PRIu64 ": delivery to a masked vCPU", c->label,
                    c->step);
    }
    REQUIRE(sdei_vcpu_regs(c->vm, v)->x[0] == d.num);
}

static void fuzz_run(uint64_t quirks, const char *label, uint64_t seed, uint64_t steps)
{
    sdei_vm *vm = t_vm_quirks(quirks, NR_VCPUS);
    fuzz_ctx c = {vm, quirks, label, 0, seed, 0, 0, 0, 0, 0};
    uint64_t s = seed;
    for (c.step = 0; c.step < steps; c.step++) {
        uint32_t v = (uint32_t)rng_below(&s, NR_VCPUS);
        uint64_t what = rng_below(&s, 100);
        if (what < 62) {
            uint64_t x[6];
            uint64_t f = rng_below(&s, 10);
            if (f < 7) {
                x[0] = sdei_call_fid(vm, weighted_call(&s));
            } else if (f < 9) {
                x[0] = FID_SWEEP_FIRST + rng_below(&s, FID_SWEEP_LAST - FID_SWEEP_FIRST + 1);
            } else {
                x[0] = rng_next(&s) & 0xFFFFFFFFu;
            }
            if (rng_below(&s, 4) == 0) {
                x[0] |= rng_next(&s) << 32; /* bits 63:32 are not part of the FID */
            }
            if (rng_below(&s, 3) != 0) {
                well_formed_args(&s, x);
            } else {
                for (int i = 1; i < 6; i++) {
                    x[i] = rng_arg(&s);
                }
            }
            fuzz_hypercall(&c, v, x);
        } else if (what < 80) {
            fuzz_deliver(&c, v);
        } else if (what < 92) {
            uint64_t num = event_pool[rng_below(&s, NR_EVENT_POOL)];
            uint32_t tv = rng_below(&s, 16) == 0 ? NR_VCPUS + 5 : v;
            sdei_trigger_result tr;
            sdei_err err = sdei_event_trigger(vm, num, tv, &tr);
            REQUIRE(err == SDEI_OK || err == SDEI_E_EVENT || err == SDEI_E_VCPU);
        } else if (what < 95) {
            uint32_t intid =
                rng_below(&s, 2) ? 16 + (uint32_t)rng_below(&s, 24) : (uint32_t)rng_below(&s, 1100);
            sdei_err err = sdei_interrupt_trigger(vm, intid, v, NULL);
            REQUIRE(err == SDEI_OK || err == SDEI_E_INTID || err == SDEI_E_VCPU);
        } else {
            /* the handler (or interrupted code) changes its registers */
            sdei_regs *r = sdei_vcpu_regs(vm, v);
            r->x[rng_below(&s, 31)] = rng_next(&s);
            r->pc = rng_next(&s);
            r->pstate = rng_next(&s);
        }
        check_invariants(&c);
    }
    printf("%s seed 0x%" PRIx64 ": %" PRIu64 " steps, %" PRIu64 " deliveries (%" PRIu64
           " preempting), %" PRIu64 " completions, %" PRIu64 " PENDING results, %" PRIu64
           " steps with a shared event unregister-pending\n",
           label, seed, steps, c.delivered, c.preempted, c.completed, c.pending, c.up_seen);
    if (steps >= 50000) {
        /* v5 drops a trigger on a masked vCPU or a disabled event
         * (inject_masked_eperm): fewer of them reach a handler */
        uint64_t min_delivered = QON(&c, INJECT_MASKED_EPERM) ? steps / 500 : steps / 200;
        FAIL_IF_NOT(c.delivered > min_delivered && c.preempted > 0 &&
                        c.completed > min_delivered / 2 && c.pending > 0 && c.up_seen > 0,
                    "%s: the random loop did not reach handlers, preemption, unregister-pending",
                    label);
    }
    sdei_vm_free(vm);
}

START_TEST(test_random_calls_in_the_spec_profile_always_get_an_sdei_result)
{
    fuzz_run(0, "spec", UINT64_C(0x5DE15EED), 120000);
}
END_TEST

START_TEST(test_random_calls_in_the_kvm_v5_profile_always_get_an_sdei_result)
{
    fuzz_run(SDEI_QUIRK_MASK_KVM_V5, "kvm-v5", UINT64_C(0x4B564D05), 50000);
}
END_TEST

START_TEST(test_random_calls_with_random_quirk_sets_never_crash)
{
    uint64_t s = UINT64_C(0x0A11C0DE);
    for (int i = 0; i < 6; i++) {
        /* event_table_kvm: KVM's own events, the VMM cannot expose these (test_fwreg) */
        uint64_t quirks = rng_next(&s) & SDEI_QUIRK_MASK_ALL & ~SDEI_QUIRK_BIT(EVENT_TABLE_KVM);
        char label[64];
        snprintf(label, sizeof(label), "quirks 0x%" PRIx64, quirks);
        fuzz_run(quirks, label, rng_next(&s), 5000);
    }
}
END_TEST

/* Every function ID of the sweep, in every state of every event class. */
START_TEST(test_every_function_id_in_every_state_gets_an_sdei_result)
{
    static const uint64_t nums[] = {T_EVP, T_EVC, T_EVS, T_EVSC};
    uint64_t s = UINT64_C(0xF1D5);
    uint64_t calls = 0;
    for (int profile = 0; profile < 2; profile++) {
        uint64_t quirks = profile ? SDEI_QUIRK_MASK_KVM_V5 : 0;
        for (size_t e = 0; e < sizeof(nums) / sizeof(nums[0]); e++) {
            for (int st = 0; st < SDEI_STATE_COUNT; st++) {
                for (uint64_t fid = FID_SWEEP_FIRST; fid <= FID_SWEEP_LAST; fid++) {
                    for (int pattern = 0; pattern < 3; pattern++) {
                        sdei_vm *vm = t_vm_quirks(quirks, NR_VCPUS);
                        t_unmask(vm, 0);
                        t_make_state(vm, 0, nums[e], (sdei_event_state)st);
                        fuzz_ctx c = {vm,
                                      quirks,
                                      profile ? "sweep kvm-v5" : "sweep spec",
                                      fid,
                                      (uint64_t)pattern,
                                      0,
                                      0,
                                      0,
                                      0,
                                      0};
                        uint64_t x[6] = {fid, 0, 0, 0, 0, 0};
                        for (int i = 1; i < 6; i++) {
                            x[i] = pattern == 0   ? 0
                                   : pattern == 1 ? (i == 1 ? nums[e] : rng_arg(&s))
                                                  : UINT64_MAX;
                        }
                        fuzz_hypercall(&c, 0, x);
                        check_invariants(&c);
                        sdei_vm_free(vm);
                        calls++;
                    }
                }
            }
        }
    }
    ck_assert_uint_eq(calls, 2 * 4 * SDEI_STATE_COUNT * 128 * 3);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_random_calls_in_the_spec_profile_always_get_an_sdei_result,
        test_random_calls_in_the_kvm_v5_profile_always_get_an_sdei_result,
        test_random_calls_with_random_quirk_sets_never_crash,
        test_every_function_id_in_every_state_gets_an_sdei_result,
    };
    return t_run_tests("robustness", tests, T_COUNT(tests));
}
