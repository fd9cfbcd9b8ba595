/*
 * test_complete.c - COMPLETE and COMPLETE_AND_RESUME: the exact register
 * state after them (sdei-rules §8, §6.16-§6.17; DEN0054C §5.2.2).
 */
#include <inttypes.h>
#include <string.h>

#include "testlib.h"

#define EP UINT64_C(0x40000)
#define RESUME UINT64_C(0xFFFF000000080280) /* VBAR + 0x280, the Linux choice */

/* The handler: scribbles over every register it may change. */
static void handler_scribbles(sdei_vm *vm, uint32_t v)
{
    sdei_regs *r = sdei_vcpu_regs(vm, v);
    for (uint32_t i = 0; i < 31; i++) {
        r->x[i] = UINT64_C(0xEEEE000000000000) + i;
    }
    r->sp = 0xEEEE0100;
    r->pstate = SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H | SDEI_PSTATE_NZCV;
    r->elr_el1 = 0xEEEE0300;
    r->spsr_el1 = 0xEEEE0400;
}

static sdei_vm *vm_running(uint64_t num, uint64_t ctx_base, uint64_t pstate, uint8_t span)
{
    sdei_config cfg = sdei_config_default(1);
    cfg.sctlr_el1_span = span;
    sdei_vm *vm = t_vm_cfg(&cfg);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, num, EP, 0x1234);
    t_trigger(vm, num, 0);
    t_set_context(vm, 0, ctx_base, pstate);
    t_expect_delivery(vm, 0, num);
    return vm;
}

/* rule: COMPLETE.2 */
START_TEST(test_complete_restores_x0_to_x17_pc_and_pstate_exactly)
{
    static const uint64_t statuses[] = {SDEI_EV_HANDLED, SDEI_EV_FAILED};
    for (size_t k = 0; k < 2; k++) {
        /* interrupted x0 = -2: a value that also looks like a result code */
        uint64_t base = UINT64_C(0xFFFFFFFFFFFFFFFE);
        uint64_t pstate = SDEI_PSTATE_NZCV | SDEI_PSTATE_UAO | SDEI_PSTATE_SS | 0x200;
        sdei_vm *vm = vm_running(T_EVP, base, pstate, 1);
        sdei_regs interrupted;
        memset(&interrupted, 0, sizeof(interrupted));
        for (uint32_t i = 0; i < 31; i++) {
            interrupted.x[i] = base + i;
        }
        handler_scribbles(vm, 0);
        sdei_regs handler = t_regs(vm, 0);
        sdei_call_info info = t_complete(vm, 0, statuses[k]);
        ck_assert_int_eq(info.outcome, SDEI_CALL_COMPLETED);
        ck_assert_uint_eq(info.completed_num, T_EVP);
        ck_assert_int_eq(info.completed_priority, SDEI_EVENT_PRIORITY_NORMAL);
        ck_assert_int_eq(info.call, SDEI_CALL_EVENT_COMPLETE);
        sdei_regs r = t_regs(vm, 0);
        for (uint32_t i = 0; i < SDEI_SAVED_GPREGS; i++) {
            /* x0 is the interrupted x0, not a result: nothing is written on success */
            ck_assert_msg(r.x[i] == interrupted.x[i],
                          "status %" PRIu64 ": x%u = 0x%" PRIx64 ", want 0x%" PRIx64, statuses[k],
                          i, r.x[i], interrupted.x[i]);
        }
        for (uint32_t i = SDEI_SAVED_GPREGS; i < 31; i++) {
            /* x18-x30 are whatever the handler left (it must preserve them) */
            ck_assert_msg(r.x[i] == handler.x[i],
                          "x%u = 0x%" PRIx64 ", want the handler's 0x%" PRIx64, i, r.x[i],
                          handler.x[i]);
        }
        ck_assert_uint_eq(r.sp, handler.sp);
        ck_assert_uint_eq(r.elr_el1, handler.elr_el1);
        ck_assert_uint_eq(r.spsr_el1, handler.spsr_el1);
        ck_assert_uint_eq(r.pc, base + 0x200);
        ck_assert_uint_eq(r.pstate, pstate);
        ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
        t_check_vm(vm);
        sdei_vm_free(vm);
    }
}
END_TEST

