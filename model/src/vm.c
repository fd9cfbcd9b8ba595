/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vm.c - VM configuration, memory layout, init and reset, names and views.
 */
#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include "vm_internal.h"

/* LCOV_EXCL_START: reached only through a model bug (SDEI_ASSERT) */
void sdei_assert_fail(const char *expr, const char *file, int line)
{
    /* No I/O in the model: the message is left for a debugger, then trap. */
    volatile const char *volatile last_expr = expr;
    volatile const char *volatile last_file = file;
    volatile int last_line = line;
    (void)last_expr;
    (void)last_file;
    (void)last_line;
    __builtin_trap();
}
/* LCOV_EXCL_STOP */

/* ---- configuration ---- */

sdei_config sdei_config_default(uint32_t nr_vcpus)
{
    sdei_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.nr_vcpus = nr_vcpus;
    cfg.max_events = SDEI_MAX_EVENTS;
    cfg.profile = SDEI_PROFILE_SPEC;
    cfg.sctlr_el1_span = 1;
    /* ACS 4.20 (sdei-rules §6.13): at least 2 private and 2 shared slots. */
    cfg.private_bind_slots = 2;
    cfg.shared_bind_slots = 2;
    return cfg;
}

uint64_t sdei_default_mpidr(uint32_t i)
{
    /* KVM's reset_mpidr(): 16 vCPUs per Aff1 cluster; bit 31 is RES1. */
    return (UINT64_C(1) << 31) | (uint64_t)(i & 0xFu) | ((uint64_t)((i >> 4) & 0xFFu) << 8) |
           ((uint64_t)((i >> 12) & 0xFFu) << 16);
}

static uint32_t cfg_max_events(const sdei_config *cfg)
{
    return cfg->max_events == 0 ? SDEI_MAX_EVENTS : cfg->max_events;
}

static uint32_t mpidr_hash(uint64_t aff)
{
    aff &= SDEI_MPIDR_AFFINITY_MASK;
    return (uint32_t)((aff * UINT64_C(0x9E3779B97F4A7C15)) >> 54); /* 10 bits */
}

/* 1 when no two of the n MPIDRs share an affinity. */
static int mpidrs_distinct(const uint64_t *mpidr, uint32_t n)
{
    if (n <= 16u) {
        /* a few vCPUs (every VM a fuzz target makes, per input and per
         * migration): pairs, rather than a 2 KiB table to clear */
        for (uint32_t i = 1; i < n; i++) {
            for (uint32_t j = 0; j < i; j++) {
                if (((mpidr[i] ^ mpidr[j]) & SDEI_MPIDR_AFFINITY_MASK) == 0) {
                    return 0;
                }
            }
        }
        return 1;
    }
    uint16_t seen[SDEI_MPIDR_HASH_SIZE];
    memset(seen, 0, sizeof(seen));
    for (uint32_t i = 0; i < n; i++) {
        uint64_t aff = mpidr[i] & SDEI_MPIDR_AFFINITY_MASK;
        uint32_t h = mpidr_hash(aff);
        for (uint32_t probe = 0;; probe++) {
            /* at most 512 of the 1024 slots are taken: every probe ends at an empty one */
            if (SDEI_UNREACHABLE_BRANCH(probe >= SDEI_MPIDR_HASH_SIZE)) {
                return 0;
            }
            uint32_t slot = (h + probe) % SDEI_MPIDR_HASH_SIZE;
            if (seen[slot] == 0) {
                seen[slot] = (uint16_t)(i + 1);
                break;
            }
            if ((mpidr[seen[slot] - 1] & SDEI_MPIDR_AFFINITY_MASK) == aff) {
                return 0;
            }
        }
    }
    return 1;
}

