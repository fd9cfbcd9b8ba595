/*
 * test_delivery.c - when a handler is entered and with which registers:
 * preemption (sdei-rules §4.5), masking (§6.8-§6.9), pending triggers of
 * disabled events (§7.4), register state and PSTATE at handler entry (§7.2,
 * §7.3, DESIGN §3.2), and CONTEXT (§6.15).
 */
#include <inttypes.h>
#include <string.h>

#include "testlib.h"

#define EP_P UINT64_C(0x11000)
#define EP_C UINT64_C(0x22000)
#define EP_S UINT64_C(0x33000)
#define EP_SC UINT64_C(0x44000)

/* One vCPU unmasked with P, C, S, SC registered and enabled. */
static sdei_vm *vm_all_enabled(uint32_t nr_vcpus)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, nr_vcpus);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP_P, 0xA1);
    t_register_enable(vm, 0, T_EVC, EP_C, 0xA2);
    t_register_enable(vm, 0, T_EVS, EP_S, 0xA3);
    t_register_enable(vm, 0, T_EVSC, EP_SC, 0xA4);
    return vm;
}

static sdei_vcpu_view view(const sdei_vm *vm, uint32_t v)
{
    sdei_vcpu_view w;
    ck_assert_int_eq(sdei_vcpu_view_of(vm, v, &w), SDEI_OK);
    return w;
}

/* ---- preemption ---- */

START_TEST(test_critical_event_preempts_a_running_normal_handler)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_set_context(vm, 0, 0x1000, 0);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    sdei_regs normal_entry = t_regs(vm, 0);
    t_trigger(vm, T_EVC, 0);
    sdei_delivery d = t_deliver(vm, 0);
    ck_assert_int_eq(d.delivered, 1);
    ck_assert_uint_eq(d.num, T_EVC);
    ck_assert_int_eq(d.priority, SDEI_EVENT_PRIORITY_CRITICAL);
    ck_assert_int_eq(d.preempted, 1);
    sdei_vcpu_view w = view(vm, 0);
    ck_assert_int_eq(w.normal_running, 1);
    ck_assert_int_eq(w.critical_running, 1);
    ck_assert_uint_eq(w.normal_num, T_EVP);
    ck_assert_uint_eq(w.critical_num, T_EVC);
    /* the critical handler interrupted the normal one: x2/x3 are its PC/PSTATE */
    sdei_regs r = t_regs(vm, 0);
    ck_assert_uint_eq(r.x[2], normal_entry.pc);
    ck_assert_uint_eq(r.x[3], normal_entry.pstate);
    ck_assert_uint_eq(r.pc, EP_C);
    /* completing the critical handler returns into the normal handler */
    ck_assert_int_eq(t_complete(vm, 0, SDEI_EV_HANDLED).outcome, SDEI_CALL_COMPLETED);
    r = t_regs(vm, 0);
    ck_assert_uint_eq(r.pc, EP_P);
    ck_assert_uint_eq(r.x[0], T_EVP);
    ck_assert_uint_eq(r.x[1], 0xA1);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_state(vm, T_EVC, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(t_complete(vm, 0, SDEI_EV_HANDLED).outcome, SDEI_CALL_COMPLETED);
    ck_assert_uint_eq(t_regs(vm, 0).pc, 0x1200);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_nothing_preempts_a_critical_handler)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVC, 0);
    t_expect_delivery(vm, 0, T_EVC);
    t_trigger(vm, T_EVP, 0);
    t_trigger(vm, T_EVSC, 0);
    t_trigger(vm, T_EVS, 0);
    ck_assert_int_eq(sdei_vcpu_has_deliverable(vm, 0), 0);
    t_expect_no_delivery(vm, 0);
    ck_assert_uint_eq(view(vm, 0).critical_num, T_EVC);
    ck_assert_int_eq(view(vm, 0).normal_running, 0);
    /* after COMPLETE the waiting critical event comes first, then normal ones */
    t_complete(vm, 0, SDEI_EV_HANDLED);
    t_expect_delivery(vm, 0, T_EVSC);
    t_expect_no_delivery(vm, 0);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    sdei_delivery d = t_deliver(vm, 0);
    ck_assert_int_eq(d.delivered, 1);
    ck_assert_int_eq(d.priority, SDEI_EVENT_PRIORITY_NORMAL);
    ck_assert_int_eq(d.preempted, 0);
    t_expect_no_delivery(vm, 0); /* normal never preempts normal */
    t_complete(vm, 0, SDEI_EV_HANDLED);
    t_expect_delivery(vm, 0, d.num == T_EVP ? T_EVS : T_EVP);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    t_expect_no_delivery(vm, 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_normal_event_never_preempts_a_normal_handler)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVS, 0);
    t_expect_delivery(vm, 0, T_EVS);
    t_trigger(vm, T_EVP, 0);
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 1);
    t_expect_no_delivery(vm, 0);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 0);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_at_most_two_handlers_nest_on_one_vcpu)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    t_trigger(vm, T_EVC, 0);
    t_expect_delivery(vm, 0, T_EVC);
    t_trigger(vm, T_EVSC, 0);
    t_trigger(vm, T_EVS, 0);
    for (int i = 0; i < 3; i++) {
        t_expect_no_delivery(vm, 0);
    }
    sdei_vcpu_view w = view(vm, 0);
    ck_assert_uint_eq(w.normal_num, T_EVP);
    ck_assert_uint_eq(w.critical_num, T_EVC);
    /* 4 instances queued: 2 running, 2 waiting */
    ck_assert_uint_eq(w.queued, 4);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_critical_is_entered_first_when_both_classes_are_pending)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVP, 0);
    t_trigger(vm, T_EVC, 0);
    sdei_delivery d = t_deliver(vm, 0);
    ck_assert_uint_eq(d.num, T_EVC);
    ck_assert_int_eq(d.preempted, 0);
    t_expect_no_delivery(vm, 0);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    t_expect_delivery(vm, 0, T_EVP);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_the_same_event_is_never_reentered_while_it_runs)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVC, 0);
    t_expect_delivery(vm, 0, T_EVC);
    ck_assert_int_eq(t_trigger(vm, T_EVC, 0), SDEI_TRIGGER_PENDING);
    ck_assert_int_eq(t_pending(vm, T_EVC, 0), 1);
    t_expect_no_delivery(vm, 0);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    t_expect_delivery(vm, 0, T_EVC);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_one_delivery_enters_at_most_one_handler)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVP, 0);
    t_trigger(vm, T_EVC, 0);
    t_trigger(vm, T_EVSC, 0);
    t_deliver(vm, 0);
    sdei_vcpu_view w = view(vm, 0);
    ck_assert_int_eq(w.critical_running + w.normal_running, 1);
    sdei_vm_free(vm);
}
END_TEST

