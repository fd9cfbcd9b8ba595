/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: sdei_hypercall, sdei_vcpu_deliver, sdei_event_trigger,
 * sdei_interrupt_trigger, sdei_vmm_command (INJECT_EVENT), sdei_event_state_of,
 * sdei_event_pending_count, sdei_vcpu_get_regs, against diff_interp.c (di_step). */
/*
 * fuzz_diff.c - target 2: differential. The same record sequence runs through
 * the model and through diff_interp.c, a second interpreter written from the
 * rules and the public state table only; results, event states, pending
 * latches and the register file are compared after every record. The spec
 * profile only (the header's profile byte is ignored): the interpreter knows
 * no quirks. Records the interpreter does not model are applied to neither
 * side (diff_interp.h lists them).
 */
#include <stdio.h>
#include <string.h>

#include "diff_interp.h"
#include "fuzz_driver.h"
#include "fuzz_engine.h"

FZ_TARGET("diff", 1)

static fz_vm fvm;
static di_state ref;

static int same_result(const sim_result *m, const sim_result *r)
{
    if (m->kind != r->kind) {
        return 0;
    }
    switch (m->kind) {
    case SIM_R_RET:
    case SIM_R_NOTSDEI:
        return m->x[0] == r->x[0];
    case SIM_R_COMPLETED:
        return m->num == r->num && m->prio == r->prio;
    case SIM_R_ENTERED:
        return m->num == r->num && m->prio == r->prio && m->preempted == r->preempted;
    case SIM_R_VMM:
        return m->ret == r->ret;
    case SIM_R_ERR:
        return m->err == r->err;
    default:
        return 1;
    }
}

static int listed(uint64_t num, const uint64_t *nums, int k)
{
    if (k < 0) {
        return 1;
    }
    for (int i = 0; i < k; i++) {
        if (nums[i] == num) {
            return 1;
        }
    }
    return 0;
}

/* Event states and pending latches of the listed events (k < 0: all), and
 * the acting vCPU's registers. */
static const char *compare_state(uint32_t vcpu, const uint64_t *nums, int k, char *buf, size_t cap)
{
    for (uint32_t e = 0; e < ref.nr_events; e++) {
        if (!listed(ref.ev[e].num, nums, k)) {
            continue;
        }
        for (uint32_t v = 0; v < ref.nr_vcpus; v++) {
            sdei_event_state st;
            uint32_t pend = 0;
            uint64_t num = ref.ev[e].num;
            if (sdei_event_state_of(fz_model(&fvm), num, v, &st) != SDEI_OK ||
                sdei_event_pending_count(fz_model(&fvm), num, v, &pend) != SDEI_OK) {
                return "the model does not know an exposed event";
            }
            if ((uint8_t)st != di_event_state(&ref, e, v) || pend != di_pending(&ref, e, v)) {
                snprintf(buf, cap,
                         "event 0x%llx on vCPU %u: model state %s pending %u, interpreter "
                         "state %s pending %u",
                         (unsigned long long)num, v, sdei_state_name(st), pend,
                         sdei_state_name((sdei_event_state)di_event_state(&ref, e, v)),
                         di_pending(&ref, e, v));
                return buf;
            }
        }
    }
    sdei_regs g;
    if (sdei_vcpu_get_regs(fz_model(&fvm), vcpu, &g) != SDEI_OK) {
        return "sdei_vcpu_get_regs failed";
    }
    const sdei_regs *w = &ref.vcpu[vcpu].regs;
    /* One memcmp for the usual case, the loop only to name the register
     * (a compare per register was 5 % of an input). */
    if (memcmp(g.x, w->x, sizeof(g.x)) != 0) {
        unsigned i = 0;
        while (g.x[i] == w->x[i]) {
            i++; /* stops below 31: the two differ */
        }
        snprintf(buf, cap, "vCPU %u x%u: model 0x%llx, interpreter 0x%llx", vcpu, i,
                 (unsigned long long)g.x[i], (unsigned long long)w->x[i]);
        return buf;
    }
    if (g.pc != w->pc || g.pstate != w->pstate || g.elr_el1 != w->elr_el1 ||
        g.spsr_el1 != w->spsr_el1) {
        snprintf(buf, cap,
                 "vCPU %u pc/pstate/elr/spsr: model 0x%llx/0x%llx/0x%llx/0x%llx, interpreter "
                 "0x%llx/0x%llx/0x%llx/0x%llx",
                 vcpu, (unsigned long long)g.pc, (unsigned long long)g.pstate,
                 (unsigned long long)g.elr_el1, (unsigned long long)g.spsr_el1,
                 (unsigned long long)w->pc, (unsigned long long)w->pstate,
                 (unsigned long long)w->elr_el1, (unsigned long long)w->spsr_el1);
        return buf;
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    fz_header h;
    fz_header_decode(data, size, &h);
    h.profile = SDEI_PROFILE_SPEC;
    if (fz_vm_open(&fvm, &h, 0) != 0) {
        fz_fail("the fuzz VM could not be built");
    }
    di_init(&ref, &fvm.t.cfg);
    size_t n = fz_rec_count(size);
    for (size_t i = 0; i < n; i++) {
        fz_rec r;
        sim_action a;
        sim_result want, got;
        char buf[512], text[1024];
        fz_rec_decode(data, i, &r);
        fz_decode(&fvm.t.cfg, 0, &r, &a);
        if (di_step(&ref, &a, &want) == DI_SKIP) {
            continue;
        }
        if (fz_step(&fvm, &a, &got) != 0) {
            fz_fail("record %zu (%s): invariant: %s", i, fz_text(&a, &got, text, sizeof(text)),
                    fvm.msg);
        }
        if (!same_result(&got, &want)) {
            char ws[1024];
            fz_fail("record %zu: divergence: model '%s', interpreter '%s'", i,
                    fz_text(&a, &got, text, sizeof(text)), fz_text(&a, &want, ws, sizeof(ws)));
        }
        uint64_t nums[8];
        int k = fz_full_check_always ? -1 : sim_inv_touched(&fvm.inv, &a, &got, nums);
        const char *m = compare_state(a.vcpu, nums, k, buf, sizeof(buf));
        if (m != NULL) {
            fz_fail("record %zu (%s): divergence: %s", i, fz_text(&a, NULL, text, sizeof(text)), m);
        }
    }
    char buf[512];
    const char *m = compare_state(0, NULL, -1, buf, sizeof(buf));
    if (m != NULL) {
        fz_fail("after the last record: divergence: %s", m);
    }
    return 0;
}
