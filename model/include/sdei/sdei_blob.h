/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdei_blob.h - the kernel's migration structs, byte-exact (kvm-v5 §1.2).
 *
 * Each struct has a host-side C mirror (sdei_blob_*) and an encoder/decoder
 * that works field by field, little-endian, never by memcpy of a host struct.
 * Sizes and offsets are fixed by the uAPI and asserted in blob.c.
 */
#ifndef SDEI_BLOB_H
#define SDEI_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sdei/sdei_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Little-endian fields: the uAPI structs, the whole-VM save and the fuzz
 * records are little-endian whatever the host is. The one copy of these
 * accessors, for the model, the tools and the tests.
 * ------------------------------------------------------------------------- */
static inline uint64_t sdei_get_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes && i < 8u; i++) {
        v |= (uint64_t)p[i] << (8u * i);
    }
    return v;
}

static inline void sdei_put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes && i < 8u; i++) {
        p[i] = (uint8_t)(v >> (8u * i));
    }
}

/* On a little-endian host a field's bytes are already in the blob's order:
 * one load or store per field instead of a byte each (the vectoriser turned
 * the byte-wise form into long shuffles: 225 instructions for a 160-byte
 * register block). Still field by field, never a host struct. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SDEI_LE_HOST 1
#else
#define SDEI_LE_HOST 0
#endif

static inline uint32_t sdei_get_le32(const uint8_t *p)
{
#if SDEI_LE_HOST
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
#else
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
#endif
}

static inline uint64_t sdei_get_le64(const uint8_t *p)
{
#if SDEI_LE_HOST
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
#else
    return (uint64_t)sdei_get_le32(p) | ((uint64_t)sdei_get_le32(p + 4) << 32);
#endif
}

static inline void sdei_put_le32(uint8_t *p, uint32_t v)
{
#if SDEI_LE_HOST
    memcpy(p, &v, sizeof(v));
#else
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
#endif
}

static inline void sdei_put_le64(uint8_t *p, uint64_t v)
{
#if SDEI_LE_HOST
    memcpy(p, &v, sizeof(v));
#else
    sdei_put_le32(p, (uint32_t)v);
    sdei_put_le32(p + 4, (uint32_t)(v >> 32));
#endif
}

#define SDEI_BLOB_EXPOSED_SIZE 24u
#define SDEI_BLOB_REGISTERED_SIZE 8408u
#define SDEI_BLOB_VCPU_EVENT_SIZE 16u
#define SDEI_BLOB_VCPU_REGS_SIZE 160u
#define SDEI_BLOB_VCPU_STATE_SIZE 344u
#define SDEI_BLOB_CMD_SIZE 16u

/* struct kvm_sdei_exposed_event_state (24 bytes) */
typedef struct sdei_blob_exposed {
    uint64_t num;       /* @0 */
    uint8_t type;       /* @8 */
    uint8_t signaled;   /* @9 */
    uint8_t priority;   /* @10 */
    uint8_t padding[5]; /* @11 */
    uint64_t notifier;  /* @16: a kernel function pointer in v5 */
} sdei_blob_exposed;

/* struct kvm_sdei_registered_event_state (8408 bytes) */
typedef struct sdei_blob_registered {
    uint64_t num;                        /* @0 */
    uint8_t route_mode;                  /* @8 */
    uint8_t padding[3];                  /* @9 */
    uint8_t hole[4];                     /* @12: implicit hole, kept verbatim */
    uint64_t route_affinity;             /* @16 */
    uint64_t ep_address[SDEI_MAX_VCPUS]; /* @24 */
    uint64_t ep_arg[SDEI_MAX_VCPUS];     /* @4120 */
    uint64_t registered[8];              /* @8216 */
    uint64_t enabled[8];                 /* @8280 */
    uint64_t unregister_pending[8];      /* @8344 */
} sdei_blob_registered;

/* struct kvm_sdei_vcpu_event_state (16 bytes) */
typedef struct sdei_blob_vcpu_event {
    uint64_t num;         /* @0 */
    uint32_t event_count; /* @8 */
    uint32_t padding;     /* @12 */
} sdei_blob_vcpu_event;

/* struct kvm_sdei_vcpu_regs_state (160 bytes) */
typedef struct sdei_blob_vcpu_regs {
    uint64_t regs[18]; /* @0 */
    uint64_t pc;       /* @144 */
    uint64_t pstate;   /* @152 */
} sdei_blob_vcpu_regs;

/* struct kvm_sdei_vcpu_state (344 bytes) */
typedef struct sdei_blob_vcpu_state {
    uint8_t masked;                    /* @0 */
    uint8_t padding[7];                /* @1 */
    uint64_t critical_num;             /* @8 */
    uint64_t normal_num;               /* @16 */
    sdei_blob_vcpu_regs critical_regs; /* @24 */
    sdei_blob_vcpu_regs normal_regs;   /* @184 */
} sdei_blob_vcpu_state;

