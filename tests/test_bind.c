/*
 * test_bind.c - INTERRUPT_BIND / INTERRUPT_RELEASE and bound events
 * (sdei-rules §4.4, §6.10, §6.11, §6.13; DESIGN §3.2).
 */
#include <inttypes.h>

#include "testlib.h"

#define EP UINT64_C(0x70000)

static int64_t bind(sdei_vm *vm, uint32_t v, uint64_t intid)
{
    return t_callid(vm, v, SDEI_CALL_INTERRUPT_BIND, intid, 0, 0, 0, 0);
}

static int64_t release(sdei_vm *vm, uint32_t v, uint64_t num)
{
    return t_callid(vm, v, SDEI_CALL_INTERRUPT_RELEASE, num, 0, 0, 0, 0);
}

static int64_t get_info(sdei_vm *vm, uint64_t num, uint64_t info)
{
    return t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, num, info, 0, 0, 0);
}

/* rule: BIND.4 */
START_TEST(test_bind_of_a_ppi_gives_a_private_and_of_an_spi_a_shared_normal_event)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    static const struct {
        uint64_t intid;
        uint64_t num;
        int64_t type;
    } cases[] = {
        {16, SDEI_BIND_PRIVATE_BASE, SDEI_EVENT_TYPE_PRIVATE},
        {31, SDEI_BIND_PRIVATE_BASE + 1, SDEI_EVENT_TYPE_PRIVATE},
        {32, SDEI_BIND_SHARED_BASE, SDEI_EVENT_TYPE_SHARED},
        {1019, SDEI_BIND_SHARED_BASE + 1, SDEI_EVENT_TYPE_SHARED},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t num = bind(vm, 0, cases[i].intid);
        ck_assert_msg(num == (int64_t)cases[i].num, "BIND(%" PRIu64 ") = 0x%" PRIx64,
                      cases[i].intid, (uint64_t)num);
        ck_assert_int_eq(get_info(vm, (uint64_t)num, SDEI_INFO_EV_TYPE), cases[i].type);
        ck_assert_int_eq(get_info(vm, (uint64_t)num, SDEI_INFO_EV_PRIORITY),
                         SDEI_EVENT_PRIORITY_NORMAL);
        /* binding changes no per-vCPU state */
        ck_assert_int_eq(t_status(vm, 0, (uint64_t)num), 0);
    }
    sdei_vm_free(vm);
}
END_TEST

/* rule: BIND.2 BIND.3 BIND.1 */
START_TEST(test_rebind_returns_the_same_number_and_a_full_class_is_out_of_resource)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    int64_t p1 = bind(vm, 0, 20);
    int64_t p2 = bind(vm, 0, 21);
    ck_assert_int_ne(p1, p2);
    ck_assert_int_eq(bind(vm, 0, 20), p1);
    ck_assert_int_eq(bind(vm, 0, 21), p2);
    /* both private slots taken: a third PPI is OUT_OF_RESOURCE */
    ck_assert_int_eq(bind(vm, 0, 22), SDEI_OUT_OF_RESOURCE);
    /* the shared class is independent */
    int64_t s1 = bind(vm, 0, 40);
    ck_assert_int_eq(s1, (int64_t)SDEI_BIND_SHARED_BASE);
    ck_assert_int_eq(bind(vm, 0, 41), (int64_t)SDEI_BIND_SHARED_BASE + 1);
    ck_assert_int_eq(bind(vm, 0, 42), SDEI_OUT_OF_RESOURCE);
    /* with every slot full, a re-bind still answers and an SGI is still INVALID */
    ck_assert_int_eq(bind(vm, 0, 40), s1);
    ck_assert_int_eq(bind(vm, 0, 7), SDEI_INVALID_PARAMETERS);
    /* after RELEASE, the slot takes another interrupt */
    ck_assert_int_eq(release(vm, 0, (uint64_t)p1), SDEI_SUCCESS);
    ck_assert_int_eq(bind(vm, 0, 22), p1);
    ck_assert_int_eq(bind(vm, 0, 20), SDEI_OUT_OF_RESOURCE);
    sdei_vm_free(vm);
}
END_TEST

