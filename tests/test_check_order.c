/*
 * test_check_order.c - every call checks its arguments in the order of
 * sdei-rules §6 (TF-A's order): an input that breaks two rules gets the
 * error of the earlier check (STYLE habit 2). Tables of inputs run in loops;
 * each row names the behaviour and the rules it exercises.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"

#define BAD_AFF UINT64_C(0x0000FFFF)  /* no vCPU has Aff1 = 0xFF, Aff0 = 0xFF */
#define SLOT_P SDEI_BIND_PRIVATE_BASE /* first private bind slot */
#define SLOT_S SDEI_BIND_SHARED_BASE  /* first shared bind slot */
#define HI32 (UINT64_C(1) << 32)
#define BIT31 UINT64_C(0x80000000)
#define MPIDR0 UINT64_C(0x80000000) /* sdei_default_mpidr(0) */
#define MPIDR1 UINT64_C(0x80000001) /* sdei_default_mpidr(1) */
#define U SDEI_STATE_UNREGISTERED
#define D SDEI_STATE_REGISTERED
#define E SDEI_STATE_ENABLED
#define RE SDEI_STATE_RUNNING_ENABLED
#define RD SDEI_STATE_RUNNING_DISABLED
#define UP SDEI_STATE_UNREGISTER_PENDING
#define INVAL SDEI_INVALID_PARAMETERS
#define DENY SDEI_DENIED
#define PEND SDEI_PENDING

typedef struct order_row {
    const char *behaviour;
    const char *rules;  /* the rule markers the row exercises, earliest first */
    uint64_t setup_num; /* event driven to setup_state on vCPU 0 first */
    sdei_event_state setup_state;
    uint32_t bind_intid; /* bound before the setup when not 0 */
    sdei_call_id call;
    uint64_t a1, a2, a3, a4, a5;
    int64_t want;
} order_row;

static void run_rows(const order_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const order_row *r = &rows[i];
        sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
        t_unmask(vm, 0);
        if (r->bind_intid != 0) {
            (void)t_bind(vm, 0, r->bind_intid);
        }
        t_make_state(vm, 0, r->setup_num, r->setup_state);
        sdei_event_state before = t_state(vm, r->setup_num, 0);
        sdei_call_info info;
        int64_t got = t_callinfo(vm, 0, r->call, r->a1, r->a2, r->a3, r->a4, r->a5, &info);
        ck_assert_msg(info.outcome == SDEI_CALL_RETURNED && got == r->want,
                      "row %zu \"%s\" [%s]: %s(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
                      ", 0x%" PRIx64 ", 0x%" PRIx64 ") with event 0x%" PRIx64 " in %s -> %" PRId64
                      " (outcome %d), want %" PRId64,
                      i, r->behaviour, r->rules, sdei_call_name(r->call), r->a1, r->a2, r->a3,
                      r->a4, r->a5, r->setup_num, sdei_state_name(r->setup_state), got,
                      info.outcome, r->want);
        if (r->want < 0 && r->want != SDEI_PENDING) {
            /* a rejected call changes nothing (PENDING is an accepted UNREGISTER) */
            sdei_event_state after = t_state(vm, r->setup_num, 0);
            ck_assert_msg(after == before, "row %zu \"%s\": state %s -> %s on an error", i,
                          r->behaviour, sdei_state_name(before), sdei_state_name(after));
        }
        t_check_vm(vm);
        sdei_vm_free(vm);
    }
}

#define ROWS(t) run_rows((t), sizeof(t) / sizeof((t)[0]))

