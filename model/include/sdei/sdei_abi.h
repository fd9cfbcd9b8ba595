/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdei_abi.h - Arm SDEI (DEN0054C) constants as a guest sees them.
 *
 * Values only: function IDs, result codes, flags, GET_INFO selectors,
 * FEATURES selectors, PSTATE bits. Facts from shared/spec/sdei-rules.md §2-§3.
 * A VMM or a guest test harness may include this header on its own.
 */
#ifndef SDEI_ABI_H
#define SDEI_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a public function whose result must not be ignored: an error code that
 * leaves the outputs unset, or the only output (STYLE habit 3). */
#if defined(__GNUC__) || defined(__clang__)
#define SDEI_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define SDEI_WARN_UNUSED
#endif

/* Function IDs: SMC64 fast calls, standard secure service (sdei-rules §2). */
#define SDEI_FID_BASE UINT64_C(0xC4000020)
#define SDEI_FID_VERSION UINT64_C(0xC4000020)
#define SDEI_FID_EVENT_REGISTER UINT64_C(0xC4000021)
#define SDEI_FID_EVENT_ENABLE UINT64_C(0xC4000022)
#define SDEI_FID_EVENT_DISABLE UINT64_C(0xC4000023)
#define SDEI_FID_EVENT_CONTEXT UINT64_C(0xC4000024)
#define SDEI_FID_EVENT_COMPLETE UINT64_C(0xC4000025)
#define SDEI_FID_EVENT_COMPLETE_AND_RESUME UINT64_C(0xC4000026)
#define SDEI_FID_EVENT_UNREGISTER UINT64_C(0xC4000027)
#define SDEI_FID_EVENT_STATUS UINT64_C(0xC4000028)
#define SDEI_FID_EVENT_GET_INFO UINT64_C(0xC4000029)
#define SDEI_FID_EVENT_ROUTING_SET UINT64_C(0xC400002A)
#define SDEI_FID_PE_MASK UINT64_C(0xC400002B)
#define SDEI_FID_PE_UNMASK UINT64_C(0xC400002C)
#define SDEI_FID_INTERRUPT_BIND UINT64_C(0xC400002D)
#define SDEI_FID_INTERRUPT_RELEASE UINT64_C(0xC400002E)
#define SDEI_FID_EVENT_SIGNAL UINT64_C(0xC400002F)
#define SDEI_FID_FEATURES UINT64_C(0xC4000030)
#define SDEI_FID_PRIVATE_RESET UINT64_C(0xC4000031)
#define SDEI_FID_SHARED_RESET UINT64_C(0xC4000032)
/* The v5 kernel series defines FEATURES as SDEI_1_0_FN(0x30) (kvm-v5 §1.6). */
#define SDEI_FID_FEATURES_KVM_V5 UINT64_C(0xC4000050)
/* The SDEI range TF-A reserves (sdei-rules §2): 0xC4000020..0xC400003F. */
#define SDEI_FID_RANGE_FIRST UINT64_C(0xC4000020)
#define SDEI_FID_RANGE_LAST UINT64_C(0xC400003F)

/* Result codes, sign-extended 64-bit values in x0 (sdei-rules §3). */
#define SDEI_SUCCESS INT64_C(0)
#define SDEI_NOT_SUPPORTED INT64_C(-1)
#define SDEI_INVALID_PARAMETERS INT64_C(-2)
#define SDEI_DENIED INT64_C(-3)
#define SDEI_PENDING INT64_C(-5)
#define SDEI_OUT_OF_RESOURCE INT64_C(-10)

/* VERSION word layout (sdei-rules §1). */
#define SDEI_VERSION_MAJOR_SHIFT 48
#define SDEI_VERSION_MINOR_SHIFT 32
#define SDEI_VERSION_WORD(major, minor, vendor)                                                    \
    ((((uint64_t)(major)) << SDEI_VERSION_MAJOR_SHIFT) |                                           \
     (((uint64_t)(minor)) << SDEI_VERSION_MINOR_SHIFT) | ((uint64_t)(vendor)))
