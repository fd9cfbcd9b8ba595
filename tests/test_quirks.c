/*
 * test_quirks.c - every quirk makes at least one observable difference: the
 * same scenario is run on the spec profile, on a VM with only that quirk on,
 * and on the full kvm-v5 and tfa profiles; the values expected under v5 come
 * from the .rec files in shared/kernel-recordings and kvm-v5.md §4-§5, §10,
 * those under tfa from tfa-dispatcher.md.
 */
#include <inttypes.h>
#include <string.h>

#include "sdei/sdei_vmm.h"
#include "testlib.h"

#define EP UINT64_C(0x1000)
#define ARG UINT64_C(0x2000)

/* ---- scenarios: each returns one observable value ---- */

static int64_t sc_features_fid(sdei_vm *vm)
{
    /* FEATURES(2) through 0xC4000050: NOT_SUPPORTED unless 0x50 is FEATURES */
    return t_call(vm, 0, SDEI_FID_FEATURES_KVM_V5, 2, 0, 0, 0, 0) * 16 +
           t_call(vm, 0, SDEI_FID_FEATURES, 2, 0, 0, 0, 0);
}

static int64_t sc_version(sdei_vm *vm)
{
    return t_call(vm, 0, SDEI_FID_VERSION, 0, 0, 0, 0, 0);
}

static int64_t sc_no_bind(sdei_vm *vm)
{
    return t_callid(vm, 0, SDEI_CALL_INTERRUPT_BIND, 20, 0, 0, 0, 0) * 0x100000 +
           t_callid(vm, 0, SDEI_CALL_FEATURES, SDEI_FEATURE_BIND_SLOTS, 0, 0, 0, 0);
}

static int64_t handler_runs(sdei_vm *vm, uint32_t v)
{
    int64_t runs = 0;
    for (int i = 0; i < 8; i++) {
        sdei_delivery d = t_deliver(vm, v);
        if (!d.delivered) {
            break;
        }
        runs++;
        t_complete(vm, v, 0);
    }
    return runs;
}

static int64_t sc_counted_signal(sdei_vm *vm)
{
    t_register_enable(vm, 0, T_EV0, EP, ARG);
    t_unmask(vm, 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, sdei_default_mpidr(0), 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, sdei_default_mpidr(0), 0, 0, 0), 0);
    return handler_runs(vm, 0);
}

static int64_t sc_route_mode(sdei_vm *vm)
{
    /* route_mode.rec: REGISTER x4 = RM_ANY, x5 = 0x1234 -> GET_INFO(3) = 0x34 */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, EP, ARG, 0, 0x1234), 0);
    return t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0);
}

static int64_t sc_reset_filter(sdei_vm *vm)
{
    /* reset.rec: PRIVATE_RESET removes the shared event and keeps the private one */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, EP, ARG, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, EP, ARG, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0), 0);
    return t_status(vm, 0, T_EVP) * 16 + t_status(vm, 0, T_EVS);
}

static int64_t sc_reset_pending(sdei_vm *vm)
{
    /* a private normal and a shared critical handler both running on vCPU 0 */
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    t_register_enable(vm, 0, T_EVSC, EP, ARG);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    t_trigger(vm, T_EVSC, 0);
    t_expect_delivery(vm, 0, T_EVSC);
    return t_callid(vm, 0, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
}

static int64_t sc_status_vm_wide(sdei_vm *vm)
{
    /* status_running.rec: queued, not yet delivered -> 7 on vCPU 0, 4 on vCPU 1 */
    t_register_enable(vm, 0, T_EV0, EP, ARG);
    t_unmask(vm, 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, sdei_default_mpidr(0), 0, 0, 0), 0);
    return t_status(vm, 0, T_EV0) * 16 + t_status(vm, 1, T_EV0);
}

static int64_t sc_stale_pending(sdei_vm *vm)
{
    /* unregister_pending.rec: after COMPLETE, vCPU 0 cannot register again while
     * vCPU 1 keeps the object alive */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EV0, EP, ARG, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_REGISTER, T_EV0, EP + 0x100, ARG, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EV0, 0, 0, 0, 0), 0);
    t_unmask(vm, 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, sdei_default_mpidr(0), 0, 0, 0), 0);
    t_expect_delivery(vm, 0, T_EV0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EV0, 0, 0, 0, 0), SDEI_PENDING);
    t_complete(vm, 0, 0);
    return t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EV0, EP, ARG, 0, 0);
}

