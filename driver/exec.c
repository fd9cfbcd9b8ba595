/* SPDX-License-Identifier: BSD-3-Clause */
/* exec.c - apply trace actions to the model (see exec.h). */
#include "exec.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "blobfmt.h"
#include "names.h"

/* Comparisons may run silently first (f = NULL), then again to report. */
#define OUT(...)                                                                           \
    do {                                                                                   \
        if (f != NULL) {                                                                   \
            fprintf(f, __VA_ARGS__);                                                       \
        }                                                                                  \
    } while (0)

static int ferr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int ferr(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

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
    return c;
}

int sim_target_init(sim_target *t, const sdei_config *cfg, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    t->cfg = *cfg;
    if (cfg->mpidr != NULL && cfg->nr_vcpus <= SDEI_MAX_VCPUS) {
        memcpy(t->mpidr, cfg->mpidr, cfg->nr_vcpus * sizeof(uint64_t));
        t->cfg.mpidr = t->mpidr;
    }
    sdei_err e = sdei_vm_new(&t->cfg, &t->vm);
    if (e != SDEI_OK) {
        t->vm = NULL;
        return ferr(err, errlen, "the model refuses this configuration: %s", sdei_strerror(e));
    }
    t->out = malloc(SIM_TRACE_MAX_DATA);
    t->in = malloc(SIM_TRACE_MAX_DATA);
    if (t->out == NULL || t->in == NULL) {
        sim_target_fini(t);
        return ferr(err, errlen, "out of memory");
    }
    return 0;
}

void sim_target_fini(sim_target *t)
{
    if (t->vm != NULL) {
        sdei_vm_free(t->vm);
    }
    free(t->out);
    free(t->in);
    free(t->save);
    t->vm = NULL;
    t->out = t->in = t->save = NULL;
}

/* Calls whose x0 is a status (SUCCESS or an error), printed by name. */
static int is_status_call(unsigned call)
{
    switch (call) {
    case SDEI_CALL_EVENT_REGISTER:
    case SDEI_CALL_EVENT_ENABLE:
    case SDEI_CALL_EVENT_DISABLE:
    case SDEI_CALL_EVENT_COMPLETE:
    case SDEI_CALL_EVENT_COMPLETE_AND_RESUME:
    case SDEI_CALL_EVENT_UNREGISTER:
    case SDEI_CALL_EVENT_ROUTING_SET:
    case SDEI_CALL_PE_UNMASK:
    case SDEI_CALL_INTERRUPT_RELEASE:
    case SDEI_CALL_EVENT_SIGNAL:
    case SDEI_CALL_PRIVATE_RESET:
    case SDEI_CALL_SHARED_RESET:
        return 1;
    default:
        return 0;
    }
}