/* rule: RESUME.1 COMPLETE.2 */
START_TEST(test_complete_and_resume_sets_elr_spsr_to_interrupted_pc_pstate_and_pc_to_x1)
{
    static const struct {
        uint64_t pstate;
        uint8_t span;
        uint64_t want_pstate;
    } cases[] = {
        /* PSTATE as for an exception taken to EL1h (DESIGN §3.2; the same rule as at
         * handler entry): DAIF set, NZCV/DIT/PAN kept, the rest cleared */
        {0, 1, SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H},
        {SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_UAO | SDEI_PSTATE_SS, 1,
         SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H | SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT},
        {SDEI_PSTATE_M_EL1H, 0, SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H | SDEI_PSTATE_PAN},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        uint64_t base = 0x6600;
        sdei_vm *vm = vm_running(T_EVS, base, cases[k].pstate, cases[k].span);
        handler_scribbles(vm, 0);
        sdei_regs handler = t_regs(vm, 0);
        sdei_call_info info;
        int64_t x0 =
            t_callinfo(vm, 0, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, RESUME, 0, 0, 0, 0, &info);
        ck_assert_int_eq(info.outcome, SDEI_CALL_COMPLETED);
        ck_assert_uint_eq(info.completed_num, T_EVS);
        ck_assert_int_eq(x0, (int64_t)base); /* interrupted x0, not a result */
        sdei_regs r = t_regs(vm, 0);
        for (uint32_t i = 0; i < SDEI_SAVED_GPREGS; i++) {
            ck_assert_msg(r.x[i] == base + i, "case %zu: x%u = 0x%" PRIx64, k, i, r.x[i]);
        }
        for (uint32_t i = SDEI_SAVED_GPREGS; i < 31; i++) {
            ck_assert_uint_eq(r.x[i], handler.x[i]);
        }
        ck_assert_uint_eq(r.sp, handler.sp);
        ck_assert_uint_eq(r.pc, RESUME);
        ck_assert_uint_eq(r.elr_el1, base + 0x200);
        ck_assert_uint_eq(r.spsr_el1, cases[k].pstate);
        ck_assert_msg(r.pstate == cases[k].want_pstate,
                      "case %zu: interrupted 0x%" PRIx64 " SPAN=%u -> PSTATE 0x%" PRIx64
                      ", want 0x%" PRIx64,
                      k, cases[k].pstate, cases[k].span, r.pstate, cases[k].want_pstate);
        ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_ENABLED);
        sdei_vm_free(vm);
    }
}
END_TEST