static int64_t sc_pending_keeps_registered(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVS, SDEI_STATE_UNREGISTER_PENDING);
    /* still "registered" in v5: routing mode readable instead of DENIED */
    return t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0);
}

static int64_t sc_resume_ignored(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    t_callid(vm, 0, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, 0x7777, 0, 0, 0, 0);
    return (int64_t)t_regs(vm, 0).pc;
}

static int64_t sc_spsr_clobber(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    t_trigger(vm, T_EVP, 0);
    t_set_context(vm, 0, 0x9000, UINT64_C(0x80000000));
    sdei_vcpu_regs(vm, 0)->spsr_el1 = 0x5a5a;
    t_expect_delivery(vm, 0, T_EVP);
    return (int64_t)t_regs(vm, 0).spsr_el1;
}

static int64_t sc_signal_target(sdei_vm *vm)
{
    for (uint32_t v = 0; v < 2; v++) {
        t_unmask(vm, v);
        t_register_enable(vm, v, T_EV0, EP, ARG);
    }
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, sdei_default_mpidr(1), 0, 0, 0), 0);
    return t_pending(vm, T_EV0, 0) * 16 + t_pending(vm, T_EV0, 1);
}

static int64_t sc_routing_private(sdei_vm *vm)
{
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, EP, ARG, 0, 0), 0);
    return t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVP, SDEI_RM_ANY, 0, 0, 0);
}

static int64_t sc_pe_mask(sdei_vm *vm)
{
    t_unmask(vm, 0);
    return t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0);
}

static int64_t sc_signaled(sdei_vm *vm)
{
    return t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, T_EV0, SDEI_INFO_EV_SIGNALED, 0, 0, 0);
}

static int64_t sc_inject_masked(sdei_vm *vm)
{
    /* extras.rec "delivery ignores PE mask": queued, then PE_MASK, then entry */
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    t_trigger(vm, T_EVP, 0);
    t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0);
    return t_deliver(vm, 0).delivered;
}

static int64_t sc_delivery_needs_request(sdei_vm *vm)
{
    /* the VMM queues an instance with SET_VCPU_EVENT (no KVM_REQ_SDEI in v5):
     * the next entry takes it only without the quirk */
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    uint8_t ev[16] = {0};
    for (int i = 0; i < 8; i++) {
        ev[i] = (uint8_t)(T_EVP >> (8 * i));
    }
    ev[8] = 1; /* event_count */
    sdei_vmm_cmd_block b = {
        .cmd = SDEI_CMD_SET_VCPU_EVENT, .count = 1, .data = ev, .data_len = sizeof(ev)};
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), 0);
    return t_deliver(vm, 0).delivered;
}

/* v6's split of kvm-v5 item 9: the trigger side (inject_masked_eperm), the
 * delivery sides (deliver_unchecked: v5; deliver_disabled: v6). */
static int64_t sc_trigger_masked(sdei_vm *vm)
{
    t_register_enable(vm, 0, T_EV0, EP, ARG); /* vCPU 0 is masked from creation */
    return t_trigger(vm, T_EV0, 0);
}

static int64_t sc_deliver_disabled(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EV0, EP, ARG);
    t_trigger(vm, T_EV0, 0);
    t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, T_EV0, 0, 0, 0, 0);
    return t_deliver(vm, 0).delivered;
}

static int64_t sc_no_sdei_command(sdei_vm *vm)
{
    sdei_vmm_cmd_block b;
    memset(&b, 0, sizeof(b));
    b.cmd = SDEI_CMD_GET_VERSION;
    return sdei_vmm_command(vm, SDEI_VMM_VM, &b);
}

static int64_t sc_event_table_v6(sdei_vm *vm)
{
    /* a number of the "virtual" shape nobody exposed; x1 read as 32 bits */
    return t_callid(vm, 0, SDEI_CALL_EVENT_STATUS, UINT64_C(0x1004000FF), 0, 0, 0, 0);
}

static int64_t sc_pstate_keep_all(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    t_trigger(vm, T_EVP, 0);
    t_set_context(vm, 0, 0x100,
                  UINT64_C(0x80000000) | SDEI_PSTATE_UAO | SDEI_PSTATE_SS | SDEI_PSTATE_IL);
    t_expect_delivery(vm, 0, T_EVP);
    return (int64_t)t_regs(vm, 0).pstate;
}

