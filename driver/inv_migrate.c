/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * inv_migrate.c - the checker's blob invariants (DESIGN §4): migration
 * transparency (what a guest and a VMM observe is the same after it), the
 * whole-VM save identity, the blob round trip and the blob lint.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blobfmt.h"
#include "inv_internal.h"

/* Appends to *buf at *len: registers, event states and pending counts of
 * every vCPU, then (blobs) every blob. */
static int snap_deep(sim_inv *c, sim_target *t, uint8_t **buf, size_t *cap, size_t *len, int blobs)
{
    unsigned bad = 0;
    size_t per = sizeof(sdei_regs) + (size_t)c->nev * (sizeof(uint32_t) * 2);
    if (sim_buf_grow(buf, cap, *len + per * c->nvcpus, *len) != 0) {
        return -1;
    }
    for (uint32_t v = 0; v < c->nvcpus; v++) {
        uint8_t *p = *buf + *len;
        memcpy(p, sim_target_regs(t, v), sizeof(sdei_regs));
        p += sizeof(sdei_regs);
        uint32_t nobs = 0;
        if (t->ops->vcpu_events == NULL ||
            t->ops->vcpu_events(t->impl, v, c->obs, SDEI_MAX_EVENTS, &nobs) != SDEI_OK) {
            nobs = 0;
        }
        for (uint32_t i = 0; i < c->nev; i++) {
            sdei_event_state st = SDEI_STATE_COUNT;
            uint32_t s32, pend = 0, at = c->ev[i].at;
            if (at < nobs && c->obs[at].num == c->ev[i].num) {
                st = c->obs[at].state; /* one read per vCPU, not two per event */
                pend = c->obs[at].pending;
            } else {
                (void)t->ops->event_state(t->impl, c->ev[i].num, v, &st);
                (void)t->ops->pending_count(t->impl, c->ev[i].num, v, &pend);
            }
            s32 = (uint32_t)st;
            memcpy(p, &s32, sizeof(s32));
            memcpy(p + sizeof(s32), &pend, sizeof(pend));
            p += 2 * sizeof(uint32_t);
        }
        *len += per;
    }
    return blobs ? sim_fetch_all_blobs(t, buf, cap, len, &bad) : 0;
}

/* The bytes of snap_deep's registers, event states and pending counts. */
static size_t deep_state_size(const sim_inv *c)
{
    return (sizeof(sdei_regs) + (size_t)c->nev * sizeof(uint32_t) * 2) * c->nvcpus;
}

/* The views, then the deep snapshot written straight after them (the
 * registered blobs are 8 KiB each: no copy through a scratch buffer). */
int sim_inv_snapshot(sim_inv *c, sim_target *t, uint8_t **buf, size_t *cap, size_t *len)
{
    size_t vsz = c->nvcpus * sizeof(sdei_vcpu_view);
    if (sim_buf_grow(buf, cap, vsz, 0) != 0) {
        return -1;
    }
    memset(*buf, 0, vsz); /* views are compared byte for byte: no stale padding */
    for (uint32_t v = 0; v < c->nvcpus; v++) {
        sdei_vcpu_view *w = (sdei_vcpu_view *)(void *)(*buf + v * sizeof(sdei_vcpu_view));
        if (inv_view(c, t, v, w) != 0) {
            return -1;
        }
    }
    *len = vsz;
    return snap_deep(c, t, buf, cap, len, 1);
}

/* The whole-VM save (model only). */
static int snap_save(sdei_vm *vm, uint8_t **buf, size_t *cap, size_t *len)
{
    size_t need = 0;
    if (sdei_vm_save_size(vm, &need) != SDEI_OK || sim_buf_grow(buf, cap, need, 0) != 0) {
        return -1;
    }
    return sdei_vm_save(vm, *buf, *cap, len) == SDEI_OK ? 0 : -1;
}

