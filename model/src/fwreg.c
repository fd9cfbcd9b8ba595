/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwreg.c - v7's SDEI firmware pseudo-registers on the model (sdei_fwreg.h):
 * the VM's state as v7's kvm_sdei_get_reg / kvm_sdei_set_reg see it
 * (kvm-v5 §12.2, docs/migration.md "v7 firmware registers").
 *
 * Mapping, per vCPU and KVM event n (0, 1; exposed index n under quirk
 * event_table_kvm): REGISTERED bit n = registered and not unregister-pending;
 * ENABLED = the enabled bit; RUNNING = the normal running slot; PENDING = a
 * trigger waiting besides the run; HANDLER_n = ep_address / ep_arg of the
 * vCPU's slot; CONTEXT = the normal slot's saved pc, pstate, x0..x17;
 * PE_STATE = the mask.
 */
#include <string.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_fwreg.h"
#include "sdei/sdei_vmm.h"
#include "vm_internal.h"

static const uint64_t fw_ids[SDEI_FWREG_COUNT] = {
    SDEI_FWREG_HANDLER(0), SDEI_FWREG_HANDLER(1), SDEI_FWREG_HANDLER(2), SDEI_FWREG_HANDLER(3),
    SDEI_FWREG_REGISTERED, SDEI_FWREG_ENABLED,    SDEI_FWREG_RUNNING,    SDEI_FWREG_PENDING,
    SDEI_FWREG_CONTEXT,    SDEI_FWREG_PE_STATE,
};

static const char *const fw_names[SDEI_FWREG_COUNT] = {
    "EVENT_HANDLER_0", "EVENT_HANDLER_1", "EVENT_HANDLER_2", "EVENT_HANDLER_3", "EVENT_REGISTERED",
    "EVENT_ENABLED",   "EVENT_RUNNING",   "EVENT_PENDING",   "EVENT_CONTEXT",   "PE_STATE",
};

uint64_t sdei_fwreg_id_at(uint32_t i)
{
    return i < SDEI_FWREG_COUNT ? fw_ids[i] : 0;
}

int sdei_fwreg_index(uint64_t id)
{
    for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
        if (fw_ids[i] == id) {
            return (int)i;
        }
    }
    return -1;
}

size_t sdei_fwreg_size(uint64_t id)
{
    return (size_t)1u << ((id >> 52) & 0xfu); /* KVM_REG_SIZE */
}

const char *sdei_fwreg_name(uint64_t id)
{
    int i = sdei_fwreg_index(id);
    return i >= 0 ? fw_names[i] : NULL;
}

uint64_t sdei_fwreg_by_name(const char *name)
{
    for (uint32_t i = 0; name != NULL && i < SDEI_FWREG_COUNT; i++) {
        if (strcmp(fw_names[i], name) == 0) {
            return fw_ids[i];
        }
    }
    return 0;
}

/* KVM's events of vCPU v as v7's four bitmaps. */
static void bitmaps_of(const sdei_vm *vm, uint32_t v, uint64_t out[4])
{
    memset(out, 0, 4 * sizeof(uint64_t));
    for (uint16_t ev = 0; ev < SDEI_KVM_V7_NR_EVENTS && ev < vm->nr_exposed; ev++) {
        const sdei_registered *r = &vm->reg[ev];
        uint64_t bit = UINT64_C(1) << vm->exposed[ev].num;
        if (r->present && sdei_bit_test(r->registered, v) &&
            !sdei_bit_test(r->unregister_pending, v)) {
            out[0] |= bit;
        }
        out[1] |= sdei_enabled_on(vm, ev, v) ? bit : 0u;
        out[2] |= sdei_running_on(vm, ev, v) ? bit : 0u;
        out[3] |= sdei_pending_on(vm, ev, v) ? bit : 0u;
    }
}

/* Copies `n` u64 values to user memory one by one, as v7's copy_to_user
 * calls do: -EFAULT at the first that does not fit. */
static int32_t put_words(uint8_t *buf, size_t len, const uint64_t *w, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (buf == NULL || len < 8u * (i + 1u)) {
            return -SDEI_EFAULT;
        }
        sdei_put_le64(buf + 8u * i, w[i]);
    }
    return 0;
}

