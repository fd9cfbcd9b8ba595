/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm_guest.h - the kvm target's guest: a few pages it writes itself (no
 * binary from anywhere), portable so that tests check every word on any host.
 *
 * The guest runs at EL1 with the MMU on. Its stage-1 tables map every
 * canonical virtual address (TTBR0 and TTBR1 halves alike) to one "trap page"
 * full of BRK #0, by sharing one table per level: L0 -> L1 -> L2 -> L3 ->
 * trap page, each table's 512 entries pointing at the same next table. So any
 * pc a trace names (a handler entry point, an interrupted pc, a resume
 * address) is executable and traps back at once: the VMM enables software
 * breakpoints (KVM_SET_GUEST_DEBUG), and a BRK exits KVM_RUN with
 * KVM_EXIT_DEBUG and the pc where it stopped, registers untouched.
 *
 * One L0 entry (index 1: VAs 0x80_0000_0000..) has its own chain to the code
 * page: HVC #0 at SIM_KVM_CODE_VA, BRK #0 after it. Every hypercall of a
 * trace runs there with the trace's x0..x5. The vector table (VBAR_EL1) is
 * trap page too: an exception the guest takes stops in it, and the target
 * reports it instead of carrying on.
 */
#ifndef SIM_KVM_GUEST_H
#define SIM_KVM_GUEST_H

#include <stddef.h>
#include <stdint.h>

#define SIM_KVM_PAGE 4096u
#define SIM_KVM_GUEST_PAGES 9u
#define SIM_KVM_GUEST_SIZE (SIM_KVM_GUEST_PAGES * SIM_KVM_PAGE)
/* Guest-physical base of the one memory slot. */
#define SIM_KVM_GUEST_IPA UINT64_C(0x10000000)

#define SIM_KVM_INSN_HVC0 UINT32_C(0xD4000002)
#define SIM_KVM_INSN_BRK0 UINT32_C(0xD4200000)

/* Virtual addresses of the code window (L0 index 1). */
#define SIM_KVM_CODE_VA UINT64_C(0x8000000000)         /* HVC #0; BRK #0 */
#define SIM_KVM_VBAR_VA (SIM_KVM_CODE_VA + 0x1000u)    /* vectors: trap page */
#define SIM_KVM_STANDIN_VA (SIM_KVM_CODE_VA + 0x2000u) /* see impl_kvm.c */

/* System register values for this image (4 KiB granule, 48-bit VAs, 40-bit
 * PAs, one cacheable normal memory attribute). */
#define SIM_KVM_MAIR UINT64_C(0xFF)
uint64_t sim_kvm_guest_tcr(void);
/* SCTLR_EL1 from its reset value: MMU and caches on, SPAN as configured. */
uint64_t sim_kvm_guest_sctlr(uint64_t reset_value, int span);
/* TTBR0_EL1 = TTBR1_EL1 = the L0 table. */
uint64_t sim_kvm_guest_ttbr(void);

/* Writes the image into mem (SIM_KVM_GUEST_SIZE bytes, loaded at
 * SIM_KVM_GUEST_IPA). */
void sim_kvm_guest_build(uint8_t *mem);

/* 1 if the guest stops at va at once with a BRK: 4-byte aligned, canonical
 * for 48-bit VAs, and none of the target's three pages (code, vectors,
 * stand-in) in either half. */
int sim_kvm_guest_va_traps(uint64_t va);
/* 1 if pc lies in the vector table: the guest took an exception. */
int sim_kvm_guest_in_vectors(uint64_t pc);

#endif /* SIM_KVM_GUEST_H */
