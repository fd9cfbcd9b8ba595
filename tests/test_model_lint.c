/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_model_lint.c - the blob lint (DESIGN §4) on hand-made kernel blobs:
 * each inconsistency the other suites do not construct gets its own finding
 * (struct, field, entry, vCPU, offset), and what the lint cannot know (a NULL
 * blob pointer, a vCPU without state) is never reported. Offsets are the
 * uAPI's (sdei/sdei_blob.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdei/sdei_blob.h"
#include "testlib.h"

#define EX_SIZE SDEI_BLOB_EXPOSED_SIZE
#define REG_SIZE SDEI_BLOB_REGISTERED_SIZE
#define VEV_SIZE SDEI_BLOB_VCPU_EVENT_SIZE
#define VST_SIZE SDEI_BLOB_VCPU_STATE_SIZE
#define REG_EP_ARG 4120u
#define REG_REGISTERED 8216u
#define REG_ENABLED 8280u
#define REG_UNREG_PENDING 8344u
#define INVALID UINT64_C(0xFFFFFFFF)

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void exposed(uint8_t *e, uint64_t num, uint8_t type, uint8_t priority)
{
    memset(e, 0, EX_SIZE);
    put64(e, num);
    e[8] = type;
    e[10] = priority;
}

static void vcpu_event(uint8_t *e, uint64_t num, uint32_t count)
{
    memset(e, 0, VEV_SIZE);
    put64(e, num);
    put32(e + 8, count);
}

static void vcpu_state(uint8_t *s, uint64_t critical, uint64_t normal)
{
    memset(s, 0, VST_SIZE);
    put64(s + 8, critical);
    put64(s + 16, normal);
}

/* The findings as "strct[entry].field@offset/vcpu" lines, for exact comparison. */
static void describe(const sdei_lint_finding *f, uint32_t n, char *out, size_t cap)
{
    size_t pos = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < n && pos < cap; i++) {
        int w =
            snprintf(out + pos, cap - pos, "%s[%u].%s@%u/%d\n", f[i].strct, f[i].entry, f[i].field,
                     f[i].offset, f[i].vcpu == SDEI_BLOB_NO_VCPU ? -1 : (int)f[i].vcpu);
        pos += w > 0 ? (size_t)w : 0;
    }
}

START_TEST(test_lint_of_nothing_finds_nothing)
{
    sdei_lint_finding f[1];
    ck_assert_uint_eq(sdei_lint_blobs(NULL, f, 1), 0);
    ck_assert_uint_eq(sdei_lint_save(NULL, 100, 0, f, 1), 0);
    /* no blob at all for 3 vCPUs: nothing to check */
    sdei_lint_input in = {3, NULL, 0, NULL, 0, NULL, NULL, NULL};
    ck_assert_uint_eq(sdei_lint_blobs(&in, f, 1), 0);
}
END_TEST

START_TEST(test_lint_of_vcpu_states_alone_reports_only_what_the_state_shows)
{
    /* No exposed, registered or vCPU-event blobs: a running number cannot be
     * checked against them, but masked = 2 is wrong on its own. */
    uint8_t st0[VST_SIZE];
    uint8_t st1[VST_SIZE];
    vcpu_state(st0, T_EVC, T_EVP);
    st0[0] = 2;
    vcpu_state(st1, INVALID, INVALID);
    const uint8_t *sts[3] = {st0, NULL, st1}; /* vCPU 1 has no state: skipped */
    sdei_lint_input in = {3, NULL, 0, NULL, 0, NULL, NULL, sts};
    sdei_lint_finding f[4];
    char got[512];
    uint32_t n = sdei_lint_blobs(&in, f, 4);
    describe(f, n, got, sizeof(got));
    ck_assert_str_eq(got, "vcpu_state[0].masked@0/0\n");
    ck_assert_str_eq(f[0].problem, "not 0 or 1");
}
END_TEST

