/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kglue.h - one kernel tree's SDEI code, driven as KVM drives it
 * (glue_v5.c / glue_v6.c / glue_v7.c, one per series version; the build
 * compiles the one the tree is). Plain types only: the glue sees the kernel's
 * headers, the adapter (impl_kernel.c) sees the model's, never both.
 *
 * Every function that runs kernel code returns KG_FINDING when the harness
 * stopped it (a fatal finding: the VM must not be used again); non-fatal
 * findings of the call are in kstub_findings().
 */
#ifndef KGLUE_H
#define KGLUE_H

#include <stddef.h>
#include <stdint.h>

#define KG_FINDING (-1000)
#define KG_NO_EVENT UINT64_C(0xFFFFFFFF)

/* The same layout as the model's sdei_regs (checked in impl_kernel.c). */
typedef struct kg_regs {
    uint64_t x[31];
    uint64_t sp;
    uint64_t pc;
    uint64_t pstate;
    uint64_t elr_el1;
    uint64_t spsr_el1;
} kg_regs;

typedef struct kg_view {
    uint8_t masked;
    uint8_t critical_running, normal_running;
    uint64_t critical_num, normal_num;
    uint64_t critical_saved[20], normal_saved[20]; /* x0..x17, pc, pstate */
    uint32_t queued;
} kg_view;

typedef struct kg_event {
    uint64_t num;
    uint8_t type, priority, signaled;
} kg_event;

/* Per-event state bits on one vCPU (for a shared event: slot 0). */
typedef struct kg_evstate {
    uint8_t exposed, registered, enabled, unregister_pending, running;
    uint32_t pending; /* queued instances not counting the running one */
} kg_evstate;

typedef struct kg_vm kg_vm;

extern const char kg_version[]; /* "v5", "v6", "v7" */
extern const int kg_has_vmm;    /* KVM_ARM_SDEI_COMMAND (v5) */
extern const int kg_has_fwregs; /* firmware pseudo-registers (v7) */
extern const int kg_has_expose; /* the VMM chooses the events (v5) */
extern const int kg_has_shared; /* shared events exist */

/* The function ID of SDEI call number `call` (0 = VERSION ... 18 =
 * SHARED_RESET, 16 = FEATURES) in this tree's arm_sdei.h. */
uint64_t kg_call_fid(unsigned call);
/* The call number of a function ID as this tree's router sees it:
 * KG_NOT_ROUTED if the router does not send it to the SDEI code,
 * KG_CALL_UNKNOWN if it does but the code knows no such call. */
#define KG_NOT_ROUTED (-1)
#define KG_CALL_UNKNOWN 0xFF
int kg_call_of_fid(uint64_t x0);

/* VM and vCPU creation as arm.c does it. Returns 0, -1 (out of memory) or
 * KG_FINDING. */
int kg_create(uint32_t nr_vcpus, kg_vm **out);
/* Teardown in arm.c's order; returns KG_FINDING on a finding (a leak is one). */
int kg_destroy(kg_vm *vm);

/* After a fatal finding: frees the harness's own objects only (the kernel's
 * may be half-updated and are left alone). */
void kg_abandon(kg_vm *vm);

kg_regs *kg_regs_of(kg_vm *vm, uint32_t vcpu);
/* SCTLR_EL1.SPAN of every vCPU (the config's sctlr_el1_span): KVM's
 * exception entry sets PAN when it is 0 (v6's IRQ). */
void kg_set_span(kg_vm *vm, int span);
/* An HVC from vcpu through the hypercall router. */
int kg_hvc(kg_vm *vm, uint32_t vcpu);
/* Guest entry: the SDEI request serviced, pending exceptions applied. */
int kg_enter(kg_vm *vm, uint32_t vcpu);
/* The in-kernel injection API (kvm_sdei_inject_event, immediate = 0);
 * *ret = its errno result. */
int kg_inject(kg_vm *vm, uint32_t vcpu, uint64_t num, int32_t *ret);
/* One KVM_ARM_SDEI_COMMAND (vcpu = UINT32_MAX: the VM fd); data is the
 * user buffer the command's pointer names. *ret = 0 or -errno; count_out
 * gets the cmd's count/version field as the kernel left it. */
int kg_vmm(kg_vm *vm, uint32_t vcpu, uint32_t cmd, uint32_t count, uint64_t num, uint8_t *data,
           size_t data_len, int32_t *ret, uint32_t *count_out);
/* One ioctl as a VMM issues it, on the VM fd (vcpu = UINT32_MAX) or a vCPU
 * fd, dispatched as the version's arm.c does: v5's KVM_ARM_SDEI_COMMAND
 * (arg: the user's struct kvm_sdei_cmd, its ioctl number built from the
 * tree's struct size) to kvm_sdei_vm_ioctl / kvm_sdei_vcpu_ioctl; v7's
 * KVM_GET_ONE_REG / KVM_SET_ONE_REG of an SDEI firmware register (arg: the
 * user's struct kvm_one_reg) to kvm_sdei_get_reg / kvm_sdei_set_reg. user /
 * user_len: the VMM memory the call's pointers may reach besides arg. *ret =
 * 0 or -errno (-ENOTTY: no such ioctl; -ENOENT: no such register). */
int kg_ioctl(kg_vm *vm, uint32_t vcpu, uint32_t req, void *arg, void *user, size_t user_len,
             long *ret);
/* The ids of the tree's SDEI firmware registers in KVM_GET_REG_LIST order
 * (v7; 0 elsewhere): up to max written, the count returned. */
unsigned kg_fwreg_ids(uint64_t *out, unsigned max);

/* The VMM exposes one event (v5: SET_EXPOSED_EVENT of one entry; other
 * versions: the event must be one of KVM's own). *ret = 0 or -errno. */
int kg_expose(kg_vm *vm, const kg_event *ev, int32_t *ret);
/* Migrates through the tree's own interface to a fresh VM. Returns 0, 1 when
 * the destination refused the state (the VM stays), or KG_FINDING. */
int kg_migrate(kg_vm **vm, char *err, size_t errlen);

/* KVM_GET_ONE_REG (set = 0) or KVM_SET_ONE_REG (set = 1) of a firmware
 * register, buf being len bytes of user memory; *ret = the kernel's 0 or
 * -errno (-ENOENT in a tree without SDEI registers). */
int kg_fwreg(kg_vm *vm, uint32_t vcpu, int set, uint64_t id, uint8_t *buf, size_t len, long *ret);

/* Observations from the kernel's own structs. */
int kg_view_of(kg_vm *vm, uint32_t vcpu, kg_view *out);
int kg_event_state(kg_vm *vm, uint64_t num, uint32_t vcpu, kg_evstate *out);
uint32_t kg_event_count(kg_vm *vm);
int kg_event_at(kg_vm *vm, uint32_t index, kg_event *out);
/* The kernel structs' own consistency: NULL or a static message. */
const char *kg_check(kg_vm *vm);

#endif /* KGLUE_H */