/* ---- masking ---- */

START_TEST(test_nothing_is_delivered_to_a_masked_vcpu_until_pe_unmask)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    /* a vCPU starts masked (sdei-rules §9): register without unmasking */
    t_register_enable(vm, 0, T_EVP, EP_P, 0);
    t_register_enable(vm, 0, T_EVC, EP_C, 0);
    ck_assert_int_eq(view(vm, 0).masked, 1);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_PENDING);
    ck_assert_int_eq(t_trigger(vm, T_EVC, 0), SDEI_TRIGGER_PENDING);
    ck_assert_int_eq(sdei_vcpu_has_deliverable(vm, 0), 0);
    t_expect_no_delivery(vm, 0);
    t_unmask(vm, 0);
    ck_assert_int_eq(sdei_vcpu_has_deliverable(vm, 0), 1);
    t_expect_delivery(vm, 0, T_EVC);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    /* mask again: the pending normal event waits */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    t_expect_no_delivery(vm, 0);
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 1);
    t_unmask(vm, 0);
    t_expect_delivery(vm, 0, T_EVP);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_pe_mask_inside_a_handler_blocks_further_deliveries)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    t_trigger(vm, T_EVC, 0);
    t_expect_no_delivery(vm, 0); /* a masked PE is never a target (sdei-rules §7.1) */
    t_complete(vm, 0, SDEI_EV_HANDLED);
    t_expect_no_delivery(vm, 0);
    ck_assert_int_eq(view(vm, 0).masked, 1);
    t_unmask(vm, 0);
    t_expect_delivery(vm, 0, T_EVC);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_delivery_ignores_the_guest_daif_bits)
{
    /* sdei-rules §4.5: events are delivered with IRQs masked (NMI-like) */
    sdei_vm *vm = vm_all_enabled(1);
    sdei_vcpu_regs(vm, 0)->pstate = SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_private_trigger_is_delivered_only_on_its_vcpu)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    for (uint32_t v = 0; v < 3; v++) {
        t_unmask(vm, v);
        t_register_enable(vm, v, T_EVP, EP_P + v, 0x100 + v);
    }
    t_trigger(vm, T_EVP, 1);
    t_expect_no_delivery(vm, 0);
    t_expect_no_delivery(vm, 2);
    t_expect_delivery(vm, 1, T_EVP);
    sdei_regs r = t_regs(vm, 1);
    ck_assert_uint_eq(r.pc, EP_P + 1); /* each vCPU's own entry point */
    ck_assert_uint_eq(r.x[1], 0x101);  /* and argument */
    ck_assert_int_eq(t_state(vm, T_EVP, 1), SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_ENABLED);
    ck_assert_int_eq(t_status(vm, 0, T_EVP), 3);
    ck_assert_int_eq(t_status(vm, 1, T_EVP), 7);
    sdei_vm_free(vm);
}
END_TEST