/* rule: EVENT.1 REGISTER.1 REGISTER.2 REGISTER.3 REGISTER.4 REGISTER.5 REGISTER.6 */
START_TEST(test_register_checks_entry_point_flags_affinity_event_state_binding)
{
    static const order_row rows[] = {
        {"ep 0 and bad flags on a registered event: ep wins", "REGISTER.1 REGISTER.2 REGISTER.5",
         T_EVP, D, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, 0, 0, 2, 0, INVAL},
        {"ep 0 on a registered event is INVALID, not DENIED", "REGISTER.1 REGISTER.5", T_EVS, E, 0,
         SDEI_CALL_EVENT_REGISTER, T_EVS, 0, 0, 0, 0, INVAL},
        {"ep 0 on an unknown event", "REGISTER.1 REGISTER.4", T_EVP, U, 0, SDEI_CALL_EVENT_REGISTER,
         T_EV_UNEXPOSED, 0, 0, 0, 0, INVAL},
        {"bad flags on an enabled event is INVALID, not DENIED", "REGISTER.2 REGISTER.5", T_EVP, E,
         0, SDEI_CALL_EVENT_REGISTER, T_EVP, T_EP, 0, 2, 0, INVAL},
        {"flags with bit 32 set", "REGISTER.2", T_EVS, U, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, T_EP,
         0, HI32, 0, INVAL},
        {"relative-mode flag bit 1 is not accepted", "REGISTER.2", T_EVS, U, 0,
         SDEI_CALL_EVENT_REGISTER, T_EVS, T_EP, 0, 2 | SDEI_RM_PE, 0, INVAL},
        {"bad flags on an unknown event: flags checked before the lookup", "REGISTER.2 REGISTER.4",
         T_EVP, U, 0, SDEI_CALL_EVENT_REGISTER, T_EV_UNEXPOSED, T_EP, 0, 7, 0, INVAL},
        {"RM_PE with a bad affinity on a registered shared event is INVALID",
         "REGISTER.3 REGISTER.5", T_EVS, D, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, T_EP, 0, SDEI_RM_PE,
         BAD_AFF, INVAL},
        {"RM_PE with a bad affinity applies to private events too", "REGISTER.3", T_EVP, U, 0,
         SDEI_CALL_EVENT_REGISTER, T_EVP, T_EP, 0, SDEI_RM_PE, BAD_AFF, INVAL},
        {"RM_PE with a bad affinity on an unknown event", "REGISTER.3 REGISTER.4", T_EVP, U, 0,
         SDEI_CALL_EVENT_REGISTER, T_EV_UNEXPOSED, T_EP, 0, SDEI_RM_PE, BAD_AFF, INVAL},
        {"unknown event", "REGISTER.4", T_EVP, U, 0, SDEI_CALL_EVENT_REGISTER, T_EV_UNEXPOSED, T_EP,
         0, 0, 0, INVAL},
        {"event number with bit 32 set", "EVENT.1 REGISTER.4", T_EVP, U, 0,
         SDEI_CALL_EVENT_REGISTER, T_EVP | HI32, T_EP, 0, 0, 0, INVAL},
        {"event number with bit 31 set", "EVENT.1 REGISTER.4", T_EVP, U, 0,
         SDEI_CALL_EVENT_REGISTER, T_EVP | BIT31, T_EP, 0, 0, 0, INVAL},
        {"event number with bits 23:22 not 0b01", "EVENT.1 REGISTER.4", T_EVP, U, 0,
         SDEI_CALL_EVENT_REGISTER, 0x800001, T_EP, 0, 0, 0, INVAL},
        {"re-REGISTER of a registered event", "REGISTER.5", T_EVP, D, 0, SDEI_CALL_EVENT_REGISTER,
         T_EVP, T_EP, 0, 0, 0, DENY},
        {"REGISTER of a running event", "REGISTER.5", T_EVSC, RD, 0, SDEI_CALL_EVENT_REGISTER,
         T_EVSC, T_EP, 0, 0, 0, DENY},
        {"REGISTER during unregister-pending", "REGISTER.5", T_EVP, UP, 0, SDEI_CALL_EVENT_REGISTER,
         T_EVP, T_EP, 0, 0, 0, DENY},
        {"REGISTER of a bind slot that is not bound", "REGISTER.6", T_EVP, U, 0,
         SDEI_CALL_EVENT_REGISTER, SLOT_P, T_EP, 0, 0, 0, DENY},
        {"bad flags on an unbound bind slot: INVALID before DENIED", "REGISTER.2 REGISTER.6", T_EVP,
         U, 0, SDEI_CALL_EVENT_REGISTER, SLOT_S, T_EP, 0, 3, 0, INVAL},
        {"REGISTER of a bound slot in U succeeds", "REGISTER.6", SLOT_P, U, 20,
         SDEI_CALL_EVENT_REGISTER, SLOT_P, T_EP, 0, 0, 0, SDEI_SUCCESS},
        {"RM_PE with a valid affinity whose non-affinity bits differ", "REGISTER.3", T_EVS, U, 0,
         SDEI_CALL_EVENT_REGISTER, T_EVS, T_EP, 0, SDEI_RM_PE, UINT64_C(0x41000001), SDEI_SUCCESS},
    };
    ROWS(rows);
}
END_TEST

