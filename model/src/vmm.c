/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmm.c - the kernel's KVM_ARM_SDEI_COMMAND commands on the model
 * (kvm-v5 §1.3, §6), and the mapping between the VM and the four blobs.
 *
 * Every command answers with the kernel's errno values in the kernel's check
 * order. One deliberate difference, in every profile (DESIGN §4): a SET
 * validates the whole batch before it changes anything, so a rejected batch
 * leaves the VM exactly as it was (v5 could half-apply on -ENOMEM, §10 item 14;
 * the model never runs out of memory after init, so the results are the same).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "blob_internal.h"
#include "sdei/sdei_vmm.h"
#include "vm_internal.h"

/* ---- names ---- */

static const char *const cmd_names[SDEI_CMD_COUNT] = {
    [SDEI_CMD_GET_VERSION] = "GET_VERSION",
    [SDEI_CMD_GET_EXPOSED_EVENT_COUNT] = "GET_EXPOSED_EVENT_COUNT",
    [SDEI_CMD_GET_EXPOSED_EVENT] = "GET_EXPOSED_EVENT",
    [SDEI_CMD_SET_EXPOSED_EVENT] = "SET_EXPOSED_EVENT",
    [SDEI_CMD_GET_REGISTERED_EVENT_COUNT] = "GET_REGISTERED_EVENT_COUNT",
    [SDEI_CMD_GET_REGISTERED_EVENT] = "GET_REGISTERED_EVENT",
    [SDEI_CMD_SET_REGISTERED_EVENT] = "SET_REGISTERED_EVENT",
    [SDEI_CMD_GET_VCPU_EVENT_COUNT] = "GET_VCPU_EVENT_COUNT",
    [SDEI_CMD_GET_VCPU_EVENT] = "GET_VCPU_EVENT",
    [SDEI_CMD_SET_VCPU_EVENT] = "SET_VCPU_EVENT",
    [SDEI_CMD_GET_VCPU_STATE] = "GET_VCPU_STATE",
    [SDEI_CMD_SET_VCPU_STATE] = "SET_VCPU_STATE",
    [SDEI_CMD_INJECT_EVENT] = "INJECT_EVENT",
};

const char *sdei_vmm_cmd_name(uint32_t cmd)
{
    return cmd < SDEI_CMD_COUNT ? cmd_names[cmd] : NULL;
}

