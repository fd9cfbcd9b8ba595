/*
 * test_unregister.c - UNREGISTER of a running event and the
 * handler-unregister-pending state (sdei-rules §5.2, §6.4; DESIGN §3.2).
 */
#include <inttypes.h>

#include "testlib.h"

#define EP UINT64_C(0x50000)

static void expect_call(sdei_vm *vm, uint32_t v, sdei_call_id id, uint64_t a1, int64_t want,
                        const char *why)
{
    int64_t got = t_callid(vm, v, id, a1, EP, 0, 0, 0);
    ck_assert_msg(got == want, "%s: %s(0x%" PRIx64 ") on vCPU %u = %" PRId64 ", want %" PRId64, why,
                  sdei_call_name(id), a1, v, got, want);
}

/* rule: UNREGISTER.2 UNREGISTER.3 COMPLETE.3 REGISTER.5 ENABLE.2 CONTEXT.3 */
START_TEST(test_unregister_while_running_returns_pending_until_the_final_complete)
{
    static const uint64_t nums[] = {T_EVP, T_EVC, T_EVS, T_EVSC, T_EV0};
    for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
        for (int from_rd = 0; from_rd < 2; from_rd++) {
            uint64_t num = nums[k];
            sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
            t_unmask(vm, 0);
            t_make_state(vm, 0, num,
                         from_rd ? SDEI_STATE_RUNNING_DISABLED : SDEI_STATE_RUNNING_ENABLED);
            expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, num, SDEI_PENDING, "first");
            ck_assert_int_eq(t_state(vm, num, 0), SDEI_STATE_UNREGISTER_PENDING);
            ck_assert_int_eq(t_status(vm, 0, num), 4); /* running, not registered */
            expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, num, SDEI_PENDING, "again");
            expect_call(vm, 0, SDEI_CALL_EVENT_ENABLE, num, SDEI_DENIED, "UP");
            expect_call(vm, 0, SDEI_CALL_EVENT_DISABLE, num, SDEI_DENIED, "UP");
            expect_call(vm, 0, SDEI_CALL_EVENT_REGISTER, num, SDEI_DENIED, "UP");
            /* the handler goes on: CONTEXT still reads the interrupted registers */
            ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 9, 0, 0, 0, 0),
                             (int64_t)(T_CTX_BASE + 9));
            /* a trigger in UP is dropped */
            ck_assert_int_eq(t_trigger(vm, num, 0), SDEI_TRIGGER_DROPPED);
            ck_assert_int_eq(t_pending(vm, num, 0), 0);
            ck_assert_int_eq(t_complete(vm, 0, SDEI_EV_HANDLED).outcome, SDEI_CALL_COMPLETED);
            ck_assert_int_eq(t_state(vm, num, 0), SDEI_STATE_UNREGISTERED);
            ck_assert_int_eq(t_status(vm, 0, num), 0);
            /* the Linux retry loop now gets DENIED (sdei-rules §10.3) */
            expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, num, SDEI_DENIED, "after COMPLETE");
            t_expect_no_delivery(vm, 0);
            /* and the event can be registered again, with a fresh entry point */
            ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, num, EP + 0x80, 0x77, 0, 0),
                             SDEI_SUCCESS);
            ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, num, 0, 0, 0, 0), 0);
            t_trigger(vm, num, 0);
            t_expect_delivery(vm, 0, num);
            ck_assert_uint_eq(t_regs(vm, 0).pc, EP + 0x80);
            ck_assert_uint_eq(t_regs(vm, 0).x[1], 0x77);
            t_check_vm(vm);
            sdei_vm_free(vm);
        }
    }
}
END_TEST

/* rule: UNREGISTER.3 */
START_TEST(test_unregister_while_running_cancels_the_waiting_trigger)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_PENDING);
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 1);
    expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVP, SDEI_PENDING, "running");
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 0);
    t_complete(vm, 0, 0);
    t_expect_no_delivery(vm, 0);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: UNREGISTER.3 COMPLETE.3 */
