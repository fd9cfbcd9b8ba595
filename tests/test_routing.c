/*
 * test_routing.c - routing of shared events: RM_ANY to exactly one unmasked
 * vCPU, RM_PE to the affinity vCPU, ROUTING_SET and GET_INFO, masked vCPUs,
 * and one run at a time (sdei-rules §4.3, §6.6, §6.9; DESIGN §3.2).
 */
#include <inttypes.h>

#include "testlib.h"

#define EP UINT64_C(0x60000)

/* Total pending triggers of num over all vCPUs, and the vCPU holding them. */
static uint32_t pending_total(const sdei_vm *vm, uint64_t num, int32_t *where)
{
    uint32_t total = 0;
    *where = -1;
    for (uint32_t v = 0; v < sdei_vm_nr_vcpus(vm); v++) {
        uint32_t n = t_pending(vm, num, v);
        if (n > 0) {
            *where = (int32_t)v;
        }
        total += n;
    }
    return total;
}

/* Delivers on every vCPU; returns how many entered num, *who the last. */
static uint32_t deliver_everywhere(sdei_vm *vm, uint64_t num, int32_t *who)
{
    uint32_t count = 0;
    *who = -1;
    for (uint32_t v = 0; v < sdei_vm_nr_vcpus(vm); v++) {
        sdei_delivery d = t_deliver(vm, v);
        if (d.delivered && d.num == num) {
            count++;
            *who = (int32_t)v;
        }
    }
    return count;
}

static int vcpu_masked(const sdei_vm *vm, uint32_t v)
{
    sdei_vcpu_view w;
    ck_assert_int_eq(sdei_vcpu_view_of(vm, v, &w), SDEI_OK);
    return w.masked;
}

START_TEST(test_rm_any_trigger_is_handled_by_exactly_one_unmasked_vcpu)
{
    /* unmask patterns over 4 vCPUs (bit v = vCPU v unmasked) */
    for (uint32_t pattern = 1; pattern < 16; pattern++) {
        sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 4);
        for (uint32_t v = 0; v < 4; v++) {
            if (pattern & (1u << v)) {
                t_unmask(vm, v);
            }
        }
        t_register_enable(vm, 3, T_EVS, EP, 0);
        for (int round = 0; round < 3; round++) {
            ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
            int32_t where;
            ck_assert_uint_eq(pending_total(vm, T_EVS, &where), 1);
            ck_assert_msg(pattern & (1u << where), "pattern 0x%x: parked on masked vCPU %d",
                          pattern, where);
            int32_t who;
            uint32_t n = deliver_everywhere(vm, T_EVS, &who);
            ck_assert_msg(n == 1 && !vcpu_masked(vm, (uint32_t)who),
                          "pattern 0x%x round %d: %u deliveries, last on vCPU %d", pattern, round,
                          n, who);
            ck_assert_int_eq(t_complete(vm, (uint32_t)who, 0).outcome, SDEI_CALL_COMPLETED);
        }
        t_check_vm(vm);
        sdei_vm_free(vm);
    }
}
END_TEST

/* rule: ROUTING_SET.7 GET_INFO.4 */
START_TEST(test_rm_pe_trigger_goes_to_the_vcpu_named_by_the_affinity)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 4);
    for (uint32_t v = 0; v < 4; v++) {
        t_unmask(vm, v);
    }
    for (uint32_t target = 0; target < 4; target++) {
        uint64_t aff = sdei_default_mpidr(target);
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVSC, EP, 0, SDEI_RM_PE, aff),
                         SDEI_SUCCESS);
        ck_assert_int_eq(
            t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVSC, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0),
            SDEI_RM_PE);
        /* the affinity fields are kept (bit 31 is not an affinity field) */
        ck_assert_int_eq(
            t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVSC, SDEI_INFO_EV_ROUTING_AFF, 0, 0, 0),
            (int64_t)(aff & SDEI_MPIDR_AFFINITY_MASK));
        ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_ENABLE, T_EVSC, 0, 0, 0, 0), 0);
        for (int round = 0; round < 2; round++) {
            t_trigger(vm, T_EVSC, 0);
            ck_assert_uint_eq(t_pending(vm, T_EVSC, target), 1);
            int32_t who;
            ck_assert_uint_eq(deliver_everywhere(vm, T_EVSC, &who), 1);
            ck_assert_int_eq(who, (int32_t)target);
            t_complete(vm, target, 0);
        }
        ck_assert_int_eq(t_callid(vm, 2, SDEI_CALL_EVENT_UNREGISTER, T_EVSC, 0, 0, 0, 0), 0);
    }
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_rm_pe_trigger_waits_for_its_masked_vcpu)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    t_unmask(vm, 0);
    t_unmask(vm, 1);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, EP, 0, SDEI_RM_PE, sdei_default_mpidr(2)),
        SDEI_SUCCESS);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVS, 0, 0, 0, 0), 0);
    t_trigger(vm, T_EVS, 0);
    int32_t who;
    ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 0);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 2), 1);
    /* another vCPU masking or unmasking does not move an RM_PE trigger */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    t_unmask(vm, 0);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 2), 1);
    t_unmask(vm, 2);
    ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 1);
    ck_assert_int_eq(who, 2);
    sdei_vm_free(vm);
}
END_TEST