int sdei_vmm_cmd_by_name(const char *name)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < (int)SDEI_CMD_COUNT; i++) {
        if (strcmp(cmd_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

const char *sdei_errno_name(int32_t ret)
{
    switch (ret) {
    case 0:
        return "0";
    case -SDEI_EPERM:
        return "-EPERM";
    case -SDEI_ENOENT:
        return "-ENOENT";
    case -SDEI_EFAULT:
        return "-EFAULT";
    case -SDEI_EEXIST:
        return "-EEXIST";
    case -SDEI_EINVAL:
        return "-EINVAL";
    case -SDEI_ERANGE:
        return "-ERANGE";
    default:
        return NULL;
    }
}

/* ---- VM -> blob ---- */

uint32_t sdei_vm_event_cap(const sdei_vm *vm)
{
    return vm->cfg.max_events;
}

void sdei_exposed_encode_vm(const sdei_exposed *ex, uint8_t *out)
{
    sdei_put_le64(out + SDEI_EXP_OFF_NUM, ex->num);
    out[SDEI_EXP_OFF_TYPE] = ex->type;
    out[SDEI_EXP_OFF_SIGNALED] = ex->signaled;
    out[SDEI_EXP_OFF_PRIORITY] = ex->priority;
    for (uint32_t i = 0; i < SDEI_EXP_PADDING_LEN; i++) {
        out[SDEI_EXP_OFF_PADDING + i] = ex->padding[i];
    }
    sdei_put_le64(out + SDEI_EXP_OFF_NOTIFIER, ex->notifier);
}

void sdei_registered_encode_vm(const sdei_vm *vm, uint16_t ev, uint8_t *out)
{
    const sdei_registered *r = &vm->reg[ev];
    const uint32_t n = vm->cfg.nr_vcpus;
    sdei_put_le64(out + SDEI_REG_OFF_NUM, vm->exposed[ev].num);
    out[SDEI_REG_OFF_ROUTE_MODE] = r->route_mode;
    for (uint32_t i = 0; i < SDEI_REG_PADDING_LEN; i++) {
        out[SDEI_REG_OFF_PADDING + i] = r->padding[i];
    }
    for (uint32_t i = 0; i < SDEI_REG_HOLE_LEN; i++) {
        out[SDEI_REG_OFF_HOLE + i] = r->hole[i];
    }
    sdei_put_le64(out + SDEI_REG_OFF_ROUTE_AFFINITY, r->route_affinity);
    /* The model keeps nr_vcpus slots; the kernel's 512-slot arrays are zero
     * beyond the vCPUs that exist (kvm-v5 §1.2: slot = vcpu_idx). */
    for (uint32_t i = 0; i < n; i++) {
        sdei_put_le64(out + SDEI_REG_OFF_EP_ADDRESS + 8u * i, r->ep_address[i]);
        sdei_put_le64(out + SDEI_REG_OFF_EP_ARG + 8u * i, r->ep_arg[i]);
    }
    if (n < SDEI_MAX_VCPUS) {
        memset(out + SDEI_REG_OFF_EP_ADDRESS + 8u * n, 0, 8u * (SDEI_MAX_VCPUS - n));
        memset(out + SDEI_REG_OFF_EP_ARG + 8u * n, 0, 8u * (SDEI_MAX_VCPUS - n));
    }
    for (uint32_t w = 0; w < SDEI_REG_BITMAP_WORDS; w++) {
        sdei_put_le64(out + SDEI_REG_OFF_REGISTERED + 8u * w, r->registered[w]);
        sdei_put_le64(out + SDEI_REG_OFF_ENABLED + 8u * w, r->enabled[w]);
        sdei_put_le64(out + SDEI_REG_OFF_UNREGISTER_PENDING + 8u * w, r->unregister_pending[w]);
    }
}

void sdei_vcpu_event_encode_vm(const sdei_vcpu_event *ve, uint8_t *out)
{
    sdei_put_le64(out + SDEI_VEV_OFF_NUM, ve->num);
    sdei_put_le32(out + SDEI_VEV_OFF_EVENT_COUNT, ve->event_count);
    sdei_put_le32(out + SDEI_VEV_OFF_PADDING, ve->padding);
}

static void saved_regs_encode(const sdei_saved_regs *s, uint8_t *out)
{
    for (uint32_t i = 0; i < SDEI_VREGS_NR_REGS; i++) {
        sdei_put_le64(out + SDEI_VREGS_OFF_REGS + 8u * i, s->regs[i]);
    }
    sdei_put_le64(out + SDEI_VREGS_OFF_PC, s->pc);
    sdei_put_le64(out + SDEI_VREGS_OFF_PSTATE, s->pstate);
}

static void saved_regs_decode(const uint8_t *in, sdei_saved_regs *s)
{
    for (uint32_t i = 0; i < SDEI_VREGS_NR_REGS; i++) {
        s->regs[i] = sdei_get_le64(in + SDEI_VREGS_OFF_REGS + 8u * i);
    }
    s->pc = sdei_get_le64(in + SDEI_VREGS_OFF_PC);
    s->pstate = sdei_get_le64(in + SDEI_VREGS_OFF_PSTATE);
}

void sdei_vcpu_state_encode_vm(const sdei_vcpu *vc, uint8_t *out)
{
    out[SDEI_VST_OFF_MASKED] = vc->masked;
    for (uint32_t i = 0; i < SDEI_VST_PADDING_LEN; i++) {
        out[SDEI_VST_OFF_PADDING + i] = vc->padding[i];
    }
    sdei_put_le64(out + SDEI_VST_OFF_CRITICAL_NUM, vc->critical_num);
    sdei_put_le64(out + SDEI_VST_OFF_NORMAL_NUM, vc->normal_num);
    saved_regs_encode(&vc->critical_regs, out + SDEI_VST_OFF_CRITICAL_REGS);
    saved_regs_encode(&vc->normal_regs, out + SDEI_VST_OFF_NORMAL_REGS);
}

/* ---- blob -> VM (entries already validated) ---- */

void sdei_apply_exposed(sdei_vm *vm, const uint8_t *blob)
{
    uint64_t num = sdei_get_le64(blob + SDEI_EXP_OFF_NUM);
    uint16_t ev = sdei_find_event(vm, num);
    sdei_exposed ex;
    if (ev != SDEI_NO_EVENT_INDEX) {
        ex = vm->exposed[ev]; /* keeps the model's bind-slot fields */
    } else {
        memset(&ex, 0, sizeof(ex));
        ex.num = num;
    }
    ex.type = blob[SDEI_EXP_OFF_TYPE];
    ex.signaled = blob[SDEI_EXP_OFF_SIGNALED];
    ex.priority = blob[SDEI_EXP_OFF_PRIORITY];
    for (uint32_t i = 0; i < SDEI_EXP_PADDING_LEN; i++) {
        ex.padding[i] = blob[SDEI_EXP_OFF_PADDING + i];
    }
    ex.notifier = sdei_get_le64(blob + SDEI_EXP_OFF_NOTIFIER);
    if (ev != SDEI_NO_EVENT_INDEX) {
        /* kvm-v5 §6 SET_EXPOSED_EVENT step 5: an existing event is overwritten */
        vm->exposed[ev] = ex;
    } else {
        uint16_t idx = sdei_add_exposed(vm, &ex);
        SDEI_ASSERT(idx != SDEI_NO_EVENT_INDEX); /* the capacity was checked first */
    }
}

void sdei_apply_registered(sdei_vm *vm, const uint8_t *blob)
{
    uint64_t num = sdei_get_le64(blob + SDEI_REG_OFF_NUM);
    uint16_t ev = sdei_find_event(vm, num);
    SDEI_ASSERT(ev != SDEI_NO_EVENT_INDEX && !vm->reg[ev].present);
    sdei_reg_create(vm, ev);
    sdei_registered *r = &vm->reg[ev];
    const uint32_t n = vm->cfg.nr_vcpus;
    r->route_mode = blob[SDEI_REG_OFF_ROUTE_MODE];
    for (uint32_t i = 0; i < SDEI_REG_PADDING_LEN; i++) {
        r->padding[i] = blob[SDEI_REG_OFF_PADDING + i];
    }
    for (uint32_t i = 0; i < SDEI_REG_HOLE_LEN; i++) {
        r->hole[i] = blob[SDEI_REG_OFF_HOLE + i];
    }
    r->route_affinity = sdei_get_le64(blob + SDEI_REG_OFF_ROUTE_AFFINITY);
    /* Slots of vCPUs that do not exist are dropped (the lint reports them). */
    for (uint32_t i = 0; i < n; i++) {
        r->ep_address[i] = sdei_get_le64(blob + SDEI_REG_OFF_EP_ADDRESS + 8u * i);
        r->ep_arg[i] = sdei_get_le64(blob + SDEI_REG_OFF_EP_ARG + 8u * i);
    }
    for (uint32_t w = 0; w < SDEI_REG_BITMAP_WORDS; w++) {
        r->registered[w] = sdei_get_le64(blob + SDEI_REG_OFF_REGISTERED + 8u * w);
        r->enabled[w] = sdei_get_le64(blob + SDEI_REG_OFF_ENABLED + 8u * w);
        r->unregister_pending[w] = sdei_get_le64(blob + SDEI_REG_OFF_UNREGISTER_PENDING + 8u * w);
    }
}

void sdei_apply_vcpu_event(sdei_vm *vm, uint32_t v, const uint8_t *blob)
{
    uint64_t num = sdei_get_le64(blob + SDEI_VEV_OFF_NUM);
    uint32_t count = sdei_get_le32(blob + SDEI_VEV_OFF_EVENT_COUNT);
    uint32_t padding = sdei_get_le32(blob + SDEI_VEV_OFF_PADDING);
    sdei_vcpu *vc = &vm->vcpus[v];
    int32_t pos = sdei_queue_find(vc, num);
    if (pos >= 0) {
        /* kvm-v5 §6 SET_VCPU_EVENT step 5: merge into the existing instance */
        vc->queue[pos].event_count += count;
        return;
    }
    uint16_t ev = sdei_find_event(vm, num);
    SDEI_ASSERT(ev != SDEI_NO_EVENT_INDEX);
    sdei_queue_insert(vm, v, ev, count, padding);
}

void sdei_apply_vcpu_state(sdei_vm *vm, uint32_t v, const uint8_t *blob)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    vc->masked = blob[SDEI_VST_OFF_MASKED];
    for (uint32_t i = 0; i < SDEI_VST_PADDING_LEN; i++) {
        vc->padding[i] = blob[SDEI_VST_OFF_PADDING + i];
    }
    vc->critical_num = sdei_get_le64(blob + SDEI_VST_OFF_CRITICAL_NUM);
    vc->normal_num = sdei_get_le64(blob + SDEI_VST_OFF_NORMAL_NUM);
    saved_regs_decode(blob + SDEI_VST_OFF_CRITICAL_REGS, &vc->critical_regs);
    saved_regs_decode(blob + SDEI_VST_OFF_NORMAL_REGS, &vc->normal_regs);
}

/* ---- per-entry field checks shared with save.c ---- */

#define S_EXP "exposed_event_state"
#define S_REG "registered_event_state"
#define S_VEV "vcpu_event_state"
#define S_VST "vcpu_state"

/* Fills an entry check; strct, f and p are literals, so `what` is static. */
#define CHECK_SET(c, strct, f, o, p)                                                               \
    do {                                                                                           \
        (c)->field = (f);                                                                          \
        (c)->offset = (o);                                                                         \
        (c)->problem = (p);                                                                        \
        (c)->what = strct "." f ": " p;                                                            \
    } while (0)

int sdei_vmm_strict(const sdei_vm *vm)
{
    return !sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_NUMBER_LOOSE));
}

