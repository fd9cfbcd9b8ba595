/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * glue_v7.c - the v7 series' sdei.c driven as v7's arm.c and hypercalls.c
 * drive it (kernel-trees/kvm-sdei-v7/PROVENANCE.md): per-vCPU state only,
 * kvm_sdei_call for the SDEI range 0xC4000020..0xC400003F (the standard-
 * service bitmap's SDEI bit is on by default), kvm_sdei_deliver_event on
 * KVM_REQ_SDEI, and migration through the firmware pseudo-registers
 * (kvm_sdei_get_reg / kvm_sdei_set_reg, as KVM_GET/SET_ONE_REG reach them).
 * Events are KVM's table (KVM_NR_SDEI_EVENTS, private, normal priority).
 */
#include <stdio.h>
#include <string.h>

#include <asm/kvm_emulate.h>
#include <asm/kvm_sdei.h>
#include <kvm/arm_hypercalls.h>
#include <linux/slab.h>

#include "glue_common.h"
#include "kstub_run.h"

const char kg_version[] = "v7";
const int kg_has_vmm = 0;
const int kg_has_fwregs = 1;
const int kg_has_expose = 0;
const int kg_has_shared = 0;

/* v7's router sends the SDEI range 0xC4000020..0xC400003F to sdei.c; v7
 * emulates COMPLETE_AND_RESUME's IRQ entry itself (kvm-v5 §12.2). */
#define GLUE_LAST_FN 0x1f
#include "glue_percpu.inc"

int kg_expose(kg_vm *vm, const kg_event *ev, int32_t *ret)
{
    (void)vm;
    *ret = ev->num < KVM_NR_SDEI_EVENTS && ev->type == SDEI_EVENT_TYPE_PRIVATE &&
                   ev->priority == SDEI_EVENT_PRIORITY_NORMAL
               ? 0
               : -EINVAL;
    return 0;
}

/* One firmware pseudo-register through KVM_GET_ONE_REG / KVM_SET_ONE_REG:
 * the value lives in `len` bytes of "user memory" of its own (a user copy
 * past them is -EFAULT). */
static int one_reg_n(kg_vm *vm, uint32_t v, int set, u64 id, void *val, size_t len, long *ret)
{
    int rc;
    long r = 0;
    struct kvm_one_reg reg = {id, (u64)(uintptr_t)val};
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    kstub_user_clear();
    if (val != NULL && len != 0) {
        kstub_user_add(val, len);
    }
    if (set) {
        KSTUB_CALL(rc, "kvm_sdei_set_reg", r = kvm_sdei_set_reg(vcpu, &reg));
    } else {
        KSTUB_CALL(rc, "kvm_sdei_get_reg", r = kvm_sdei_get_reg(vcpu, &reg));
    }
    kstub_user_clear();
    *ret = r;
    return rc < 0 ? KG_FINDING : 0;
}

static int one_reg(kg_vm *vm, uint32_t v, int set, u64 id, u64 *val, long *ret)
{
    return one_reg_n(vm, v, set, id, val, KVM_REG_SIZE(id), ret);
}

int kg_fwreg(kg_vm *vm, uint32_t v, int set, uint64_t id, uint8_t *buf, size_t len, long *ret)
{
    if (kc_vcpu(vm->kvm, v) == NULL) {
        *ret = -EINVAL;
        return 0;
    }
    return one_reg_n(vm, v, set, id, buf, len, ret);
}

/* KVM_GET_REG_LIST order: handlers, bitmaps, context, PE state. */
static const u64 fw_ids[] = {
    KVM_REG_ARM_SDEI_EVENT_HANDLER_0,  KVM_REG_ARM_SDEI_EVENT_HANDLER_1,
    KVM_REG_ARM_SDEI_EVENT_HANDLER_2,  KVM_REG_ARM_SDEI_EVENT_HANDLER_3,
    KVM_REG_ARM_SDEI_EVENT_REGISTERED, KVM_REG_ARM_SDEI_EVENT_ENABLED,
    KVM_REG_ARM_SDEI_EVENT_RUNNING,    KVM_REG_ARM_SDEI_EVENT_PENDING,
    KVM_REG_ARM_SDEI_EVENT_CONTEXT,    KVM_REG_ARM_SDEI_PE_STATE,
};
#define NR_FW (sizeof(fw_ids) / sizeof(fw_ids[0]))

unsigned kg_fwreg_ids(uint64_t *out, unsigned max)
{
    for (unsigned i = 0; i < NR_FW && i < max; i++) {
        out[i] = fw_ids[i];
    }
    return (unsigned)NR_FW;
}

/* arm.c's KVM_GET/SET_ONE_REG: the struct kvm_one_reg is copied in from the
 * user (as kvm_arch_vcpu_ioctl does); SDEI's firmware registers go to sdei.c
 * (hypercalls.c), any other id is not this code's: -ENOENT. */
int kg_ioctl(kg_vm *vm, uint32_t v, uint32_t req, void *arg, void *user, size_t user_len, long *ret)
{
    const uint32_t one =
        (UINT32_C(1) << 30) | ((uint32_t)sizeof(struct kvm_one_reg) << 16) | (0xAEu << 8);
    struct kvm_one_reg reg;
    int rc;
    *ret = -ENOTTY;
    if ((req != (one | 0xABu) && req != (one | 0xACu)) || v >= vm->nr) {
        return 0;
    }
    memcpy(&reg, arg, sizeof(reg));
    *ret = -ENOENT;
    for (unsigned i = 0; i < NR_FW; i++) {
        if (reg.id != fw_ids[i]) {
            continue;
        }
        struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
        kstub_user_clear();
        kstub_user_add(user, user_len);
        if (req == (one | 0xACu)) {
            KSTUB_CALL(rc, "kvm_sdei_set_reg", *ret = kvm_sdei_set_reg(vcpu, &reg));
        } else {
            KSTUB_CALL(rc, "kvm_sdei_get_reg", *ret = kvm_sdei_get_reg(vcpu, &reg));
        }
        kstub_user_clear();
        return rc < 0 ? KG_FINDING : 0;
    }
    return 0;
}

int kg_migrate(kg_vm **pvm, char *err, size_t errlen)
{
    kg_vm *src = *pvm, *dst = NULL;
    u64 val[NR_FW][32];
    long ret = 0;
    if (kg_create(src->nr, &dst) != 0) {
        return KG_FINDING;
    }
    for (uint32_t v = 0; v < src->nr; v++) {
        memset(val, 0, sizeof(val));
        for (unsigned i = 0; i < NR_FW; i++) {
            if (one_reg(src, v, 0, fw_ids[i], val[i], &ret) != 0) {
                return KG_FINDING;
            }
            if (ret != 0) {
                snprintf(err, errlen, "KVM_GET_ONE_REG 0x%llx on vCPU %u: %ld",
                         (unsigned long long)fw_ids[i], v, ret);
                (void)kg_destroy(dst);
                return 1;
            }
        }
        for (unsigned i = 0; i < NR_FW; i++) {
            if (one_reg(dst, v, 1, fw_ids[i], val[i], &ret) != 0) {
                return KG_FINDING;
            }
            if (ret != 0) {
                snprintf(err, errlen, "KVM_SET_ONE_REG 0x%llx on vCPU %u: %ld",
                         (unsigned long long)fw_ids[i], v, ret);
                (void)kg_destroy(dst);
                return 1;
            }
        }
        /* vCPU requests are not migrated (KVM has no interface for them):
         * the destination's KVM_REQ_SDEI comes from its own SET of PENDING
         * and PE_STATE (sdei.c:617-620, 645-651). */
    }
    memcpy(dst->regs, src->regs, src->nr * sizeof(src->regs[0]));
    int d = kg_destroy(src);
    *pvm = dst;
    return d;
}

static struct kvm_sdei_vcpu *vsdei_of(kg_vm *vm, uint32_t v)
{
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    return vcpu != NULL ? vcpu->arch.sdei : NULL;
}

int kg_view_of(kg_vm *vm, uint32_t v, kg_view *out)
{
    struct kvm_sdei_vcpu *s = vsdei_of(vm, v);
    memset(out, 0, sizeof(*out));
    if (s == NULL) {
        return -1;
    }
    out->masked = (kc_vcpu(vm->kvm, v)->arch.flags & KVM_ARM64_SDEI_MASKED) != 0;
    out->normal_running = s->running != 0;
    out->normal_num = s->running != 0 ? (uint64_t)__builtin_ctzl(s->running) : KG_NO_EVENT;
    out->critical_num = KG_NO_EVENT;
    KG_SAVED_COPY(out->normal_saved, &s->ctxt);
    out->queued = (uint32_t)__builtin_popcountl(s->pending | s->running);
    return 0;
}

int kg_event_state(kg_vm *vm, uint64_t num, uint32_t v, kg_evstate *out)
{
    struct kvm_sdei_vcpu *s = vsdei_of(vm, v);
    memset(out, 0, sizeof(*out));
    if (s == NULL) {
        return -1;
    }
    if (num >= KVM_NR_SDEI_EVENTS) {
        return 0;
    }
    int reg = test_bit(num, &s->registered), run = test_bit(num, &s->running);
    out->exposed = 1;
    /* v7's unregister-pending: running and no longer registered. */
    out->registered = (uint8_t)(reg || run);
    out->unregister_pending = (uint8_t)(run && !reg);
    out->enabled = (uint8_t)test_bit(num, &s->enabled);
    out->running = (uint8_t)run;
    out->pending = (uint32_t)test_bit(num, &s->pending);
    return 0;
}

uint32_t kg_event_count(kg_vm *vm)
{
    (void)vm;
    return KVM_NR_SDEI_EVENTS;
}

int kg_event_at(kg_vm *vm, uint32_t index, kg_event *out)
{
    (void)vm;
    if (index >= KVM_NR_SDEI_EVENTS) {
        return -1;
    }
    out->num = index;
    out->type = SDEI_EVENT_TYPE_PRIVATE;
    out->priority = SDEI_EVENT_PRIORITY_NORMAL;
    out->signaled = index == KVM_SDEI_EVENT_SW_SIGNALED;
    return 0;
}

const char *kg_check(kg_vm *vm)
{
    for (uint32_t v = 0; v < vm->nr; v++) {
        struct kvm_sdei_vcpu *s = vsdei_of(vm, v);
        if (s != NULL && __builtin_popcountl(s->running) > 1) {
            return "more than one event running on a vCPU (all are normal priority)";
        }
    }
    return NULL;
}