START_TEST(test_lint_reports_registered_objects_of_unexposed_events_and_their_padding)
{
    uint8_t ex[EX_SIZE];
    exposed(ex, T_EVP, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL);
    uint8_t *rg = calloc(1, REG_SIZE);
    put64(rg, T_EV_UNEXPOSED);
    rg[10] = 0x5A; /* padding[1] */
    sdei_lint_input in = {1, ex, 1, rg, 1, NULL, NULL, NULL};
    sdei_lint_finding f[4];
    char got[512];
    uint32_t n = sdei_lint_blobs(&in, f, 4);
    describe(f, n, got, sizeof(got));
    ck_assert_str_eq(got, "registered_event_state[0].num@0/-1\n"
                          "registered_event_state[0].padding@10/-1\n");
    ck_assert_str_eq(f[0].problem, "no exposed event with this number");
    ck_assert_uint_eq(f[0].num, T_EV_UNEXPOSED);
    /* without the exposed blob the number cannot be checked: only the padding */
    in.exposed = NULL;
    ck_assert_uint_eq(sdei_lint_blobs(&in, f, 4), 1);
    ck_assert_str_eq(f[0].field, "padding");
    free(rg);
}
END_TEST

START_TEST(test_lint_bounds_bitmaps_and_endpoints_of_a_private_event_by_the_vcpu_count)
{
    /* 100 vCPUs: bitmap word 0 is all valid, word 1 valid up to bit 35 (vCPU 99) */
    uint8_t ex[EX_SIZE];
    exposed(ex, T_EVP, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL);
    uint8_t *rg = calloc(1, REG_SIZE);
    put64(rg, T_EVP);
    put64(rg + REG_REGISTERED, UINT64_MAX);                /* vCPUs 0..63 */
    put64(rg + REG_REGISTERED + 8, UINT64_C(0xFFFFFFFFF)); /* 64..99 */
    put64(rg + REG_ENABLED + 8, UINT64_C(1) << 36);        /* vCPU 100 */
    put64(rg + 24 + 8 * 99, T_EP);                         /* ep_address[99] */
    put64(rg + REG_EP_ARG + 8 * 100, T_ARG);               /* ep_arg[100] */
    sdei_lint_input in = {100, ex, 1, rg, 1, NULL, NULL, NULL};
    sdei_lint_finding f[8];
    char got[512];
    uint32_t n = sdei_lint_blobs(&in, f, 8);
    describe(f, n, got, sizeof(got));
    /* enabled for vCPU 100: beyond the vCPUs, and enabled without registered */
    ck_assert_str_eq(got, "registered_event_state[0].enabled@8288/-1\n"
                          "registered_event_state[0].ep_arg@4920/-1\n"
                          "registered_event_state[0].enabled@8288/-1\n");
    ck_assert_str_eq(f[0].problem, "bits for vCPUs that do not exist");
    ck_assert_str_eq(f[1].problem, "non-zero for a vCPU that does not exist");
    free(rg);
}
END_TEST

START_TEST(test_lint_unregister_pending_of_a_shared_event_needs_a_handler_on_some_vcpu)
{
    /* kvm-v5 §10 item 5: unregister-pending without a running handler. A
     * shared event runs anywhere, so every vCPU's state is consulted; one
     * vCPU without state makes the answer unknown (no finding). */
    uint8_t ex[EX_SIZE];
    exposed(ex, T_EVS, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL);
    uint8_t *rg = calloc(1, REG_SIZE);
    put64(rg, T_EVS);
    put64(rg + REG_UNREG_PENDING, 1); /* slot 0 */
    uint8_t ev1[VEV_SIZE];
    vcpu_event(ev1, T_EVS, 1);
    uint8_t st0[VST_SIZE];
    uint8_t st1[VST_SIZE];
    vcpu_state(st0, INVALID, INVALID);
    vcpu_state(st1, INVALID, T_EVS); /* vCPU 1 runs it */
    const uint8_t *evs[2] = {NULL, ev1};
    const uint32_t nev[2] = {0, 1};
    const uint8_t *sts[2] = {st0, st1};
    sdei_lint_input in = {2, ex, 1, rg, 1, evs, nev, sts};
    sdei_lint_finding f[4];
    uint32_t running = sdei_lint_blobs(&in, f, 4);
    sts[1] = NULL;
    uint32_t unknown = sdei_lint_blobs(&in, f, 4);
    vcpu_state(st1, INVALID, INVALID);
    sts[1] = st1;
    uint32_t stale = sdei_lint_blobs(&in, f, 4);
    ck_assert_uint_eq(running, 0);
    ck_assert_uint_eq(unknown, 0);
    /* nothing runs it: the stale bit is reported */
    ck_assert_uint_eq(stale, 1);
    ck_assert_str_eq(f[0].field, "unregister_pending");
    ck_assert_uint_eq(f[0].offset, REG_UNREG_PENDING);
    free(rg);
}
END_TEST