/* rule: ENABLE.1 ENABLE.2 EVENT.1 */
START_TEST(test_enable_and_disable_check_the_event_then_the_state)
{
    static const order_row rows[] = {
        {"ENABLE of an unknown event", "ENABLE.1", T_EVP, U, 0, SDEI_CALL_EVENT_ENABLE,
         T_EV_UNEXPOSED, 0, 0, 0, 0, INVAL},
        {"ENABLE with bit 32 of the number set", "EVENT.1 ENABLE.1", T_EVP, D, 0,
         SDEI_CALL_EVENT_ENABLE, T_EVP | HI32, 0, 0, 0, 0, INVAL},
        {"DISABLE with bit 31 of the number set", "EVENT.1 ENABLE.1", T_EVP, E, 0,
         SDEI_CALL_EVENT_DISABLE, T_EVP | BIT31, 0, 0, 0, 0, INVAL},
        {"ENABLE of an unregistered event", "ENABLE.2", T_EVP, U, 0, SDEI_CALL_EVENT_ENABLE, T_EVP,
         0, 0, 0, 0, DENY},
        {"DISABLE of an unregistered event", "ENABLE.2", T_EVS, U, 0, SDEI_CALL_EVENT_DISABLE,
         T_EVS, 0, 0, 0, 0, DENY},
        {"ENABLE during unregister-pending", "ENABLE.2", T_EVS, UP, 0, SDEI_CALL_EVENT_ENABLE,
         T_EVS, 0, 0, 0, 0, DENY},
        {"DISABLE during unregister-pending", "ENABLE.2", T_EVC, UP, 0, SDEI_CALL_EVENT_DISABLE,
         T_EVC, 0, 0, 0, 0, DENY},
        {"ENABLE of an enabled event is idempotent", "ENABLE.2", T_EVP, E, 0,
         SDEI_CALL_EVENT_ENABLE, T_EVP, 0, 0, 0, 0, SDEI_SUCCESS},
        {"DISABLE of a disabled event is idempotent", "ENABLE.2", T_EVP, D, 0,
         SDEI_CALL_EVENT_DISABLE, T_EVP, 0, 0, 0, 0, SDEI_SUCCESS},
    };
    ROWS(rows);
}
END_TEST

/* rule: UNREGISTER.1 UNREGISTER.2 UNREGISTER.3 STATUS.1 STATUS.2 */
START_TEST(test_unregister_and_status_check_the_event_first)
{
    static const order_row rows[] = {
        {"UNREGISTER of an unknown event", "UNREGISTER.1", T_EVP, U, 0, SDEI_CALL_EVENT_UNREGISTER,
         T_EV_UNEXPOSED, 0, 0, 0, 0, INVAL},
        {"UNREGISTER with bit 32 of a registered number set", "EVENT.1 UNREGISTER.1", T_EVP, E, 0,
         SDEI_CALL_EVENT_UNREGISTER, T_EVP | HI32, 0, 0, 0, 0, INVAL},
        {"UNREGISTER of an unregistered event", "UNREGISTER.2", T_EVS, U, 0,
         SDEI_CALL_EVENT_UNREGISTER, T_EVS, 0, 0, 0, 0, DENY},
        {"UNREGISTER again during unregister-pending", "UNREGISTER.2", T_EVS, UP, 0,
         SDEI_CALL_EVENT_UNREGISTER, T_EVS, 0, 0, 0, 0, PEND},
        {"UNREGISTER of a running event", "UNREGISTER.3", T_EVC, RD, 0, SDEI_CALL_EVENT_UNREGISTER,
         T_EVC, 0, 0, 0, 0, PEND},
        {"STATUS of an unknown event", "STATUS.1", T_EVP, U, 0, SDEI_CALL_EVENT_STATUS,
         T_EV_UNEXPOSED, 0, 0, 0, 0, INVAL},
        {"STATUS with bit 32 of a registered number set", "EVENT.1 STATUS.1", T_EVP, RE, 0,
         SDEI_CALL_EVENT_STATUS, T_EVP | HI32, 0, 0, 0, 0, INVAL},
        {"STATUS never DENIED: unregistered is 0", "STATUS.2", T_EVS, U, 0, SDEI_CALL_EVENT_STATUS,
         T_EVS, 0, 0, 0, 0, 0},
        {"STATUS in unregister-pending is 4", "STATUS.2", T_EVP, UP, 0, SDEI_CALL_EVENT_STATUS,
         T_EVP, 0, 0, 0, 0, 4},
    };
    ROWS(rows);
}
END_TEST