/* What get and set check first: the arguments, then the register id, which
 * only a VM with v7's registers knows (*reg = -1 and -ENOENT otherwise,
 * kvm-sdei-v7 sdei.c:569-570). */
static sdei_err fwreg_lookup(const sdei_vm *vm, uint32_t vcpu, uint64_t id, int32_t *kernel_ret,
                             int *reg)
{
    if (vm == NULL || kernel_ret == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    *reg = sdei_fwreg_index(id);
    *kernel_ret = 0;
    if (*reg < 0 || !sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_TABLE_KVM))) {
        *reg = -1;
        *kernel_ret = -SDEI_ENOENT;
    }
    return SDEI_OK;
}

sdei_err sdei_fwreg_get(const sdei_vm *vm, uint32_t vcpu, uint64_t id, uint8_t *buf, size_t len,
                        int32_t *kernel_ret)
{
    int i;
    sdei_err err = fwreg_lookup(vm, vcpu, id, kernel_ret, &i);
    if (err != SDEI_OK || i < 0) {
        return err;
    }
    const sdei_vcpu *vc = &vm->vcpus[vcpu];
    uint64_t w[20];
    uint64_t maps[4];
    memset(w, 0, sizeof(w));
    if (i < 4) {
        /* one 16-byte copy of {ep_addr, ep_arg}; 2 and 3 read as zero */
        if (i < (int)vm->nr_exposed && i < (int)SDEI_KVM_V7_NR_EVENTS) {
            w[0] = vm->reg[i].ep_address[vcpu];
            w[1] = vm->reg[i].ep_arg[vcpu];
        }
        *kernel_ret = buf == NULL || len < 16u ? -SDEI_EFAULT : put_words(buf, len, w, 2);
    } else if (i < 8) {
        bitmaps_of(vm, vcpu, maps);
        *kernel_ret = put_words(buf, len, &maps[i - 4], 1);
    } else if (i == 8) {
        w[0] = vc->normal_regs.pc;
        w[1] = vc->normal_regs.pstate;
        memcpy(&w[2], vc->normal_regs.regs, sizeof(vc->normal_regs.regs));
        *kernel_ret = put_words(buf, len, w, 20);
    } else {
        w[0] = vc->masked ? 1u : 0u;
        *kernel_ret = put_words(buf, len, w, 1);
    }
    return SDEI_OK;
}

/* Rewrites the running slot and the pending triggers of KVM's events on vCPU
 * v from v7's RUNNING and PENDING bitmaps (at most one running bit). */
static void apply_run_pend(sdei_vm *vm, uint32_t v, uint64_t run, uint64_t pend)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    if (vc->normal_ev != SDEI_NO_EVENT_INDEX) {
        vm->reg[vc->normal_ev].running_count--;
        vc->normal_ev = SDEI_NO_EVENT_INDEX;
        vc->normal_num = SDEI_INVALID_EVENT;
    }
    for (uint16_t ev = 0; ev < SDEI_KVM_V7_NR_EVENTS && ev < vm->nr_exposed; ev++) {
        int32_t pos = sdei_queue_find(vc, vm->exposed[ev].num);
        if (pos >= 0) {
            sdei_queue_remove_at(vm, v, (uint32_t)pos);
        }
        uint64_t bit = UINT64_C(1) << vm->exposed[ev].num;
        uint32_t count = ((run & bit) != 0) + ((pend & bit) != 0);
        if (count != 0) {
            sdei_queue_insert(vm, v, ev, count, 0);
        }
        if ((run & bit) != 0) {
            vc->normal_ev = ev;
            vc->normal_num = vm->exposed[ev].num;
            vm->reg[ev].running_count++;
        }
    }
}

/* REGISTERED, ENABLED, RUNNING or PENDING (k = 0..3) := val (kvm-sdei-v7
 * sdei.c:602-622). */