static int64_t sc_zero_x4_x17(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    t_trigger(vm, T_EVP, 0);
    t_set_context(vm, 0, 0x100, 0);
    t_expect_delivery(vm, 0, T_EVP);
    sdei_regs r = t_regs(vm, 0);
    return (int64_t)(r.x[4] + r.x[17] + r.x[18]);
}

static int64_t sc_complete_no_result(sdei_vm *vm)
{
    /* extras.rec: COMPLETE with nothing running leaves x0 = 0xC4000025 */
    return t_callid(vm, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0);
}

static int64_t sc_context_denied_first(sdei_vm *vm)
{
    return t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 18, 0, 0, 0, 0);
}

static int64_t sc_no_arg_validation(sdei_vm *vm)
{
    return t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, 0, ARG, 0, 0);
}

static int64_t sc_event_number_loose(sdei_vm *vm)
{
    /* kvm-v5 §10 item 26: an unexposed number of the right shape has STATUS 0 */
    return t_status(vm, 0, T_EV_UNEXPOSED);
}

static int64_t sc_shared_per_vcpu(sdei_vm *vm)
{
    /* rule: a shared event has one pending latch VM-wide (ACS 4.42). vCPU1
     * masked: the first RM_ANY trigger of S goes to vCPU0; vCPU0 then runs a
     * critical handler and vCPU1 unmasks, so a second trigger routes to
     * vCPU1. The spec merges it with the latch on vCPU0; v5 keeps one
     * instance per vCPU. Returns S's pending triggers on vCPU1. */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), SDEI_SUCCESS);
    t_register_enable(vm, 0, T_EVS, 0x3000, 0x30);
    t_register_enable(vm, 0, T_EVC, 0x5000, 0x50);
    ck_assert_int_eq(sdei_event_trigger(vm, T_EVS, 0, NULL), SDEI_OK);
    ck_assert_int_eq(sdei_event_trigger(vm, T_EVC, 0, NULL), SDEI_OK);
    sdei_delivery d;
    ck_assert_int_eq(sdei_vcpu_deliver(vm, 0, &d), SDEI_OK);
    ck_assert_uint_eq(d.num, T_EVC);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), SDEI_SUCCESS);
    /* v5 queues it on the vCPU the trigger names (no routing) */
    ck_assert_int_eq(sdei_event_trigger(vm, T_EVS, 1, NULL), SDEI_OK);
    uint32_t pending = 0;
    ck_assert_int_eq(sdei_event_pending_count(vm, T_EVS, 1, &pending), SDEI_OK);
    return pending;
}

/* A private event registered and enabled, then CPU_OFF and CPU_ON: STATUS and
 * the mask afterwards (sdei-rules §9; kvm-v5 never resets SDEI state). */
static int64_t sc_power_keeps_sdei_state(sdei_vm *vm)
{
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    t_unmask(vm, 0);
    ck_assert_int_eq(sdei_vcpu_power(vm, 0, SDEI_POWER_CPU_OFF, NULL), SDEI_OK);
    ck_assert_int_eq(sdei_vcpu_power(vm, 0, SDEI_POWER_CPU_ON, NULL), SDEI_OK);
    sdei_vcpu_view w;
    ck_assert_int_eq(sdei_vcpu_view_of(vm, 0, &w), SDEI_OK);
    return t_status(vm, 0, T_EVP) * 16 + w.masked;
}

/* FEATURES(1) RELATIVE_MODE (docs/model.md; TF-A knows only feature 0). */
static int64_t sc_features_relative(sdei_vm *vm)
{
    return t_callid(vm, 0, SDEI_CALL_FEATURES, SDEI_FEATURE_RELATIVE_MODE, 0, 0, 0, 0);
}

/* PSTATE after COMPLETE_AND_RESUME of a handler that interrupted NZCV=0b0110
 * at EL0 (TF-A writes a fixed SPSR_64(EL1, SP_ELx, DAIF)). */
static int64_t sc_resume_pstate(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    sdei_call_info info;
    (void)t_callinfo(vm, 0, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, 0x7777, 0, 0, 0, 0, &info);
    ck_assert_int_eq(info.outcome, SDEI_CALL_COMPLETED);
    return (int64_t)t_regs(vm, 0).pstate;
}

/* STATUS and CONTEXT with bit 32 set in the argument register. */
static int64_t sc_args_truncated(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    int64_t status =
        t_callid(vm, 0, SDEI_CALL_EVENT_STATUS, T_EVP | (UINT64_C(1) << 32), 0, 0, 0, 0);
    int64_t ctx = t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 1 | (UINT64_C(1) << 32), 0, 0, 0, 0);
    return status * 0x100000000 + (ctx == INT64_C(0xC0DE0001) ? 1 : ctx);
}

