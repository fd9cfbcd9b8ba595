/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_driver.h - the record format of the sequence targets (calls, diff,
 * migrate) and the fuzz VM: a target of the one executor (driver/exec.h) with
 * the one invariant checker (driver/invariants.h) around every action.
 *
 * Input = an 8-byte header, then fixed-width 48-byte little-endian records
 * (docs/fuzzing.md has the byte layout). A record decodes to one sim_action,
 * the trace format's vocabulary (fuzz_decode.c); the decoding depends only on
 * the VM's configuration, never on its state, so the same input always means
 * the same action list: fuzz2trace prints that list as a trace, and a finding
 * becomes a golden trace.
 */
#ifndef FUZZ_DRIVER_H
#define FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "exec.h"
#include "invariants.h"
#include "trace.h"

#define FZ_HDR_SIZE 8u
#define FZ_REC_SIZE 48u
/* Longer inputs are cut: it bounds the time of one run (libFuzzer -max_len
 * is set to the same size by scripts/fuzz). */
#define FZ_MAX_RECS 256u
#define FZ_MAX_INPUT (FZ_HDR_SIZE + FZ_MAX_RECS * FZ_REC_SIZE)
#define FZ_MAX_VCPUS 4u
#define FZ_MAX_EVENTS 16u

/* Record kinds, by the value of the kind byte: hypercalls take most of the
 * space so that the fuzzer spends most records on the guest ABI:
 * 0x00..0x9F hvc, 0xA0..0xC7 deliver, 0xC8..0xD7 trigger, 0xD8..0xDF irq,
 * 0xE0..0xEF VMM INJECT_EVENT, 0xF0..0xFB setreg, 0xFC..0xFF migrate. */

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
    uint64_t quirks_off; /* quirks of the profile switched off (0: the profile as is) */
} fz_header;

/* The quirks under which a migration is visible to the guest by design: v5
 * loses a vCPU's KVM_REQ_SDEI when a handler runs (delivery_needs_request,
 * kvm-v5 §6 SET_VCPU_STATE), v7's PE_STATE write raises one
 * (delivery_needs_kick, K7-3 of docs/kernel-findings.md). The migrate target
 * checks transparency with them off; lockstep checks them against the code. */
#define FZ_MIGRATION_VISIBLE_QUIRKS                                                                \
    (SDEI_QUIRK_BIT(DELIVERY_NEEDS_REQUEST) | SDEI_QUIRK_BIT(DELIVERY_NEEDS_KICK))

/* The events the fuzz VM exposes besides the bind slots (DESIGN §3.2 shapes). */
#define FZ_EV_PRIV_NORMAL UINT64_C(0x00400001)
#define FZ_EV_PRIV_CRITICAL UINT64_C(0x00400002)
#define FZ_EV_SHARED_NORMAL UINT64_C(0x00400003)
#define FZ_EV_SHARED_CRIT UINT64_C(0x00400004)
#define FZ_NR_EVENT_CHOICES 16u
extern const uint64_t fz_event_choices[FZ_NR_EVENT_CHOICES];
#define FZ_NR_EXPOSED 5u
extern const sdei_event_desc fz_exposed[FZ_NR_EXPOSED];

/* ---- fuzz_decode.c ---- */
void fz_header_decode(const uint8_t *data, size_t len, fz_header *h);
/* The header as the migrate target runs it (FZ_MIGRATION_VISIBLE_QUIRKS off). */
void fz_header_for_migrate(fz_header *h);
/* Number of whole records after the header (at most FZ_MAX_RECS). */
size_t fz_rec_count(size_t len);
void fz_rec_decode(const uint8_t *data, size_t index, fz_rec *r);
/* One record from its 48 bytes. */
void fz_rec_decode_at(const uint8_t *rec, fz_rec *r);
void fz_rec_encode(const fz_rec *r, uint8_t *out);
/* The config of the fuzz VM (for fuzz2trace and the differential interpreter). */
sdei_config fz_config(const fz_header *h);
/* The action that exposes fz_exposed[i]. */
void fz_expose_action(unsigned i, sim_action *a);
/* The trace header of that config. */
sim_header fz_trace_header(const fz_header *h);
/* Decodes a record for this VM's configuration (quirks: the profile's). */
void fz_decode(const sdei_config *cfg, uint64_t quirks, const fz_rec *r, sim_action *a);

/* ---- fuzz_driver.c: the fuzz VM ---- */
typedef struct fz_vm {
    sim_target t; /* one per process: the VM is recreated per input */
    sim_inv inv;
    int open;
    uint64_t quirks;
    /* An INTERRUPT_BIND succeeded: bindings are not in the kernel's blobs
     * (kvm-v5 has no bind), so such a VM migrates through the whole-VM save
     * (docs/fuzzing.md, finding F1). */
    uint8_t ever_bound;
    uint64_t migrations;
    uint64_t skipped_migrations; /* refused (finding F2): the VM stayed */
    char msg[640];               /* the last failure */
} fz_vm;

/* The standalone replayers check every invariant after every record. */
extern int fz_full_check_always;

/* Whether the fuzz events are exposed in a VM of config c: not under v6's and
 * v7's own event tables (quirks event_table_v6, event_table_kvm), where a VMM
 * exposes nothing. */
int fz_exposes(const sdei_config *c);
/* A fresh VM for a header, with the fuzz events exposed. `deep`: compare
 * every register, event and blob byte at each migration (the migration
 * target). Returns 0, or -1 (never for a valid header). */
int fz_vm_open(fz_vm *f, const fz_header *h, int deep);
/* Replaces the VM with a fresh one of the same config, with the fuzz events
 * exposed or (expose = 0) only the bind slots. */
int fz_vm_fresh(fz_vm *f, int expose);
static inline sdei_vm *fz_model(fz_vm *f)
{
    return sim_target_model(&f->t);
}
/* Applies an action with the checker around it. Returns 0, or 1 with the
 * failure in f->msg ("invariant: message"). A migration the fuzz driver does
 * not take (F1 without a save, F2) leaves the VM and counts as skipped. */
int fz_step(fz_vm *f, const sim_action *a, sim_result *r);
/* The whole VM (every event on every vCPU, the model's own check): 0 or 1. */
int fz_check(fz_vm *f);
/* The state was loaded from outside the actions (VMM SETs, a restore). */
void fz_forget(fz_vm *f);

/* Trace text of an action and a result on one line, for failure messages. */
const char *fz_text(const sim_action *a, const sim_result *r, char *buf, size_t cap);

/* ---- failure reporting (fuzz_engine.c) ---- */

/* The target's name ("calls"), set by FZ_TARGET(); used in REPLAY lines. */
extern const char *fz_target_name;
/* Prints "sdei-fuzz: <target>: <msg>" and the REPLAY lines, then aborts. */
_Noreturn void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Remembers the input being run (for the crash file name). */
void fz_set_input(const uint8_t *data, size_t len);

#endif /* FUZZ_DRIVER_H */
