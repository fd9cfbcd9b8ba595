/* SPDX-License-Identifier: BSD-3-Clause */
/* exec.c - the one executor: actions to an implementation (see exec.h). */
#include "exec.h"
#include "diag.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "blobfmt.h"
#include "names.h"

sdei_config sim_header_config(const sim_header *h)
{
    sdei_config c = sdei_config_default(h->vcpus);
    c.profile = h->profile;
    c.quirks_override = h->quirks_override;
    c.quirks = h->quirks;
    c.sctlr_el1_span = h->span;
    if (h->max_events != 0) {
        c.max_events = h->max_events;
    }
    if (h->has_bind) {
        c.private_bind_slots = h->private_bind_slots;
        c.shared_bind_slots = h->shared_bind_slots;
    }
    if (h->nr_mpidr != 0) {
        c.mpidr = h->mpidr; /* copied by sim_target_init_impl */
    }
    return c;
}

/* The function IDs of the VM's calls (a profile may move one: kvm-v5's
 * FEATURES), read once per VM: they are a property of its configuration. */
static void cache_fids(sim_target *t)
{
    for (unsigned c = 0; c < SDEI_CALL_COUNT; c++) {
        t->fid[c] = t->ops->call_fid(t->impl, (sdei_call_id)c);
    }
}

int sim_target_init_impl(sim_target *t, const sim_impl_ops *ops, const sdei_config *cfg, char *err,
                         size_t errlen)
{
    memset(t, 0, sizeof(*t));
    t->ops = ops;
    t->cfg = *cfg;
    if (cfg->mpidr != NULL && cfg->nr_vcpus <= SDEI_MAX_VCPUS) {
        memcpy(t->mpidr, cfg->mpidr, cfg->nr_vcpus * sizeof(uint64_t));
        t->cfg.mpidr = t->mpidr;
    }
    if (ops->create(&t->cfg, &t->impl, err, errlen) != 0) {
        t->impl = NULL;
        return -1;
    }
    cache_fids(t);
    t->out = malloc(SIM_TRACE_MAX_DATA);
    t->in = malloc(SIM_TRACE_MAX_DATA);
    if (t->out == NULL || t->in == NULL) {
        sim_target_fini(t);
        return sim_errf(err, errlen, "out of memory");
    }
    return 0;
}

int sim_target_init(sim_target *t, const sdei_config *cfg, char *err, size_t errlen)
{
    return sim_target_init_impl(t, &sim_impl_model, cfg, err, errlen);
}

int sim_target_reopen(sim_target *t, char *err, size_t errlen)
{
    if (t->impl != NULL && t->ops->reset != NULL) {
        if (t->ops->reset(t->impl, &t->cfg, err, errlen) != 0) {
            t->ops->destroy(t->impl); /* as a failed create: no VM */
            t->impl = NULL;
            return -1;
        }
        t->migrations = t->unobservable = t->unavailable = 0;
        cache_fids(t);
        return 0;
    }
    if (t->impl != NULL) {
        t->ops->destroy(t->impl);
        t->impl = NULL;
    }
    if (t->ops->create(&t->cfg, &t->impl, err, errlen) != 0) {
        t->impl = NULL;
        return -1;
    }
    t->migrations = t->unobservable = t->unavailable = 0;
    cache_fids(t);
    return 0;
}

void sim_target_fini(sim_target *t)
{
    if (t->impl != NULL) {
        t->ops->destroy(t->impl);
    }
    if (t->spare != NULL) {
        t->ops->destroy(t->spare);
        t->spare = NULL;
    }
    free(t->out);
    free(t->in);
    free(t->blobs);
    t->impl = NULL;
    t->out = t->in = t->blobs = NULL;
    t->blobs_len = t->blobs_cap = 0;
}

static void set_err(sim_result *r, int e)
{
    r->kind = SIM_R_ERR;
    r->err = (int32_t)e;
    r->fields = SIM_F_ERR;
}

