/*
 * test_table.c - the loop test over every cell of the state table.
 *
 * For each event class (private/shared, normal/critical, bound slots), each
 * state and each action, the state is built with real hypercalls and
 * deliveries, the action performed, and the call result and the resulting
 * state compared with sdei_state_table[state][action] (sdei-rules §5.2,
 * STYLE habit 1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"

/* rule: REGISTER.5 ENABLE.2 UNREGISTER.2 UNREGISTER.3 ROUTING_SET.6 RELEASE.3 RELEASE.4
 * rule: CONTEXT.2 CONTEXT.3 COMPLETE.1 COMPLETE.3 */

typedef struct table_event {
    const char *name;
    uint64_t num;   /* 0: bind intid below */
    uint32_t intid; /* bind slot event: interrupt to bind */
    uint8_t shared;
} table_event;

static const table_event table_events[] = {
    {"event 0 (private normal)", T_EV0, 0, 0}, {"private normal", T_EVP, 0, 0},
    {"private critical", T_EVC, 0, 0},         {"shared normal", T_EVS, 0, 1},
    {"shared critical", T_EVSC, 0, 1},         {"bound PPI 20 (private)", 0, 20, 0},
    {"bound SPI 100 (shared)", 0, 100, 1},
};
#define NR_TABLE_EVENTS (sizeof(table_events) / sizeof(table_events[0]))

static unsigned cells_checked;

/* The outcome of one action: the call result (or trigger result, or 1/0 for
 * "a handler was entered" with DISPATCH) and whether x0 holds a result. */
typedef struct outcome {
    int64_t result;
    sdei_call_outcome call;
} outcome;

static outcome do_action(sdei_vm *vm, uint64_t num, sdei_action act)
{
    outcome o = {0, SDEI_CALL_RETURNED};
    sdei_call_info info;
    memset(&info, 0, sizeof(info));
    switch (act) {
    case SDEI_ACT_REGISTER:
        o.result = t_callinfo(vm, 0, SDEI_CALL_EVENT_REGISTER, num, T_EP + 0x40, T_ARG + 1,
                              SDEI_RM_ANY, 0, &info);
        break;
    case SDEI_ACT_ENABLE:
        o.result = t_callinfo(vm, 0, SDEI_CALL_EVENT_ENABLE, num, 0, 0, 0, 0, &info);
        break;
    case SDEI_ACT_DISABLE:
        o.result = t_callinfo(vm, 0, SDEI_CALL_EVENT_DISABLE, num, 0, 0, 0, 0, &info);
        break;
    case SDEI_ACT_UNREGISTER:
        o.result = t_callinfo(vm, 0, SDEI_CALL_EVENT_UNREGISTER, num, 0, 0, 0, 0, &info);
        break;
    case SDEI_ACT_ROUTING_SET:
        o.result = t_callinfo(vm, 0, SDEI_CALL_EVENT_ROUTING_SET, num, SDEI_RM_ANY, 0, 0, 0, &info);
        break;
    case SDEI_ACT_RELEASE:
        o.result = t_callinfo(vm, 0, SDEI_CALL_INTERRUPT_RELEASE, num, 0, 0, 0, 0, &info);
        break;
    case SDEI_ACT_CONTEXT:
        o.result = t_callinfo(vm, 0, SDEI_CALL_EVENT_CONTEXT, 5, 0, 0, 0, 0, &info);
        break;
    case SDEI_ACT_COMPLETE:
        o.result = t_callinfo(vm, 0, SDEI_CALL_EVENT_COMPLETE, SDEI_EV_HANDLED, 0, 0, 0, 0, &info);
        break;
    case SDEI_ACT_COMPLETE_AND_RESUME:
        o.result =
            t_callinfo(vm, 0, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, 0x7000, 0, 0, 0, 0, &info);
        break;
    case SDEI_ACT_DISPATCH: {
        (void)t_trigger(vm, num, 0);
        sdei_delivery d = t_deliver(vm, 0);
        /* 1 if this event's handler was entered */
        o.result = d.delivered && d.num == num;
        return o;
    }
    case SDEI_ACT_TRIGGER:
        o.result = t_trigger(vm, num, 0);
        return o;
    default:
        ck_abort_msg("unknown action %d", act);
    }
    o.call = info.outcome;
    return o;
}