static sdei_err set_bitmap(sdei_vm *vm, uint32_t v, int k, uint64_t val)
{
    uint64_t maps[4];
    bitmaps_of(vm, v, maps);
    val &= (UINT64_C(1) << SDEI_KVM_V7_NR_EVENTS) - 1u; /* GENMASK(N - 1, 0) */
    if (k == 2 && (val & (val - 1u)) != 0) {
        return SDEI_E_RANGE; /* two running events: not a state the model holds */
    }
    if (k >= 2) {
        apply_run_pend(vm, v, k == 2 ? val : maps[2], k == 3 ? val : maps[3]);
        sdei_kick_if(vm, v, k == 3 && !vm->vcpus[v].masked && val != 0);
        return SDEI_OK;
    }
    for (uint16_t ev = 0; ev < SDEI_KVM_V7_NR_EVENTS && ev < vm->nr_exposed; ev++) {
        sdei_registered *r = &vm->reg[ev];
        int on = (val >> vm->exposed[ev].num) & 1u;
        uint64_t *map = k == 0 ? r->registered : r->enabled;
        if (on) {
            sdei_bit_set(map, v);
        } else {
            sdei_bit_clear(map, v);
        }
        if (k == 0) {
            /* v7's unregister-pending is "running and not registered" */
            sdei_bit_clear(r->unregister_pending, v);
        }
    }
    return SDEI_OK;
}

/* Reads `n` u64 values from user memory one by one: -EFAULT at the first
 * that is not there (the earlier ones are applied, as in v7). */
static int32_t get_words(const uint8_t *buf, size_t len, uint64_t *w, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (buf == NULL || len < 8u * (i + 1u)) {
            return -SDEI_EFAULT;
        }
        w[i] = sdei_get_le64(buf + 8u * i);
    }
    return 0;
}

static void set_context(sdei_vcpu *vc, const uint64_t *w, uint32_t n)
{
    uint64_t *dst[20];
    dst[0] = &vc->normal_regs.pc;
    dst[1] = &vc->normal_regs.pstate;
    for (uint32_t i = 0; i < SDEI_SAVED_GPREGS; i++) {
        dst[2 + i] = &vc->normal_regs.regs[i];
    }
    for (uint32_t i = 0; i < n; i++) {
        *dst[i] = w[i];
    }
}

sdei_err sdei_fwreg_set(sdei_vm *vm, uint32_t vcpu, uint64_t id, const uint8_t *buf, size_t len,
                        int32_t *kernel_ret)
{
    int i;
    sdei_err err = fwreg_lookup(vm, vcpu, id, kernel_ret, &i);
    if (err != SDEI_OK || i < 0) {
        return err;
    }
    sdei_vcpu *vc = &vm->vcpus[vcpu];
    uint64_t w[20];
    if (i < 4) {
        if (i >= (int)SDEI_KVM_V7_NR_EVENTS || i >= (int)vm->nr_exposed) {
            return SDEI_OK; /* sdei.c:594-595: ignored, nothing read */
        }
        if (buf == NULL || len < 16u) {
            *kernel_ret = -SDEI_EFAULT; /* one 16-byte copy_from_user */
            return SDEI_OK;
        }
        (void)get_words(buf, len, w, 2);
        vm->reg[i].ep_address[vcpu] = w[0];
        vm->reg[i].ep_arg[vcpu] = w[1];
        return SDEI_OK;
    }
    if (i == 8) {
        uint32_t n = 0;
        while (n < 20u && buf != NULL && len >= 8u * (n + 1u)) {
            w[n] = sdei_get_le64(buf + 8u * n);
            n++;
        }
        set_context(vc, w, n);
        *kernel_ret = n < 20u ? -SDEI_EFAULT : 0;
        return SDEI_OK;
    }
    *kernel_ret = get_words(buf, len, w, 1);
    if (*kernel_ret != 0) {
        return SDEI_OK;
    }
    if (i == 9) {
        vc->masked = w[0] != 0;
        uint64_t maps[4];
        bitmaps_of(vm, vcpu, maps);
        sdei_kick_if(vm, vcpu, !vc->masked && maps[3] != 0); /* sdei.c:645-651 */
        return SDEI_OK;
    }
    return set_bitmap(vm, vcpu, i - 4, w[0]);
}