typedef struct quirk_case {
    int quirk;
    int64_t (*scenario)(sdei_vm *vm);
    int64_t spec;       /* spec profile */
    int64_t quirk_only; /* only this quirk on */
    int64_t v5;         /* the whole kvm-v5 profile; SAME: as the spec profile */
    int64_t tfa;        /* the whole tfa profile; SAME: as the spec profile */
} quirk_case;

/* ---- the v7 series' own quirks (kvm-sdei-v7 sdei.c) ---- */

static int64_t sc_event_table(sdei_vm *vm)
{
    return t_callid(vm, 0, SDEI_CALL_EVENT_STATUS, 1, 0, 0, 0, 0);
}

static int64_t sc_routing_set(sdei_vm *vm)
{
    return t_callid(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EV0, SDEI_RM_ANY, 0, 0, 0);
}

static int64_t sc_unregister_keeps_pending(sdei_vm *vm)
{
    t_register_enable(vm, 0, T_EV0, EP, ARG);
    (void)t_trigger(vm, T_EV0, 0); /* masked: waits */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, T_EV0, 0, 0, 0, 0), 0);
    return t_pending(vm, T_EV0, 0);
}

static int64_t sc_reset_running(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EV0, EP, ARG);
    (void)t_trigger(vm, T_EV0, 0);
    t_expect_delivery(vm, 0, T_EV0);
    return t_callid(vm, 0, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
}

static int64_t sc_signal_unchecked(sdei_vm *vm)
{
    /* registered, not enabled, on a masked vCPU */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EV0, EP, ARG, 0, 0), 0);
    return t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, T_EV0, sdei_default_mpidr(0), 0, 0, 0);
}

static int64_t sc_lowest_number(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EVP, EP, ARG);
    t_register_enable(vm, 0, T_EV0, EP, ARG);
    (void)t_trigger(vm, T_EVP, 0);
    (void)t_trigger(vm, T_EV0, 0);
    return (int64_t)t_deliver(vm, 0).num;
}

static int64_t sc_needs_kick(sdei_vm *vm)
{
    t_unmask(vm, 0);
    t_register_enable(vm, 0, T_EV0, EP, ARG);
    (void)t_trigger(vm, T_EV0, 0);
    t_expect_delivery(vm, 0, T_EV0);
    (void)t_trigger(vm, T_EV0, 0);         /* pending behind the run */
    t_expect_no_delivery(vm, 0);           /* v7: this entry consumes the request */
    (void)t_complete(vm, 0, SDEI_SUCCESS); /* v7: COMPLETE makes no request */
    return t_deliver(vm, 0).delivered;
}

#define SAME INT64_MIN

#define Q(id) SDEI_QUIRK_ID_##id
#define INV SDEI_INVALID_PARAMETERS
#define NSUP SDEI_NOT_SUPPORTED
#define DEN SDEI_DENIED
#define PEN SDEI_PENDING
#define V11 INT64_C(0x0001000100000000)
#define V11KVM INT64_C(0x00010001004B564D)
#define V11UID INT64_C(0x00010001564BCAA9)
#define V10 INT64_C(0x0001000000000000)
/* resume from T_CTX_PSTATE (EL0t, Z and C): NZCV kept, EL1h, DAIF */
#define PS_RESUME (INT64_C(0x60000000) | 0x3C5)
#define PS_RESUME_V5 INT64_C(0x60000000) /* resume_ignored: the interrupted PSTATE */
#define PS_ENTRY (INT64_C(0x80000000) | 0x3C5)
#define PS_KEEP (PS_ENTRY | (int64_t)(SDEI_PSTATE_UAO | SDEI_PSTATE_SS | SDEI_PSTATE_IL))

