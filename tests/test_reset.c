/*
 * test_reset.c - PRIVATE_RESET and SHARED_RESET (sdei-rules §6.14; DESIGN
 * §3.2: DENIED while a handler runs, and the running event still goes to
 * unregister-pending).
 */
#include <inttypes.h>

#include "testlib.h"

#define EP UINT64_C(0x80000)

static int64_t private_reset(sdei_vm *vm, uint32_t v)
{
    return t_callid(vm, v, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
}

static int64_t shared_reset(sdei_vm *vm, uint32_t v)
{
    return t_callid(vm, v, SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0);
}

static int masked(const sdei_vm *vm, uint32_t v)
{
    sdei_vcpu_view w;
    ck_assert_int_eq(sdei_vcpu_view_of(vm, v, &w), SDEI_OK);
    return w.masked;
}

/* Two vCPUs: P and C registered on both (enabled on 0), S enabled, SC registered. */
static sdei_vm *vm_populated(void)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    for (uint32_t v = 0; v < 2; v++) {
        t_register_enable(vm, v, T_EVP, EP, v);
        ck_assert_int_eq(t_callid(vm, v, SDEI_CALL_EVENT_REGISTER, T_EVC, EP, 0, 0, 0), 0);
    }
    t_register_enable(vm, 1, T_EVS, EP, 0);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_REGISTER, T_EVSC, EP, 0, 0, 0), 0);
    return vm;
}

/* rule: PRIVATE_RESET.1 */
START_TEST(test_private_reset_unregisters_only_the_callers_private_events)
{
    sdei_vm *vm = vm_populated();
    ck_assert_int_eq(private_reset(vm, 0), SDEI_SUCCESS);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVC, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_ENABLED);
    ck_assert_int_eq(t_state(vm, T_EVC, 1), SDEI_STATE_REGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(t_state(vm, T_EVSC, 0), SDEI_STATE_REGISTERED);
    /* the mask is untouched */
    ck_assert_int_eq(masked(vm, 0), 0);
    ck_assert_int_eq(masked(vm, 1), 1);
    /* nothing registered any more on vCPU 0: SUCCESS again */
    ck_assert_int_eq(private_reset(vm, 0), SDEI_SUCCESS);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: SHARED_RESET.1 SHARED_RESET.2 */
START_TEST(test_shared_reset_unregisters_every_shared_event_and_releases_bindings)
{
    sdei_vm *vm = vm_populated();
    uint64_t bp = t_bind(vm, 0, 20);
    uint64_t bs = t_bind(vm, 0, 40);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, bs, EP, 0, 0, 0), 0);
    ck_assert_int_eq(shared_reset(vm, 0), SDEI_SUCCESS);
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVSC, 1), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, bs, 0), SDEI_STATE_UNREGISTERED);
    /* private events are not shared_reset's business */
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(t_state(vm, T_EVC, 1), SDEI_STATE_REGISTERED);
    /* both bindings, private and shared, are released */
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 20, 0, NULL), SDEI_E_INTID);
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 40, 0, NULL), SDEI_E_INTID);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_INTERRUPT_RELEASE, bp, 0, 0, 0, 0),
                     SDEI_INVALID_PARAMETERS);
    ck_assert_int_eq(masked(vm, 0), 0);
    ck_assert_int_eq(masked(vm, 1), 1);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: SHARED_RESET.2 RELEASE.3 */
START_TEST(test_shared_reset_returns_the_first_release_error)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    uint64_t bp = t_bind(vm, 0, 20);
    (void)t_bind(vm, 0, 40);
    /* a registered private bound event cannot be released */
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_REGISTER, bp, EP, 0, 0, 0), 0);
    ck_assert_int_eq(shared_reset(vm, 0), SDEI_DENIED);
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 20, 1, NULL), SDEI_OK);
    /* the other binding was still released */
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 40, 0, NULL), SDEI_E_INTID);
    ck_assert_int_eq(t_state(vm, bp, 1), SDEI_STATE_REGISTERED);
    sdei_vm_free(vm);
}
END_TEST

/* rule: PRIVATE_RESET.1 */
START_TEST(test_private_reset_while_a_handler_runs_is_denied_and_the_event_goes_to_up)
{
    sdei_vm *vm = vm_populated();
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(private_reset(vm, 0), SDEI_DENIED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTER_PENDING);
    ck_assert_int_eq(t_state(vm, T_EVC, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_ENABLED);
    /* still unregister-pending: DENIED again, nothing else changes */
    ck_assert_int_eq(private_reset(vm, 0), SDEI_DENIED);
    ck_assert_int_eq(t_complete(vm, 0, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(private_reset(vm, 0), SDEI_SUCCESS);
    ck_assert_int_eq(masked(vm, 0), 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: SHARED_RESET.1 SHARED_RESET.2 */
START_TEST(test_shared_reset_while_a_shared_handler_runs_elsewhere_is_denied_and_keeps_bindings)
{
    sdei_vm *vm = vm_populated();
    (void)t_bind(vm, 0, 41);
    t_unmask(vm, 1);
    t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0); /* route the trigger to vCPU 1 */
    t_trigger(vm, T_EVS, 0);
    t_expect_delivery(vm, 1, T_EVS);
    ck_assert_int_eq(shared_reset(vm, 0), SDEI_DENIED);
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_UNREGISTER_PENDING);
    ck_assert_int_eq(t_state(vm, T_EVSC, 0), SDEI_STATE_UNREGISTERED);
    /* an error from the unregistration stops the releases */
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 41, 0, NULL), SDEI_OK);
    ck_assert_int_eq(t_complete(vm, 1, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(shared_reset(vm, 1), SDEI_SUCCESS);
    ck_assert_int_eq(sdei_interrupt_trigger(vm, 41, 0, NULL), SDEI_E_INTID);
    ck_assert_int_eq(masked(vm, 0), 1);
    ck_assert_int_eq(masked(vm, 1), 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: PRIVATE_RESET.1 SHARED_RESET.1 */
START_TEST(test_resets_with_nothing_registered_succeed)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    ck_assert_int_eq(private_reset(vm, 0), SDEI_SUCCESS);
    ck_assert_int_eq(private_reset(vm, 1), SDEI_SUCCESS);
    ck_assert_int_eq(shared_reset(vm, 1), SDEI_SUCCESS);
    ck_assert_int_eq(masked(vm, 0), 1);
    sdei_vm_free(vm);
}
END_TEST

/* rule: PRIVATE_RESET.1 */
START_TEST(test_private_reset_cancels_pending_private_triggers)
{
    sdei_vm *vm = vm_populated();
    t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0);
    t_trigger(vm, T_EVP, 0);
    ck_assert_uint_eq(t_pending(vm, T_EVP, 0), 1);
    ck_assert_int_eq(private_reset(vm, 0), SDEI_SUCCESS);
    ck_assert_uint_eq(t_pending(vm, T_EVP, 0), 0);
    t_register_enable(vm, 0, T_EVP, EP, 0);
    t_unmask(vm, 0);
    t_expect_no_delivery(vm, 0);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_private_reset_unregisters_only_the_callers_private_events,
        test_shared_reset_unregisters_every_shared_event_and_releases_bindings,
        test_shared_reset_returns_the_first_release_error,
        test_private_reset_while_a_handler_runs_is_denied_and_the_event_goes_to_up,
        test_shared_reset_while_a_shared_handler_runs_elsewhere_is_denied_and_keeps_bindings,
        test_resets_with_nothing_registered_succeed,
        test_private_reset_cancels_pending_private_triggers,
    };
    return t_run_tests("reset", tests, T_COUNT(tests));
}
