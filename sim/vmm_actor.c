/* SPDX-License-Identifier: BSD-3-Clause */
/* vmm_actor.c - the VMM: triggers, injections, vCPU state, resets, migrations. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

/* ---------------------------------------------------------------------------
 * The VMM.
 * ------------------------------------------------------------------------- */
static void vmm_vcpu_state(sim_world *w, uint32_t v, int reset)
{
    /* GET_VCPU_STATE, set masked, SET_VCPU_STATE: what a VMM does to pause SDEI
     * on a vCPU, or (reset) at a vCPU reset when no handler runs. */
    sim_action a;
    sim_result r;
    uint8_t blob[SDEI_BLOB_VCPU_STATE_SIZE];
    sim_action_clear(&a);
    a.kind = SIM_A_VMM;
    a.vcpu = v;
    a.vmm_cmd = SDEI_CMD_GET_VCPU_STATE;
    if (sim_act(w, &a, &r) != 0 || r.ret != 0 || r.data_len != sizeof(blob)) {
        return;
    }
    memcpy(blob, r.data, sizeof(blob));
    blob[0] = 1;
    sim_action_clear(&a);
    a.kind = SIM_A_VMM;
    a.vcpu = v;
    a.vmm_cmd = SDEI_CMD_SET_VCPU_STATE;
    a.data = blob;
    a.data_len = sizeof(blob);
    (void)sim_act(w, &a, &r);
    if (reset && r.ret == 0) {
        /* The guest boots this CPU again (CPU_ON): registers reset, Linux's
         * bring-up sequence runs. */
        sim_vcpu *c = &w->vc[v];
        sim_action s;
        sim_action_clear(&s);
        s.kind = SIM_A_SETREG;
        s.vcpu = v;
        s.nregs = 2;
        s.reg[0] = SIM_REG_PC;
        s.val[0] = c->code_pc = UINT64_C(0x80000) + ((uint64_t)v << 16);
        s.reg[1] = SIM_REG_PSTATE;
        s.val[1] = SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF;
        (void)sim_act(w, &s, &r);
        c->phase = PH_BOOT;
        c->sleep = 0;
        c->retries = 0;
        sim_plan_boot(w, v);
        w->s->sometimes[SIM_ST_VMM_RESET_VCPU]++;
    }
}

void sim_vmm_step(sim_world *w)
{
    sim_prng *g = &w->vmm;
    sim_action a;
    sim_result r;
    uint32_t k = sim_prng_below(g, 100);
    uint32_t v = sim_prng_below(g, w->o->vcpus);
    w->s->vmm_actions++;
    sim_action_clear(&a);
    if (k < 50) {
        /* A platform event fires (private on v, shared routed). */
        uint32_t ei = sim_prng_below(g, w->nev);
        a.kind = SIM_A_TRIGGER;
        a.num = w->ev[ei].num;
        a.vcpu = v;
        w->s->triggers++;
        (void)sim_act(w, &a, &r);
    } else if (k < 65) {
        uint32_t ei = sim_prng_below(g, w->nev);
        a.kind = SIM_A_VMM;
        a.vcpu = v;
        a.vmm_cmd = SDEI_CMD_INJECT_EVENT;
        a.num = w->ev[ei].num;
        if (sim_act(w, &a, &r) == 0 && r.ret == 0) {
            w->s->sometimes[SIM_ST_VMM_INJECT]++;
        }
    } else if (k < 80) {
        if (w->nbinds == 0) {
            return;
        }
        a.kind = SIM_A_IRQ;
        a.intid = w->binds[sim_prng_below(g, w->nbinds)].intid;
        a.vcpu = v;
        w->s->triggers++;
        (void)sim_act(w, &a, &r);
    } else if (k < 85) {
        vmm_vcpu_state(w, v, 0);
    } else if (k < 88) {
        /* A vCPU reset: through the blob (no handler running) or the VMM's
         * KVM_ARM_VCPU_INIT in any state (docs/model.md "Power"). */
        if (w->vc[v].depth == 0 && w->vc[v].power == SDEI_PE_ON && sim_prng_chance(g, 1, 2)) {
            vmm_vcpu_state(w, v, 1);
        } else {
            sim_vmm_vcpu_reset(w, v);
        }
    } else if (k < 92) {
        /* Another vCPU's GET of its vcpu events (read-only: a VMM polling). */
        a.kind = SIM_A_VMM;
        a.vcpu = v;
        a.vmm_cmd = SDEI_CMD_GET_VCPU_EVENT_COUNT;
        (void)sim_act(w, &a, &r);
    } else {
        a.kind = SIM_A_VMM;
        a.vcpu = SDEI_VMM_VM;
        a.vmm_cmd =
            sim_prng_chance(g, 1, 2) ? SDEI_CMD_GET_REGISTERED_EVENT_COUNT : SDEI_CMD_GET_VERSION;
        (void)sim_act(w, &a, &r);
    }
}

/* A refused migration: the VM goes on on the source, as a VMM's would, and
 * the action is not traced. In lockstep the peer is asked too and must
 * refuse it as well (the two refusals are compared like any result: kvm-v5
 * route_mode_from_affinity, a save its own SET_REGISTERED_EVENT refuses;
 * kvm-v6 no_sdei_command, no interface at all). The summary gives the reasons
 * both sides gave for the first one. */
static void refused(sim_world *w, const sim_action *a, const sim_result *r)
{
    sim_summary *s = w->s;
    uint64_t unavailable = s->peer_unavailable;
    w->peer_msg[0] = '\0';
    if (w->have_peer && sim_peer_apply(w, a, r) != 0) {
        return;
    }
    if (s->migrations_refused++ != 0) {
        return;
    }
    int n = snprintf(s->refused_why, sizeof(s->refused_why), "the model: %s", w->act_msg);
    if (w->have_peer && n > 0 && (size_t)n < sizeof(s->refused_why)) {
        snprintf(s->refused_why + n, sizeof(s->refused_why) - (size_t)n, "; %s: %s",
                 w->o->peer->name,
                 s->peer_unavailable != unavailable ? "not available" : w->peer_msg);
    }
}

void sim_do_migrate(sim_world *w)
{
    /* The checker snapshots what the guest and the VMM can observe, the
     * migration runs, the checker compares (DESIGN §4: migration
     * transparency, save -> restore -> save identity). */
    int mid = 0, nested = 0;
    for (uint32_t v = 0; v < w->o->vcpus; v++) {
        mid |= w->vc[v].depth > 0;
        nested |= w->vc[v].depth == 2;
    }
    sim_check_blobs(w);
    if (w->failed) {
        return;
    }
    sim_action a;
    sim_result r;
    sim_action_clear(&a);
    a.kind = SIM_A_MIGRATE;
    int ok = sim_act_checked(w, &a, &r, 0) == 0;
    w->vm = sim_target_model(&w->t); /* the restored VM, whatever the checks said */
    if (!ok) {
        return;
    }
    if (r.kind != SIM_R_OK) {
        refused(w, &a, &r);
        return;
    }
    if (w->tracing) {
        sim_trace_record(w, &a, &r);
    }
    if (w->have_peer && sim_peer_apply(w, &a, &r) != 0) {
        return;
    }
    w->s->migrations++;
    if (mid) {
        w->s->sometimes[SIM_ST_MIGRATION_MID_HANDLER]++;
    }
    if (nested) {
        w->s->sometimes[SIM_ST_MIGRATION_NESTED]++;
    }
}
