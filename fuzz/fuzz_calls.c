/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: sdei_hypercall, sdei_vcpu_deliver, sdei_vcpu_has_deliverable,
 * sdei_event_trigger, sdei_interrupt_trigger, sdei_vmm_command (INJECT_EVENT, and every
 * GET/SET at a migration record), sdei_vm_save, sdei_vm_restore, sdei_vm_check, the
 * model's views (sdei_vcpu_view_of, sdei_event_state_of, sdei_event_pending_count). */
/*
 * fuzz_calls.c - target 1: call sequences. The input is an 8-byte header and
 * 48-byte records (docs/fuzzing.md); each record is one hypercall, delivery,
 * trigger, VMM injection, register write or migration, applied by the one
 * executor, and the invariant checker runs after every one (fuzz_driver.c).
 */
#include "fuzz_driver.h"
#include "fuzz_engine.h"

FZ_TARGET("calls", 1)

static fz_vm fvm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    fz_header h;
    fz_header_decode(data, size, &h);
    if (fz_vm_open(&fvm, &h, 0) != 0) {
        fz_fail("the fuzz VM could not be built");
    }
    size_t n = fz_rec_count(size);
    for (size_t i = 0; i < n; i++) {
        fz_rec r;
        sim_action a;
        sim_result res;
        fz_rec_decode(data, i, &r);
        fz_decode(&fvm.t.cfg, fvm.quirks, &r, &a);
        if (fz_step(&fvm, &a, &res) != 0) {
            char text[1024];
            fz_fail("record %zu (%s): %s", i, fz_text(&a, &res, text, sizeof(text)), fvm.msg);
        }
    }
    /* Whatever the records left, the whole VM holds every invariant. */
    if (fz_check(&fvm) != 0) {
        fz_fail("after the last record: %s", fvm.msg);
    }
    return 0;
}
