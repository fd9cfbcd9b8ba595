/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * impl.h - the interface of an implementation under test (DESIGN §2, §7).
 *
 * The executor (exec.h) applies every action through one of these ops tables:
 * the model (impl_model.c), the kernel target (a kernel tree's sdei.c in user
 * space, targets/kernel/) or the kvm target (/dev/kvm, targets/kvm/). Nothing
 * above the executor knows which one it drives, except through `caps`: a check
 * an implementation cannot answer is reported "not observable on this
 * implementation" and counted, never silently passed.
 *
 * The vocabulary is the model's public types (sdei_regs, sdei_call_info,
 * sdei_delivery, sdei_vmm_cmd_block, ...): they are plain data, and every
 * implementation fills them the same way. Register semantics, which every
 * implementation must follow so that one trace fits all of them
 * (docs/architecture.md "Registers"):
 *
 *  - `regs` is the vCPU's register file as the guest sees it between two
 *    actions. The executor writes the arguments into it, then calls
 *    `hypercall`; the implementation reads it, runs the HVC, and writes back
 *    every register the call changed.
 *  - pc is where the vCPU resumes. Before a `hypercall` it holds the address
 *    of the instruction after the HVC (what ELR_EL2 holds on real hardware);
 *    a call that returns leaves it there; a successful COMPLETE sets it to
 *    the interrupted context's pc (COMPLETE_AND_RESUME: the resume address);
 *    delivery sets it to the handler's entry point. A target running a real
 *    vCPU places its HVC at pc - 4.
 *  - x4..x17 and every register a call does not name are the guest's own.
 */
#ifndef SIM_IMPL_H
#define SIM_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_model.h"
#include "sdei/sdei_vmm.h"

/* What an implementation can do (actions) and observe (checks). */
enum sim_cap {
    SIM_CAP_HVC = 1u << 0,         /* hypercall */
    SIM_CAP_DELIVER = 1u << 1,     /* guest entry */
    SIM_CAP_TRIGGER = 1u << 2,     /* a platform event fires (by number) */
    SIM_CAP_IRQ = 1u << 3,         /* a bound interrupt fires */
    SIM_CAP_EXPOSE = 1u << 4,      /* the VMM exposes an event (plain path) */
    SIM_CAP_VMM = 1u << 5,         /* v5's KVM_ARM_SDEI_COMMAND commands */
    SIM_CAP_MIGRATE = 1u << 6,     /* save the whole VM and restore it elsewhere */
    SIM_CAP_VCPU_RESET = 1u << 7,  /* KVM_ARM_VCPU_INIT on a live VM */
    SIM_CAP_OBS_STATE = 1u << 8,   /* event state per vCPU */
    SIM_CAP_OBS_PENDING = 1u << 9, /* pending trigger counts */
    SIM_CAP_OBS_VCPU = 1u << 10,   /* mask, running slots, queue length */
    SIM_CAP_OBS_CHECK = 1u << 11,  /* an internal consistency check */
    SIM_CAP_FWREG = 1u << 12,      /* v7's firmware pseudo-registers */
    SIM_CAP_POWER = 1u << 13       /* PSCI power transitions */
};

typedef struct sim_impl sim_impl; /* one VM of one implementation (opaque) */