/* rule: GET_INFO.1 GET_INFO.2 GET_INFO.3 GET_INFO.4 GET_INFO.5 GET_INFO.6 */
START_TEST(test_get_info_checks_event_then_class_then_registration_then_mode)
{
    static const order_row rows[] = {
        {"unknown event with a bad selector", "GET_INFO.1 GET_INFO.6", T_EVP, U, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EV_UNEXPOSED, 9, 0, 0, 0, INVAL},
        {"unknown event, routing mode", "GET_INFO.1 GET_INFO.4", T_EVP, U, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EV_UNEXPOSED, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0, INVAL},
        {"routing mode of an unregistered private event is INVALID, not DENIED",
         "GET_INFO.3 GET_INFO.4", T_EVP, U, 0, SDEI_CALL_EVENT_GET_INFO, T_EVP,
         SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0, INVAL},
        {"routing affinity of a registered private event", "GET_INFO.3", T_EVC, E, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVC, SDEI_INFO_EV_ROUTING_AFF, 0, 0, 0, INVAL},
        {"routing mode of an unregistered shared event", "GET_INFO.4", T_EVS, U, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0, DENY},
        {"routing affinity of an unregistered shared event is DENIED before the RM_ANY check",
         "GET_INFO.4 GET_INFO.5", T_EVS, U, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS,
         SDEI_INFO_EV_ROUTING_AFF, 0, 0, 0, DENY},
        {"routing mode of a shared event in unregister-pending", "GET_INFO.4", T_EVSC, UP, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVSC, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0, DENY},
        {"routing affinity of an RM_ANY shared event", "GET_INFO.5", T_EVS, D, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_AFF, 0, 0, 0, INVAL},
        {"routing mode of an RM_ANY shared event", "GET_INFO.4", T_EVS, E, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_ROUTING_MODE, 0, 0, 0, SDEI_RM_ANY},
        {"bad selector on an unregistered shared event", "GET_INFO.6", T_EVS, U, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVS, 5, 0, 0, 0, INVAL},
        {"selector with bit 32 set", "GET_INFO.6", T_EVS, D, 0, SDEI_CALL_EVENT_GET_INFO, T_EVS,
         HI32 | SDEI_INFO_EV_TYPE, 0, 0, 0, INVAL},
        {"type of an unregistered shared event", "GET_INFO.1", T_EVS, U, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_TYPE, 0, 0, 0, 1},
        {"type of a running private event", "GET_INFO.1", T_EVP, RE, 0, SDEI_CALL_EVENT_GET_INFO,
         T_EVP, SDEI_INFO_EV_TYPE, 0, 0, 0, 0},
        {"priority of an unregistered critical event", "GET_INFO.1", T_EVC, U, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVC, SDEI_INFO_EV_PRIORITY, 0, 0, 0, 1},
        {"priority of a shared normal event in unregister-pending", "GET_INFO.1", T_EVS, UP, 0,
         SDEI_CALL_EVENT_GET_INFO, T_EVS, SDEI_INFO_EV_PRIORITY, 0, 0, 0, 0},
        {"EV_SIGNALED of event 0 is 0: it can be signalled (DESIGN §3.2)", "GET_INFO.2", T_EV0, U,
         0, SDEI_CALL_EVENT_GET_INFO, T_EV0, SDEI_INFO_EV_SIGNALED, 0, 0, 0, 0},
        {"EV_SIGNALED of another event is 1", "GET_INFO.2", T_EVP, E, 0, SDEI_CALL_EVENT_GET_INFO,
         T_EVP, SDEI_INFO_EV_SIGNALED, 0, 0, 0, 1},
        {"bound slot priority is normal", "BIND.4 GET_INFO.1", SLOT_S, U, 40,
         SDEI_CALL_EVENT_GET_INFO, SLOT_S, SDEI_INFO_EV_PRIORITY, 0, 0, 0, 0},
        {"bound SPI slot is shared", "BIND.4 GET_INFO.1", SLOT_S, U, 40, SDEI_CALL_EVENT_GET_INFO,
         SLOT_S, SDEI_INFO_EV_TYPE, 0, 0, 0, 1},
    };
    ROWS(rows);
}
END_TEST