/* ---- pending triggers of disabled and unregistered events ---- */

START_TEST(test_trigger_on_a_disabled_event_stays_pending_until_enable)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    static const uint64_t nums[] = {T_EVP, T_EVS};
    for (size_t i = 0; i < 2; i++) {
        uint64_t num = nums[i];
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, num, EP_P, 7, 0, 0), 0);
        ck_assert_int_eq(t_trigger(vm, num, 0), SDEI_TRIGGER_PENDING);
        t_expect_no_delivery(vm, 0);
        ck_assert_int_eq(t_pending(vm, num, 0), 1);
        ck_assert_int_eq(t_status(vm, 0, num), 1);
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, num, 0, 0, 0, 0), 0);
        t_expect_delivery(vm, 0, num);
        t_complete(vm, 0, SDEI_EV_HANDLED);
        /* disabled from E: the next trigger waits again */
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, num, 0, 0, 0, 0), 0);
        t_trigger(vm, num, 0);
        t_expect_no_delivery(vm, 0);
        ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, num, 0, 0, 0, 0), 0);
        t_expect_delivery(vm, 0, num);
        t_complete(vm, 0, SDEI_EV_HANDLED);
    }
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_disable_inside_the_handler_keeps_a_new_trigger_pending)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, T_EVP, 0, 0, 0, 0), 0);
    t_trigger(vm, T_EVP, 0);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    ck_assert_int_eq(t_state(vm, T_EVP, 0), SDEI_STATE_REGISTERED);
    t_expect_no_delivery(vm, 0);
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 1);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVP, 0, 0, 0, 0), 0);
    t_expect_delivery(vm, 0, T_EVP);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_trigger_on_an_unregistered_event_is_dropped)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_unmask(vm, 0);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_DROPPED);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_DROPPED);
    t_register_enable(vm, 0, T_EVP, EP_P, 0);
    t_register_enable(vm, 0, T_EVS, EP_S, 0);
    t_expect_no_delivery(vm, 0);
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 0);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_unregister_cancels_a_pending_trigger)
{
    /* sdei-rules §7.4: UNREGISTER clears a pending trigger */
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    t_register_enable(vm, 0, T_EVP, EP_P, 0);
    t_register_enable(vm, 0, T_EVS, EP_S, 0);
    t_trigger(vm, T_EVP, 0);
    t_trigger(vm, T_EVS, 0); /* masked: parked */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVP, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVS, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_pending(vm, T_EVP, 0), 0);
    ck_assert_int_eq(t_pending(vm, T_EVS, 0), 0);
    t_register_enable(vm, 0, T_EVP, EP_P, 0);
    t_register_enable(vm, 0, T_EVS, EP_S, 0);
    t_unmask(vm, 0);
    t_expect_no_delivery(vm, 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* ---- register state at handler entry ---- */

START_TEST(test_handler_entry_sets_x0_to_x3_pc_and_keeps_x4_to_x30_sp_elr_spsr)
{
    sdei_vm *vm = vm_all_enabled(1);
    uint64_t pstate = SDEI_PSTATE_NZCV | SDEI_PSTATE_M_EL1H;
    t_set_context(vm, 0, 0x5000, pstate);
    sdei_regs before = t_regs(vm, 0);
    t_trigger(vm, T_EVS, 0);
    t_expect_delivery(vm, 0, T_EVS);
    sdei_regs r = t_regs(vm, 0);
    ck_assert_uint_eq(r.x[0], T_EVS);         /* event number */
    ck_assert_uint_eq(r.x[1], 0xA3);          /* ep_argument */
    ck_assert_uint_eq(r.x[2], before.pc);     /* interrupted PC */
    ck_assert_uint_eq(r.x[3], before.pstate); /* interrupted PSTATE */
    for (uint32_t i = 4; i < 31; i++) {
        /* x4-x17 keep the interrupted values (DESIGN §3.2); x18-x30 untouched */
        ck_assert_msg(r.x[i] == before.x[i], "x%u = 0x%" PRIx64 ", want 0x%" PRIx64, i, r.x[i],
                      before.x[i]);
    }
    ck_assert_uint_eq(r.sp, before.sp);
    ck_assert_uint_eq(r.pc, EP_S);
    ck_assert_uint_eq(r.elr_el1, before.elr_el1);
    ck_assert_uint_eq(r.spsr_el1, before.spsr_el1); /* no spsr_clobber in spec */
    ck_assert_uint_eq(r.pstate, SDEI_PSTATE_NZCV | SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H);
    /* the view holds the saved context */
    sdei_vcpu_view w = view(vm, 0);
    for (uint32_t i = 0; i < SDEI_SAVED_GPREGS; i++) {
        ck_assert_uint_eq(w.normal_saved[i], before.x[i]);
    }
    ck_assert_uint_eq(w.normal_saved[SDEI_SAVED_GPREGS], before.pc);
    ck_assert_uint_eq(w.normal_saved[SDEI_SAVED_GPREGS + 1], before.pstate);
    sdei_vm_free(vm);
}
END_TEST

typedef struct pstate_case {
    const char *what;
    uint64_t interrupted;
    uint8_t span;
    uint64_t want;
} pstate_case;

START_TEST(test_handler_pstate_follows_the_exception_entry_rules)
{
    /* DESIGN §3.2: EL1h, DAIF set; NZCV, DIT, PAN kept; PAN forced when
     * SCTLR_EL1.SPAN = 0; IL, SS, UAO and all other bits cleared. */
    const uint64_t base = SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
    const uint64_t ssbs = UINT64_C(1) << 12, btype = UINT64_C(3) << 10, tco = UINT64_C(1) << 25;
    const pstate_case cases[] = {
        {"EL0t, nothing set", 0, 1, base},
        {"EL0t, nothing set, SPAN=0 forces PAN", 0, 0, base | SDEI_PSTATE_PAN},
        {"NZCV kept", SDEI_PSTATE_NZCV, 1, base | SDEI_PSTATE_NZCV},
        {"DIT kept", SDEI_PSTATE_DIT, 1, base | SDEI_PSTATE_DIT},
        {"PAN kept with SPAN=1", SDEI_PSTATE_PAN, 1, base | SDEI_PSTATE_PAN},
        {"PAN set stays set with SPAN=0", SDEI_PSTATE_PAN | SDEI_PSTATE_M_EL1H, 0,
         base | SDEI_PSTATE_PAN},
        {"UAO cleared", SDEI_PSTATE_UAO, 1, base},
        {"IL and SS cleared", SDEI_PSTATE_IL | SDEI_PSTATE_SS, 1, base},
        {"SSBS, BTYPE, TCO cleared (no optional features)", ssbs | btype | tco, 1, base},
        {"EL1h with D only: DAIF all set", SDEI_PSTATE_M_EL1H | (UINT64_C(1) << 9), 1, base},
        {"AArch32 EL0 (nRW) becomes AArch64 EL1h", UINT64_C(0x10), 1, base},
        {"every bit set, SPAN=1", UINT64_MAX, 1,
         base | SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_PAN},
        {"every bit set, SPAN=0", UINT64_MAX, 0,
         base | SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_PAN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sdei_config cfg = sdei_config_default(1);
        cfg.sctlr_el1_span = cases[i].span;
        sdei_vm *vm = t_vm_cfg(&cfg);
        t_unmask(vm, 0);
        t_register_enable(vm, 0, T_EVP, EP_P, 0);
        t_trigger(vm, T_EVP, 0);
        sdei_vcpu_regs(vm, 0)->pstate = cases[i].interrupted;
        t_expect_delivery(vm, 0, T_EVP);
        sdei_regs r = t_regs(vm, 0);
        ck_assert_msg(r.pstate == cases[i].want,
                      "%s: interrupted 0x%" PRIx64 " SPAN=%u -> 0x%" PRIx64 ", want 0x%" PRIx64,
                      cases[i].what, cases[i].interrupted, cases[i].span, r.pstate, cases[i].want);
        ck_assert_uint_eq(r.x[3], cases[i].interrupted);
        /* COMPLETE gives the interrupted PSTATE back exactly */
        t_complete(vm, 0, SDEI_EV_HANDLED);
        ck_assert_uint_eq(t_regs(vm, 0).pstate, cases[i].interrupted);
        sdei_vm_free(vm);
    }
}
END_TEST

/* ---- CONTEXT ---- */

/* rule: CONTEXT.3 */
START_TEST(test_context_returns_each_interrupted_register_x0_to_x17)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_set_context(vm, 0, 0x7700, 0);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    for (uint64_t p = 0; p < SDEI_SAVED_GPREGS; p++) {
        int64_t x0 = t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, p, 0, 0, 0, 0);
        ck_assert_msg(x0 == (int64_t)(0x7700 + p), "CONTEXT(%" PRIu64 ") = 0x%" PRIx64, p,
                      (uint64_t)x0);
    }
    /* the handler's own register changes do not show through CONTEXT */
    sdei_vcpu_regs(vm, 0)->x[5] = 0xBAD;
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 5, 0, 0, 0, 0), 0x7705);
    sdei_vm_free(vm);
}
END_TEST

