/*
 * test_config.c - configuration and init: every bad field gets its own
 * sdei_err and sdei_strerror names the field; init leaves memory untouched
 * on error; memory size; the library's own error codes for API misuse.
 */
#include <inttypes.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

typedef struct bad_cfg {
    const char *what;
    void (*apply)(sdei_config *cfg);
    sdei_err want;
    const char *field; /* sdei_strerror(want) must mention it */
} bad_cfg;

static const uint64_t dup_exact[3] = {0x80000000, 0x80000001, 0x80000001};
static const uint64_t dup_non_aff_bits[2] = {UINT64_C(0x0000000102), UINT64_C(0xC1000102)};
static const uint64_t dup_aff3[3] = {UINT64_C(0x0300000000), 1, UINT64_C(0xFF0300000000)};

static void nr_vcpus_0(sdei_config *c)
{
    c->nr_vcpus = 0;
}

static void nr_vcpus_513(sdei_config *c)
{
    c->nr_vcpus = 513;
}

static void nr_vcpus_max(sdei_config *c)
{
    c->nr_vcpus = UINT32_MAX;
}

static void mpidr_dup(sdei_config *c)
{
    c->nr_vcpus = 3;
    c->mpidr = dup_exact;
}

static void mpidr_dup_bits(sdei_config *c)
{
    c->nr_vcpus = 2;
    c->mpidr = dup_non_aff_bits;
}

static void mpidr_dup_aff3(sdei_config *c)
{
    c->nr_vcpus = 3;
    c->mpidr = dup_aff3;
}

static void max_events_129(sdei_config *c)
{
    c->max_events = 129;
}

static void max_events_huge(sdei_config *c)
{
    c->max_events = UINT32_MAX;
}

static void slots_over(sdei_config *c)
{
    c->max_events = 3;
    c->private_bind_slots = 2;
    c->shared_bind_slots = 2;
}

static void slots_over_default(sdei_config *c)
{
    c->private_bind_slots = 100;
    c->shared_bind_slots = 29;
}

static void slots_u16(sdei_config *c)
{
    c->private_bind_slots = UINT16_MAX;
    c->shared_bind_slots = UINT16_MAX;
}

static void profile_unknown(sdei_config *c)
{
    c->profile = SDEI_PROFILE_COUNT;
}

static void profile_neg(sdei_config *c)
{
    c->profile = (sdei_profile)-1;
}

static void quirks_unknown(sdei_config *c)
{
    c->quirks_override = 1;
    c->quirks = UINT64_C(1) << SDEI_QUIRK_COUNT;
}

static void quirks_all_bits(sdei_config *c)
{
    c->quirks_override = 1;
    c->quirks = UINT64_MAX;
}

static void quirks_override_2(sdei_config *c)
{
    c->quirks_override = 2; /* a flag: 2 is not "true" */
}

static void quirks_override_255(sdei_config *c)
{
    c->quirks_override = 255;
    c->quirks = 0; /* even with a valid quirk set */
}

static void span_2(sdei_config *c)
{
    c->sctlr_el1_span = 2; /* SCTLR_EL1.SPAN is one bit */
}

static void span_255(sdei_config *c)
{
    c->sctlr_el1_span = 255;
}