int32_t sdei_check_exposed_fields(const sdei_vm *vm, const uint8_t *e, sdei_entry_check *c)
{
    uint64_t num = sdei_get_le64(e + SDEI_EXP_OFF_NUM);
    /* kvm-v5 §6 SET_EXPOSED_EVENT step 4, in the kernel's order */
    if (!sdei_num_shape_ok(num, sdei_vmm_strict(vm))) {
        CHECK_SET(c, S_EXP, "num", SDEI_EXP_OFF_NUM, "not a supported event number (kvm-v5 §2)");
        return -SDEI_EINVAL;
    }
    if (e[SDEI_EXP_OFF_TYPE] > SDEI_EVENT_TYPE_SHARED) {
        CHECK_SET(c, S_EXP, "type", SDEI_EXP_OFF_TYPE, "not 0 (private) or 1 (shared)");
        return -SDEI_EINVAL;
    }
    if (e[SDEI_EXP_OFF_PRIORITY] > SDEI_EVENT_PRIORITY_CRITICAL) {
        CHECK_SET(c, S_EXP, "priority", SDEI_EXP_OFF_PRIORITY, "not 0 (normal) or 1 (critical)");
        return -SDEI_EINVAL;
    }
    return 0;
}

int sdei_exposed_attrs_differ(const sdei_exposed *ex, const uint8_t *e)
{
    return ex->type != e[SDEI_EXP_OFF_TYPE] || ex->signaled != e[SDEI_EXP_OFF_SIGNALED] ||
           ex->priority != e[SDEI_EXP_OFF_PRIORITY];
}