START_TEST(test_lint_checks_vcpu_events_for_duplicates_and_a_registered_object)
{
    uint8_t ex[2 * EX_SIZE];
    exposed(ex, T_EVP, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL);
    exposed(ex + EX_SIZE, T_EVS, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL);
    uint8_t *rg = calloc(1, REG_SIZE);
    put64(rg, T_EVS);
    put64(rg + REG_REGISTERED, 1); /* shared: slot 0 stands for every vCPU */
    uint8_t ev1[3 * VEV_SIZE];
    vcpu_event(ev1, T_EVS, 1);                /* registered (slot 0): fine on vCPU 1 */
    vcpu_event(ev1 + VEV_SIZE, T_EVP, 1);     /* no registered object */
    vcpu_event(ev1 + 2 * VEV_SIZE, T_EVS, 1); /* twice on one vCPU */
    const uint8_t *evs[2] = {NULL, ev1};
    const uint32_t nev[2] = {0, 3};
    sdei_lint_input in = {2, ex, 2, rg, 1, evs, nev, NULL};
    sdei_lint_finding f[4];
    char got[512];
    uint32_t n = sdei_lint_blobs(&in, f, 4);
    describe(f, n, got, sizeof(got));
    ck_assert_str_eq(got, "vcpu_event_state[1].num@0/1\n"
                          "vcpu_event_state[2].num@0/1\n");
    ck_assert_str_eq(f[0].problem, "vCPU event of an event with no registered object");
    ck_assert_str_eq(f[1].problem, "appears twice on one vCPU (the kernel merges the counts)");
    /* without the registered blob nothing can be said about registration */
    in.registered = NULL;
    n = sdei_lint_blobs(&in, f, 4);
    describe(f, n, got, sizeof(got));
    ck_assert_str_eq(got, "vcpu_event_state[2].num@0/1\n");
    /* without the counts, the events are not read */
    in.nr_vcpu_events = NULL;
    ck_assert_uint_eq(sdei_lint_blobs(&in, f, 4), 0);
    free(rg);
}
END_TEST

START_TEST(test_lint_reads_at_most_128_vcpu_events_per_vcpu)
{
    /* a count of 200 over 128 well-formed events: the lint stops at the
     * kernel's limit instead of reading past the blob */
    uint8_t *ev = malloc(128 * VEV_SIZE);
    for (uint32_t i = 0; i < 128; i++) {
        vcpu_event(ev + i * VEV_SIZE, UINT64_C(0x400100) + i, 1);
    }
    vcpu_event(ev + 127 * VEV_SIZE, UINT64_C(0x400100), 0); /* dup of #0, count 0 */
    const uint8_t *evs[1] = {ev};
    const uint32_t nev[1] = {200};
    sdei_lint_input in = {1, NULL, 0, NULL, 0, evs, nev, NULL};
    sdei_lint_finding f[4];
    char got[512];
    uint32_t n = sdei_lint_blobs(&in, f, 4);
    describe(f, n, got, sizeof(got));
    ck_assert_str_eq(got, "vcpu_event_state[127].event_count@8/0\n"
                          "vcpu_event_state[127].num@0/0\n");
    free(ev);
}
END_TEST

