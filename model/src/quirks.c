/* SPDX-License-Identifier: BSD-3-Clause */
/* quirks.c - the quirk table and the quirk set of each profile. */
#include <string.h>

#include "vm_internal.h"

const sdei_quirk_info sdei_quirk_table[SDEI_QUIRK_COUNT] = {
#define SDEI_QUIRK_ROW(id, qname, impl, qrule, qsource)                                            \
    [SDEI_QUIRK_ID_##id] = {.name = qname, .rule = qrule, .source = qsource, .implemented = impl},
    SDEI_QUIRK_LIST(SDEI_QUIRK_ROW)
#undef SDEI_QUIRK_ROW
};

int sdei_quirk_by_name(const char *name)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < (int)SDEI_QUIRK_COUNT; i++) {
        if (strcmp(sdei_quirk_table[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static const char *const profile_names[SDEI_PROFILE_COUNT] = {
    [SDEI_PROFILE_SPEC] = "spec",     [SDEI_PROFILE_KVM_V5] = "kvm-v5",
    [SDEI_PROFILE_ABSENT] = "absent", [SDEI_PROFILE_TFA] = "tfa",
    [SDEI_PROFILE_KVM_V7] = "kvm-v7", [SDEI_PROFILE_KVM_V6] = "kvm-v6",
};

uint64_t sdei_profile_quirks(sdei_profile profile)
{
    /* kvm-v5: every documented deviation of the v5 series (kvm-v5 §10);
     * tfa: those of TF-A's dispatcher (tfa-dispatcher.md). */
    switch (profile) {
    case SDEI_PROFILE_KVM_V5:
        return SDEI_QUIRK_MASK_KVM_V5;
    case SDEI_PROFILE_ABSENT:
        /* a released kernel: no SDEI at all (DESIGN §7) */
        return SDEI_QUIRK_BIT(ABSENT);
    case SDEI_PROFILE_TFA:
        return SDEI_QUIRK_MASK_TFA;
    case SDEI_PROFILE_KVM_V7:
        return SDEI_QUIRK_MASK_KVM_V7;
    case SDEI_PROFILE_KVM_V6:
        return SDEI_QUIRK_MASK_KVM_V6;
    default:
        return 0;
    }
}

const char *sdei_profile_name(sdei_profile profile)
{
    return (unsigned)profile < SDEI_PROFILE_COUNT ? profile_names[profile] : "?";
}

int sdei_profile_by_name(const char *name)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < (int)SDEI_PROFILE_COUNT; i++) {
        if (strcmp(profile_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}
