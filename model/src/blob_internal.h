/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blob_internal.h - byte layout of the kernel's migration structs and the
 * little-endian accessors shared by blob.c, vmm.c, save.c and lint.c.
 *
 * Every offset below is the uAPI's (kvm-v5 §1.2, checked against
 * kernel-recordings/sizes_hole.rec); blob.c asserts that they chain without
 * gaps and end at the struct size. Nothing here depends on the host's own
 * struct layout: all access goes through sdei_get_le*() / sdei_put_le*()
 * (sdei_blob.h).
 */
#ifndef SDEI_BLOB_INTERNAL_H
#define SDEI_BLOB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_blob.h"
#include "vm_internal.h"

/* ---- struct kvm_sdei_exposed_event_state (24 bytes) ---- */
#define SDEI_EXP_OFF_NUM 0u
#define SDEI_EXP_OFF_TYPE 8u
#define SDEI_EXP_OFF_SIGNALED 9u
#define SDEI_EXP_OFF_PRIORITY 10u
#define SDEI_EXP_OFF_PADDING 11u
#define SDEI_EXP_PADDING_LEN 5u
#define SDEI_EXP_OFF_NOTIFIER 16u

/* ---- struct kvm_sdei_registered_event_state (8408 bytes) ---- */
#define SDEI_REG_OFF_NUM 0u
#define SDEI_REG_OFF_ROUTE_MODE 8u
#define SDEI_REG_OFF_PADDING 9u
#define SDEI_REG_PADDING_LEN 3u
#define SDEI_REG_OFF_HOLE 12u
#define SDEI_REG_HOLE_LEN 4u
#define SDEI_REG_OFF_ROUTE_AFFINITY 16u
#define SDEI_REG_OFF_EP_ADDRESS 24u
#define SDEI_REG_OFF_EP_ARG 4120u
#define SDEI_REG_OFF_REGISTERED 8216u
#define SDEI_REG_OFF_ENABLED 8280u
#define SDEI_REG_OFF_UNREGISTER_PENDING 8344u
#define SDEI_REG_BITMAP_WORDS 8u

/* ---- struct kvm_sdei_vcpu_event_state (16 bytes) ---- */
#define SDEI_VEV_OFF_NUM 0u
#define SDEI_VEV_OFF_EVENT_COUNT 8u
#define SDEI_VEV_OFF_PADDING 12u

/* ---- struct kvm_sdei_vcpu_regs_state (160 bytes) ---- */
#define SDEI_VREGS_OFF_REGS 0u
#define SDEI_VREGS_NR_REGS 18u
#define SDEI_VREGS_OFF_PC 144u
#define SDEI_VREGS_OFF_PSTATE 152u

/* ---- struct kvm_sdei_vcpu_state (344 bytes) ---- */
#define SDEI_VST_OFF_MASKED 0u
#define SDEI_VST_OFF_PADDING 1u
#define SDEI_VST_PADDING_LEN 7u
#define SDEI_VST_OFF_CRITICAL_NUM 8u
#define SDEI_VST_OFF_NORMAL_NUM 16u
#define SDEI_VST_OFF_CRITICAL_REGS 24u
#define SDEI_VST_OFF_NORMAL_REGS 184u

/* ---- a blob-level error, filled by the validators (save.c, vmm.c) ---- */
static inline void sdei_blob_error_set(sdei_blob_error *err, const char *strct, const char *field,
                                       uint32_t entry, uint32_t vcpu, uint32_t offset,
                                       size_t buf_offset, const char *problem, int32_t kernel_errno)
{
    if (err == NULL) {
        return;
    }
    err->strct = strct;
    err->field = field;
    err->entry = entry;
    err->vcpu = vcpu;
    err->offset = offset;
    err->buf_offset = buf_offset;
    err->problem = problem;
    err->kernel_errno = kernel_errno;
    err->what = problem;
    sdei_blob_error_format(err);
}

/* ---- a small num -> index map for batches (no allocation: lives on the stack) ---- */
#define SDEI_NUMMAP_SIZE 256u /* power of two, > 2 * SDEI_MAX_EVENTS */
typedef struct sdei_nummap {
    uint64_t key[SDEI_NUMMAP_SIZE];
    uint16_t val[SDEI_NUMMAP_SIZE]; /* index + 1; 0 = empty */
} sdei_nummap;

static inline void sdei_nummap_init(sdei_nummap *m)
{
    for (uint32_t i = 0; i < SDEI_NUMMAP_SIZE; i++) {
        m->val[i] = 0;
    }
}