/* rule: CONTEXT.3 */
START_TEST(test_context_in_a_nested_critical_handler_returns_the_normal_handler_registers)
{
    sdei_vm *vm = vm_all_enabled(1);
    t_set_context(vm, 0, 0x7700, 0);
    t_trigger(vm, T_EVS, 0);
    t_expect_delivery(vm, 0, T_EVS);
    /* the normal handler runs and changes its registers */
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    for (uint32_t i = 0; i < 31; i++) {
        r->x[i] = 0x9900 + i;
    }
    t_trigger(vm, T_EVSC, 0);
    t_expect_delivery(vm, 0, T_EVSC);
    for (uint64_t p = 0; p < SDEI_SAVED_GPREGS; p++) {
        int64_t x0 = t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, p, 0, 0, 0, 0);
        ck_assert_msg(x0 == (int64_t)(0x9900 + p), "nested CONTEXT(%" PRIu64 ") = 0x%" PRIx64, p,
                      (uint64_t)x0);
    }
    /* after the critical handler completes, CONTEXT is the original context again */
    t_complete(vm, 0, SDEI_EV_HANDLED);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 3, 0, 0, 0, 0), 0x7703);
    t_complete(vm, 0, SDEI_EV_HANDLED);
    /* after the last COMPLETE, CONTEXT is DENIED (ACS test_027) */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 3, 0, 0, 0, 0), SDEI_DENIED);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_context_on_another_vcpu_is_denied)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVS, EP_S, 0);
    t_trigger(vm, T_EVS, 0);
    t_expect_delivery(vm, 0, T_EVS);
    /* CONTEXT and COMPLETE act on the calling vCPU only (sdei-rules §5.2 note 1) */
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_CONTEXT, 0, 0, 0, 0, 0), SDEI_DENIED);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0), SDEI_DENIED);
    ck_assert_int_eq(t_state(vm, T_EVS, 0), SDEI_STATE_RUNNING_ENABLED);
    sdei_vm_free(vm);
}
END_TEST