/* rule: ROUTING_SET.1 ROUTING_SET.2 ROUTING_SET.3 ROUTING_SET.4 ROUTING_SET.5 ROUTING_SET.6 */
START_TEST(test_routing_set_checks_mode_affinity_event_class_binding_state_in_order)
{
    static const order_row rows[] = {
        {"bad mode on an unknown event", "ROUTING_SET.1 ROUTING_SET.3", T_EVS, U, 0,
         SDEI_CALL_EVENT_ROUTING_SET, T_EV_UNEXPOSED, 2, 0, 0, 0, INVAL},
        {"bad mode on a running shared event is INVALID, not DENIED", "ROUTING_SET.1 ROUTING_SET.6",
         T_EVS, RE, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, 2, 0, 0, 0, INVAL},
        {"mode with bit 32 set", "ROUTING_SET.1", T_EVS, D, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS,
         HI32 | SDEI_RM_PE, 0, 0, 0, INVAL},
        {"RM_PE with a bad affinity on an enabled shared event is INVALID, not DENIED",
         "ROUTING_SET.2 ROUTING_SET.6", T_EVS, E, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS, SDEI_RM_PE,
         BAD_AFF, 0, 0, INVAL},
        {"RM_PE with a bad affinity on an unregistered shared event", "ROUTING_SET.2 ROUTING_SET.6",
         T_EVSC, U, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVSC, SDEI_RM_PE, BAD_AFF, 0, 0, INVAL},
        {"RM_PE with a bad affinity on an unknown event", "ROUTING_SET.2 ROUTING_SET.3", T_EVS, U,
         0, SDEI_CALL_EVENT_ROUTING_SET, T_EV_UNEXPOSED, SDEI_RM_PE, BAD_AFF, 0, 0, INVAL},
        {"RM_PE with a bad affinity on a private event", "ROUTING_SET.2 ROUTING_SET.4", T_EVP, D, 0,
         SDEI_CALL_EVENT_ROUTING_SET, T_EVP, SDEI_RM_PE, BAD_AFF, 0, 0, INVAL},
        {"unknown event", "ROUTING_SET.3", T_EVS, D, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EV_UNEXPOSED,
         SDEI_RM_ANY, 0, 0, 0, INVAL},
        {"event number with bit 32 set", "EVENT.1 ROUTING_SET.3", T_EVS, D, 0,
         SDEI_CALL_EVENT_ROUTING_SET, T_EVS | HI32, SDEI_RM_ANY, 0, 0, 0, INVAL},
        {"private event in D is INVALID, not SUCCESS", "ROUTING_SET.4", T_EVP, D, 0,
         SDEI_CALL_EVENT_ROUTING_SET, T_EVP, SDEI_RM_ANY, 0, 0, 0, INVAL},
        {"private event in E is INVALID, not DENIED", "ROUTING_SET.4 ROUTING_SET.6", T_EVC, E, 0,
         SDEI_CALL_EVENT_ROUTING_SET, T_EVC, SDEI_RM_ANY, 0, 0, 0, INVAL},
        {"unbound shared slot is INVALID, not DENIED", "ROUTING_SET.5 ROUTING_SET.6", T_EVS, U, 0,
         SDEI_CALL_EVENT_ROUTING_SET, SLOT_S, SDEI_RM_ANY, 0, 0, 0, INVAL},
        {"bound shared slot in U", "ROUTING_SET.5 ROUTING_SET.6", SLOT_S, U, 33,
         SDEI_CALL_EVENT_ROUTING_SET, SLOT_S, SDEI_RM_ANY, 0, 0, 0, DENY},
        {"bound shared slot in D", "ROUTING_SET.6", SLOT_S, D, 33, SDEI_CALL_EVENT_ROUTING_SET,
         SLOT_S, SDEI_RM_PE, MPIDR1, 0, 0, SDEI_SUCCESS},
        {"shared event in U", "ROUTING_SET.6", T_EVS, U, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS,
         SDEI_RM_ANY, 0, 0, 0, DENY},
        {"shared event in E", "ROUTING_SET.6", T_EVS, E, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS,
         SDEI_RM_PE, MPIDR0, 0, 0, DENY},
        {"shared event in RD", "ROUTING_SET.6", T_EVS, RD, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVS,
         SDEI_RM_ANY, 0, 0, 0, DENY},
        {"shared event in UP", "ROUTING_SET.6", T_EVSC, UP, 0, SDEI_CALL_EVENT_ROUTING_SET, T_EVSC,
         SDEI_RM_ANY, 0, 0, 0, DENY},
    };
    ROWS(rows);
}
END_TEST

/* rule: CONTEXT.1 CONTEXT.2 CONTEXT.3 COMPLETE.1 */
START_TEST(test_context_checks_the_register_number_before_the_running_handler)
{
    static const order_row rows[] = {
        {"param 18 with nothing running is INVALID, not DENIED", "CONTEXT.1 CONTEXT.2", T_EVP, E, 0,
         SDEI_CALL_EVENT_CONTEXT, 18, 0, 0, 0, 0, INVAL},
        {"param 2^63 with nothing running", "CONTEXT.1 CONTEXT.2", T_EVP, U, 0,
         SDEI_CALL_EVENT_CONTEXT, UINT64_C(1) << 63, 0, 0, 0, 0, INVAL},
        {"param 18 with a handler running", "CONTEXT.1", T_EVP, RE, 0, SDEI_CALL_EVENT_CONTEXT, 18,
         0, 0, 0, 0, INVAL},
        {"param 17 with nothing running", "CONTEXT.2", T_EVP, D, 0, SDEI_CALL_EVENT_CONTEXT, 17, 0,
         0, 0, 0, DENY},
        {"param 0 with nothing running", "CONTEXT.2", T_EVP, U, 0, SDEI_CALL_EVENT_CONTEXT, 0, 0, 0,
         0, 0, DENY},
        {"param 17 with a handler running: the interrupted x17", "CONTEXT.3", T_EVS, RD, 0,
         SDEI_CALL_EVENT_CONTEXT, 17, 0, 0, 0, 0, (int64_t)(T_CTX_BASE + 17)},
        {"param 0 in unregister-pending: the interrupted x0", "CONTEXT.3", T_EVC, UP, 0,
         SDEI_CALL_EVENT_CONTEXT, 0, 0, 0, 0, 0, (int64_t)T_CTX_BASE},
        {"COMPLETE with nothing running", "COMPLETE.1", T_EVP, E, 0, SDEI_CALL_EVENT_COMPLETE,
         SDEI_EV_HANDLED, 0, 0, 0, 0, DENY},
        {"COMPLETE(FAILED) with nothing running", "COMPLETE.1", T_EVP, U, 0,
         SDEI_CALL_EVENT_COMPLETE, SDEI_EV_FAILED, 0, 0, 0, 0, DENY},
        {"COMPLETE_AND_RESUME with nothing running", "COMPLETE.1", T_EVS, E, 0,
         SDEI_CALL_EVENT_COMPLETE_AND_RESUME, 0x8000, 0, 0, 0, 0, DENY},
    };
    ROWS(rows);
}
END_TEST

