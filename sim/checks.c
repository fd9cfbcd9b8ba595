/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * checks.c - the simulator's invariants: around a delivery and a completion
 * (restated independently of the model), per vCPU after each step, and the
 * blob round trip and lint every K steps (DESIGN §5).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"
#include "blobfmt.h"
#include "names.h"

/* ---------------------------------------------------------------------------
 * Invariants around a delivery and a completion.
 * ------------------------------------------------------------------------- */
static void on_entered(sim_world *w, uint32_t v, const sdei_vcpu_view *before,
                       const sdei_regs *pre, const sim_result *r);

void sim_deliver(sim_world *w, uint32_t v)
{
    sdei_vcpu_view before;
    sdei_regs pre;
    sim_action a;
    sim_result r;
    sim_vcpu_view(w, v, &before);
    pre = *sdei_vcpu_regs(sim_vm(w), v);
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_DELIVER;
    a.vcpu = v;
    if (sim_act(w, &a, &r) != 0) {
        return;
    }
    if (r.kind == SIM_R_ENTERED) {
        on_entered(w, v, &before, &pre, &r);
    }
}


/* sdei-rules §7.2-§7.3, DESIGN §3.2, restated here independently of the
 * model: x0 = event, x2/x3 = interrupted PC/PSTATE, x4..x30, SP, ELR_EL1 and
 * SPSR_EL1 untouched; PSTATE = EL1h with DAIF set, NZCV/DIT/PAN kept (PAN
 * forced when SCTLR_EL1.SPAN = 0, which a --swarm world may draw). */
static int entry_state_ok(sim_world *w, uint32_t v, const sdei_regs *pre, const sim_result *r)
{
    const sdei_regs *g = sdei_vcpu_regs(sim_vm(w), v);
    const uint64_t keep = SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_PAN;
    uint64_t want_pstate = (pre->pstate & keep) | SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
    if (w->sw.cfg.sctlr_el1_span == 0) {
        want_pstate |= SDEI_PSTATE_PAN;
    }
    const char *what = NULL;
    unsigned reg = 0;
    if (g->x[0] != r->num) {
        what = "x0 is not the event number";
    } else if (g->x[2] != pre->pc || g->x[3] != pre->pstate) {
        what = "x2/x3 are not the interrupted PC/PSTATE";
    } else if (g->pstate != want_pstate) {
        what = "PSTATE is not the exception-entry PSTATE";
    } else if (g->spsr_el1 != pre->spsr_el1 || g->elr_el1 != pre->elr_el1 || g->sp != pre->sp) {
        what = "SPSR_EL1, ELR_EL1 or SP changed";
    } else {
        for (reg = 4; reg < 31; reg++) {
            if (g->x[reg] != pre->x[reg]) {
                what = "a register other than x0..x3 changed";
                break;
            }
        }
    }
    if (what == NULL) {
        return 1;
    }
    sim_fail(w, SIM_INV_HANDLER_ENTRY_STATE, v,
         "entering 0x%" PRIx64 ": %s (x%u 0x%" PRIx64 " -> 0x%" PRIx64 ", pstate 0x%" PRIx64
         " -> 0x%" PRIx64 ", want 0x%" PRIx64 ")",
         r->num, what, reg < 31 ? reg : 0, pre->x[reg < 31 ? reg : 0],
         g->x[reg < 31 ? reg : 0], pre->pstate, g->pstate, want_pstate);
    return 0;
}