typedef struct sim_impl_ops {
    const char *name; /* "model", "kernel-v5", "kvm", ... */
    uint32_t caps;    /* SIM_CAP_* */

    /* Creates a VM from a config (vCPU count, MPIDRs, profile, bind slots).
     * Returns 0, or -1 with one line in err (a config it cannot take). */
    int (*create)(const sdei_config *cfg, sim_impl **out, char *err, size_t errlen);
    void (*destroy)(sim_impl *impl);
    /* Optional (NULL: destroy, then create): the VM starts over from cfg,
     * reusing what it holds (the fuzz targets start a VM per input). */
    int (*reset)(sim_impl *impl, const sdei_config *cfg, char *err, size_t errlen);

    /* The register file of a vCPU (see above); valid until the next action.
     * NULL for a vCPU that does not exist. */
    sdei_regs *(*regs)(sim_impl *impl, uint32_t vcpu);
    /* The function ID this implementation uses for a call (a profile's
     * quirks may move one: kvm-v5's FEATURES). */
    uint64_t (*call_fid)(sim_impl *impl, sdei_call_id call);

    /* Actions. Each returns an sdei_err of the model's vocabulary (SDEI_OK, or
     * an API error that becomes a `< err CODE` result), or SIM_IMPL_FINDING
     * when the implementation itself failed (a memory error, a lock error or
     * a hang of kernel code): the executor then stops and reports. */
    int (*hypercall)(sim_impl *impl, uint32_t vcpu, sdei_call_info *info);
    int (*deliver)(sim_impl *impl, uint32_t vcpu, sdei_delivery *out);
    int (*trigger)(sim_impl *impl, uint64_t num, uint32_t vcpu, sdei_trigger_result *out);
    int (*irq)(sim_impl *impl, uint32_t intid, uint32_t vcpu, sdei_trigger_result *out);
    int (*expose)(sim_impl *impl, const sdei_event_desc *desc);
    /* Returns the command's errno result (0 or -errno) in *ret. */
    int (*vmm)(sim_impl *impl, uint32_t vcpu, sdei_vmm_cmd_block *cmd, int32_t *ret);
    /* Migration: the implementation saves itself and continues on a fresh
     * VM restored from that save. Returns SDEI_OK, SDEI_E_FORMAT when its own
     * restore refuses its own save (the VM then goes on on the source), or an
     * error with one line in err. */
    int (*migrate)(sim_impl *impl, char *err, size_t errlen);
    /* Optional: the whole-VM save the last successful migrate restored from
     * (*len bytes; NULL if none). The checker compares the destination with
     * it rather than saving the source a second time. */
    const uint8_t *(*migrated_from)(sim_impl *impl, size_t *len);
    /* The VMM resets a vCPU (KVM_ARM_VCPU_INIT on a live VM): SIM_CAP_VCPU_RESET. */
    int (*vcpu_reset)(sim_impl *impl, uint32_t vcpu);
    /* A PSCI power transition of the vCPU or the system (docs/model.md "Power"):
     * SIM_CAP_POWER; the result in *out. */
    int (*power)(sim_impl *impl, uint32_t vcpu, sdei_power_action action, sdei_power_info *out);

    /* Observations; SDEI_E_EVENT for an event that is not exposed. */
    int (*event_state)(sim_impl *impl, uint64_t num, uint32_t vcpu, sdei_event_state *out);
    int (*pending_count)(sim_impl *impl, uint64_t num, uint32_t vcpu, uint32_t *out);
    int (*vcpu_view)(sim_impl *impl, uint32_t vcpu, sdei_vcpu_view *out);
    /* Optional (NULL: vcpu_view), the cheap observations the checker makes
     * after every action and at every sweep: the view without the saved
     * contexts (normal_saved, critical_saved not written), and the state and
     * pending count of every event on one vCPU in event_at order (at most
     * cap, the count in *n). Both answer what vcpu_view, event_state and
     * pending_count answer. */
    int (*vcpu_brief)(sim_impl *impl, uint32_t vcpu, sdei_vcpu_view *out);
    int (*vcpu_events)(sim_impl *impl, uint32_t vcpu, sdei_event_obs *out, uint32_t cap,
                       uint32_t *n);
    uint32_t (*event_count)(sim_impl *impl);
    int (*event_at)(sim_impl *impl, uint32_t index, sdei_event_desc *out);
    /* NULL if sound, else a static message. */
    const char *(*check)(sim_impl *impl);

    /* After SIM_IMPL_FINDING: one line saying what failed (the sanitizer's
     * summary, the lock error, the hang); NULL if the op is absent. */
    const char *(*finding)(sim_impl *impl);

    /* KVM_GET_ONE_REG of a v7 SDEI firmware register (sdei_fwreg.h) into buf:
     * SIM_CAP_FWREG; *kernel_ret = 0 or -errno as the kernel answers. Returns
     * SDEI_OK or SIM_IMPL_FINDING. */
    int (*fwreg_get)(sim_impl *impl, uint32_t vcpu, uint64_t id, uint8_t *buf, size_t len,
                     int32_t *kernel_ret);

    /* The model VM behind this implementation, for the model-only tools
     * (whole-VM save files, lint of saves); NULL for any other target. */
    sdei_vm *(*model_vm)(sim_impl *impl);
} sim_impl_ops;

/* An action's implementation failed (kernel target: a finding). */
#define SIM_IMPL_FINDING (-1000)
/* An action this VM cannot take after all, though its ops table has the cap:
 * what a kernel offers is known only once it runs (kvm target: a VMM command
 * on a kernel without KVM_ARM_SDEI_COMMAND). The executor counts it as
 * unavailable, like a missing cap. */
#define SIM_IMPL_UNAVAILABLE (-1001)

/* The model, profile and quirks as the config says. */
extern const sim_impl_ops sim_impl_model;

/* Implementations by name ("model", "kernel", "kvm"): NULL if this build has
 * none of that name. */
const sim_impl_ops *sim_impl_by_name(const char *name);

#endif /* SIM_IMPL_H */