/* rule: BIND.1 BIND.2 BIND.3 RELEASE.1 RELEASE.2 RELEASE.3 RELEASE.4 RELEASE.5 */
START_TEST(test_bind_and_release_check_in_order)
{
    static const order_row rows[] = {
        {"bind SGI 0", "BIND.1", T_EVP, U, 0, SDEI_CALL_INTERRUPT_BIND, 0, 0, 0, 0, 0, INVAL},
        {"bind SGI 15", "BIND.1", T_EVP, U, 0, SDEI_CALL_INTERRUPT_BIND, 15, 0, 0, 0, 0, INVAL},
        {"bind special INTID 1020", "BIND.1", T_EVP, U, 0, SDEI_CALL_INTERRUPT_BIND, 1020, 0, 0, 0,
         0, INVAL},
        {"bind PPI 16 with bit 32 set", "BIND.1", T_EVP, U, 0, SDEI_CALL_INTERRUPT_BIND, HI32 | 16,
         0, 0, 0, 0, INVAL},
        {"re-bind of a bound interrupt", "BIND.2", SLOT_P, D, 16, SDEI_CALL_INTERRUPT_BIND, 16, 0,
         0, 0, 0, (int64_t)SLOT_P},
        {"RELEASE of an unknown event", "RELEASE.1", T_EVP, U, 0, SDEI_CALL_INTERRUPT_RELEASE,
         T_EV_UNEXPOSED, 0, 0, 0, 0, INVAL},
        {"RELEASE with bit 32 of a bound number set", "EVENT.1 RELEASE.1", SLOT_P, U, 16,
         SDEI_CALL_INTERRUPT_RELEASE, SLOT_P | HI32, 0, 0, 0, 0, INVAL},
        {"RELEASE of a registered non-bind event is INVALID, not DENIED", "RELEASE.2 RELEASE.3",
         T_EVP, E, 0, SDEI_CALL_INTERRUPT_RELEASE, T_EVP, 0, 0, 0, 0, INVAL},
        {"RELEASE of a registered bound event", "RELEASE.3", SLOT_P, D, 17,
         SDEI_CALL_INTERRUPT_RELEASE, SLOT_P, 0, 0, 0, 0, DENY},
        {"RELEASE of a running bound shared event", "RELEASE.3", SLOT_S, RE, 99,
         SDEI_CALL_INTERRUPT_RELEASE, SLOT_S, 0, 0, 0, 0, DENY},
        {"RELEASE of a bound event in unregister-pending", "RELEASE.3 RELEASE.4", SLOT_P, UP, 18,
         SDEI_CALL_INTERRUPT_RELEASE, SLOT_P, 0, 0, 0, 0, DENY},
        {"RELEASE of a bound shared event in unregister-pending", "RELEASE.4", SLOT_S, UP, 500,
         SDEI_CALL_INTERRUPT_RELEASE, SLOT_S, 0, 0, 0, 0, DENY},
        {"RELEASE of a slot that is not bound", "RELEASE.5", T_EVP, U, 0,
         SDEI_CALL_INTERRUPT_RELEASE, SLOT_S, 0, 0, 0, 0, INVAL},
        {"RELEASE of a bound, unregistered slot", "RELEASE.5", SLOT_S, U, 1019,
         SDEI_CALL_INTERRUPT_RELEASE, SLOT_S, 0, 0, 0, 0, SDEI_SUCCESS},
    };
    ROWS(rows);
}
END_TEST