static const quirk_case cases[] = {
    {Q(FEATURES_FID_0X50), sc_features_fid, NSUP * 16 + INV, INV * 16 + NSUP, INV * 16 + NSUP,
     SAME},
    {Q(VERSION_VENDOR_KVM), sc_version, V11, V11KVM, V11KVM, V10},
    {Q(NO_BIND), sc_no_bind, (int64_t)SDEI_BIND_PRIVATE_BASE * 0x100000 + 0x20002, NSUP * 0x100000,
     NSUP * 0x100000, SAME},
    {Q(COUNTED_SIGNAL), sc_counted_signal, 1, 2, 2, SAME},
    {Q(ROUTE_MODE_FROM_AFFINITY), sc_route_mode, SDEI_RM_ANY, 0x34, 0x34, SAME},
    {Q(RESET_FILTER_INVERTED), sc_reset_filter, 0 * 16 + 1, 1 * 16 + 0, 1 * 16 + 0, SAME},
    {Q(RESET_RETURNS_PENDING), sc_reset_pending, DEN, PEN, PEN, SAME},
    {Q(STATUS_RUNNING_VM_WIDE), sc_status_vm_wide, 3 * 16 + 0, 7 * 16 + 4, 7 * 16 + 4, SAME},
    {Q(STALE_UNREGISTER_PENDING), sc_stale_pending, 0, DEN, DEN, SAME},
    {Q(PENDING_KEEPS_REGISTERED), sc_pending_keeps_registered, DEN, SDEI_RM_ANY, SDEI_RM_ANY, SAME},
    {Q(RESUME_IGNORED), sc_resume_ignored, 0x7777, (int64_t)(T_CTX_BASE + 0x200),
     (int64_t)(T_CTX_BASE + 0x200), SAME},
    {Q(SPSR_CLOBBER), sc_spsr_clobber, 0x5a5a, INT64_C(0x80000000), INT64_C(0x80000000), SAME},
    {Q(SIGNAL_TARGET_IGNORED), sc_signal_target, 0 * 16 + 1, 1 * 16 + 0, 1 * 16 + 0, SAME},
    {Q(ROUTING_PRIVATE_DENIED), sc_routing_private, INV, DEN, DEN, SAME},
    {Q(PE_MASK_RETURNS_ZERO), sc_pe_mask, 1, 0, 0, SAME},
    {Q(SIGNALED_POLARITY), sc_signaled, 0, 1, 1, SAME},
    {Q(INJECT_MASKED_EPERM), sc_trigger_masked, SDEI_TRIGGER_PENDING, SDEI_TRIGGER_DROPPED,
     SDEI_TRIGGER_DROPPED, SAME},
    {Q(DELIVER_UNCHECKED), sc_inject_masked, 0, 1, 1, SAME},
    {Q(DELIVER_DISABLED), sc_deliver_disabled, 0, 1, 1, SAME},
    {Q(VERSION_VENDOR_UID), sc_version, V11, V11UID, V11KVM, V10},
    {Q(ROUTING_SET_NOT_SUPPORTED), sc_routing_private, INV, NSUP, DEN, SAME},
    {Q(NO_SDEI_COMMAND), sc_no_sdei_command, 0, -SDEI_EINVAL, 0, SAME},
    {Q(EVENT_TABLE_V6), sc_event_table_v6, INV, 0, INV, SAME},
    {Q(RESUME_AS_IRQ), sc_resume_ignored, 0x7777, SDEI_VECTOR_IRQ_CURRENT_SPX,
     (int64_t)(T_CTX_BASE + 0x200), SAME},
    {Q(PSTATE_KEEP_ALL), sc_pstate_keep_all, PS_ENTRY, PS_KEEP, PS_KEEP, SAME},
    {Q(ZERO_X4_X17), sc_zero_x4_x17, 0x104 + 0x111 + 0x112, 0x112, 0x112, SAME},
    {Q(COMPLETE_NO_RESULT), sc_complete_no_result, DEN, (int64_t)SDEI_FID_EVENT_COMPLETE,
     (int64_t)SDEI_FID_EVENT_COMPLETE, SAME},
    {Q(CONTEXT_DENIED_FIRST), sc_context_denied_first, INV, DEN, DEN, SAME},
    {Q(NO_ARG_VALIDATION), sc_no_arg_validation, INV, 0, 0, SAME},
    {Q(SHARED_PER_VCPU), sc_shared_per_vcpu, 0, 1, 1, SAME},
    {Q(EVENT_NUMBER_LOOSE), sc_event_number_loose, INV, 0, 0, SAME},
    {Q(ABSENT), sc_version, V11, NSUP, V11KVM, V10},
    {Q(POWER_KEEPS_SDEI_STATE), sc_power_keeps_sdei_state, 0 * 16 + 1, 3 * 16 + 0, 3 * 16 + 0,
     SAME},
    {Q(VERSION_1_0), sc_version, V11, V10, V11KVM, V10},
    {Q(FEATURES_RELATIVE_INVALID), sc_features_relative, 0, INV, 0, INV},
    {Q(RESUME_PSTATE_FIXED), sc_resume_pstate, PS_RESUME, 0x3C5, PS_RESUME_V5, 0x3C5},
    {Q(ARGS_TRUNCATED_32), sc_args_truncated, INV * 0x100000000 + INV, 7 * 0x100000000 + 1, SAME,
     7 * 0x100000000 + 1},
    {Q(EVENT_TABLE_KVM), sc_event_table, INV, 0, SAME, SAME},
    {Q(VERSION_VENDOR_UID), sc_version, V11, INT64_C(0x00010001564BCAA9), V11KVM, V10},
    {Q(ROUTING_SET_NOT_SUPPORTED), sc_routing_set, INV, NSUP, SAME, SAME},
    {Q(UNREGISTER_KEEPS_PENDING), sc_unregister_keeps_pending, 0, 1, SAME, SAME},
    {Q(RESET_IGNORES_RUNNING), sc_reset_running, DEN, 0, 0, SAME},
    {Q(SIGNAL_UNCHECKED), sc_signal_unchecked, INV, 0, SAME, SAME},
    {Q(DELIVER_LOWEST_NUMBER), sc_lowest_number, (int64_t)T_EVP, 0, SAME, SAME},
    {Q(DELIVERY_NEEDS_KICK), sc_needs_kick, 1, 0, SAME, SAME},
    {Q(DELIVERY_NEEDS_REQUEST), sc_delivery_needs_request, 1, 0, 0, SAME},
};