START_TEST(test_lint_checks_each_running_slot_against_events_registration_and_priority)
{
    uint8_t ex[3 * EX_SIZE];
    exposed(ex, T_EVP, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL);
    exposed(ex + EX_SIZE, T_EVC, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_CRITICAL);
    exposed(ex + 2 * EX_SIZE, T_EVS, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL);
    uint8_t *rg = calloc(2, REG_SIZE);
    put64(rg, T_EVP);
    put64(rg + REG_REGISTERED, 1); /* vCPU 0 only */
    put64(rg + REG_SIZE, T_EVS);
    put64(rg + REG_SIZE + REG_REGISTERED, 1);
    uint8_t ev0[VEV_SIZE];
    uint8_t ev1[2 * VEV_SIZE];
    vcpu_event(ev0, T_EVP, 1);
    vcpu_event(ev1, T_EVP, 1);
    vcpu_event(ev1 + VEV_SIZE, T_EVS, 1);
    uint8_t st0[VST_SIZE];
    uint8_t st1[VST_SIZE];
    /* vCPU 0: P (normal) in the critical slot; C in the normal slot, with no
     * vCPU event and no registered object */
    vcpu_state(st0, T_EVP, T_EVC);
    /* vCPU 1: S (shared, registered in slot 0) in the normal slot: sound; P in
     * the critical slot: has an instance but P is not registered on vCPU 1 */
    vcpu_state(st1, T_EVP, T_EVS);
    const uint8_t *evs[2] = {ev0, ev1};
    const uint32_t nev[2] = {1, 2};
    const uint8_t *sts[2] = {st0, st1};
    sdei_lint_input in = {2, ex, 3, rg, 2, evs, nev, sts};
    sdei_lint_finding f[8];
    char got[512];
    uint32_t n = sdei_lint_blobs(&in, f, 8);
    describe(f, n, got, sizeof(got));
    ck_assert_str_eq(got, "vcpu_state[0].critical_num@8/0\n"
                          "vcpu_state[0].normal_num@16/0\n"
                          "vcpu_state[0].normal_num@16/0\n"
                          "vcpu_state[0].normal_num@16/0\n"
                          "vcpu_event_state[0].num@0/1\n"
                          "vcpu_state[0].critical_num@8/1\n"
                          "vcpu_state[0].critical_num@8/1\n");
    ck_assert_str_eq(f[0].problem, "event of the other priority in this running slot");
    ck_assert_str_eq(f[1].problem, "a running event with no vCPU event");
    ck_assert_str_eq(f[2].problem, "names an event that is not registered (no registered object)");
    ck_assert_str_eq(f[3].problem, "event of the other priority in this running slot");
    ck_assert_str_eq(f[4].problem, "vCPU event of an event not registered on this vCPU");
    ck_assert_str_eq(f[5].problem, "names an event that is not registered on this vCPU");
    free(rg);
}
END_TEST

START_TEST(test_lint_reads_at_most_128_exposed_and_registered_entries)
{
    /* counts of 129 (one past the kernel's limit): entry 128 is never read, so
     * its bad notifier and padding are not reported */
    uint8_t *ex = calloc(129, EX_SIZE);
    uint8_t *rg = calloc(129, REG_SIZE);
    for (uint32_t i = 0; i < 129; i++) {
        exposed(ex + (size_t)i * EX_SIZE, UINT64_C(0x400100) + i, SDEI_EVENT_TYPE_PRIVATE,
                SDEI_EVENT_PRIORITY_NORMAL);
        put64(rg + (size_t)i * REG_SIZE, UINT64_C(0x400100) + i);
    }
    put64(ex + 128 * EX_SIZE + 16, 1); /* notifier */
    rg[128 * REG_SIZE + 9] = 1;        /* padding */
    sdei_lint_input in = {1, ex, 129, rg, 129, NULL, NULL, NULL};
    sdei_lint_finding f[2];
    uint32_t n = sdei_lint_blobs(&in, f, 2);
    ck_assert_uint_eq(n, 0);
    /* the same faults one entry earlier are found */
    put64(ex + 127 * EX_SIZE + 16, 1);
    rg[127 * REG_SIZE + 9] = 1;
    n = sdei_lint_blobs(&in, f, 2);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(f[0].entry, 127);
    ck_assert_str_eq(f[0].field, "notifier");
    ck_assert_uint_eq(f[1].entry, 127);
    ck_assert_str_eq(f[1].field, "padding");
    free(ex);
    free(rg);
}
END_TEST

