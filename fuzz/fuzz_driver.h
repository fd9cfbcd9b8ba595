/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_driver.h - the record format of the sequence targets (calls, diff,
 * migrate), the fuzz VM, and the invariant checks run after every record.
 *
 * Input = an 8-byte header, then fixed-width 48-byte little-endian records
 * (docs/fuzzing.md has the byte layout). A record decodes to one action; the
 * decoding depends only on the VM's configuration, never on its state, so the
 * same input always means the same action list: fuzz2trace turns that list
 * into a trace, and a finding becomes a golden trace.
 */
#ifndef FUZZ_DRIVER_H
#define FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_model.h"
#include "sdei/sdei_vmm.h"

#define FZ_HDR_SIZE 8u
#define FZ_REC_SIZE 48u
/* Longer inputs are cut: it bounds the time of one run (libFuzzer -max_len
 * is set to the same size by scripts/fuzz). */
#define FZ_MAX_RECS 256u
#define FZ_MAX_INPUT (FZ_HDR_SIZE + FZ_MAX_RECS * FZ_REC_SIZE)
#define FZ_MAX_VCPUS 4u
#define FZ_MAX_EVENTS 16u

/* Record kinds, by the value of the kind byte: hypercalls take most of the
 * space so that the fuzzer spends most records on the guest ABI. */
typedef enum fz_kind {
    FZ_HVC = 0, /* 0x00..0x9F */
    FZ_DELIVER, /* 0xA0..0xC7 */
    FZ_TRIGGER, /* 0xC8..0xD7 */
    FZ_IRQ,     /* 0xD8..0xDF */
    FZ_INJECT,  /* 0xE0..0xEF: VMM INJECT_EVENT */
    FZ_SETREG,  /* 0xF0..0xFB */
    FZ_MIGRATE, /* 0xFC..0xFF */
    FZ_KIND_COUNT
} fz_kind;

/* Record mode bits. */
#define FZ_MODE_RAW_ARG(i) (1u << (i)) /* arg i (0..4 = x1..x5) used verbatim */
#define FZ_MODE_RAW_FID (1u << 5)      /* x0 = sel verbatim (any 32-bit function ID) */
#define FZ_MODE_FID_HIGH (1u << 6)     /* x0 bits 63:32 set (SMCCC ignores them) */

/* One record as it is in the input. */
typedef struct fz_rec {
    uint8_t kind;
    uint8_t vcpu;
    uint16_t mode;
    uint32_t sel;
    uint64_t arg[5];
} fz_rec;

typedef struct fz_header {
    sdei_profile profile;
    uint32_t nr_vcpus;
    uint8_t span;
} fz_header;

/* A decoded action (field names follow the trace format's actions). */
typedef struct fz_action {
    uint8_t kind;    /* fz_kind */
    uint8_t call;    /* hvc: sdei_call_id, or SDEI_CALL_ID_NONE for a raw FID */
    uint8_t nregs;   /* setreg */
    uint8_t variant; /* migrate: 0 = whole-VM save/restore, 1 = VMM blob commands */
    uint32_t vcpu;
    uint64_t x[6];  /* hvc: x0 (FID) .. x5 */
    uint64_t num;   /* trigger, inject */
    uint32_t intid; /* irq */
    uint8_t reg[3]; /* setreg: sdei_regs index (x0..x30, sp, pc, pstate, elr, spsr) */
    uint64_t val[3];
} fz_action;

/* What an action did. */
typedef enum fz_res_kind {
    FZ_R_RET = 0,   /* hvc: x0 = result */
    FZ_R_COMPLETED, /* hvc: COMPLETE took effect */
    FZ_R_NORESULT,  /* hvc: nothing written (kvm-v5) */
    FZ_R_NOTSDEI,   /* hvc: not an SDEI function ID */
    FZ_R_ENTERED,   /* deliver: a handler was entered */
    FZ_R_NONE,      /* deliver: nothing */
    FZ_R_PENDING,   /* trigger latched */
    FZ_R_DROPPED,   /* trigger dropped */
    FZ_R_VMM,       /* inject: errno in ret */
    FZ_R_OK,        /* setreg, migrate */
    FZ_R_ERR        /* a model API error (sdei_err in ret) */
} fz_res_kind;

typedef struct fz_result {
    uint8_t kind;
    uint8_t prio;
    uint8_t preempted;
    int32_t ret;
    int64_t x0;
    uint64_t num;
} fz_result;

/* The fuzz VM: a small fixed configuration in static-size memory (no
 * allocation per input), plus what the invariant checks remember. */
