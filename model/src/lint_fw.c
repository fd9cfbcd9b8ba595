/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lint_fw.c - the lint of v7's SDEI firmware registers (sdei_fwreg.h): what
 * v7's KVM_SET_ONE_REG accepts but is inconsistent, or what makes v7's own
 * code misbehave (docs/migration.md "v7 firmware registers"). Bytes only.
 */
#include <string.h>

#include "blob_internal.h"
#include "sdei/sdei_fwreg.h"

#define S_FW "fwreg"
#define NEV SDEI_KVM_V7_NR_EVENTS
#define EV_MASK ((UINT64_C(1) << NEV) - 1u)

typedef struct fw_lint {
    sdei_lint_finding *out;
    uint32_t max;
    uint32_t count;
} fw_lint;

static void add(fw_lint *lc, uint32_t i, uint32_t v, uint32_t offset, size_t at, uint64_t num,
                const char *problem)
{
    if (lc->count < lc->max) {
        sdei_lint_finding *f = &lc->out[lc->count];
        f->strct = S_FW;
        f->field = sdei_fwreg_name(sdei_fwreg_id_at(i));
        f->entry = i;
        f->offset = offset;
        f->problem = problem;
        f->vcpu = v;
        f->num = num;
        f->buf_offset = at;
    }
    lc->count++;
}

/* One vCPU's registers; at[i] = the value's offset in the caller's buffer. */
static void lint_vcpu(fw_lint *lc, uint32_t v, const uint8_t *const val[SDEI_FWREG_COUNT],
                      const size_t at[SDEI_FWREG_COUNT])
{
    uint64_t map[4];
    for (uint32_t k = 0; k < 4u; k++) {
        map[k] = sdei_get_le64(val[4 + k]);
        if ((map[k] & ~EV_MASK) != 0) {
            add(lc, 4 + k, v, 0, at[4 + k], 0,
                "bits for events v7 does not have (its SET masks them off: sdei.c:616)");
        }
        map[k] &= EV_MASK;
    }
    uint64_t reg = map[0], en = map[1], run = map[2], pend = map[3];
    for (uint32_t i = 2; i < 4u; i++) {
        for (uint32_t b = 0; b < 16u; b++) {
            if (val[i][b] != 0) {
                add(lc, i, v, b, at[i] + b, i,
                    "handler of an event v7 does not have (its SET ignores it: sdei.c:594)");
                break;
            }
        }
    }
    if ((run & (run - 1u)) != 0) {
        add(lc, 6, v, 0, at[6], 0, "two events running on one vCPU (all are normal priority)");
    }
    for (uint64_t n = 0; n < NEV; n++) {
        uint64_t bit = UINT64_C(1) << n;
        if ((en & bit) && !(reg & bit)) {
            add(lc, 5, v, 0, at[5], n,
                "enabled without registered: v7 enters the handler of a pending event "
                "nobody registered (sdei.c:451)");
        }
        if ((pend & bit) && !(reg & bit) && !(run & bit)) {
            add(lc, 7, v, 0, at[7], n,
                "pending on an unregistered event (quirk unregister_keeps_pending): "
                "delivered after a new REGISTER and ENABLE");
        }
    }
    uint64_t lowest = pend & (~pend + 1u);
    if (lowest != 0 && (en & lowest) == 0 && run == 0) {
        add(lc, 7, v, 0, at[7], (uint64_t)__builtin_ctzll(lowest),
            "the lowest pending event is not enabled: the next delivery request spins in "
            "v7's selection loop for ever (sdei.c:449-453, docs/kernel-findings.md)");
    }
    for (uint32_t b = SDEI_FWREG_CONTEXT_USED; b < SDEI_FWREG_MAX_SIZE; b++) {
        if (val[8][b] != 0) {
            add(lc, 8, v, b, at[8] + b, 0, "bytes past the 20 words v7 reads and writes");
            break;
        }
    }
    if (sdei_get_le64(val[9]) > 1u) {
        add(lc, 9, v, 0, at[9], 0, "not 0 or 1 (any non-zero masks; a GET reads 1)");
    }
}

uint32_t sdei_lint_fwregs(uint32_t nr_vcpus, const sdei_fwreg_vcpu *vcpus,
                          sdei_lint_finding *findings, uint32_t max)
{
    fw_lint lc = {findings, findings != NULL ? max : 0, 0};
    size_t at[SDEI_FWREG_COUNT];
    memset(at, 0, sizeof(at));
    for (uint32_t v = 0; vcpus != NULL && v < nr_vcpus; v++) {
        int ok = 1;
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            ok &= vcpus[v].value[i] != NULL;
        }
        if (ok) {
            lint_vcpu(&lc, v, vcpus[v].value, at);
        }
    }
    return lc.count;
}

uint32_t sdei_lint_fw_save(const uint8_t *buf, const sdei_save_map *m, uint32_t nr_vcpus,
                           sdei_lint_finding *findings, uint32_t max)
{
    fw_lint lc = {findings, findings != NULL ? max : 0, 0};
    for (uint32_t v = 0; v < m->nr_vcpus && v < nr_vcpus; v++) {
        const uint8_t *val[SDEI_FWREG_COUNT];
        size_t at[SDEI_FWREG_COUNT];
        size_t p = m->vcpu_off[v];
        for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
            at[i] = p + 8u;
            val[i] = buf + at[i];
            p += 8u + sdei_fwreg_size(sdei_fwreg_id_at(i));
        }
        lint_vcpu(&lc, v, val, at);
    }
    return lc.count;
}
