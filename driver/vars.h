/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vars.h - the names a trace captures from results and uses later
 * (docs/trace-format.md "Names and comparisons"):
 *
 *   < x0=$ev                      first use in a result: captures x0
 *   > hvc 0 EVENT_ENABLE $ev      later uses read it
 *
 * A name is bound by its first use as KEY=$name in a result line; every
 * later use (action, result, check) stands for that value. Using a name
 * before it is bound is bad input.
 */
#ifndef SIM_VARS_H
#define SIM_VARS_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define SIM_VARS_MAX 64u

typedef struct sim_vars {
    uint32_t n;
    struct {
        char name[SIM_TRACE_MAX_NAME + 1];
        uint64_t v;
    } e[SIM_VARS_MAX];
} sim_vars;

/* Each $NAME of an action or a check replaced by its value. 0, or -1 with a
 * message (a name not bound, a vCPU out of range). */
int sim_vars_action(const sim_vars *vs, sim_action *a, char *err, size_t errlen);
int sim_vars_check(const sim_vars *vs, sim_check *c, char *err, size_t errlen);
/* An expected result against the actual one: each unbound KEY=$NAME is bound
 * to the actual value (and so agrees), each bound one replaced by its value.
 * 0, or -1 with a message (a comparison or mask with an unbound name, too
 * many names). */
int sim_vars_result(sim_vars *vs, sim_result *exp, const sim_result *act, char *err, size_t errlen);

#endif /* SIM_VARS_H */
