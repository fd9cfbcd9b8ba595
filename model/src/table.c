/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * table.c - the SDEI event state machine as data.
 *
 * One row per state, one column per action; each cell gives the next state,
 * the call's result and the rule it encodes (sdei-rules §5.2, TF-A's
 * sdei_state.c). Unlike TF-A's table, results live in the cell: PENDING for
 * UNREGISTER of a running event is decided here, not elsewhere.
 *
 * Columns: REGISTER ENABLE DISABLE UNREGISTER ROUTING_SET RELEASE CONTEXT
 *          COMPLETE COMPLETE_AND_RESUME DISPATCH TRIGGER
 */
#include "vm_internal.h"

#define T(next_state, res, why)                                                              \
    {.kind = SDEI_CELL_TRANSITION, .next = (next_state), .result = (res), .rule = (why)}
#define X(res, why)                                                                          \
    {.kind = SDEI_CELL_FORBIDDEN, .next = 0xFF, .result = (res), .rule = (why)}

enum { S_U, S_D, S_E, S_RE, S_RD, S_UP };
#define OK SDEI_SUCCESS
#define DEN SDEI_DENIED
#define PEN SDEI_PENDING
#define LATCH SDEI_TRIGGER_PENDING
#define DROP SDEI_TRIGGER_DROPPED

#define R52 "sdei-rules §5.2"

const sdei_table_cell sdei_state_table[SDEI_STATE_COUNT][SDEI_ACT_COUNT] = {
    [S_U] = {
        [SDEI_ACT_REGISTER] = T(S_D, OK, R52 ": REGISTER is allowed only in U; registers disabled"),
        [SDEI_ACT_ENABLE] = X(DEN, R52 ": ENABLE of an unregistered event"),
        [SDEI_ACT_DISABLE] = X(DEN, R52 ": DISABLE of an unregistered event"),
        [SDEI_ACT_UNREGISTER] = X(DEN, R52 ": UNREGISTER after completion is DENIED"),
        [SDEI_ACT_ROUTING_SET] = X(DEN, "sdei-rules §6.6: ROUTING_SET only in D"),
        [SDEI_ACT_RELEASE] = T(S_U, OK, "sdei-rules §6.11: RELEASE only in U"),
        [SDEI_ACT_CONTEXT] = X(DEN, "sdei-rules §6.15: no handler running"),
        [SDEI_ACT_COMPLETE] = X(DEN, "sdei-rules §6.16: no handler running"),
        [SDEI_ACT_COMPLETE_AND_RESUME] = X(DEN, "sdei-rules §6.17: no handler running"),
        [SDEI_ACT_DISPATCH] = X(DEN, "sdei-rules §7.1: dispatch only from E"),
        [SDEI_ACT_TRIGGER] =
            X(DROP, "sdei-rules §7.4: a trigger on an unregistered event is dropped"),
    },
    [S_D] = {
        [SDEI_ACT_REGISTER] = X(DEN, R52 ": re-REGISTER of a registered event"),
        [SDEI_ACT_ENABLE] = T(S_E, OK, R52 ": ENABLE"),
        [SDEI_ACT_DISABLE] = T(S_D, OK, R52 ": DISABLE is idempotent"),
        [SDEI_ACT_UNREGISTER] = T(S_U, OK, R52 ": UNREGISTER of an idle event"),
        [SDEI_ACT_ROUTING_SET] = T(S_D, OK, "sdei-rules §6.6: ROUTING_SET in D"),
        [SDEI_ACT_RELEASE] = X(DEN, "sdei-rules §6.11: RELEASE of a registered event"),
        [SDEI_ACT_CONTEXT] = X(DEN, "sdei-rules §6.15: no handler running"),
        [SDEI_ACT_COMPLETE] = X(DEN, "sdei-rules §6.16: no handler running"),
        [SDEI_ACT_COMPLETE_AND_RESUME] = X(DEN, "sdei-rules §6.17: no handler running"),
        [SDEI_ACT_DISPATCH] = X(DEN, "sdei-rules §7.1: a disabled event is not dispatched"),
        [SDEI_ACT_TRIGGER] =
            T(S_D, LATCH, "sdei-rules §7.4: a trigger on a disabled event stays pending"),
    },
    [S_E] = {
        [SDEI_ACT_REGISTER] = X(DEN, R52 ": re-REGISTER of a registered event"),
        [SDEI_ACT_ENABLE] = T(S_E, OK, R52 ": ENABLE is idempotent"),
        [SDEI_ACT_DISABLE] = T(S_D, OK, R52 ": DISABLE"),
        [SDEI_ACT_UNREGISTER] = T(S_U, OK, R52 ": UNREGISTER also disables"),
        [SDEI_ACT_ROUTING_SET] = X(DEN, "sdei-rules §6.6: ROUTING_SET of an enabled event"),
        [SDEI_ACT_RELEASE] = X(DEN, "sdei-rules §6.11: RELEASE of a registered event"),
        [SDEI_ACT_CONTEXT] = X(DEN, "sdei-rules §6.15: no handler running"),
        [SDEI_ACT_COMPLETE] = X(DEN, "sdei-rules §6.16: no handler running"),
        [SDEI_ACT_COMPLETE_AND_RESUME] = X(DEN, "sdei-rules §6.17: no handler running"),
        [SDEI_ACT_DISPATCH] = T(S_RE, OK, "sdei-rules §7.1: dispatch from E enters the handler"),
        [SDEI_ACT_TRIGGER] =
            T(S_E, LATCH, "sdei-rules §7.1: a trigger on an enabled event is dispatched"),
    },
    [S_RE] = {
        [SDEI_ACT_REGISTER] = X(DEN, R52 ": REGISTER of a running event"),
        [SDEI_ACT_ENABLE] = T(S_RE, OK, R52 ": ENABLE is idempotent"),
        [SDEI_ACT_DISABLE] = T(S_RD, OK, R52 ": DISABLE inside the handler does not stop it"),
        [SDEI_ACT_UNREGISTER] = T(S_UP, PEN, R52 ": UNREGISTER of a running event returns PENDING"),
        [SDEI_ACT_ROUTING_SET] = X(DEN, "sdei-rules §6.6: ROUTING_SET of a running event"),
        [SDEI_ACT_RELEASE] = X(DEN, "sdei-rules §6.11: RELEASE of a registered event"),
        [SDEI_ACT_CONTEXT] = T(S_RE, OK, "sdei-rules §6.15: CONTEXT inside the handler"),
        [SDEI_ACT_COMPLETE] = T(S_E, OK, "sdei-rules §6.16: COMPLETE ends the handler"),
        [SDEI_ACT_COMPLETE_AND_RESUME] =
            T(S_E, OK, "sdei-rules §6.17: COMPLETE_AND_RESUME ends the handler"),
        [SDEI_ACT_DISPATCH] = X(DEN, "sdei-rules §4.5: an event is never re-entered"),
        [SDEI_ACT_TRIGGER] = T(S_RE, LATCH, "tfa-dispatcher §3.15: kept pending until completion"),
    },
    [S_RD] = {
        [SDEI_ACT_REGISTER] = X(DEN, R52 ": REGISTER of a running event"),
        [SDEI_ACT_ENABLE] = T(S_RE, OK, "sdei-rules §6.3: ENABLE is allowed in RD"),
        [SDEI_ACT_DISABLE] = T(S_RD, OK, R52 ": DISABLE is idempotent"),
        [SDEI_ACT_UNREGISTER] = T(S_UP, PEN, R52 ": UNREGISTER of a running event returns PENDING"),
        [SDEI_ACT_ROUTING_SET] = X(DEN, "sdei-rules §6.6: ROUTING_SET of a running event"),
        [SDEI_ACT_RELEASE] = X(DEN, "sdei-rules §6.11: RELEASE of a registered event"),
        [SDEI_ACT_CONTEXT] = T(S_RD, OK, "sdei-rules §6.15: CONTEXT inside the handler"),
        [SDEI_ACT_COMPLETE] = T(S_D, OK, "sdei-rules §6.16: COMPLETE ends the handler"),
        [SDEI_ACT_COMPLETE_AND_RESUME] =
            T(S_D, OK, "sdei-rules §6.17: COMPLETE_AND_RESUME ends the handler"),
        [SDEI_ACT_DISPATCH] = X(DEN, "sdei-rules §4.5: an event is never re-entered"),
        [SDEI_ACT_TRIGGER] = T(S_RD, LATCH, "tfa-dispatcher §3.15: kept pending while registered"),
    },
    [S_UP] = {
        [SDEI_ACT_REGISTER] = X(DEN, R52 ": REGISTER during unregister-pending"),
        [SDEI_ACT_ENABLE] = X(DEN, R52 ": ENABLE during unregister-pending"),
        [SDEI_ACT_DISABLE] = X(DEN, R52 ": DISABLE during unregister-pending"),
        [SDEI_ACT_UNREGISTER] = X(PEN, R52 ": UNREGISTER again while pending returns PENDING"),
        [SDEI_ACT_ROUTING_SET] = X(DEN, "sdei-rules §6.6: ROUTING_SET during unregister-pending"),
        [SDEI_ACT_RELEASE] = X(DEN, "sdei-rules §6.11: RELEASE while the handler runs"),
        [SDEI_ACT_CONTEXT] = T(S_UP, OK, "sdei-rules §6.15: CONTEXT is allowed in UP"),
        [SDEI_ACT_COMPLETE] = T(S_U, OK, R52 ": the final COMPLETE finishes the unregistration"),
        [SDEI_ACT_COMPLETE_AND_RESUME] =
            T(S_U, OK, R52 ": the final COMPLETE_AND_RESUME finishes it"),
        [SDEI_ACT_DISPATCH] = X(DEN, R52 ": UP is not dispatched"),
        [SDEI_ACT_TRIGGER] = X(DROP, R52 ": a trigger during unregister-pending is dropped"),
    },
};

