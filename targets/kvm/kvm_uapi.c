/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm_uapi.c - encoding of the KVM uAPI pieces the kvm target uses (kvm_uapi.h). */
#include "kvm_uapi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdei/sdei_blob.h"  /* sdei_get_le, sdei_put_le */
#include "sdei/sdei_fwreg.h" /* the v7 register ids */

/* The register-id layout of Documentation/virt/kvm/api.rst (KVM_SET_ONE_REG):
 * architecture in bits 63:56, size log2 in 55:52, arm64 group in 31:16. */
#define REG_ARM64 UINT64_C(0x6000000000000000)
#define REG_SIZE_SHIFT 52
#define REG_SIZE_U64 (UINT64_C(3) << REG_SIZE_SHIFT)
#define REG_GROUP_CORE (UINT64_C(0x0010) << 16)
#define REG_GROUP_SYSREG (UINT64_C(0x0013) << 16)

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

void sim_kvm_v5_cmd_encode(const sdei_vmm_cmd_block *cmd, uint8_t out[SIM_KVM_V5_CMD_SIZE])
{
    memset(out, 0, SIM_KVM_V5_CMD_SIZE);
    sdei_put_le(out, cmd->cmd, 4);
    sdei_put_le(out + 4, cmd->count, 4);
    /* @8: INJECT_EVENT carries the number, every other command the array */
    uint64_t word = cmd->cmd == SDEI_CMD_INJECT_EVENT ? cmd->num : (uint64_t)(uintptr_t)cmd->data;
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

int32_t sim_kvm_v5_command(sim_kvm_ioctl_fn io, void *ctx, uint32_t vcpu, sdei_vmm_cmd_block *cmd)
{
    uint8_t blk[SIM_KVM_V5_CMD_SIZE];
    sim_kvm_v5_cmd_encode(cmd, blk);
    int32_t r = io(ctx, vcpu == SDEI_VMM_VM ? UINT32_MAX : vcpu, SIM_KVM_ARM_SDEI_COMMAND, blk,
                   cmd->data, cmd->data != NULL ? cmd->data_len : 0);
    sim_kvm_v5_cmd_decode(blk, cmd);
    return r;
}

/* GET_<kind> (count from GET_<kind>_COUNT, 1 for the vCPU state) on src,
 * then SET_<kind> of the same entries on dst. */
static int copy_kind(sim_kvm_ioctl_fn io, void *src, void *dst, uint32_t fd, uint32_t get,
                     size_t esz, char *err, size_t errlen)
{
    sdei_vmm_cmd_block b = {.cmd = get - 1u};
    int r = get == SDEI_CMD_GET_VCPU_STATE ? 0 : sim_kvm_v5_command(io, src, fd, &b);
    uint32_t n = get == SDEI_CMD_GET_VCPU_STATE ? 1u : b.count;
    uint8_t *buf = r == 0 && n != 0 ? calloc(n, esz) : NULL;
    if (r == 0 && n != 0 && buf == NULL) {
        r = -12; /* ENOMEM */
    }
    if (buf != NULL) {
        b = (sdei_vmm_cmd_block){.cmd = get, .count = n, .data = buf, .data_len = n * esz};
        r = sim_kvm_v5_command(io, src, fd, &b);
        if (r == 0) {
            get++; /* the SET command follows its GET (kvm-v5 §1.3) */
            b = (sdei_vmm_cmd_block){.cmd = get,
                                     .count = get == SDEI_CMD_SET_VCPU_STATE ? 0 : n,
                                     .data = buf,
                                     .data_len = n * esz};
            r = sim_kvm_v5_command(io, dst, fd, &b);
        }
        free(buf);
    }
    if (r != 0 && fd == SDEI_VMM_VM) {
        snprintf(err, errlen, "kvm: migration: KVM_SDEI_CMD %u on the VM: errno %d", get, -r);
    } else if (r != 0) {
        snprintf(err, errlen, "kvm: migration: KVM_SDEI_CMD %u on vCPU %u: errno %d", get, fd, -r);
    }
    return r;
}

int sim_kvm_v5_copy_vm(sim_kvm_ioctl_fn io, void *src, void *dst, uint32_t nr_vcpus, char *err,
                       size_t errlen)
{
    int r = copy_kind(io, src, dst, SDEI_VMM_VM, SDEI_CMD_GET_EXPOSED_EVENT, SDEI_BLOB_EXPOSED_SIZE,
                      err, errlen);
    if (r == 0) {
        r = copy_kind(io, src, dst, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT,
                      SDEI_BLOB_REGISTERED_SIZE, err, errlen);
    }
    for (uint32_t v = 0; v < nr_vcpus && r == 0; v++) {
        r = copy_kind(io, src, dst, v, SDEI_CMD_GET_VCPU_EVENT, SDEI_BLOB_VCPU_EVENT_SIZE, err,
                      errlen);
        if (r == 0) {
            r = copy_kind(io, src, dst, v, SDEI_CMD_GET_VCPU_STATE, SDEI_BLOB_VCPU_STATE_SIZE, err,
                          errlen);
        }
    }
    return r;
}

int sim_kvm_one_reg(sim_kvm_ioctl_fn io, void *ctx, uint32_t vcpu, int set, uint64_t id, void *val)
{
    uint64_t reg[2] = {id, (uint64_t)(uintptr_t)val}; /* struct kvm_one_reg */
    return io(ctx, vcpu, set ? SIM_KVM_SET_ONE_REG : SIM_KVM_GET_ONE_REG, reg, val,
              sdei_fwreg_size(id));
}

int sim_kvm_v7_copy_vcpu(sim_kvm_ioctl_fn io, void *src, void *dst, uint32_t vcpu, char *err,
                         size_t errlen)
{
    /* The vCPU's registers in list order; the context register is 256 bytes. */
    uint64_t val[SDEI_FWREG_COUNT][SDEI_FWREG_MAX_SIZE / 8u];
    memset(val, 0, sizeof(val));
    for (int set = 0; set <= 1; set++) {
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            uint64_t id = sdei_fwreg_id_at(i);
            int r = sim_kvm_one_reg(io, set ? dst : src, vcpu, set, id, val[i]);
            if (r != 0) {
                snprintf(err, errlen, "kvm: %s of SDEI register %s on vCPU %u: errno %d",
                         set ? "KVM_SET_ONE_REG" : "KVM_GET_ONE_REG", sdei_fwreg_name(id), vcpu,
                         -r);
                return r;
            }
        }
    }
    return 0;
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