static const bad_cfg bad_cfgs[] = {
    {"nr_vcpus 0", nr_vcpus_0, SDEI_E_CFG_NR_VCPUS, "nr_vcpus"},
    {"nr_vcpus 513", nr_vcpus_513, SDEI_E_CFG_NR_VCPUS, "nr_vcpus"},
    {"nr_vcpus 2^32-1", nr_vcpus_max, SDEI_E_CFG_NR_VCPUS, "nr_vcpus"},
    {"two vCPUs with one MPIDR", mpidr_dup, SDEI_E_CFG_MPIDR, "mpidr"},
    {"MPIDRs differing only outside the affinity fields", mpidr_dup_bits, SDEI_E_CFG_MPIDR,
     "mpidr"},
    {"MPIDRs differing only above Aff3", mpidr_dup_aff3, SDEI_E_CFG_MPIDR, "mpidr"},
    {"max_events 129", max_events_129, SDEI_E_CFG_MAX_EVENTS, "max_events"},
    {"max_events 2^32-1", max_events_huge, SDEI_E_CFG_MAX_EVENTS, "max_events"},
    {"2+2 bind slots in 3 events", slots_over, SDEI_E_CFG_BIND_SLOTS, "bind_slots"},
    {"129 bind slots in 128 events", slots_over_default, SDEI_E_CFG_BIND_SLOTS, "bind_slots"},
    {"65535+65535 bind slots", slots_u16, SDEI_E_CFG_BIND_SLOTS, "bind_slots"},
    {"profile COUNT", profile_unknown, SDEI_E_CFG_PROFILE, "profile"},
    {"profile -1", profile_neg, SDEI_E_CFG_PROFILE, "profile"},
    {"quirk bit past the last quirk", quirks_unknown, SDEI_E_CFG_QUIRKS, "quirks"},
    {"every quirk bit", quirks_all_bits, SDEI_E_CFG_QUIRKS, "quirks"},
    {"quirks_override 2", quirks_override_2, SDEI_E_CFG_QUIRKS, "quirks_override"},
    {"quirks_override 255", quirks_override_255, SDEI_E_CFG_QUIRKS, "quirks_override"},
    {"sctlr_el1_span 2", span_2, SDEI_E_CFG_SPAN, "sctlr_el1_span"},
    {"sctlr_el1_span 255", span_255, SDEI_E_CFG_SPAN, "sctlr_el1_span"},
};

START_TEST(test_every_bad_config_field_gets_its_own_error_naming_the_field)
{
    static alignas(8) uint8_t mem[1 << 20];
    for (size_t i = 0; i < sizeof(bad_cfgs) / sizeof(bad_cfgs[0]); i++) {
        const bad_cfg *b = &bad_cfgs[i];
        sdei_config cfg = sdei_config_default(2);
        b->apply(&cfg);
        size_t size = 12345;
        ck_assert_msg(sdei_vm_mem_size(&cfg, &size) == b->want, "%s: mem_size", b->what);
        ck_assert_uint_eq(size, 12345);
        sdei_vm *vm = (sdei_vm *)(uintptr_t)1;
        ck_assert_msg(sdei_vm_new(&cfg, &vm) == b->want, "%s: vm_new", b->what);
        ck_assert_ptr_null(vm);
        /* init validates first and leaves the memory untouched */
        memset(mem, 0xA5, sizeof(mem));
        vm = (sdei_vm *)(uintptr_t)1;
        sdei_err err = sdei_vm_init(mem, sizeof(mem), &cfg, &vm);
        ck_assert_msg(err == b->want, "%s: vm_init = %d, want %d", b->what, err, b->want);
        ck_assert_ptr_null(vm);
        /* one assertion per buffer: Check records every assertion it runs */
        size_t k = t_first_byte_not(mem, sizeof(mem), 0xA5);
        ck_assert_msg(k == sizeof(mem), "%s: byte %zu written", b->what, k);
        const char *msg = sdei_strerror(err);
        ck_assert_msg(strstr(msg, b->field) != NULL, "%s: strerror \"%s\" does not name %s",
                      b->what, msg, b->field);
    }
}
END_TEST

START_TEST(test_boundary_configs_are_accepted)
{
    static const uint64_t distinct[2] = {0, UINT64_C(0xFF00000000)};
    sdei_config cfgs[9];
    for (int i = 0; i < 9; i++) {
        cfgs[i] = sdei_config_default(1);
    }
    cfgs[0].nr_vcpus = 512;
    cfgs[1].max_events = 1;
    cfgs[1].private_bind_slots = 0;
    cfgs[1].shared_bind_slots = 1;
    cfgs[2].max_events = 0; /* 0 = 128 */
    cfgs[2].private_bind_slots = 64;
    cfgs[2].shared_bind_slots = 64;
    cfgs[3].nr_vcpus = 2;
    cfgs[3].mpidr = distinct;
    cfgs[4].quirks_override = 1;
    cfgs[4].quirks = SDEI_QUIRK_MASK_ALL;
    cfgs[5].profile = SDEI_PROFILE_KVM_V5;
    /* SPAN 0 (1 is the default); override 1 to no quirk at all; override 0 with
     * cfg.quirks ignored */
    cfgs[6].sctlr_el1_span = 0;
    cfgs[7].quirks_override = 1;
    cfgs[7].profile = SDEI_PROFILE_KVM_V5;
    cfgs[7].quirks = 0;
    cfgs[8].quirks_override = 0;
    cfgs[8].quirks = UINT64_MAX;
    for (int i = 0; i < 9; i++) {
        sdei_vm *vm = NULL;
        sdei_err err = sdei_vm_new(&cfgs[i], &vm);
        ck_assert_msg(err == SDEI_OK, "config %d: %s", i, sdei_strerror(err));
        ck_assert_ptr_nonnull(vm);
        ck_assert_ptr_nonnull(sdei_vm_check(vm) == NULL ? vm : NULL);
        sdei_vm_free(vm);
    }
}
END_TEST

