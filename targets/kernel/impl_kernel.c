/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * impl_kernel.c - the kernel target behind the implementation interface
 * (driver/impl.h, DESIGN §7): a kernel tree's sdei.c, compiled unmodified
 * against the stand-ins, through the version's glue (kglue.h).
 *
 * Results are what the kernel code wrote; observations are read from the
 * kernel's own structs. A finding (memory error, lock error, hang, oops) is
 * printed as one line "kernel-vN: finding: KIND: TEXT (in ENTRY, action N)";
 * a fatal one ends the VM (every later action returns SIM_IMPL_FINDING).
 */
#include "impl_kernel.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "kglue.h"
#include "kstub_run.h"

_Static_assert(sizeof(kg_regs) == sizeof(sdei_regs), "kg_regs mirrors sdei_regs");
_Static_assert(offsetof(kg_regs, pc) == offsetof(sdei_regs, pc), "kg_regs mirrors sdei_regs");
_Static_assert(offsetof(kg_regs, spsr_el1) == offsetof(sdei_regs, spsr_el1),
               "kg_regs mirrors sdei_regs");

struct sim_impl {
    kg_vm *vm;
    uint32_t nr;
    int dead; /* a fatal finding: the kernel state is not usable */
    uint64_t actions;
    /* KVM's own PSCI state of each vCPU (power_off, the WFI of CPU_SUSPEND):
     * kept by psci.c, not by sdei.c; it travels in KVM_GET/SET_MP_STATE, so
     * a migration keeps it (sdei_power_state values). */
    uint8_t power[SDEI_MAX_VCPUS];
};

static struct {
    int stop_on_any; /* a non-fatal finding also stops (default) */
    FILE *out;
    uint64_t findings;
    char last[400];
    void (*hook)(const char *finding);
} P = {1, NULL, 0, "", NULL};

void sim_kernel_findings_policy(int stop_on_any, FILE *out)
{
    P.stop_on_any = stop_on_any;
    P.out = out;
}

void sim_kernel_findings_hook(void (*fn)(const char *finding))
{
    P.hook = fn;
}

uint64_t sim_kernel_findings_total(void)
{
    return P.findings;
}

const char *sim_kernel_last_finding(void)
{
    return P.last;
}

/* Prints the findings of the last operation; returns SIM_IMPL_FINDING if the
 * action must stop, else SDEI_OK. */
static int report(sim_impl *k, int rc)
{
    const kstub_finding *f;
    unsigned n = kstub_findings(&f);
    int stop = rc == KG_FINDING;
    FILE *out = P.out != NULL ? P.out : stderr;
    for (unsigned i = 0; i < n; i++) {
        char key[300];
        snprintf(key, sizeof(key), "%s:%s", f[i].kind, f[i].text);
        int stops = f[i].fatal == KSTUB_FATAL || (f[i].fatal == KSTUB_ERROR && P.stop_on_any);
        if (!stops && !kstub_first_time(key)) {
            continue; /* reported once per process when the run goes on */
        }
        snprintf(P.last, sizeof(P.last), "%s: %s (in %s, action %llu)", f[i].kind, f[i].text,
                 f[i].call, (unsigned long long)(k != NULL ? k->actions : 0));
        fprintf(out, "kernel-%s: finding: %s\n", kg_version, P.last);
        P.findings++;
        stop |= stops;
        if (P.hook != NULL) {
            P.hook(P.last);
        }
    }
    kstub_findings_clear();
    if (rc == KG_FINDING && k != NULL) {
        k->dead = 1;
    }
    return stop ? SIM_IMPL_FINDING : SDEI_OK;
}

