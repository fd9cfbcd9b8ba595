/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * save.c - whole-VM save and restore into one self-describing buffer
 * (DESIGN §4, docs/migration.md):
 *
 *   header (32 bytes: magic, format version, vCPU count, sizes)
 *   exposed_event_state    x nr_exposed        (kvm-v5 §7 restore step 2)
 *   registered_event_state x nr_registered     (step 3)
 *   per vCPU: u32 n, u32 0, vcpu_event_state x n, vcpu_state   (steps 4, 5)
 *   extension records: CONFIG, BIND (bind-slot bindings), REGS (register file)
 *
 * Restore validates the whole buffer first, with the kernel's SET checks as
 * they would run in the kernel's restore order on a fresh VM, then resets the
 * VM and applies it. On any error the VM is untouched.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "blob_internal.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_vmm.h"
#include "vm_internal.h"

_Static_assert(SDEI_SAVE_HDR_OFF_NR_REGISTERED + 4u == SDEI_SAVE_HDR_SIZE, "header 32 bytes");
_Static_assert(SDEI_SAVE_HDR_OFF_TOTAL % 8u == 0, "u64 aligned");
_Static_assert(SDEI_SAVE_CFG_OFF_MPIDR % 8u == 0 && SDEI_SAVE_CFG_OFF_QUIRKS % 8u == 0,
               "u64 aligned");
_Static_assert(SDEI_SAVE_CFG_OFF_RESERVED + 3u == SDEI_SAVE_CFG_OFF_MPIDR, "config layout");
_Static_assert(SDEI_SAVE_BIND_OFF_RESERVED + 3u == SDEI_SAVE_BIND_SIZE, "bind entry layout");
_Static_assert(SDEI_SAVE_REGS_WORDS == 31u + 5u, "x0..x30, sp, pc, pstate, elr, spsr");
/* Every piece is a multiple of 8 bytes, so every u64 in the buffer is aligned. */
_Static_assert(SDEI_BLOB_EXPOSED_SIZE % 8u == 0 && SDEI_BLOB_REGISTERED_SIZE % 8u == 0 &&
                   SDEI_BLOB_VCPU_EVENT_SIZE % 8u == 0 && SDEI_BLOB_VCPU_STATE_SIZE % 8u == 0,
               "8-byte pieces");

#define S_HDR "save_header"
#define S_VCPU "save_vcpu"
#define S_REC "save_record"
#define S_CFG "save_config"
#define S_BIND "save_bind"
#define S_EXP "exposed_event_state"
#define S_REG "registered_event_state"
#define S_VEV "vcpu_event_state"
#define S_VST "vcpu_state"

static sdei_err format_err_what(sdei_blob_error *err, const char *strct, const char *field,
                                uint32_t entry, uint32_t vcpu, uint32_t offset, size_t buf_offset,
                                const char *problem, const char *what, int32_t kernel_errno)
{
    sdei_blob_error_set(err, strct, field, entry, vcpu, offset, buf_offset, problem, kernel_errno);
    if (err != NULL) {
        err->what = what;
    }
    return SDEI_E_FORMAT;
}

/* strct, field and problem are literals here, so `what` is one static string. */
#define format_err(err, strct, field, entry, vcpu, offset, buf_offset, problem, kerr)              \
    format_err_what((err), strct, field, (entry), (vcpu), (offset), (buf_offset), problem,         \
                    strct "." field ": " problem, (kerr))

static size_t rec_size(size_t payload)
{
    return SDEI_SAVE_REC_HDR_SIZE + payload;
}

/* The VM's bind slots: created at init before any other event, so they are
 * exposed[0..n) (none under quirk no_bind). */
static uint32_t nr_bind_slots(const sdei_vm *vm)
{
    uint32_t n = 0;
    while (n < vm->nr_exposed && vm->exposed[n].bind_slot != SDEI_BIND_SLOT_NONE) {
        n++;
    }
    return n;
}

/* ---- size and save ---- */

/* 1 if a vCPU is not on: the save then carries a POWER record. Without one
 * the buffer is what it was before power states existed. */
static int any_not_on(const sdei_vm *vm)
{
    for (uint32_t v = 0; v < vm->cfg.nr_vcpus; v++) {
        if (vm->vcpus[v].power != SDEI_PE_ON) {
            return 1;
        }
    }
    return 0;
}

/* 1 if the VM's kernel state is v7's firmware registers (format version 2). */
static int has_fwregs(const sdei_vm *vm)
{
    return sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_TABLE_KVM));
}

static size_t save_size(const sdei_vm *vm)
{
    const uint32_t n = vm->cfg.nr_vcpus;
    size_t size = SDEI_SAVE_HDR_SIZE;
    if (has_fwregs(vm)) {
        size += sdei_fw_section_size(vm);
    } else {
        size += (size_t)vm->nr_exposed * SDEI_BLOB_EXPOSED_SIZE +
                (size_t)vm->nr_registered * SDEI_BLOB_REGISTERED_SIZE;
    }
    for (uint32_t v = 0; v < n && !has_fwregs(vm); v++) {
        size += SDEI_SAVE_VCPU_HDR_SIZE +
                (size_t)vm->vcpus[v].nr_queued * SDEI_BLOB_VCPU_EVENT_SIZE +
                SDEI_BLOB_VCPU_STATE_SIZE;
    }
    size += rec_size(SDEI_SAVE_CFG_OFF_MPIDR + 8u * (size_t)n);
    size += rec_size(SDEI_SAVE_BIND_SIZE * (size_t)nr_bind_slots(vm));
    size += rec_size(SDEI_SAVE_REGS_SIZE * (size_t)n);
    if (any_not_on(vm)) {
        size += rec_size(SDEI_SAVE_POWER_SIZE(n));
    }
    return size;
}

sdei_err sdei_vm_save_size(const sdei_vm *vm, size_t *size_out)
{
    if (vm == NULL || size_out == NULL) {
        return SDEI_E_NULL;
    }
    *size_out = save_size(vm);
    return SDEI_OK;
}