/* ---- the checkers' cheap observations ---- */

/* sdei_vcpu_view_brief is the view without the saved contexts, and
 * sdei_vcpu_events the per-pair state and pending count, in one call: both
 * must agree with the full queries in every state a checker meets. */
static void expect_observations_agree(const sdei_vm *vm, uint32_t nr_vcpus)
{
    for (uint32_t v = 0; v < nr_vcpus; v++) {
        sdei_vcpu_view full = view(vm, v), brief;
        memset(&brief, 0xAB, sizeof(brief));
        ck_assert_int_eq(sdei_vcpu_view_brief(vm, v, &brief), SDEI_OK);
        ck_assert_int_eq(brief.masked, full.masked);
        ck_assert_int_eq(brief.normal_running, full.normal_running);
        ck_assert_int_eq(brief.critical_running, full.critical_running);
        ck_assert_uint_eq(brief.normal_num, full.normal_num);
        ck_assert_uint_eq(brief.critical_num, full.critical_num);
        ck_assert_uint_eq(brief.queued, full.queued);
        ck_assert_uint_eq(brief.power, full.power);
        ck_assert_uint_eq(t_first_byte_not((const uint8_t *)brief.normal_saved,
                                           sizeof(brief.normal_saved) * 2, 0xAB),
                          sizeof(brief.normal_saved) * 2); /* contexts not written */
        sdei_event_obs obs[SDEI_MAX_EVENTS];
        uint32_t n = 0;
        ck_assert_int_eq(sdei_vcpu_events(vm, v, obs, SDEI_MAX_EVENTS, &n), SDEI_OK);
        ck_assert_uint_eq(n, sdei_vm_event_count(vm));
        for (uint32_t i = 0; i < n; i++) {
            sdei_event_desc d;
            ck_assert_int_eq(sdei_vm_event_at(vm, i, &d), SDEI_OK);
            ck_assert_uint_eq(obs[i].num, d.num);
            ck_assert_int_eq(obs[i].state, t_state(vm, d.num, v));
            ck_assert_uint_eq(obs[i].pending, t_pending(vm, d.num, v));
        }
    }
}

