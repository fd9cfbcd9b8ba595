/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/arm-smccc.h: the values the SDEI files use. */
#ifndef KSTUB_LINUX_ARM_SMCCC_H
#define KSTUB_LINUX_ARM_SMCCC_H

#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1)
/* KVM's vendor hypervisor UID, word 2 (SMCCC). */
#define ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2 0x564bcaa9U
/* The standard-service SDEI function numbers (v7's router). */
#define ARM_SMCCC_STANDARD_SDEI_START 0x20
#define ARM_SMCCC_STANDARD_SDEI_END 0x3f

#endif
