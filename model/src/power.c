/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * power.c - PSCI power transitions and the VMM's vCPU reset, as the SDEI
 * state sees them (sdei-rules §9; docs/model.md "Power").
 *
 * The model is not a PSCI implementation: the caller says which transition
 * happens, and this file answers for the SDEI consequences. Where the sources
 * are silent the choice is written next to the code as a decision and in
 * docs/model.md; every rule has a marker `rule: POWER.n` that tests cite.
 */
#include <string.h>

#include "vm_internal.h"

#define Q(name) sdei_quirk(vm, SDEI_QUIRK_BIT(name))

static const char *const action_names[SDEI_POWER_ACTION_COUNT] = {
    [SDEI_POWER_CPU_OFF] = "cpu_off",       [SDEI_POWER_CPU_ON] = "cpu_on",
    [SDEI_POWER_SUSPEND] = "suspend",       [SDEI_POWER_RESUME] = "resume",
    [SDEI_POWER_CPU_FREEZE] = "cpu_freeze", [SDEI_POWER_QUERY] = "query",
    [SDEI_POWER_SYSTEM_OFF] = "system_off", [SDEI_POWER_SYSTEM_RESET] = "system_reset",
};

static const char *const result_names[SDEI_POWER_RESULT_COUNT] = {
    [SDEI_POWER_DONE] = "done",
    [SDEI_POWER_ALREADY_ON] = "already_on",
    [SDEI_POWER_NOT_RUNNING] = "not_running",
    [SDEI_POWER_NOT_SUSPENDED] = "not_suspended",
};

static const char *const state_names[SDEI_PE_STATE_COUNT] = {
    [SDEI_PE_ON] = "on",
    [SDEI_PE_OFF] = "off",
    [SDEI_PE_SUSPENDED] = "suspended",
    [SDEI_PE_FROZEN] = "frozen",
};

static int name_index(const char *const *names, int count, const char *name)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

const char *sdei_power_action_name(sdei_power_action action)
{
    return (unsigned)action < SDEI_POWER_ACTION_COUNT ? action_names[action] : "?";
}

int sdei_power_action_by_name(const char *name)
{
    return name_index(action_names, SDEI_POWER_ACTION_COUNT, name);
}

const char *sdei_power_result_name(sdei_power_result result)
{
    return (unsigned)result < SDEI_POWER_RESULT_COUNT ? result_names[result] : "?";
}

int sdei_power_result_by_name(const char *name)
{
    return name_index(result_names, SDEI_POWER_RESULT_COUNT, name);
}

const char *sdei_power_state_name(sdei_power_state state)
{
    return (unsigned)state < SDEI_PE_STATE_COUNT ? state_names[state] : "?";
}

int sdei_power_state_by_name(const char *name)
{
    return name_index(state_names, SDEI_PE_STATE_COUNT, name);
}

sdei_power_state sdei_vcpu_power_state(const sdei_vm *vm, uint32_t vcpu)
{
    if (vm == NULL || vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_PE_STATE_COUNT;
    }
    return (sdei_power_state)vm->vcpus[vcpu].power;
}

/* rule: POWER.1 SYSTEM_RESET, SYSTEM_OFF, CPU_OFF and CPU_FREEZE called inside a
 * handler first complete it (ACS 4.52, spec §6.5.4): critical first, then the
 * normal one it preempted; each event leaves its running state as COMPLETE
 * takes it (RE -> E, RD -> D, UP -> U). Decision: the interrupted registers
 * are not restored, the PE powers down (or resets) right after. */
static uint8_t complete_running(sdei_vm *vm, uint32_t v)
{
    const sdei_vcpu *vc = &vm->vcpus[v];
    uint8_t n = 0;
    if (vc->critical_ev != SDEI_NO_EVENT_INDEX) {
        (void)sdei_end_run(vm, v, 1, SDEI_ACT_COMPLETE);
        n++;
    }
    if (vc->normal_ev != SDEI_NO_EVENT_INDEX) {
        (void)sdei_end_run(vm, v, 0, SDEI_ACT_COMPLETE);
        n++;
    }
    return n;
}

