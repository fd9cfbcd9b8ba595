/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * impl_model.c - the model as an implementation under test (impl.h).
 *
 * A thin shell: every op is one model call. Migration is the whole-VM save
 * and restore of sdei_blob.h, the way a VMM moves the SDEI state of the
 * kernel (blobs) and the vCPUs' register files (KVM_GET/SET_ONE_REG).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_fwreg.h"

struct sim_impl {
    sdei_vm *vm; /* in mem[cur] */
    /* Two blocks reused for the life of the impl: the VM and a migration's
     * destination. A fresh VM (reset) or a restore is an sdei_vm_init into a
     * block, not an allocation: the fuzz targets start a VM per input and
     * ASan's allocator made that a third of their time (issue 9). */
    void *mem[2];
    size_t mem_cap[2];
    unsigned cur;
    uint8_t *save; /* migration buffer, grown on demand */
    size_t save_cap;
    size_t save_len; /* what the last migration restored from, or 0 */
    /* The config m->vm was made from (its MPIDRs are the VM's own copy): a
     * reset to the same config is sdei_vm_reset, which skips the validation,
     * the layout and the MPIDR table of sdei_vm_init (the fuzz targets reset
     * per input). */
    sdei_config made;
};

/* A fresh VM of config cfg in block b (grown when too small). */
static sdei_err init_in(sim_impl *m, unsigned b, const sdei_config *cfg, sdei_vm **out)
{
    size_t need = 0;
    sdei_err e = sdei_vm_mem_size(cfg, &need);
    if (e != SDEI_OK) {
        return e;
    }
    if (need > m->mem_cap[b]) {
        void *nb = malloc(need); /* malloc's memory is aligned for sdei_vm_init */
        if (nb == NULL) {
            return SDEI_E_NO_MEMORY;
        }
        free(m->mem[b]);
        m->mem[b] = nb;
        m->mem_cap[b] = need;
    }
    return sdei_vm_init(m->mem[b], m->mem_cap[b], cfg, out);
}

/* Does cfg ask for the VM m->vm was made from? */
static int same_config(const sim_impl *m, const sdei_config *cfg)
{
    const sdei_config *a = cfg, *b = &m->made;
    if (a->nr_vcpus != b->nr_vcpus || a->max_events != b->max_events || a->profile != b->profile ||
        a->quirks != b->quirks || a->quirks_override != b->quirks_override ||
        a->sctlr_el1_span != b->sctlr_el1_span || a->private_bind_slots != b->private_bind_slots ||
        a->shared_bind_slots != b->shared_bind_slots || (a->mpidr == NULL) != (b->mpidr == NULL)) {
        return 0;
    }
    return a->mpidr == NULL ||
           memcmp(a->mpidr, sdei_vm_config(m->vm)->mpidr, a->nr_vcpus * sizeof(uint64_t)) == 0;
}

static int m_reset(sim_impl *m, const sdei_config *cfg, char *err, size_t errlen)
{
    if (m->vm != NULL && same_config(m, cfg)) {
        sdei_vm_reset(m->vm); /* the VM as sdei_vm_init made it */
        return 0;
    }
    m->vm = NULL;
    sdei_err e = init_in(m, m->cur, cfg, &m->vm);
    if (e != SDEI_OK) {
        snprintf(err, errlen, "the model refuses this configuration: %s", sdei_strerror(e));
        return -1;
    }
    m->made = *cfg; /* only whether its mpidr is NULL is read */
    return 0;
}

static void m_destroy(sim_impl *m)
{
    if (m != NULL) {
        free(m->mem[0]);
        free(m->mem[1]);
        free(m->save);
        free(m);
    }
}