typedef struct fz_vm {
    sdei_config cfg;
    sdei_vm *vm;
    _Alignas(8) uint8_t mem[2][64 * 1024]; /* two VMs: migration restores into the other */
    unsigned cur;
    /* context saved at each delivery, per vCPU and class (0 normal, 1 critical) */
    uint8_t shadow_valid[FZ_MAX_VCPUS][2];
    uint64_t shadow[FZ_MAX_VCPUS][2][SDEI_SAVED_GPREGS + 2];
    uint64_t migrations;
    /* An INTERRUPT_BIND succeeded: bindings are not in the kernel's blobs
     * (kvm-v5 has no bind), so a migration through the VMM commands would
     * forget them (docs/fuzzing.md, finding F1); such a VM migrates through
     * the whole-VM save, or not at all without one. */
    uint8_t ever_bound;
    uint8_t deep_migrate; /* compare every view after each migration */
    uint8_t blob_made;    /* state loaded by SET commands (fuzz_blobs.c) */
    uint64_t skipped_migrations;
} fz_vm;

/* The events the fuzz VM exposes besides the bind slots (DESIGN §3.2 shapes). */
#define FZ_EV_PRIV_NORMAL UINT64_C(0x00400001)
#define FZ_EV_PRIV_CRITICAL UINT64_C(0x00400002)
#define FZ_EV_SHARED_NORMAL UINT64_C(0x00400003)
#define FZ_EV_SHARED_CRIT UINT64_C(0x00400004)
#define FZ_NR_EVENT_CHOICES 16u
extern const uint64_t fz_event_choices[FZ_NR_EVENT_CHOICES];

void fz_header_decode(const uint8_t *data, size_t len, fz_header *h);
/* Number of whole records after the header (at most FZ_MAX_RECS). */
size_t fz_rec_count(size_t len);
void fz_rec_decode(const uint8_t *data, size_t index, fz_rec *r);
/* One record from its 48 bytes. */
void fz_rec_decode_at(const uint8_t *rec, fz_rec *r);
void fz_rec_encode(const fz_rec *r, uint8_t *out);

/* Builds the fuzz VM for a header; returns 0 or -1 (never for a valid header). */
int fz_vm_init(fz_vm *f, const fz_header *h);
/* Replaces the VM with a fresh one of the same config (in the other buffer),
 * with the fuzz events exposed or (expose = 0) only the bind slots. */
int fz_vm_fresh(fz_vm *f, int expose);
/* The config fz_vm_init uses (for fuzz2trace and the differential interpreter). */
sdei_config fz_config(const fz_header *h);
/* The events fz_vm_init exposes after the bind slots, in order. */
#define FZ_NR_EXPOSED 5u
extern const sdei_event_desc fz_exposed[FZ_NR_EXPOSED];

/* Decodes a record for this VM's configuration. */
void fz_decode(const sdei_config *cfg, uint64_t quirks, const fz_rec *r, fz_action *a);

/* Applies an action. Returns NULL, or a message naming the broken invariant
 * (the checks that need the state before and after the action). */
const char *fz_exec(fz_vm *f, const fz_action *a, fz_result *res);
/* Whole-VM invariants; NULL if they hold. */
const char *fz_check(fz_vm *f);
/* After action a (with result res): the model's own check, and the invariants
 * of the events and vCPUs the action can have changed; every event after a
 * global call (resets, mask, routing, SIGNAL, RELEASE, irq, migrate). With
 * fz_full_check_always set (the standalone replayer) every event, always. */
const char *fz_check_after(fz_vm *f, const fz_action *a, const fz_result *res);
extern int fz_full_check_always;
/* Event numbers action a can have changed (at most 4 in nums): returns their
 * count, 0 for none, -1 for "any event". */
int fz_touched(const fz_vm *f, const fz_action *a, const fz_result *res, uint64_t *nums);

/* Migration: save every blob and restore into the other VM buffer. Returns
 * NULL or a message. */
const char *fz_migrate(fz_vm *f, unsigned variant);
/* Compares two VMs: every view, every register and every kernel blob. */
const char *fz_compare_vms(sdei_vm *a, sdei_vm *b);

/* Trace-syntax text of an action / result (without "> " / "< "). */
size_t fz_action_format(char *buf, size_t cap, const fz_action *a);
size_t fz_result_format(char *buf, size_t cap, const fz_result *r);
/* "x0".."x30", "sp", "pc", "pstate", "elr", "spsr" (sdei_regs order). */
const char *fz_reg_name(unsigned reg);

/* ---- failure reporting (fuzz_engine.c) ---- */

/* The target's name ("calls"), set by FZ_TARGET(); used in REPLAY lines. */
extern const char *fz_target_name;
/* Prints "sdei-fuzz: <target>: <msg>" and the REPLAY lines, then aborts. */
_Noreturn void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Remembers the input being run (for the crash file name). */
void fz_set_input(const uint8_t *data, size_t len);

#endif /* FUZZ_DRIVER_H */