static sdei_err cfg_validate(const sdei_config *cfg)
{
    if (cfg->nr_vcpus < 1 || cfg->nr_vcpus > SDEI_MAX_VCPUS) {
        return SDEI_E_CFG_NR_VCPUS;
    }
    uint32_t max_events = cfg_max_events(cfg);
    if (max_events > SDEI_MAX_EVENTS) {
        return SDEI_E_CFG_MAX_EVENTS;
    }
    if ((unsigned)cfg->profile >= SDEI_PROFILE_COUNT) {
        return SDEI_E_CFG_PROFILE;
    }
    if ((uint32_t)cfg->private_bind_slots + cfg->shared_bind_slots > max_events) {
        return SDEI_E_CFG_BIND_SLOTS;
    }
    /* quirks_override is a flag: any other value is an error, never "true". */
    if (cfg->quirks_override > 1u) {
        return SDEI_E_CFG_QUIRKS;
    }
    /* The quirks the model honours, from the `implemented` column of the list:
     * a bit outside it (unknown, or a quirk not implemented yet) is an error. */
#define QUIRK_IMPLEMENTED_BIT(id, name, impl, rule, source)                                        \
    | ((uint64_t)(impl) << SDEI_QUIRK_ID_##id)
    const uint64_t implemented = UINT64_C(0) SDEI_QUIRK_LIST(QUIRK_IMPLEMENTED_BIT);
#undef QUIRK_IMPLEMENTED_BIT
    if (cfg->quirks_override && (cfg->quirks & ~implemented) != 0) {
        return SDEI_E_CFG_QUIRKS;
    }
    /* SCTLR_EL1.SPAN is one bit (events.c: 0 forces PSTATE.PAN at handler entry). */
    if (cfg->sctlr_el1_span > 1u) {
        return SDEI_E_CFG_SPAN;
    }
    /* Two vCPUs with one affinity would make RM_PE and SIGNAL ambiguous. */
    if (cfg->mpidr != NULL && !mpidrs_distinct(cfg->mpidr, cfg->nr_vcpus)) {
        return SDEI_E_CFG_MPIDR;
    }
    return SDEI_OK;
}

/* ---- memory layout: one block, every array sized by the config ---- */

typedef struct vm_layout {
    size_t mpidr, vcpus, queues, exposed, reg, ep_address, ep_arg, total;
} vm_layout;

static size_t align8(size_t n)
{
    return (n + 7u) & ~(size_t)7u;
}

static void layout_of(const sdei_config *cfg, vm_layout *l)
{
    size_t n = cfg->nr_vcpus;
    size_t e = cfg_max_events(cfg);
    size_t off = align8(sizeof(sdei_vm));
    l->mpidr = off;
    off = align8(off + n * sizeof(uint64_t));
    l->vcpus = off;
    off = align8(off + n * sizeof(sdei_vcpu));
    l->queues = off;
    off = align8(off + n * e * sizeof(sdei_vcpu_event));
    l->exposed = off;
    off = align8(off + e * sizeof(sdei_exposed));
    l->reg = off;
    off = align8(off + e * sizeof(sdei_registered));
    l->ep_address = off;
    off = align8(off + e * n * sizeof(uint64_t));
    l->ep_arg = off;
    off = align8(off + e * n * sizeof(uint64_t));
    l->total = off;
}

sdei_err sdei_vm_mem_size(const sdei_config *cfg, size_t *size_out)
{
    if (cfg == NULL || size_out == NULL) {
        return SDEI_E_NULL;
    }
    sdei_err err = cfg_validate(cfg);
    if (err != SDEI_OK) {
        return err;
    }
    vm_layout l;
    layout_of(cfg, &l);
    *size_out = l.total;
    return SDEI_OK;
}

/* An event of KVM's own table (v6, v7): private, normal, software signalled. */
static uint16_t expose_kvm_event(sdei_vm *vm, uint64_t num)
{
    sdei_exposed ex = {.num = num,
                       .type = SDEI_EVENT_TYPE_PRIVATE,
                       .priority = SDEI_EVENT_PRIORITY_NORMAL,
                       .signaled = 1};
    uint16_t idx = sdei_add_exposed(vm, &ex);
    SDEI_ASSERT(idx != SDEI_NO_EVENT_INDEX);
    return idx;
}

/* The vCPUs and the registered objects as at creation (their arrays kept). */
static void clear_vcpus_and_objects(sdei_vm *vm, uint32_t n, uint32_t e)
{
    /* The queues, and the endpoint arrays of every event, lie end to end
     * (layout_of): one clear each, not one or two per vCPU and event (the
     * fuzz targets start a VM per input and per migration). */
    SDEI_ASSERT(e == 0 || vm->reg[0].ep_arg == vm->reg[0].ep_address + (size_t)e * n);
    memset(vm->vcpus[0].queue, 0, (size_t)n * e * sizeof(sdei_vcpu_event));
    if (e != 0) {
        memset(vm->reg[0].ep_address, 0, 2u * (size_t)e * n * sizeof(uint64_t));
    }
    for (uint32_t v = 0; v < n; v++) {
        sdei_vcpu *vc = &vm->vcpus[v];
        sdei_vcpu_event *queue = vc->queue;
        memset(vc, 0, sizeof(*vc));
        vc->queue = queue;
        /* sdei-rules §9, kvm-v5 §3.2: a vCPU starts masked, nothing running. */
        vc->masked = 1;
        vc->critical_num = SDEI_INVALID_EVENT;
        vc->normal_num = SDEI_INVALID_EVENT;
        vc->critical_ev = SDEI_NO_EVENT_INDEX;
        vc->normal_ev = SDEI_NO_EVENT_INDEX;
    }
    for (uint32_t i = 0; i < e; i++) {
        /* sdei_reg_clear without its endpoint arrays, cleared above */
        sdei_registered *r = &vm->reg[i];
        uint64_t *ep = r->ep_address, *arg = r->ep_arg;
        memset(r, 0, sizeof(*r));
        r->ep_address = ep;
        r->ep_arg = arg;
    }
}

/* Every vCPU, event and registered object as at creation; the caller clears
 * reg_order and num_hash. */
static void vm_clear_state(sdei_vm *vm)
{
    uint32_t n = vm->cfg.nr_vcpus;
    uint32_t e = vm->cfg.max_events;
    clear_vcpus_and_objects(vm, n, e);
    memset(vm->exposed, 0, (size_t)e * sizeof(sdei_exposed));
    vm->nr_exposed = 0;
    vm->nr_registered = 0;
    vm->nr_shared_queued = 0;
    vm->signal_ev = SDEI_NO_EVENT_INDEX;

    /* quirk event_table_kvm (v7): KVM's own table, events 0 (software
     * signalled) and 1 (async PF), private, normal, each with a per-vCPU
     * handler slot that exists from creation (kvm-sdei-v7 asm/kvm_sdei.h). */
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_TABLE_KVM))) {
        for (uint32_t i = 0; i < SDEI_KVM_V7_NR_EVENTS && i < e; i++) {
            uint16_t idx = expose_kvm_event(vm, i);
            sdei_reg_create(vm, idx);
            vm->reg[idx].ep_extent = n;
        }
    }
    /* quirk event_table_v6: KVM's own table, event 0 only (software
     * signalled, private, normal; kvm-sdei-v6 sdei.c:16-22). */
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_TABLE_V6))) {
        (void)expose_kvm_event(vm, SDEI_EVENT_SIGNAL_NUM);
    }
    /* Bind slots: dynamic events, always normal priority (sdei-rules §4.4).
     * Under no_bind (v5) they do not exist: the kernel exposes none. */
    int no_bind = sdei_quirk(vm, SDEI_QUIRK_BIT(NO_BIND));
    uint32_t private_slots = no_bind ? 0 : vm->cfg.private_bind_slots;
    uint32_t shared_slots = no_bind ? 0 : vm->cfg.shared_bind_slots;
    for (uint32_t i = 0; i < private_slots; i++) {
        sdei_exposed ex = {.num = SDEI_BIND_PRIVATE_BASE + i,
                           .type = SDEI_EVENT_TYPE_PRIVATE,
                           .priority = SDEI_EVENT_PRIORITY_NORMAL,
                           .bind_slot = SDEI_BIND_SLOT_PRIVATE};
        uint16_t idx = sdei_add_exposed(vm, &ex);
        SDEI_ASSERT(idx != SDEI_NO_EVENT_INDEX);
    }
    for (uint32_t i = 0; i < shared_slots; i++) {
        sdei_exposed ex = {.num = SDEI_BIND_SHARED_BASE + i,
                           .type = SDEI_EVENT_TYPE_SHARED,
                           .priority = SDEI_EVENT_PRIORITY_NORMAL,
                           .bind_slot = SDEI_BIND_SLOT_SHARED};
        uint16_t idx = sdei_add_exposed(vm, &ex);
        SDEI_ASSERT(idx != SDEI_NO_EVENT_INDEX);
    }
}