static void fill_regs(sim_result *r, const sdei_regs *g)
{
    r->x[0] = g->x[0];
    r->x[1] = g->x[1];
    r->x[2] = g->x[2];
    r->x[3] = g->x[3];
    r->pc = g->pc;
    r->pstate = g->pstate;
    r->elr = g->elr_el1;
    r->spsr = g->spsr_el1;
    r->fields |= SIM_F_X0 | SIM_F_X1 | SIM_F_X2 | SIM_F_X3 | SIM_F_PC | SIM_F_PSTATE |
                 SIM_F_ELR | SIM_F_SPSR;
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

static void exec_vmm(sim_target *t, const sim_action *a, sim_result *r)
{
    sdei_vmm_cmd_block b;
    size_t esz = cmd_entry_size(a->vmm_cmd);
    memset(&b, 0, sizeof(b));
    b.cmd = a->vmm_cmd;
    b.num = a->num;
    r->kind = SIM_R_VMM;
    if (a->data != NULL) {
        /* SET: the data given; count defaults to the number of entries. */
        memcpy(t->in, a->data, a->data_len);
        b.data = t->in;
        b.data_len = a->data_len;
        b.count = a->has_count ? a->count : (esz != 0 ? (uint32_t)(a->data_len / esz) : 0);
    } else if (is_get(a->vmm_cmd)) {
        uint32_t count = a->count;
        if (!a->has_count && a->vmm_cmd != SDEI_CMD_GET_VCPU_STATE) {
            /* No count: ask the matching *_COUNT command first, as a VMM does. */
            sdei_vmm_cmd_block c;
            memset(&c, 0, sizeof(c));
            c.cmd = a->vmm_cmd - 1u;
            if (sdei_vmm_command(t->vm, a->vcpu, &c) == 0) {
                count = c.count;
            }
        }
        size_t need = a->vmm_cmd == SDEI_CMD_GET_VCPU_STATE ? esz : (size_t)count * esz;
        if (need > SIM_TRACE_MAX_DATA) {
            need = SIM_TRACE_MAX_DATA; /* the model answers -EFAULT, as a short user buffer */
        }
        memset(t->out, 0xee, need);
        b.count = count;
        b.data = t->out;
        b.data_len = need;
    } else {
        b.count = a->count;
    }
    r->ret = sdei_vmm_command(t->vm, a->vcpu, &b);
    r->fields |= SIM_F_RET;
    if (r->ret == 0 && (a->vmm_cmd == SDEI_CMD_GET_VERSION ||
                        a->vmm_cmd == SDEI_CMD_GET_EXPOSED_EVENT_COUNT ||
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
}

int sim_exec(sim_target *t, const sim_action *a, sim_result *r, char *err, size_t errlen)
{
    uint32_t nv = t->cfg.nr_vcpus;
    memset(r, 0, sizeof(*r));
    if (a->kind != SIM_A_MIGRATE && a->kind != SIM_A_EXPOSE && a->kind != SIM_A_TRIGGER &&
        !(a->kind == SIM_A_VMM && a->vcpu == SDEI_VMM_VM) && a->vcpu >= nv) {
        return ferr(err, errlen, "vCPU %u does not exist (the VM has %u)", a->vcpu, nv);
    }
    switch (a->kind) {
    case SIM_A_HVC: {
        sdei_regs *g = sdei_vcpu_regs(t->vm, a->vcpu);
        sdei_call_info info;
        g->x[0] = a->call != SDEI_CALL_ID_NONE ? sdei_call_fid(t->vm, (sdei_call_id)a->call)
                                                : a->fid;
        for (unsigned i = 0; i < 5; i++) {
            if (!(a->keep_mask & (1u << i))) {
                g->x[i + 1] = a->arg[i];
            }
        }
        (void)sdei_hypercall(t->vm, a->vcpu, &info);
        fill_regs(r, g);
        switch (info.outcome) {
        case SDEI_CALL_COMPLETED:
            r->kind = SIM_R_COMPLETED;
            r->num = info.completed_num;
            r->prio = info.completed_priority;
            r->fields |= SIM_F_NUM | SIM_F_PRIO;
            break;
        case SDEI_CALL_NO_RESULT:
            r->kind = SIM_R_NORESULT;
            break;
        case SDEI_CALL_NOT_SDEI:
            r->kind = SIM_R_NOTSDEI;
            break;
        default:
            r->kind = SIM_R_RET;
            break;
        }
        r->x0_named = (uint8_t)(is_status_call(info.call) ? 1 : 2);
        r->call = (uint8_t)info.call;
        return 0;
    }
    case SIM_A_SETREG: {
        sdei_regs *g = sdei_vcpu_regs(t->vm, a->vcpu);
        for (unsigned i = 0; i < a->nregs; i++) {
            *sim_reg_ptr(g, a->reg[i]) = a->val[i];
        }
        r->kind = SIM_R_OK;
        return 0;
    }
    case SIM_A_DELIVER: {
        sdei_delivery d;
        sdei_err e = sdei_vcpu_deliver(t->vm, a->vcpu, &d);
        if (e != SDEI_OK) {
            r->kind = SIM_R_ERR;
            r->err = (int32_t)e;
            r->fields = SIM_F_ERR;
            return 0;
        }
        if (!d.delivered) {
            r->kind = SIM_R_NONE;
            return 0;
        }
        r->kind = SIM_R_ENTERED;
        r->num = d.num;
        r->prio = d.priority;
        r->preempted = d.preempted;
        r->fields = SIM_F_NUM | SIM_F_PRIO | SIM_F_PREEMPTED;
        fill_regs(r, sdei_vcpu_regs(t->vm, a->vcpu));
        return 0;
    }
    case SIM_A_TRIGGER:
    case SIM_A_IRQ: {
        sdei_trigger_result tr = SDEI_TRIGGER_DROPPED;
        sdei_err e = a->kind == SIM_A_TRIGGER ? sdei_event_trigger(t->vm, a->num, a->vcpu, &tr)
                                               : sdei_interrupt_trigger(t->vm, a->intid,
                                                                        a->vcpu, &tr);
        if (e != SDEI_OK) {
            r->kind = SIM_R_ERR;
            r->err = (int32_t)e;
            r->fields = SIM_F_ERR;
        } else {
            r->kind = tr == SDEI_TRIGGER_PENDING ? SIM_R_PENDING : SIM_R_DROPPED;
        }
        return 0;
    }
    case SIM_A_VMM:
        exec_vmm(t, a, r);
        return 0;
    case SIM_A_MIGRATE:
        if (sim_migrate(t, err, errlen) != 0) {
            r->kind = SIM_R_ERR;
            r->err = SDEI_E_FORMAT;
            r->fields = SIM_F_ERR;
            return 0;
        }
        r->kind = SIM_R_OK;
        return 0;
    case SIM_A_EXPOSE: {
        sdei_event_desc d = {a->num, a->type, a->priority, a->signaled};
        sdei_err e = sdei_vm_expose_event(t->vm, &d);
        if (e != SDEI_OK) {
            r->kind = SIM_R_ERR;
            r->err = (int32_t)e;
            r->fields = SIM_F_ERR;
        } else {
            r->kind = SIM_R_OK;
        }
        return 0;
    }
    default:
        return ferr(err, errlen, "unknown action kind %u", a->kind);
    }
}

int sim_migrate(sim_target *t, char *err, size_t errlen)
{
    size_t need = 0, written = 0, off = 0;
    const char *what = NULL;
    sdei_vm *fresh = NULL;
    sdei_err e = sdei_vm_save_size(t->vm, &need);
    if (e != SDEI_OK) {
        return ferr(err, errlen, "sdei_vm_save_size: %s", sdei_strerror(e));
    }
    if (need > t->save_cap) {
        uint8_t *nb = realloc(t->save, need);
        if (nb == NULL) {
            return ferr(err, errlen, "out of memory for a %zu-byte save", need);
        }
        t->save = nb;
        t->save_cap = need;
    }
    e = sdei_vm_save(t->vm, t->save, t->save_cap, &written);
    if (e != SDEI_OK) {
        return ferr(err, errlen, "sdei_vm_save: %s", sdei_strerror(e));
    }
    e = sdei_vm_new(&t->cfg, &fresh);
    if (e != SDEI_OK) {
        return ferr(err, errlen, "sdei_vm_new: %s", sdei_strerror(e));
    }
    e = sdei_vm_restore(fresh, t->save, written, &off, &what);
    if (e != SDEI_OK) {
        sdei_vm_free(fresh);
        return ferr(err, errlen, "sdei_vm_restore: %s at byte %zu (%s)", sdei_strerror(e), off,
                    what != NULL ? what : "?");
    }
    /* The register file travels with the vCPU, not with the SDEI blobs: a VMM
     * copies it through KVM_GET/SET_ONE_REG. */
    for (uint32_t v = 0; v < t->cfg.nr_vcpus; v++) {
        *sdei_vcpu_regs(fresh, v) = *sdei_vcpu_regs(t->vm, v);
    }
    sdei_vm_free(t->vm);
    t->vm = fresh;
    t->migrations++;
    return 0;
}

/* ---------------------------------------------------------------------------
 * Blobs through the VMM commands.
 * ------------------------------------------------------------------------- */
int sim_fetch_blobs(sim_target *t, unsigned kind, uint32_t vcpu, uint32_t *n)
{
    static const uint32_t get_cmd[SIM_BLOB_COUNT] = {
        SDEI_CMD_GET_EXPOSED_EVENT, SDEI_CMD_GET_REGISTERED_EVENT, SDEI_CMD_GET_VCPU_EVENT,
        SDEI_CMD_GET_VCPU_STATE};
    sdei_vmm_cmd_block b;
    uint32_t target = kind <= SIM_BLOB_REGISTERED ? SDEI_VMM_VM : vcpu;
    size_t esz = sim_blob_entry_size(kind);
    uint32_t count = 1;
    if (kind != SIM_BLOB_VCPU_STATE) {
        memset(&b, 0, sizeof(b));
        b.cmd = get_cmd[kind] - 1u;
        if (sdei_vmm_command(t->vm, target, &b) != 0) {
            return -1;
        }
        count = b.count;
        if ((size_t)count * esz > SIM_TRACE_MAX_DATA) {
            return -1;
        }
        if (count == 0) {
            *n = 0;
            return 0;
        }
    }
    memset(&b, 0, sizeof(b));
    b.cmd = get_cmd[kind];
    b.count = count;
    b.data = t->out;
    b.data_len = (size_t)count * esz;
    if (sdei_vmm_command(t->vm, target, &b) != 0) {
        return -1;
    }
    *n = count;
    return 0;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

int sim_check_eval(sim_target *t, const sim_check *c, FILE *f, char *err, size_t errlen)
{
    uint32_t nv = t->cfg.nr_vcpus;
    if (c->kind != SIM_C_BLOB || c->blob >= SIM_BLOB_VCPU_EVENT) {
        if (c->vcpu >= nv) {
            return ferr(err, errlen, "vCPU %u does not exist (the VM has %u)", c->vcpu, nv);
        }
    }
    switch (c->kind) {
    case SIM_C_STATE: {
        sdei_event_state s;
        if (sdei_event_state_of(t->vm, c->num, c->vcpu, &s) != SDEI_OK) {
            return ferr(err, errlen, "event 0x%" PRIx64 " is not exposed", c->num);
        }
        if (s != c->state) {
            OUT("  state of 0x%" PRIx64 " on vCPU %u: expected %s, actual %s\n", c->num,
                    c->vcpu, sim_state_name(c->state), sim_state_name(s));
            return 1;
        }
        return 0;
    }
    case SIM_C_PENDING: {
        uint32_t p;
        if (sdei_event_pending_count(t->vm, c->num, c->vcpu, &p) != SDEI_OK) {
            return ferr(err, errlen, "event 0x%" PRIx64 " is not exposed", c->num);
        }
        return sim_cmp_u64(f, "pending", c->pending, p);
    }
    case SIM_C_VCPU: {
        sdei_vcpu_view v;
        int bad = 0;
        (void)sdei_vcpu_view_of(t->vm, c->vcpu, &v);
        if (c->fields & 1u) bad |= sim_cmp_u64(f, "masked", c->masked, v.masked);
        if (c->fields & 2u) {
            bad |= sim_cmp_u64(f, "normal", c->normal,
                           v.normal_running ? v.normal_num : SDEI_INVALID_EVENT);
        }
        if (c->fields & 4u) {
            bad |= sim_cmp_u64(f, "critical", c->critical,
                           v.critical_running ? v.critical_num : SDEI_INVALID_EVENT);
        }
        if (c->fields & 8u) bad |= sim_cmp_u64(f, "queued", c->queued, v.queued);
        return bad;
    }
    case SIM_C_REGS: {
        sdei_regs *g = sdei_vcpu_regs(t->vm, c->vcpu);
        int bad = 0;
        for (unsigned i = 0; i < c->nregs; i++) {
            bad |= sim_cmp_u64(f, sim_reg_name(c->reg[i]), c->val[i], *sim_reg_ptr(g, c->reg[i]));
        }
        return bad;
    }
    case SIM_C_BLOB: {
        uint32_t n = 0;
        size_t esz = sim_blob_entry_size(c->blob);
        const uint8_t *act = NULL;
        if (c->data_len != esz) {
            return ferr(err, errlen, "a %s blob is %zu bytes, the line has %zu",
                        sim_blob_kind_name(c->blob), esz, c->data_len);
        }
        if (sim_fetch_blobs(t, c->blob, c->vcpu, &n) != 0) {
            OUT("  the VMM GET command for %s failed\n", sim_blob_kind_name(c->blob));
            return 1;
        }
        for (uint32_t i = 0; i < n && act == NULL; i++) {
            const uint8_t *e = t->out + (size_t)i * esz;
            switch (c->blob) {
            case SIM_BLOB_EXPOSED:
                act = i == c->index ? e : NULL;
                break;
            case SIM_BLOB_REGISTERED:
            case SIM_BLOB_VCPU_EVENT:
                act = le64(e) == c->num ? e : NULL;
                break;
            default:
                act = e;
                break;
            }
        }
        if (act == NULL) {
            OUT("  %s blob: expected an entry, the VM has none (%u entries)\n",
                    sim_blob_kind_name(c->blob), n);
            return 1;
        }
        if (memcmp(act, c->data, esz) == 0) {
            return 0;
        }
        OUT("  %s blob differs, field by field:\n", sim_blob_kind_name(c->blob));
        if (f != NULL) {
            sim_blob_diff(f, c->blob, c->data, act);
        }
        return 1;
    }
    default:
        return ferr(err, errlen, "unknown check kind %u", c->kind);
    }
}

void sim_dump_state(FILE *f, sim_target *t, uint32_t focus)
{
    uint32_t nv = t->cfg.nr_vcpus;
    uint32_t ne = sdei_vm_event_count(t->vm);
    fprintf(f, "state dump (profile %s, %u vCPUs, %u events, %" PRIu64 " migrations):\n",
            sim_profile_name(t->cfg.profile), nv, ne, t->migrations);
    for (uint32_t v = 0; v < nv; v++) {
        sdei_vcpu_view w;
        if (nv > 16 && v != focus && v != 0) {
            continue; /* big VMs: the focus vCPU and vCPU 0 only */
        }
        if (sdei_vcpu_view_of(t->vm, v, &w) != SDEI_OK) {
            continue;
        }
        sdei_regs *g = sdei_vcpu_regs(t->vm, v);
        fprintf(f, "  vcpu %u%s: masked=%u normal=", v, v == focus ? " (*)" : "", w.masked);
        if (w.normal_running) {
            fprintf(f, "0x%" PRIx64, w.normal_num);
        } else {
            fprintf(f, "none");
        }
        fprintf(f, " critical=");
        if (w.critical_running) {
            fprintf(f, "0x%" PRIx64, w.critical_num);
        } else {
            fprintf(f, "none");
        }
        fprintf(f, " queued=%u pc=0x%" PRIx64 " pstate=0x%" PRIx64 "\n", w.queued, g->pc,
                g->pstate);
        fprintf(f, "    events:");
        for (uint32_t i = 0; i < ne; i++) {
            sdei_event_desc d;
            sdei_event_state s;
            uint32_t p = 0;
            if (sdei_vm_event_at(t->vm, i, &d) != SDEI_OK ||
                sdei_event_state_of(t->vm, d.num, v, &s) != SDEI_OK) {
                continue;
            }
            (void)sdei_event_pending_count(t->vm, d.num, v, &p);
            if (s != SDEI_STATE_UNREGISTERED || p != 0) {
                fprintf(f, " 0x%" PRIx64 "=%s", d.num, sim_state_name(s));
                if (p != 0) {
                    fprintf(f, "+%u", p);
                }
            }
        }
        fputc('\n', f);
    }
    const char *chk = sdei_vm_check(t->vm);
    fprintf(f, "  sdei_vm_check: %s\n", chk != NULL ? chk : "sound");
}