static size_t cmd_entry_size(uint32_t cmd)
{
    switch (cmd) {
    case SDEI_CMD_GET_EXPOSED_EVENT:
    case SDEI_CMD_SET_EXPOSED_EVENT:
        return SDEI_BLOB_EXPOSED_SIZE;
    case SDEI_CMD_GET_REGISTERED_EVENT:
    case SDEI_CMD_SET_REGISTERED_EVENT:
        return SDEI_BLOB_REGISTERED_SIZE;
    case SDEI_CMD_GET_VCPU_EVENT:
    case SDEI_CMD_SET_VCPU_EVENT:
        return SDEI_BLOB_VCPU_EVENT_SIZE;
    case SDEI_CMD_GET_VCPU_STATE:
    case SDEI_CMD_SET_VCPU_STATE:
        return SDEI_BLOB_VCPU_STATE_SIZE;
    default:
        return 0;
    }
}

static int is_get(uint32_t cmd)
{
    return cmd == SDEI_CMD_GET_EXPOSED_EVENT || cmd == SDEI_CMD_GET_REGISTERED_EVENT ||
           cmd == SDEI_CMD_GET_VCPU_EVENT || cmd == SDEI_CMD_GET_VCPU_STATE;
}

/* Builds the command block of a `vmm` action in b (buffers of t). */
static int vmm_block(sim_target *t, const sim_action *a, sdei_vmm_cmd_block *b)
{
    size_t esz = cmd_entry_size(a->vmm_cmd);
    memset(b, 0, sizeof(*b));
    b->cmd = a->vmm_cmd;
    b->num = a->num;
    if (a->data != NULL) {
        /* SET: the data given; count defaults to the number of entries. */
        memcpy(t->in, a->data, a->data_len);
        b->data = t->in;
        b->data_len = a->data_len;
        b->count = a->has_count ? a->count : (esz != 0 ? (uint32_t)(a->data_len / esz) : 0);
        return SDEI_OK;
    }
    if (!is_get(a->vmm_cmd)) {
        b->count = a->count;
        return SDEI_OK;
    }
    uint32_t count = a->count;
    if (!a->has_count && a->vmm_cmd != SDEI_CMD_GET_VCPU_STATE) {
        /* No count: ask the matching *_COUNT command first, as a VMM does. */
        sdei_vmm_cmd_block c;
        int32_t ret = -1;
        memset(&c, 0, sizeof(c));
        c.cmd = a->vmm_cmd - 1u;
        int e = t->ops->vmm(t->impl, a->vcpu, &c, &ret);
        if (e != SDEI_OK) {
            return e;
        }
        if (ret == 0) {
            count = c.count;
        }
    }
    size_t need = a->vmm_cmd == SDEI_CMD_GET_VCPU_STATE ? esz : (size_t)count * esz;
    if (need > SIM_TRACE_MAX_DATA) {
        need = SIM_TRACE_MAX_DATA; /* the command answers -EFAULT, as a short user buffer */
    }
    memset(t->out, 0xee, need);
    b->count = count;
    b->data = t->out;
    b->data_len = need;
    return SDEI_OK;
}

static int exec_vmm(sim_target *t, const sim_action *a, sim_result *r)
{
    sdei_vmm_cmd_block b;
    int e = vmm_block(t, a, &b);
    if (e == SDEI_OK) {
        e = t->ops->vmm(t->impl, a->vcpu, &b, &r->ret);
    }
    if (e != SDEI_OK) {
        return e;
    }
    r->kind = SIM_R_VMM;
    r->fields |= SIM_F_RET;
    if (r->ret == 0 &&
        (a->vmm_cmd == SDEI_CMD_GET_VERSION || a->vmm_cmd == SDEI_CMD_GET_EXPOSED_EVENT_COUNT ||
         a->vmm_cmd == SDEI_CMD_GET_REGISTERED_EVENT_COUNT ||
         a->vmm_cmd == SDEI_CMD_GET_VCPU_EVENT_COUNT)) {
        r->count = b.count;
        r->fields |= SIM_F_COUNT;
    }
    if (r->ret == 0 && is_get(a->vmm_cmd)) {
        r->data = t->out;
        r->data_len = b.data_len;
        r->fields |= SIM_F_DATA;
    }
    return SDEI_OK;
}

