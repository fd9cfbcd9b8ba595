/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwregs.h - what uapi linux/kvm.h gives a tree whose SDEI state lives in
 * firmware pseudo-registers (v7): the register-id size encoding and the
 * one-register access block; then the tree's own uapi asm/kvm.h (its ids).
 */
#ifndef KSTUB_FWREGS_H
#define KSTUB_FWREGS_H

#include <linux/types.h>

/* KVM_{GET,SET}_ONE_REG ids: architecture in bits 63..56 (arm64 = 0x60),
 * log2 of the size in bytes in bits 55..52. */
#define KVM_REG_ARM64 (0x60ULL << 56)
#define KVM_REG_SIZE_SHIFT 52
#define KVM_REG_SIZE_MASK (0xfULL << KVM_REG_SIZE_SHIFT)
#define KSTUB_REG_LOG2(n) ((__u64)(n) << KVM_REG_SIZE_SHIFT)
#define KVM_REG_SIZE_U8 KSTUB_REG_LOG2(0)
#define KVM_REG_SIZE_U16 KSTUB_REG_LOG2(1)
#define KVM_REG_SIZE_U32 KSTUB_REG_LOG2(2)
#define KVM_REG_SIZE_U64 KSTUB_REG_LOG2(3)
#define KVM_REG_SIZE_U128 KSTUB_REG_LOG2(4)
#define KVM_REG_SIZE_U256 KSTUB_REG_LOG2(5)
#define KVM_REG_SIZE_U512 KSTUB_REG_LOG2(6)
#define KVM_REG_SIZE_U1024 KSTUB_REG_LOG2(7)
#define KVM_REG_SIZE_U2048 KSTUB_REG_LOG2(8)

/* The block KVM_{GET,SET}_ONE_REG pass: the id and a user address. */
struct kvm_one_reg {
    __u64 id;
    __u64 addr;
};

#include <uapi/asm/kvm.h>

#endif