START_TEST(test_shared_event_unregistered_from_another_vcpu_while_it_runs)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVS, SDEI_STATE_RUNNING_ENABLED);
    /* vCPU 1 (masked, nothing running there) unregisters the shared event */
    expect_call(vm, 1, SDEI_CALL_EVENT_UNREGISTER, T_EVS, SDEI_PENDING, "from vCPU 1");
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_UNREGISTER_PENDING);
    ck_assert_int_eq(t_state(vm, T_EVS, 1), SDEI_STATE_UNREGISTER_PENDING);
    ck_assert_int_eq(t_status(vm, 0, T_EVS), 4);
    ck_assert_int_eq(t_status(vm, 1, T_EVS), 4);
    expect_call(vm, 1, SDEI_CALL_EVENT_UNREGISTER, T_EVS, SDEI_PENDING, "again from vCPU 1");
    expect_call(vm, 1, SDEI_CALL_EVENT_REGISTER, T_EVS, SDEI_DENIED, "UP from vCPU 1");
    /* nothing runs on vCPU 1: its CONTEXT and COMPLETE are DENIED */
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_CONTEXT, 0, 0, 0, 0, 0), SDEI_DENIED);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0), SDEI_DENIED);
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_UNREGISTER_PENDING);
    /* vCPU 0's handler completes: unregistered everywhere */
    ck_assert_int_eq(t_complete(vm, 0, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_int_eq(t_state(vm, T_EVS, 1), SDEI_STATE_UNREGISTERED);
    expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVS, SDEI_DENIED, "after COMPLETE");
    expect_call(vm, 1, SDEI_CALL_EVENT_REGISTER, T_EVS, SDEI_SUCCESS, "re-register from vCPU 1");
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: UNREGISTER.3 */
START_TEST(test_private_unregister_on_one_vcpu_leaves_the_running_copy_of_another)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    t_register_enable(vm, 1, T_EVP, EP, 0);
    expect_call(vm, 1, SDEI_CALL_EVENT_UNREGISTER, T_EVP, SDEI_SUCCESS, "vCPU 1 copy is idle");
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_RUNNING_ENABLED);
    expect_call(vm, 1, SDEI_CALL_EVENT_UNREGISTER, T_EVP, SDEI_DENIED, "vCPU 1 again");
    expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVP, SDEI_PENDING, "vCPU 0 running");
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_UNREGISTERED);
    /* vCPU 1 may register its own copy while vCPU 0's is unregister-pending */
    expect_call(vm, 1, SDEI_CALL_EVENT_REGISTER, T_EVP, SDEI_SUCCESS, "vCPU 1 fresh copy");
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTER_PENDING);
    t_complete(vm, 0, 0);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_REGISTERED);
    /* no stale unregister-pending: vCPU 0 registers again (v5 would DENY) */
    expect_call(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, SDEI_SUCCESS, "vCPU 0 re-register");
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: UNREGISTER.3 COMPLETE.3 */
START_TEST(test_unregister_of_the_preempted_normal_event_from_a_critical_handler)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    t_register_enable(vm, 0, T_EVC, EP, 0);
    t_trigger(vm, T_EVC, 0);
    t_expect_delivery(vm, 0, T_EVC);
    expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVP, SDEI_PENDING, "preempted normal");
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTER_PENDING);
    /* completing the critical handler does not finish the normal one */
    t_complete(vm, 0, 0);
    ck_assert_int_eq(t_state(vm, T_EVC, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTER_PENDING);
    t_complete(vm, 0, 0);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: UNREGISTER.3 */
START_TEST(test_unregister_of_an_idle_event_returns_success_and_disables_it)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVS, SDEI_STATE_ENABLED);
    expect_call(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVS, SDEI_SUCCESS, "idle");
    ck_assert_int_eq(t_status(vm, 0, T_EVS), 0);
    /* re-registered: disabled again (UNREGISTER also disables) */
    expect_call(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, SDEI_SUCCESS, "re-register");
    ck_assert_int_eq(t_status(vm, 0, T_EVS), 1);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_unregister_while_running_returns_pending_until_the_final_complete,
        test_unregister_while_running_cancels_the_waiting_trigger,
        test_shared_event_unregistered_from_another_vcpu_while_it_runs,
        test_private_unregister_on_one_vcpu_leaves_the_running_copy_of_another,
        test_unregister_of_the_preempted_normal_event_from_a_critical_handler,
        test_unregister_of_an_idle_event_returns_success_and_disables_it,
    };
    return t_run_tests("unregister", tests, T_COUNT(tests));
}