START_TEST(test_quirks_override_and_span_take_0_or_1_and_the_vm_keeps_them)
{
    static const struct {
        sdei_profile profile;
        uint8_t override;
        uint64_t quirks;
        uint8_t span;
        uint64_t want_quirks;
    } cases[] = {
        {SDEI_PROFILE_KVM_V5, 0, 0, 0, SDEI_QUIRK_MASK_KVM_V5}, /* the profile's set */
        {SDEI_PROFILE_KVM_V5, 1, 0, 1, 0},                      /* overridden to none */
        {SDEI_PROFILE_SPEC, 1, SDEI_QUIRK_BIT(NO_BIND), 0, SDEI_QUIRK_BIT(NO_BIND)},
        {SDEI_PROFILE_SPEC, 0, UINT64_MAX, 1, 0}, /* cfg.quirks unused without override */
    };
    uint64_t got_quirks[4];
    uint8_t got_span[4];
    for (size_t i = 0; i < 4; i++) {
        sdei_config cfg = sdei_config_default(1);
        cfg.profile = cases[i].profile;
        cfg.quirks_override = cases[i].override;
        cfg.quirks = cases[i].quirks;
        cfg.sctlr_el1_span = cases[i].span;
        sdei_vm *vm = t_vm_cfg(&cfg);
        got_quirks[i] = sdei_vm_quirks(vm);
        got_span[i] = sdei_vm_config(vm)->sctlr_el1_span;
        sdei_vm_free(vm);
    }
    for (size_t i = 0; i < 4; i++) {
        ck_assert_msg(got_quirks[i] == cases[i].want_quirks && got_span[i] == cases[i].span,
                      "case %zu: quirks 0x%" PRIx64 " span %u, want 0x%" PRIx64 " span %u", i,
                      got_quirks[i], got_span[i], cases[i].want_quirks, cases[i].span);
    }
}
END_TEST

