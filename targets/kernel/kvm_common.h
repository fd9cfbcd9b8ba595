/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm_common.h - shared by the glue files (see kvm_common.c). */
#ifndef KVM_COMMON_H
#define KVM_COMMON_H

#include <linux/kvm_host.h>

#include "kglue.h"

#define SMCCC_RET_NOT_SUPPORTED_VAL (-1)

struct kvm *kc_vm_new(uint32_t nr_vcpus);
void kc_vm_free(struct kvm *kvm);
struct kvm_vcpu *kc_vcpu(struct kvm *kvm, uint32_t v);
void kc_regs_in(struct kvm_vcpu *v, const kg_regs *r);
void kc_regs_out(const struct kvm_vcpu *v, kg_regs *r);
void kc_not_supported(struct kvm_vcpu *v);
void kc_take_irq(struct kvm_vcpu *v);

#endif
