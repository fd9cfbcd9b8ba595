/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vm_internal.h - the in-memory layout of one VM.
 *
 * Laid out after the kernel's four migration structs (kvm-v5 §1.2) so that
 * each can be produced and consumed field by field: exposed event, registered
 * event (per-vCPU endpoint arrays and 512-bit bitmaps), vCPU event (pending
 * count), vCPU state (mask, running critical/normal event, saved registers).
 * Fields marked "derived" are caches rebuilt by sdei_vm_rebuild_derived();
 * they are never part of a blob.
 */
#ifndef SDEI_VM_INTERNAL_H
#define SDEI_VM_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "sdei/sdei_model.h"

/* Internal invariant check: stays on in every build (STYLE habit 3). A failure
 * is a model bug, never the result of guest, VMM or file input. */
void sdei_assert_fail(const char *expr, const char *file, int line);
#define SDEI_ASSERT(expr)                                                                          \
    do {                                                                                           \
        if (!(expr)) {                                                                             \
            sdei_assert_fail(#expr, __FILE__, __LINE__);                                           \
        }                                                                                          \
    } while (0)

/* Marks a defensive branch that no input can reach:
 *     if (SDEI_UNREACHABLE_BRANCH(pos < 0)) { return SDEI_E_RANGE; }
 * Ordinary builds take the defensive path should it ever be reached. Coverage
 * builds (SDEI_COVERAGE_BUILD, set by the `coverage` preset) do what SQLite's
 * NEVER() does under SQLITE_COVERAGE_TEST: the condition is still evaluated
 * and traps if true, and the branch is the constant 0, so the compiler drops
 * the body and unreachable code does not lower the figures. scripts/coverage
 * excludes the branches of every line naming this macro or SDEI_ASSERT
 * (gcovr --exclude-branches-by-pattern), so an assertion's failure branch does not count. */
#ifdef SDEI_COVERAGE_BUILD
#define SDEI_UNREACHABLE_BRANCH(expr)                                                              \
    (((expr) ? sdei_assert_fail(#expr, __FILE__, __LINE__) : (void)0), 0)
#else
#define SDEI_UNREACHABLE_BRANCH(expr) (expr) /* LCOV_EXCL_BR_LINE */
#endif

/* Keeps a slow path out of its caller, so that the caller's fast path does not
 * pay the slow path's register saves (gcc and clang). */
#define SDEI_NOINLINE __attribute__((noinline))
/* Makes a hot path's body part of each specialised caller (SDEI_SPECIALISED). */
#define SDEI_ALWAYS_INLINE inline __attribute__((always_inline))

#define SDEI_BITMAP_WORDS (SDEI_MAX_VCPUS / 64u)
#define SDEI_NO_EVENT_INDEX 0xFFFFu
#define SDEI_NUM_HASH_SIZE 256u
#define SDEI_MPIDR_HASH_SIZE 1024u

/* kvm_sdei_exposed_event_state, plus the model's binding state. */
typedef struct sdei_exposed {
    uint64_t num;
    uint8_t type;
    uint8_t signaled;
    uint8_t priority;
    uint8_t padding[5];
    uint64_t notifier;
    /* model only: bind slot kind (0 none, 1 private/PPI, 2 shared/SPI) */
    uint8_t bind_slot;
    uint32_t bound_intid; /* 0 = not bound */
} sdei_exposed;

#define SDEI_BIND_SLOT_NONE 0u
#define SDEI_BIND_SLOT_PRIVATE 1u
#define SDEI_BIND_SLOT_SHARED 2u

/* kvm_sdei_registered_event_state; one per exposed event, `present` when the
 * kernel would have a registered object for it. Slot = vCPU index for private
 * events, 0 for shared events (kvm-v5 §1.2). */
typedef struct sdei_registered {
    uint8_t present;
    uint8_t route_mode;
    uint8_t padding[3];
    uint8_t hole[4]; /* the compiler hole at offset 12, kept verbatim */
    uint64_t route_affinity;
    uint64_t registered[SDEI_BITMAP_WORDS];
    uint64_t enabled[SDEI_BITMAP_WORDS];
    uint64_t unregister_pending[SDEI_BITMAP_WORDS];
    uint64_t *ep_address; /* nr_vcpus entries */
    uint64_t *ep_arg;     /* nr_vcpus entries */
    /* derived */
    uint32_t vcpu_event_count; /* instances (queued or running) on all vCPUs */
    uint32_t running_count;    /* vCPUs whose running slot holds this event */
    uint32_t ep_extent;        /* ep_address/ep_arg entries from here on are all 0, so
                                * destroying a shared event clears one entry, not 512 */
    uint32_t unused[3];        /* 256 bytes in all: indexing is a shift (every call's path) */
} sdei_registered;
_Static_assert(sizeof(sdei_registered) == 256u, "sdei_registered: a power of two");

/* kvm_sdei_vcpu_event_state: one pending/running instance on one vCPU. */
typedef struct sdei_vcpu_event {
    uint64_t num;
    uint32_t event_count;
    uint32_t padding;
    uint16_t ev; /* derived: exposed index */
} sdei_vcpu_event;

/* kvm_sdei_vcpu_regs_state */
typedef struct sdei_saved_regs {
    uint64_t regs[SDEI_SAVED_GPREGS];
    uint64_t pc;
    uint64_t pstate;
} sdei_saved_regs;

typedef struct sdei_vcpu {
    sdei_regs regs;
    /* kvm_sdei_vcpu_state */
    uint8_t masked;
    uint8_t padding[7];
    uint64_t critical_num;
    uint64_t normal_num;
    sdei_saved_regs critical_regs;
    sdei_saved_regs normal_regs;
    /* vCPU events in the kernel's list order: critical instances first, each
     * class in first-injection order. */
    sdei_vcpu_event *queue; /* max_events entries */
    uint16_t nr_queued;
    uint16_t nr_critical_queued;
    /* derived: exposed index of the running events, or SDEI_NO_EVENT_INDEX */
    uint16_t critical_ev;
    uint16_t normal_ev;
    /* sdei_power_state (power.c); not in the kernel blobs (KVM keeps it in
     * mp_state): the whole-VM save carries it in its POWER record */
    uint8_t power;
    /* KVM_REQ_SDEI: entry delivers only when set, and clears it (events.c).
     * Raised as v7 does under quirk delivery_needs_kick; as v5 does under
     * delivery_needs_request (an injection, a COMPLETE that leaves instances
     * queued, SET_VCPU_STATE with nothing running). Not migrated (KVM requests
     * are not vCPU state): a v5 restore raises it by the SET_VCPU_STATE rule. */
    uint8_t kick;
} sdei_vcpu;

/* One function per SDEI call (calls.c). */
typedef int64_t (*sdei_call_fn)(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info);

struct sdei_vm {
    sdei_config cfg; /* cfg.mpidr points at vm->mpidr */
    uint64_t quirks;
    const sdei_call_fn *calls; /* derived: sdei_call_table(quirks) */
    uint64_t *mpidr;           /* nr_vcpus, as configured */
    sdei_vcpu *vcpus;          /* nr_vcpus */
    sdei_exposed *exposed;     /* max_events, first nr_exposed used, in creation order */
    sdei_registered *reg;      /* max_events, indexed like exposed */
    uint32_t nr_exposed;
    uint32_t nr_registered; /* registered objects present */
    /* derived: instances of shared events in all vCPU queues (0 lets PE_MASK and
     * PE_UNMASK skip the RM_ANY rebalance scan over every vCPU) */
    uint32_t nr_shared_queued;
    /* derived: exposed index of event 0, the one SIGNAL takes (sdei-rules §6.12),
     * or SDEI_NO_EVENT_INDEX: SIGNAL needs no lookup */
    uint16_t signal_ev;
    /* registered objects in creation order (exposed indices) */
    uint16_t reg_order[SDEI_MAX_EVENTS];
    uint16_t num_hash[SDEI_NUM_HASH_SIZE];     /* exposed index + 1, 0 = empty */
    uint16_t mpidr_hash[SDEI_MPIDR_HASH_SIZE]; /* vCPU index + 1, 0 = empty */
    size_t mem_size;
    uint8_t owns_memory; /* sdei_vm_new allocated it */
};

/* 1 if quirk set q has quirk `bit`: the one quirk test (sdei_quirk reads the
 * VM's set; a specialised hot path passes its constant set). */
static inline int sdei_q(uint64_t q, uint64_t bit)
{
    return (q & bit) != 0;
}

static inline int sdei_quirk(const sdei_vm *vm, uint64_t bit)
{
    return sdei_q(vm->quirks, bit);
}

/* Specialised hot paths (docs/benchmarks.md "Specialised hot paths"): the
 * guest entry and the SIGNAL and COMPLETE calls take their quirk set as an
 * argument `q`, and SDEI_SPECIALISED(quirks, CALL) calls
 * CALL(q, hot) with q a compile-time constant when the VM runs exactly the
 * quirks of `spec` (none) or of `kvm-v5` (what the simulator and the v5
 * kernel target run), so that the compiler folds every quirk test and drops
 * the dead branches; any other set runs the same body with q = vm->quirks
 * (hot = SDEI_HOT_ANY). Quirks are fixed at sdei_vm_new, which picks the
 * VM's call table once (vm->calls). CALL is a function-like macro of (q, hot). */
typedef enum sdei_hot { SDEI_HOT_ANY = 0, SDEI_HOT_SPEC, SDEI_HOT_KVM_V5, SDEI_HOT_COUNT } sdei_hot;
#define SDEI_HOT_QUIRKS_SPEC UINT64_C(0)
#define SDEI_HOT_QUIRKS_KVM_V5 SDEI_QUIRK_MASK_KVM_V5
#define SDEI_SPECIALISED(quirks, CALL)                                                             \
    ((quirks) == SDEI_HOT_QUIRKS_KVM_V5                                                            \
         ? CALL(SDEI_HOT_QUIRKS_KVM_V5, SDEI_HOT_KVM_V5)                                           \
         : ((quirks) == SDEI_HOT_QUIRKS_SPEC ? CALL(SDEI_HOT_QUIRKS_SPEC, SDEI_HOT_SPEC)           \
                                             : CALL((quirks), SDEI_HOT_ANY)))

/* The call table for the quirk set `quirks`, by call number: its hot calls
 * specialised when the set is one of SDEI_SPECIALISED's (calls.c). */
const sdei_call_fn *sdei_call_table(uint64_t quirks);

static inline int sdei_bit_test(const uint64_t *map, uint32_t bit)
{
    return (int)((map[bit / 64u] >> (bit % 64u)) & 1u);
}

static inline void sdei_bit_set(uint64_t *map, uint32_t bit)
{
    map[bit / 64u] |= UINT64_C(1) << (bit % 64u);
}

static inline void sdei_bit_clear(uint64_t *map, uint32_t bit)
{
    map[bit / 64u] &= ~(UINT64_C(1) << (bit % 64u));
}

static inline int sdei_bitmap_empty(const uint64_t *map)
{
    uint64_t any = 0;
    for (uint32_t i = 0; i < SDEI_BITMAP_WORDS; i++) {
        any |= map[i];
    }
    return any == 0;
}

/* ---- helpers shared by calls.c, events.c, vmm.c (events.c) ---- */

/* The helpers below are on every call's path: inline here (they were the
 * largest share of a call's cost as out-of-line calls; docs/benchmarks.md). */

/* The kernel's "supported number" shape: 0, or bits 63:32 clear and bits
 * 23:22 = 0b01 (kvm-v5 §2). With `strict`, bit 31 must be clear too
 * (DESIGN §3.2, DEN0054C §4.4). */
static inline int sdei_num_shape_ok(uint64_t num, int strict)
{
    if ((num >> 32) != 0) {
        return 0;
    }
    if (strict && (num & UINT64_C(0x80000000)) != 0) {
        return 0;
    }
    return num == 0 || ((num >> 22) & 3u) == 1u;
}

static inline uint32_t sdei_num_hash(uint64_t num)
{
    return (uint32_t)((num * UINT64_C(0x9E3779B97F4A7C15)) >> 56); /* 8 bits */
}

/* Exposed index of num, or SDEI_NO_EVENT_INDEX. num is the full 64-bit value. */
static inline uint16_t sdei_find_event(const sdei_vm *vm, uint64_t num)
{
    uint32_t h = sdei_num_hash(num);
    for (uint32_t probe = 0;; probe++) {
        /* at most 128 of the 256 slots are taken: every probe ends at an empty one */
        if (SDEI_UNREACHABLE_BRANCH(probe >= SDEI_NUM_HASH_SIZE)) {
            return SDEI_NO_EVENT_INDEX;
        }
        uint16_t idx = vm->num_hash[(h + probe) % SDEI_NUM_HASH_SIZE];
        if (idx == 0) {
            return SDEI_NO_EVENT_INDEX;
        }
        if (vm->exposed[idx - 1].num == num) {
            return (uint16_t)(idx - 1);
        }
    }
}
/* Adds an exposed event; returns its index or SDEI_NO_EVENT_INDEX if full. */
uint16_t sdei_add_exposed(sdei_vm *vm, const sdei_exposed *ex);

/* Registration slot of event ev as seen by vCPU v. */
static inline uint32_t sdei_slot(const sdei_vm *vm, uint16_t ev, uint32_t v)
{
    return vm->exposed[ev].type == SDEI_EVENT_TYPE_SHARED ? 0u : v;
}

/* 1 if event ev is running on vCPU v (its running slot holds it). */
static inline int sdei_running_on(const sdei_vm *vm, uint16_t ev, uint32_t v)
{
    const sdei_vcpu *vc = &vm->vcpus[v];
    return vc->critical_ev == ev || vc->normal_ev == ev;
}

/* The SDEI state of ev at `slot` from its registration bits and whether its
 * handler runs there (sdei-rules §5.1): the one place that maps the bits to a
 * state (sdei_state_get, and COMPLETE, which knows the handler runs). */
static inline sdei_event_state sdei_state_of(const sdei_registered *r, uint32_t slot, int running)
{
    int g = 0, e = 0, p = 0;
    if (r->present) {
        uint32_t w = slot / 64u;
        uint64_t m = UINT64_C(1) << (slot % 64u);
        g = (r->registered[w] & m) != 0;
        e = (r->enabled[w] & m) != 0;
        p = (r->unregister_pending[w] & m) != 0;
    }
    if (running) {
        if (p || !g) {
            return SDEI_STATE_UNREGISTER_PENDING;
        }
        return e ? SDEI_STATE_RUNNING_ENABLED : SDEI_STATE_RUNNING_DISABLED;
    }
    if (!g) {
        return SDEI_STATE_UNREGISTERED;
    }
    return e ? SDEI_STATE_ENABLED : SDEI_STATE_REGISTERED;
}

/* The SDEI state of ev as vCPU v sees it. */
static inline sdei_event_state sdei_state_get(const sdei_vm *vm, uint16_t ev, uint32_t v)
{
    const sdei_registered *r = &vm->reg[ev];
    /* A shared event has one global state (slot 0): running anywhere is running. */
    int shared = vm->exposed[ev].type == SDEI_EVENT_TYPE_SHARED;
    int running = shared ? r->running_count > 0 : sdei_running_on(vm, ev, v);
    return sdei_state_of(r, shared ? 0u : v, running);
}

/* Makes a registered object present (appended to reg_order). */
void sdei_reg_create(sdei_vm *vm, uint16_t ev);
/* Zeroes a registered object and its first `entries` endpoint entries,
 * keeping the endpoint arrays it points to. */
void sdei_reg_clear(sdei_registered *r, uint32_t entries);
/* Destroys it if no registered bit remains (the kernel's rule). */
void sdei_reg_destroy_if_unused(sdei_vm *vm, uint16_t ev);

/* ---- vCPU queue operations: inline, on every trigger, entry and COMPLETE
 * (docs/benchmarks.md) ---- */

/* Moves `count` instances of vc's queue from position `from` to `to` (a
 * memmove; out of line in events.c, so that the common insert and remove, at
 * the end of the queue, pay no register saves for it). */
void sdei_queue_move(sdei_vcpu *vc, uint32_t to, uint32_t from, uint32_t count);

/* Position of the instance of num in vCPU vc's queue, or -1. */
static inline int32_t sdei_queue_find(const sdei_vcpu *vc, uint64_t num)
{
    for (uint32_t i = 0; i < vc->nr_queued; i++) {
        if (vc->queue[i].num == num) {
            return (int32_t)i;
        }
    }
    return -1;
}

static inline void sdei_queue_remove_at(sdei_vm *vm, uint32_t v, uint32_t pos)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    uint32_t n = vc->nr_queued;
    SDEI_ASSERT(pos < n);
    uint16_t ev = vc->queue[pos].ev;
    if (pos < vc->nr_critical_queued) {
        vc->nr_critical_queued--;
    }
    if (pos + 1u < n) { /* the last one needs no move (the common case) */
        sdei_queue_move(vc, pos, pos + 1u, n - pos - 1u);
    }
    vc->nr_queued = (uint16_t)(n - 1u);
    sdei_registered *r = &vm->reg[ev];
    SDEI_ASSERT(r->vcpu_event_count > 0);
    r->vcpu_event_count--;
    if (vm->exposed[ev].type == SDEI_EVENT_TYPE_SHARED) {
        SDEI_ASSERT(vm->nr_shared_queued > 0);
        vm->nr_shared_queued--;
    }
}

/* Appends a new instance at the end of its priority class. */
static inline void sdei_queue_insert(sdei_vm *vm, uint32_t v, uint16_t ev, uint32_t count,
                                     uint32_t padding)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    const sdei_exposed *ex = &vm->exposed[ev];
    uint32_t n = vc->nr_queued;
    SDEI_ASSERT(n < vm->cfg.max_events);
    /* kvm-v5 §3.1: two lists, critical then normal, each in injection order. */
    uint32_t pos = n;
    if (ex->priority == SDEI_EVENT_PRIORITY_CRITICAL) {
        pos = vc->nr_critical_queued;
        sdei_queue_move(vc, pos + 1u, pos, n - pos);
        vc->nr_critical_queued++;
    }
    sdei_vcpu_event *q = &vc->queue[pos];
    q->num = ex->num;
    q->event_count = count;
    q->padding = padding;
    q->ev = ev;
    vc->nr_queued = (uint16_t)(n + 1u);
    vm->reg[ev].vcpu_event_count++;
    if (ex->type == SDEI_EVENT_TYPE_SHARED) {
        vm->nr_shared_queued++;
    }
}

/* Drops every queued instance of ev on vCPU v that is not running; a running
 * instance is kept with event_count 1. Returns 1 if one was running. */
int sdei_cancel_pending(sdei_vm *vm, uint16_t ev, uint32_t v);

/* 1 if a shared event has a trigger waiting (not its run) on any vCPU. */
int sdei_shared_pending_somewhere(const sdei_vm *vm, uint16_t ev);

/* Latches a trigger of ev on vCPU v (the routing is already decided); inline:
 * on every SIGNAL and platform trigger (docs/benchmarks.md). */
static SDEI_ALWAYS_INLINE sdei_trigger_result sdei_latch_q(sdei_vm *vm, uint16_t ev, uint32_t v,
                                                           uint64_t q)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    const sdei_exposed *ex = &vm->exposed[ev];
    int counted = sdei_q(q, SDEI_QUIRK_BIT(COUNTED_SIGNAL));
    int32_t pos = sdei_queue_find(vc, ex->num);
    if (!counted && !sdei_q(q, SDEI_QUIRK_BIT(SHARED_PER_VCPU)) &&
        ex->type == SDEI_EVENT_TYPE_SHARED && sdei_shared_pending_somewhere(vm, ev)) {
        /* one latch per shared event (an SPI): nothing more to latch */
    } else if (pos < 0) {
        /* one instance per event, and this event has none here: there is room */
        if (SDEI_UNREACHABLE_BRANCH(vc->nr_queued >= vm->cfg.max_events)) {
            return SDEI_TRIGGER_DROPPED;
        }
        sdei_queue_insert(vm, v, ev, 1, 0);
    } else if (counted) {
        /* kvm-v5 §5.1: event_count++ (N signals, N handler runs). */
        if (vc->queue[pos].event_count < UINT32_MAX) {
            vc->queue[pos].event_count++;
        }
    } else {
        /* Edge-triggered (sdei-rules §6.12): one latch besides the running one. */
        uint32_t cap = sdei_running_on(vm, ev, v) ? 2u : 1u;
        if (vc->queue[pos].event_count < cap) {
            vc->queue[pos].event_count++;
        }
    }
    if (sdei_q(q, SDEI_QUIRK_BIT(DELIVERY_NEEDS_REQUEST))) {
        vc->kick = 1; /* do_inject_event: kvm_make_request (kvm-v5 §5.1) */
    }
    return SDEI_TRIGGER_PENDING;
}

static inline sdei_trigger_result sdei_latch(sdei_vm *vm, uint16_t ev, uint32_t v)
{
    return sdei_latch_q(vm, ev, v, vm->quirks);
}

/* delivery_needs_request: SET_VCPU_STATE raises the request of vCPU v only if
 * nothing runs there and instances are queued (kvm-v5 §6; sdei.c:1767). */
void sdei_request_after_state(sdei_vm *vm, uint32_t v);

/* kvm-v5 §5.1 checks 4-5, as kvm_sdei_inject_event makes them (INJECT_EVENT
 * repeats them): why v5 refuses (-EPERM) a trigger of ev on vCPU v, in the
 * kernel's order. The spec profile latches one for a disabled event or a
 * masked PE (sdei-rules §7.4); only U/UP drop it there. */
typedef enum sdei_refusal {
    SDEI_REFUSE_NONE = 0,
    SDEI_REFUSE_UNREGISTERED, /* !registered or unregister_pending at the slot */
    SDEI_REFUSE_DISABLED,
    SDEI_REFUSE_MASKED
} sdei_refusal;
sdei_refusal sdei_inject_refusal(const sdei_vm *vm, uint16_t ev, uint32_t v);

/* Routes a shared trigger: the vCPU that gets it. */
uint32_t sdei_route_shared(const sdei_vm *vm, uint16_t ev);

/* Moves RM_ANY shared instances off masked vCPUs onto unmasked ones. */
void sdei_rebalance_rm_any(sdei_vm *vm);

/* Unregisters ev at the slot of vCPU v (calls.c); 1 if its handler still runs. */
int sdei_unregister_at(sdei_vm *vm, uint16_t ev, uint32_t v);
/* Unregisters every event of one type as vCPU v sees it; 1 if one was running
 * or unregister-pending (calls.c, the resets). */
int sdei_reset_class(sdei_vm *vm, uint32_t v, uint8_t type);
/* Ends the run in the critical (or normal) slot of vCPU v as COMPLETE does,
 * without touching the registers; returns the event's number (calls.c). */
uint64_t sdei_end_run(sdei_vm *vm, uint32_t v, int critical, sdei_action act);

/* 1 if ev has a trigger waiting on vCPU v (not counting its run). */
static inline int sdei_pending_on(const sdei_vm *vm, uint16_t ev, uint32_t v)
{
    const sdei_vcpu *vc = &vm->vcpus[v];
    for (uint32_t i = 0; i < vc->nr_queued; i++) {
        if (vc->queue[i].ev == ev) {
            return vc->queue[i].event_count > (uint32_t)sdei_running_on(vm, ev, v);
        }
    }
    return 0;
}

/* quirk delivery_needs_kick: v7 raises KVM_REQ_SDEI when `cond` holds. */
static inline void sdei_kick_if(sdei_vm *vm, uint32_t v, int cond)
{
    if (cond && sdei_quirk(vm, SDEI_QUIRK_BIT(DELIVERY_NEEDS_KICK))) {
        vm->vcpus[v].kick = 1;
    }
}

/* 1 if ev is enabled at the slot of vCPU v (the raw bit). */
static inline int sdei_enabled_on(const sdei_vm *vm, uint16_t ev, uint32_t v)
{
    const sdei_registered *r = &vm->reg[ev];
    return r->present && sdei_bit_test(r->enabled, sdei_slot(vm, ev, v));
}

/* Recomputes every derived field from the blob-visible state. */
void sdei_vm_rebuild_derived(sdei_vm *vm);

/* Builds the PSTATE of handler entry from the interrupted PSTATE. */
uint64_t sdei_exception_pstate(const sdei_vm *vm, uint64_t interrupted);
/* The PSTATE of an exception taken to EL1h by the architecture's rules as
 * DESIGN §3.2 reads them (no quirk applies; v6's IRQ, resume_as_irq). */
uint64_t sdei_arch_entry_pstate(const sdei_vm *vm, uint64_t interrupted);

#endif /* SDEI_VM_INTERNAL_H */