START_TEST(test_lint_shared_event_uses_slot_0_and_may_run_in_the_critical_slot_of_any_vcpu)
{
    uint8_t ex[EX_SIZE];
    exposed(ex, T_EVSC, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_CRITICAL);
    uint8_t *rg = calloc(2, REG_SIZE);
    put64(rg, T_EVSC);
    put64(rg + REG_REGISTERED, 1);
    put64(rg + REG_UNREG_PENDING, 1);
    put64(rg + 24 + 8, T_EP); /* ep_address[1]: a shared event has only slot 0 */
    /* a registered object of a number nobody exposed, with an instance on vCPU 1 */
    put64(rg + REG_SIZE, T_EV_UNEXPOSED);
    put64(rg + REG_SIZE + REG_REGISTERED, 2); /* vCPU 1 (private: the slot is the vCPU) */
    uint8_t ev0[VEV_SIZE];
    uint8_t ev1[VEV_SIZE];
    vcpu_event(ev0, T_EVSC, 1);
    vcpu_event(ev1, T_EV_UNEXPOSED, 1);
    uint8_t st0[VST_SIZE];
    uint8_t st1[VST_SIZE];
    vcpu_state(st0, T_EVSC, INVALID); /* vCPU 0 runs it, critical */
    vcpu_state(st1, INVALID, INVALID);
    const uint8_t *evs[2] = {ev0, ev1};
    const uint32_t nev[2] = {1, 1};
    const uint8_t *sts[2] = {st0, st1};
    sdei_lint_input in = {2, ex, 1, rg, 2, evs, nev, sts};
    sdei_lint_finding f[4];
    char got[512];
    uint32_t n = sdei_lint_blobs(&in, f, 4);
    describe(f, n, got, sizeof(got));
    /* unregister-pending is sound: vCPU 0 runs the handler */
    ck_assert_str_eq(got, "registered_event_state[0].ep_address@32/-1\n"
                          "registered_event_state[1].num@0/-1\n");
    ck_assert_str_eq(f[0].problem, "non-zero beyond slot 0 of a shared event");
    /* with no vCPU states at all, whether it runs is unknown: still no finding */
    in.vcpu_state = NULL;
    ck_assert_uint_eq(sdei_lint_blobs(&in, f, 4), 2);
    free(rg);
}
END_TEST

START_TEST(test_lint_of_an_unparsable_save_counts_one_finding_even_with_nowhere_to_store_it)
{
    uint8_t b[40] = {'S', 'D', 'E', 'I', 9};
    sdei_lint_finding f[1];
    memset(f, 0, sizeof(f));
    ck_assert_uint_eq(sdei_lint_save(b, sizeof(b), 1, NULL, 1), 1);
    ck_assert_uint_eq(sdei_lint_save(b, sizeof(b), 1, f, 0), 1);
    ck_assert_ptr_null(f[0].strct); /* max 0: nothing stored */
}
END_TEST

START_TEST(test_lint_save_checks_only_the_first_nr_vcpus_when_asked)
{
    /* vCPU 2 of a 3-vCPU save has masked = 7: linting 2 vCPUs does not see it,
     * linting all (0 = the save's count) does */
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    size_t len = 0;
    ck_assert_int_eq(sdei_vm_save_size(vm, &len), SDEI_OK);
    uint8_t *buf = malloc(len);
    ck_assert_int_eq(sdei_vm_save(vm, buf, len, NULL), SDEI_OK);
    uint32_t ne = buf[24];
    /* no registered events and no vCPU events: per vCPU an 8-byte header, then the state */
    size_t st2 = 32 + (size_t)ne * EX_SIZE + 2 * (8 + VST_SIZE) + 8;
    ck_assert_uint_eq(buf[st2], 1); /* a fresh vCPU is masked */
    buf[st2] = 7;
    sdei_lint_finding f[2];
    ck_assert_uint_eq(sdei_lint_save(buf, len, 2, f, 2), 0);
    ck_assert_uint_eq(sdei_lint_save(buf, len, 0, f, 2), 1);
    ck_assert_uint_eq(f[0].vcpu, 2);
    ck_assert_str_eq(f[0].field, "masked");
    ck_assert_uint_eq(f[0].buf_offset, st2);
    ck_assert_uint_eq(sdei_lint_save(buf, len, 5, f, 2), 1); /* more than saved: all */
    free(buf);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_lint_of_nothing_finds_nothing,
        test_lint_of_vcpu_states_alone_reports_only_what_the_state_shows,
        test_lint_reports_registered_objects_of_unexposed_events_and_their_padding,
        test_lint_bounds_bitmaps_and_endpoints_of_a_private_event_by_the_vcpu_count,
        test_lint_unregister_pending_of_a_shared_event_needs_a_handler_on_some_vcpu,
        test_lint_checks_vcpu_events_for_duplicates_and_a_registered_object,
        test_lint_reads_at_most_128_vcpu_events_per_vcpu,
        test_lint_reads_at_most_128_exposed_and_registered_entries,
        test_lint_shared_event_uses_slot_0_and_may_run_in_the_critical_slot_of_any_vcpu,
        test_lint_checks_each_running_slot_against_events_registration_and_priority,
        test_lint_of_an_unparsable_save_counts_one_finding_even_with_nowhere_to_store_it,
        test_lint_save_checks_only_the_first_nr_vcpus_when_asked,
    };
    return t_run_tests("model_lint", tests, T_COUNT(tests));
}