/* Encoders write exactly the struct's size; decoders need exactly that many
 * bytes (SDEI_E_FORMAT if len is short). Every byte (padding, hole) survives
 * a decode/encode round trip. */
SDEI_WARN_UNUSED
sdei_err sdei_blob_exposed_encode(const sdei_blob_exposed *in, uint8_t *out, size_t len);
SDEI_WARN_UNUSED
sdei_err sdei_blob_exposed_decode(const uint8_t *in, size_t len, sdei_blob_exposed *out);
SDEI_WARN_UNUSED
sdei_err sdei_blob_registered_encode(const sdei_blob_registered *in, uint8_t *out, size_t len);
SDEI_WARN_UNUSED
sdei_err sdei_blob_registered_decode(const uint8_t *in, size_t len, sdei_blob_registered *out);
SDEI_WARN_UNUSED
sdei_err sdei_blob_vcpu_event_encode(const sdei_blob_vcpu_event *in, uint8_t *out, size_t len);
SDEI_WARN_UNUSED
sdei_err sdei_blob_vcpu_event_decode(const uint8_t *in, size_t len, sdei_blob_vcpu_event *out);
SDEI_WARN_UNUSED
sdei_err sdei_blob_vcpu_state_encode(const sdei_blob_vcpu_state *in, uint8_t *out, size_t len);
SDEI_WARN_UNUSED
sdei_err sdei_blob_vcpu_state_decode(const uint8_t *in, size_t len, sdei_blob_vcpu_state *out);

/* ---------------------------------------------------------------------------
 * Where a blob or a save buffer is wrong: struct, field, entry, byte offset.
 * Filled by sdei_vm_restore_ex() and sdei_vmm_command_ex(); `text` is the
 * one-line form, e.g.
 *   "registered_event_state[1].route_mode @8: not 0 or 1 (buffer offset 8441)".
 * ------------------------------------------------------------------------- */
#define SDEI_BLOB_NO_VCPU UINT32_C(0xFFFFFFFF)
#define SDEI_BLOB_ERROR_TEXT 192u

typedef struct sdei_blob_error {
    const char *strct;    /* "registered_event_state", "save_header", ... */
    const char *field;    /* "route_mode", "magic", ... */
    uint32_t entry;       /* index of the entry in its batch */
    uint32_t vcpu;        /* vCPU of a per-vCPU struct, or SDEI_BLOB_NO_VCPU */
    uint32_t offset;      /* byte offset inside the entry */
    size_t buf_offset;    /* byte offset inside the whole buffer */
    const char *problem;  /* "not 0 or 1 (kvm-v5 §6 SET_REGISTERED_EVENT)" */
    int32_t kernel_errno; /* what the kernel command returns for it (0: not a kernel check) */
    const char *what;     /* static "struct.field: problem" (sdei_vm_restore's err_what) */
    char text[SDEI_BLOB_ERROR_TEXT];
} sdei_blob_error;

/* (Re)writes err->text from the other fields. */
void sdei_blob_error_format(sdei_blob_error *err);

/* ---------------------------------------------------------------------------
 * Blob lint: what a kernel would accept but is inconsistent (DESIGN §4).
 * ------------------------------------------------------------------------- */
typedef struct sdei_lint_finding {
    const char *strct;   /* "exposed_event_state", "registered_event_state", ... */
    const char *field;   /* "notifier", "enabled", ... */
    uint32_t entry;      /* index of the entry in its batch (or vCPU index) */
    uint32_t offset;     /* byte offset inside the entry */
    const char *problem; /* one line, names the rule */
    /* extension (source-compatible additions) */
    uint32_t vcpu;     /* vCPU of a per-vCPU struct, or SDEI_BLOB_NO_VCPU */
    uint64_t num;      /* the event number of the entry (or of the finding) */
    size_t buf_offset; /* offset in the save buffer (sdei_lint_save), else 0 */
} sdei_lint_finding;

/* The kernel blobs of one VM, as a VMM holds them after the GET commands. Any
 * per-vCPU pointer may be NULL (that vCPU is skipped). */
typedef struct sdei_lint_input {
    uint32_t nr_vcpus;
    const uint8_t *exposed; /* nr_exposed * 24 bytes */
    uint32_t nr_exposed;
    const uint8_t *registered; /* nr_registered * 8408 bytes */
    uint32_t nr_registered;
    const uint8_t *const *vcpu_events; /* [nr_vcpus] -> nr_vcpu_events[v] * 16 bytes */
    const uint32_t *nr_vcpu_events;    /* [nr_vcpus] */
    const uint8_t *const *vcpu_state;  /* [nr_vcpus] -> 344 bytes */
} sdei_lint_input;