#define SDEI_VENDOR_KVM_ASCII UINT32_C(0x004B564D) /* "KVM", v5 */
/* v6, v7: word 2 of KVM's vendor hypervisor UID (ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2) */
#define SDEI_VENDOR_KVM_UID UINT32_C(0x564BCAA9)
/* v7's event table: 0 = software signalled, 1 = async PF (KVM_NR_SDEI_EVENTS). */
#define SDEI_KVM_V7_NR_EVENTS 2u

/* REGISTER flags / ROUTING_SET modes. */
#define SDEI_RM_ANY UINT64_C(0)
#define SDEI_RM_PE UINT64_C(1)

/* STATUS bits (sdei-rules §5.1). */
#define SDEI_STATUS_REGISTERED UINT64_C(1)
#define SDEI_STATUS_ENABLED UINT64_C(2)
#define SDEI_STATUS_RUNNING UINT64_C(4)

/* GET_INFO selectors (sdei-rules §6.7). */
#define SDEI_INFO_EV_TYPE UINT64_C(0)
#define SDEI_INFO_EV_SIGNALED UINT64_C(1)
#define SDEI_INFO_EV_PRIORITY UINT64_C(2)
#define SDEI_INFO_EV_ROUTING_MODE UINT64_C(3)
#define SDEI_INFO_EV_ROUTING_AFF UINT64_C(4)

/* Event types and priorities. */
#define SDEI_EVENT_TYPE_PRIVATE 0u
#define SDEI_EVENT_TYPE_SHARED 1u
#define SDEI_EVENT_PRIORITY_NORMAL 0u
#define SDEI_EVENT_PRIORITY_CRITICAL 1u

/* FEATURES selectors (sdei-rules §6.13). */
#define SDEI_FEATURE_BIND_SLOTS UINT64_C(0)
#define SDEI_FEATURE_RELATIVE_MODE UINT64_C(1)

/* COMPLETE status argument. */
#define SDEI_EV_HANDLED UINT64_C(0)
#define SDEI_EV_FAILED UINT64_C(1)

/* The software-signalled event (sdei-rules §4.2). */
#define SDEI_EVENT_SIGNAL_NUM UINT32_C(0)
/* "No event running" in the kernel's vcpu_state critical_num/normal_num. */
#define SDEI_INVALID_EVENT UINT64_C(0xFFFFFFFF)

/* Saved general-purpose registers x0..x17 (sdei-rules §6.15). */
#define SDEI_SAVED_GPREGS 18u

/* Interrupt ID ranges a guest may bind (sdei-rules §6.10). */
#define SDEI_INTID_PPI_FIRST 16u
#define SDEI_INTID_PPI_LAST 31u
#define SDEI_INTID_SPI_FIRST 32u
#define SDEI_INTID_SPI_LAST 1019u

/* PSTATE bits used at handler entry (sdei-rules §7.3, tfa-dispatcher §4). */
#define SDEI_PSTATE_M_MASK UINT64_C(0x1F) /* M[4:0], M[4] = nRW */
#define SDEI_PSTATE_M_EL1H UINT64_C(0x5)
#define SDEI_PSTATE_DAIF UINT64_C(0x3C0)
#define SDEI_PSTATE_IL (UINT64_C(1) << 20)
#define SDEI_PSTATE_SS (UINT64_C(1) << 21)
#define SDEI_PSTATE_PAN (UINT64_C(1) << 22)
#define SDEI_PSTATE_UAO (UINT64_C(1) << 23)
#define SDEI_PSTATE_DIT (UINT64_C(1) << 24)
#define SDEI_PSTATE_NZCV UINT64_C(0xF0000000)
/* The IRQ vector for the current EL with SP_ELx: VBAR_EL1 + 0x280. The model
 * has no VBAR_EL1 (it is 0, as in the kernel target): kvm-v6 resume_as_irq. */
#define SDEI_VECTOR_IRQ_CURRENT_SPX UINT64_C(0x280)

/* The affinity fields of an MPIDR (Aff3, Aff2, Aff1, Aff0). */
#define SDEI_MPIDR_AFFINITY_MASK UINT64_C(0xFF00FFFFFF)

#ifdef __cplusplus
}
#endif

#endif /* SDEI_ABI_H */