static uint8_t *put_rec(uint8_t *p, uint32_t type, size_t payload)
{
    sdei_put_le32(p, type);
    sdei_put_le32(p + 4, (uint32_t)payload);
    return p + SDEI_SAVE_REC_HDR_SIZE;
}

sdei_err sdei_vm_save(const sdei_vm *vm, uint8_t *buf, size_t len, size_t *written)
{
    if (vm == NULL || buf == NULL) {
        return SDEI_E_NULL;
    }
    size_t size = save_size(vm);
    if (len < size) {
        return SDEI_E_RANGE;
    }
    const uint32_t n = vm->cfg.nr_vcpus;
    uint8_t *p = buf;
    sdei_put_le32(p + SDEI_SAVE_HDR_OFF_MAGIC, SDEI_SAVE_MAGIC);
    int fw = has_fwregs(vm);
    sdei_put_le32(p + SDEI_SAVE_HDR_OFF_VERSION, fw ? SDEI_SAVE_VERSION_FWREG : SDEI_SAVE_VERSION);
    sdei_put_le32(p + SDEI_SAVE_HDR_OFF_NR_VCPUS, n);
    sdei_put_le32(p + SDEI_SAVE_HDR_OFF_HDR_SIZE, SDEI_SAVE_HDR_SIZE);
    sdei_put_le64(p + SDEI_SAVE_HDR_OFF_TOTAL, (uint64_t)size);
    sdei_put_le32(p + SDEI_SAVE_HDR_OFF_NR_EXPOSED, fw ? 0u : vm->nr_exposed);
    sdei_put_le32(p + SDEI_SAVE_HDR_OFF_NR_REGISTERED, fw ? 0u : vm->nr_registered);
    p += SDEI_SAVE_HDR_SIZE;
    if (fw) {
        p = sdei_fw_section_encode(vm, p); /* v7: the firmware registers per vCPU */
    }

    /* kvm-v5 §7: exposed, registered, then per vCPU events and state */
    for (uint32_t i = 0; i < vm->nr_exposed && !fw; i++, p += SDEI_BLOB_EXPOSED_SIZE) {
        sdei_exposed_encode_vm(&vm->exposed[i], p);
    }
    for (uint32_t i = 0; i < vm->nr_registered && !fw; i++, p += SDEI_BLOB_REGISTERED_SIZE) {
        sdei_registered_encode_vm(vm, vm->reg_order[i], p);
    }
    for (uint32_t v = 0; v < n && !fw; v++) {
        const sdei_vcpu *vc = &vm->vcpus[v];
        sdei_put_le32(p, vc->nr_queued);
        sdei_put_le32(p + 4, 0);
        p += SDEI_SAVE_VCPU_HDR_SIZE;
        for (uint32_t i = 0; i < vc->nr_queued; i++, p += SDEI_BLOB_VCPU_EVENT_SIZE) {
            sdei_vcpu_event_encode_vm(&vc->queue[i], p);
        }
        sdei_vcpu_state_encode_vm(vc, p);
        p += SDEI_BLOB_VCPU_STATE_SIZE;
    }

    /* CONFIG: what the destination VM must have been created with */
    p = put_rec(p, SDEI_SAVE_REC_CONFIG, SDEI_SAVE_CFG_OFF_MPIDR + 8u * (size_t)n);
    sdei_put_le32(p + SDEI_SAVE_CFG_OFF_MAX_EVENTS, vm->cfg.max_events);
    sdei_put_le32(p + SDEI_SAVE_CFG_OFF_PROFILE, (uint32_t)vm->cfg.profile);
    sdei_put_le64(p + SDEI_SAVE_CFG_OFF_QUIRKS, vm->quirks);
    sdei_put_le(p + SDEI_SAVE_CFG_OFF_PRIVATE_SLOTS, vm->cfg.private_bind_slots, 2);
    sdei_put_le(p + SDEI_SAVE_CFG_OFF_SHARED_SLOTS, vm->cfg.shared_bind_slots, 2);
    p[SDEI_SAVE_CFG_OFF_SPAN] = vm->cfg.sctlr_el1_span;
    p[SDEI_SAVE_CFG_OFF_RESERVED] = 0;
    p[SDEI_SAVE_CFG_OFF_RESERVED + 1] = 0;
    p[SDEI_SAVE_CFG_OFF_RESERVED + 2] = 0;
    for (uint32_t v = 0; v < n; v++) {
        sdei_put_le64(p + SDEI_SAVE_CFG_OFF_MPIDR + 8u * v, vm->mpidr[v]);
    }
    p += SDEI_SAVE_CFG_OFF_MPIDR + 8u * (size_t)n;

    /* BIND: the binding of each bind slot, which the kernel blobs cannot carry */
    const uint32_t nb = nr_bind_slots(vm);
    p = put_rec(p, SDEI_SAVE_REC_BIND, SDEI_SAVE_BIND_SIZE * (size_t)nb);
    for (uint32_t i = 0; i < nb; i++, p += SDEI_SAVE_BIND_SIZE) {
        const sdei_exposed *ex = &vm->exposed[i];
        sdei_put_le64(p + SDEI_SAVE_BIND_OFF_NUM, ex->num);
        sdei_put_le32(p + SDEI_SAVE_BIND_OFF_INTID, ex->bound_intid);
        p[SDEI_SAVE_BIND_OFF_KIND] = ex->bind_slot;
        p[SDEI_SAVE_BIND_OFF_RESERVED] = 0;
        p[SDEI_SAVE_BIND_OFF_RESERVED + 1] = 0;
        p[SDEI_SAVE_BIND_OFF_RESERVED + 2] = 0;
    }

    /* REGS: the vCPU register file (a VMM moves it with KVM_GET_ONE_REG) */
    p = put_rec(p, SDEI_SAVE_REC_REGS, SDEI_SAVE_REGS_SIZE * (size_t)n);
    for (uint32_t v = 0; v < n; v++, p += SDEI_SAVE_REGS_SIZE) {
        const sdei_regs *r = &vm->vcpus[v].regs;
        for (uint32_t i = 0; i < 31u; i++) {
            sdei_put_le64(p + 8u * i, r->x[i]);
        }
        sdei_put_le64(p + 8u * 31u, r->sp);
        sdei_put_le64(p + 8u * 32u, r->pc);
        sdei_put_le64(p + 8u * 33u, r->pstate);
        sdei_put_le64(p + 8u * 34u, r->elr_el1);
        sdei_put_le64(p + 8u * 35u, r->spsr_el1);
    }
    if (any_not_on(vm)) {
        p = put_rec(p, SDEI_SAVE_REC_POWER, SDEI_SAVE_POWER_SIZE(n));
        memset(p, 0, SDEI_SAVE_POWER_SIZE(n));
        for (uint32_t v = 0; v < n; v++) {
            p[v] = vm->vcpus[v].power;
        }
        p += SDEI_SAVE_POWER_SIZE(n);
    }
    SDEI_ASSERT((size_t)(p - buf) == size);
    if (written != NULL) {
        *written = size;
    }
    return SDEI_OK;
}