/* One cell for one event: fresh VM, build the state, act, compare. */
static void check_cell(const table_event *te, sdei_event_state st, sdei_action act)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0); /* vCPU 1 stays masked: shared triggers route to vCPU 0 */
    uint64_t num = te->num;
    if (te->intid != 0) {
        num = t_bind(vm, 0, te->intid);
    }
    t_make_state(vm, 0, num, st);
    const sdei_table_cell *cell = &sdei_state_table[st][act];
    char where[256];
    snprintf(where, sizeof(where), "event %s 0x%" PRIx64 ", state %s, action %s, cell rule \"%s\"",
             te->name, num, sdei_state_name(st), sdei_action_name(act), cell->rule);

    outcome o = do_action(vm, num, act);
    sdei_event_state after = t_state(vm, num, 0);
    sdei_event_state want_state =
        cell->kind == SDEI_CELL_TRANSITION ? (sdei_event_state)cell->next : st;
    int64_t want = cell->result;

    if (act == SDEI_ACT_ROUTING_SET && !te->shared) {
        /* rule: ROUTING_SET.4 a private event is INVALID_PARAMETERS in every state */
        want = SDEI_INVALID_PARAMETERS;
        want_state = st;
    } else if (act == SDEI_ACT_RELEASE && te->intid == 0) {
        /* rule: RELEASE.2 not a bind slot: INVALID_PARAMETERS in every state */
        want = SDEI_INVALID_PARAMETERS;
        want_state = st;
    } else if (act == SDEI_ACT_DISPATCH) {
        want = cell->kind == SDEI_CELL_TRANSITION;
    } else if (act == SDEI_ACT_CONTEXT && cell->kind == SDEI_CELL_TRANSITION) {
        /* rule: CONTEXT.3 CONTEXT returns the interrupted x5 saved at delivery */
        want = (int64_t)(T_CTX_BASE + 5);
    }

    if ((act == SDEI_ACT_COMPLETE || act == SDEI_ACT_COMPLETE_AND_RESUME) &&
        cell->kind == SDEI_CELL_TRANSITION) {
        ck_assert_msg(o.call == SDEI_CALL_COMPLETED, "%s: outcome %d, want COMPLETED", where,
                      o.call);
        /* x0 is the restored interrupted x0, not a result */
        ck_assert_msg(o.result == (int64_t)T_CTX_BASE, "%s: x0 0x%" PRIx64 " after complete", where,
                      (uint64_t)o.result);
    } else {
        ck_assert_msg(o.call == SDEI_CALL_RETURNED, "%s: outcome %d, want RETURNED", where, o.call);
        ck_assert_msg(o.result == want, "%s: result %" PRId64 ", want %" PRId64, where, o.result,
                      want);
    }
    ck_assert_msg(after == want_state, "%s: state %s after, want %s", where, sdei_state_name(after),
                  sdei_state_name(want_state));
    /* STATUS agrees with the state (sdei-rules §5.1) */
    int64_t status = t_status(vm, 0, num);
    ck_assert_msg(status == (int64_t)sdei_state_status_bits(after),
                  "%s: STATUS %" PRId64 " in state %s", where, status, sdei_state_name(after));
    t_check_vm(vm);
    cells_checked++;
    sdei_vm_free(vm);
}