static void on_entered(sim_world *w, uint32_t v, const sdei_vcpu_view *before,
                       const sdei_regs *pre, const sim_result *r)
{
    sim_vcpu *c = &w->vc[v];
    int ei = sim_event_index(w, r->num);
    w->s->deliveries++;
    /* sdei-rules §4.5, §7.1: nothing preempts critical; same class never nests. */
    if (before->critical_running) {
        sim_fail(w, SIM_INV_CRITICAL_NEVER_PREEMPTED, v,
             "event 0x%" PRIx64 " delivered while critical 0x%" PRIx64 " runs", r->num,
             before->critical_num);
        return;
    }
    if (before->normal_running && r->prio != SDEI_EVENT_PRIORITY_CRITICAL) {
        sim_fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v,
             "normal event 0x%" PRIx64 " delivered while normal 0x%" PRIx64 " runs", r->num,
             before->normal_num);
        return;
    }
    /* sdei-rules §6.9, §7.1 item 4: nothing is delivered to a masked PE. */
    if (before->masked && sim_inv_on(w, SIM_INV_NO_DELIVERY_WHEN_MASKED)) {
        sim_fail(w, SIM_INV_NO_DELIVERY_WHEN_MASKED, v, "event 0x%" PRIx64 " delivered to a masked vCPU",
             r->num);
        return;
    }
    if (ei < 0) {
        sim_fail(w, SIM_INV_MODEL_SOUND, v, "delivered unknown event 0x%" PRIx64, r->num);
        return;
    }
    /* sdei-rules §5.2 DISPATCH column: E -> RE. */
    if (sim_inv_on(w, SIM_INV_DELIVERED_EVENT_RUNNING_ENABLED)) {
        sdei_event_state st = SDEI_STATE_COUNT; /* "?" if the lookup fails */
        if (sdei_event_state_of(sim_vm(w), r->num, v, &st) != SDEI_OK ||
            st != SDEI_STATE_RUNNING_ENABLED) {
            sim_fail(w, SIM_INV_DELIVERED_EVENT_RUNNING_ENABLED, v,
                 "event 0x%" PRIx64 " after delivery is %s, expected RE", r->num,
                 sim_state_name(st));
            return;
        }
    }
    sim_event *e = &w->ev[ei];
    if (e->type == SDEI_EVENT_TYPE_SHARED) {
        /* sdei-rules §4.3: one instance of a shared event system-wide. */
        if (e->running != 0 && sim_inv_on(w, SIM_INV_SHARED_RUNS_ONCE)) {
            sim_fail(w, SIM_INV_SHARED_RUNS_ONCE, v,
                 "shared event 0x%" PRIx64 " entered while it runs on another vCPU", r->num);
            return;
        }
        w->s->sometimes[SIM_ST_SHARED_DELIVERED]++;
    }
    if (sim_inv_on(w, SIM_INV_HANDLER_ENTRY_STATE) && !entry_state_ok(w, v, pre, r)) {
        return;
    }
    e->running++;
    if (r->preempted) {
        w->s->sometimes[SIM_ST_CRITICAL_PREEMPTS_NORMAL]++;
    }
    if (r->num == 0) {
        w->s->sometimes[SIM_ST_SIGNAL_DELIVERED]++;
    }
    if (e->bindable) {
        w->s->sometimes[SIM_ST_BOUND_IRQ_DELIVERED]++;
    }
    if (c->depth >= 2) {
        sim_fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v, "a third handler entered");
        return;
    }
    sim_frame *f = &c->frame[c->depth++];
    memset(f, 0, sizeof(*f));
    f->num = r->num;
    f->prio = r->prio;
    for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
        f->saved[i] = pre->x[i];
    }
    f->saved[SDEI_SAVED_GPREGS] = pre->pc;
    f->saved[SDEI_SAVED_GPREGS + 1] = pre->pstate;
    f->saved_spsr = pre->spsr_el1;
    f->at_step = w->step;
    w->handlers_running++;
    sim_plan_handler(w, v, f);
}