static int64_t run_case(const quirk_case *c, int mode)
{
    sdei_vm *vm;
    if (mode == 0) {
        vm = t_vm(SDEI_PROFILE_SPEC, 2);
    } else if (mode == 1) {
        vm = t_vm_quirks(UINT64_C(1) << c->quirk, 2);
    } else if (mode == 2) {
        vm = t_vm(SDEI_PROFILE_KVM_V5, 2);
    } else {
        vm = t_vm(SDEI_PROFILE_TFA, 2);
    }
    int64_t got = c->scenario(vm);
    t_check_vm(vm);
    sdei_vm_free(vm);
    return got;
}

START_TEST(test_every_quirk_alone_changes_an_observable_result)
{
    int seen[SDEI_QUIRK_COUNT];
    memset(seen, 0, sizeof(seen));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const quirk_case *c = &cases[i];
        const char *name = sdei_quirk_table[c->quirk].name;
        int64_t spec = run_case(c, 0);
        int64_t alone = run_case(c, 1);
        int64_t v5 = run_case(c, 2);
        int64_t tfa = run_case(c, 3);
        int64_t want_tfa = c->tfa == SAME ? c->spec : c->tfa;
        ck_assert_msg(spec == c->spec, "%s: spec profile gives 0x%" PRIx64 ", want 0x%" PRIx64,
                      name, (uint64_t)spec, (uint64_t)c->spec);
        ck_assert_msg(alone == c->quirk_only,
                      "%s alone gives 0x%" PRIx64 ", want 0x%" PRIx64 " (rule it breaks: %s)", name,
                      (uint64_t)alone, (uint64_t)c->quirk_only, sdei_quirk_table[c->quirk].rule);
        int64_t want_v5 = c->v5 == SAME ? c->spec : c->v5;
        ck_assert_msg(v5 == want_v5, "%s: kvm-v5 profile gives 0x%" PRIx64 ", want 0x%" PRIx64,
                      name, (uint64_t)v5, (uint64_t)want_v5);
        ck_assert_msg(tfa == want_tfa, "%s: tfa profile gives 0x%" PRIx64 ", want 0x%" PRIx64, name,
                      (uint64_t)tfa, (uint64_t)want_tfa);
        ck_assert_msg(spec != alone, "%s makes no difference", name);
        seen[c->quirk] = 1;
    }
    for (int q = 0; q < (int)SDEI_QUIRK_COUNT; q++) {
        ck_assert_msg(seen[q], "quirk %s has no scenario in test_quirks.c",
                      sdei_quirk_table[q].name);
    }
}
END_TEST

/* ---- longer replays of the kernel recordings under kvm-v5 ---- */