START_TEST(test_brief_view_and_event_observations_agree_with_the_full_queries)
{
    sdei_vm *vm = vm_all_enabled(2);
    expect_observations_agree(vm, 2);
    t_trigger(vm, T_EVP, 0);
    t_trigger(vm, T_EVS, 0);
    expect_observations_agree(vm, 2); /* pending, masked vCPU 1 */
    t_expect_delivery(vm, 0, T_EVP);
    t_trigger(vm, T_EVP, 0); /* pending while it runs */
    t_trigger(vm, T_EVC, 0);
    t_expect_delivery(vm, 0, T_EVC); /* both slots */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EVP, 0, 0, 0, 0), SDEI_PENDING);
    expect_observations_agree(vm, 2);
    sdei_vcpu_view w;
    sdei_event_obs obs[2];
    uint32_t n = 0;
    ck_assert_int_eq(sdei_vcpu_events(vm, 0, obs, 2, &n), SDEI_OK);
    ck_assert_uint_eq(n, 2); /* at most cap */
    ck_assert_int_eq(sdei_vcpu_events(vm, 2, obs, 2, &n), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_events(vm, 0, NULL, 2, &n), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vcpu_events(NULL, 0, obs, 2, &n), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vcpu_view_brief(vm, 2, &w), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_vcpu_view_brief(vm, 0, NULL), SDEI_E_NULL);
    sdei_vm_free(vm);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("delivery");
    TCase *pre = tcase_create("preemption");
    tcase_add_test(pre, test_critical_event_preempts_a_running_normal_handler);
    tcase_add_test(pre, test_nothing_preempts_a_critical_handler);
    tcase_add_test(pre, test_normal_event_never_preempts_a_normal_handler);
    tcase_add_test(pre, test_at_most_two_handlers_nest_on_one_vcpu);
    tcase_add_test(pre, test_critical_is_entered_first_when_both_classes_are_pending);
    tcase_add_test(pre, test_the_same_event_is_never_reentered_while_it_runs);
    tcase_add_test(pre, test_one_delivery_enters_at_most_one_handler);
    suite_add_tcase(s, pre);
    TCase *mask = tcase_create("masking");
    tcase_add_test(mask, test_nothing_is_delivered_to_a_masked_vcpu_until_pe_unmask);
    tcase_add_test(mask, test_pe_mask_inside_a_handler_blocks_further_deliveries);
    tcase_add_test(mask, test_delivery_ignores_the_guest_daif_bits);
    tcase_add_test(mask, test_private_trigger_is_delivered_only_on_its_vcpu);
    suite_add_tcase(s, mask);
    TCase *pend = tcase_create("pending");
    tcase_add_test(pend, test_trigger_on_a_disabled_event_stays_pending_until_enable);
    tcase_add_test(pend, test_disable_inside_the_handler_keeps_a_new_trigger_pending);
    tcase_add_test(pend, test_trigger_on_an_unregistered_event_is_dropped);
    tcase_add_test(pend, test_unregister_cancels_a_pending_trigger);
    suite_add_tcase(s, pend);
    TCase *entry = tcase_create("entry");
    tcase_add_test(entry, test_handler_entry_sets_x0_to_x3_pc_and_keeps_x4_to_x30_sp_elr_spsr);
    tcase_add_test(entry, test_handler_pstate_follows_the_exception_entry_rules);
    tcase_add_test(entry, test_context_returns_each_interrupted_register_x0_to_x17);
    tcase_add_test(entry,
                   test_context_in_a_nested_critical_handler_returns_the_normal_handler_registers);
    tcase_add_test(entry, test_context_on_another_vcpu_is_denied);
    suite_add_tcase(s, entry);
    TCase *obs = tcase_create("observations");
    tcase_add_test(obs, test_brief_view_and_event_observations_agree_with_the_full_queries);
    suite_add_tcase(s, obs);
    return s;
}

int main(void)
{
    return t_run_suite(make_suite());
}
