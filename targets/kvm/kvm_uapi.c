/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm_uapi.c - encoding of the KVM uAPI pieces the kvm target uses (kvm_uapi.h). */
#include "kvm_uapi.h"

#include <string.h>

#include "sdei/sdei_blob.h" /* sdei_get_le, sdei_put_le */

/* The register-id layout of Documentation/virt/kvm/api.rst (KVM_SET_ONE_REG):
 * architecture in bits 63:56, size log2 in 55:52, arm64 group in 31:16. */
#define REG_ARM64 UINT64_C(0x6000000000000000)
#define REG_SIZE_SHIFT 52
#define REG_SIZE_MASK (UINT64_C(0xf) << REG_SIZE_SHIFT)
#define REG_SIZE_U64 (UINT64_C(3) << REG_SIZE_SHIFT)
#define REG_SIZE_U128 (UINT64_C(4) << REG_SIZE_SHIFT)
#define REG_SIZE_U2048 (UINT64_C(8) << REG_SIZE_SHIFT)
#define REG_GROUP_CORE (UINT64_C(0x0010) << 16)
#define REG_GROUP_SYSREG (UINT64_C(0x0013) << 16)
#define REG_GROUP_FW (UINT64_C(0x0014) << 16)

/* Byte offsets in struct kvm_regs: user_pt_regs {x[31], sp, pc, pstate},
 * then sp_el1, elr_el1, spsr[5] (spsr[0] = SPSR_EL1). */
#define OFF_SP 248u
#define OFF_PC 256u
#define OFF_PSTATE 264u
#define OFF_SP_EL1 272u
#define OFF_ELR_EL1 280u
#define OFF_SPSR_EL1 288u

static uint64_t core(unsigned byte_off)
{
    return REG_ARM64 | REG_SIZE_U64 | REG_GROUP_CORE | (uint64_t)(byte_off / 4u);
}

uint64_t sim_kvm_core_x(unsigned n)
{
    return core(8u * (n < 31u ? n : 30u));
}
uint64_t sim_kvm_core_sp_el0(void)
{
    return core(OFF_SP);
}
uint64_t sim_kvm_core_pc(void)
{
    return core(OFF_PC);
}
uint64_t sim_kvm_core_pstate(void)
{
    return core(OFF_PSTATE);
}
uint64_t sim_kvm_core_sp_el1(void)
{
    return core(OFF_SP_EL1);
}
uint64_t sim_kvm_core_elr_el1(void)
{
    return core(OFF_ELR_EL1);
}
uint64_t sim_kvm_core_spsr_el1(void)
{
    return core(OFF_SPSR_EL1);
}

uint64_t sim_kvm_sys_reg(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    return REG_ARM64 | REG_SIZE_U64 | REG_GROUP_SYSREG | ((uint64_t)(op0 & 3u) << 14) |
           ((uint64_t)(op1 & 7u) << 11) | ((uint64_t)(crn & 15u) << 7) |
           ((uint64_t)(crm & 15u) << 3) | (uint64_t)(op2 & 7u);
}

uint64_t sim_kvm_v7_reg_id(uint32_t index)
{
    uint64_t size;
    if (index >= SIM_KVM_V7_HANDLER_0 && index < SIM_KVM_V7_HANDLER_0 + SIM_KVM_V7_HANDLERS) {
        size = REG_SIZE_U128; /* KVM_REG_ARM_FW_REG_128 */
    } else if (index == SIM_KVM_V7_EVENT_CONTEXT) {
        size = REG_SIZE_U2048; /* KVM_REG_ARM_FW_REG_2048 */
    } else if (index >= SIM_KVM_V7_REGISTERED && index <= SIM_KVM_V7_PE_STATE) {
        size = REG_SIZE_U64;
    } else {
        return 0;
    }
    return REG_ARM64 | size | REG_GROUP_FW | (uint64_t)(index & 0xffffu);
}

size_t sim_kvm_reg_size(uint64_t id)
{
    return (size_t)1u << ((id & REG_SIZE_MASK) >> REG_SIZE_SHIFT);
}

void sim_kvm_v5_cmd_encode(const sdei_vmm_cmd_block *cmd, uint8_t out[SIM_KVM_V5_CMD_SIZE])
{
    memset(out, 0, SIM_KVM_V5_CMD_SIZE);
    sdei_put_le(out, cmd->cmd, 4);
    sdei_put_le(out + 4, cmd->count, 4);
    /* @8: INJECT_EVENT carries the number, every other command the array */
    uint64_t word = cmd->cmd == SDEI_CMD_INJECT_EVENT ? cmd->num
                                                      : (uint64_t)(uintptr_t)cmd->data;
    sdei_put_le(out + 8, word, 8);
}

void sim_kvm_v5_cmd_decode(const uint8_t in[SIM_KVM_V5_CMD_SIZE], sdei_vmm_cmd_block *cmd)
{
    cmd->cmd = (uint32_t)sdei_get_le(in, 4);
    cmd->count = (uint32_t)sdei_get_le(in + 4, 4);
    if (cmd->cmd == SDEI_CMD_INJECT_EVENT) {
        cmd->num = sdei_get_le(in + 8, 8);
    }
}

int sim_kvm_v5_cmd_on_vcpu(uint32_t cmd)
{
    return cmd >= SDEI_CMD_GET_VCPU_EVENT_COUNT && cmd < SDEI_CMD_COUNT;
}

sim_kvm_iface sim_kvm_iface_detect(const int cap[3], uint64_t version_x0)
{
    /* The newest series first: each number alone proves nothing. */
    if (cap[2] > 0 && version_x0 == SIM_SDEI_VERSION_V7) {
        return SIM_KVM_IFACE_V7;
    }
    /* v5 and v6 answer the same VERSION; 211 was s390-only upstream when
     * v6 was posted (v5.18), so a v6 kernel does not answer it on arm64 */
    if (cap[0] > 0 && version_x0 == SIM_SDEI_VERSION_V5) {
        return SIM_KVM_IFACE_V5;
    }
    if (cap[1] > 0 && version_x0 == SIM_SDEI_VERSION_V5) {
        return SIM_KVM_IFACE_V6;
    }
    return SIM_KVM_IFACE_NONE;
}

const char *sim_kvm_iface_name(sim_kvm_iface iface)
{
    switch (iface) {
    case SIM_KVM_IFACE_V5:
        return "v5 (KVM_ARM_SDEI_COMMAND)";
    case SIM_KVM_IFACE_V6:
        return "v6 (no VMM interface)";
    case SIM_KVM_IFACE_V7:
        return "v7 (firmware pseudo-registers)";
    default:
        return "none (no SDEI for guests: profile absent)";
    }
}
