/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwsave.c - the kernel part of a whole-VM save in format version 2: the v7
 * firmware registers of each vCPU (docs/migration.md "Format version 2").
 *
 *   per vCPU: u32 nr_regs (10), u32 0, then per register in KVM_GET_REG_LIST
 *   order: u64 id, the value (KVM_REG_SIZE(id) bytes: 16, 8 or 256)
 *
 * Restore applies them through sdei_fwreg_set in that order, as a VMM's
 * KVM_SET_ONE_REG loop does on a fresh vCPU (masked at creation), so the
 * PE_STATE write raises the delivery request exactly when v7's would.
 */
#include <string.h>

#include "blob_internal.h"
#include "sdei/sdei_fwreg.h"
#include "vm_internal.h"

#define S_FW "fwreg"

static size_t vcpu_section_size(void)
{
    size_t size = SDEI_SAVE_VCPU_HDR_SIZE;
    for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
        size += 8u + sdei_fwreg_size(sdei_fwreg_id_at(i));
    }
    return size;
}

size_t sdei_fw_section_size(const sdei_vm *vm)
{
    return (size_t)vm->cfg.nr_vcpus * vcpu_section_size();
}

uint8_t *sdei_fw_section_encode(const sdei_vm *vm, uint8_t *p)
{
    for (uint32_t v = 0; v < vm->cfg.nr_vcpus; v++) {
        sdei_put_le32(p, SDEI_FWREG_COUNT);
        sdei_put_le32(p + 4, 0);
        p += SDEI_SAVE_VCPU_HDR_SIZE;
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            uint64_t id = sdei_fwreg_id_at(i);
            size_t size = sdei_fwreg_size(id);
            int32_t kret = 0;
            sdei_put_le64(p, id);
            memset(p + 8, 0, size); /* CONTEXT's unused tail is saved as zeros */
            sdei_err e = sdei_fwreg_get(vm, v, id, p + 8, size, &kret);
            SDEI_ASSERT(e == SDEI_OK && kret == 0);
            p += 8u + size;
        }
    }
    return p;
}

static sdei_err fw_err(sdei_blob_error *err, const char *field, uint32_t entry, uint32_t v,
                       uint32_t offset, size_t at, const char *problem, const char *what)
{
    sdei_blob_error_set(err, S_FW, field, entry, v, offset, at, problem, 0);
    if (err != NULL) {
        err->what = what;
    }
    return SDEI_E_FORMAT;
}

sdei_err sdei_fw_section_parse(const uint8_t *buf, size_t len, size_t *off, sdei_save_map *map,
                               sdei_blob_error *err)
{
    const size_t want = vcpu_section_size();
    size_t o = *off;
    for (uint32_t v = 0; v < map->nr_vcpus; v++) {
        if (want > len - o) {
            return fw_err(err, "id", 0, v, 0, len, "truncated",
                          S_FW ".id: truncated (10 registers per vCPU)");
        }
        if (sdei_get_le32(buf + o) != SDEI_FWREG_COUNT || sdei_get_le32(buf + o + 4) != 0) {
            return fw_err(err, "nr_regs", 0, v, 0, o, "not 10 registers and a zero word",
                          S_FW ".nr_regs: not 10 registers and a zero word");
        }
        map->vcpu_off[v] = o + SDEI_SAVE_VCPU_HDR_SIZE;
        map->vcpu_nev[v] = SDEI_FWREG_COUNT;
        size_t p = map->vcpu_off[v];
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            if (sdei_get_le64(buf + p) != sdei_fwreg_id_at(i)) {
                return fw_err(err, "id", i, v, 0, p,
                              "not the register of this position (KVM_GET_REG_LIST order)",
                              S_FW ".id: not the register of this position");
            }
            p += 8u + sdei_fwreg_size(sdei_fwreg_id_at(i));
        }
        o += want;
    }
    *off = o;
    return SDEI_OK;
}

/* Offset of register i's value in vCPU v's section. */
static size_t value_off(const sdei_save_map *m, uint32_t v, uint32_t i)
{
    size_t p = m->vcpu_off[v];
    for (uint32_t k = 0; k < i; k++) {
        p += 8u + sdei_fwreg_size(sdei_fwreg_id_at(k));
    }
    return p + 8u;
}

sdei_err sdei_fw_section_check(const uint8_t *buf, const sdei_save_map *m, sdei_blob_error *err)
{
    for (uint32_t v = 0; v < m->nr_vcpus; v++) {
        size_t at = value_off(m, v, 6); /* RUNNING */
        uint64_t run = sdei_get_le64(buf + at) & ((UINT64_C(1) << SDEI_KVM_V7_NR_EVENTS) - 1u);
        if ((run & (run - 1u)) != 0) {
            return fw_err(err, "EVENT_RUNNING", 6, v, 0, at,
                          "two events running on one vCPU (v7 accepts it; never made by "
                          "its own code, and the model cannot hold it)",
                          S_FW ".EVENT_RUNNING: two events running on one vCPU");
        }
    }
    return SDEI_OK;
}

void sdei_fw_section_apply(sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m)
{
    for (uint32_t v = 0; v < m->nr_vcpus; v++) {
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            uint64_t id = sdei_fwreg_id_at(i);
            int32_t kret = 0;
            sdei_err e =
                sdei_fwreg_set(vm, v, id, buf + value_off(m, v, i), sdei_fwreg_size(id), &kret);
            SDEI_ASSERT(e == SDEI_OK && kret == 0); /* checked by sdei_fw_section_check */
        }
    }
}

int sdei_fw_section_walk(const uint8_t *buf, const sdei_save_map *m, sdei_save_walk_fn fn,
                         void *ctx)
{
    for (uint32_t v = 0; v < m->nr_vcpus; v++) {
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            sdei_save_piece pc;
            memset(&pc, 0, sizeof(pc));
            pc.kind = SDEI_SAVE_PIECE_FWREG;
            pc.vcpu = v;
            pc.index = i;
            pc.reg_id = sdei_fwreg_id_at(i);
            pc.offset = value_off(m, v, i);
            pc.size = sdei_fwreg_size(pc.reg_id);
            int rc = fn(&pc, buf + pc.offset, ctx);
            if (rc != 0) {
                return rc;
            }
        }
    }
    return 0;
}