static const char *const state_names[SDEI_STATE_COUNT] = {"U", "D", "E", "RE", "RD", "UP"};
static const char *const state_spec_names[SDEI_STATE_COUNT] = {
    "handler-unregistered",    "handler-registered", "handler-enabled",
    "handler-running-enabled", "handler-running",    "handler-unregister-pending",
};
static const uint64_t state_status[SDEI_STATE_COUNT] = {0, 1, 3, 7, 5, 4};

static const char *const action_names[SDEI_ACT_COUNT] = {
    "REGISTER", "ENABLE",   "DISABLE",             "UNREGISTER", "ROUTING_SET", "RELEASE",
    "CONTEXT",  "COMPLETE", "COMPLETE_AND_RESUME", "DISPATCH",   "TRIGGER",
};

const char *sdei_state_name(sdei_event_state state)
{
    return (unsigned)state < SDEI_STATE_COUNT ? state_names[state] : "?";
}

const char *sdei_state_spec_name(sdei_event_state state)
{
    return (unsigned)state < SDEI_STATE_COUNT ? state_spec_names[state] : "?";
}

uint64_t sdei_state_status_bits(sdei_event_state state)
{
    return (unsigned)state < SDEI_STATE_COUNT ? state_status[state] : 0;
}

const char *sdei_action_name(sdei_action action)
{
    return (unsigned)action < SDEI_ACT_COUNT ? action_names[action] : "?";
}