static int exec_deliver(sim_target *t, const sim_action *a, sim_result *r)
{
    sdei_delivery d;
    int e = t->ops->deliver(t->impl, a->vcpu, &d);
    if (e != SDEI_OK) {
        return e;
    }
    if (!d.delivered) {
        r->kind = SIM_R_NONE;
        return SDEI_OK;
    }
    r->kind = SIM_R_ENTERED;
    r->on = a->vcpu;
    r->num = d.num;
    r->prio = d.priority;
    r->preempted = d.preempted;
    r->fields = SIM_F_NUM | SIM_F_PRIO | SIM_F_PREEMPTED;
    sim_result_fill_regs(r, t->ops->regs(t->impl, a->vcpu));
    return SDEI_OK;
}

static int exec_trigger(sim_target *t, const sim_action *a, sim_result *r)
{
    sdei_trigger_result tr = SDEI_TRIGGER_DROPPED;
    int e = a->kind == SIM_A_TRIGGER ? t->ops->trigger(t->impl, a->num, a->vcpu, &tr)
                                     : t->ops->irq(t->impl, a->intid, a->vcpu, &tr);
    if (e == SDEI_OK) {
        r->kind = tr == SDEI_TRIGGER_PENDING ? SIM_R_PENDING : SIM_R_DROPPED;
    }
    return e;
}

static int exec_expose(sim_target *t, const sim_action *a, sim_result *r)
{
    sdei_event_desc d = {a->num, a->type, a->priority, a->signaled};
    int e = t->ops->expose(t->impl, &d);
    if (e == SDEI_OK) {
        r->kind = SIM_R_OK;
    }
    return e;
}

static int exec_setreg(sim_target *t, const sim_action *a, sim_result *r)
{
    sdei_regs *g = t->ops->regs(t->impl, a->vcpu);
    for (unsigned i = 0; i < a->nregs; i++) {
        *sim_reg_ptr(g, a->reg[i]) = a->val[i];
    }
    r->kind = SIM_R_OK;
    return SDEI_OK;
}

/* power / vcpu_reset (docs/model.md "Power"). */
static int exec_power(sim_target *t, const sim_action *a, sim_result *r)
{
    sdei_power_info info = {SDEI_POWER_DONE, 0};
    int e = a->kind == SIM_A_POWER
                ? t->ops->power(t->impl, a->vcpu, (sdei_power_action)a->power, &info)
                : t->ops->vcpu_reset(t->impl, a->vcpu);
    if (e != SDEI_OK) {
        return e;
    }
    if (a->kind == SIM_A_VCPU_RESET) {
        r->kind = SIM_R_OK;
        return SDEI_OK;
    }
    r->kind = SIM_R_POWER;
    r->power = info.result;
    r->completed = info.completed;
    r->fields |= SIM_F_POWER | SIM_F_COMPLETED;
    return SDEI_OK;
}

/* What each action needs of the implementation. */
static const uint32_t act_caps[SIM_A_COUNT] = {
    [SIM_A_HVC] = SIM_CAP_HVC,         [SIM_A_SETREG] = 0,
    [SIM_A_DELIVER] = SIM_CAP_DELIVER, [SIM_A_TRIGGER] = SIM_CAP_TRIGGER,
    [SIM_A_IRQ] = SIM_CAP_IRQ,         [SIM_A_VMM] = SIM_CAP_VMM,
    [SIM_A_MIGRATE] = SIM_CAP_MIGRATE, [SIM_A_EXPOSE] = SIM_CAP_EXPOSE,
    [SIM_A_POWER] = SIM_CAP_POWER,     [SIM_A_VCPU_RESET] = SIM_CAP_VCPU_RESET,
};

static int needs_vcpu(const sim_action *a)
{
    return a->kind != SIM_A_MIGRATE && a->kind != SIM_A_EXPOSE && a->kind != SIM_A_TRIGGER &&
           !(a->kind == SIM_A_VMM && a->vcpu == SDEI_VMM_VM);
}

