/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm_common.c - the parts of "the rest of KVM" every version shares: VM and
 * vCPU objects (kvm_host.h stand-in), the register file copy, the request
 * check before guest entry. The tree's headers are not included here.
 */
#include "kvm_common.h"

#include "glue_common.h"
#include "kstub_run.h"

#include <stdlib.h>
#include <string.h>

struct kvm *kc_vm_new(uint32_t nr_vcpus)
{
    struct kvm *kvm = calloc(1, sizeof(*kvm));
    if (kvm == NULL) {
        return NULL;
    }
    kvm->vcpus = calloc(nr_vcpus, sizeof(kvm->vcpus[0]));
    if (kvm->vcpus == NULL) {
        free(kvm);
        return NULL;
    }
    for (uint32_t i = 0; i < nr_vcpus; i++) {
        struct kvm_vcpu *v = calloc(1, sizeof(*v));
        if (v == NULL) {
            kc_vm_free(kvm);
            return NULL;
        }
        v->kvm = kvm;
        v->vcpu_id = (int)i;
        v->vcpu_idx = (int)i;
        kvm->vcpus[i] = v;
        kvm->nr_vcpus = i + 1;
    }
    return kvm;
}

void kc_vm_free(struct kvm *kvm)
{
    if (kvm == NULL) {
        return;
    }
    for (unsigned long i = 0; i < kvm->nr_vcpus; i++) {
        free(kvm->vcpus[i]);
    }
    free(kvm->vcpus);
    free(kvm);
}

struct kvm_vcpu *kc_vcpu(struct kvm *kvm, uint32_t v)
{
    return v < kvm->nr_vcpus ? kvm->vcpus[v] : NULL;
}

void kc_regs_in(struct kvm_vcpu *v, const kg_regs *r)
{
    if (v == NULL || r == NULL) {
        return; /* no such vCPU (the executor checks the index first) */
    }
    if (kstub_cheap) {
        /* bench_kernel's cheap mode: the registers live in the vCPU, as in
         * KVM; only the call's arguments come in (kc_regs_out: nothing). */
        memcpy(v->arch.regs, r->x, 6 * sizeof(r->x[0]));
        return;
    }
    memcpy(v->arch.regs, r->x, sizeof(r->x));
    v->arch.sp = r->sp;
    v->arch.pc = r->pc;
    v->arch.pstate = r->pstate;
    v->arch.sys_regs[ELR_EL1] = r->elr_el1;
    v->arch.sys_regs[SPSR_EL1] = r->spsr_el1;
}

void kc_regs_out(const struct kvm_vcpu *v, kg_regs *r)
{
    if (v == NULL || r == NULL || kstub_cheap) {
        return;
    }
    memcpy(r->x, v->arch.regs, sizeof(r->x));
    r->sp = v->arch.sp;
    r->pc = v->arch.pc;
    r->pstate = v->arch.pstate;
    r->elr_el1 = v->arch.sys_regs[ELR_EL1];
    r->spsr_el1 = v->arch.sys_regs[SPSR_EL1];
}

/* What hypercalls.c does for a function ID it routes nowhere. */
void kc_not_supported(struct kvm_vcpu *v)
{
    v->arch.regs[0] = (u64)(s64)SMCCC_RET_NOT_SUPPORTED_VAL;
    v->arch.regs[1] = 0;
    v->arch.regs[2] = 0;
    v->arch.regs[3] = 0;
}

/* An IRQ exception taken to EL1h at guest entry (v6/v7 teach hyp/exception.c
 * to do it): ELR/SPSR get the interrupted context, PSTATE masks DAIF. The
 * vector is VBAR_EL1 + 0x280 (current EL, SPx, IRQ); VBAR_EL1 is 0 here. */
void kc_take_irq(struct kvm_vcpu *v)
{
    /* KVM's exception entry (hyp/exception.c, no optional features): EL1h,
     * DAIF set; NZCV, DIT and PAN kept, PAN set when SCTLR_EL1.SPAN (bit 23)
     * is 0; the rest 0. */
    const u64 keep = 0xF0000000ull | (1ull << 24) | (1ull << 22);
    int span = (v->arch.sys_regs[SCTLR_EL1] >> 23) & 1;
    v->arch.sys_regs[ELR_EL1] = v->arch.pc;
    v->arch.sys_regs[SPSR_EL1] = v->arch.pstate;
    v->arch.pstate = (v->arch.pstate & keep) | (span ? 0 : 1ull << 22) | 0x3c5;
    v->arch.pc = 0x280;
}

void kg_abandon(kg_vm *vm)
{
    if (vm != NULL) {
        kc_vm_free(vm->kvm);
        free(vm->regs);
        free(vm);
    }
}

void kg_set_span(kg_vm *vm, int span)
{
    for (uint32_t i = 0; i < vm->nr; i++) {
        vm->kvm->vcpus[i]->arch.sys_regs[SCTLR_EL1] = span ? UINT64_C(1) << 23 : 0;
    }
}

kg_regs *kg_regs_of(kg_vm *vm, uint32_t vcpu)
{
    return vcpu < vm->nr ? &vm->regs[vcpu] : NULL;
}