/* COMPLETE / COMPLETE_AND_RESUME took effect (sdei-rules §8). */
void sim_on_completed(sim_world *w, uint32_t v, const sim_result *r, unsigned call,
                         uint64_t resume)
{
    sim_vcpu *c = &w->vc[v];
    w->s->completions++;
    if (c->depth == 0) {
        sim_fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v, "COMPLETE succeeded with no handler running");
        return;
    }
    sim_frame *f = &c->frame[c->depth - 1];
    if (f->num != r->num || f->prio != r->prio) {
        sim_fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v,
             "COMPLETE finished 0x%" PRIx64 " but the top handler is 0x%" PRIx64, r->num, f->num);
        return;
    }
    sdei_regs *g = sdei_vcpu_regs(sim_vm(w), v);
    /* Under resume_ignored v5 completes instead; --strict-invariants holds
     * even that to the spec. */
    int resumed = call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME &&
                  (w->o->strict_invariants || !(w->quirks & SDEI_QUIRK_BIT(RESUME_IGNORED)));
    for (unsigned i = 0; i < SDEI_SAVED_GPREGS; i++) {
        if (g->x[i] != f->saved[i]) {
            sim_fail(w, SIM_INV_COMPLETE_RESTORES_REGS, v,
                 "after COMPLETE of 0x%" PRIx64 " (delivered at step %" PRIu64 ") x%u = 0x%" PRIx64
                 ", saved 0x%" PRIx64,
                 r->num, f->at_step, i, g->x[i], f->saved[i]);
            return;
        }
    }
    uint64_t spc = f->saved[SDEI_SAVED_GPREGS], sps = f->saved[SDEI_SAVED_GPREGS + 1];
    if (!resumed) {
        if (g->pc != spc || g->pstate != sps) {
            sim_fail(w, SIM_INV_COMPLETE_RESTORES_REGS, v,
                 "after COMPLETE of 0x%" PRIx64 " pc/pstate = 0x%" PRIx64 "/0x%" PRIx64
                 ", saved 0x%" PRIx64 "/0x%" PRIx64,
                 r->num, g->pc, g->pstate, spc, sps);
            return;
        }
    } else {
        /* sdei-rules §8: PC = resume address, ELR/SPSR_EL1 = interrupted PC/PSTATE. */
        if (g->pc != resume || g->elr_el1 != spc || g->spsr_el1 != sps) {
            sim_fail(w, SIM_INV_COMPLETE_RESTORES_REGS, v,
                 "after COMPLETE_AND_RESUME of 0x%" PRIx64 ": pc=0x%" PRIx64 " (want 0x%" PRIx64
                 ") elr=0x%" PRIx64 " (want 0x%" PRIx64 ") spsr=0x%" PRIx64 " (want 0x%" PRIx64
                 ")",
                 r->num, g->pc, resume, g->elr_el1, spc, g->spsr_el1, sps);
            return;
        }
        w->s->sometimes[SIM_ST_COMPLETE_AND_RESUME]++;
    }
    int ei = sim_event_index(w, f->num);
    if (ei >= 0 && w->ev[ei].running > 0) {
        w->ev[ei].running--;
    }
    c->depth--;
    w->handlers_running--;
}

/* Cheap per-step checks on the vCPU that acted. */
void sim_check_vcpu(sim_world *w, uint32_t v, uint64_t touched_num)
{
    sdei_vcpu_view view;
    const sim_vcpu *c = &w->vc[v];
    sim_vcpu_view(w, v, &view);
    int want_normal = 0, want_critical = 0;
    for (unsigned i = 0; i < c->depth; i++) {
        if (c->frame[i].prio == SDEI_EVENT_PRIORITY_CRITICAL) {
            want_critical++;
        } else {
            want_normal++;
        }
    }
    if (want_normal > 1 || want_critical > 1 || view.normal_running != want_normal ||
        view.critical_running != want_critical) {
        sim_fail(w, SIM_INV_ONE_HANDLER_PER_CLASS, v,
             "handlers: model normal=%u critical=%u, guest saw normal=%d critical=%d",
             view.normal_running, view.critical_running, want_normal, want_critical);
        return;
    }
    if (c->depth == 2 && c->frame[0].prio == SDEI_EVENT_PRIORITY_CRITICAL) {
        sim_fail(w, SIM_INV_CRITICAL_NEVER_PREEMPTED, v, "a handler runs on top of a critical one");
        return;
    }
    /* sdei-rules §5.1: UP = running and unregistered. */
    if (touched_num != SDEI_INVALID_EVENT && sim_inv_on(w, SIM_INV_UNREGISTER_PENDING_RUNNING)) {
        int ei = sim_event_index(w, touched_num);
        sdei_event_state st;
        if (ei >= 0 && sdei_event_state_of(sim_vm(w), touched_num, v, &st) == SDEI_OK &&
            st == SDEI_STATE_UNREGISTER_PENDING) {
            int running = w->ev[ei].type == SDEI_EVENT_TYPE_SHARED
                              ? w->ev[ei].running != 0
                              : ((c->depth >= 1 && c->frame[0].num == touched_num) ||
                                 (c->depth == 2 && c->frame[1].num == touched_num));
            if (!running) {
                sim_fail(w, SIM_INV_UNREGISTER_PENDING_RUNNING, v,
                     "event 0x%" PRIx64 " is unregister-pending but not running", touched_num);
            }
        }
    }
}

/* DESIGN §4 blob lint: the state a correct dispatcher reaches never shows an
 * inconsistency a kernel would accept (e.g. an unregister-pending bit with no
 * handler running, which the state view cannot show: it derives UP from
 * "running"). */
