/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: sdei_vm_save, sdei_vm_restore_ex, sdei_vmm_command (every GET and SET
 * command), sdei_hypercall, sdei_vcpu_deliver, sdei_event_trigger, sdei_interrupt_trigger. */
/*
 * fuzz_migrate.c - target 5: migration transparency (DESIGN §4). The records
 * run twice from the same fresh VM: once with every migration record a no-op,
 * once migrating at each of them (the record's low selector bit picks the
 * project's whole-VM save or the kernel's GET/SET blob commands). Every
 * record's result, and at the end every view of the state and every blob,
 * must be the same in both runs.
 */
#include <string.h>

#include "fuzz_driver.h"
#include "fuzz_engine.h"

FZ_TARGET("migrate", 1)

static fz_vm plain, moved;
static fz_result plain_res[FZ_MAX_RECS];

static void run(fz_vm *f, const uint8_t *data, size_t size, int migrate, int compare)
{
    uint64_t quirks = sdei_vm_quirks(f->vm);
    size_t n = fz_rec_count(size);
    for (size_t i = 0; i < n; i++) {
        fz_rec r;
        fz_action a;
        fz_result res;
        char act[256];
        fz_rec_decode(data, i, &r);
        fz_decode(&f->cfg, quirks, &r, &a);
        const char *m = NULL;
        if (a.kind == FZ_MIGRATE && !migrate) {
            memset(&res, 0, sizeof(res));
            res.kind = FZ_R_OK;
        } else {
            m = fz_exec(f, &a, &res);
            if (m == NULL) {
                m = fz_check_after(f, &a, &res);
            }
        }
        if (m != NULL) {
            fz_action_format(act, sizeof(act), &a);
            fz_fail("%s run, record %zu (%s): %s", migrate ? "migrated" : "plain", i, act, m);
        }
        if (!compare) {
            plain_res[i] = res;
        } else if (memcmp(&plain_res[i], &res, sizeof(res)) != 0) {
            char a1[128], a2[128];
            fz_action_format(act, sizeof(act), &a);
            fz_result_format(a1, sizeof(a1), &plain_res[i]);
            fz_result_format(a2, sizeof(a2), &res);
            fz_fail("migration_transparent: record %zu (%s): without migration '%s', with "
                    "%llu migration(s) '%s'",
                    i, act, a1, (unsigned long long)f->migrations, a2);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    fz_header h;
    fz_header_decode(data, size, &h);
    if (fz_vm_init(&plain, &h) != 0 || fz_vm_init(&moved, &h) != 0) {
        fz_fail("the fuzz VM could not be built");
    }
    moved.deep_migrate = 1;
    memset(plain_res, 0, sizeof(plain_res));
    run(&plain, data, size, 0, 0);
    run(&moved, data, size, 1, 1);
    /* The final states agree too: views, registers and every kernel blob
     * (fz_migrate compares all of them between its source and its copy). */
    const char *m = fz_check(&plain);
    if (m == NULL) {
        m = fz_check(&moved);
    }
    if (m != NULL) {
        fz_fail("after the last record: %s", m);
    }
    m = fz_compare_vms(plain.vm, moved.vm);
    if (m != NULL) {
        fz_fail("migration_transparent: final state after %llu migration(s): %s",
                (unsigned long long)moved.migrations, m);
    }
    return 0;
}