START_TEST(test_kvm_v5_replays_unregister_pending_rec)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_KVM_V5, 2);
    sdei_event_desc ev0 = {0, 0, 0, 1};
    ck_assert_int_eq(sdei_vm_expose_event(vm, &ev0), SDEI_OK);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0x2000, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_REGISTER, 0, 0x1100, 0x2100, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    sdei_vcpu_regs(vm, 0)->pc = 0x8000;
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0, 0), 0);
    t_expect_delivery(vm, 0, 0);
    sdei_regs r = t_regs(vm, 0);
    ck_assert_uint_eq(r.x[1], 0x2000);
    ck_assert_uint_eq(r.x[2], 0x8000);
    ck_assert_uint_eq(r.pc, 0x1000);
    ck_assert_uint_eq(r.pstate, 0x3c5);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0), SDEI_PENDING);
    ck_assert_int_eq(t_status(vm, 0, 0), 7);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0), SDEI_PENDING);
    sdei_call_info info = t_complete(vm, 0, 0);
    ck_assert_int_eq(info.outcome, SDEI_CALL_COMPLETED);
    ck_assert_uint_eq(t_regs(vm, 0).pc, 0x8000);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0x2000, 0, 0),
                     SDEI_DENIED);
    ck_assert_int_eq(t_status(vm, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0, 0), SDEI_DENIED);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0), SDEI_DENIED);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0x2000, 0, 0), 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_kvm_v5_replays_extras_rec_delivery_with_pe_mask_and_spsr_clobber)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_KVM_V5, 2);
    sdei_event_desc ev0 = {0, 0, 0, 1};
    ck_assert_int_eq(sdei_vm_expose_event(vm, &ev0), SDEI_OK);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0x2000, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0xdead, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 0);
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    r->spsr_el1 = 0x5a5a;
    r->pc = 0x9000;
    r->pstate = 0x80000000;
    r->x[5] = 0x55;
    r->x[17] = 0x1717;
    r->x[18] = 0x1818;
    t_expect_delivery(vm, 0, 0);
    sdei_regs h = t_regs(vm, 0);
    ck_assert_uint_eq(h.x[0], 0);
    ck_assert_uint_eq(h.x[1], 0x2000);
    ck_assert_uint_eq(h.x[2], 0x9000);
    ck_assert_uint_eq(h.x[3], 0x80000000);
    ck_assert_uint_eq(h.x[5], 0);
    ck_assert_uint_eq(h.x[17], 0);
    ck_assert_uint_eq(h.x[18], 0x1818);
    ck_assert_uint_eq(h.pc, 0x1000);
    ck_assert_uint_eq(h.pstate, 0x800003c5);
    ck_assert_uint_eq(h.spsr_el1, 0x80000000);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 17, 0, 0, 0, 0), 0x1717);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_CONTEXT, 18, 0, 0, 0, 0),
                     SDEI_INVALID_PARAMETERS);
    /* COMPLETE_AND_RESUME behaves as COMPLETE; the second signal runs again */
    sdei_call_info info;
    t_callinfo(vm, 0, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, 0x7777, 0, 0, 0, 0, &info);
    ck_assert_int_eq(info.outcome, SDEI_CALL_COMPLETED);
    h = t_regs(vm, 0);
    ck_assert_uint_eq(h.pc, 0x9000);
    ck_assert_uint_eq(h.pstate, 0x80000000);
    ck_assert_uint_eq(h.x[5], 0x55);
    ck_assert_uint_eq(h.x[17], 0x1717);
    ck_assert_uint_eq(h.spsr_el1, 0x80000000);
    t_expect_delivery(vm, 0, 0);
    t_complete(vm, 0, 0);
    t_expect_no_delivery(vm, 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_kvm_v5_replays_extras_rec_function_ids)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_KVM_V5, 2);
    sdei_call_info info;
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    r->x[0] = SDEI_FID_EVENT_COMPLETE_AND_RESUME;
    r->x[1] = 0x1234;
    ck_assert_int_eq(sdei_hypercall(vm, 0, &info), SDEI_OK);
    ck_assert_int_eq(info.outcome, SDEI_CALL_NO_RESULT);
    ck_assert_uint_eq(r->x[0], 0xC4000026);
    ck_assert_uint_eq(r->x[1], 0x1234);
    ck_assert_int_eq(t_call(vm, 0, SDEI_FID_INTERRUPT_RELEASE, 5, 0, 0, 0, 0), NSUP);
    ck_assert_int_eq(t_call(vm, 0, SDEI_FID_FEATURES, 0, 0, 0, 0, 0), NSUP);
    ck_assert_int_eq(t_call(vm, 0, SDEI_FID_FEATURES_KVM_V5, 2, 0, 0, 0, 0), INV);
    ck_assert_int_eq(t_call(vm, 0, UINT64_C(0xffffffffC4000020), 0, 0, 0, 0, 0), V11KVM);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, 0x400000, 0, 0, 0, 0), INV);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, UINT64_C(0xC0400000), 0, 0, 0, 0),
                     INV);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_GET_INFO, UINT64_C(0x100000000), 0, 0, 0, 0),
                     INV);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0x2000, 2, 0), INV);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0x2000, 0, 0), INV);
    /* bit 31 is accepted in v5 (kvm-v5 §10 item 16) */
    sdei_event_desc evs[2] = {{0, 0, 0, 1}, {UINT64_C(0xC0400000), 0, 1, 1}};
    ck_assert_int_eq(sdei_vm_expose_event(vm, &evs[0]), SDEI_OK);
    ck_assert_int_eq(sdei_vm_expose_event(vm, &evs[1]), SDEI_OK);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, UINT64_C(0xC0400000), 0, 0, 0, 0),
                     INV);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0, 0), INV);
    ck_assert_int_eq(
        t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, UINT64_C(0xC0400000), 0x5000, 0x6000, 0, 0), 0);
    sdei_vm_free(vm);
}
END_TEST