static void lint_clean(sim_world *w)
{
    size_t size = 0, written = 0;
    if (!sim_inv_on(w, SIM_INV_BLOB_LINT_CLEAN) || sdei_vm_save_size(sim_vm(w), &size) != SDEI_OK) {
        return;
    }
    uint8_t *buf = malloc(size);
    if (buf == NULL || sdei_vm_save(sim_vm(w), buf, size, &written) != SDEI_OK) {
        free(buf);
        sim_fail(w, SIM_INV_BLOB_LINT_CLEAN, 0, "sdei_vm_save failed");
        return;
    }
    sdei_lint_finding f;
    uint32_t n = sdei_lint_save(buf, written, w->o->vcpus, &f, 1);
    free(buf);
    if (n != 0) {
        sim_fail(w, SIM_INV_BLOB_LINT_CLEAN, 0, "%u lint finding(s), first: %s[%u].%s (@%u): %s", n,
             f.strct, f.entry, f.field, f.offset, f.problem);
    }
}

/* ---------------------------------------------------------------------------
 * Every K steps and at migrations: blob round trip, model self-check.
 * ------------------------------------------------------------------------- */
void sim_check_blobs(sim_world *w)
{
    const char *chk = sdei_vm_check(sim_vm(w));
    w->s->invariant_checks++;
    if (chk != NULL) {
        sim_fail(w, SIM_INV_MODEL_SOUND, 0, "sdei_vm_check: %s", chk);
        return;
    }
    /* sdei_absent: no blobs to read on a kernel without the interface */
    if (!sim_inv_on(w, SIM_INV_BLOB_ROUNDTRIP) ||
        (sdei_vm_quirks(sim_vm(w)) & SDEI_QUIRK_BIT(ABSENT)) != 0) {
        return;
    }
    /* Decode then encode every blob the VMM can read: the identity
     * (DESIGN §4: every byte, padding and hole included, survives). */
    uint8_t enc[SDEI_BLOB_REGISTERED_SIZE];
    static sdei_blob_registered reg; /* 8 KiB: off the stack */
    for (unsigned k = 0; k < SIM_BLOB_COUNT; k++) {
        uint32_t n = 0;
        size_t esz = sim_blob_entry_size(k);
        uint32_t vmax = k <= SIM_BLOB_REGISTERED ? 1 : w->o->vcpus;
        for (uint32_t v = 0; v < vmax; v++) {
            if (sim_fetch_blobs(&w->t, k, v, &n) != 0) {
                sim_fail(w, SIM_INV_BLOB_ROUNDTRIP, v, "VMM GET of %s blobs failed",
                     sim_blob_kind_name(k));
                return;
            }
            for (uint32_t i = 0; i < n; i++) {
                const uint8_t *b = w->t.out + (size_t)i * esz;
                sdei_err e1 = SDEI_OK, e2 = SDEI_OK;
                switch (k) {
                case SIM_BLOB_EXPOSED: {
                    sdei_blob_exposed x;
                    e1 = sdei_blob_exposed_decode(b, esz, &x);
                    e2 = sdei_blob_exposed_encode(&x, enc, esz);
                    break;
                }
                case SIM_BLOB_REGISTERED:
                    e1 = sdei_blob_registered_decode(b, esz, &reg);
                    e2 = sdei_blob_registered_encode(&reg, enc, esz);
                    break;
                case SIM_BLOB_VCPU_EVENT: {
                    sdei_blob_vcpu_event x;
                    e1 = sdei_blob_vcpu_event_decode(b, esz, &x);
                    e2 = sdei_blob_vcpu_event_encode(&x, enc, esz);
                    break;
                }
                default: {
                    sdei_blob_vcpu_state x;
                    e1 = sdei_blob_vcpu_state_decode(b, esz, &x);
                    e2 = sdei_blob_vcpu_state_encode(&x, enc, esz);
                    break;
                }
                }
                if (e1 != SDEI_OK || e2 != SDEI_OK || memcmp(enc, b, esz) != 0) {
                    sim_fail(w, SIM_INV_BLOB_ROUNDTRIP, v,
                         "%s blob %u: decode/encode is not the identity (%s)",
                         sim_blob_kind_name(k), i,
                         e1 != SDEI_OK ? "decode failed"
                                       : e2 != SDEI_OK ? "encode failed" : "bytes differ");
                    if (e1 == SDEI_OK && e2 == SDEI_OK) {
                        sim_blob_diff(w->err, k, b, enc);
                    }
                    return;
                }
            }
        }
    }
    lint_clean(w);
}