static inline __attribute__((always_inline)) int dispatch(sim_target *t, const sim_action *a,
                                                          sim_result *r, char *err, size_t errlen)
{
    switch (a->kind) {
    case SIM_A_HVC:
        return sim_exec_hvc(t, a, r);
    case SIM_A_SETREG:
        return exec_setreg(t, a, r);
    case SIM_A_DELIVER:
        return exec_deliver(t, a, r);
    case SIM_A_TRIGGER:
    case SIM_A_IRQ:
        return exec_trigger(t, a, r);
    case SIM_A_VMM:
        return exec_vmm(t, a, r);
    case SIM_A_MIGRATE: {
        int e = a->via_vmm ? sim_migrate_vmm(t, err, errlen) : sim_migrate(t, err, errlen);
        if (e == SDEI_OK) {
            r->kind = SIM_R_OK;
        }
        return e;
    }
    case SIM_A_POWER:
    case SIM_A_VCPU_RESET:
        return exec_power(t, a, r);
    default: /* SIM_A_EXPOSE: the kind was range-checked by the caller */
        return exec_expose(t, a, r);
    }
}

/* An action's error: a finding of the implementation (err says what), an
 * action it cannot take after all (counted), or an API error (a result). */
int sim_exec_error(sim_target *t, sim_result *r, int e, char *err, size_t errlen)
{
    if (e == SIM_IMPL_FINDING) {
        const char *why = t->ops->finding != NULL ? t->ops->finding(t->impl) : NULL;
        snprintf(err, errlen, "%s", why != NULL ? why : "no detail given");
        return SIM_IMPL_FINDING;
    }
    if (e == SIM_IMPL_UNAVAILABLE) {
        sim_result_clear(r);
        r->kind = SIM_R_UNAVAILABLE;
        t->unavailable++;
        return 0;
    }
    /* A refused migration (SDEI_E_FORMAT) is a result: kvm-v5 cannot always
     * restore its own save (docs/trace-format.md). */
    set_err(r, e);
    return 0;
}

/* sim_exec_generic's body, also inline in sim_exec (one frame per action). */
static inline __attribute__((always_inline)) int
exec_generic(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen)
{
    sim_result_clear(r);
    if (a->kind >= SIM_A_COUNT) {
        return sim_errf(err, errlen, "unknown action kind %u", a->kind);
    }
    if (a->kind == SIM_A_DELIVER_ANY) {
        return sim_exec_deliver_any(t, a, r, err, errlen); /* one deliver per candidate */
    }
    if (needs_vcpu(a) && a->vcpu >= t->cfg.nr_vcpus) {
        return sim_errf(err, errlen, "vCPU %u does not exist (the VM has %u)", a->vcpu,
                        t->cfg.nr_vcpus);
    }
    if (!sim_target_can(t, act_caps[a->kind])) {
        r->kind = SIM_R_UNAVAILABLE;
        t->unavailable++;
        return 0;
    }
    if (errlen != 0) {
        err[0] = '\0'; /* an implementation may report a finding itself */
    }
    int e = dispatch(t, a, r, err, errlen);
    return e == SDEI_OK ? 0 : sim_exec_error(t, r, e, err, errlen);
}

int sim_exec_generic(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen)
{
    return exec_generic(t, a, r, err, errlen);
}

int sim_exec(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen)
{
    if (a->kind == SIM_A_HVC && a->vcpu < t->cfg.nr_vcpus && sim_target_can(t, SIM_CAP_HVC)) {
        return sim_exec_inline(t, a, r, err, errlen);
    }
    return exec_generic(t, a, r, err, errlen);
}

int sim_migrate(sim_target *t, char *err, size_t errlen)
{
    int e = t->ops->migrate(t->impl, err, errlen);
    if (e == SDEI_OK) {
        t->migrations++;
        cache_fids(t);
    }
    return e;
}

/* SETs into dst the batches sim_fetch_all_blobs wrote into t->blobs, in its
 * order, which is the restore order (DESIGN §4). Returns SDEI_OK, or
 * SDEI_E_FORMAT with a message when dst refuses one. */