START_TEST(test_every_cell_of_the_state_table_matches_the_model)
{
    cells_checked = 0;
    for (size_t e = 0; e < NR_TABLE_EVENTS; e++) {
        for (int st = 0; st < SDEI_STATE_COUNT; st++) {
            for (int act = 0; act < SDEI_ACT_COUNT; act++) {
                check_cell(&table_events[e], (sdei_event_state)st, (sdei_action)act);
            }
        }
    }
    ck_assert_uint_eq(cells_checked, NR_TABLE_EVENTS * SDEI_STATE_COUNT * SDEI_ACT_COUNT);
    printf("test_table: %u cells checked (%u events x %u states x %u actions)\n", cells_checked,
           (unsigned)NR_TABLE_EVENTS, (unsigned)SDEI_STATE_COUNT, (unsigned)SDEI_ACT_COUNT);
}
END_TEST

START_TEST(test_every_cell_has_a_rule_and_a_consistent_kind)
{
    for (int st = 0; st < SDEI_STATE_COUNT; st++) {
        for (int act = 0; act < SDEI_ACT_COUNT; act++) {
            const sdei_table_cell *c = &sdei_state_table[st][act];
            ck_assert_msg(c->rule != NULL && c->rule[0] != '\0', "%s x %s: no rule",
                          sdei_state_name((sdei_event_state)st),
                          sdei_action_name((sdei_action)act));
            if (c->kind == SDEI_CELL_TRANSITION) {
                ck_assert_msg(c->next < SDEI_STATE_COUNT, "%s x %s: next %u",
                              sdei_state_name((sdei_event_state)st),
                              sdei_action_name((sdei_action)act), c->next);
            } else {
                ck_assert_msg(c->kind == SDEI_CELL_FORBIDDEN && c->result != SDEI_SUCCESS,
                              "%s x %s: forbidden cell with result 0",
                              sdei_state_name((sdei_event_state)st),
                              sdei_action_name((sdei_action)act));
            }
        }
    }
}
END_TEST

START_TEST(test_status_bits_of_each_state)
{
    /* sdei-rules §5.1: U 0, D 1, E 3, RE 7, RD 5, UP 4 */
    static const uint64_t want[SDEI_STATE_COUNT] = {0, 1, 3, 7, 5, 4};
    for (int st = 0; st < SDEI_STATE_COUNT; st++) {
        ck_assert_uint_eq(sdei_state_status_bits((sdei_event_state)st), want[st]);
    }
}
END_TEST

/* sdei-rules §5.2 restated independently of table.c: an edit of the table data
 * must fail here even though the model (which reads the table) follows it. */