/* rule: SIGNAL.1 SIGNAL.2 SIGNAL.3 SIGNAL.4 */
START_TEST(test_signal_rejects_every_bad_input_with_invalid_parameters)
{
    uint64_t self = sdei_default_mpidr(0);
    static const order_row rows_template[] = {
        {"event 1 (not 0) to a bad target", "SIGNAL.1 SIGNAL.2", T_EV0, E, 0,
         SDEI_CALL_EVENT_SIGNAL, 1, BAD_AFF, 0, 0, 0, INVAL},
        {"a registered non-zero event to self", "SIGNAL.1", T_EVP, E, 0, SDEI_CALL_EVENT_SIGNAL,
         T_EVP, 0, 0, 0, 0, INVAL},
        {"event 0 with bit 32 set", "SIGNAL.1", T_EV0, E, 0, SDEI_CALL_EVENT_SIGNAL, HI32, 0, 0, 0,
         0, INVAL},
        {"event 0 to an MPIDR that names no vCPU", "SIGNAL.2", T_EV0, E, 0, SDEI_CALL_EVENT_SIGNAL,
         0, BAD_AFF, 0, 0, 0, INVAL},
        {"event 0 to the masked vCPU 1", "SIGNAL.3", T_EV0, E, 0, SDEI_CALL_EVENT_SIGNAL, 0, 1, 0,
         0, 0, INVAL},
        {"event 0 to self, registered but disabled", "SIGNAL.4", T_EV0, D, 0,
         SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0, 0, INVAL},
        {"event 0 to self, not registered", "SIGNAL.4", T_EV0, U, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0,
         0, 0, 0, INVAL},
        {"event 0 to self in unregister-pending", "SIGNAL.4", T_EV0, UP, 0, SDEI_CALL_EVENT_SIGNAL,
         0, 0, 0, 0, 0, INVAL},
        {"event 0 to self, running and disabled", "SIGNAL.4", T_EV0, RD, 0, SDEI_CALL_EVENT_SIGNAL,
         0, 0, 0, 0, 0, INVAL},
        {"event 0 to self, enabled", "SIGNAL.5", T_EV0, E, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0, 0,
         SDEI_SUCCESS},
        {"event 0 to self, running and enabled", "SIGNAL.5", T_EV0, RE, 0, SDEI_CALL_EVENT_SIGNAL,
         0, 0, 0, 0, 0, SDEI_SUCCESS},
    };
    order_row rows[sizeof(rows_template) / sizeof(rows_template[0])];
    memcpy(rows, rows_template, sizeof(rows));
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        /* targets: 0 = self, 1 = vCPU 1, else as given */
        if (rows[i].a2 == 0) {
            rows[i].a2 = self;
        } else if (rows[i].a2 == 1) {
            rows[i].a2 = sdei_default_mpidr(1);
        }
    }
    ROWS(rows);
}
END_TEST

/* rule: FEATURES.1 FEATURES.2 FEATURES.3 VERSION.1 PE_MASK.1 PE_UNMASK.1 */
START_TEST(test_calls_without_state_answer_their_fixed_values)
{
    static const order_row rows[] = {
        {"VERSION is 1.1 with vendor 0", "VERSION.1", T_EVP, U, 0, SDEI_CALL_VERSION, 0, 0, 0, 0, 0,
         (int64_t)UINT64_C(0x0001000100000000)},
        {"FEATURES(BIND_SLOTS) = private | shared << 16", "FEATURES.1", T_EVP, U, 0,
         SDEI_CALL_FEATURES, SDEI_FEATURE_BIND_SLOTS, 0, 0, 0, 0, 0x20002},
        {"FEATURES(RELATIVE_MODE) = 0, not supported", "FEATURES.2", T_EVP, U, 0,
         SDEI_CALL_FEATURES, SDEI_FEATURE_RELATIVE_MODE, 0, 0, 0, 0, 0},
        {"FEATURES(2)", "FEATURES.3", T_EVP, U, 0, SDEI_CALL_FEATURES, 2, 0, 0, 0, 0, INVAL},
        {"FEATURES with bit 32 set", "FEATURES.3", T_EVP, U, 0, SDEI_CALL_FEATURES, HI32, 0, 0, 0,
         0, INVAL},
        {"PE_MASK of an unmasked vCPU returns 1", "PE_MASK.1", T_EVP, E, 0, SDEI_CALL_PE_MASK, 0, 0,
         0, 0, 0, 1},
        {"PE_UNMASK returns 0", "PE_UNMASK.1", T_EVP, E, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0, 0},
    };
    ROWS(rows);
}
END_TEST