void inv_migrate_before(sim_inv *c, sim_target *t, int via_vmm)
{
    sdei_vm *vm = sim_target_model(t);
    /* Views are compared byte for byte: no stale padding. */
    memset(c->mig_views, 0, c->nvcpus * sizeof(*c->mig_views));
    for (uint32_t v = 0; v < c->nvcpus; v++) {
        if (inv_view(c, t, v, &c->mig_views[v]) != 0) {
            break;
        }
    }
    /* save_restore_identity is a property of the whole-VM save; the VMM
     * commands' path is held to the views and the blobs (docs/fuzzing.md F1:
     * bindings are not in the kernel's blobs). The save an implementation
     * restores from is the source's save, made by the same code from the same
     * state: a save of our own here would be the same bytes. */
    c->mig_save_len = 0;
    c->mig_save_ref = vm == NULL || via_vmm           ? INV_SAVE_NONE
                      : t->ops->migrated_from != NULL ? INV_SAVE_IMPL
                                                      : INV_SAVE_OWN;
    if (c->mig_save_ref == INV_SAVE_OWN &&
        snap_save(vm, &c->mig_save, &c->mig_save_cap, &c->mig_save_len) != 0) {
        (void)sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                           "the save before a migration "
                           "failed");
    }
    /* The blobs before: a VMM migration GETs every blob of the source itself
     * (sim_migrate_vmm keeps them in t->blobs), and a whole-VM save holds
     * them byte for byte; a GET of each here would repeat them (the
     * registered blobs are 8 KiB). */
    c->mig_blobs_len = 0;
    c->mig_blobs_from = via_vmm                            ? INV_BLOBS_EXEC
                        : c->mig_save_ref == INV_SAVE_IMPL ? INV_BLOBS_SAVE
                                                           : INV_BLOBS_SNAP;
    /* no blobs: v7's state moves in firmware registers, v6 has no interface */
    if (c->o.deep_migrate && sim_target_can(t, SIM_CAP_VMM | SIM_CAP_OBS_STATE) &&
        !inv_quirk(c, SDEI_QUIRK_BIT(EVENT_TABLE_KVM) | SDEI_QUIRK_BIT(NO_SDEI_COMMAND)) &&
        snap_deep(c, t, &c->mig_blobs, &c->mig_blobs_cap, &c->mig_blobs_len,
                  c->mig_blobs_from == INV_BLOBS_SNAP) != 0) {
        (void)sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, 0,
                           "GET of the blobs before a migration "
                           "failed");
    }
}

/* The save a migration restored from (the implementation's), or NULL. */
static const uint8_t *impl_save(sim_target *t, size_t *len)
{
    *len = 0;
    return t->ops->migrated_from != NULL ? t->ops->migrated_from(t->impl, len) : NULL;
}

/* ---------------------------------------------------------------------------
 * A snapshot's blobs (sim_fetch_all_blobs' batches) against the kernel blobs
 * of a whole-VM save (sdei_save_walk's pieces): the same entries, the same
 * bytes.
 * ------------------------------------------------------------------------- */
typedef struct snap_cmp {
    const uint8_t *b; /* the batches */
    size_t len;
    uint32_t nvcpus;
    size_t reg, ev, st; /* batch offsets: registered, events of vCPU ev_v, states */
    uint32_t ev_v;
    uint64_t left; /* entries no piece has matched yet */
} snap_cmp;

static uint32_t batch_count(const snap_cmp *s, size_t off)
{
    uint32_t n = 0;
    if (off + sizeof(n) <= s->len) {
        memcpy(&n, s->b + off, sizeof(n));
    }
    return n;
}