/* Lints the kernel blobs; returns the number of findings (may exceed max;
 * only the first max are stored). */
SDEI_WARN_UNUSED
uint32_t sdei_lint_blobs(const sdei_lint_input *in, sdei_lint_finding *findings, uint32_t max);

/* ---------------------------------------------------------------------------
 * Whole-VM save and restore: one self-describing buffer (header with magic,
 * format version, vCPU count; then the kernel's blobs in restore order:
 * exposed, registered, then per vCPU: vCPU events, vCPU state).
 * ------------------------------------------------------------------------- */
#define SDEI_SAVE_MAGIC UINT32_C(0x49454453) /* "SDEI" little-endian */
#define SDEI_SAVE_VERSION UINT32_C(1)
/* A VM with v7's firmware registers (profile kvm-v7) saves in format 2: the
 * registers of each vCPU in place of the v5 blobs (docs/migration.md). */
#define SDEI_SAVE_VERSION_FWREG UINT32_C(2)

/* Bytes needed to save vm now. */
SDEI_WARN_UNUSED
sdei_err sdei_vm_save_size(const sdei_vm *vm, size_t *size_out);
/* Writes the save into buf; *written = bytes used. */
SDEI_WARN_UNUSED
sdei_err sdei_vm_save(const sdei_vm *vm, uint8_t *buf, size_t len, size_t *written);
/* Restores a save into vm, which must be freshly initialised (or reset) with a
 * compatible config. On any error vm is unchanged and, if err_offset is not
 * NULL, *err_offset is the byte offset of the fault and *err_what a one-line
 * description naming struct and field. */
SDEI_WARN_UNUSED
sdei_err sdei_vm_restore(sdei_vm *vm, const uint8_t *buf, size_t len, size_t *err_offset,
                         const char **err_what);

/* The same, with the full error (struct, field, entry, offsets, text). err may be NULL. */
SDEI_WARN_UNUSED
sdei_err sdei_vm_restore_ex(sdei_vm *vm, const uint8_t *buf, size_t len, sdei_blob_error *err);

/* One kernel blob inside a whole-VM save, as sdei_save_walk() finds it. */
typedef enum sdei_save_piece_kind {
    SDEI_SAVE_PIECE_EXPOSED = 0, /* exposed_event_state */
    SDEI_SAVE_PIECE_REGISTERED,  /* registered_event_state */
    SDEI_SAVE_PIECE_VCPU_EVENT,  /* vcpu_event_state */
    SDEI_SAVE_PIECE_VCPU_STATE,  /* vcpu_state */
    SDEI_SAVE_PIECE_FWREG        /* a v7 firmware register's value (format version 2) */
} sdei_save_piece_kind;

typedef struct sdei_save_piece {
    sdei_save_piece_kind kind;
    uint32_t vcpu;   /* the vCPU of a per-vCPU blob, else SDEI_BLOB_NO_VCPU */
    uint32_t index;  /* entry index within its kind (and vCPU) */
    size_t offset;   /* byte offset in the save */
    size_t size;     /* SDEI_BLOB_*_SIZE of the kind; FWREG: the register's size */
    uint64_t reg_id; /* FWREG: the register's id (sdei_fwreg.h), else 0 */
} sdei_save_piece;

/* Called for each piece with its bytes (piece->size of them); a non-zero
 * return stops the walk and is returned by sdei_save_walk(). */
typedef int (*sdei_save_walk_fn)(const sdei_save_piece *piece, const uint8_t *bytes, void *ctx);

/* Walks the kernel blobs of a save in restore order (exposed, registered, then
 * per vCPU: its events, its state) after checking the whole structure exactly
 * as sdei_vm_restore() does (magic, format version, counts, records, size).
 * Returns 0 when every piece was visited, fn's non-zero return if it stopped
 * the walk, or -1 for a malformed buffer (no piece visited; err, if not NULL,
 * says where: err->buf_offset, err->text). */
int sdei_save_walk(const uint8_t *buf, size_t len, sdei_save_walk_fn fn, void *ctx,
                   sdei_blob_error *err);

/* Lint a whole-VM save buffer; returns the number of findings (may exceed max;
 * only the first max are stored). */
SDEI_WARN_UNUSED
uint32_t sdei_lint_save(const uint8_t *buf, size_t len, uint32_t nr_vcpus,
                        sdei_lint_finding *findings, uint32_t max);

#ifdef __cplusplus
}
#endif

#endif /* SDEI_BLOB_H */