/* ---- structure ---- */

/* 1 if [off, off + need) lies inside len (no overflow). off is always the end of a
 * range that fitted, so it never passes len. */
static int fits(size_t off, size_t need, size_t len)
{
    SDEI_ASSERT(off <= len);
    return need <= len - off;
}

/* The optional POWER record at off, the last thing in the buffer. */
static sdei_err parse_power(const uint8_t *buf, size_t len, size_t off, sdei_save_map *map,
                            sdei_blob_error *err)
{
    const uint32_t NV = SDEI_BLOB_NO_VCPU;
    const size_t want = SDEI_SAVE_POWER_SIZE(map->nr_vcpus);
    if (!fits(off, SDEI_SAVE_REC_HDR_SIZE, len) ||
        sdei_get_le32(buf + off) != SDEI_SAVE_REC_POWER) {
        return format_err(err, S_REC, "type", 3, NV, 0, off,
                          "bytes after the last record (oversized buffer, or not POWER=4)", 0);
    }
    if (sdei_get_le32(buf + off + 4) != want) {
        return format_err(err, S_REC, "length", 3, NV, 4, off + 4,
                          "does not match the record's content size", 0);
    }
    off += SDEI_SAVE_REC_HDR_SIZE;
    if (!fits(off, want, len) || off + want != len) {
        return format_err(err, S_REC, "payload", 3, NV, 0, off,
                          "truncated or followed by more bytes", 0);
    }
    for (size_t i = 0; i < want; i++) {
        uint8_t b = buf[off + i];
        if (i < map->nr_vcpus ? b >= SDEI_PE_STATE_COUNT : b != 0) {
            return format_err(err, S_REC, "power", 3, (uint32_t)i, (uint32_t)i, off + i,
                              "not a power state (0 on, 1 off, 2 suspended, 3 frozen) or "
                              "padding not 0",
                              0);
        }
    }
    map->power_off = off;
    return SDEI_OK;
}

/* The 32-byte header: magic, version, sizes and counts (docs/migration.md). */
static sdei_err parse_header(const uint8_t *buf, size_t len, sdei_save_map *map,
                             sdei_blob_error *err)
{
    const uint32_t NV = SDEI_BLOB_NO_VCPU;
    if (len < SDEI_SAVE_HDR_SIZE) {
        return format_err(err, S_HDR, "header", 0, NV, (uint32_t)len, len,
                          "buffer shorter than the 32-byte header", 0);
    }
    if (sdei_get_le32(buf + SDEI_SAVE_HDR_OFF_MAGIC) != SDEI_SAVE_MAGIC) {
        return format_err(err, S_HDR, "magic", 0, NV, SDEI_SAVE_HDR_OFF_MAGIC,
                          SDEI_SAVE_HDR_OFF_MAGIC, "not \"SDEI\"", 0);
    }
    uint32_t version = sdei_get_le32(buf + SDEI_SAVE_HDR_OFF_VERSION);
    if (version != SDEI_SAVE_VERSION && version != SDEI_SAVE_VERSION_FWREG) {
        return format_err(err, S_HDR, "version", 0, NV, SDEI_SAVE_HDR_OFF_VERSION,
                          SDEI_SAVE_HDR_OFF_VERSION,
                          "unknown format version (this build reads 1 and 2)", 0);
    }
    map->version = version;
    uint32_t n = sdei_get_le32(buf + SDEI_SAVE_HDR_OFF_NR_VCPUS);
    if (n < 1 || n > SDEI_MAX_VCPUS) {
        return format_err(err, S_HDR, "nr_vcpus", 0, NV, SDEI_SAVE_HDR_OFF_NR_VCPUS,
                          SDEI_SAVE_HDR_OFF_NR_VCPUS, "not 1..512", 0);
    }
    if (sdei_get_le32(buf + SDEI_SAVE_HDR_OFF_HDR_SIZE) != SDEI_SAVE_HDR_SIZE) {
        return format_err(err, S_HDR, "header_size", 0, NV, SDEI_SAVE_HDR_OFF_HDR_SIZE,
                          SDEI_SAVE_HDR_OFF_HDR_SIZE, "not 32", 0);
    }
    uint64_t total = sdei_get_le64(buf + SDEI_SAVE_HDR_OFF_TOTAL);
    if (total > (uint64_t)len) {
        return format_err(err, S_HDR, "total_size", 0, NV, SDEI_SAVE_HDR_OFF_TOTAL,
                          SDEI_SAVE_HDR_OFF_TOTAL, "larger than the buffer (truncated)", 0);
    }
    if (total < (uint64_t)len) {
        return format_err(err, S_HDR, "total_size", 0, NV, SDEI_SAVE_HDR_OFF_TOTAL,
                          SDEI_SAVE_HDR_OFF_TOTAL, "smaller than the buffer (oversized)", 0);
    }
    uint32_t ne = sdei_get_le32(buf + SDEI_SAVE_HDR_OFF_NR_EXPOSED);
    uint32_t nr = sdei_get_le32(buf + SDEI_SAVE_HDR_OFF_NR_REGISTERED);
    if (ne > SDEI_MAX_EVENTS) {
        return format_err(err, S_HDR, "nr_exposed", 0, NV, SDEI_SAVE_HDR_OFF_NR_EXPOSED,
                          SDEI_SAVE_HDR_OFF_NR_EXPOSED, "more than 128 (kvm-v5 §1.1)",
                          -SDEI_ERANGE);
    }
    if (nr > SDEI_MAX_EVENTS) {
        return format_err(err, S_HDR, "nr_registered", 0, NV, SDEI_SAVE_HDR_OFF_NR_REGISTERED,
                          SDEI_SAVE_HDR_OFF_NR_REGISTERED, "more than 128 (kvm-v5 §1.1)",
                          -SDEI_ERANGE);
    }
    if (version == SDEI_SAVE_VERSION_FWREG && (ne | nr) != 0) {
        return format_err(err, S_HDR, "nr_exposed", 0, NV, SDEI_SAVE_HDR_OFF_NR_EXPOSED,
                          SDEI_SAVE_HDR_OFF_NR_EXPOSED,
                          "not 0 in format 2 (the kernel state is firmware registers)", 0);
    }
    map->nr_vcpus = n;
    map->nr_exposed = ne;
    map->nr_registered = nr;
    return SDEI_OK;
}