/* rule: ROUTING_SET.6 ROUTING_SET.7 GET_INFO.5 */
START_TEST(test_routing_set_in_d_changes_the_target_and_get_info_reports_it)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    for (uint32_t v = 0; v < 3; v++) {
        t_unmask(vm, v);
    }
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, EP, 0, SDEI_RM_ANY, 0), 0);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0),
        SDEI_RM_ANY);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_AFF, 0, 0, 0),
        SDEI_INVALID_PARAMETERS);
    uint64_t aff1 = sdei_default_mpidr(1) | (UINT64_C(1) << 30); /* U bit: not affinity */
    ck_assert_int_eq(t_callid(vm, 2, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_PE, aff1, 0, 0),
                     SDEI_SUCCESS);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0),
        SDEI_RM_PE);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_AFF, 0, 0, 0),
        (int64_t)(aff1 & SDEI_MPIDR_AFFINITY_MASK));
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVS, 0, 0, 0, 0), 0);
    /* ROUTING_SET only in D */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_ANY, 0, 0, 0),
                     SDEI_DENIED);
    t_trigger(vm, T_EVS, 0);
    int32_t who;
    ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 1);
    ck_assert_int_eq(who, 1);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_ANY, 0, 0, 0),
                     SDEI_DENIED);
    t_complete(vm, 1, 0);
    /* back to D: RM_ANY accepted, and reported */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, T_EVS, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_ANY, 0, 0, 0),
                     SDEI_SUCCESS);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0),
        SDEI_RM_ANY);
    sdei_vm_free(vm);
}
END_TEST

/* kvm-v5 §4.2 ROUTING_SET: a registered, disabled shared event that still has
 * an instance (pending or running) is DENIED; without one it is accepted.
 * (Issue 13: a mutant dropping the instance check survived.) */
START_TEST(test_kvm_v5_routing_set_with_a_pending_or_running_instance_is_denied)
{
    for (int running = 0; running < 2; running++) {
        sdei_vm *vm = t_vm(SDEI_PROFILE_KVM_V5, 2);
        t_unmask(vm, 0);
        t_unmask(vm, 1);
        t_register_enable(vm, 0, T_EVS, EP, 0);
        ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
        int32_t where;
        ck_assert_uint_eq(pending_total(vm, T_EVS, &where), 1);
        if (running) {
            t_expect_delivery(vm, (uint32_t)where, T_EVS);
        }
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, T_EVS, 0, 0, 0, 0), 0);
        ck_assert_msg(t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_ANY, 0, 0, 0) ==
                          SDEI_DENIED,
                      "kvm-v5: ROUTING_SET with a %s instance must be DENIED",
                      running ? "running" : "pending");
        if (running) {
            /* the instance completes: nothing left, the same call is accepted */
            ck_assert_int_eq(t_complete(vm, (uint32_t)where, 0).outcome, SDEI_CALL_COMPLETED);
            ck_assert_int_eq(
                t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_ANY, 0, 0, 0),
                SDEI_SUCCESS);
        }
        sdei_vm_free(vm);
    }
}
END_TEST