int32_t sdei_check_registered_fields(const sdei_vm *vm, const uint8_t *e, sdei_entry_check *c)
{
    uint64_t num = sdei_get_le64(e + SDEI_REG_OFF_NUM);
    /* kvm-v5 §6 SET_REGISTERED_EVENT step 4, in the kernel's order */
    if (!sdei_num_shape_ok(num, sdei_vmm_strict(vm))) {
        CHECK_SET(c, S_REG, "num", SDEI_REG_OFF_NUM, "not a supported event number (kvm-v5 §2)");
        return -SDEI_EINVAL;
    }
    if (e[SDEI_REG_OFF_ROUTE_MODE] > 1u) {
        CHECK_SET(c, S_REG, "route_mode", SDEI_REG_OFF_ROUTE_MODE, "not 0 (RM_ANY) or 1 (RM_PE)");
        return -SDEI_EINVAL;
    }
    return 0;
}

/* ---- the commands ---- */

typedef struct cmd_ctx {
    sdei_vm *vm;
    uint32_t vcpu;
    sdei_vmm_cmd_block *cmd;
    sdei_blob_error *err;
} cmd_ctx;

static int32_t fail_entry(const cmd_ctx *x, int32_t ret, const char *strct, uint32_t entry,
                          const sdei_entry_check *c, size_t entry_size)
{
    sdei_blob_error_set(x->err, strct, c->field, entry, x->vcpu, c->offset,
                        (size_t)entry * entry_size + c->offset, c->problem, ret);
    if (x->err != NULL) {
        x->err->what = c->what;
    }
    return ret;
}

