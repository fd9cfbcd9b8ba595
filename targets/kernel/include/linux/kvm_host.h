/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stand-in for linux/kvm_host.h (and the arm64 asm/kvm_host.h pieces): the
 * VM and vCPU objects as far as the SDEI files touch them, the vCPU request
 * bits, and the vCPU iterator. The register file is the guest's view of one
 * vCPU; the harness (glue_v*.c) copies it in and out around each call.
 */
#ifndef KSTUB_LINUX_KVM_HOST_H
#define KSTUB_LINUX_KVM_HOST_H

#include <kstub/kstub.h>
#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#ifdef KSTUB_FW_REGS
#include <kstub/fwregs.h>
#endif

struct kvm_sdei_kvm;
struct kvm_sdei_vcpu;

/* System registers the SDEI code reads or writes. */
enum vcpu_sysreg { KSTUB_SYSREG_NONE = 0, SPSR_EL1, ELR_EL1, SCTLR_EL1, NR_SYS_REGS };

struct kvm_vcpu_arch {
    struct kvm_sdei_vcpu *sdei;
    u64 regs[31];
    u64 sp;
    u64 pc;
    u64 pstate;
    u64 sys_regs[NR_SYS_REGS];
    unsigned long flags;  /* v7: KVM_ARM64_SDEI_MASKED */
    unsigned irq_pending; /* an IRQ injected and not yet taken */
};

struct kvm_vcpu {
    struct kvm *kvm;
    int vcpu_id;
    int vcpu_idx;
    unsigned long requests;
    struct kvm_vcpu_arch arch;
};

struct kvm_arch {
    struct kvm_sdei_kvm *sdei; /* v5 only */
};

struct kvm {
    struct kvm_arch arch;
    struct kvm_vcpu **vcpus;
    unsigned long nr_vcpus;
};

#define kvm_for_each_vcpu(idx, vcpup, kvm)                                                         \
    for ((idx) = 0; (idx) < (kvm)->nr_vcpus && ((vcpup) = (kvm)->vcpus[(idx)]) != NULL; (idx)++)

/* Request numbers: arch requests start at 8, as in KVM. The SDEI request
 * number differs per version (v5/v6: 6, v7: 7); only its use matters here. */
#define KVM_ARCH_REQ(nr) (8 + (nr))
#define KVM_REQ_SDEI KVM_ARCH_REQ(6)

static inline void kvm_make_request(int req, struct kvm_vcpu *vcpu)
{
    vcpu->requests |= 1UL << req;
}

static inline bool kvm_check_request(int req, struct kvm_vcpu *vcpu)
{
    bool set = (vcpu->requests >> req) & 1UL;
    vcpu->requests &= ~(1UL << req);
    return set;
}

/* v7: the vCPU's SDEI mask flag in vcpu->arch.flags. */
#define KVM_ARM64_SDEI_MASKED (1UL << 18)

#endif
