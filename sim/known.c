/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * known.c - lockstep with a kernel peer: the known findings of each version of
 * the series (docs/kernel-findings.md) that the simulator steps around, one
 * predicate per finding, so that a long run goes on comparing everything
 * else. The action is skipped on both sides (the guest goes on as if it had
 * not made it) or, where a neighbouring action serves as well, changed into
 * it; either is counted per finding in the summary. Each finding keeps its own minimal trace and
 * ctest test (kernel.finding.*, kernel.lockstep.*); --hit-known runs into them instead.
 */
#include <string.h>

#include "sdei/sdei_fwreg.h"
#include "world.h"

const char *const sim_known_names[SIM_KNOWN_COUNT] = {
#define SIM_KNOWN_NAME(id, name, what) name,
    SIM_KNOWN_FINDINGS(SIM_KNOWN_NAME)
#undef SIM_KNOWN_NAME
};
const char *const sim_known_what[SIM_KNOWN_COUNT] = {
#define SIM_KNOWN_WHAT(id, name, what) what,
    SIM_KNOWN_FINDINGS(SIM_KNOWN_WHAT)
#undef SIM_KNOWN_WHAT
};

/* K7-2: a guest entry on vCPU v starts v7's delivery loop on its hang (the
 * lowest pending event not enabled, nothing running, unmasked: sdei.c:448-453),
 * read through the model's firmware registers. */
static int k7_2_endless_delivery(sim_world *w, const sim_action *a)
{
    static const uint64_t ids[4] = {SDEI_FWREG_ENABLED, SDEI_FWREG_RUNNING, SDEI_FWREG_PENDING,
                                    SDEI_FWREG_PE_STATE};
    uint64_t val[4];
    for (unsigned i = 0; i < 4u; i++) {
        uint8_t b[8];
        int32_t kret = 0;
        if (sdei_fwreg_get(sim_vm(w), a->vcpu, ids[i], b, sizeof(b), &kret) != SDEI_OK ||
            kret != 0) {
            return 0;
        }
        val[i] = sdei_get_le64(b);
    }
    uint64_t lowest = val[2] & (~val[2] + 1u);
    return val[3] == 0 && val[1] == 0 && lowest != 0 && (val[0] & lowest) == 0;
}

/* Which of calls[0..n) the peer receives: the function ID is its own for a
 * named call, else the raw x0, routed on its low 32 bits (hostile guests
 * reach calls that way). SDEI_CALL_ID_NONE if none. */
static unsigned hvc_call(sim_world *w, const sim_action *a, const unsigned *calls, unsigned n)
{
    const sim_impl_ops *p = w->peer.ops;
    uint32_t f =
        (uint32_t)(a->call != SDEI_CALL_ID_NONE ? p->call_fid(w->peer.impl, (sdei_call_id)a->call)
                                                : a->fid);
    for (unsigned i = 0; i < n; i++) {
        if (f == (uint32_t)p->call_fid(w->peer.impl, (sdei_call_id)calls[i])) {
            return calls[i];
        }
    }
    return SDEI_CALL_ID_NONE;
}

/* K7-1: EVENT_ENABLE / EVENT_DISABLE read x1 into an int (v7 sdei.c:55), so
 * bit 31 makes the number negative and the bitmap access oopses the host.
 * Such a call goes out with x1's bit 31 clear (the same call, an event
 * number the code can take). */
static int k7_1_negative_number(sim_world *w, const sim_action *a)
{
    static const unsigned calls[2] = {SDEI_CALL_EVENT_ENABLE, SDEI_CALL_EVENT_DISABLE};
    return (a->arg[0] & UINT64_C(0x80000000)) != 0 && hvc_call(w, a, calls, 2) != SDEI_CALL_ID_NONE;
}

static void k7_1_clear_bit_31(sim_action *a)
{
    a->arg[0] &= ~UINT64_C(0x80000000);
}

/* The vCPUs that run a handler of event num. */
static uint32_t running_on(sim_world *w, uint64_t num)
{
    uint32_t n = 0;
    for (uint32_t v = 0; v < w->o->vcpus; v++) {
        sdei_vcpu_view view;
        sim_vcpu_view(w, v, &view);
        n += (view.normal_running && view.normal_num == num) ||
             (view.critical_running && view.critical_num == num);
    }
    return n;
}

static int shared_running_twice(sim_world *w, uint64_t num)
{
    int ei = sim_event_index(w, num);
    return ei >= 0 && w->ev[ei].type == SDEI_EVENT_TYPE_SHARED && running_on(w, num) >= 2;
}

/* K5-4: v5 queues a shared event per vCPU (shared_per_vcpu); UNREGISTER (or a
 * reset: v5's filter is inverted, kvm-v5 item 2) while it runs on two vCPUs is
 * PENDING, and the first COMPLETE frees the registered object the other vCPU
 * still points at (sdei.c:405-407). Other instances are cancelled by the
 * UNREGISTER itself (unregister_one_event), so two running is the case. */
static int k5_4_shared_unregister_twice(sim_world *w, const sim_action *a)
{
    static const unsigned calls[3] = {SDEI_CALL_EVENT_UNREGISTER, SDEI_CALL_PRIVATE_RESET,
                                      SDEI_CALL_SHARED_RESET};
    unsigned call = hvc_call(w, a, calls, 3);
    if (call == SDEI_CALL_EVENT_UNREGISTER) {
        return shared_running_twice(w, a->arg[0]);
    }
    for (uint32_t i = 0; call != SDEI_CALL_ID_NONE && i < w->nev; i++) {
        if (shared_running_twice(w, w->ev[i].num)) {
            return 1;
        }
    }
    return 0;
}

/* Per finding: the quirk of the profile that names the version, the action
 * kind it needs, the predicate on the model's state before the action, and
 * how the action changes to miss it (NULL: it is skipped). */
static const struct {
    uint64_t quirk;
    uint8_t kind;
    int (*hits)(sim_world *w, const sim_action *a);
    void (*change)(sim_action *a);
} known[SIM_KNOWN_COUNT] = {
    [SIM_KNOWN_K7_1] = {SDEI_QUIRK_BIT(DELIVER_LOWEST_NUMBER), SIM_A_HVC, k7_1_negative_number,
                        k7_1_clear_bit_31},
    [SIM_KNOWN_K7_2] = {SDEI_QUIRK_BIT(DELIVER_LOWEST_NUMBER), SIM_A_DELIVER, k7_2_endless_delivery,
                        NULL},
    [SIM_KNOWN_K5_4] = {SDEI_QUIRK_BIT(SHARED_PER_VCPU), SIM_A_HVC, k5_4_shared_unregister_twice,
                        NULL},
};

int sim_known_avoid(sim_world *w, const sim_action *a, sim_action *changed)
{
    if (!w->have_peer || w->o->hit_known) {
        return SIM_KNOWN_TAKE;
    }
    for (unsigned i = 0; i < SIM_KNOWN_COUNT; i++) {
        if (known[i].kind != a->kind || (w->quirks & known[i].quirk) == 0 || !known[i].hits(w, a)) {
            continue;
        }
        w->s->avoided[i]++;
        if (known[i].change == NULL) {
            return SIM_KNOWN_SKIP;
        }
        *changed = *a;
        known[i].change(changed);
        return SIM_KNOWN_CHANGE;
    }
    return SIM_KNOWN_TAKE;
}