/* The offset of a piece's entry among the batches, or SIZE_MAX. */
static size_t piece_at(snap_cmp *s, const sdei_save_piece *p)
{
    size_t batch;
    if (p->kind == SDEI_SAVE_PIECE_EXPOSED) {
        batch = 0;
    } else if (p->kind == SDEI_SAVE_PIECE_REGISTERED) {
        batch = s->reg;
    } else if (p->kind == SDEI_SAVE_PIECE_VCPU_EVENT && p->vcpu >= s->ev_v && p->vcpu < s->nvcpus) {
        for (; s->ev_v < p->vcpu; s->ev_v++) { /* the walk goes vCPU by vCPU */
            s->ev += 4u + (size_t)batch_count(s, s->ev) * SDEI_BLOB_VCPU_EVENT_SIZE;
        }
        batch = s->ev;
    } else if (p->kind == SDEI_SAVE_PIECE_VCPU_STATE && p->vcpu < s->nvcpus) {
        batch = s->st + (size_t)p->vcpu * (4u + SDEI_BLOB_VCPU_STATE_SIZE);
    } else {
        return SIZE_MAX; /* v7's registers (never with blobs), or out of order */
    }
    size_t off = batch + 4u + (size_t)p->index * p->size;
    return p->index < batch_count(s, batch) && off + p->size <= s->len ? off : SIZE_MAX;
}

static int piece_same(const sdei_save_piece *p, const uint8_t *bytes, void *ctx)
{
    snap_cmp *s = ctx;
    size_t off = piece_at(s, p);
    if (off == SIZE_MAX || s->left == 0 || memcmp(s->b + off, bytes, p->size) != 0) {
        return 1;
    }
    s->left--; /* indices are distinct in a batch: each entry is matched once */
    return 0;
}

/* 0 when the batches hold exactly the kernel blobs of the save. */
static int blobs_match_save(const uint8_t *b, size_t len, uint32_t nvcpus, const uint8_t *save,
                            size_t save_len)
{
    snap_cmp s = {.b = b, .len = len, .nvcpus = nvcpus};
    uint32_t n = batch_count(&s, 0);
    s.left = n;
    s.reg = 4u + (size_t)n * SDEI_BLOB_EXPOSED_SIZE;
    n = batch_count(&s, s.reg);
    s.left += n;
    s.ev = s.st = s.reg + 4u + (size_t)n * SDEI_BLOB_REGISTERED_SIZE;
    for (uint32_t v = 0; v < nvcpus; v++) {
        n = batch_count(&s, s.st);
        s.left += n + 1u; /* its events and its state */
        s.st += 4u + (size_t)n * SDEI_BLOB_VCPU_EVENT_SIZE;
    }
    if (s.st + (size_t)nvcpus * (4u + SDEI_BLOB_VCPU_STATE_SIZE) != len) {
        return 1;
    }
    return sdei_save_walk(save, save_len, piece_same, &s, NULL) != 0 || s.left != 0;
}

static int compare_views(sim_inv *c, sim_target *t)
{
    for (uint32_t v = 0; v < c->nvcpus; v++) {
        sdei_vcpu_view now;
        memset(&now, 0, sizeof(now));
        if (inv_view(c, t, v, &now) != 0) {
            return 0;
        }
        if (memcmp(&now, &c->mig_views[v], sizeof(now)) != 0) {
            return sim_inv_fail(c, SIM_INV_MIGRATION_TRANSPARENT, v,
                                "vCPU %u's SDEI state differs after migration", v);
        }
    }
    return 0;
}

/* The blobs after (the batches at b) against the blobs before. */
static int blobs_differ(sim_inv *c, sim_target *t, const uint8_t *b, size_t len)
{
    const uint8_t *was = c->mig_blobs + deep_state_size(c);
    size_t was_len = c->mig_blobs_len - deep_state_size(c);
    if (c->mig_blobs_from == INV_BLOBS_SAVE) {
        was = impl_save(t, &was_len);
        return was == NULL || blobs_match_save(b, len, c->nvcpus, was, was_len) != 0;
    }
    if (c->mig_blobs_from == INV_BLOBS_EXEC) {
        was = t->blobs;
        was_len = t->blobs_len;
    }
    return len != was_len || memcmp(b, was, was_len) != 0;
}