typedef struct want_cell {
    uint8_t allowed;
    uint8_t next; /* for forbidden cells: unchanged */
    int8_t result;
} want_cell;
/* initializer macros: clang-format 14 breaks a macro whose body is "{...}" */
/* clang-format off */
#define OKTO(s) {1, SDEI_STATE_##s, SDEI_SUCCESS}
#define NO(r) {0, 0xFF, (r)}
/* clang-format on */
#define U_ UNREGISTERED
#define D_ REGISTERED
#define E_ ENABLED
#define RE_ RUNNING_ENABLED
#define RD_ RUNNING_DISABLED
#define UP_ UNREGISTER_PENDING
#define OKTO_(s) OKTO(s)
static const want_cell spec_5_2[SDEI_STATE_COUNT][SDEI_ACT_COUNT] = {
    /*   REGISTER       ENABLE         DISABLE        UNREGISTER                 ROUTING_SET
     *   RELEASE        CONTEXT        COMPLETE       C_AND_R        DISPATCH      TRIGGER */
    [SDEI_STATE_UNREGISTERED] = {OKTO_(D_), NO(SDEI_DENIED), NO(SDEI_DENIED), NO(SDEI_DENIED),
                                 NO(SDEI_DENIED), OKTO_(U_), NO(SDEI_DENIED), NO(SDEI_DENIED),
                                 NO(SDEI_DENIED), NO(SDEI_DENIED), NO(SDEI_TRIGGER_DROPPED)},
    [SDEI_STATE_REGISTERED] = {NO(SDEI_DENIED),
                               OKTO_(E_),
                               OKTO_(D_),
                               OKTO_(U_),
                               OKTO_(D_),
                               NO(SDEI_DENIED),
                               NO(SDEI_DENIED),
                               NO(SDEI_DENIED),
                               NO(SDEI_DENIED),
                               NO(SDEI_DENIED),
                               {1, SDEI_STATE_REGISTERED, SDEI_TRIGGER_PENDING}},
    [SDEI_STATE_ENABLED] = {NO(SDEI_DENIED),
                            OKTO_(E_),
                            OKTO_(D_),
                            OKTO_(U_),
                            NO(SDEI_DENIED),
                            NO(SDEI_DENIED),
                            NO(SDEI_DENIED),
                            NO(SDEI_DENIED),
                            NO(SDEI_DENIED),
                            OKTO_(RE_),
                            {1, SDEI_STATE_ENABLED, SDEI_TRIGGER_PENDING}},
    [SDEI_STATE_RUNNING_ENABLED] = {NO(SDEI_DENIED),
                                    OKTO_(RE_),
                                    OKTO_(RD_),
                                    {1, SDEI_STATE_UNREGISTER_PENDING, SDEI_PENDING},
                                    NO(SDEI_DENIED),
                                    NO(SDEI_DENIED),
                                    OKTO_(RE_),
                                    OKTO_(E_),
                                    OKTO_(E_),
                                    NO(SDEI_DENIED),
                                    {1, SDEI_STATE_RUNNING_ENABLED, SDEI_TRIGGER_PENDING}},
    [SDEI_STATE_RUNNING_DISABLED] = {NO(SDEI_DENIED),
                                     OKTO_(RE_),
                                     OKTO_(RD_),
                                     {1, SDEI_STATE_UNREGISTER_PENDING, SDEI_PENDING},
                                     NO(SDEI_DENIED),
                                     NO(SDEI_DENIED),
                                     OKTO_(RD_),
                                     OKTO_(D_),
                                     OKTO_(D_),
                                     NO(SDEI_DENIED),
                                     {1, SDEI_STATE_RUNNING_DISABLED, SDEI_TRIGGER_PENDING}},
    [SDEI_STATE_UNREGISTER_PENDING] = {NO(SDEI_DENIED), NO(SDEI_DENIED), NO(SDEI_DENIED),
                                       NO(SDEI_PENDING), NO(SDEI_DENIED), NO(SDEI_DENIED),
                                       OKTO_(UP_), OKTO_(U_), OKTO_(U_), NO(SDEI_DENIED),
                                       NO(SDEI_TRIGGER_DROPPED)},
};

START_TEST(test_the_table_data_equals_sdei_rules_5_2)
{
    for (int st = 0; st < SDEI_STATE_COUNT; st++) {
        for (int act = 0; act < SDEI_ACT_COUNT; act++) {
            const sdei_table_cell *c = &sdei_state_table[st][act];
            const want_cell *w = &spec_5_2[st][act];
            const char *sn = sdei_state_name((sdei_event_state)st);
            const char *an = sdei_action_name((sdei_action)act);
            ck_assert_msg(c->kind == (w->allowed ? SDEI_CELL_TRANSITION : SDEI_CELL_FORBIDDEN),
                          "%s x %s: kind %u (rule %s)", sn, an, c->kind, c->rule);
            ck_assert_msg(c->result == w->result, "%s x %s: result %d, §5.2 says %d (rule %s)", sn,
                          an, c->result, w->result, c->rule);
            if (w->allowed) {
                ck_assert_msg(c->next == w->next, "%s x %s: next %s, §5.2 says %s (rule %s)", sn,
                              an, sdei_state_name((sdei_event_state)c->next),
                              sdei_state_name((sdei_event_state)w->next), c->rule);
            }
        }
    }
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_every_cell_of_the_state_table_matches_the_model,
        test_every_cell_has_a_rule_and_a_consistent_kind,
        test_status_bits_of_each_state,
        test_the_table_data_equals_sdei_rules_5_2,
    };
    return t_run_tests("table", tests, T_COUNT(tests));
}