/* The architectural reset register file, as KVM's vCPU reset writes it. */
static void reset_regs(sdei_vcpu *vc)
{
    memset(&vc->regs, 0, sizeof(vc->regs));
    vc->regs.pstate = SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF;
}

/* rule: POWER.3 a PE reset (CPU_OFF then CPU_ON, a VMM reset): the PE is masked and
 * its private events are unregistered with their pending triggers (sdei-rules §9,
 * ACS 4.47, TF-A sdei_cpu_on_init); shared registrations are untouched. Decision:
 * done when the PE goes down (TF-A does it at CPU_ON): between the two nothing on
 * that PE can look, and the other PEs then see the registrations gone (RELEASE). */
static void pe_reset_sdei(sdei_vm *vm, uint32_t v)
{
    (void)complete_running(vm, v); /* a reset abandons a running handler */
    (void)sdei_reset_class(vm, v, SDEI_EVENT_TYPE_PRIVATE);
    vm->vcpus[v].masked = 1;
    /* rule: POWER.6 shared events routed to a PE going off: an RM_ANY trigger
     * waiting there moves to an unmasked PE that is on (sdei-rules §6.9); decision:
     * an RM_PE trigger stays pending for its PE and is delivered once that PE is
     * on and unmasked (the GIC keeps an SPI routed to a PE that is off pending) */
    sdei_rebalance_rm_any(vm);
}

/* rule: POWER.10 SYSTEM_RESET and SYSTEM_OFF: the firmware state is gone; every
 * event is unregistered on every PE, every binding released, every PE masked.
 * Decision: the platform's exposed events stay (they are the VM's
 * configuration, not SDEI state). */
static void system_reset_sdei(sdei_vm *vm)
{
    uint32_t n = vm->cfg.nr_vcpus;
    for (uint32_t u = 0; u < n; u++) {
        (void)complete_running(vm, u);
    }
    for (uint32_t u = 0; u < n; u++) {
        (void)sdei_reset_class(vm, u, SDEI_EVENT_TYPE_PRIVATE);
        vm->vcpus[u].masked = 1;
    }
    (void)sdei_reset_class(vm, 0, SDEI_EVENT_TYPE_SHARED);
    for (uint32_t e = 0; e < vm->nr_exposed; e++) {
        vm->exposed[e].bound_intid = 0;
    }
}

/* A transition the vCPU makes by its own PSCI call (it must be on). */
static void own_call(sdei_vm *vm, uint32_t v, sdei_power_action action, sdei_power_info *info)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    int keep = Q(POWER_KEEPS_SDEI_STATE); /* kvm-v5: no SDEI consequence at all */
    switch (action) {
    case SDEI_POWER_QUERY:
        /* rule: POWER.2 PSCI_VERSION, AFFINITY_INFO and PSCI_FEATURES may be called
         * inside a handler: it keeps running, nothing changes (ACS 4.43) */
        break;
    case SDEI_POWER_SUSPEND:
        /* rule: POWER.5 a power-down suspend keeps the state of every event; the PE
         * wakes masked (ACS 4.44/4.45, TF-A f933b44bd). Decisions: masked from the
         * suspend on (so RM_ANY triggers go to PEs that are awake); a handler that
         * runs when the PE suspends is state like any other and still runs after
         * the wake-up (ACS 4.52 does not list CPU_SUSPEND) */
        if (!keep) {
            vc->masked = 1;
            sdei_rebalance_rm_any(vm);
        }
        vc->power = SDEI_PE_SUSPENDED;
        break;
    case SDEI_POWER_CPU_OFF:
    case SDEI_POWER_CPU_FREEZE:
        if (!keep) {
            info->completed = complete_running(vm, v);
            pe_reset_sdei(vm, v);
        }
        /* Decision: a frozen PE is as off for SDEI; only a reset (VMM, SYSTEM_RESET)
         * brings it back, CPU_ON answers ALREADY_ON (PSCI: it counts as on). */
        vc->power = action == SDEI_POWER_CPU_OFF ? SDEI_PE_OFF : SDEI_PE_FROZEN;
        break;
    default: /* SYSTEM_OFF, SYSTEM_RESET */
        if (!keep) {
            info->completed = complete_running(vm, v);
            system_reset_sdei(vm);
        }
        /* rule: POWER.11 SYSTEM_OFF: every PE off; SYSTEM_RESET: the boot PE (vCPU 0)
         * comes up reset, the others stay off until a CPU_ON (decision: what a
         * reboot of a KVM guest does, secondaries start powered off) */
        for (uint32_t u = 0; u < vm->cfg.nr_vcpus; u++) {
            vm->vcpus[u].power = SDEI_PE_OFF;
        }
        if (action == SDEI_POWER_SYSTEM_RESET) {
            reset_regs(&vm->vcpus[0]);
            vm->vcpus[0].power = SDEI_PE_ON;
        }
        break;
    }
}