/* RM_ANY with no idle unmasked vCPU: the first unmasked one (busy) takes the
 * trigger, not vCPU 0 while it is masked (DESIGN §3.2; a mutant that started
 * the search at vCPU 0 survived the first mutation run). */
START_TEST(test_rm_any_with_every_unmasked_vcpu_busy_goes_to_the_first_unmasked)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    for (uint32_t v = 1; v < 3; v++) {
        t_unmask(vm, v);
        t_register_enable(vm, v, T_EVP, EP, 0);
        ck_assert_int_eq(t_trigger(vm, T_EVP, v), SDEI_TRIGGER_PENDING);
        t_expect_delivery(vm, v, T_EVP);
    }
    t_register_enable(vm, 1, T_EVS, EP, 0);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    int32_t where;
    ck_assert_uint_eq(pending_total(vm, T_EVS, &where), 1);
    ck_assert_int_eq(where, 1);
    sdei_vm_free(vm);
}
END_TEST

/* A pending RM_ANY trigger moved off a vCPU that masks joins the instance the
 * event already has where it runs: after COMPLETE it is delivered there again
 * (one run at a time, no trigger lost; sdei-rules §4.3). */
START_TEST(test_a_trigger_moved_to_the_vcpu_running_the_event_is_kept)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    t_unmask(vm, 1);
    t_unmask(vm, 2);
    t_register_enable(vm, 1, T_EVS, EP, 0);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    t_expect_delivery(vm, 1, T_EVS);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    int32_t where;
    ck_assert_uint_eq(pending_total(vm, T_EVS, &where), 1);
    ck_assert_int_eq(where, 2);
    t_expect_no_delivery(vm, 2); /* it runs on vCPU 1 */
    ck_assert_int_eq(t_callid(vm, 2, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    ck_assert_uint_eq(pending_total(vm, T_EVS, &where), 1);
    ck_assert_int_eq(where, 1);
    ck_assert_int_eq(t_complete(vm, 1, 0).outcome, SDEI_CALL_COMPLETED);
    t_expect_delivery(vm, 1, T_EVS);
    sdei_vm_free(vm);
}
END_TEST

/* rule: ROUTING_SET.7 */
START_TEST(test_routing_set_moves_a_waiting_trigger_to_the_new_target)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    t_unmask(vm, 1);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, EP, 0, SDEI_RM_PE, sdei_default_mpidr(2)),
        0);
    /* disabled: the trigger waits on vCPU 2 */
    t_trigger(vm, T_EVS, 0);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 2), 1);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_PE,
                              sdei_default_mpidr(1), 0, 0),
                     SDEI_SUCCESS);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 2), 0);
    ck_assert_uint_eq(t_pending(vm, T_EVS, 1), 1);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVS, 0, 0, 0, 0), 0);
    t_expect_delivery(vm, 1, T_EVS);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_rm_any_trigger_with_every_vcpu_masked_goes_to_the_first_that_unmasks)
{
    for (uint32_t first = 0; first < 3; first++) {
        sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
        t_register_enable(vm, 0, T_EVS, EP, 0);
        ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
        int32_t who;
        ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 0);
        t_unmask(vm, first);
        ck_assert_msg(sdei_vcpu_has_deliverable(vm, first), "vCPU %u unmasked first", first);
        for (uint32_t v = 0; v < 3; v++) {
            t_unmask(vm, v);
        }
        ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 1);
        ck_assert_int_eq(who, (int32_t)first);
        t_check_vm(vm);
        sdei_vm_free(vm);
    }
}
END_TEST