/* rule: PE_MASK.1 */
START_TEST(test_pe_mask_returns_1_then_0_when_already_masked)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    /* a vCPU starts masked (sdei-rules §9) */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 0);
    t_unmask(vm, 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 0);
    t_unmask(vm, 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    /* legal inside a handler, also returns 1 there (ACS test_046) */
    t_register_enable(vm, 0, T_EVP, T_EP, 0);
    t_trigger(vm, T_EVP, 0);
    t_expect_delivery(vm, 0, T_EVP);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 1);
    sdei_vm_free(vm);
}
END_TEST

/* rule: CALL.1 */
START_TEST(test_unknown_function_ids_return_not_supported)
{
    static const struct {
        uint64_t fid;
        sdei_call_outcome outcome;
    } fids[] = {
        {0xC4000033, SDEI_CALL_RETURNED}, {0xC400003F, SDEI_CALL_RETURNED},
        {0xC4000050, SDEI_CALL_NOT_SDEI}, {0xC400001F, SDEI_CALL_NOT_SDEI},
        {0x84000020, SDEI_CALL_NOT_SDEI}, {0x84000030, SDEI_CALL_NOT_SDEI},
        {0, SDEI_CALL_NOT_SDEI},          {UINT64_MAX, SDEI_CALL_NOT_SDEI},
    };
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
        sdei_regs *r = sdei_vcpu_regs(vm, 0);
        r->x[0] = fids[i].fid;
        r->x[1] = 1;
        r->x[2] = 2;
        r->x[3] = 3;
        sdei_call_info info;
        ck_assert_int_eq(sdei_hypercall(vm, 0, &info), SDEI_OK);
        ck_assert_msg(r->x[0] == (uint64_t)SDEI_NOT_SUPPORTED && info.outcome == fids[i].outcome &&
                          info.call == SDEI_CALL_ID_NONE && r->x[1] == 0 && r->x[2] == 0 &&
                          r->x[3] == 0,
                      "fid 0x%" PRIx64 ": x0=0x%" PRIx64 " outcome %d call %u", fids[i].fid,
                      r->x[0], info.outcome, info.call);
    }
    /* bits 63:32 of x0 are ignored: SMCCC's function ID is W0 */
    ck_assert_int_eq(t_call(vm, 0, UINT64_C(0xFFFFFFFF00000000) | SDEI_FID_VERSION, 0, 0, 0, 0, 0),
                     (int64_t)UINT64_C(0x0001000100000000));
    ck_assert_int_eq(t_call(vm, 0, HI32 | SDEI_FID_FEATURES, 0, 0, 0, 0, 0), 0x20002);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_every_result_writes_x1_to_x3_as_zero)
{
    /* kvm-v5 §4.1: smccc_set_retval(ret, 0, 0, 0), whatever the call */
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    for (uint32_t c = 0; c < SDEI_CALL_COUNT; c++) {
        if (c == SDEI_CALL_EVENT_COMPLETE || c == SDEI_CALL_EVENT_COMPLETE_AND_RESUME) {
            continue; /* nothing running: DENIED, also written as below */
        }
        sdei_regs *r = sdei_vcpu_regs(vm, 0);
        r->x[0] = sdei_call_fid(vm, (sdei_call_id)c);
        r->x[1] = 0x1111;
        r->x[2] = 0x2222;
        r->x[3] = 0x3333;
        r->x[4] = 0x4444;
        ck_assert_int_eq(sdei_hypercall(vm, 0, NULL), SDEI_OK);
        ck_assert_msg(r->x[1] == 0 && r->x[2] == 0 && r->x[3] == 0 && r->x[4] == 0x4444,
                      "%s: x1..x4 = %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64,
                      sdei_call_name((sdei_call_id)c), r->x[1], r->x[2], r->x[3], r->x[4]);
    }
    sdei_call_info info;
    int64_t x0 = t_callinfo(vm, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0x2222, 0x3333, 0, 0, &info);
    ck_assert_int_eq(x0, SDEI_DENIED);
    ck_assert_int_eq(info.outcome, SDEI_CALL_RETURNED);
    ck_assert_uint_eq(sdei_vcpu_regs(vm, 0)->x[2], 0);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_register_checks_entry_point_flags_affinity_event_state_binding,
        test_enable_and_disable_check_the_event_then_the_state,
        test_unregister_and_status_check_the_event_first,
        test_get_info_checks_event_then_class_then_registration_then_mode,
        test_routing_set_checks_mode_affinity_event_class_binding_state_in_order,
        test_context_checks_the_register_number_before_the_running_handler,
        test_bind_and_release_check_in_order,
        test_signal_rejects_every_bad_input_with_invalid_parameters,
        test_calls_without_state_answer_their_fixed_values,
        test_pe_mask_returns_1_then_0_when_already_masked,
        test_unknown_function_ids_return_not_supported,
        test_every_result_writes_x1_to_x3_as_zero,
    };
    return t_run_tests("check_order", tests, T_COUNT(tests));
}
