/*
 * test_power.c - PSCI power transitions and the VMM's vCPU reset, as the
 * SDEI state sees them (sdei-rules §9; docs/model.md "Power"). One test per
 * rule marker POWER.n in model/src/power.c.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "sdei/sdei_blob.h"
#include "testlib.h"

static sdei_power_info power(sdei_vm *vm, uint32_t v, sdei_power_action a)
{
    sdei_power_info info;
    ck_assert_int_eq(sdei_vcpu_power(vm, v, a, &info), SDEI_OK);
    return info;
}

static void power_ok(sdei_vm *vm, uint32_t v, sdei_power_action a)
{
    sdei_power_info info = power(vm, v, a);
    ck_assert_msg(info.result == SDEI_POWER_DONE, "%s on vCPU %u: %s", sdei_power_action_name(a), v,
                  sdei_power_result_name((sdei_power_result)info.result));
}

static int masked(const sdei_vm *vm, uint32_t v)
{
    sdei_vcpu_view w;
    ck_assert_int_eq(sdei_vcpu_view_of(vm, v, &w), SDEI_OK);
    return w.masked;
}

/* rule: POWER.1 */
START_TEST(test_cpu_off_inside_a_handler_completes_it_first)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_unmask(vm, 1);
    /* a shared handler and, preempting it, a critical private one on vCPU 0 */
    t_make_state(vm, 0, T_EVS, SDEI_STATE_RUNNING_ENABLED);
    t_make_state(vm, 0, T_EVC, SDEI_STATE_RUNNING_ENABLED);
    sdei_power_info info = power(vm, 0, SDEI_POWER_CPU_OFF);
    ck_assert_int_eq(info.result, SDEI_POWER_DONE);
    ck_assert_uint_eq(info.completed, 2);
    /* the shared event was completed (RE -> E), not unregistered */
    ck_assert_int_eq(t_state(vm, T_EVS, 1), SDEI_STATE_ENABLED);
    /* and is deliverable elsewhere */
    ck_assert_int_eq(t_trigger(vm, T_EVS, 1), SDEI_TRIGGER_PENDING);
    t_expect_delivery(vm, 1, T_EVS);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.1 */
START_TEST(test_system_reset_and_freeze_inside_a_handler_complete_it_first)
{
    static const sdei_power_action acts[] = {SDEI_POWER_CPU_FREEZE, SDEI_POWER_SYSTEM_RESET,
                                             SDEI_POWER_SYSTEM_OFF};
    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
        sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
        t_unmask(vm, 0);
        t_make_state(vm, 0, T_EVS, SDEI_STATE_UNREGISTER_PENDING);
        sdei_power_info info = power(vm, 0, acts[i]);
        ck_assert_msg(info.result == SDEI_POWER_DONE && info.completed == 1, "%s",
                      sdei_power_action_name(acts[i]));
        /* UP completed: unregistered, nothing left running anywhere */
        ck_assert_int_eq(t_state(vm, T_EVS, 1), SDEI_STATE_UNREGISTERED);
        sdei_vcpu_view w;
        ck_assert_int_eq(sdei_vcpu_view_of(vm, 0, &w), SDEI_OK);
        ck_assert_int_eq(w.normal_running | w.critical_running, 0);
        t_check_vm(vm);
        sdei_vm_free(vm);
    }
}
END_TEST

/* rule: POWER.2 */
START_TEST(test_psci_queries_inside_a_handler_leave_it_running)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    sdei_power_info info = power(vm, 0, SDEI_POWER_QUERY);
    ck_assert_int_eq(info.result, SDEI_POWER_DONE);
    ck_assert_uint_eq(info.completed, 0);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_complete(vm, 0, 0).outcome, SDEI_CALL_COMPLETED);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.3 POWER.4 */
