/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm_uapi.h - the SDEI pieces of the KVM uAPI the kvm target speaks, written
 * from shared/spec/kvm-v5.md (§1.3, §1.4, §12.2), not taken from any kernel
 * header: the series' interfaces were never merged, so no system header has
 * them, and their numbers were later given to other things upstream.
 *
 * Portable C (no Linux headers): the encoding and decoding are tested on any
 * host (tests/test_kvm_uapi.c); only impl_kvm.c issues the ioctls.
 */
#ifndef SIM_KVM_UAPI_H
#define SIM_KVM_UAPI_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_vmm.h"

/* KVM_CAP_ARM_SDEI as each series numbered it (kvm-v5 §1.4, §12). */
#define SIM_KVM_CAP_SDEI_V5 211
#define SIM_KVM_CAP_SDEI_V6 214
#define SIM_KVM_CAP_SDEI_V7 217

/* v5's KVM_ARM_SDEI_COMMAND = _IOWR(0xAE, 0xd0, struct kvm_sdei_cmd) on the
 * VM fd and the vCPU fd (kvm-v5 §1.3). */
#define SIM_KVM_ARM_SDEI_COMMAND UINT32_C(0xC010AED0)
#define SIM_KVM_V5_CMD_SIZE 16u

/* Which SDEI interface a kernel has: confirmed by KVM_CHECK_EXTENSION of the
 * series' number AND the guest's SDEI_VERSION (the numbers were reused). */
typedef enum sim_kvm_iface {
    SIM_KVM_IFACE_NONE = 0, /* a released kernel: profile absent */
    SIM_KVM_IFACE_V5 = 5,   /* KVM_ARM_SDEI_COMMAND */
    SIM_KVM_IFACE_V6 = 6,   /* no VMM interface */
    SIM_KVM_IFACE_V7 = 7    /* firmware pseudo-registers */
} sim_kvm_iface;

/* The guest-visible SDEI_VERSION each series returns (kvm-v5 §1.4, §12.2). */
#define SIM_SDEI_VERSION_V5 UINT64_C(0x00010001004B564D) /* v5 and v6: vendor "KVM" */
#define SIM_SDEI_VERSION_V7 UINT64_C(0x00010001564BCAA9)

/* The interface a kernel offers, from the capability numbers KVM answered
 * (cap[i] = KVM_CHECK_EXTENSION of 211, 214, 217: > 0 when present) and the
 * x0 the guest's SDEI_VERSION returned. A capability whose series' VERSION
 * does not follow is a reused number, not SDEI. */
sim_kvm_iface sim_kvm_iface_detect(const int cap[3], uint64_t version_x0);
const char *sim_kvm_iface_name(sim_kvm_iface iface);

/* struct kvm_sdei_cmd (16 bytes, little-endian): cmd @0, count/version @4,
 * a user pointer (the entry array) or the event number @8. */
void sim_kvm_v5_cmd_encode(const sdei_vmm_cmd_block *cmd, uint8_t out[SIM_KVM_V5_CMD_SIZE]);
/* Reads back what the kernel wrote (count/version); cmd->data is kept. */
void sim_kvm_v5_cmd_decode(const uint8_t in[SIM_KVM_V5_CMD_SIZE], sdei_vmm_cmd_block *cmd);
/* 1 if the command goes to the vCPU fd (7..12), 0 for the VM fd (kvm-v5 §1.3). */
int sim_kvm_v5_cmd_on_vcpu(uint32_t cmd);

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG = _IOW(0xAE, 0xab / 0xac, struct
 * kvm_one_reg {u64 id; u64 addr}) (api.rst; checked against <linux/kvm.h>
 * where the build has it). */
#define SIM_KVM_GET_ONE_REG UINT32_C(0x4010AEAB)
#define SIM_KVM_SET_ONE_REG UINT32_C(0x4010AEAC)

/* How the target issues one ioctl: on the VM fd (vcpu = UINT32_MAX) or a
 * vCPU's. `user`/`user_len` name the VMM memory the call's pointers reach
 * besides `arg` (the entry array, the register value): the real ioctl ignores
 * them, the kernel-code backend of the tests (targets/kernel) checks every
 * user copy against them. Returns 0 or -errno. */
typedef int (*sim_kvm_ioctl_fn)(void *ctx, uint32_t vcpu, uint32_t req, void *arg, void *user,
                                size_t user_len);

/* One v5 KVM_ARM_SDEI_COMMAND: encode, the ioctl on the VM fd (vcpu =
 * SDEI_VMM_VM) or the vCPU's, decode what the kernel wrote back. Returns the
 * ioctl's 0 or -errno. */
int32_t sim_kvm_v5_command(sim_kvm_ioctl_fn io, void *ctx, uint32_t vcpu, sdei_vmm_cmd_block *cmd);

/* v5 migration: the GET/SET command sequence of kvm-v5 §7 (exposed events,
 * registered events, then per vCPU its events and its state) from the VM
 * behind src to the one behind dst. Returns 0, or -errno with one line in
 * err naming the command. */
int sim_kvm_v5_copy_vm(sim_kvm_ioctl_fn io, void *src, void *dst, uint32_t nr_vcpus, char *err,
                       size_t errlen);

/* KVM_GET_ONE_REG (set = 0) or KVM_SET_ONE_REG of register `id` on a vCPU;
 * val holds sdei_fwreg_size(id) bytes. Returns 0 or -errno. */
int sim_kvm_one_reg(sim_kvm_ioctl_fn io, void *ctx, uint32_t vcpu, int set, uint64_t id, void *val);

/* v7 migration of one vCPU: every SDEI firmware register in KVM_GET_REG_LIST
 * order (handlers, the four bitmaps, the context, the PE state) read from
 * the source and written to the destination. Returns 0, or -errno with one
 * line in err naming the register. */
int sim_kvm_v7_copy_vcpu(sim_kvm_ioctl_fn io, void *src, void *dst, uint32_t vcpu, char *err,
                         size_t errlen);

/* v7's firmware pseudo-registers: their ids, sizes and list order are the
 * model's (sdei/sdei_fwreg.h: sdei_fwreg_id_at, sdei_fwreg_size), the one
 * encoding of them in the project. */

/* The core-register ids of KVM_GET/SET_ONE_REG (arm64): x0..x30, sp (SP_EL0),
 * pc, pstate, sp_el1, elr_el1, spsr[EL1]: KVM_REG_ARM64 | U64 |
 * KVM_REG_ARM_CORE | the u32 offset in struct kvm_regs. */
uint64_t sim_kvm_core_x(unsigned n);
uint64_t sim_kvm_core_sp_el0(void);
uint64_t sim_kvm_core_pc(void);
uint64_t sim_kvm_core_pstate(void);
uint64_t sim_kvm_core_sp_el1(void);
uint64_t sim_kvm_core_elr_el1(void);
uint64_t sim_kvm_core_spsr_el1(void);
/* A system register: ARM64_SYS_REG(op0, op1, crn, crm, op2). */
uint64_t sim_kvm_sys_reg(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2);

#endif /* SIM_KVM_UAPI_H */