/* The kernel's exposed and registered blobs, then (format 1) each vCPU's
 * header, vCPU events and state; *off moves past them. */
static sdei_err parse_kernel_blobs(const uint8_t *buf, size_t len, size_t *offp, sdei_save_map *map,
                                   sdei_blob_error *err)
{
    const uint32_t NV = SDEI_BLOB_NO_VCPU;
    const uint32_t ne = map->nr_exposed, nr = map->nr_registered;
    size_t off = *offp;
    map->exposed_off = off;
    if (!fits(off, (size_t)ne * SDEI_BLOB_EXPOSED_SIZE, len)) {
        return format_err(err, S_EXP, "num", (uint32_t)((len - off) / SDEI_BLOB_EXPOSED_SIZE), NV,
                          (uint32_t)((len - off) % SDEI_BLOB_EXPOSED_SIZE), len, "truncated", 0);
    }
    off += (size_t)ne * SDEI_BLOB_EXPOSED_SIZE;
    map->registered_off = off;
    if (!fits(off, (size_t)nr * SDEI_BLOB_REGISTERED_SIZE, len)) {
        return format_err(err, S_REG, "num", (uint32_t)((len - off) / SDEI_BLOB_REGISTERED_SIZE),
                          NV, (uint32_t)((len - off) % SDEI_BLOB_REGISTERED_SIZE), len, "truncated",
                          0);
    }
    off += (size_t)nr * SDEI_BLOB_REGISTERED_SIZE;
    for (uint32_t v = 0; v < map->nr_vcpus && map->version == SDEI_SAVE_VERSION; v++) {
        if (!fits(off, SDEI_SAVE_VCPU_HDR_SIZE, len)) {
            return format_err(err, S_VCPU, "nr_events", 0, v, (uint32_t)(len - off), len,
                              "truncated", 0);
        }
        uint32_t nev = sdei_get_le32(buf + off);
        if (nev > SDEI_MAX_EVENTS) {
            return format_err(err, S_VCPU, "nr_events", 0, v, 0, off,
                              "more than 128 vCPU events (kvm-v5 §6 SET_VCPU_EVENT step 4)",
                              -SDEI_ERANGE);
        }
        if (sdei_get_le32(buf + off + 4) != 0) {
            return format_err(err, S_VCPU, "reserved", 0, v, 4, off + 4, "not 0", 0);
        }
        off += SDEI_SAVE_VCPU_HDR_SIZE;
        map->vcpu_off[v] = off;
        map->vcpu_nev[v] = nev;
        if (!fits(off, (size_t)nev * SDEI_BLOB_VCPU_EVENT_SIZE, len)) {
            return format_err(
                err, S_VEV, "num", (uint32_t)((len - off) / SDEI_BLOB_VCPU_EVENT_SIZE), v,
                (uint32_t)((len - off) % SDEI_BLOB_VCPU_EVENT_SIZE), len, "truncated", 0);
        }
        off += (size_t)nev * SDEI_BLOB_VCPU_EVENT_SIZE;
        if (!fits(off, SDEI_BLOB_VCPU_STATE_SIZE, len)) {
            return format_err(err, S_VST, "masked", 0, v, (uint32_t)(len - off), len, "truncated",
                              0);
        }
        off += SDEI_BLOB_VCPU_STATE_SIZE;
    }

    *offp = off;
    return SDEI_OK;
}

/* The extension records CONFIG, BIND and REGS; *off moves past them. */
static sdei_err parse_records(const uint8_t *buf, size_t len, size_t *offp, sdei_save_map *map,
                              sdei_blob_error *err)
{
    const uint32_t NV = SDEI_BLOB_NO_VCPU;
    const uint32_t n = map->nr_vcpus;
    size_t off = *offp;
    /* each once, in this order */
    static const uint32_t order[3] = {SDEI_SAVE_REC_CONFIG, SDEI_SAVE_REC_BIND, SDEI_SAVE_REC_REGS};
    for (uint32_t r = 0; r < 3u; r++) {
        if (!fits(off, SDEI_SAVE_REC_HDR_SIZE, len)) {
            return format_err(err, S_REC, "type", r, NV, (uint32_t)(len - off), len,
                              "truncated (CONFIG, BIND and REGS records are required)", 0);
        }
        uint32_t type = sdei_get_le32(buf + off);
        uint32_t plen = sdei_get_le32(buf + off + 4);
        if (type != order[r]) {
            return format_err(err, S_REC, "type", r, NV, 0, off,
                              "not the expected record (CONFIG=1, BIND=2, REGS=3 in order)", 0);
        }
        size_t want = 0;
        if (type == SDEI_SAVE_REC_CONFIG) {
            want = SDEI_SAVE_CFG_OFF_MPIDR + 8u * (size_t)n;
        } else if (type == SDEI_SAVE_REC_BIND) {
            /* one entry per bind slot of the VM; check_config compares the count */
            if (plen % SDEI_SAVE_BIND_SIZE != 0 || plen > SDEI_SAVE_BIND_SIZE * SDEI_MAX_EVENTS) {
                return format_err(err, S_REC, "length", r, NV, 4, off + 4,
                                  "not a whole number of bind entries (at most 128)", 0);
            }
            map->nr_bind = plen / SDEI_SAVE_BIND_SIZE;
            want = plen;
        } else {
            want = SDEI_SAVE_REGS_SIZE * (size_t)n;
        }
        if (plen != want) {
            return format_err(err, S_REC, "length", r, NV, 4, off + 4,
                              "does not match the record's content size", 0);
        }
        off += SDEI_SAVE_REC_HDR_SIZE;
        if (!fits(off, plen, len)) {
            return format_err(err, S_REC, "payload", r, NV, (uint32_t)(len - off), len, "truncated",
                              0);
        }
        if (type == SDEI_SAVE_REC_CONFIG) {
            map->cfg_off = off;
        } else if (type == SDEI_SAVE_REC_BIND) {
            map->bind_off = off;
        } else {
            map->regs_off = off;
        }
        off += plen;
    }
    *offp = off;
    return SDEI_OK;
}

