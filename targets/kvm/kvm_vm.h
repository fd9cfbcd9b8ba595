/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm_vm.h - the /dev/kvm layer of the kvm target (aarch64 Linux): one VM,
 * its vCPUs, the guest image, register transfer and one guest run.
 */
#ifndef SIM_KVM_VM_H
#define SIM_KVM_VM_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_model.h"

typedef struct kvm_vcpu_slot {
    int fd;
    void *run; /* the mmapped struct kvm_run */
    size_t run_size;
} kvm_vcpu_slot;

typedef struct kvm_vm {
    int kvm_fd;
    int vm_fd;
    uint32_t nr_vcpus;
    kvm_vcpu_slot *vcpu;
    uint8_t *mem;        /* the guest image, SIM_KVM_GUEST_SIZE bytes */
    int span;            /* SCTLR_EL1.SPAN for every vCPU */
    unsigned timeout_ms; /* one guest run */
} kvm_vm;

/* What stopped a run. */
typedef enum kvm_stop {
    KVM_STOP_BRK = 0,     /* the guest hit a BRK: the normal way back */
    KVM_STOP_TIMEOUT = 1, /* it did not come back in time */
    KVM_STOP_OTHER = 2    /* another exit (reason in *detail) or an ioctl error */
} kvm_stop;

/* Opens /dev/kvm, creates the VM, its vCPUs (MPIDRs as cfg says) and the
 * guest. Returns 0, or a sim_kvm_exit code (no device, permission, not
 * arm64) or 3 (anything else) with one line in err. */
int kvm_vm_open(kvm_vm *vm, const sdei_config *cfg, char *err, size_t errlen);
void kvm_vm_close(kvm_vm *vm);
/* KVM_ARM_VCPU_INIT again and the guest's system registers. */
int kvm_vm_vcpu_reset(kvm_vm *vm, uint32_t v, char *err, size_t errlen);

/* KVM_CHECK_EXTENSION on the VM. */
int kvm_vm_check_cap(const kvm_vm *vm, long cap);

/* Register transfer: x0..x30, sp (SP_EL1: the guest runs at EL1h), pc,
 * pstate, ELR_EL1, SPSR_EL1. Return 0 or -errno. */
int kvm_vm_set_regs(kvm_vm *vm, uint32_t v, const sdei_regs *r);
int kvm_vm_get_regs(kvm_vm *vm, uint32_t v, sdei_regs *r);
int kvm_vm_get_sysreg(kvm_vm *vm, uint32_t v, uint64_t id, uint64_t *val);

/* One KVM_RUN until the guest stops. *detail: the exit reason or errno. */
kvm_stop kvm_vm_run(kvm_vm *vm, uint32_t v, uint64_t *detail);

/* An ioctl on the VM fd (vcpu = UINT32_MAX) or a vCPU fd: 0 or -errno. */
int kvm_vm_ioctl(kvm_vm *vm, uint32_t vcpu, unsigned long req, void *arg);

#endif /* SIM_KVM_VM_H */
