/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdei_fwreg.h - the v7 series' migration state: SDEI firmware
 * pseudo-registers, as KVM_GET_ONE_REG / KVM_SET_ONE_REG reach them
 * (kvm-v5 §12.2; docs/migration.md "v7 firmware registers").
 *
 * One id per register, encoded as KVM encodes it (KVM_REG_ARM64 | size |
 * KVM_REG_ARM_FW | number); the value is little-endian bytes of the id's
 * size, laid out as v7's sdei.c copies them. Only a VM of a profile with
 * quirk event_table_kvm (kvm-v7) has them; any other VM answers every id
 * with -ENOENT, as a kernel that does not know the register does. The ids
 * and sizes are public so that other targets (the kvm target) use the one
 * encoding.
 */
#ifndef SDEI_FWREG_H
#define SDEI_FWREG_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* KVM_REG_ARM64 | KVM_REG_SIZE_U<8 << log2> | KVM_REG_ARM_FW | number */
#define SDEI_FWREG_ID(size_log2, number)                                                           \
    (UINT64_C(0x6000000000000000) | ((uint64_t)(size_log2) << 52) | UINT64_C(0x0000000000140000) | \
     (uint64_t)(number))

#define SDEI_FWREG_HANDLER(n) SDEI_FWREG_ID(4, 4u + (n)) /* 128 bits: ep_addr, ep_arg; n 0..3 */
#define SDEI_FWREG_REGISTERED SDEI_FWREG_ID(3, 8)        /* u64 bitmaps of KVM's events */
#define SDEI_FWREG_ENABLED SDEI_FWREG_ID(3, 9)
#define SDEI_FWREG_RUNNING SDEI_FWREG_ID(3, 10)
#define SDEI_FWREG_PENDING SDEI_FWREG_ID(3, 11)
#define SDEI_FWREG_CONTEXT SDEI_FWREG_ID(8, 12)  /* 2048 bits: pc, pstate, x0..x17 */
#define SDEI_FWREG_PE_STATE SDEI_FWREG_ID(3, 13) /* u64: 1 = masked */

#define SDEI_FWREG_COUNT 10u /* in KVM_GET_REG_LIST order */
#define SDEI_FWREG_MAX_SIZE 256u
#define SDEI_FWREG_CONTEXT_USED 160u /* v7 reads and writes 20 u64; bytes 160..255 unused */

/* The id of register i (0..9) in KVM_GET_REG_LIST order; 0 past the end. */
uint64_t sdei_fwreg_id_at(uint32_t i);
/* Index 0..9 of an SDEI register id, or -1 (any other id, or a wrong size). */
SDEI_WARN_UNUSED
int sdei_fwreg_index(uint64_t id);
/* KVM_REG_SIZE(id) in bytes (any id). */
size_t sdei_fwreg_size(uint64_t id);
/* "EVENT_HANDLER_0", "EVENT_REGISTERED", ... "PE_STATE", or NULL. */
const char *sdei_fwreg_name(uint64_t id);
/* Id by name (as sdei_fwreg_name gives it), or 0. */
uint64_t sdei_fwreg_by_name(const char *name);

/* KVM_GET_ONE_REG of `id` on vCPU `vcpu` into buf (len bytes of user
 * memory). *kernel_ret is what v7's kvm_sdei_get_reg returns: 0, -ENOENT
 * (not an SDEI register of this VM) or -EFAULT (buf NULL or shorter than
 * what the kernel copies; whole u64s that fit are written first, as v7's
 * field-by-field copies do). Only the bytes v7 writes are written: of
 * CONTEXT, the first 160. Returns SDEI_E_NULL (vm, kernel_ret),
 * SDEI_E_VCPU, else SDEI_OK. */
SDEI_WARN_UNUSED
sdei_err sdei_fwreg_get(const sdei_vm *vm, uint32_t vcpu, uint64_t id, uint8_t *buf, size_t len,
                        int32_t *kernel_ret);

/* KVM_SET_ONE_REG: the value in buf (len bytes) applied as v7's
 * kvm_sdei_set_reg does (bitmaps masked to KVM's events; HANDLER_2/3 ignored;
 * writing PENDING or PE_STATE may raise the delivery request). *kernel_ret as
 * for get. Returns SDEI_E_NULL, SDEI_E_VCPU, SDEI_E_RANGE when the kernel
 * would accept the value but the model cannot hold it (two events running on
 * one vCPU: v7's own code never makes that; nothing changed, *kernel_ret 0),
 * else SDEI_OK. */
SDEI_WARN_UNUSED
sdei_err sdei_fwreg_set(sdei_vm *vm, uint32_t vcpu, uint64_t id, const uint8_t *buf, size_t len,
                        int32_t *kernel_ret);

/* The SDEI registers of one vCPU, as a VMM holds them after KVM_GET_ONE_REG of
 * each (values in sdei_fwreg_id_at order, each sdei_fwreg_size bytes). */
typedef struct sdei_fwreg_vcpu {
    const uint8_t *value[SDEI_FWREG_COUNT];
} sdei_fwreg_vcpu;

/* Lints the registers of nr_vcpus vCPUs (a vCPU with a NULL value is
 * skipped): what v7 accepts but is inconsistent or makes its own code
 * misbehave (docs/migration.md). Findings name struct "fwreg", the register
 * (field), its index (entry), the vCPU and the byte offset in the value.
 * Returns the number of findings (may exceed max; the first max are stored).
 * sdei_lint_save() does the same for a format-2 save. */
SDEI_WARN_UNUSED
uint32_t sdei_lint_fwregs(uint32_t nr_vcpus, const sdei_fwreg_vcpu *vcpus,
                          sdei_lint_finding *findings, uint32_t max);

#ifdef __cplusplus
}
#endif

#endif /* SDEI_FWREG_H */