sdei_err sdei_save_parse(const uint8_t *buf, size_t len, sdei_save_map *map, sdei_blob_error *err)
{
    /* both callers (restore, lint) pass a checked buffer and their own map */
    SDEI_ASSERT(buf != NULL && map != NULL);
    memset(map, 0, sizeof(*map));
    sdei_err e = parse_header(buf, len, map, err);
    size_t off = SDEI_SAVE_HDR_SIZE;
    if (e == SDEI_OK && map->version == SDEI_SAVE_VERSION_FWREG) {
        e = sdei_fw_section_parse(buf, len, &off, map, err);
    }
    if (e == SDEI_OK) {
        e = parse_kernel_blobs(buf, len, &off, map, err);
    }
    if (e == SDEI_OK) {
        e = parse_records(buf, len, &off, map, err);
    }
    if (e == SDEI_OK && off != len) {
        e = parse_power(buf, len, off, map, err);
    }
    return e;
}

/* ---- walk: the pieces of a sound save, for tools (blob decode, diff) ---- */

static int walk_batch(const uint8_t *buf, sdei_save_piece *pc, size_t off, uint32_t count,
                      sdei_save_walk_fn fn, void *ctx)
{
    for (uint32_t i = 0; i < count; i++) {
        pc->index = i;
        pc->offset = off + (size_t)i * pc->size;
        int rc = fn(pc, buf + pc->offset, ctx);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int sdei_save_walk(const uint8_t *buf, size_t len, sdei_save_walk_fn fn, void *ctx,
                   sdei_blob_error *err)
{
    sdei_save_map m;
    sdei_blob_error local;
    sdei_blob_error *e = err != NULL ? err : &local;
    if (buf == NULL || fn == NULL) {
        (void)format_err(e, S_HDR, "header", 0, SDEI_BLOB_NO_VCPU, 0, 0, "no buffer", 0);
        return -1;
    }
    if (sdei_save_parse(buf, len, &m, e) != SDEI_OK) {
        return -1;
    }
    if (m.version == SDEI_SAVE_VERSION_FWREG) {
        return sdei_fw_section_walk(buf, &m, fn, ctx);
    }
    sdei_save_piece pc = {
        SDEI_SAVE_PIECE_EXPOSED, SDEI_BLOB_NO_VCPU, 0, 0, SDEI_BLOB_EXPOSED_SIZE, 0};
    int rc = walk_batch(buf, &pc, m.exposed_off, m.nr_exposed, fn, ctx);
    pc.kind = SDEI_SAVE_PIECE_REGISTERED;
    pc.size = SDEI_BLOB_REGISTERED_SIZE;
    rc = rc != 0 ? rc : walk_batch(buf, &pc, m.registered_off, m.nr_registered, fn, ctx);
    for (uint32_t v = 0; v < m.nr_vcpus && rc == 0; v++) {
        pc.vcpu = v;
        pc.kind = SDEI_SAVE_PIECE_VCPU_EVENT;
        pc.size = SDEI_BLOB_VCPU_EVENT_SIZE;
        rc = walk_batch(buf, &pc, m.vcpu_off[v], m.vcpu_nev[v], fn, ctx);
        pc.kind = SDEI_SAVE_PIECE_VCPU_STATE;
        pc.size = SDEI_BLOB_VCPU_STATE_SIZE;
        size_t st = m.vcpu_off[v] + (size_t)m.vcpu_nev[v] * SDEI_BLOB_VCPU_EVENT_SIZE;
        rc = rc != 0 ? rc : walk_batch(buf, &pc, st, 1, fn, ctx);
    }
    return rc;
}

/* ---- restore: validate everything, then apply ---- */

static sdei_err check_config(const sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m,
                             sdei_blob_error *err)
{
    const uint32_t NV = SDEI_BLOB_NO_VCPU;
    const uint8_t *c = buf + m->cfg_off;
    if (m->nr_vcpus != vm->cfg.nr_vcpus) {
        return format_err(err, S_HDR, "nr_vcpus", 0, NV, SDEI_SAVE_HDR_OFF_NR_VCPUS,
                          SDEI_SAVE_HDR_OFF_NR_VCPUS, "differs from the VM's vCPU count", 0);
    }
#define CFG_WHAT(f) f, S_CFG "." f ": differs from the VM's config"
    struct {
        const char *field;
        const char *what;
        uint32_t off;
        uint64_t saved;
        uint64_t have;
    } cmp[] = {
        {CFG_WHAT("max_events"), SDEI_SAVE_CFG_OFF_MAX_EVENTS,
         sdei_get_le32(c + SDEI_SAVE_CFG_OFF_MAX_EVENTS), vm->cfg.max_events},
        {CFG_WHAT("profile"), SDEI_SAVE_CFG_OFF_PROFILE,
         sdei_get_le32(c + SDEI_SAVE_CFG_OFF_PROFILE), (uint64_t)vm->cfg.profile},
        {CFG_WHAT("quirks"), SDEI_SAVE_CFG_OFF_QUIRKS, sdei_get_le64(c + SDEI_SAVE_CFG_OFF_QUIRKS),
         vm->quirks},
        {CFG_WHAT("private_bind_slots"), SDEI_SAVE_CFG_OFF_PRIVATE_SLOTS,
         sdei_get_le(c + SDEI_SAVE_CFG_OFF_PRIVATE_SLOTS, 2), vm->cfg.private_bind_slots},
        {CFG_WHAT("shared_bind_slots"), SDEI_SAVE_CFG_OFF_SHARED_SLOTS,
         sdei_get_le(c + SDEI_SAVE_CFG_OFF_SHARED_SLOTS, 2), vm->cfg.shared_bind_slots},
        {CFG_WHAT("sctlr_el1_span"), SDEI_SAVE_CFG_OFF_SPAN, c[SDEI_SAVE_CFG_OFF_SPAN],
         vm->cfg.sctlr_el1_span},
    };
    for (size_t i = 0; i < sizeof(cmp) / sizeof(cmp[0]); i++) {
        if (cmp[i].saved != cmp[i].have) {
            return format_err_what(err, S_CFG, cmp[i].field, 0, NV, cmp[i].off,
                                   m->cfg_off + cmp[i].off, "differs from the VM's config",
                                   cmp[i].what, 0);
        }
    }
    for (uint32_t i = 0; i < 3u; i++) {
        if (c[SDEI_SAVE_CFG_OFF_RESERVED + i] != 0) {
            return format_err(err, S_CFG, "reserved", 0, NV, SDEI_SAVE_CFG_OFF_RESERVED + i,
                              m->cfg_off + SDEI_SAVE_CFG_OFF_RESERVED + i, "not 0", 0);
        }
    }
    for (uint32_t v = 0; v < m->nr_vcpus; v++) {
        uint32_t off = SDEI_SAVE_CFG_OFF_MPIDR + 8u * v;
        if (sdei_get_le64(c + off) != vm->mpidr[v]) {
            return format_err(err, S_CFG, "mpidr", v, NV, off, m->cfg_off + off,
                              "differs from the VM's MPIDR of this vCPU", 0);
        }
    }
    if (m->nr_bind != nr_bind_slots(vm)) {
        return format_err(err, S_BIND, "num", 0, NV, 0, m->bind_off,
                          "number of bind slots differs from the VM's", 0);
    }
    /* The binds: the VM's bind slots, each bound to nothing or to an
     * interrupt of its kind (PPI for private, SPI for shared), once. */
    const uint8_t *b = buf + m->bind_off;
    for (uint32_t i = 0; i < m->nr_bind; i++, b += SDEI_SAVE_BIND_SIZE) {
        size_t at = m->bind_off + (size_t)i * SDEI_SAVE_BIND_SIZE;
        const sdei_exposed *ex = &vm->exposed[i];
        if (sdei_get_le64(b + SDEI_SAVE_BIND_OFF_NUM) != ex->num ||
            b[SDEI_SAVE_BIND_OFF_KIND] != ex->bind_slot) {
            return format_err(err, S_BIND, "num", i, NV, SDEI_SAVE_BIND_OFF_NUM, at,
                              "not the VM's bind slot at this position", 0);
        }
        if (b[SDEI_SAVE_BIND_OFF_RESERVED] | b[SDEI_SAVE_BIND_OFF_RESERVED + 1] |
            b[SDEI_SAVE_BIND_OFF_RESERVED + 2]) {
            return format_err(err, S_BIND, "reserved", i, NV, SDEI_SAVE_BIND_OFF_RESERVED,
                              at + SDEI_SAVE_BIND_OFF_RESERVED, "not 0", 0);
        }
        uint32_t intid = sdei_get_le32(b + SDEI_SAVE_BIND_OFF_INTID);
        if (intid == 0) {
            continue;
        }
        int ppi = intid >= SDEI_INTID_PPI_FIRST && intid <= SDEI_INTID_PPI_LAST;
        int spi = intid >= SDEI_INTID_SPI_FIRST && intid <= SDEI_INTID_SPI_LAST;
        if ((ex->bind_slot == SDEI_BIND_SLOT_PRIVATE && !ppi) ||
            (ex->bind_slot == SDEI_BIND_SLOT_SHARED && !spi)) {
            return format_err(err, S_BIND, "bound_intid", i, NV, SDEI_SAVE_BIND_OFF_INTID,
                              at + SDEI_SAVE_BIND_OFF_INTID,
                              "not a PPI (private slot) or SPI (shared slot)", 0);
        }
        for (uint32_t j = 0; j < i; j++) {
            if (sdei_get_le32(buf + m->bind_off + (size_t)j * SDEI_SAVE_BIND_SIZE +
                              SDEI_SAVE_BIND_OFF_INTID) == intid) {
                return format_err(err, S_BIND, "bound_intid", i, NV, SDEI_SAVE_BIND_OFF_INTID,
                                  at + SDEI_SAVE_BIND_OFF_INTID, "interrupt bound to two slots", 0);
            }
        }
    }
    return SDEI_OK;
}

/* What the validation learns, for the apply step and the later checks. */
typedef struct restore_view {
    sdei_nummap exposed;    /* num -> index in the saved exposed list */
    sdei_nummap registered; /* num -> index in the saved registered list */
} restore_view;

static sdei_err check_exposed(const sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m,
                              restore_view *rv, sdei_blob_error *err)
{
    const uint32_t NV = SDEI_BLOB_NO_VCPU;
    const uint32_t size = SDEI_BLOB_EXPOSED_SIZE;
    /* kvm-v5 §6 SET_EXPOSED_EVENT step 2, on the destination's final count:
     * the saved list already contains the VM's bind slots. */
    if (m->nr_exposed > sdei_vm_event_cap(vm)) {
        return format_err(err, S_HDR, "nr_exposed", 0, NV, SDEI_SAVE_HDR_OFF_NR_EXPOSED,
                          SDEI_SAVE_HDR_OFF_NR_EXPOSED, "more than the VM's event capacity",
                          -SDEI_ERANGE);
    }
    if (m->nr_exposed < m->nr_bind) {
        return format_err(err, S_HDR, "nr_exposed", 0, NV, SDEI_SAVE_HDR_OFF_NR_EXPOSED,
                          SDEI_SAVE_HDR_OFF_NR_EXPOSED, "fewer events than the VM's bind slots", 0);
    }
    for (uint32_t i = 0; i < m->nr_exposed; i++) {
        size_t at = m->exposed_off + (size_t)i * size;
        const uint8_t *e = buf + at;
        sdei_entry_check c;
        int32_t ret = sdei_check_exposed_fields(vm, e, &c);
        if (ret != 0) {
            return format_err_what(err, S_EXP, c.field, i, NV, c.offset, at + c.offset, c.problem,
                                   c.what, ret);
        }
        uint64_t num = sdei_get_le64(e + SDEI_EXP_OFF_NUM);
        /* On a fresh VM only the bind slots exist (entries 0..nr_bind-1). */
        if (i < m->nr_bind) {
            if (num != vm->exposed[i].num) {
                return format_err(err, S_EXP, "num", i, NV, SDEI_EXP_OFF_NUM, at + SDEI_EXP_OFF_NUM,
                                  "not the VM's bind slot at this position (config differs)", 0);
            }
            if (sdei_exposed_attrs_differ(&vm->exposed[i], e)) {
                return format_err(
                    err, S_EXP, "type", i, NV, SDEI_EXP_OFF_TYPE, at + SDEI_EXP_OFF_TYPE,
                    "bind slot with another type, signaled or priority", -SDEI_EEXIST);
            }
        } else {
            uint16_t ev = sdei_find_event(vm, num);
            if (ev != SDEI_NO_EVENT_INDEX && ev < m->nr_bind) {
                return format_err(err, S_EXP, "num", i, NV, SDEI_EXP_OFF_NUM, at + SDEI_EXP_OFF_NUM,
                                  "a bind slot's number out of place", 0);
            }
        }
        if (sdei_nummap_put(&rv->exposed, num, (uint16_t)i) >= 0) {
            return format_err(err, S_EXP, "num", i, NV, SDEI_EXP_OFF_NUM, at + SDEI_EXP_OFF_NUM,
                              "appears twice in the batch", -SDEI_EINVAL);
        }
    }
    return SDEI_OK;
}

static sdei_err check_registered(const sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m,
                                 restore_view *rv, sdei_blob_error *err)
{
    const uint32_t NV = SDEI_BLOB_NO_VCPU;
    const uint32_t size = SDEI_BLOB_REGISTERED_SIZE;
    if (m->nr_registered > sdei_vm_event_cap(vm)) {
        return format_err(err, S_HDR, "nr_registered", 0, NV, SDEI_SAVE_HDR_OFF_NR_REGISTERED,
                          SDEI_SAVE_HDR_OFF_NR_REGISTERED, "more than the VM's event capacity",
                          -SDEI_ERANGE);
    }
    for (uint32_t i = 0; i < m->nr_registered; i++) {
        size_t at = m->registered_off + (size_t)i * size;
        const uint8_t *e = buf + at;
        sdei_entry_check c;
        /* kvm-v5 §6 SET_REGISTERED_EVENT step 4 */
        int32_t ret = sdei_check_registered_fields(vm, e, &c);
        if (ret != 0) {
            return format_err_what(err, S_REG, c.field, i, NV, c.offset, at + c.offset, c.problem,
                                   c.what, ret);
        }
        uint64_t num = sdei_get_le64(e + SDEI_REG_OFF_NUM);
        if (sdei_nummap_get(&rv->exposed, num) < 0) {
            return format_err(err, S_REG, "num", i, NV, SDEI_REG_OFF_NUM, at + SDEI_REG_OFF_NUM,
                              "event not exposed", -SDEI_ENOENT);
        }
        if (sdei_nummap_put(&rv->registered, num, (uint16_t)i) >= 0) {
            return format_err(err, S_REG, "num", i, NV, SDEI_REG_OFF_NUM, at + SDEI_REG_OFF_NUM,
                              "appears twice in the batch", -SDEI_EINVAL);
        }
    }
    return SDEI_OK;
}

static sdei_err check_vcpus(const sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m,
                            const restore_view *rv, sdei_blob_error *err)
{
    int strict = sdei_vmm_strict(vm);
    for (uint32_t v = 0; v < m->nr_vcpus; v++) {
        const uint8_t *evs = buf + m->vcpu_off[v];
        uint32_t nev = m->vcpu_nev[v];
        /* kvm-v5 §6 SET_VCPU_EVENT step 3 (the per-vCPU count was bounded by parse) */
        for (uint32_t i = 0; i < nev; i++) {
            size_t at = m->vcpu_off[v] + (size_t)i * SDEI_BLOB_VCPU_EVENT_SIZE;
            uint64_t num = sdei_get_le64(buf + at + SDEI_VEV_OFF_NUM);
            if (!sdei_num_shape_ok(num, strict)) {
                return format_err(err, S_VEV, "num", i, v, SDEI_VEV_OFF_NUM, at,
                                  "not a supported event number (kvm-v5 §2)", -SDEI_EINVAL);
            }
            if (sdei_nummap_get(&rv->exposed, num) < 0) {
                return format_err(err, S_VEV, "num", i, v, SDEI_VEV_OFF_NUM, at,
                                  "event not exposed", -SDEI_ENOENT);
            }
            if (sdei_nummap_get(&rv->registered, num) < 0) {
                return format_err(err, S_VEV, "num", i, v, SDEI_VEV_OFF_NUM, at,
                                  "event has no registered object", -SDEI_ENOENT);
            }
        }
        /* kvm-v5 §6 SET_VCPU_STATE step 2: a supported running number needs an
         * instance among this vCPU's events. */
        size_t st = m->vcpu_off[v] + (size_t)nev * SDEI_BLOB_VCPU_EVENT_SIZE;
        static const struct {
            const char *field;
            const char *what;
            uint32_t off;
        } slots[2] = {{"critical_num", S_VST ".critical_num: no vCPU event with this number",
                       SDEI_VST_OFF_CRITICAL_NUM},
                      {"normal_num", S_VST ".normal_num: no vCPU event with this number",
                       SDEI_VST_OFF_NORMAL_NUM}};
        for (uint32_t s = 0; s < 2u; s++) {
            uint64_t num = sdei_get_le64(buf + st + slots[s].off);
            if (!sdei_num_shape_ok(num, strict)) {
                continue;
            }
            int found = 0;
            for (uint32_t i = 0; i < nev && !found; i++) {
                found = sdei_get_le64(evs + (size_t)i * SDEI_BLOB_VCPU_EVENT_SIZE) == num;
            }
            if (!found) {
                return format_err_what(err, S_VST, slots[s].field, 0, v, slots[s].off,
                                       st + slots[s].off, "no vCPU event with this number",
                                       slots[s].what, -SDEI_EINVAL);
            }
        }
    }
    return SDEI_OK;
}

/* The REGS and POWER records of vCPU v. */
static void apply_records(sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m, uint32_t v)
{
    const uint8_t *r = buf + m->regs_off + (size_t)v * SDEI_SAVE_REGS_SIZE;
    sdei_regs *regs = &vm->vcpus[v].regs;
    for (uint32_t i = 0; i < 31u; i++) {
        regs->x[i] = sdei_get_le64(r + 8u * i);
    }
    regs->sp = sdei_get_le64(r + 8u * 31u);
    regs->pc = sdei_get_le64(r + 8u * 32u);
    regs->pstate = sdei_get_le64(r + 8u * 33u);
    regs->elr_el1 = sdei_get_le64(r + 8u * 34u);
    regs->spsr_el1 = sdei_get_le64(r + 8u * 35u);
    vm->vcpus[v].power = m->power_off != 0 ? buf[m->power_off + v] : (uint8_t)SDEI_PE_ON;
}

static void apply_save(sdei_vm *vm, const uint8_t *buf, const sdei_save_map *m)
{
    sdei_vm_reset(vm);
    if (m->version == SDEI_SAVE_VERSION_FWREG) {
        sdei_fw_section_apply(vm, buf, m);
        for (uint32_t v = 0; v < m->nr_vcpus; v++) {
            apply_records(vm, buf, m, v);
        }
        return;
    }
    for (uint32_t i = 0; i < m->nr_exposed; i++) {
        sdei_apply_exposed(vm, buf + m->exposed_off + (size_t)i * SDEI_BLOB_EXPOSED_SIZE);
    }
    for (uint32_t i = 0; i < m->nr_bind; i++) {
        vm->exposed[i].bound_intid = sdei_get_le32(
            buf + m->bind_off + (size_t)i * SDEI_SAVE_BIND_SIZE + SDEI_SAVE_BIND_OFF_INTID);
    }
    for (uint32_t i = 0; i < m->nr_registered; i++) {
        sdei_apply_registered(vm, buf + m->registered_off + (size_t)i * SDEI_BLOB_REGISTERED_SIZE);
    }
    sdei_vm_rebuild_derived(vm);
    for (uint32_t v = 0; v < m->nr_vcpus; v++) {
        for (uint32_t i = 0; i < m->vcpu_nev[v]; i++) {
            sdei_apply_vcpu_event(vm, v,
                                  buf + m->vcpu_off[v] + (size_t)i * SDEI_BLOB_VCPU_EVENT_SIZE);
        }
        sdei_apply_vcpu_state(
            vm, v, buf + m->vcpu_off[v] + (size_t)m->vcpu_nev[v] * SDEI_BLOB_VCPU_EVENT_SIZE);
        apply_records(vm, buf, m, v);
    }
    sdei_vm_rebuild_derived(vm);
    /* a fresh VM: no request but the ones SET_VCPU_STATE raises (kvm-v5 §7) */
    for (uint32_t v = 0; v < m->nr_vcpus; v++) {
        vm->vcpus[v].kick = 0;
        sdei_request_after_state(vm, v);
    }
}

sdei_err sdei_vm_restore_ex(sdei_vm *vm, const uint8_t *buf, size_t len, sdei_blob_error *err)
{
    if (vm == NULL || buf == NULL) {
        return SDEI_E_NULL;
    }
    sdei_save_map m;
    sdei_err e = sdei_save_parse(buf, len, &m, err);
    if (e != SDEI_OK) {
        return e;
    }
    e = check_config(vm, buf, &m, err);
    if (e != SDEI_OK) {
        return e;
    }
    if ((m.version == SDEI_SAVE_VERSION_FWREG) != has_fwregs(vm)) {
        return format_err(err, S_HDR, "version", 0, SDEI_BLOB_NO_VCPU, SDEI_SAVE_HDR_OFF_VERSION,
                          SDEI_SAVE_HDR_OFF_VERSION,
                          "format 2 (v7 firmware registers) for a VM without them, or 1 for "
                          "one with them",
                          0);
    }
    if (m.version == SDEI_SAVE_VERSION_FWREG) {
        e = sdei_fw_section_check(buf, &m, err);
        if (e == SDEI_OK) {
            apply_save(vm, buf, &m);
        }
        return e;
    }
    restore_view rv;
    sdei_nummap_init(&rv.exposed);
    sdei_nummap_init(&rv.registered);
    /* kvm-v5 §7: the checks in restore order */
    e = check_exposed(vm, buf, &m, &rv, err);
    if (e == SDEI_OK) {
        e = check_registered(vm, buf, &m, &rv, err);
    }
    if (e == SDEI_OK) {
        e = check_vcpus(vm, buf, &m, &rv, err);
    }
    if (e != SDEI_OK) {
        return e;
    }
    apply_save(vm, buf, &m);
    return SDEI_OK;
}

sdei_err sdei_vm_restore(sdei_vm *vm, const uint8_t *buf, size_t len, size_t *err_offset,
                         const char **err_what)
{
    sdei_blob_error be;
    memset(&be, 0, sizeof(be));
    sdei_err e = sdei_vm_restore_ex(vm, buf, len, &be);
    if (e != SDEI_OK && e != SDEI_E_NULL) {
        if (err_offset != NULL) {
            *err_offset = be.buf_offset;
        }
        if (err_what != NULL) {
            /* a static "struct.field: problem"; the text with the entry index
             * needs caller storage (sdei_vm_restore_ex) */
            *err_what = be.what;
        }
    }
    return e;
}