static int32_t fail_cmd(const cmd_ctx *x, int32_t ret, const char *field, uint32_t offset,
                        const char *problem)
{
    sdei_blob_error_set(x->err, "kvm_sdei_cmd", field, 0, x->vcpu, offset, offset, problem, ret);
    return ret;
}

/* copy_{to,from}_user of count entries: -EFAULT for a NULL or short buffer. */
static int data_ok(const sdei_vmm_cmd_block *cmd, uint64_t count, uint64_t size)
{
    return cmd->data != NULL && (uint64_t)cmd->data_len / size >= count;
}

/* GET_*: fill count entries from the list, zero-fill the tail (kvm-v5 §6). */
static int32_t get_list(const cmd_ctx *x, uint32_t size, uint32_t have)
{
    const sdei_vm *vm = x->vm;
    uint32_t count = x->cmd->count;
    if (count == 0) {
        return 0;
    }
    if (!data_ok(x->cmd, count, size)) {
        return fail_cmd(x, -SDEI_EFAULT, "data", 8, "buffer NULL or shorter than count entries");
    }
    uint8_t *out = x->cmd->data;
    uint32_t n = have < count ? have : count;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *e = out + (size_t)i * size;
        switch (x->cmd->cmd) {
        case SDEI_CMD_GET_EXPOSED_EVENT:
            sdei_exposed_encode_vm(&vm->exposed[i], e);
            break;
        case SDEI_CMD_GET_REGISTERED_EVENT:
            sdei_registered_encode_vm(vm, vm->reg_order[i], e);
            break;
        default:
            sdei_vcpu_event_encode_vm(&vm->vcpus[x->vcpu].queue[i], e);
            break;
        }
    }
    if (count > n) {
        memset(out + (size_t)n * size, 0, (size_t)(count - n) * size);
    }
    return 0;
}

/* What differs between SET_EXPOSED_EVENT and SET_REGISTERED_EVENT (kvm-v5 §6):
 * the entry layout, the list the cap applies to, the rule an entry must not
 * break against the VM's state, and how an entry is applied. */
typedef struct set_list_kind {
    uint32_t size;
    const char *strct;
    const char *cap_problem;
    uint32_t num_off;     /* offset of the event number in an entry */
    sdei_entry_check dup; /* an event number twice in one batch */
    uint32_t (*have)(const sdei_vm *vm);
    int32_t (*check)(const sdei_vm *vm, const uint8_t *e, sdei_entry_check *c);
    int32_t (*conflict)(const sdei_vm *vm, const uint8_t *e, uint64_t num, sdei_entry_check *c);
    void (*apply)(sdei_vm *vm, const uint8_t *e);
} set_list_kind;

/* The SET_* steps both commands share, in the kernel's order (kvm-v5 §6):
 * 1 count 0 is a no-op; 2 the cap, checked before anything else even if every
 * entry is an update; 3 the copy; 4 every entry checked, none applied if one
 * fails; then all applied. */
#define DUP_PROBLEM "appears twice in the batch"

static int32_t set_list(const cmd_ctx *x, const set_list_kind *k)
{
    sdei_vm *vm = x->vm;
    uint32_t count = x->cmd->count;
    if (count == 0) {
        return 0;
    }
    if ((uint64_t)k->have(vm) + count > sdei_vm_event_cap(vm)) {
        return fail_cmd(x, -SDEI_ERANGE, "count", 4, k->cap_problem);
    }
    if (!data_ok(x->cmd, count, k->size)) {
        return fail_cmd(x, -SDEI_EFAULT, "data", 8, "buffer NULL or shorter than count entries");
    }
    sdei_nummap batch;
    sdei_nummap_init(&batch);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = x->cmd->data + (size_t)i * k->size;
        sdei_entry_check c;
        uint64_t num = sdei_get_le64(e + k->num_off);
        int32_t ret = k->check(vm, e, &c);
        if (ret == 0) {
            ret = k->conflict(vm, e, num, &c);
        }
        if (ret == 0 && sdei_nummap_put(&batch, num, (uint16_t)i) >= 0) {
            c = k->dup;
            ret = -SDEI_EINVAL;
        }
        if (ret != 0) {
            return fail_entry(x, ret, k->strct, i, &c, k->size);
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        k->apply(vm, x->cmd->data + (size_t)i * k->size);
    }
    return 0;
}