static int m_create(const sdei_config *cfg, sim_impl **out, char *err, size_t errlen)
{
    sim_impl *m = calloc(1, sizeof(*m));
    if (m == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (m_reset(m, cfg, err, errlen) != 0) {
        m_destroy(m);
        return -1;
    }
    *out = m;
    return 0;
}

static sdei_regs *m_regs(sim_impl *m, uint32_t vcpu)
{
    return sdei_vcpu_regs(m->vm, vcpu);
}

static uint64_t m_call_fid(sim_impl *m, sdei_call_id call)
{
    return sdei_call_fid(m->vm, call);
}

static int m_hypercall(sim_impl *m, uint32_t vcpu, sdei_call_info *info)
{
    return sdei_hypercall(m->vm, vcpu, info);
}

static int m_deliver(sim_impl *m, uint32_t vcpu, sdei_delivery *out)
{
    return sdei_vcpu_deliver(m->vm, vcpu, out);
}

static int m_trigger(sim_impl *m, uint64_t num, uint32_t vcpu, sdei_trigger_result *out)
{
    return sdei_event_trigger(m->vm, num, vcpu, out);
}

static int m_irq(sim_impl *m, uint32_t intid, uint32_t vcpu, sdei_trigger_result *out)
{
    return sdei_interrupt_trigger(m->vm, intid, vcpu, out);
}

static int m_expose(sim_impl *m, const sdei_event_desc *desc)
{
    return sdei_vm_expose_event(m->vm, desc);
}

static int m_vmm(sim_impl *m, uint32_t vcpu, sdei_vmm_cmd_block *cmd, int32_t *ret)
{
    *ret = sdei_vmm_command(m->vm, vcpu, cmd);
    return SDEI_OK;
}

static int m_migrate(sim_impl *m, char *err, size_t errlen)
{
    size_t need = 0, written = 0, off = 0;
    const char *what = NULL;
    sdei_vm *fresh = NULL;
    m->save_len = 0;
    if ((sdei_vm_quirks(m->vm) & SDEI_QUIRK_BIT(NO_SDEI_COMMAND)) != 0) {
        /* kvm-v6 has no interface to carry its SDEI state: refused, the VM
         * goes on where it is (as the kernel target answers) */
        snprintf(err, errlen, "no migration interface (no_sdei_command)");
        return SDEI_E_FORMAT;
    }
    sdei_err e = sdei_vm_save_size(m->vm, &need);
    if (e == SDEI_OK && need > m->save_cap) {
        uint8_t *nb = realloc(m->save, need);
        if (nb == NULL) {
            snprintf(err, errlen, "out of memory for a %zu-byte save", need);
            return SDEI_E_NO_MEMORY;
        }
        m->save = nb;
        m->save_cap = need;
    }
    if (e == SDEI_OK) {
        e = sdei_vm_save(m->vm, m->save, m->save_cap, &written);
    }
    if (e == SDEI_OK) {
        e = init_in(m, 1u - m->cur, sdei_vm_config(m->vm), &fresh);
    }
    if (e != SDEI_OK) {
        snprintf(err, errlen, "the model cannot save this VM: %s", sdei_strerror(e));
        return e;
    }
    e = sdei_vm_restore(fresh, m->save, written, &off, &what);
    if (e != SDEI_OK) {
        snprintf(err, errlen, "sdei_vm_restore: %s at byte %zu (%s)", sdei_strerror(e), off,
                 what != NULL ? what : "?");
        return SDEI_E_FORMAT;
    }
    /* The register file travels with the vCPU, not with the SDEI blobs: a VMM
     * copies it through KVM_GET/SET_ONE_REG. */
    for (uint32_t v = 0; v < sdei_vm_nr_vcpus(m->vm); v++) {
        *sdei_vcpu_regs(fresh, v) = *sdei_vcpu_regs(m->vm, v);
    }
    m->vm = fresh; /* the source's block is the next destination */
    m->cur = 1u - m->cur;
    m->save_len = written;
    return SDEI_OK;
}

static const uint8_t *m_migrated_from(sim_impl *m, size_t *len)
{
    *len = m->save_len;
    return m->save_len != 0 ? m->save : NULL;
}

static int m_event_state(sim_impl *m, uint64_t num, uint32_t vcpu, sdei_event_state *out)
{
    return sdei_event_state_of(m->vm, num, vcpu, out);
}

static int m_pending_count(sim_impl *m, uint64_t num, uint32_t vcpu, uint32_t *out)
{
    return sdei_event_pending_count(m->vm, num, vcpu, out);
}

static int m_vcpu_view(sim_impl *m, uint32_t vcpu, sdei_vcpu_view *out)
{
    return sdei_vcpu_view_of(m->vm, vcpu, out);
}

static int m_vcpu_brief(sim_impl *m, uint32_t vcpu, sdei_vcpu_view *out)
{
    return sdei_vcpu_view_brief(m->vm, vcpu, out);
}

static int m_vcpu_events(sim_impl *m, uint32_t vcpu, sdei_event_obs *out, uint32_t cap, uint32_t *n)
{
    return sdei_vcpu_events(m->vm, vcpu, out, cap, n);
}

static uint32_t m_event_count(sim_impl *m)
{
    return sdei_vm_event_count(m->vm);
}

static int m_event_at(sim_impl *m, uint32_t index, sdei_event_desc *out)
{
    return sdei_vm_event_at(m->vm, index, out);
}

static const char *m_check(sim_impl *m)
{
    return sdei_vm_check(m->vm);
}

static int m_vcpu_reset(sim_impl *m, uint32_t vcpu)
{
    return sdei_vcpu_reset(m->vm, vcpu);
}

static int m_power(sim_impl *m, uint32_t vcpu, sdei_power_action action, sdei_power_info *out)
{
    return sdei_vcpu_power(m->vm, vcpu, action, out);
}

static int m_fwreg_get(sim_impl *m, uint32_t vcpu, uint64_t id, uint8_t *buf, size_t len,
                       int32_t *kernel_ret)
{
    return sdei_fwreg_get(m->vm, vcpu, id, buf, len, kernel_ret);
}

static sdei_vm *m_model_vm(sim_impl *m)
{
    return m->vm;
}

const sim_impl_ops sim_impl_model = {
    .name = "model",
    .caps = SIM_CAP_HVC | SIM_CAP_DELIVER | SIM_CAP_TRIGGER | SIM_CAP_IRQ | SIM_CAP_EXPOSE |
            SIM_CAP_VMM | SIM_CAP_MIGRATE | SIM_CAP_OBS_STATE | SIM_CAP_OBS_PENDING |
            SIM_CAP_OBS_VCPU | SIM_CAP_OBS_CHECK | SIM_CAP_VCPU_RESET | SIM_CAP_POWER |
            SIM_CAP_FWREG,
    .create = m_create,
    .destroy = m_destroy,
    .reset = m_reset,
    .regs = m_regs,
    .call_fid = m_call_fid,
    .hypercall = m_hypercall,
    .deliver = m_deliver,
    .trigger = m_trigger,
    .irq = m_irq,
    .expose = m_expose,
    .vmm = m_vmm,
    .migrate = m_migrate,
    .migrated_from = m_migrated_from,
    .vcpu_reset = m_vcpu_reset,
    .power = m_power,
    .event_state = m_event_state,
    .pending_count = m_pending_count,
    .vcpu_view = m_vcpu_view,
    .vcpu_brief = m_vcpu_brief,
    .vcpu_events = m_vcpu_events,
    .event_count = m_event_count,
    .event_at = m_event_at,
    .check = m_check,
    .finding = NULL,          /* the model never fails: its errors are results */
    .fwreg_get = m_fwreg_get, /* -ENOENT for every id outside kvm-v7 */
    .model_vm = m_model_vm,
};