sdei_err sdei_vm_init(void *mem, size_t mem_size, const sdei_config *cfg, sdei_vm **vm_out)
{
    if (vm_out != NULL) {
        *vm_out = NULL;
    }
    if (mem == NULL || cfg == NULL || vm_out == NULL) {
        return SDEI_E_NULL;
    }
    if (((uintptr_t)mem & 7u) != 0) {
        return SDEI_E_ALIGN;
    }
    sdei_err err = cfg_validate(cfg);
    if (err != SDEI_OK) {
        return err;
    }
    vm_layout l;
    layout_of(cfg, &l);
    if (mem_size < l.total) {
        return SDEI_E_MEM_SIZE;
    }
    uint8_t *base = mem;
    memset(base, 0, sizeof(sdei_vm));
    sdei_vm *vm = (sdei_vm *)(void *)base;
    vm->cfg = *cfg;
    vm->cfg.max_events = cfg_max_events(cfg);
    vm->quirks = cfg->quirks_override ? cfg->quirks : sdei_profile_quirks(cfg->profile);
    vm->cfg.quirks = vm->quirks;
    vm->calls = sdei_call_table(vm->quirks);
    vm->mem_size = l.total;
    vm->mpidr = (uint64_t *)(void *)(base + l.mpidr);
    vm->vcpus = (sdei_vcpu *)(void *)(base + l.vcpus);
    vm->exposed = (sdei_exposed *)(void *)(base + l.exposed);
    vm->reg = (sdei_registered *)(void *)(base + l.reg);
    uint32_t n = cfg->nr_vcpus;
    uint32_t e = vm->cfg.max_events;
    for (uint32_t v = 0; v < n; v++) {
        vm->mpidr[v] = cfg->mpidr != NULL ? cfg->mpidr[v] : sdei_default_mpidr(v);
        vm->vcpus[v].queue = (sdei_vcpu_event *)(void *)(base + l.queues) + (size_t)v * e;
    }
    vm->cfg.mpidr = vm->mpidr;
    for (uint32_t i = 0; i < e; i++) {
        vm->reg[i].ep_address = (uint64_t *)(void *)(base + l.ep_address) + (size_t)i * n;
        vm->reg[i].ep_arg = (uint64_t *)(void *)(base + l.ep_arg) + (size_t)i * n;
    }
    for (uint32_t v = 0; v < n; v++) {
        uint32_t h = mpidr_hash(vm->mpidr[v]);
        for (uint32_t probe = 0;; probe++) {
            /* at most 512 of the 1024 slots are taken: every probe ends at an empty one */
            if (SDEI_UNREACHABLE_BRANCH(probe >= SDEI_MPIDR_HASH_SIZE)) {
                break;
            }
            uint32_t slot = (h + probe) % SDEI_MPIDR_HASH_SIZE;
            if (vm->mpidr_hash[slot] == 0) {
                vm->mpidr_hash[slot] = (uint16_t)(v + 1);
                break;
            }
        }
    }
    vm_clear_state(vm);
    *vm_out = vm;
    return SDEI_OK;
}