static int compare_deep(sim_inv *c, sim_target *t)
{
    size_t len = 0, state = deep_state_size(c);
    if (c->mig_blobs_len == 0) {
        return 0;
    }
    if (snap_deep(c, t, &c->scratch, &c->scratch_cap, &len, 1) != 0) {
        return sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, 0,
                            "GET of the blobs after a migration "
                            "failed");
    }
    if (memcmp(c->scratch, c->mig_blobs, state) != 0) {
        return sim_inv_fail(c, SIM_INV_MIGRATION_TRANSPARENT, 0,
                            "registers, event states or pending counts differ after migration");
    }
    if (blobs_differ(c, t, c->scratch + state, len - state)) {
        return sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, 0, "the blobs differ after a migration");
    }
    return 0;
}

/* save_restore_identity: the destination saves the bytes the source saved. */
static int compare_save(sim_inv *c, sim_target *t)
{
    sdei_vm *vm = sim_target_model(t);
    const uint8_t *was = c->mig_save;
    size_t len = 0, was_len = c->mig_save_len;
    if (vm == NULL || c->mig_save_ref == INV_SAVE_NONE) {
        c->unobservable += vm == NULL;
        return 0;
    }
    if (c->mig_save_ref == INV_SAVE_IMPL && (was = impl_save(t, &was_len)) == NULL) {
        return sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                            "the migration names no save it restored from");
    }
    if (was_len == 0) {
        return 0; /* our own save before failed, and said so */
    }
    if (snap_save(vm, &c->scratch, &c->scratch_cap, &len) != 0 || len != was_len) {
        return sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                            "the restored VM saves a different size");
    }
    if (memcmp(c->scratch, was, len) != 0) {
        return sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                            "save -> restore -> save gives different bytes");
    }
    return 0;
}

int inv_migrate_after(sim_inv *c, sim_target *t, const sim_result *r)
{
    if (r->kind == SIM_R_ERR && c->mig_blobs_from == INV_BLOBS_EXEC && c->mig_blobs_len != 0 &&
        t->blobs_len == 0) {
        /* the executor's GETs of the source failed: no quirk refuses those */
        return sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, 0,
                            "GET of the blobs for a migration failed");
    }
    if (r->kind == SIM_R_ERR) {
        /* kvm-v5 route_mode_from_affinity: the first REGISTER stored x5 as
         * route_mode, and the kernel's own SET_REGISTERED_EVENT refuses that
         * blob (route_mode.rec: -EINVAL); the VM goes on on the source
         * (docs/fuzzing.md F2). no_sdei_command (v6): no interface to
         * carry the SDEI state, every migration is refused. */
        if (inv_quirk(c,
                      SDEI_QUIRK_BIT(ROUTE_MODE_FROM_AFFINITY) | SDEI_QUIRK_BIT(NO_SDEI_COMMAND)) &&
            !c->o.strict) {
            return 0;
        }
        return sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "migration refused (%d)", r->err);
    }
    return compare_views(c, t) || compare_deep(c, t) || compare_save(c, t);
}

/* ---------------------------------------------------------------------------
 * Blob round trip and lint.
 * ------------------------------------------------------------------------- */
static sdei_err roundtrip(unsigned k, const uint8_t *b, size_t esz, uint8_t *enc, int *phase)
{
    static sdei_blob_registered reg; /* 8 KiB: off the stack (one thread) */
    sdei_err e1, e2;
    switch (k) {
    case SIM_BLOB_EXPOSED: {
        sdei_blob_exposed x;
        e1 = sdei_blob_exposed_decode(b, esz, &x);
        e2 = e1 == SDEI_OK ? sdei_blob_exposed_encode(&x, enc, esz) : e1;
        break;
    }
    case SIM_BLOB_REGISTERED:
        e1 = sdei_blob_registered_decode(b, esz, &reg);
        e2 = e1 == SDEI_OK ? sdei_blob_registered_encode(&reg, enc, esz) : e1;
        break;
    case SIM_BLOB_VCPU_EVENT: {
        sdei_blob_vcpu_event x;
        e1 = sdei_blob_vcpu_event_decode(b, esz, &x);
        e2 = e1 == SDEI_OK ? sdei_blob_vcpu_event_encode(&x, enc, esz) : e1;
        break;
    }
    default: {
        sdei_blob_vcpu_state x;
        e1 = sdei_blob_vcpu_state_decode(b, esz, &x);
        e2 = e1 == SDEI_OK ? sdei_blob_vcpu_state_encode(&x, enc, esz) : e1;
        break;
    }
    }
    *phase = e1 != SDEI_OK ? 1 : 2;
    return e2;
}