/* ---- the absent profile: a released KVM (docs/profiles-and-quirks.md) ---- */

START_TEST(test_absent_answers_every_sdei_function_id_not_supported)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_ABSENT, 2);
    ck_assert_uint_eq(sdei_vm_quirks(vm), SDEI_QUIRK_BIT(ABSENT));
    /* the whole SDEI range and kvm-v5's FEATURES: x0 = -1, x1..x3 = 0 */
    for (uint64_t fid = SDEI_FID_RANGE_FIRST; fid <= SDEI_FID_RANGE_LAST + 0x11; fid++) {
        sdei_regs *r = sdei_vcpu_regs(vm, 1);
        uint64_t pc = r->pc;
        r->x[0] = fid;
        for (int i = 1; i < 8; i++) {
            r->x[i] = UINT64_C(0x1111) * (uint64_t)i;
        }
        sdei_call_info info;
        ck_assert_int_eq(sdei_hypercall(vm, 1, &info), SDEI_OK);
        r = sdei_vcpu_regs(vm, 1);
        ck_assert_uint_eq(r->x[0], UINT64_MAX);
        ck_assert_uint_eq(r->x[1] | r->x[2] | r->x[3], 0);
        ck_assert_uint_eq(r->x[4], UINT64_C(0x4444)); /* the guest's own */
        ck_assert_uint_eq(r->pc, pc);
        ck_assert_int_eq(info.outcome,
                         fid <= SDEI_FID_RANGE_LAST ? SDEI_CALL_RETURNED : SDEI_CALL_NOT_SDEI);
    }
    /* so nothing registers: a trigger is dropped, nothing is delivered */
    sdei_trigger_result tr = SDEI_TRIGGER_PENDING;
    ck_assert_int_eq(sdei_event_trigger(vm, 0, 0, &tr), SDEI_OK);
    ck_assert_int_eq(tr, SDEI_TRIGGER_DROPPED);
    sdei_delivery d;
    ck_assert_int_eq(sdei_vcpu_deliver(vm, 0, &d), SDEI_OK);
    ck_assert_int_eq(d.delivered, 0);
    /* no KVM_ARM_SDEI_COMMAND: every command on either fd is -EINVAL */
    for (uint32_t c = 0; c < SDEI_CMD_COUNT; c++) {
        sdei_vmm_cmd_block cmd = {.cmd = c};
        uint32_t fd = c <= SDEI_CMD_SET_REGISTERED_EVENT ? SDEI_VMM_VM : 0;
        ck_assert_int_eq(sdei_vmm_command(vm, fd, &cmd), -SDEI_EINVAL);
        ck_assert_uint_eq(cmd.count, 0);
    }
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_every_quirk_alone_changes_an_observable_result,
        test_absent_answers_every_sdei_function_id_not_supported,
        test_kvm_v5_replays_unregister_pending_rec,
        test_kvm_v5_replays_extras_rec_delivery_with_pe_mask_and_spsr_clobber,
        test_kvm_v5_replays_extras_rec_function_ids,
    };
    return t_run_tests("quirks", tests, T_COUNT(tests));
}