void sdei_vm_reset(sdei_vm *vm)
{
    if (vm != NULL) {
        /* what vm_clear_state leaves to its callers (sdei_vm_init clears the
         * whole struct first) */
        memset(vm->reg_order, 0, sizeof(vm->reg_order));
        memset(vm->num_hash, 0, sizeof(vm->num_hash));
        vm_clear_state(vm);
    }
}

const sdei_config *sdei_vm_config(const sdei_vm *vm)
{
    return vm != NULL ? &vm->cfg : NULL;
}

uint32_t sdei_vm_nr_vcpus(const sdei_vm *vm)
{
    return vm != NULL ? vm->cfg.nr_vcpus : 0;
}

uint64_t sdei_vm_quirks(const sdei_vm *vm)
{
    return vm != NULL ? vm->quirks : 0;
}

uint64_t sdei_vcpu_mpidr(const sdei_vm *vm, uint32_t vcpu)
{
    return vm != NULL && vcpu < vm->cfg.nr_vcpus ? vm->mpidr[vcpu] : 0;
}

int32_t sdei_vcpu_by_mpidr(const sdei_vm *vm, uint64_t mpidr)
{
    if (vm == NULL) {
        return -1;
    }
    uint64_t aff = mpidr & SDEI_MPIDR_AFFINITY_MASK;
    uint32_t h = mpidr_hash(aff);
    for (uint32_t probe = 0;; probe++) {
        /* at most 512 of the 1024 slots are taken: every probe ends at an empty one */
        if (SDEI_UNREACHABLE_BRANCH(probe >= SDEI_MPIDR_HASH_SIZE)) {
            return -1;
        }
        uint32_t slot = (h + probe) % SDEI_MPIDR_HASH_SIZE;
        uint16_t idx = vm->mpidr_hash[slot];
        if (idx == 0) {
            return -1;
        }
        if ((vm->mpidr[idx - 1] & SDEI_MPIDR_AFFINITY_MASK) == aff) {
            return (int32_t)(idx - 1);
        }
    }
}