/* rule: RESUME.1 COMPLETE.2 */
START_TEST(test_complete_and_resume_in_a_nested_handler_keeps_the_normal_handler_state)
{
    sdei_vm *vm = vm_running(T_EVP, 0x100, 0, 1);
    t_register_enable(vm, 0, T_EVC, EP + 0x1000, 0);
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    r->pc = EP + 0x44; /* the normal handler has advanced */
    for (uint32_t i = 0; i < SDEI_SAVED_GPREGS; i++) {
        r->x[i] = 0x5500 + i;
    }
    uint64_t normal_pstate = r->pstate;
    t_trigger(vm, T_EVC, 0);
    t_expect_delivery(vm, 0, T_EVC);
    sdei_call_info info;
    t_callinfo(vm, 0, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, RESUME, 0, 0, 0, 0, &info);
    ck_assert_int_eq(info.outcome, SDEI_CALL_COMPLETED);
    ck_assert_uint_eq(info.completed_num, T_EVC);
    ck_assert_int_eq(info.completed_priority, SDEI_EVENT_PRIORITY_CRITICAL);
    sdei_regs after = t_regs(vm, 0);
    ck_assert_uint_eq(after.elr_el1, EP + 0x44);
    ck_assert_uint_eq(after.spsr_el1, normal_pstate);
    ck_assert_uint_eq(after.pc, RESUME);
    ck_assert_uint_eq(after.x[17], 0x5511);
    /* the normal handler is still running underneath */
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_complete(vm, 0, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_uint_eq(t_regs(vm, 0).pc, 0x100 + 0x200);
    sdei_vm_free(vm);
}
END_TEST

/* rule: COMPLETE.1 */
START_TEST(test_complete_with_nothing_running_is_denied_and_changes_nothing)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, 0);
    static const sdei_call_id calls[] = {SDEI_CALL_EVENT_COMPLETE,
                                         SDEI_CALL_EVENT_COMPLETE_AND_RESUME};
    for (size_t k = 0; k < 2; k++) {
        t_set_context(vm, 0, 0x300, 0);
        sdei_call_info info;
        int64_t x0 = t_callinfo(vm, 0, calls[k], 0x9000, 0x2, 0x3, 0x4, 0x5, &info);
        ck_assert_int_eq(x0, SDEI_DENIED);
        ck_assert_int_eq(info.outcome, SDEI_CALL_RETURNED);
        sdei_regs r = t_regs(vm, 0);
        ck_assert_uint_eq(r.x[1], 0);
        ck_assert_uint_eq(r.x[2], 0);
        ck_assert_uint_eq(r.x[3], 0);
        ck_assert_uint_eq(r.x[4], 0x4);
        ck_assert_uint_eq(r.pc, 0x300 + 0x200);
        ck_assert_uint_eq(r.elr_el1, 0x300 + 0x300);
        ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
    }
    /* and after a handler has completed: DENIED again (ACS test_027) */
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(t_complete(vm, 0, 0).outcome, SDEI_CALL_COMPLETED);
    sdei_call_info info = t_complete(vm, 0, 0);
    ck_assert_int_eq(info.outcome, SDEI_CALL_RETURNED);
    ck_assert_int_eq(info.result, SDEI_DENIED);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* rule: COMPLETE.3 */
START_TEST(test_complete_of_a_disabled_running_event_leaves_it_registered_disabled)
{
    sdei_vm *vm = vm_running(T_EVSC, 0x100, 0, 1);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, T_EVSC, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_status(vm, 0, T_EVSC), 5);
    ck_assert_int_eq(t_complete(vm, 0, SDEI_EV_FAILED).outcome, SDEI_CALL_COMPLETED);
    ck_assert_int_eq(t_state(vm, T_EVSC, 0), SDEI_STATE_REGISTERED);
    ck_assert_int_eq(t_status(vm, 0, T_EVSC), 1);
    /* re-enable from inside the handler: RD -> RE, then COMPLETE -> E */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVSC, 0, 0, 0, 0), 0);
    t_trigger(vm, T_EVSC, 0);
    t_expect_delivery(vm, 0, T_EVSC);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, T_EVSC, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVSC, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_state(vm, T_EVSC, 0), SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_complete(vm, 0, 0).outcome, SDEI_CALL_COMPLETED);
    ck_assert_int_eq(t_state(vm, T_EVSC, 0), SDEI_STATE_ENABLED);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_handler_registers_survive_a_hypercall_inside_the_handler)
{
    /* calls made by the handler write x0..x3 only; x4..x17 and the saved
     * context stay as they were */
    sdei_vm *vm = vm_running(T_EVP, 0x100, 0, 1);
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    r->x[6] = 0x66;
    ck_assert_int_eq(t_status(vm, 0, T_EVP), 7);
    ck_assert_uint_eq(t_regs(vm, 0).x[6], 0x66);
    t_complete(vm, 0, 0);
    ck_assert_uint_eq(t_regs(vm, 0).x[6], 0x106);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_complete_restores_x0_to_x17_pc_and_pstate_exactly,
        test_complete_and_resume_sets_elr_spsr_to_interrupted_pc_pstate_and_pc_to_x1,
        test_complete_and_resume_in_a_nested_handler_keeps_the_normal_handler_state,
        test_complete_with_nothing_running_is_denied_and_changes_nothing,
        test_complete_of_a_disabled_running_event_leaves_it_registered_disabled,
        test_handler_registers_survive_a_hypercall_inside_the_handler,
    };
    return t_run_tests("complete", tests, T_COUNT(tests));
}