START_TEST(test_vm_init_checks_pointers_alignment_and_size)
{
    sdei_config cfg = sdei_config_default(4);
    size_t size = 0;
    ck_assert_int_eq(sdei_vm_mem_size(&cfg, &size), SDEI_OK);
    ck_assert_uint_gt(size, 0);
    ck_assert_uint_eq(size % 8, 0);
    uint64_t *buf = malloc(size + 16);
    ck_assert_ptr_nonnull(buf);
    sdei_vm *vm = (sdei_vm *)(uintptr_t)1;
    ck_assert_int_eq(sdei_vm_init(NULL, size, &cfg, &vm), SDEI_E_NULL);
    ck_assert_ptr_null(vm);
    ck_assert_int_eq(sdei_vm_init(buf, size, NULL, &vm), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_init(buf, size, &cfg, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_mem_size(NULL, &size), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_mem_size(&cfg, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_new(NULL, &vm), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_new(&cfg, NULL), SDEI_E_NULL);
    /* misaligned */
    memset(buf, 0x5A, size + 16);
    vm = (sdei_vm *)(uintptr_t)1;
    ck_assert_int_eq(sdei_vm_init((uint8_t *)buf + 4, size, &cfg, &vm), SDEI_E_ALIGN);
    ck_assert_ptr_null(vm);
    /* one byte short */
    ck_assert_int_eq(sdei_vm_init(buf, size - 1, &cfg, &vm), SDEI_E_MEM_SIZE);
    ck_assert_int_eq(sdei_vm_init(buf, 0, &cfg, &vm), SDEI_E_MEM_SIZE);
    const uint8_t *bytes = (const uint8_t *)buf;
    size_t first = t_first_byte_not(bytes, size + 16, 0x5A);
    ck_assert_msg(first == size + 16, "byte %zu written by a failed init", first);
    ck_assert_ptr_nonnull(strstr(sdei_strerror(SDEI_E_MEM_SIZE), "sdei_vm_mem_size"));
    ck_assert_ptr_nonnull(strstr(sdei_strerror(SDEI_E_ALIGN), "aligned"));
    /* exactly enough: works, and uses nothing past the end */
    ck_assert_int_eq(sdei_vm_init(buf, size, &cfg, &vm), SDEI_OK);
    ck_assert_ptr_eq(vm, (sdei_vm *)buf);
    t_unmask(vm, 3);
    t_check_vm(vm);
    ck_assert_uint_eq(t_first_byte_not(bytes + size, 16, 0x5A), 16);
    sdei_vm_free(vm); /* not owned: a no-op */
    free(buf);
}
END_TEST

START_TEST(test_memory_size_grows_with_vcpus_and_events)
{
    size_t prev = 0;
    for (uint32_t n = 1; n <= 512; n *= 2) {
        sdei_config cfg = sdei_config_default(n);
        size_t size;
        ck_assert_int_eq(sdei_vm_mem_size(&cfg, &size), SDEI_OK);
        ck_assert_msg(size > prev, "%u vCPUs: %zu bytes, not more than %zu", n, size, prev);
        prev = size;
    }
    prev = 0;
    for (uint32_t e = 4; e <= 128; e *= 2) {
        sdei_config cfg = sdei_config_default(4);
        cfg.max_events = e;
        size_t size;
        ck_assert_int_eq(sdei_vm_mem_size(&cfg, &size), SDEI_OK);
        ck_assert_msg(size > prev, "%u events: %zu bytes, not more than %zu", e, size, prev);
        prev = size;
    }
}
END_TEST

START_TEST(test_strerror_names_every_error_and_rejects_unknown_codes)
{
    for (int e = 0; e < (int)SDEI_ERR_COUNT; e++) {
        const char *m = sdei_strerror(e);
        ck_assert_ptr_nonnull(m);
        ck_assert_msg(strlen(m) > 1, "error %d has no text", e);
        ck_assert_msg(strcmp(m, "unknown error") != 0, "error %d unnamed", e);
    }
    ck_assert_str_eq(sdei_strerror(-1), "unknown error");
    ck_assert_str_eq(sdei_strerror(SDEI_ERR_COUNT), "unknown error");
    ck_assert_str_eq(sdei_strerror(1 << 30), "unknown error");
}
END_TEST

START_TEST(test_default_config_and_mpidr_layout)
{
    sdei_config cfg = sdei_config_default(7);
    ck_assert_uint_eq(cfg.nr_vcpus, 7);
    ck_assert_uint_eq(cfg.max_events, SDEI_MAX_EVENTS);
    ck_assert_int_eq(cfg.profile, SDEI_PROFILE_SPEC);
    ck_assert_uint_eq(cfg.sctlr_el1_span, 1);
    ck_assert_uint_eq(cfg.private_bind_slots, 2);
    ck_assert_uint_eq(cfg.shared_bind_slots, 2);
    ck_assert_ptr_null(cfg.mpidr);
    /* KVM's reset_mpidr: Aff0 = i & 0xf, Aff1 = (i >> 4) & 0xff, Aff2 = (i >> 12) & 0xff */
    ck_assert_uint_eq(sdei_default_mpidr(0), UINT64_C(0x80000000));
    ck_assert_uint_eq(sdei_default_mpidr(0x1FF), UINT64_C(0x80001F0F));
    ck_assert_uint_eq(sdei_default_mpidr(0x1234), UINT64_C(0x80012304));
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 300);
    for (uint32_t v = 0; v < 300; v++) {
        ck_assert_uint_eq(sdei_vcpu_mpidr(vm, v), sdei_default_mpidr(v));
        ck_assert_int_eq(sdei_vcpu_by_mpidr(vm, sdei_default_mpidr(v)), (int32_t)v);
    }
    ck_assert_int_eq(sdei_vcpu_by_mpidr(vm, 0x8000FFFF), -1);
    ck_assert_uint_eq(sdei_vm_nr_vcpus(vm), 300);
    ck_assert_uint_eq(sdei_vm_quirks(vm), 0);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_configured_mpidrs_are_copied_into_the_vm)
{
    uint64_t mpidr[3] = {0x100, 0x200, 0x300};
    sdei_config cfg = sdei_config_default(3);
    cfg.mpidr = mpidr;
    sdei_vm *vm = t_vm_cfg(&cfg);
    mpidr[1] = 0x999; /* the caller's array may go away */
    ck_assert_uint_eq(sdei_vcpu_mpidr(vm, 1), 0x200);
    ck_assert_int_eq(sdei_vcpu_by_mpidr(vm, 0x200), 1);
    ck_assert_int_eq(sdei_vcpu_by_mpidr(vm, 0x999), -1);
    const sdei_config *got = sdei_vm_config(vm);
    ck_assert_ptr_ne(got->mpidr, mpidr);
    ck_assert_uint_eq(got->mpidr[2], 0x300);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_profiles_and_quirk_names)
{
    ck_assert_int_eq(sdei_profile_by_name("spec"), SDEI_PROFILE_SPEC);
    ck_assert_int_eq(sdei_profile_by_name("kvm-v5"), SDEI_PROFILE_KVM_V5);
    ck_assert_int_eq(sdei_profile_by_name("tfa"), SDEI_PROFILE_TFA);
    ck_assert_int_eq(sdei_profile_by_name("tf-a"), -1);
    ck_assert_str_eq(sdei_profile_name(SDEI_PROFILE_TFA), "tfa");
    ck_assert_uint_eq(sdei_profile_quirks(SDEI_PROFILE_TFA), SDEI_QUIRK_MASK_TFA);
    ck_assert_uint_eq(SDEI_QUIRK_MASK_TFA & SDEI_QUIRK_MASK_KVM_V5, 0);
    ck_assert_int_eq(sdei_profile_by_name(NULL), -1);
    ck_assert_str_eq(sdei_profile_name(SDEI_PROFILE_KVM_V5), "kvm-v5");
    ck_assert_uint_eq(sdei_profile_quirks(SDEI_PROFILE_SPEC), 0);
    ck_assert_uint_eq(sdei_profile_quirks(SDEI_PROFILE_KVM_V5), SDEI_QUIRK_MASK_KVM_V5);
    ck_assert_uint_eq(sdei_profile_quirks(SDEI_PROFILE_KVM_V5) & SDEI_QUIRK_BIT(ABSENT), 0);
    ck_assert_int_eq(sdei_profile_by_name("absent"), SDEI_PROFILE_ABSENT);
    ck_assert_str_eq(sdei_profile_name(SDEI_PROFILE_ABSENT), "absent");
    ck_assert_uint_eq(sdei_profile_quirks(SDEI_PROFILE_ABSENT), SDEI_QUIRK_BIT(ABSENT));
    for (int q = 0; q < (int)SDEI_QUIRK_COUNT; q++) {
        ck_assert_int_eq(sdei_quirk_by_name(sdei_quirk_table[q].name), q);
        ck_assert_int_eq(sdei_quirk_table[q].implemented, 1);
        ck_assert_ptr_nonnull(sdei_quirk_table[q].rule);
        ck_assert_ptr_nonnull(sdei_quirk_table[q].source);
    }
    ck_assert_int_eq(sdei_quirk_by_name("no_such_quirk"), -1);
    /* quirks_override = 0 ignores cfg.quirks */
    sdei_config cfg = sdei_config_default(1);
    cfg.quirks = UINT64_MAX;
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    ck_assert_uint_eq(sdei_vm_quirks(vm), 0);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_expose_event_rejects_bad_events_and_a_full_table)
{
    sdei_config cfg = sdei_config_default(1);
    cfg.max_events = 6; /* 4 bind slots + 2 */
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    static const sdei_event_desc bad[] = {
        {UINT64_C(0x80400001), 0, 0, 0},         /* bit 31 */
        {UINT64_C(0x100400001), 0, 0, 0},        /* bits 63:32 */
        {UINT64_C(0x000001), 0, 0, 0},           /* bits 23:22 = 00 */
        {UINT64_C(0xC00001), 0, 0, 0},           /* bits 23:22 = 11 */
        {UINT64_C(0x400005), 2, 0, 0},           /* type */
        {UINT64_C(0x400005), 0, 2, 0},           /* priority */
        {0, SDEI_EVENT_TYPE_SHARED, 0, 1},       /* event 0 is private */
        {0, 0, SDEI_EVENT_PRIORITY_CRITICAL, 1}, /* and normal */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(sdei_vm_expose_event(vm, &bad[i]) == SDEI_E_EVENT, "bad[%zu] 0x%" PRIx64, i,
                      bad[i].num);
    }
    sdei_event_desc p = {T_EVP, 0, 0, 0};
    ck_assert_int_eq(sdei_vm_expose_event(vm, &p), SDEI_OK);
    ck_assert_int_eq(sdei_vm_expose_event(vm, &p), SDEI_OK); /* same attributes: no-op */
    sdei_event_desc p2 = {T_EVP, 0, 1, 0};
    ck_assert_int_eq(sdei_vm_expose_event(vm, &p2), SDEI_E_EVENT); /* other attributes */
    sdei_event_desc s = {T_EVS, 1, 0, 0};
    ck_assert_int_eq(sdei_vm_expose_event(vm, &s), SDEI_OK);
    sdei_event_desc full = {T_EVC, 0, 1, 0};
    ck_assert_int_eq(sdei_vm_expose_event(vm, &full), SDEI_E_RANGE);
    ck_assert_uint_eq(sdei_vm_event_count(vm), 6);
    ck_assert_int_eq(sdei_vm_expose_event(NULL, &p), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_expose_event(vm, NULL), SDEI_E_NULL);
    sdei_event_desc d;
    ck_assert_int_eq(sdei_vm_event_at(vm, 6, &d), SDEI_E_RANGE);
    ck_assert_int_eq(sdei_vm_event_at(vm, 5, &d), SDEI_OK);
    ck_assert_uint_eq(d.num, T_EVS);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_api_misuse_returns_library_errors)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    sdei_regs regs;
    memset(&regs, 0, sizeof(regs));
    sdei_event_state st;
    uint32_t n;
    sdei_vcpu_view w;
    sdei_delivery d;
    sdei_trigger_result tr;
    ck_assert_int_eq(sdei_hypercall(NULL, 0, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_hypercall(vm, 2, NULL), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_hypercall(vm, UINT32_MAX, NULL), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_deliver(NULL, 0, &d), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vcpu_deliver(vm, 2, &d), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_has_deliverable(NULL, 0), 0);
    ck_assert_int_eq(sdei_vcpu_has_deliverable(vm, 2), 0);
    ck_assert_int_eq(sdei_vcpu_get_regs(vm, 2, &regs), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_get_regs(vm, 0, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vcpu_set_regs(vm, 2, &regs), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_set_regs(NULL, 0, &regs), SDEI_E_NULL);
    ck_assert_ptr_null(sdei_vcpu_regs(vm, 2));
    ck_assert_ptr_null(sdei_vcpu_regs(NULL, 0));
    ck_assert_int_eq(sdei_event_state_of(vm, T_EVP, 2, &st), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_event_state_of(vm, T_EV_UNEXPOSED, 0, &st), SDEI_E_EVENT);
    ck_assert_int_eq(sdei_event_state_of(vm, T_EVP, 0, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_event_pending_count(vm, T_EVP, 2, &n), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_event_pending_count(vm, T_EV_UNEXPOSED, 0, &n), SDEI_E_EVENT);
    ck_assert_int_eq(sdei_vcpu_view_of(vm, 2, &w), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_view_of(NULL, 0, &w), SDEI_E_NULL);
    ck_assert_int_eq(sdei_event_trigger(NULL, T_EVP, 0, &tr), SDEI_E_NULL);
    ck_assert_int_eq(sdei_event_trigger(vm, T_EV_UNEXPOSED, 0, &tr), SDEI_E_EVENT);
    ck_assert_int_eq(sdei_event_trigger(vm, T_EVP, 2, &tr), SDEI_E_VCPU);
    /* a shared trigger is routed: the vCPU argument is not used */
    ck_assert_int_eq(sdei_event_trigger(vm, T_EVS, 99, &tr), SDEI_OK);
    ck_assert_int_eq(tr, SDEI_TRIGGER_DROPPED);
    ck_assert_int_eq(sdei_interrupt_trigger(NULL, 20, 0, &tr), SDEI_E_NULL);
    ck_assert_ptr_nonnull(sdei_vm_check(NULL));
    ck_assert_ptr_null(sdei_vm_config(NULL));
    ck_assert_uint_eq(sdei_vm_nr_vcpus(NULL), 0);
    ck_assert_uint_eq(sdei_vcpu_mpidr(vm, 2), 0);
    ck_assert_int_eq(sdei_vcpu_by_mpidr(NULL, 0), -1);
    sdei_vm_reset(NULL);
    sdei_vm_free(NULL);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* sdei_vm_config(vm)->quirks is the quirk set in force, whether it came from
 * the profile or from quirks_override (issue 13: a mutant leaving the caller's
 * unused config.quirks there survived). */
START_TEST(test_vm_config_reports_the_quirks_in_force)
{
    for (int p = 0; p < SDEI_PROFILE_COUNT; p++) {
        sdei_config cfg = sdei_config_default(2);
        cfg.profile = (sdei_profile)p;
        cfg.quirks = UINT64_C(0x5); /* ignored: quirks_override is 0 */
        sdei_vm *vm = NULL;
        ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
        uint64_t want = sdei_profile_quirks((sdei_profile)p);
        ck_assert_uint_eq(sdei_vm_quirks(vm), want);
        ck_assert_msg(sdei_vm_config(vm)->quirks == want,
                      "profile %s: config quirks 0x%llx, in force 0x%llx",
                      sdei_profile_name((sdei_profile)p),
                      (unsigned long long)sdei_vm_config(vm)->quirks, (unsigned long long)want);
        sdei_vm_free(vm);
    }
    sdei_config cfg = sdei_config_default(2);
    cfg.profile = SDEI_PROFILE_KVM_V5;
    cfg.quirks_override = 1;
    cfg.quirks = SDEI_QUIRK_BIT(NO_BIND) | SDEI_QUIRK_BIT(SPSR_CLOBBER);
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    ck_assert_uint_eq(sdei_vm_config(vm)->quirks, cfg.quirks);
    ck_assert_uint_eq(sdei_vm_quirks(vm), cfg.quirks);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_vm_reset_returns_to_a_fresh_vm)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVS, SDEI_STATE_RUNNING_ENABLED);
    (void)t_bind(vm, 0, 20);
    sdei_vm_reset(vm);
    t_check_vm(vm);
    /* only the bind slots are exposed again, unbound; every vCPU masked, idle */
    ck_assert_uint_eq(sdei_vm_event_count(vm), 4);
    sdei_event_state st;
    ck_assert_int_eq(sdei_event_state_of(vm, T_EVS, 0, &st), SDEI_E_EVENT);
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 20, 0, NULL), SDEI_E_INTID);
    sdei_vcpu_view w;
    ck_assert_int_eq(sdei_vcpu_view_of(vm, 0, &w), SDEI_OK);
    ck_assert_int_eq(w.masked, 1);
    ck_assert_int_eq(w.normal_running, 0);
    ck_assert_uint_eq(w.normal_num, SDEI_INVALID_EVENT);
    ck_assert_uint_eq(w.critical_num, SDEI_INVALID_EVENT);
    ck_assert_uint_eq(w.queued, 0);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_every_bad_config_field_gets_its_own_error_naming_the_field,
        test_boundary_configs_are_accepted,
        test_quirks_override_and_span_take_0_or_1_and_the_vm_keeps_them,
        test_vm_init_checks_pointers_alignment_and_size,
        test_memory_size_grows_with_vcpus_and_events,
        test_strerror_names_every_error_and_rejects_unknown_codes,
        test_default_config_and_mpidr_layout,
        test_configured_mpidrs_are_copied_into_the_vm,
        test_profiles_and_quirk_names,
        test_expose_event_rejects_bad_events_and_a_full_table,
        test_api_misuse_returns_library_errors,
        test_vm_reset_returns_to_a_fresh_vm,
        test_vm_config_reports_the_quirks_in_force,
    };
    return t_run_tests("config", tests, T_COUNT(tests));
}
