/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * exec_any.c - "> deliver-any V|A-B,...": the next guest entry of each
 * listed vCPU, in order. An RM_ANY event goes to whichever PE the
 * implementation picks (sdei-rules §6.9, §4.3: exactly one handles it), so a
 * trace names the candidates, not the winner; "< entered NUM on=$v" says
 * which one entered and captures it.
 */
#include <string.h>

#include "exec.h"

int sim_exec_deliver_any(sim_target *t, const sim_action *a, sim_result *r, char *err,
                         size_t errlen)
{
    sim_action d;
    sim_result one;
    uint8_t entered = 0;
    memset(&d, 0, sizeof(d));
    sim_result_clear(r);
    d.kind = SIM_A_DELIVER;
    r->kind = SIM_R_NONE;
    for (unsigned i = 0; i < a->nregs; i++) {
        uint32_t lo = (uint32_t)a->val[i], hi = (uint32_t)(a->val[i] >> 32);
        for (uint32_t v = lo; v <= hi; v++) {
            d.vcpu = v;
            int rc = sim_exec(t, &d, &one, err, errlen);
            if (rc != 0) {
                return rc; /* bad input (no such vCPU) or an implementation failure */
            }
            if (one.kind == SIM_R_ERR || one.kind == SIM_R_UNAVAILABLE) {
                *r = one;
                return 0;
            }
            if (one.kind == SIM_R_ENTERED) {
                if (entered == 0) {
                    *r = one; /* the first one that entered; more is a divergence */
                }
                entered += entered < UINT8_MAX ? 1 : 0;
            }
        }
    }
    if (entered != 0) {
        r->fields |= SIM_F_ON;
        r->entries = entered;
    }
    return 0;
}