/* rule: BIND.1 */
START_TEST(test_bind_of_an_sgi_or_a_special_interrupt_is_invalid)
{
    static const uint64_t bad[] = {
        0, 1, 8, 15, 1020, 1023, 1024, 8192, UINT32_MAX, UINT64_MAX, (UINT64_C(1) << 32) | 16};
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(bind(vm, 0, bad[i]) == SDEI_INVALID_PARAMETERS, "BIND(0x%" PRIx64 ")",
                      bad[i]);
    }
    sdei_vm_free(vm);
}
END_TEST

/* rule: FEATURES.1 */
START_TEST(test_features_bind_slots_reports_private_and_shared_slot_counts)
{
    static const struct {
        uint16_t p, s;
    } cfgs[] = {{2, 2}, {3, 5}, {0, 0}, {0, 7}, {64, 64}};
    for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
        sdei_config cfg = sdei_config_default(1);
        cfg.private_bind_slots = cfgs[i].p;
        cfg.shared_bind_slots = cfgs[i].s;
        sdei_vm *vm = NULL;
        ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
        int64_t f = t_callid(vm, 0, SDEI_CALL_FEATURES, SDEI_FEATURE_BIND_SLOTS, 0, 0, 0, 0);
        ck_assert_int_eq(f, (int64_t)cfgs[i].p | ((int64_t)cfgs[i].s << 16));
        /* exactly that many of each class can be bound */
        for (uint32_t k = 0; k < cfgs[i].p && k < 16; k++) {
            ck_assert_int_eq(bind(vm, 0, 16 + k), (int64_t)(SDEI_BIND_PRIVATE_BASE + k));
        }
        if (cfgs[i].p < 16) {
            ck_assert_int_eq(bind(vm, 0, 16 + cfgs[i].p), SDEI_OUT_OF_RESOURCE);
        }
        for (uint32_t k = 0; k < cfgs[i].s; k++) {
            ck_assert_int_eq(bind(vm, 0, 32 + k), (int64_t)(SDEI_BIND_SHARED_BASE + k));
        }
        ck_assert_int_eq(bind(vm, 0, 32 + cfgs[i].s), SDEI_OUT_OF_RESOURCE);
        sdei_vm_free(vm);
    }
}
END_TEST

