/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm_target.h - the kvm target (impl_kvm.c, aarch64 Linux only): a VM of the
 * running kernel's KVM, driven through /dev/kvm (docs/kvm-target.md).
 */
#ifndef SIM_KVM_TARGET_H
#define SIM_KVM_TARGET_H

#include <stddef.h>

/* Exit codes of `sdei-sim ... --target=kvm` when KVM cannot be had (README). */
enum sim_kvm_exit {
    SIM_KVM_EXIT_NO_DEVICE = 8,  /* no /dev/kvm */
    SIM_KVM_EXIT_PERMISSION = 9, /* /dev/kvm not readable and writable by us */
    SIM_KVM_EXIT_NOT_ARM64 = 10  /* not an arm64 KVM, or no kvm target in this build */
};

/* Opens /dev/kvm and creates (and drops) one arm64 VM. Returns 0, or one of
 * sim_kvm_exit with one line in err. */
int sim_kvm_probe(char *err, size_t errlen);

#endif /* SIM_KVM_TARGET_H */