/* ---- registers ---- */

sdei_err sdei_vcpu_get_regs(const sdei_vm *vm, uint32_t vcpu, sdei_regs *out)
{
    if (vm == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    *out = vm->vcpus[vcpu].regs;
    return SDEI_OK;
}

sdei_err sdei_vcpu_set_regs(sdei_vm *vm, uint32_t vcpu, const sdei_regs *in)
{
    if (vm == NULL || in == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    vm->vcpus[vcpu].regs = *in;
    return SDEI_OK;
}

sdei_regs *sdei_vcpu_regs(sdei_vm *vm, uint32_t vcpu)
{
    if (vm == NULL || vcpu >= vm->cfg.nr_vcpus) {
        return NULL;
    }
    return &vm->vcpus[vcpu].regs;
}

/* ---- names ---- */

static const char *const err_names[SDEI_ERR_COUNT] = {
    [SDEI_OK] = "ok",
    [SDEI_E_NULL] = "a required pointer argument is NULL",
    [SDEI_E_CFG_NR_VCPUS] = "config.nr_vcpus: must be 1..512",
    [SDEI_E_CFG_MPIDR] = "config.mpidr: two vCPUs share one affinity",
    [SDEI_E_CFG_MAX_EVENTS] = "config.max_events: must be 1..128 (0 = 128)",
    [SDEI_E_CFG_BIND_SLOTS] = "config.private_bind_slots + shared_bind_slots exceed max_events",
    [SDEI_E_CFG_PROFILE] = "config.profile: unknown profile",
    [SDEI_E_CFG_QUIRKS] = "config.quirks: bad quirk bit, or config.quirks_override not 0 or 1",
    [SDEI_E_MEM_SIZE] = "memory for sdei_vm_init is smaller than sdei_vm_mem_size",
    [SDEI_E_NO_MEMORY] = "out of memory",
    [SDEI_E_VCPU] = "vCPU index out of range",
    [SDEI_E_EVENT] = "event number unknown or invalid",
    [SDEI_E_INTID] = "interrupt not bound to an SDEI event",
    [SDEI_E_FORMAT] = "malformed blob or saved VM",
    [SDEI_E_RANGE] = "index or count out of range",
    [SDEI_E_ALIGN] = "memory for sdei_vm_init is not 8-byte aligned",
    [SDEI_E_CFG_SPAN] = "config.sctlr_el1_span: must be 0 or 1",
    [SDEI_E_VCPU_OFF] = "vCPU is not running (off, suspended or frozen)",
    [SDEI_E_POWER_ACTION] = "unknown power action",
};

const char *sdei_strerror(int err)
{
    if (err < 0 || err >= (int)SDEI_ERR_COUNT) {
        return "unknown error";
    }
    return err_names[err];
}

static const char *const call_names[SDEI_CALL_COUNT] = {
    "VERSION",
    "EVENT_REGISTER",
    "EVENT_ENABLE",
    "EVENT_DISABLE",
    "EVENT_CONTEXT",
    "EVENT_COMPLETE",
    "EVENT_COMPLETE_AND_RESUME",
    "EVENT_UNREGISTER",
    "EVENT_STATUS",
    "EVENT_GET_INFO",
    "EVENT_ROUTING_SET",
    "PE_MASK",
    "PE_UNMASK",
    "INTERRUPT_BIND",
    "INTERRUPT_RELEASE",
    "EVENT_SIGNAL",
    "FEATURES",
    "PRIVATE_RESET",
    "SHARED_RESET",
};

const char *sdei_call_name(sdei_call_id call)
{
    return (unsigned)call < SDEI_CALL_COUNT ? call_names[call] : "?";
}

int sdei_call_by_name(const char *name)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < (int)SDEI_CALL_COUNT; i++) {
        if (strcmp(call_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

uint64_t sdei_call_fid(const sdei_vm *vm, sdei_call_id call)
{
    if ((unsigned)call >= SDEI_CALL_COUNT) {
        return 0;
    }
    if (call == SDEI_CALL_FEATURES && vm != NULL &&
        sdei_quirk(vm, SDEI_QUIRK_BIT(FEATURES_FID_0X50))) {
        return SDEI_FID_FEATURES_KVM_V5;
    }
    return SDEI_FID_BASE + (uint64_t)call;
}

static const struct {
    int64_t code;
    const char *name;
} result_names[] = {
    {SDEI_SUCCESS, "SUCCESS"},
    {SDEI_NOT_SUPPORTED, "NOT_SUPPORTED"},
    {SDEI_INVALID_PARAMETERS, "INVALID_PARAMETERS"},
    {SDEI_DENIED, "DENIED"},
    {SDEI_PENDING, "PENDING"},
    {SDEI_OUT_OF_RESOURCE, "OUT_OF_RESOURCE"},
};

const char *sdei_result_name(int64_t result)
{
    for (size_t i = 0; i < sizeof(result_names) / sizeof(result_names[0]); i++) {
        if (result_names[i].code == result) {
            return result_names[i].name;
        }
    }
    return NULL;
}

int sdei_result_by_name(const char *name, int64_t *out)
{
    if (name == NULL || out == NULL) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(result_names) / sizeof(result_names[0]); i++) {
        if (strcmp(result_names[i].name, name) == 0) {
            *out = result_names[i].code;
            return 0;
        }
    }
    return -1;
}

/* ---- views ---- */

uint32_t sdei_vm_event_count(const sdei_vm *vm)
{
    return vm != NULL ? vm->nr_exposed : 0;
}

sdei_err sdei_vm_event_at(const sdei_vm *vm, uint32_t index, sdei_event_desc *out)
{
    if (vm == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (index >= vm->nr_exposed) {
        return SDEI_E_RANGE;
    }
    const sdei_exposed *ex = &vm->exposed[index];
    out->num = ex->num;
    out->type = ex->type;
    out->priority = ex->priority;
    out->signaled = ex->signaled;
    return SDEI_OK;
}

/* The argument checks shared by the per-(event, vCPU) views. */
static sdei_err view_args(const sdei_vm *vm, uint64_t num, uint32_t vcpu, const void *out,
                          uint16_t *ev)
{
    if (vm == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    *ev = sdei_find_event(vm, num);
    return *ev == SDEI_NO_EVENT_INDEX ? SDEI_E_EVENT : SDEI_OK;
}

sdei_err sdei_event_state_of(const sdei_vm *vm, uint64_t num, uint32_t vcpu, sdei_event_state *out)
{
    uint16_t ev;
    sdei_err err = view_args(vm, num, vcpu, out, &ev);
    if (err != SDEI_OK) {
        return err;
    }
    *out = sdei_state_get(vm, ev, vcpu);
    return SDEI_OK;
}

sdei_err sdei_event_pending_count(const sdei_vm *vm, uint64_t num, uint32_t vcpu, uint32_t *out)
{
    uint16_t ev;
    sdei_err err = view_args(vm, num, vcpu, out, &ev);
    if (err != SDEI_OK) {
        return err;
    }
    const sdei_vcpu *vc = &vm->vcpus[vcpu];
    int32_t pos = sdei_queue_find(vc, vm->exposed[ev].num);
    uint32_t count = pos < 0 ? 0 : vc->queue[pos].event_count;
    uint32_t running = (vc->critical_ev == ev || vc->normal_ev == ev) ? 1u : 0u;
    *out = count > running ? count - running : 0;
    return SDEI_OK;
}

/* sdei_vcpu_view_of zeroes only the padding: none between these fields. */
_Static_assert(
    offsetof(sdei_vcpu_view, critical_num) == offsetof(sdei_vcpu_view, normal_num) + 8u &&
        offsetof(sdei_vcpu_view, normal_saved) == offsetof(sdei_vcpu_view, critical_num) + 8u &&
        offsetof(sdei_vcpu_view, critical_saved) ==
            offsetof(sdei_vcpu_view, normal_saved) + sizeof(((sdei_vcpu_view *)0)->normal_saved) &&
        offsetof(sdei_vcpu_view, queued) == offsetof(sdei_vcpu_view, critical_saved) +
                                                sizeof(((sdei_vcpu_view *)0)->critical_saved),
    "sdei_vcpu_view: no padding between normal_num and queued");

static void saved_to_view(const sdei_saved_regs *s, uint64_t *out)
{
    for (uint32_t i = 0; i < SDEI_SAVED_GPREGS; i++) {
        out[i] = s->regs[i];
    }
    out[SDEI_SAVED_GPREGS] = s->pc;
    out[SDEI_SAVED_GPREGS + 1] = s->pstate;
}

sdei_err sdei_vcpu_view_of(const sdei_vm *vm, uint32_t vcpu, sdei_vcpu_view *out)
{
    if (vm == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    const sdei_vcpu *vc = &vm->vcpus[vcpu];
    /* Views are compared byte for byte: zero the padding (the bytes around
     * the flags and after power), not the 344 bytes every field overwrites
     * (a memset of the whole view was a tenth of the simulator's time). */
    memset(out, 0, offsetof(sdei_vcpu_view, normal_num));
    memset((uint8_t *)out + offsetof(sdei_vcpu_view, queued), 0,
           sizeof(*out) - offsetof(sdei_vcpu_view, queued));
    out->masked = vc->masked;
    out->critical_num = vc->critical_num;
    out->normal_num = vc->normal_num;
    out->critical_running = vc->critical_ev != SDEI_NO_EVENT_INDEX;
    out->normal_running = vc->normal_ev != SDEI_NO_EVENT_INDEX;
    saved_to_view(&vc->critical_regs, out->critical_saved);
    saved_to_view(&vc->normal_regs, out->normal_saved);
    out->queued = vc->nr_queued;
    out->power = vc->power;
    return SDEI_OK;
}

sdei_err sdei_vcpu_view_brief(const sdei_vm *vm, uint32_t vcpu, sdei_vcpu_view *out)
{
    if (vm == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    const sdei_vcpu *vc = &vm->vcpus[vcpu];
    out->masked = vc->masked;
    out->normal_running = vc->normal_ev != SDEI_NO_EVENT_INDEX;
    out->critical_running = vc->critical_ev != SDEI_NO_EVENT_INDEX;
    out->normal_num = vc->normal_num;
    out->critical_num = vc->critical_num;
    out->queued = vc->nr_queued;
    out->power = vc->power;
    return SDEI_OK;
}

sdei_err sdei_vcpu_events(const sdei_vm *vm, uint32_t vcpu, sdei_event_obs *out, uint32_t cap,
                          uint32_t *n)
{
    if (vm == NULL || out == NULL || n == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    const sdei_vcpu *vc = &vm->vcpus[vcpu];
    uint32_t k = vm->nr_exposed < cap ? vm->nr_exposed : cap;
    uint64_t seen[(SDEI_MAX_EVENTS + 63u) / 64u] = {0};
    int exact = 1;
    for (uint32_t i = 0; i < k; i++) {
        out[i].num = vm->exposed[i].num;
        out[i].state = sdei_state_get(vm, (uint16_t)i, vcpu);
        out[i].pending = 0;
    }
    /* Pending counts in one pass over the vCPU's queue: each event's first
     * instance, as sdei_event_pending_count finds it by number. */
    for (uint32_t q = 0; q < vc->nr_queued && exact; q++) {
        uint16_t ev = vc->queue[q].ev;
        if (ev >= vm->nr_exposed || vm->exposed[ev].num != vc->queue[q].num) {
            exact = 0; /* a derived index out of step: look each event up */
        } else if (ev < k && !(seen[ev / 64u] & (UINT64_C(1) << (ev % 64u)))) {
            uint32_t count = vc->queue[q].event_count;
            uint32_t running = (vc->critical_ev == ev || vc->normal_ev == ev) ? 1u : 0u;
            seen[ev / 64u] |= UINT64_C(1) << (ev % 64u);
            out[ev].pending = count > running ? count - running : 0;
        }
    }
    for (uint32_t i = 0; i < k && !exact; i++) {
        int32_t pos = sdei_queue_find(vc, out[i].num);
        uint32_t count = pos < 0 ? 0 : vc->queue[pos].event_count;
        uint32_t running = (vc->critical_ev == i || vc->normal_ev == i) ? 1u : 0u;
        out[i].pending = count > running ? count - running : 0;
    }
    *n = k;
    return SDEI_OK;
}

/* One running slot of vCPU vc: it names a known event and that event's
 * vCPU event; counts the run in running[]. */
static const char *check_running_slot(const sdei_vm *vm, const sdei_vcpu *vc, int critical,
                                      uint32_t *running)
{
    uint16_t ev = critical ? vc->critical_ev : vc->normal_ev;
    uint64_t num = critical ? vc->critical_num : vc->normal_num;
    if (ev == SDEI_NO_EVENT_INDEX) {
        return NULL;
    }
    if (ev >= vm->nr_exposed || vm->exposed[ev].num != num) {
        return critical ? "critical running slot inconsistent" : "normal running slot inconsistent";
    }
    if (sdei_queue_find(vc, num) < 0) {
        return critical ? "running critical event has no vCPU event"
                        : "running normal event has no vCPU event";
    }
    running[ev]++;
    return NULL;
}

const char *sdei_vm_check(const sdei_vm *vm)
{
    if (vm == NULL) {
        return "vm is NULL";
    }
    uint32_t n = vm->cfg.nr_vcpus;
    uint32_t inst[SDEI_MAX_EVENTS];
    uint32_t running[SDEI_MAX_EVENTS];
    /* Only exposed events are counted (every index is checked against
     * nr_exposed first): the fuzz targets check after most actions. */
    uint32_t ne = vm->nr_exposed <= SDEI_MAX_EVENTS ? vm->nr_exposed : SDEI_MAX_EVENTS;
    memset(inst, 0, ne * sizeof(inst[0]));
    memset(running, 0, ne * sizeof(running[0]));
    for (uint32_t v = 0; v < n; v++) {
        const sdei_vcpu *vc = &vm->vcpus[v];
        if (vc->nr_queued > vm->cfg.max_events || vc->nr_critical_queued > vc->nr_queued) {
            return "vCPU queue counts out of range";
        }
        for (uint32_t i = 0; i < vc->nr_queued; i++) {
            const sdei_vcpu_event *q = &vc->queue[i];
            if (q->ev >= vm->nr_exposed || vm->exposed[q->ev].num != q->num) {
                return "vCPU event names an unknown event";
            }
            int critical = vm->exposed[q->ev].priority == SDEI_EVENT_PRIORITY_CRITICAL;
            if (critical != (i < vc->nr_critical_queued)) {
                return "vCPU queue not ordered critical-first";
            }
            for (uint32_t j = 0; j < i; j++) {
                if (vc->queue[j].num == q->num) {
                    return "two vCPU events with one number on one vCPU";
                }
            }
            inst[q->ev]++;
        }
        const char *slot = check_running_slot(vm, vc, 1, running);
        if (slot == NULL) {
            slot = check_running_slot(vm, vc, 0, running);
        }
        if (slot != NULL) {
            return slot;
        }
        /* A *_num naming no queued instance is not running: SET_VCPU_STATE
         * stores the numbers verbatim and runs only what it finds (kvm-v5 §6);
         * the blob lint reports such a state, it is not a model fault. */
    }
    uint32_t shared = 0;
    for (uint32_t e = 0; e < vm->nr_exposed; e++) {
        if (vm->reg[e].vcpu_event_count != inst[e]) {
            return "derived vcpu_event_count out of date";
        }
        if (vm->reg[e].running_count != running[e]) {
            return "derived running_count out of date";
        }
        shared += vm->exposed[e].type == SDEI_EVENT_TYPE_SHARED ? inst[e] : 0;
        for (uint32_t i = vm->reg[e].ep_extent; i < n; i++) {
            if (vm->reg[e].ep_address[i] != 0 || vm->reg[e].ep_arg[i] != 0) {
                return "an endpoint set past the derived ep_extent";
            }
        }
    }
    if (vm->nr_shared_queued != shared) {
        return "derived nr_shared_queued out of date";
    }
    if (vm->signal_ev != sdei_find_event(vm, SDEI_EVENT_SIGNAL_NUM)) {
        return "derived signal_ev out of date";
    }
    if (vm->calls != sdei_call_table(vm->quirks)) {
        return "derived call table not the quirk set's";
    }
    return NULL;
}