static inline uint32_t sdei_nummap_hash(uint64_t num)
{
    uint64_t h = num * UINT64_C(0x9E3779B97F4A7C15);
    return (uint32_t)(h >> 56) & (SDEI_NUMMAP_SIZE - 1u);
}

/* Index stored for num, or -1. */
static inline int32_t sdei_nummap_get(const sdei_nummap *m, uint64_t num)
{
    uint32_t h = sdei_nummap_hash(num);
    for (uint32_t probe = 0;; probe++) {
        /* at most 128 of the 256 slots are taken: every probe ends at an empty one */
        if (SDEI_UNREACHABLE_BRANCH(probe >= SDEI_NUMMAP_SIZE)) {
            return -1;
        }
        uint32_t i = (h + probe) & (SDEI_NUMMAP_SIZE - 1u);
        if (m->val[i] == 0) {
            return -1;
        }
        if (m->key[i] == num) {
            return (int32_t)m->val[i] - 1;
        }
    }
}

/* Stores num -> idx unless num is present; returns the index already stored, or -1 if
 * it was new. The caller never stores more than SDEI_MAX_EVENTS keys. */
static inline int32_t sdei_nummap_put(sdei_nummap *m, uint64_t num, uint16_t idx)
{
    uint32_t h = sdei_nummap_hash(num);
    for (uint32_t probe = 0;; probe++) {
        /* at most 128 of the 256 slots are taken: every probe ends at an empty one */
        if (SDEI_UNREACHABLE_BRANCH(probe >= SDEI_NUMMAP_SIZE)) {
            return -1;
        }
        uint32_t i = (h + probe) & (SDEI_NUMMAP_SIZE - 1u);
        if (m->val[i] == 0) {
            m->key[i] = num;
            m->val[i] = (uint16_t)(idx + 1u);
            return -1;
        }
        if (m->key[i] == num) {
            return (int32_t)m->val[i] - 1;
        }
    }
}

/* ---- the VM <-> blob mapping, shared by the commands and save/restore ---- */

/* Exposed capacity of the VM (the kernel's 128, or less if configured so). */
uint32_t sdei_vm_event_cap(const sdei_vm *vm);

/* Encode straight from the VM into bytes (exactly the struct size). */
void sdei_registered_encode_vm(const sdei_vm *vm, uint16_t ev, uint8_t *out);
void sdei_vcpu_state_encode_vm(const sdei_vcpu *vc, uint8_t *out);
void sdei_exposed_encode_vm(const sdei_exposed *ex, uint8_t *out);
void sdei_vcpu_event_encode_vm(const sdei_vcpu_event *ve, uint8_t *out);

/* Apply one already-validated entry (bytes) to the VM. */
void sdei_apply_exposed(sdei_vm *vm, const uint8_t *blob);
void sdei_apply_registered(sdei_vm *vm, const uint8_t *blob);
void sdei_apply_vcpu_event(sdei_vm *vm, uint32_t v, const uint8_t *blob);
void sdei_apply_vcpu_state(sdei_vm *vm, uint32_t v, const uint8_t *blob);

/* ---- per-entry checks of the SET commands (kvm-v5 §6), shared with save.c ---- */
typedef struct sdei_entry_check {
    const char *field;
    uint32_t offset;
    const char *problem;
    const char *what; /* static "struct.field: problem" */
} sdei_entry_check;

/* 1 if event numbers must have bit 31 clear (not quirk event_number_loose). */
int sdei_vmm_strict(const sdei_vm *vm);
/* num shape, type, priority: 0 or -EINVAL with c filled. */
int32_t sdei_check_exposed_fields(const sdei_vm *vm, const uint8_t *e, sdei_entry_check *c);
/* 1 if an exposed entry names ex's number with another type, signaled or priority. */
int sdei_exposed_attrs_differ(const sdei_exposed *ex, const uint8_t *e);
/* num shape, route_mode: 0 or -EINVAL with c filled. */
int32_t sdei_check_registered_fields(const sdei_vm *vm, const uint8_t *e, sdei_entry_check *c);

/* ---- the whole-VM save buffer (format version 1, docs/migration.md) ---- */
#define SDEI_SAVE_HDR_SIZE 32u
#define SDEI_SAVE_HDR_OFF_MAGIC 0u
#define SDEI_SAVE_HDR_OFF_VERSION 4u
#define SDEI_SAVE_HDR_OFF_NR_VCPUS 8u
#define SDEI_SAVE_HDR_OFF_HDR_SIZE 12u
#define SDEI_SAVE_HDR_OFF_TOTAL 16u
#define SDEI_SAVE_HDR_OFF_NR_EXPOSED 24u
#define SDEI_SAVE_HDR_OFF_NR_REGISTERED 28u

