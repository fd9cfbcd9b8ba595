/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: sdei_vm_save, sdei_vm_restore, sdei_vmm_command (every GET and SET
 * command), sdei_hypercall, sdei_vcpu_deliver, sdei_event_trigger, sdei_interrupt_trigger. */
/*
 * fuzz_migrate.c - target 5: migration transparency (DESIGN §4). The records
 * run twice from the same fresh VM: once with every migration record a no-op,
 * once migrating at each of them (the record's low selector bit picks the
 * whole-VM save or the kernel's GET/SET blob commands; the checker compares
 * every view, register, event and blob byte across each migration). Every
 * record's result, and at the end everything a guest and a VMM can observe,
 * must be the same in both runs.
 */
#include <string.h>

#include "fuzz_driver.h"
#include "fuzz_engine.h"

FZ_TARGET("migrate", 1)

static fz_vm plain, moved;
static sim_result plain_res[FZ_MAX_RECS];
static uint8_t *snap[2];
static size_t snap_cap[2];

static void run(fz_vm *f, const uint8_t *data, size_t size, int migrate)
{
    size_t n = fz_rec_count(size);
    for (size_t i = 0; i < n; i++) {
        fz_rec r;
        sim_action a;
        sim_result res;
        char text[1024], want[1024];
        fz_rec_decode(data, i, &r);
        fz_decode(&f->t.cfg, f->quirks, &r, &a);
        if (a.kind == SIM_A_MIGRATE && !migrate) {
            continue;
        }
        if (fz_step(f, &a, &res) != 0) {
            fz_fail("%s run, record %zu (%s): %s", migrate ? "migrated" : "plain", i,
                    fz_text(&a, &res, text, sizeof(text)), f->msg);
        }
        if (!migrate) {
            plain_res[i] = res;
        } else if (a.kind != SIM_A_MIGRATE && sim_result_compare(NULL, &plain_res[i], &res)) {
            fz_fail("migration_keeps_state: record %zu: without migration '%s', with %llu "
                    "migration(s) '%s'",
                    i, fz_text(&a, &plain_res[i], want, sizeof(want)),
                    (unsigned long long)f->migrations, fz_text(&a, &res, text, sizeof(text)));
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    fz_header h;
    fz_header_decode(data, size, &h);
    fz_header_for_migrate(&h);
    if (fz_vm_open(&plain, &h, 0) != 0 || fz_vm_open(&moved, &h, 1) != 0) {
        fz_fail("the fuzz VM could not be built");
    }
    run(&plain, data, size, 0);
    run(&moved, data, size, 1);
    if (fz_check(&plain) != 0) {
        fz_fail("plain run, after the last record: %s", plain.msg);
    }
    if (fz_check(&moved) != 0) {
        fz_fail("migrated run, after the last record: %s", moved.msg);
    }
    /* The final states agree too: views, registers, events and every blob. */
    size_t la = 0, lb = 0;
    if (sim_inv_snapshot(&plain.inv, &plain.t, &snap[0], &snap_cap[0], &la) != 0 ||
        sim_inv_snapshot(&moved.inv, &moved.t, &snap[1], &snap_cap[1], &lb) != 0) {
        fz_fail("the final state could not be read");
    }
    if (la != lb || memcmp(snap[0], snap[1], la) != 0) {
        fz_fail("migration_keeps_state: the final state differs after %llu migration(s)",
                (unsigned long long)moved.migrations);
    }
    return 0;
}