START_TEST(test_rm_any_trigger_moves_off_a_vcpu_that_masks_before_delivery)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_unmask(vm, 1);
    t_register_enable(vm, 0, T_EVS, EP, 0);
    t_trigger(vm, T_EVS, 0);
    int32_t where;
    ck_assert_uint_eq(pending_total(vm, T_EVS, &where), 1);
    uint32_t other = where == 0 ? 1u : 0u;
    ck_assert_int_eq(t_callid(vm, (uint32_t)where, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    ck_assert_uint_eq(t_pending(vm, T_EVS, other), 1);
    int32_t who;
    ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 1);
    ck_assert_int_eq(who, (int32_t)other);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_a_shared_event_runs_on_at_most_one_vcpu_at_a_time)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVS, SDEI_STATE_RUNNING_ENABLED);
    t_unmask(vm, 1);
    t_unmask(vm, 2);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    int32_t who;
    for (int i = 0; i < 2; i++) {
        ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 0);
    }
    /* STATUS is the one global state: running, seen from every vCPU */
    for (uint32_t v = 0; v < 3; v++) {
        ck_assert_int_eq(t_status(vm, v, T_EVS), 7);
    }
    t_complete(vm, 0, 0);
    /* edge-triggered: two triggers while running give one more run */
    ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 1);
    ck_assert_int_eq(t_complete(vm, (uint32_t)who, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: REGISTER.7 GET_INFO.3 */
START_TEST(test_private_register_ignores_the_validated_flags_and_affinity)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_unmask(vm, 1);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, EP, 0, SDEI_RM_PE, sdei_default_mpidr(1)),
        SDEI_SUCCESS);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVP, 0, 0, 0, 0), 0);
    t_trigger(vm, T_EVP, 0);
    t_expect_no_delivery(vm, 1);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVP, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0),
        SDEI_INVALID_PARAMETERS);
    /* vCPU 1 has its own, unregistered copy */
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_UNREGISTERED);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 1), SDEI_TRIGGER_DROPPED);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_rm_pe_affinity_compares_aff3_to_aff0_and_ignores_other_bits)
{
    static const uint64_t mpidr[4] = {
        UINT64_C(0x0000000000),
        UINT64_C(0x0100000000), /* differ only in Aff3 */
        UINT64_C(0x0000010203),
        UINT64_C(0x0100010203),
    };
    sdei_config cfg = sdei_config_default(4);
    cfg.mpidr = mpidr;
    sdei_vm *vm = t_vm_cfg(&cfg);
    for (uint32_t v = 0; v < 4; v++) {
        t_unmask(vm, v);
        ck_assert_int_eq(sdei_vcpu_by_mpidr(vm, mpidr[v] | (UINT64_C(1) << 31) |
                                                    (UINT64_C(0xFF) << 24) |
                                                    (UINT64_C(0xFF) << 40)),
                         (int32_t)v);
    }
    for (uint32_t target = 0; target < 4; target++) {
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, EP, 0, SDEI_RM_PE,
                                  mpidr[target] | (UINT64_C(1) << 31)),
                         SDEI_SUCCESS);
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVS, 0, 0, 0, 0), 0);
        t_trigger(vm, T_EVS, 0);
        int32_t who;
        ck_assert_uint_eq(deliver_everywhere(vm, T_EVS, &who), 1);
        ck_assert_int_eq(who, (int32_t)target);
        t_complete(vm, target, 0);
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVS, 0, 0, 0, 0), 0);
    }
    /* Aff3 = 2 names no vCPU */
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, EP, 0, SDEI_RM_PE, UINT64_C(0x0200000000)),
        SDEI_INVALID_PARAMETERS);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_rm_any_trigger_is_handled_by_exactly_one_unmasked_vcpu,
        test_rm_pe_trigger_goes_to_the_vcpu_named_by_the_affinity,
        test_rm_pe_trigger_waits_for_its_masked_vcpu,
        test_routing_set_in_d_changes_the_target_and_get_info_reports_it,
        test_routing_set_moves_a_waiting_trigger_to_the_new_target,
        test_kvm_v5_routing_set_with_a_pending_or_running_instance_is_denied,
        test_rm_any_with_every_unmasked_vcpu_busy_goes_to_the_first_unmasked,
        test_a_trigger_moved_to_the_vcpu_running_the_event_is_kept,
        test_rm_any_trigger_with_every_vcpu_masked_goes_to_the_first_that_unmasks,
        test_rm_any_trigger_moves_off_a_vcpu_that_masks_before_delivery,
        test_a_shared_event_runs_on_at_most_one_vcpu_at_a_time,
        test_private_register_ignores_the_validated_flags_and_affinity,
        test_rm_pe_affinity_compares_aff3_to_aff0_and_ignores_other_bits,
    };
    return t_run_tests("routing", tests, T_COUNT(tests));
}