static int k_create(const sdei_config *cfg, sim_impl **out, char *err, size_t errlen)
{
    sim_impl *k;
    *out = NULL;
    if (strcmp(kg_version, &SIM_KERNEL_NAME[7]) != 0) {
        snprintf(err, errlen, "kernel target built for %s, glue is %s", SIM_KERNEL_NAME,
                 kg_version);
        return -1;
    }
    if (cfg->max_events != 0 && cfg->max_events != SDEI_MAX_EVENTS) {
        snprintf(err, errlen, "kernel-%s: max_events is fixed at %u (the config asks %u)",
                 kg_version, SDEI_MAX_EVENTS, cfg->max_events);
        return -1;
    }
    if (cfg->nr_vcpus == 0 || cfg->nr_vcpus > SDEI_MAX_VCPUS) {
        snprintf(err, errlen, "kernel-%s: %u vCPUs (1..%u)", kg_version, cfg->nr_vcpus,
                 SDEI_MAX_VCPUS);
        return -1;
    }
    k = calloc(1, sizeof(*k));
    if (k == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    kstub_init();
    kstub_findings_clear();
    k->nr = cfg->nr_vcpus;
    int rc = kg_create(cfg->nr_vcpus, &k->vm);
    if (rc == -1) {
        free(k);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (k->vm != NULL) {
        kg_set_span(k->vm, cfg->sctlr_el1_span);
    }
    (void)report(k, rc);
    *out = k;
    return 0;
}

static void k_destroy(sim_impl *k)
{
    if (k == NULL) {
        return;
    }
    if (!k->dead) {
        kstub_findings_clear();
        (void)report(k, kg_destroy(k->vm));
    } else {
        /* The kernel's objects stay as the fatal finding left them: freeing
         * what the code may have half-updated could fault in the tool. */
        kg_abandon(k->vm);
    }
    free(k);
}

static sdei_regs *k_regs(sim_impl *k, uint32_t vcpu)
{
    return (sdei_regs *)(void *)kg_regs_of(k->vm, vcpu);
}

static uint64_t k_call_fid(sim_impl *k, sdei_call_id call)
{
    (void)k;
    return kg_call_fid((unsigned)call);
}

#define ACTION(k)                                                                                  \
    do {                                                                                           \
        (k)->actions++;                                                                            \
        if ((k)->dead) {                                                                           \
            return SIM_IMPL_FINDING;                                                               \
        }                                                                                          \
        kstub_findings_clear();                                                                    \
    } while (0)

static int k_hypercall(sim_impl *k, uint32_t vcpu, sdei_call_info *info)
{
    kg_view before, after;
    ACTION(k);
    memset(info, 0, sizeof(*info));
    if (k->power[vcpu] != SDEI_PE_ON) {
        return SDEI_E_VCPU_OFF; /* KVM does not run a vCPU that is off or in WFI */
    }
    uint64_t before_x0 = kg_regs_of(k->vm, vcpu)->x[0];
    int call = kg_call_of_fid(before_x0);
    (void)kg_view_of(k->vm, vcpu, &before);
    int rc = report(k, kg_hvc(k->vm, vcpu));
    if (rc != SDEI_OK) {
        return rc;
    }
    (void)kg_view_of(k->vm, vcpu, &after);
    info->call = call >= 0 && call != KG_CALL_UNKNOWN ? (uint32_t)call : SDEI_CALL_ID_NONE;
    uint32_t fid = (uint32_t)before_x0;
    if ((call == KG_NOT_ROUTED || call == KG_CALL_UNKNOWN) &&
        (fid < SDEI_FID_RANGE_FIRST || fid > SDEI_FID_RANGE_LAST)) {
        /* Not an SDEI function ID at all (a routed-elsewhere ID inside the
         * SDEI range is an SDEI call the code does not support; v6 routes
         * up to 0xC4000050, and an unknown one there gets the same
         * NOT_SUPPORTED, x1..x3 = 0, as the router's own answer). */
        info->outcome = SDEI_CALL_NOT_SDEI;
    } else if (call == SDEI_CALL_EVENT_COMPLETE || call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME) {
        /* The kernel writes no result for these; what it did shows in the
         * running slots (critical first, as the code picks them). */
        if (before.critical_running && !after.critical_running) {
            info->outcome = SDEI_CALL_COMPLETED;
            info->completed_num = before.critical_num;
            info->completed_priority = SDEI_EVENT_PRIORITY_CRITICAL;
        } else if (before.normal_running && !after.normal_running) {
            info->outcome = SDEI_CALL_COMPLETED;
            info->completed_num = before.normal_num;
            info->completed_priority = SDEI_EVENT_PRIORITY_NORMAL;
        } else {
            info->outcome = SDEI_CALL_NO_RESULT;
        }
        return SDEI_OK;
    } else {
        info->outcome = SDEI_CALL_RETURNED;
    }
    info->result = (int64_t)kg_regs_of(k->vm, vcpu)->x[0];
    return SDEI_OK;
}

static int k_deliver(sim_impl *k, uint32_t vcpu, sdei_delivery *out)
{
    kg_view before, after;
    ACTION(k);
    memset(out, 0, sizeof(*out));
    if (k->power[vcpu] != SDEI_PE_ON) {
        return SDEI_OK; /* not entered: KVM_REQ_SDEI waits for the vCPU to run */
    }
    (void)kg_view_of(k->vm, vcpu, &before);
    int rc = report(k, kg_enter(k->vm, vcpu));
    if (rc != SDEI_OK) {
        return rc;
    }
    (void)kg_view_of(k->vm, vcpu, &after);
    if (after.critical_running && !before.critical_running) {
        out->delivered = 1;
        out->priority = SDEI_EVENT_PRIORITY_CRITICAL;
        out->num = after.critical_num;
        out->preempted = before.normal_running;
    } else if (after.normal_running && !before.normal_running) {
        out->delivered = 1;
        out->priority = SDEI_EVENT_PRIORITY_NORMAL;
        out->num = after.normal_num;
    }
    return SDEI_OK;
}

static int k_trigger(sim_impl *k, uint64_t num, uint32_t vcpu, sdei_trigger_result *out)
{
    kg_evstate st;
    int32_t ret = 0;
    ACTION(k);
    *out = SDEI_TRIGGER_DROPPED;
    if (vcpu >= k->nr) {
        return SDEI_E_VCPU;
    }
    if (kg_event_state(k->vm, num, vcpu, &st) != 0 || !st.exposed) {
        return SDEI_E_EVENT;
    }
    int rc = report(k, kg_inject(k->vm, vcpu, num, &ret));
    if (rc != SDEI_OK) {
        return rc;
    }
    /* 0: queued; -EPERM (masked, not registered/enabled), -ENOENT, -ERANGE,
     * -ENOMEM: the event did not latch. */
    *out = ret == 0 ? SDEI_TRIGGER_PENDING : SDEI_TRIGGER_DROPPED;
    return SDEI_OK;
}

static int k_irq(sim_impl *k, uint32_t intid, uint32_t vcpu, sdei_trigger_result *out)
{
    (void)k;
    (void)intid;
    (void)vcpu;
    *out = SDEI_TRIGGER_DROPPED;
    return SDEI_E_INTID; /* no version of the series binds interrupts */
}

static int k_expose(sim_impl *k, const sdei_event_desc *d)
{
    kg_event ev = {d->num, d->type, d->priority, d->signaled};
    int32_t ret = 0;
    ACTION(k);
    int rc = report(k, kg_expose(k->vm, &ev, &ret));
    if (rc != SDEI_OK) {
        return rc;
    }
    return ret == 0 ? SDEI_OK : ret == -SDEI_ERANGE ? SDEI_E_RANGE : SDEI_E_EVENT;
}

static int k_vmm(sim_impl *k, uint32_t vcpu, sdei_vmm_cmd_block *cmd, int32_t *ret)
{
    uint32_t count = cmd->count;
    ACTION(k);
    *ret = -SDEI_EINVAL;
    if (!kg_has_vmm) {
        return SIM_IMPL_UNAVAILABLE; /* v6, v7: no KVM_ARM_SDEI_COMMAND */
    }
    if (vcpu != SDEI_VMM_VM && vcpu >= k->nr) {
        return SDEI_E_VCPU;
    }
    int rc = report(k, kg_vmm(k->vm, vcpu == SDEI_VMM_VM ? UINT32_MAX : vcpu, cmd->cmd, cmd->count,
                              cmd->num, cmd->data, cmd->data_len, ret, &count));
    cmd->count = count;
    return rc;
}

static int k_migrate(sim_impl *k, char *err, size_t errlen)
{
    ACTION(k);
    err[0] = '\0';
    int rc = kg_migrate(&k->vm, err, errlen);
    int r = report(k, rc == 1 ? 0 : rc);
    if (r != SDEI_OK) {
        return r;
    }
    return rc == 1 ? SDEI_E_FORMAT : SDEI_OK;
}

/* kvm_reset_vcpu() (reset.c): core registers 0, PSTATE = EL1h with DAIF set
 * (VCPU_RESET_PSTATE_EL1); the caller of CPU_ON then sets pc. */
static void reset_regs(sim_impl *k, uint32_t vcpu)
{
    kg_regs *r = kg_regs_of(k->vm, vcpu);
    memset(r, 0, sizeof(*r));
    r->pstate = SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF;
}

/* KVM_ARM_VCPU_INIT on a live VM (arm.c kvm_arch_vcpu_ioctl_vcpu_init ->
 * kvm_reset_vcpu): no version of the series calls into sdei.c there
 * (PROVENANCE.md of v5, v6, v7), so every SDEI state stays as it was; the
 * vCPU is runnable afterwards (no KVM_ARM_VCPU_POWER_OFF feature). */
static int k_vcpu_reset(sim_impl *k, uint32_t vcpu)
{
    ACTION(k);
    if (vcpu >= k->nr) {
        return SDEI_E_VCPU;
    }
    reset_regs(k, vcpu);
    k->power[vcpu] = SDEI_PE_ON;
    return SDEI_OK;
}

/* A transition the vCPU makes by its own PSCI call (psci.c); it is on. */
static int own_psci_call(sim_impl *k, uint32_t vcpu, sdei_power_action action)
{
    switch (action) {
    case SDEI_POWER_QUERY:
        return SDEI_OK;
    case SDEI_POWER_SUSPEND:
        k->power[vcpu] = SDEI_PE_SUSPENDED; /* kvm_psci_vcpu_suspend: a WFI */
        return SDEI_OK;
    case SDEI_POWER_CPU_OFF:
        k->power[vcpu] = SDEI_PE_OFF; /* kvm_psci_vcpu_off: power_off, KVM_REQ_SLEEP */
        return SDEI_OK;
    case SDEI_POWER_SYSTEM_OFF:
    case SDEI_POWER_SYSTEM_RESET:
        /* kvm_prepare_system_event: every vCPU off, exit to the VMM. For a reset
         * the VMM re-inits every vCPU, the secondaries with POWER_OFF, and runs
         * vCPU 0 (QEMU); the kernel touches no SDEI state on either path. */
        memset(k->power, SDEI_PE_OFF, k->nr);
        if (action == SDEI_POWER_SYSTEM_RESET) {
            reset_regs(k, 0);
            k->power[0] = SDEI_PE_ON;
        }
        return SDEI_OK;
    default:
        /* CPU_FREEZE: KVM's PSCI never implemented it (PSCI_RET_NOT_SUPPORTED,
         * the vCPU goes on): no such transition on this implementation. */
        return SIM_IMPL_UNAVAILABLE;
    }
}

/* PSCI as KVM's psci.c answers it. The series calls nothing of sdei.c on any
 * power path (PROVENANCE.md), so no SDEI state changes and nothing running is
 * completed: the kernel's side of the model's power_keeps_sdei_state. */
static int k_power(sim_impl *k, uint32_t vcpu, sdei_power_action action, sdei_power_info *out)
{
    ACTION(k);
    out->result = SDEI_POWER_DONE;
    out->completed = 0;
    if (vcpu >= k->nr) {
        return SDEI_E_VCPU;
    }
    if ((unsigned)action >= SDEI_POWER_ACTION_COUNT) {
        return SDEI_E_POWER_ACTION;
    }
    uint8_t *p = &k->power[vcpu];
    if (action == SDEI_POWER_CPU_ON) {
        /* kvm_psci_vcpu_on: a target that is not power_off is ALREADY_ON; else
         * KVM_REQ_VCPU_RESET (kvm_reset_vcpu with the entry point) */
        if (*p != SDEI_PE_OFF) {
            out->result = SDEI_POWER_ALREADY_ON;
        } else {
            reset_regs(k, vcpu);
            *p = SDEI_PE_ON;
        }
    } else if (action == SDEI_POWER_RESUME) {
        if (*p != SDEI_PE_SUSPENDED) {
            out->result = SDEI_POWER_NOT_SUSPENDED;
        } else {
            *p = SDEI_PE_ON; /* the WFI ends; the vCPU goes on where it was */
        }
    } else if (*p != SDEI_PE_ON) {
        out->result = SDEI_POWER_NOT_RUNNING; /* a vCPU that does not run calls nothing */
    } else {
        return own_psci_call(k, vcpu, action);
    }
    return SDEI_OK;
}

static int k_fwreg_get(sim_impl *k, uint32_t vcpu, uint64_t id, uint8_t *buf, size_t len,
                       int32_t *kernel_ret)
{
    long ret = 0;
    ACTION(k);
    if (vcpu >= k->nr) {
        return SDEI_E_VCPU;
    }
    int rc = report(k, kg_fwreg(k->vm, vcpu, 0, id, buf, len, &ret));
    *kernel_ret = (int32_t)ret;
    return rc;
}

static int k_event_state(sim_impl *k, uint64_t num, uint32_t vcpu, sdei_event_state *out)
{
    kg_evstate st;
    if (k->dead || kg_event_state(k->vm, num, vcpu, &st) != 0 || !st.exposed) {
        return SDEI_E_EVENT;
    }
    /* v5 keeps registered/enabled set while unregister-pending (kvm-v5 §4.3);
     * after the final COMPLETE the pending bit is stale and registered clear. */
    if (!st.registered) {
        *out = SDEI_STATE_UNREGISTERED;
    } else if (st.unregister_pending) {
        *out = SDEI_STATE_UNREGISTER_PENDING;
    } else if (st.running) {
        *out = st.enabled ? SDEI_STATE_RUNNING_ENABLED : SDEI_STATE_RUNNING_DISABLED;
    } else {
        *out = st.enabled ? SDEI_STATE_ENABLED : SDEI_STATE_REGISTERED;
    }
    return SDEI_OK;
}

static int k_pending_count(sim_impl *k, uint64_t num, uint32_t vcpu, uint32_t *out)
{
    kg_evstate st;
    if (k->dead || kg_event_state(k->vm, num, vcpu, &st) != 0 || !st.exposed) {
        return SDEI_E_EVENT;
    }
    *out = st.pending;
    return SDEI_OK;
}

static int k_vcpu_view(sim_impl *k, uint32_t vcpu, sdei_vcpu_view *out)
{
    kg_view v;
    memset(out, 0, sizeof(*out));
    if (k->dead || kg_view_of(k->vm, vcpu, &v) != 0) {
        return SDEI_E_VCPU;
    }
    out->masked = v.masked;
    out->critical_running = v.critical_running;
    out->normal_running = v.normal_running;
    out->critical_num = v.critical_running ? v.critical_num : SDEI_INVALID_EVENT;
    out->normal_num = v.normal_running ? v.normal_num : SDEI_INVALID_EVENT;
    memcpy(out->critical_saved, v.critical_saved, sizeof(out->critical_saved));
    memcpy(out->normal_saved, v.normal_saved, sizeof(out->normal_saved));
    out->queued = v.queued;
    out->power = k->power[vcpu];
    return SDEI_OK;
}

static uint32_t k_event_count(sim_impl *k)
{
    return k->dead ? 0 : kg_event_count(k->vm);
}

static int k_event_at(sim_impl *k, uint32_t index, sdei_event_desc *out)
{
    kg_event e;
    if (k->dead || kg_event_at(k->vm, index, &e) != 0) {
        return SDEI_E_RANGE;
    }
    out->num = e.num;
    out->type = e.type;
    out->priority = e.priority;
    out->signaled = e.signaled;
    return SDEI_OK;
}

static const char *k_check(sim_impl *k)
{
    return k->dead ? "the kernel code stopped on a finding" : kg_check(k->vm);
}

static const char *k_finding(sim_impl *k)
{
    (void)k;
    return P.last[0] != '\0' ? P.last : NULL;
}

static sdei_vm *k_model_vm(sim_impl *k)
{
    (void)k;
    return NULL;
}

/* Name and caps come from the build (CMakeLists.txt: the tree's version). */
const sim_impl_ops sim_impl_kernel = {
    .name = SIM_KERNEL_NAME,
    .caps = SIM_CAP_HVC | SIM_CAP_DELIVER | SIM_CAP_TRIGGER | SIM_CAP_OBS_STATE |
            SIM_CAP_OBS_PENDING | SIM_CAP_OBS_VCPU | SIM_CAP_OBS_CHECK | SIM_CAP_POWER |
            SIM_CAP_VCPU_RESET | (SIM_KERNEL_EXPOSE ? SIM_CAP_EXPOSE : 0u) |
            /* every version is asked to migrate: v6's glue refuses (no
             * interface), as the model's kvm-v6 profile does */
            SIM_CAP_MIGRATE | (SIM_KERNEL_VMM ? SIM_CAP_VMM : 0u) |
            (SIM_KERNEL_FWREGS ? SIM_CAP_FWREG : 0u),
    .create = k_create,
    .destroy = k_destroy,
    .regs = k_regs,
    .call_fid = k_call_fid,
    .hypercall = k_hypercall,
    .deliver = k_deliver,
    .trigger = k_trigger,
    .irq = k_irq,
    .expose = k_expose,
    .vmm = k_vmm,
    .migrate = k_migrate,
    .vcpu_reset = k_vcpu_reset,
    .power = k_power,
    .event_state = k_event_state,
    .pending_count = k_pending_count,
    .vcpu_view = k_vcpu_view,
    .event_count = k_event_count,
    .event_at = k_event_at,
    .check = k_check,
    .finding = k_finding,
    .fwreg_get = k_fwreg_get,
    .model_vm = k_model_vm,
};
