/*
 * test_signal.c - SDEI_EVENT_SIGNAL: event 0 only, the target MPIDR, the
 * target's mask and registration, and edge-triggered latching
 * (sdei-rules §6.12; DESIGN §3.2).
 */
#include <inttypes.h>

#include "testlib.h"

#define EP0 UINT64_C(0x90000)

static int64_t signal_to(sdei_vm *vm, uint32_t caller, uint64_t mpidr)
{
    return t_callid(vm, caller, SDEI_CALL_EVENT_SIGNAL, 0, mpidr, 0, 0, 0);
}

/* n vCPUs, all unmasked, event 0 registered and enabled on each (arg = 0x700 + v). */
static sdei_vm *vm_signal_ready(uint32_t n)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, n);
    for (uint32_t v = 0; v < n; v++) {
        t_unmask(vm, v);
        t_register_enable(vm, v, T_EV0, EP0, 0x700 + v);
    }
    return vm;
}

/* rule: SIGNAL.5 */
START_TEST(test_two_signals_before_delivery_run_the_handler_once)
{
    sdei_vm *vm = vm_signal_ready(1);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_SUCCESS);
    /* a second SIGNAL while one is pending must still succeed */
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_SUCCESS);
    ck_assert_uint_eq(t_pending(vm, T_EV0, 0), 1);
    t_expect_delivery(vm, 0, T_EV0);
    t_complete(vm, 0, 0);
    t_expect_no_delivery(vm, 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: SIGNAL.2 SIGNAL.5 */
START_TEST(test_signal_raises_event_0_on_the_vcpu_named_by_the_mpidr)
{
    sdei_vm *vm = vm_signal_ready(4);
    for (uint32_t target = 0; target < 4; target++) {
        uint32_t caller = (target + 1) % 4;
        /* the non-affinity bits of the MPIDR (bit 31, MT) do not matter */
        uint64_t mpidr = sdei_default_mpidr(target) & SDEI_MPIDR_AFFINITY_MASK;
        ck_assert_int_eq(signal_to(vm, caller, mpidr | (UINT64_C(1) << 24)), SDEI_SUCCESS);
        for (uint32_t v = 0; v < 4; v++) {
            ck_assert_uint_eq(t_pending(vm, T_EV0, v), v == target ? 1u : 0u);
        }
        t_expect_no_delivery(vm, caller);
        t_expect_delivery(vm, target, T_EV0);
        sdei_regs r = t_regs(vm, target);
        ck_assert_uint_eq(r.x[0], 0);
        ck_assert_uint_eq(r.x[1], 0x700 + target);
        ck_assert_uint_eq(r.pc, EP0);
        t_complete(vm, target, 0);
    }
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_signal_to_self_enters_the_handler_after_the_call_returns)
{
    sdei_vm *vm = vm_signal_ready(1);
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    r->pc = 0x4404; /* the instruction after the HVC */
    r->x[7] = 0x77;
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_SUCCESS);
    t_expect_delivery(vm, 0, T_EV0);
    sdei_regs h = t_regs(vm, 0);
    ck_assert_uint_eq(h.x[2], 0x4404);
    ck_assert_uint_eq(h.x[7], 0x77);
    /* the interrupted context is the SIGNAL's return: x0 = SUCCESS, x1..x3 = 0 */
    for (uint64_t p = 0; p < 4; p++) {
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, p, 0, 0, 0, 0), 0);
    }
    sdei_vm_free(vm);
}
END_TEST

/* rule: SIGNAL.4 SIGNAL.5 */
START_TEST(test_signal_to_self_while_event_0_runs_is_delivered_again_after_complete)
{
    sdei_vm *vm = vm_signal_ready(1);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_SUCCESS);
    t_expect_delivery(vm, 0, T_EV0);
    /* inside the handler (RE): signal yourself, twice */
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_SUCCESS);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_SUCCESS);
    ck_assert_uint_eq(t_pending(vm, T_EV0, 0), 1);
    t_expect_no_delivery(vm, 0); /* never re-entered while it runs */
    t_complete(vm, 0, 0);
    t_expect_delivery(vm, 0, T_EV0);
    t_complete(vm, 0, 0);
    t_expect_no_delivery(vm, 0);
    sdei_vm_free(vm);
}
END_TEST

/* rule: SIGNAL.3 SIGNAL.4 */
START_TEST(test_signal_checks_the_target_not_the_caller)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    /* the caller (vCPU 0) is masked and has no event 0; the target is ready */
    t_unmask(vm, 1);
    t_register_enable(vm, 1, T_EV0, EP0, 0);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(1)), SDEI_SUCCESS);
    t_expect_delivery(vm, 1, T_EV0);
    t_complete(vm, 1, 0);
    /* the target masks: INVALID */
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(1)), SDEI_INVALID_PARAMETERS);
    t_unmask(vm, 1);
    /* the target disables event 0: INVALID */
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_DISABLE, T_EV0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(1)), SDEI_INVALID_PARAMETERS);
    /* the caller registering its own event 0 does not help */
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EV0, EP0, 0);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(1)), SDEI_INVALID_PARAMETERS);
    ck_assert_uint_eq(t_pending(vm, T_EV0, 0), 0);
    ck_assert_uint_eq(t_pending(vm, T_EV0, 1), 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: SIGNAL.1 */
START_TEST(test_signal_of_a_vm_without_event_0_is_invalid)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_INVALID_PARAMETERS);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_signal_of_a_normal_event_0_does_not_preempt_a_normal_handler)
{
    sdei_vm *vm = vm_signal_ready(1);
    t_register_enable(vm, 0, T_EVP, EP0 + 0x100, 0);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(signal_to(vm, 0, sdei_default_mpidr(0)), SDEI_SUCCESS);
    t_expect_no_delivery(vm, 0);
    t_complete(vm, 0, 0);
    t_expect_delivery(vm, 0, T_EV0);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_two_signals_before_delivery_run_the_handler_once,
        test_signal_raises_event_0_on_the_vcpu_named_by_the_mpidr,
        test_signal_to_self_enters_the_handler_after_the_call_returns,
        test_signal_to_self_while_event_0_runs_is_delivered_again_after_complete,
        test_signal_checks_the_target_not_the_caller,
        test_signal_of_a_vm_without_event_0_is_invalid,
        test_signal_of_a_normal_event_0_does_not_preempt_a_normal_handler,
    };
    return t_run_tests("signal", tests, T_COUNT(tests));
}
