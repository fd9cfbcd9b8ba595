/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * inv_migrate.c - the checker's blob invariants (DESIGN §4): migration
 * transparency (what a guest and a VMM observe is the same after it), the
 * whole-VM save identity, the blob round trip and the blob lint.
 */
#include <inttypes.h>
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
    c->mig_save_len = 0;
    /* save_restore_identity is a property of the whole-VM save; the VMM
     * commands' path is held to the views and the blobs (docs/fuzzing.md F1:
     * bindings are not in the kernel's blobs). */
    if (vm != NULL && !via_vmm &&
        snap_save(vm, &c->mig_save, &c->mig_save_cap, &c->mig_save_len) != 0) {
        (void)sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                           "the save before a migration "
                           "failed");
    }
    c->mig_blobs_len = 0;
    /* A VMM migration GETs every blob of the source itself (sim_migrate_vmm
     * keeps them in t->blobs): compared after it, they are the blobs before,
     * without a second GET of each (the registered blobs are 8 KiB). */
    c->mig_via_vmm = via_vmm;
    /* no blobs: v7's state moves in firmware registers, v6 has no interface */
    if (c->o.deep_migrate && sim_target_can(t, SIM_CAP_VMM | SIM_CAP_OBS_STATE) &&
        !inv_quirk(c, SDEI_QUIRK_BIT(EVENT_TABLE_KVM) | SDEI_QUIRK_BIT(NO_SDEI_COMMAND)) &&
        snap_deep(c, t, &c->mig_blobs, &c->mig_blobs_cap, &c->mig_blobs_len, !via_vmm) != 0) {
        (void)sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, 0,
                           "GET of the blobs before a migration "
                           "failed");
    }
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
    const uint8_t *was = c->mig_via_vmm ? t->blobs : c->mig_blobs + state;
    size_t was_len = c->mig_via_vmm ? t->blobs_len : c->mig_blobs_len - state;
    if (len - state != was_len || memcmp(c->scratch + state, was, was_len) != 0) {
        return sim_inv_fail(c, SIM_INV_BLOB_ROUNDTRIP, 0, "the blobs differ after a migration");
    }
    return 0;
}

int inv_migrate_after(sim_inv *c, sim_target *t, const sim_result *r)
{
    if (r->kind == SIM_R_ERR && c->mig_via_vmm && c->mig_blobs_len != 0 && t->blobs_len == 0) {
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
    if (compare_views(c, t) || compare_deep(c, t)) {
        return 1;
    }
    sdei_vm *vm = sim_target_model(t);
    size_t len = 0;
    if (vm == NULL || c->mig_save_len == 0) {
        c->unobservable += vm == NULL;
        return 0;
    }
    if (snap_save(vm, &c->scratch, &c->scratch_cap, &len) != 0 || len != c->mig_save_len) {
        return sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                            "the restored VM saves a different size");
    }
    if (memcmp(c->scratch, c->mig_save, len) != 0) {
        return sim_inv_fail(c, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                            "save -> restore -> save gives different bytes");
    }
    return 0;
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