static uint32_t nr_exposed(const sdei_vm *vm)
{
    return vm->nr_exposed;
}

/* An update of an exposed event must keep its attributes (kvm-v5 §6). */
static int32_t exposed_conflict(const sdei_vm *vm, const uint8_t *e, uint64_t num,
                                sdei_entry_check *c)
{
    uint16_t ev = sdei_find_event(vm, num);
    if (ev != SDEI_NO_EVENT_INDEX && sdei_exposed_attrs_differ(&vm->exposed[ev], e)) {
        CHECK_SET(c, S_EXP, "type", SDEI_EXP_OFF_TYPE,
                  "exposed already with another type, signaled or priority");
        return -SDEI_EEXIST;
    }
    return 0;
}

static int32_t set_exposed(const cmd_ctx *x)
{
    static const set_list_kind kind = {
        .size = SDEI_BLOB_EXPOSED_SIZE,
        .strct = S_EXP,
        .cap_problem = "exposed events + count exceed 128",
        .num_off = SDEI_EXP_OFF_NUM,
        .dup = {"num", SDEI_EXP_OFF_NUM, DUP_PROBLEM, S_EXP ".num: " DUP_PROBLEM},
        .have = nr_exposed,
        .check = sdei_check_exposed_fields,
        .conflict = exposed_conflict,
        .apply = sdei_apply_exposed,
    };
    return set_list(x, &kind);
}

static uint32_t nr_registered(const sdei_vm *vm)
{
    return vm->nr_registered;
}

/* A registered object needs its exposed event and must not exist yet (kvm-v5 §6). */
static int32_t registered_conflict(const sdei_vm *vm, const uint8_t *e, uint64_t num,
                                   sdei_entry_check *c)
{
    (void)e;
    uint16_t ev = sdei_find_event(vm, num);
    if (ev == SDEI_NO_EVENT_INDEX) {
        CHECK_SET(c, S_REG, "num", SDEI_REG_OFF_NUM, "event not exposed");
        return -SDEI_ENOENT;
    }
    if (vm->reg[ev].present) {
        CHECK_SET(c, S_REG, "num", SDEI_REG_OFF_NUM, "event already has a registered object");
        return -SDEI_EEXIST;
    }
    return 0;
}

static int32_t set_registered(const cmd_ctx *x)
{
    static const set_list_kind kind = {
        .size = SDEI_BLOB_REGISTERED_SIZE,
        .strct = S_REG,
        .cap_problem = "registered events + count exceed 128",
        .num_off = SDEI_REG_OFF_NUM,
        .dup = {"num", SDEI_REG_OFF_NUM, DUP_PROBLEM, S_REG ".num: " DUP_PROBLEM},
        .have = nr_registered,
        .check = sdei_check_registered_fields,
        .conflict = registered_conflict,
        .apply = sdei_apply_registered,
    };
    int32_t ret = set_list(x, &kind);
    if (ret == 0 && x->cmd->count != 0) {
        sdei_vm_rebuild_derived(x->vm);
    }
    return ret;
}