static int set_all_blobs(sim_target *t, sim_impl *dst, char *err, size_t errlen)
{
    static const uint32_t set_cmd[SIM_BLOB_COUNT] = {
        SDEI_CMD_SET_EXPOSED_EVENT, SDEI_CMD_SET_REGISTERED_EVENT, SDEI_CMD_SET_VCPU_EVENT,
        SDEI_CMD_SET_VCPU_STATE};
    size_t off = 0;
    for (unsigned k = 0; k < SIM_BLOB_COUNT; k++) {
        uint32_t vmax = k <= SIM_BLOB_REGISTERED ? 1 : t->cfg.nr_vcpus, n = 0;
        for (uint32_t v = 0; v < vmax; v++) {
            memcpy(&n, t->blobs + off, sizeof(n));
            off += sizeof(n);
            sdei_vmm_cmd_block b = {.cmd = set_cmd[k],
                                    .count = k == SIM_BLOB_VCPU_STATE ? 0 : n,
                                    .data = t->blobs + off, /* SET reads it: no copy */
                                    .data_len = (size_t)n * sim_blob_entry_size(k)};
            int32_t ret = -1;
            off += b.data_len;
            if (n == 0) {
                continue;
            }
            int e = t->ops->vmm(dst, k <= SIM_BLOB_REGISTERED ? SDEI_VMM_VM : v, &b, &ret);
            if (e == SDEI_OK && ret != 0) {
                (void)sim_errf(err, errlen, "migrate: the fresh VM refuses the %s blobs (%d)",
                               sim_blob_kind_name(k), ret);
                e = SDEI_E_FORMAT;
            }
            if (e != SDEI_OK) {
                return e;
            }
        }
    }
    return SDEI_OK;
}

/* The destination of a VMM migration: the spare VM, reset (one allocation
 * per target, not per migration), or a new one. */
static int fresh_vm(sim_target *t, sim_impl **out, char *err, size_t errlen)
{
    if (t->spare != NULL && t->ops->reset != NULL &&
        t->ops->reset(t->spare, &t->cfg, err, errlen) == 0) {
        *out = t->spare;
        t->spare = NULL;
        return 0;
    }
    if (t->spare != NULL) {
        t->ops->destroy(t->spare);
        t->spare = NULL;
    }
    return t->ops->create(&t->cfg, out, err, errlen);
}

/* Keeps a used VM as the next spare when the implementation can reset it. */
static void retire_vm(sim_target *t, sim_impl *vm)
{
    if (t->ops->reset != NULL && t->spare == NULL) {
        t->spare = vm;
    } else {
        t->ops->destroy(vm);
    }
}

int sim_migrate_vmm(sim_target *t, char *err, size_t errlen)
{
    sim_impl *fresh = NULL;
    sdei_vmm_cmd_block probe = {.cmd = SDEI_CMD_GET_VERSION};
    int32_t pret = 0;
    /* Without KVM_ARM_SDEI_COMMAND there is nothing to migrate this way: the
     * kvm and v6/v7 kernel targets say so, the model in a profile without the
     * commands (absent, kvm-v6, kvm-v7) refuses GET_VERSION; both answer
     * "not available", so that the two sides of a lockstep agree. */
    if (t->ops->vmm(t->impl, SDEI_VMM_VM, &probe, &pret) == SIM_IMPL_UNAVAILABLE || pret < 0) {
        return SIM_IMPL_UNAVAILABLE;
    }
    t->blobs_len = 0;
    if (fresh_vm(t, &fresh, err, errlen) != 0) {
        return SDEI_E_NO_MEMORY;
    }
    /* Every GET first, kept in t->blobs, then every SET. */
    unsigned bad = 0;
    size_t len = 0;
    int e = SDEI_OK;
    if (sim_fetch_all_blobs(t, &t->blobs, &t->blobs_cap, &len, &bad) != 0) {
        (void)sim_errf(err, errlen, "migrate: GET of the %s blobs failed", sim_blob_kind_name(bad));
        e = SDEI_E_FORMAT;
    } else {
        t->blobs_len = len;
        e = set_all_blobs(t, fresh, err, errlen);
    }
    if (e != SDEI_OK) {
        retire_vm(t, fresh);
        return e;
    }
    /* The register file travels with the vCPU (KVM_GET/SET_ONE_REG). */
    for (uint32_t v = 0; v < t->cfg.nr_vcpus; v++) {
        *t->ops->regs(fresh, v) = *t->ops->regs(t->impl, v);
    }
    retire_vm(t, t->impl);
    t->impl = fresh;
    t->migrations++;
    cache_fids(t);
    return SDEI_OK;
}