START_TEST(test_off_and_on_starts_masked_with_private_events_unregistered)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, T_EP, 1);
    t_register_enable(vm, 1, T_EVP, T_EP, 2);
    t_register_enable(vm, 0, T_EVS, T_EP, 3);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_PENDING);
    t_unmask(vm, 0);
    power_ok(vm, 0, SDEI_POWER_CPU_OFF);
    /* private state of vCPU 0 gone at once; vCPU 1's and the shared event kept */
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_uint_eq(t_pending(vm, T_EVP, 0), 0);
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_ENABLED);
    ck_assert_int_eq(t_state(vm, T_EVS, 1), SDEI_STATE_ENABLED);
    ck_assert_int_eq(masked(vm, 0), 1);
    power_ok(vm, 0, SDEI_POWER_CPU_ON);
    ck_assert_int_eq(sdei_vcpu_power_state(vm, 0), SDEI_PE_ON);
    ck_assert_int_eq(masked(vm, 0), 1);
    ck_assert_int_eq(t_status(vm, 0, T_EVP), 0);
    /* the reset register file: EL1h with DAIF set */
    ck_assert_uint_eq(t_regs(vm, 0).pstate, SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF);
    /* a trigger of the unregistered private event is dropped */
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_DROPPED);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.5 */
START_TEST(test_powerdown_suspend_keeps_state_and_wakes_masked)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, T_EP, 1);
    power_ok(vm, 0, SDEI_POWER_SUSPEND);
    ck_assert_int_eq(sdei_vcpu_power_state(vm, 0), SDEI_PE_SUSPENDED);
    /* an event raised while suspended stays pending */
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_PENDING);
    t_expect_no_delivery(vm, 0);
    power_ok(vm, 0, SDEI_POWER_RESUME);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(masked(vm, 0), 1);
    t_expect_no_delivery(vm, 0);
    t_unmask(vm, 0);
    t_expect_delivery(vm, 0, T_EVP);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.5 */
START_TEST(test_suspend_inside_a_handler_keeps_it_running)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    sdei_power_info info = power(vm, 0, SDEI_POWER_SUSPEND);
    ck_assert_uint_eq(info.completed, 0);
    power_ok(vm, 0, SDEI_POWER_RESUME);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_RUNNING_ENABLED);
    sdei_call_info done = t_complete(vm, 0, 0);
    ck_assert_int_eq(done.outcome, SDEI_CALL_COMPLETED);
    ck_assert_uint_eq(t_regs(vm, 0).pc, T_CTX_BASE + 0x200);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.6 */
START_TEST(test_rm_any_trigger_waiting_on_a_pe_going_off_moves_to_another)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVS, T_EP, 0);
    /* vCPU 0 busy with a private handler: the shared trigger routes to it only
     * if nobody else is unmasked; unmask vCPU 2 after the trigger */
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 0), 1);
    t_unmask(vm, 2);
    power_ok(vm, 0, SDEI_POWER_CPU_OFF);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 0), 0);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 2), 1);
    t_expect_delivery(vm, 2, T_EVS);
    /* later RM_ANY triggers never pick a PE that is off */
    ck_assert_int_eq(t_complete(vm, 2, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 2), 1);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.6 */
START_TEST(test_rm_pe_trigger_for_a_pe_that_is_off_waits_for_it)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, T_EP, 7, SDEI_RM_PE,
                              sdei_default_mpidr(1)),
                     SDEI_SUCCESS);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVS, 0, 0, 0, 0), SDEI_SUCCESS);
    t_unmask(vm, 0);
    power_ok(vm, 1, SDEI_POWER_CPU_OFF);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 1), 1);
    t_expect_no_delivery(vm, 0);
    power_ok(vm, 1, SDEI_POWER_CPU_ON);
    t_expect_no_delivery(vm, 1); /* masked after CPU_ON */
    t_unmask(vm, 1);
    t_expect_delivery(vm, 1, T_EVS);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.7 */