static int32_t set_vcpu_event(const cmd_ctx *x)
{
    sdei_vm *vm = x->vm;
    const sdei_vcpu *vc = &vm->vcpus[x->vcpu];
    uint32_t count = x->cmd->count;
    const uint32_t size = SDEI_BLOB_VCPU_EVENT_SIZE;
    static const char strct[] = "vcpu_event_state";
    if (count == 0) {
        return 0; /* kvm-v5 §6 SET_VCPU_EVENT step 1 */
    }
    if (!data_ok(x->cmd, count, size)) {
        return fail_cmd(x, -SDEI_EFAULT, "data", 8, "buffer NULL or shorter than count entries");
    }
    int strict = sdei_vmm_strict(vm);
    uint32_t n = vc->nr_queued;
    sdei_nummap batch;
    sdei_nummap_init(&batch);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = x->cmd->data + (size_t)i * size;
        uint64_t num = sdei_get_le64(e + SDEI_VEV_OFF_NUM);
        sdei_entry_check c;
        /* step 3, in the kernel's order */
        if (!sdei_num_shape_ok(num, strict)) {
            CHECK_SET(&c, S_VEV, "num", SDEI_VEV_OFF_NUM,
                      "not a supported event number (kvm-v5 §2)");
            return fail_entry(x, -SDEI_EINVAL, strct, i, &c, size);
        }
        uint16_t ev = sdei_find_event(vm, num);
        if (ev == SDEI_NO_EVENT_INDEX) {
            CHECK_SET(&c, S_VEV, "num", SDEI_VEV_OFF_NUM, "event not exposed");
            return fail_entry(x, -SDEI_ENOENT, strct, i, &c, size);
        }
        if (!vm->reg[ev].present) {
            CHECK_SET(&c, S_VEV, "num", SDEI_VEV_OFF_NUM, "event has no registered object");
            return fail_entry(x, -SDEI_ENOENT, strct, i, &c, size);
        }
        if (sdei_queue_find(vc, num) < 0 && sdei_nummap_put(&batch, num, (uint16_t)0) < 0) {
            n++;
        }
    }
    /* step 4: the instance limit, after the loop. The kernel's check, kept for its order;
     * the model cannot exceed it: each instance counted is a distinct exposed number, so
     * n <= nr_exposed <= the event capacity <= 128. */
    if (SDEI_UNREACHABLE_BRANCH(n > SDEI_MAX_EVENTS || n > sdei_vm_event_cap(vm))) {
        return fail_cmd(x, -SDEI_ERANGE, "count", 4, "more than 128 vCPU events");
    }
    for (uint32_t i = 0; i < count; i++) {
        sdei_apply_vcpu_event(vm, x->vcpu, x->cmd->data + (size_t)i * size);
    }
    sdei_vm_rebuild_derived(vm);
    return 0;
}

static int32_t set_vcpu_state(const cmd_ctx *x)
{
    sdei_vm *vm = x->vm;
    const sdei_vcpu *vc = &vm->vcpus[x->vcpu];
    static const char strct[] = "vcpu_state";
    if (!data_ok(x->cmd, 1, SDEI_BLOB_VCPU_STATE_SIZE)) {
        return fail_cmd(x, -SDEI_EFAULT, "data", 8, "buffer NULL or shorter than 344 bytes");
    }
    const uint8_t *e = x->cmd->data;
    int strict = sdei_vmm_strict(vm);
    /* kvm-v5 §6 SET_VCPU_STATE step 2: critical first, then normal */
    for (uint32_t s = 0; s < 2u; s++) {
        sdei_entry_check c;
        if (s == 0) {
            CHECK_SET(&c, S_VST, "critical_num", SDEI_VST_OFF_CRITICAL_NUM,
                      "no vCPU event with this number");
        } else {
            CHECK_SET(&c, S_VST, "normal_num", SDEI_VST_OFF_NORMAL_NUM,
                      "no vCPU event with this number");
        }
        uint64_t num = sdei_get_le64(e + c.offset);
        if (sdei_num_shape_ok(num, strict) && sdei_queue_find(vc, num) < 0) {
            return fail_entry(x, -SDEI_EINVAL, strct, 0, &c, SDEI_BLOB_VCPU_STATE_SIZE);
        }
    }
    sdei_apply_vcpu_state(vm, x->vcpu, e);
    sdei_vm_rebuild_derived(vm);
    sdei_request_after_state(vm, x->vcpu);
    return 0;
}

static int32_t inject_event(const cmd_ctx *x)
{
    sdei_vm *vm = x->vm;
    uint64_t num = x->cmd->num;
    uint32_t v = x->vcpu;
    /* kvm-v5 §6 INJECT_EVENT, in the kernel's order */
    if (!sdei_num_shape_ok(num, sdei_vmm_strict(vm))) {
        return fail_cmd(x, -SDEI_EINVAL, "num", 8, "not a supported event number (kvm-v5 §2)");
    }
    uint16_t ev = sdei_find_event(vm, num);
    if (ev == SDEI_NO_EVENT_INDEX || !vm->reg[ev].present) {
        return fail_cmd(x, -SDEI_ENOENT, "num", 8, "event has no registered object");
    }
    static const char *const why[] = {NULL, "event not registered on this vCPU",
                                      "event disabled on this vCPU", "vCPU masked"};
    sdei_refusal no = sdei_inject_refusal(vm, ev, v);
    /* The spec profile latches a trigger for a disabled event or a masked vCPU
     * (sdei-rules §7.4, DESIGN §3.1 inject_masked_eperm); v5 refuses it. */
    if (no == SDEI_REFUSE_UNREGISTERED ||
        (no != SDEI_REFUSE_NONE && sdei_quirk(vm, SDEI_QUIRK_BIT(INJECT_MASKED_EPERM)))) {
        return fail_cmd(x, -SDEI_EPERM, "num", 8, why[no]);
    }
    (void)sdei_latch(vm, ev, v);
    return 0;
}