sdei_err sdei_vcpu_power(sdei_vm *vm, uint32_t vcpu, sdei_power_action action, sdei_power_info *out)
{
    if (vm == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    if ((unsigned)action >= SDEI_POWER_ACTION_COUNT) {
        return SDEI_E_POWER_ACTION;
    }
    sdei_power_info info = {SDEI_POWER_DONE, 0};
    sdei_vcpu *vc = &vm->vcpus[vcpu];
    if (action == SDEI_POWER_CPU_ON) {
        /* rule: POWER.8 bad transitions change nothing: CPU_ON of a PE that is not
         * off is ALREADY_ON (PSCI); a call by a PE that is not on is NOT_RUNNING;
         * RESUME of a PE that is not suspended is NOT_SUSPENDED (decisions) */
        if (vc->power != SDEI_PE_OFF) {
            info.result = SDEI_POWER_ALREADY_ON;
        } else {
            /* rule: POWER.4 a PE that comes on starts masked, its private events
             * unregistered, nothing running (ACS 4.47; POWER.3 did it at CPU_OFF) */
            if (!Q(POWER_KEEPS_SDEI_STATE)) {
                pe_reset_sdei(vm, vcpu);
            }
            reset_regs(vc);
            vc->power = SDEI_PE_ON;
        }
    } else if (action == SDEI_POWER_RESUME) {
        if (vc->power != SDEI_PE_SUSPENDED) {
            info.result = SDEI_POWER_NOT_SUSPENDED;
        } else {
            if (!Q(POWER_KEEPS_SDEI_STATE)) {
                vc->masked = 1; /* POWER.5: wakes masked */
            }
            vc->power = SDEI_PE_ON;
        }
    } else if (vc->power != SDEI_PE_ON) {
        info.result = SDEI_POWER_NOT_RUNNING;
    } else {
        own_call(vm, vcpu, action, &info);
    }
    if (out != NULL) {
        *out = info;
    }
    return SDEI_OK;
}

sdei_err sdei_vcpu_reset(sdei_vm *vm, uint32_t vcpu)
{
    if (vm == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    /* rule: POWER.12 the VMM's vCPU reset (KVM_ARM_VCPU_INIT, the kernel's CPU_ON)
     * is a PE reset (POWER.3), whatever the vCPU was doing; the vCPU is on after
     * it. kvm-v5 leaves every SDEI state as it was (power_keeps_sdei_state). */
    if (!Q(POWER_KEEPS_SDEI_STATE)) {
        pe_reset_sdei(vm, vcpu);
    }
    reset_regs(&vm->vcpus[vcpu]);
    vm->vcpus[vcpu].power = SDEI_PE_ON;
    return SDEI_OK;
}