START_TEST(test_an_event_does_not_bring_an_off_pe_online)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_register_enable(vm, 0, T_EVS, T_EP, 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, 0, 0, 0, 0),
                     SDEI_DENIED); /* enabled: routing is refused, RM_ANY stays */
    power_ok(vm, 1, SDEI_POWER_CPU_OFF);
    power_ok(vm, 0, SDEI_POWER_CPU_OFF);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    for (uint32_t v = 0; v < 2; v++) {
        t_expect_no_delivery(vm, v);
        ck_assert_int_eq(sdei_vcpu_has_deliverable(vm, v), 0);
        ck_assert_int_eq(sdei_vcpu_power_state(vm, v), SDEI_PE_OFF);
    }
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.8 */
START_TEST(test_bad_power_transitions_change_nothing)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, T_EP, 0);
    ck_assert_int_eq(power(vm, 0, SDEI_POWER_CPU_ON).result, SDEI_POWER_ALREADY_ON);
    ck_assert_int_eq(power(vm, 0, SDEI_POWER_RESUME).result, SDEI_POWER_NOT_SUSPENDED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(masked(vm, 0), 0);
    power_ok(vm, 1, SDEI_POWER_CPU_OFF);
    static const sdei_power_action own[] = {SDEI_POWER_CPU_OFF,    SDEI_POWER_SUSPEND,
                                            SDEI_POWER_CPU_FREEZE, SDEI_POWER_QUERY,
                                            SDEI_POWER_SYSTEM_OFF, SDEI_POWER_SYSTEM_RESET};
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
        ck_assert_msg(power(vm, 1, own[i]).result == SDEI_POWER_NOT_RUNNING, "%s",
                      sdei_power_action_name(own[i]));
    }
    ck_assert_int_eq(power(vm, 1, SDEI_POWER_RESUME).result, SDEI_POWER_NOT_SUSPENDED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(sdei_vcpu_power_state(vm, 0), SDEI_PE_ON);
    /* a frozen PE is on as far as PSCI CPU_ON is concerned */
    power_ok(vm, 0, SDEI_POWER_CPU_FREEZE);
    ck_assert_int_eq(power(vm, 0, SDEI_POWER_CPU_ON).result, SDEI_POWER_ALREADY_ON);
    ck_assert_int_eq(sdei_vcpu_power_state(vm, 0), SDEI_PE_FROZEN);
    /* API errors */
    ck_assert_int_eq(sdei_vcpu_power(vm, 2, SDEI_POWER_CPU_ON, NULL), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_power(vm, 0, SDEI_POWER_ACTION_COUNT, NULL), SDEI_E_POWER_ACTION);
    ck_assert_int_eq(sdei_vcpu_power(NULL, 0, SDEI_POWER_CPU_ON, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vcpu_reset(vm, 2), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_power_state(vm, 2), SDEI_PE_STATE_COUNT);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.9 */
START_TEST(test_an_sdei_call_from_a_pe_that_is_not_on_is_an_api_error)
{
    static const sdei_power_action downs[] = {SDEI_POWER_CPU_OFF, SDEI_POWER_SUSPEND,
                                              SDEI_POWER_CPU_FREEZE};
    for (size_t i = 0; i < sizeof(downs) / sizeof(downs[0]); i++) {
        sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
        power_ok(vm, 0, downs[i]);
        sdei_regs *r = sdei_vcpu_regs(vm, 0);
        r->x[0] = SDEI_FID_VERSION;
        r->x[1] = 0x11;
        sdei_call_info info;
        ck_assert_int_eq(sdei_hypercall(vm, 0, &info), SDEI_E_VCPU_OFF);
        ck_assert_uint_eq(r->x[0], SDEI_FID_VERSION);
        ck_assert_uint_eq(r->x[1], 0x11);
        sdei_vm_free(vm);
    }
}
END_TEST

/* rule: POWER.10 POWER.11 */
START_TEST(test_system_reset_unregisters_everything_and_boots_vcpu_0)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, T_EP, 0);
    t_register_enable(vm, 2, T_EVP, T_EP, 0);
    t_register_enable(vm, 1, T_EVS, T_EP, 0);
    uint64_t bound = t_bind(vm, 0, 40);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, bound, T_EP, 0, 0, 0), 0);
    t_make_state(vm, 0, T_EVC, SDEI_STATE_RUNNING_ENABLED);
    power_ok(vm, 2, SDEI_POWER_SYSTEM_RESET);
    for (uint32_t v = 0; v < 3; v++) {
        ck_assert_int_eq(t_state(vm, T_EVP, v), SDEI_STATE_UNREGISTERED);
        ck_assert_int_eq(t_state(vm, T_EVC, v), SDEI_STATE_UNREGISTERED);
        ck_assert_int_eq(masked(vm, v), 1);
        ck_assert_int_eq(sdei_vcpu_power_state(vm, v), v == 0 ? SDEI_PE_ON : SDEI_PE_OFF);
    }
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, bound, 0), SDEI_STATE_UNREGISTERED);
    /* the binding is released: binding the SPI again takes the first slot again */
    ck_assert_uint_eq(t_bind(vm, 0, 41), bound);
    /* the exposed events stay */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, T_EP, 0, 0, 0), 0);
    power_ok(vm, 0, SDEI_POWER_SYSTEM_OFF);
    for (uint32_t v = 0; v < 3; v++) {
        ck_assert_int_eq(sdei_vcpu_power_state(vm, v), SDEI_PE_OFF);
    }
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.12 */
START_TEST(test_vmm_vcpu_reset_is_a_pe_reset_in_any_state)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_register_enable(vm, 1, T_EVP, T_EP, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(sdei_vcpu_reset(vm, 0), SDEI_OK);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_ENABLED);
    ck_assert_int_eq(masked(vm, 0), 1);
    ck_assert_int_eq(t_complete(vm, 0, 0).result, SDEI_DENIED);
    /* an off vCPU comes back on */
    power_ok(vm, 1, SDEI_POWER_CPU_OFF);
    ck_assert_int_eq(sdei_vcpu_reset(vm, 1), SDEI_OK);
    ck_assert_int_eq(sdei_vcpu_power_state(vm, 1), SDEI_PE_ON);
    ck_assert_int_eq(t_status(vm, 1, T_EVP), 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: POWER.3 POWER.12 kvm-v5 leaves the SDEI state as it was */
START_TEST(test_kvm_v5_power_and_reset_keep_every_sdei_state)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_KVM_V5, 2);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, T_EP, 0);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_PENDING);
    t_expect_delivery(vm, 0, T_EVP);
    sdei_power_info info = power(vm, 0, SDEI_POWER_CPU_OFF);
    ck_assert_uint_eq(info.completed, 0);
    power_ok(vm, 0, SDEI_POWER_CPU_ON);
    ck_assert_int_eq(masked(vm, 0), 0);
    ck_assert_int_eq(sdei_vcpu_reset(vm, 0), SDEI_OK);
    /* the handler of before the reset is still "running": its COMPLETE works */
    ck_assert_int_eq(t_complete(vm, 0, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_int_eq(t_status(vm, 0, T_EVP), 3);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* Power states migrate: the whole-VM save carries them (POWER record), and a
 * save of a VM whose vCPUs are all on has no such record. */
START_TEST(test_power_states_survive_save_and_restore)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    size_t all_on = 0, size = 0, written = 0;
    ck_assert_int_eq(sdei_vm_save_size(vm, &all_on), SDEI_OK);
    power_ok(vm, 1, SDEI_POWER_SUSPEND);
    power_ok(vm, 2, SDEI_POWER_CPU_FREEZE);
    ck_assert_int_eq(sdei_vm_save_size(vm, &size), SDEI_OK);
    ck_assert_uint_eq(size, all_on + 16);
    uint8_t *buf = malloc(size);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(sdei_vm_save(vm, buf, size, &written), SDEI_OK);
    sdei_vm *fresh = t_vm_bare(SDEI_PROFILE_SPEC, 3);
    ck_assert_int_eq(sdei_vm_restore(fresh, buf, written, NULL, NULL), SDEI_OK);
    ck_assert_int_eq(sdei_vcpu_power_state(fresh, 0), SDEI_PE_ON);
    ck_assert_int_eq(sdei_vcpu_power_state(fresh, 1), SDEI_PE_SUSPENDED);
    ck_assert_int_eq(sdei_vcpu_power_state(fresh, 2), SDEI_PE_FROZEN);
    /* a bad state byte, bad padding, a bad length: format errors, VM untouched */
    static const size_t offs[] = {0, 5};
    for (size_t i = 0; i < 2; i++) {
        buf[written - 8 + offs[i]] = 9;
        ck_assert_int_eq(sdei_vm_restore(fresh, buf, written, NULL, NULL), SDEI_E_FORMAT);
        buf[written - 8 + offs[i]] = i == 0 ? SDEI_PE_ON : 0;
    }
    buf[written - 12] = 9;
    ck_assert_int_eq(sdei_vm_restore(fresh, buf, written, NULL, NULL), SDEI_E_FORMAT);
    ck_assert_int_eq(sdei_vm_restore(fresh, buf, written - 16, NULL, NULL), SDEI_E_FORMAT);
    ck_assert_int_eq(sdei_vcpu_power_state(fresh, 2), SDEI_PE_FROZEN);
    free(buf);
    sdei_vm_free(fresh);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_power_names_round_trip)
{
    for (int a = 0; a < (int)SDEI_POWER_ACTION_COUNT; a++) {
        ck_assert_int_eq(sdei_power_action_by_name(sdei_power_action_name(a)), a);
    }
    for (int r = 0; r < (int)SDEI_POWER_RESULT_COUNT; r++) {
        ck_assert_int_eq(sdei_power_result_by_name(sdei_power_result_name(r)), r);
    }
    for (int s = 0; s < (int)SDEI_PE_STATE_COUNT; s++) {
        ck_assert_int_eq(sdei_power_state_by_name(sdei_power_state_name(s)), s);
    }
    ck_assert_str_eq(sdei_power_action_name(SDEI_POWER_ACTION_COUNT), "?");
    ck_assert_str_eq(sdei_power_result_name(SDEI_POWER_RESULT_COUNT), "?");
    ck_assert_str_eq(sdei_power_state_name(SDEI_PE_STATE_COUNT), "?");
    ck_assert_int_eq(sdei_power_action_by_name("reboot"), -1);
    ck_assert_int_eq(sdei_power_result_by_name(NULL), -1);
    ck_assert_str_eq(sdei_strerror(SDEI_E_VCPU_OFF),
                     "vCPU is not running (off, suspended or frozen)");
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_cpu_off_inside_a_handler_completes_it_first,
        test_system_reset_and_freeze_inside_a_handler_complete_it_first,
        test_psci_queries_inside_a_handler_leave_it_running,
        test_off_and_on_starts_masked_with_private_events_unregistered,
        test_powerdown_suspend_keeps_state_and_wakes_masked,
        test_suspend_inside_a_handler_keeps_it_running,
        test_rm_any_trigger_waiting_on_a_pe_going_off_moves_to_another,
        test_rm_pe_trigger_for_a_pe_that_is_off_waits_for_it,
        test_an_event_does_not_bring_an_off_pe_online,
        test_bad_power_transitions_change_nothing,
        test_an_sdei_call_from_a_pe_that_is_not_on_is_an_api_error,
        test_system_reset_unregisters_everything_and_boots_vcpu_0,
        test_vmm_vcpu_reset_is_a_pe_reset_in_any_state,
        test_kvm_v5_power_and_reset_keep_every_sdei_state,
        test_power_states_survive_save_and_restore,
        test_power_names_round_trip,
    };
    return t_run_tests("power", tests, T_COUNT(tests));
}