int32_t sdei_vmm_command_ex(sdei_vm *vm, uint32_t vcpu, sdei_vmm_cmd_block *cmd,
                            sdei_blob_error *err)
{
    cmd_ctx x = {vm, vcpu, cmd, err};
    if (vm == NULL || cmd == NULL) {
        return -SDEI_EFAULT; /* copy_from_user of the command block */
    }
    if (vcpu != SDEI_VMM_VM && vcpu >= vm->cfg.nr_vcpus) {
        return -SDEI_EINVAL;
    }
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(ABSENT) | SDEI_QUIRK_BIT(EVENT_TABLE_KVM) |
                           SDEI_QUIRK_BIT(NO_SDEI_COMMAND))) {
        /* sdei_absent, v6 (no_sdei_command) and v7 (its state moves in
         * firmware registers, sdei_fwreg.h): no KVM_ARM_SDEI_COMMAND; arm64 KVM
         * answers an ioctl it does not know with -EINVAL (kvm_arch_vm_ioctl,
         * kvm_arch_vcpu_ioctl) */
        return fail_cmd(&x, -SDEI_EINVAL, "cmd", 0, "no SDEI commands on this kernel");
    }
    int on_vm = vcpu == SDEI_VMM_VM;
    /* kvm-v5 §1.3: each fd's switch knows only its own commands */
    int vm_cmd = cmd->cmd <= SDEI_CMD_SET_REGISTERED_EVENT;
    if (cmd->cmd >= SDEI_CMD_COUNT || vm_cmd != on_vm) {
        return fail_cmd(&x, -SDEI_EINVAL, "cmd", 0, "unknown command for this fd");
    }
    switch ((sdei_vmm_cmd)cmd->cmd) {
    case SDEI_CMD_GET_VERSION:
        cmd->count = SDEI_KVM_IMPL_VERSION;
        return 0;
    case SDEI_CMD_GET_EXPOSED_EVENT_COUNT:
        cmd->count = vm->nr_exposed;
        return 0;
    case SDEI_CMD_GET_EXPOSED_EVENT:
        return get_list(&x, SDEI_BLOB_EXPOSED_SIZE, vm->nr_exposed);
    case SDEI_CMD_SET_EXPOSED_EVENT:
        return set_exposed(&x);
    case SDEI_CMD_GET_REGISTERED_EVENT_COUNT:
        cmd->count = vm->nr_registered;
        return 0;
    case SDEI_CMD_GET_REGISTERED_EVENT:
        return get_list(&x, SDEI_BLOB_REGISTERED_SIZE, vm->nr_registered);
    case SDEI_CMD_SET_REGISTERED_EVENT:
        return set_registered(&x);
    case SDEI_CMD_GET_VCPU_EVENT_COUNT:
        cmd->count = vm->vcpus[vcpu].nr_queued;
        return 0;
    case SDEI_CMD_GET_VCPU_EVENT:
        return get_list(&x, SDEI_BLOB_VCPU_EVENT_SIZE, vm->vcpus[vcpu].nr_queued);
    case SDEI_CMD_SET_VCPU_EVENT:
        return set_vcpu_event(&x);
    case SDEI_CMD_GET_VCPU_STATE:
        if (!data_ok(cmd, 1, SDEI_BLOB_VCPU_STATE_SIZE)) {
            return fail_cmd(&x, -SDEI_EFAULT, "data", 8, "buffer NULL or shorter than 344 bytes");
        }
        sdei_vcpu_state_encode_vm(&vm->vcpus[vcpu], cmd->data);
        return 0;
    case SDEI_CMD_SET_VCPU_STATE:
        return set_vcpu_state(&x);
    case SDEI_CMD_INJECT_EVENT:
    default: /* cmd < SDEI_CMD_COUNT was checked above: INJECT_EVENT is all that is left */
        return inject_event(&x);
    }
}

int32_t sdei_vmm_command(sdei_vm *vm, uint32_t vcpu, sdei_vmm_cmd_block *cmd)
{
    return sdei_vmm_command_ex(vm, vcpu, cmd, NULL);
}