static int blobs_roundtrip(sim_inv *c, sim_target *t, FILE *diff)
{
    uint8_t enc[SDEI_BLOB_REGISTERED_SIZE];
    for (unsigned k = 0; k < SIM_BLOB_COUNT; k++) {
        uint32_t n = 0, vmax = k <= SIM_BLOB_REGISTERED ? 1 : c->nvcpus;
        size_t esz = sim_blob_entry_size(k);
        for (uint32_t v = 0; v < vmax; v++) {
            if (sim_fetch_blobs(t, k, v, &n) != 0) {
                return sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, v, "VMM GET of %s blobs failed",
                                    sim_blob_kind_name(k));
            }
            for (uint32_t i = 0; i < n; i++) {
                const uint8_t *b = t->out + (size_t)i * esz;
                int phase = 0;
                sdei_err e = roundtrip(k, b, esz, enc, &phase);
                if (e == SDEI_OK && memcmp(enc, b, esz) == 0) {
                    continue;
                }
                if (e == SDEI_OK && diff != NULL) {
                    sim_blob_diff(diff, k, b, enc);
                }
                return sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, v,
                                    "%s blob %u: decode/encode is not the identity (%s)",
                                    sim_blob_kind_name(k), i,
                                    e == SDEI_OK ? "bytes differ"
                                    : phase == 1 ? "decode failed"
                                                 : "encode failed");
            }
        }
    }
    return 0;
}

/* DESIGN §4 blob lint: the state a correct dispatcher reaches never shows an
 * inconsistency a kernel would accept (e.g. an unregister-pending bit with no
 * handler running, which the state view cannot show). */
static int lint_clean(sim_inv *c, sdei_vm *vm)
{
    size_t len = 0;
    if (snap_save(vm, &c->scratch, &c->scratch_cap, &len) != 0) {
        return sim_inv_fail(c, SIM_INV_BLOB_LINT_CLEAN, 0, "sdei_vm_save failed");
    }
    sdei_lint_finding f;
    uint32_t n = sdei_lint_save(c->scratch, len, c->nvcpus, &f, 1);
    if (n != 0) {
        return sim_inv_fail(c, SIM_INV_BLOB_LINT_CLEAN, 0,
                            "%u lint finding(s), first: %s[%u].%s (@%u): %s", n, f.strct, f.entry,
                            f.field, f.offset, f.problem);
    }
    return 0;
}

int sim_inv_blobs(sim_inv *c, sim_target *t, FILE *diff)
{
    sdei_vm *vm = sim_target_model(t);
    if (c->failed) {
        return 1;
    }
    /* sdei_absent, no_sdei_command: no blobs to read without the interface */
    if (!sim_inv_on(c, SIM_INV_BLOB_ROUNDTRIP) ||
        inv_quirk(c, SDEI_QUIRK_BIT(ABSENT) | SDEI_QUIRK_BIT(NO_SDEI_COMMAND))) {
        return 0;
    }
    if (inv_quirk(c, SDEI_QUIRK_BIT(EVENT_TABLE_KVM))) {
        /* v7: no v5 blobs; its registers are in the format-2 save linted below */
    } else if (!sim_target_can(t, SIM_CAP_VMM)) {
        c->unobservable++;
    } else if (blobs_roundtrip(c, t, diff)) {
        return 1;
    }
    if (!sim_inv_on(c, SIM_INV_BLOB_LINT_CLEAN)) {
        return 0;
    }
    if (vm == NULL) {
        c->unobservable++;
        return 0;
    }
    return lint_clean(c, vm);
}