/* Per vCPU: u32 number of vCPU events, u32 reserved (0), the events, the state. */
#define SDEI_SAVE_VCPU_HDR_SIZE 8u

/* Extension records after the kernel blobs: u32 type, u32 payload length. */
#define SDEI_SAVE_REC_HDR_SIZE 8u
#define SDEI_SAVE_REC_CONFIG 1u
#define SDEI_SAVE_REC_BIND 2u
#define SDEI_SAVE_REC_REGS 3u
/* Optional, after REGS, only when a vCPU is not on: one u8 sdei_power_state per
 * vCPU, zero-padded to a multiple of 8 (KVM moves it as mp_state). */
#define SDEI_SAVE_REC_POWER 4u
#define SDEI_SAVE_POWER_SIZE(n) (((size_t)(n) + 7u) & ~(size_t)7u)

/* CONFIG payload */
#define SDEI_SAVE_CFG_OFF_MAX_EVENTS 0u
#define SDEI_SAVE_CFG_OFF_PROFILE 4u
#define SDEI_SAVE_CFG_OFF_QUIRKS 8u
#define SDEI_SAVE_CFG_OFF_PRIVATE_SLOTS 16u
#define SDEI_SAVE_CFG_OFF_SHARED_SLOTS 18u
#define SDEI_SAVE_CFG_OFF_SPAN 20u
#define SDEI_SAVE_CFG_OFF_RESERVED 21u
#define SDEI_SAVE_CFG_OFF_MPIDR 24u
/* BIND payload: one 16-byte entry per bind slot, in exposed order */
#define SDEI_SAVE_BIND_SIZE 16u
#define SDEI_SAVE_BIND_OFF_NUM 0u
#define SDEI_SAVE_BIND_OFF_INTID 8u
#define SDEI_SAVE_BIND_OFF_KIND 12u
#define SDEI_SAVE_BIND_OFF_RESERVED 13u
/* REGS payload: per vCPU x0..x30, sp, pc, pstate, elr_el1, spsr_el1 */
#define SDEI_SAVE_REGS_WORDS 36u
#define SDEI_SAVE_REGS_SIZE (8u * SDEI_SAVE_REGS_WORDS)

/* Where everything is in a structurally sound save buffer. */
typedef struct sdei_save_map {
    uint32_t nr_vcpus;
    uint32_t nr_exposed;
    uint32_t nr_registered;
    uint32_t nr_bind;
    uint32_t version; /* SDEI_SAVE_VERSION or SDEI_SAVE_VERSION_FWREG */
    size_t exposed_off;
    size_t registered_off;
    size_t cfg_off; /* payloads */
    size_t bind_off;
    size_t regs_off;
    size_t power_off;                /* 0: no POWER record, every vCPU on */
    size_t vcpu_off[SDEI_MAX_VCPUS]; /* the vCPU's first event */
    uint32_t vcpu_nev[SDEI_MAX_VCPUS];
} sdei_save_map;

/* Checks the structure (magic, version, sizes, record framing) of a save
 * buffer, never reading past len; SDEI_E_FORMAT with err filled on error. */
sdei_err sdei_save_parse(const uint8_t *buf, size_t len, sdei_save_map *map, sdei_blob_error *err);

/* Format version 2 (fwsave.c): the v7 firmware registers per vCPU instead of
 * the v5 blobs; vcpu_off[v] is the vCPU's first register id. */
size_t sdei_fw_section_size(const sdei_vm *vm);
uint8_t *sdei_fw_section_encode(const sdei_vm *vm, uint8_t *p);
sdei_err sdei_fw_section_parse(const uint8_t *buf, size_t len, size_t *off, sdei_save_map *map,
                               sdei_blob_error *err);
sdei_err sdei_fw_section_check(const uint8_t *buf, const sdei_save_map *m, sdei_blob_error *err);
void sdei_fw_section_apply(sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m);
int sdei_fw_section_walk(const uint8_t *buf, const sdei_save_map *m, sdei_save_walk_fn fn,
                         void *ctx);

/* The lint of a format-2 save's firmware registers (lint_fw.c). */
uint32_t sdei_lint_fw_save(const uint8_t *buf, const sdei_save_map *m, uint32_t nr_vcpus,
                           sdei_lint_finding *findings, uint32_t max);

/* The lint, with buf_offset of each finding relative to base (NULL: 0). */
uint32_t sdei_lint_core(const sdei_lint_input *in, const uint8_t *base, sdei_lint_finding *findings,
                        uint32_t max);

#endif /* SDEI_BLOB_INTERNAL_H */
