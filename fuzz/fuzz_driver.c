/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_driver.c - the fuzz VM: one target of the one executor per process
 * (driver/exec.h; the VM is recreated per input, the buffers stay), and the
 * one invariant checker (driver/invariants.h) around every action, in its
 * thorough profile: every event an action can have touched on every vCPU.
 */
#include "fuzz_driver.h"

#include <stdio.h>
#include <string.h>

int fz_full_check_always;

int fz_exposes(const sdei_config *c)
{
    uint64_t q = c->quirks_override ? c->quirks : sdei_profile_quirks(c->profile);
    return (q & (SDEI_QUIRK_BIT(EVENT_TABLE_KVM) | SDEI_QUIRK_BIT(EVENT_TABLE_V6))) == 0;
}

static int expose_all(fz_vm *f)
{
    char err[256];
    if (!fz_exposes(&f->t.cfg)) {
        return 0;
    }
    for (unsigned i = 0; i < FZ_NR_EXPOSED; i++) {
        sim_action a;
        sim_result r;
        fz_expose_action(i, &a);
        if (sim_exec(&f->t, &a, &r, err, sizeof(err)) != 0 || r.kind != SIM_R_OK) {
            return -1;
        }
    }
    return 0;
}

int fz_vm_fresh(fz_vm *f, int expose)
{
    char err[256];
    if (sim_target_reopen(&f->t, err, sizeof(err)) != 0 || (expose && expose_all(f) != 0)) {
        return -1;
    }
    return sim_inv_reset(&f->inv, &f->t);
}

int fz_vm_open(fz_vm *f, const fz_header *h, int deep)
{
    char err[256];
    sdei_config cfg = fz_config(h);
    sim_inv_opts o;
    memset(&o, 0, sizeof(o));
    o.thorough = 1;
    o.full = fz_full_check_always;
    o.deep_migrate = deep || fz_full_check_always;
    if (!f->open) {
        if (sim_target_init(&f->t, &cfg, err, sizeof(err)) != 0 ||
            sim_inv_init(&f->inv, &f->t, &o) != 0) {
            return -1;
        }
        f->open = 1;
    } else {
        f->t.cfg = cfg;
        f->inv.o = o;
        if (sim_target_reopen(&f->t, err, sizeof(err)) != 0) {
            return -1;
        }
    }
    f->ever_bound = 0;
    f->migrations = f->skipped_migrations = 0;
    if (expose_all(f) != 0 || sim_inv_reset(&f->inv, &f->t) != 0) {
        return -1;
    }
    f->quirks = f->inv.quirks;
    return 0;
}

static int failed(fz_vm *f)
{
    (void)sim_inv_message(&f->inv, f->msg, sizeof(f->msg));
    f->inv.failed = 0; /* a robustness-only caller goes on */
    return 1;
}

int fz_step(fz_vm *f, const sim_action *a, sim_result *r)
{
    char err[256];
    sim_action m;
    if (a->kind == SIM_A_MIGRATE && a->via_vmm && f->ever_bound) {
        m = *a;
        m.via_vmm = 0; /* F1: the bindings travel only in the whole-VM save */
        a = &m;
    }
    sim_inv_before(&f->inv, &f->t, a);
    if (sim_exec(&f->t, a, r, err, sizeof(err)) != 0) {
        snprintf(f->msg, sizeof(f->msg), "the executor refuses the action: %s", err);
        return 1;
    }
    if (sim_inv_after(&f->inv, &f->t, a, r)) {
        return failed(f);
    }
    if (a->kind == SIM_A_HVC && r->call == SDEI_CALL_INTERRUPT_BIND && r->kind == SIM_R_RET &&
        (int64_t)r->x[0] >= 0) {
        f->ever_bound = 1;
    }
    if (a->kind == SIM_A_MIGRATE) {
        /* A refused migration (F2) passed the checker: the VM stayed. */
        f->migrations += r->kind == SIM_R_OK;
        f->skipped_migrations += r->kind != SIM_R_OK;
    }
    return 0;
}

int fz_check(fz_vm *f)
{
    return sim_inv_sweep(&f->inv, &f->t) ? failed(f) : 0;
}

void fz_forget(fz_vm *f)
{
    sim_inv_forget(&f->inv, &f->t);
}

const char *fz_text(const sim_action *a, const sim_result *r, char *buf, size_t cap)
{
    char la[SIM_TRACE_LINE_ROOM], lr[SIM_TRACE_LINE_ROOM];
    sim_action shown = *a;
    shown.data = NULL; /* keep the message short */
    shown.data_len = 0;
    size_t n = sim_format_action(la, &shown);
    la[n > 0 ? n - 1 : 0] = '\0';
    lr[0] = '\0';
    if (r != NULL) {
        sim_result rr = *r;
        rr.data = NULL;
        rr.data_len = 0;
        rr.fields &= ~(uint32_t)SIM_F_DATA;
        n = sim_format_result(lr, &rr);
        lr[n > 0 ? n - 1 : 0] = '\0';
    }
    snprintf(buf, cap, "%s%s%s", la, r != NULL ? " -> " : "", lr);
    return buf;
}
