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
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_VMM;
    a.vcpu = v;
    a.vmm_cmd = SDEI_CMD_GET_VCPU_STATE;
    if (sim_act(w, &a, &r) != 0 || r.ret != 0 || r.data_len != sizeof(blob)) {
        return;
    }
    memcpy(blob, r.data, sizeof(blob));
    blob[0] = 1;
    memset(&a, 0, sizeof(a));
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
        memset(&s, 0, sizeof(s));
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
    memset(&a, 0, sizeof(a));
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
        if (w->vc[v].depth == 0) {
            vmm_vcpu_state(w, v, 1);
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
        a.vmm_cmd = sim_prng_chance(g, 1, 2) ? SDEI_CMD_GET_REGISTERED_EVENT_COUNT
                                             : SDEI_CMD_GET_VERSION;
        (void)sim_act(w, &a, &r);
    }
}


void sim_do_migrate(sim_world *w)
{
    /* Snapshot what the guest can observe, migrate, compare (DESIGN §4:
     * migration transparency), then check save -> restore -> save. */
    uint32_t nv = w->o->vcpus;
    char msg[256];
    int mid = 0, nested = 0;
    for (uint32_t v = 0; v < nv; v++) {
        mid |= w->vc[v].depth > 0;
        nested |= w->vc[v].depth == 2;
    }
    sim_check_blobs(w);
    if (w->failed) {
        return;
    }
    size_t sz = 0, sz2 = 0;
    if (sdei_vm_save_size(sim_vm(w), &sz) != SDEI_OK) {
        sim_fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "sdei_vm_save_size failed");
        return;
    }
    uint8_t *before = malloc(sz);
    sdei_vcpu_view *views = malloc(sizeof(*views) * nv);
    if (before == NULL || views == NULL ||
        sdei_vm_save(sim_vm(w), before, sz, &sz) != SDEI_OK) {
        free(before);
        free(views);
        sim_fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "sdei_vm_save failed");
        return;
    }
    for (uint32_t v = 0; v < nv; v++) {
        sim_vcpu_view(w, v, &views[v]);
    }
    sim_action a;
    sim_result r;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_MIGRATE;
    if (sim_exec(&w->t, &a, &r, msg, sizeof(msg)) != 0 || r.kind != SIM_R_OK) {
        /* kvm-v5 route_mode_from_affinity: the first REGISTER stored x5 as
         * route_mode, and the kernel's own SET_REGISTERED_EVENT refuses that
         * blob (route_mode.rec: -EINVAL). The migration fails as it would for
         * a VMM, and the run goes on on the source VM. */
        if ((w->quirks & SDEI_QUIRK_BIT(ROUTE_MODE_FROM_AFFINITY)) &&
            strstr(msg, "route_mode") != NULL) {
            w->s->migrations_refused++;
            free(before);
            free(views);
            return;
        }
        sim_fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "migration failed: %s", msg);
        free(before);
        free(views);
        return;
    }
    if (w->tracing) {
        sim_trace_record(w, &a, &r);
    }
    if (w->have_peer && sim_peer_apply(w, &a, &r) != 0) {
        free(before);
        free(views);
        return;
    }
    w->s->migrations++;
    if (mid) {
        w->s->sometimes[SIM_ST_MIGRATION_MID_HANDLER]++;
    }
    if (nested) {
        w->s->sometimes[SIM_ST_MIGRATION_NESTED]++;
    }
    for (uint32_t v = 0; v < nv && !w->failed; v++) {
        sdei_vcpu_view now;
        sim_vcpu_view(w, v, &now);
        if (memcmp(&now, &views[v], sizeof(now)) != 0) {
            sim_fail(w, SIM_INV_MIGRATION_TRANSPARENT, v,
                 "vCPU %u's SDEI state differs after migration", v);
        }
    }
    if (!w->failed) {
        uint8_t *after = NULL;
        if (sdei_vm_save_size(sim_vm(w), &sz2) == SDEI_OK && sz2 == sz &&
            (after = malloc(sz2)) != NULL && sdei_vm_save(sim_vm(w), after, sz2, &sz2) == SDEI_OK) {
            if (memcmp(before, after, sz) != 0) {
                sim_fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0,
                     "save -> restore -> save gives different bytes");
            }
        } else {
            sim_fail(w, SIM_INV_SAVE_RESTORE_IDENTITY, 0, "the restored VM saves a different size");
        }
        free(after);
    }
    free(before);
    free(views);
}