/* rule: RELEASE.1 RELEASE.2 RELEASE.3 RELEASE.4 RELEASE.5 REGISTER.6 */
START_TEST(test_release_needs_a_bound_slot_unregistered_on_every_vcpu)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 1);
    uint64_t p = t_bind(vm, 0, 25);
    /* registered on vCPU 1 only: RELEASE from vCPU 0 is DENIED */
    t_register_enable(vm, 1, p, EP, 0);
    ck_assert_int_eq(release(vm, 0, p), SDEI_DENIED);
    ck_assert_int_eq(release(vm, 1, p), SDEI_DENIED);
    /* running, then unregister-pending on vCPU 1 */
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 25, 1, NULL), SDEI_OK);
    t_expect_delivery(vm, 1, p);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_UNREGISTER, p, 0, 0, 0, 0), SDEI_PENDING);
    ck_assert_int_eq(release(vm, 1, p), SDEI_DENIED);
    t_complete(vm, 1, 0);
    ck_assert_int_eq(release(vm, 1, p), SDEI_SUCCESS);
    /* not bound any more */
    ck_assert_int_eq(release(vm, 1, p), SDEI_INVALID_PARAMETERS);
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 25, 1, NULL), SDEI_E_INTID);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_REGISTER, p, EP, 0, 0, 0), SDEI_DENIED);
    /* events that are not bind slots cannot be released */
    ck_assert_int_eq(release(vm, 0, T_EVP), SDEI_INVALID_PARAMETERS);
    ck_assert_int_eq(release(vm, 0, T_EV0), SDEI_INVALID_PARAMETERS);
    ck_assert_int_eq(release(vm, 0, T_EV_UNEXPOSED), SDEI_INVALID_PARAMETERS);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_a_bound_ppi_fires_the_private_event_of_the_vcpu_it_is_raised_on)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    uint64_t p = t_bind(vm, 0, 27);
    for (uint32_t v = 0; v < 2; v++) {
        t_unmask(vm, v);
        t_register_enable(vm, v, p, EP + v * 0x100, 0x30 + v);
    }
    sdei_trigger_result res;
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 27, 1, &res), SDEI_OK);
    ck_assert_int_eq(res, SDEI_TRIGGER_PENDING);
    t_expect_no_delivery(vm, 0);
    t_expect_delivery(vm, 1, p);
    sdei_regs r = t_regs(vm, 1);
    ck_assert_uint_eq(r.x[0], p);
    ck_assert_uint_eq(r.x[1], 0x31);
    ck_assert_uint_eq(r.pc, EP + 0x100);
    /* unbound interrupts are not SDEI events */
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 28, 0, &res), SDEI_E_INTID);
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 0, 0, &res), SDEI_E_INTID);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_a_bound_spi_fires_the_shared_event_by_its_routing)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    uint64_t s = t_bind(vm, 2, 77);
    for (uint32_t v = 0; v < 3; v++) {
        t_unmask(vm, v);
    }
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, s, EP, 0x99, SDEI_RM_PE, sdei_default_mpidr(2)),
        SDEI_SUCCESS);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, s, 0, 0, 0, 0), 0);
    /* the vCPU argument is ignored for an SPI */
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 77, 0, NULL), SDEI_OK);
    t_expect_no_delivery(vm, 0);
    t_expect_no_delivery(vm, 1);
    t_expect_delivery(vm, 2, s);
    ck_assert_uint_eq(t_regs(vm, 2).x[1], 0x99);
    /* registered: not releasable; SHARED_RESET releases it later */
    ck_assert_int_eq(release(vm, 0, s), SDEI_DENIED);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_bind_slot_events_are_listed_but_not_usable_until_bound)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_SPEC, 1);
    /* 2 + 2 slots, exposed in order, private first */
    ck_assert_uint_eq(sdei_vm_event_count(vm), 4);
    static const uint64_t want[4] = {SDEI_BIND_PRIVATE_BASE, SDEI_BIND_PRIVATE_BASE + 1,
                                     SDEI_BIND_SHARED_BASE, SDEI_BIND_SHARED_BASE + 1};
    for (uint32_t i = 0; i < 4; i++) {
        sdei_event_desc d;
        ck_assert_int_eq(sdei_vm_event_at(vm, i, &d), SDEI_OK);
        ck_assert_uint_eq(d.num, want[i]);
        ck_assert_uint_eq(d.type, i < 2 ? SDEI_EVENT_TYPE_PRIVATE : SDEI_EVENT_TYPE_SHARED);
        ck_assert_uint_eq(d.priority, SDEI_EVENT_PRIORITY_NORMAL);
        /* rule: REGISTER.6 */
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, want[i], EP, 0, 0, 0),
                         SDEI_DENIED);
    }
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_bind_of_a_ppi_gives_a_private_and_of_an_spi_a_shared_normal_event,
        test_rebind_returns_the_same_number_and_a_full_class_is_out_of_resource,
        test_bind_of_an_sgi_or_a_special_interrupt_is_invalid,
        test_features_bind_slots_reports_private_and_shared_slot_counts,
        test_release_needs_a_bound_slot_unregistered_on_every_vcpu,
        test_a_bound_ppi_fires_the_private_event_of_the_vcpu_it_is_raised_on,
        test_a_bound_spi_fires_the_shared_event_by_its_routing,
        test_bind_slot_events_are_listed_but_not_usable_until_bound,
    };
    return t_run_tests("bind", tests, T_COUNT(tests));
}
