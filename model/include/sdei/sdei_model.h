/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdei_model.h - the SDEI state machine of one VM with N vCPUs.
 *
 * Pure: no I/O, no clock, no randomness, no globals; all memory is sized by
 * the configuration and handed over (or allocated once) at init. Every public
 * function returns an sdei_err (0 = SDEI_OK) or documents its result.
 * Guest-visible SDEI results never travel in sdei_err: they are written into
 * the vCPU's x0, exactly as the hypervisor would.
 */
#ifndef SDEI_MODEL_H
#define SDEI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_abi.h"
#include "sdei/sdei_quirks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of the kernel uAPI (kvm-v5 §1.1). */
#define SDEI_MAX_VCPUS 512u
#define SDEI_MAX_EVENTS 128u

/* ---------------------------------------------------------------------------
 * Errors of the library API (never a guest-visible SDEI code).
 * ------------------------------------------------------------------------- */
typedef enum sdei_err {
    SDEI_OK = 0,
    SDEI_E_NULL = 1,           /* a required pointer argument is NULL */
    SDEI_E_CFG_NR_VCPUS = 2,   /* config.nr_vcpus not in 1..512 */
    SDEI_E_CFG_MPIDR = 3,      /* config.mpidr: two vCPUs share an affinity */
    SDEI_E_CFG_MAX_EVENTS = 4, /* config.max_events not in 1..128 */
    SDEI_E_CFG_BIND_SLOTS = 5, /* config bind slots: together more than max_events */
    SDEI_E_CFG_PROFILE = 6,    /* config.profile unknown */
    SDEI_E_CFG_QUIRKS = 7,     /* config.quirks names an unknown/unimplemented quirk, or
                                * config.quirks_override is not 0 or 1 */
    SDEI_E_MEM_SIZE = 8,       /* the memory handed to sdei_vm_init is too small */
    SDEI_E_NO_MEMORY = 9,      /* sdei_vm_new: the one allocation failed */
    SDEI_E_VCPU = 10,          /* vCPU index >= nr_vcpus */
    SDEI_E_EVENT = 11,         /* event number unknown to the VM (not exposed) */
    SDEI_E_INTID = 12,         /* interrupt number not bound to an event */
    SDEI_E_FORMAT = 13,        /* a blob or saved-VM buffer is malformed */
    SDEI_E_RANGE = 14,         /* an index or count is out of range */
    SDEI_E_ALIGN = 15,         /* memory for sdei_vm_init is not 8-byte aligned */
    SDEI_E_CFG_SPAN = 16,      /* config.sctlr_el1_span: must be 0 or 1 */
    SDEI_E_VCPU_OFF = 17,      /* the vCPU is not running (off, suspended or frozen): it
                                * cannot make a hypercall (docs/model.md "Power") */
    SDEI_E_POWER_ACTION = 18,  /* sdei_vcpu_power: unknown sdei_power_action */
    SDEI_ERR_COUNT
} sdei_err;

/* A short, stable description of an sdei_err ("config.nr_vcpus: ..."). */
const char *sdei_strerror(int err);

/* ---------------------------------------------------------------------------
 * Configuration.
 * ------------------------------------------------------------------------- */
typedef enum sdei_profile {
    SDEI_PROFILE_SPEC = 0,   /* Arm DEN0054C as DESIGN.md §3.2 decides it */
    SDEI_PROFILE_KVM_V5 = 1, /* the v5 kernel series, bugs included */
    SDEI_PROFILE_ABSENT = 2, /* every released KVM: SDEI not offered (sdei_absent) */
    SDEI_PROFILE_TFA = 3,    /* Trusted Firmware-A's dispatcher as its code behaves */
    SDEI_PROFILE_KVM_V7 = 4, /* the v7 kernel series (the last posted), bugs included */
    SDEI_PROFILE_KVM_V6 = 5, /* the v6 kernel series, bugs included */
    SDEI_PROFILE_COUNT
} sdei_profile;

/* The quirk set a profile implies. */
uint64_t sdei_profile_quirks(sdei_profile profile);
const char *sdei_profile_name(sdei_profile profile);
/* Profile by name ("spec", "kvm-v5", "absent", "tfa", "kvm-v7", "kvm-v6"), or -1. */
SDEI_WARN_UNUSED
int sdei_profile_by_name(const char *name);

typedef struct sdei_config {
    uint32_t nr_vcpus;     /* 1..SDEI_MAX_VCPUS */
    uint32_t max_events;   /* exposed-event capacity, 1..128; 0 = 128 */
    const uint64_t *mpidr; /* nr_vcpus MPIDRs; NULL = KVM's default layout */
    sdei_profile profile;
    uint64_t quirks;             /* used only if quirks_override != 0 */
    uint8_t quirks_override;     /* 0: quirks = sdei_profile_quirks(profile); 1: quirks */
    uint8_t sctlr_el1_span;      /* SCTLR_EL1.SPAN, 0 or 1; 0 forces PAN at handler entry */
    uint16_t private_bind_slots; /* dynamic PPI-bindable private events */
    uint16_t shared_bind_slots;  /* dynamic SPI-bindable shared events */
} sdei_config;

/* A config with spec profile, n vCPUs, 128 events, 2+2 bind slots, SPAN = 1. */
sdei_config sdei_config_default(uint32_t nr_vcpus);

/* KVM's default MPIDR of vCPU index i (Aff0 = i & 0xf, Aff1 = (i >> 4) & 0xff,
 * Aff2 = (i >> 12) & 0xff, RES1 bit 31 set). */
uint64_t sdei_default_mpidr(uint32_t vcpu_index);

/* Bind slots get fixed event numbers (bits 23:22 = 0b01, as every KVM event). */
#define SDEI_BIND_PRIVATE_BASE UINT32_C(0x00410000)
#define SDEI_BIND_SHARED_BASE UINT32_C(0x00420000)

/* ---------------------------------------------------------------------------
 * VM lifecycle. Either hand memory to sdei_vm_init (no allocation at all), or
 * let sdei_vm_new allocate it once.
 * ------------------------------------------------------------------------- */
typedef struct sdei_vm sdei_vm;

/* Bytes of memory a VM with this config needs (8-byte aligned). */
SDEI_WARN_UNUSED
sdei_err sdei_vm_mem_size(const sdei_config *cfg, size_t *size_out);
/* Builds a fresh VM in mem. Validates cfg first; on error mem is untouched
 * and *vm_out is NULL. */
SDEI_WARN_UNUSED
sdei_err sdei_vm_init(void *mem, size_t mem_size, const sdei_config *cfg, sdei_vm **vm_out);
SDEI_WARN_UNUSED
sdei_err sdei_vm_new(const sdei_config *cfg, sdei_vm **vm_out);
void sdei_vm_free(sdei_vm *vm);
/* Back to the state of a fresh init with the same config. */
void sdei_vm_reset(sdei_vm *vm);

const sdei_config *sdei_vm_config(const sdei_vm *vm); /* mpidr points into the VM */
uint32_t sdei_vm_nr_vcpus(const sdei_vm *vm);
uint64_t sdei_vm_quirks(const sdei_vm *vm);
uint64_t sdei_vcpu_mpidr(const sdei_vm *vm, uint32_t vcpu);
/* vCPU index of an affinity (masked with SDEI_MPIDR_AFFINITY_MASK), or -1. */
SDEI_WARN_UNUSED
int32_t sdei_vcpu_by_mpidr(const sdei_vm *vm, uint64_t mpidr);

/* ---------------------------------------------------------------------------
 * The guest's register file, part of the model because delivery saves it and
 * COMPLETE restores it. pc is the address the vCPU resumes at: for a
 * hypercall, the instruction after the HVC/SMC.
 * ------------------------------------------------------------------------- */
typedef struct sdei_regs {
    uint64_t x[31];
    uint64_t sp;
    uint64_t pc;
    uint64_t pstate;
    uint64_t elr_el1;
    uint64_t spsr_el1;
} sdei_regs;

SDEI_WARN_UNUSED
sdei_err sdei_vcpu_get_regs(const sdei_vm *vm, uint32_t vcpu, sdei_regs *out);
SDEI_WARN_UNUSED
sdei_err sdei_vcpu_set_regs(sdei_vm *vm, uint32_t vcpu, const sdei_regs *in);
/* Direct access for hot loops; NULL for a bad index. */
sdei_regs *sdei_vcpu_regs(sdei_vm *vm, uint32_t vcpu);

/* ---------------------------------------------------------------------------
 * Guest hypercalls.
 * ------------------------------------------------------------------------- */

/* What a hypercall did, for traces and invariant checks. */
typedef enum sdei_call_outcome {
    SDEI_CALL_RETURNED = 0,  /* x0..x3 written (x0 = result, x1..x3 = 0) */
    SDEI_CALL_COMPLETED = 1, /* COMPLETE / COMPLETE_AND_RESUME succeeded: context restored */
    SDEI_CALL_NO_RESULT = 2, /* nothing written (kvm-v5: a failed COMPLETE) */
    SDEI_CALL_NOT_SDEI = 3   /* x0 is not an SDEI function ID: x0 = NOT_SUPPORTED */
} sdei_call_outcome;

typedef struct sdei_call_info {
    sdei_call_outcome outcome;
    int64_t result;         /* the value written to x0 (when RETURNED) */
    uint32_t call;          /* sdei_call_id, SDEI_CALL_ID_NONE if unknown */
    uint64_t completed_num; /* COMPLETED: the event that finished */
    uint8_t completed_priority;
} sdei_call_info;

/* One HVC/SMC: function ID in x0, arguments in x1..x5 of the vCPU's register
 * file; results are written back as the hypervisor does. info may be NULL.
 * Returns SDEI_E_VCPU / SDEI_E_NULL, else SDEI_OK (whatever the guest asked). */
sdei_err sdei_hypercall(sdei_vm *vm, uint32_t vcpu, sdei_call_info *info);

/* Calls by number, in function-ID order; the table and traces use them. */
typedef enum sdei_call_id {
    SDEI_CALL_VERSION = 0,
    SDEI_CALL_EVENT_REGISTER,
    SDEI_CALL_EVENT_ENABLE,
    SDEI_CALL_EVENT_DISABLE,
    SDEI_CALL_EVENT_CONTEXT,
    SDEI_CALL_EVENT_COMPLETE,
    SDEI_CALL_EVENT_COMPLETE_AND_RESUME,
    SDEI_CALL_EVENT_UNREGISTER,
    SDEI_CALL_EVENT_STATUS,
    SDEI_CALL_EVENT_GET_INFO,
    SDEI_CALL_EVENT_ROUTING_SET,
    SDEI_CALL_PE_MASK,
    SDEI_CALL_PE_UNMASK,
    SDEI_CALL_INTERRUPT_BIND,
    SDEI_CALL_INTERRUPT_RELEASE,
    SDEI_CALL_EVENT_SIGNAL,
    SDEI_CALL_FEATURES,
    SDEI_CALL_PRIVATE_RESET,
    SDEI_CALL_SHARED_RESET,
    SDEI_CALL_COUNT,
    SDEI_CALL_ID_NONE = 0xFF
} sdei_call_id;

/* "VERSION", "EVENT_REGISTER", ... (the spec names without the SDEI_ prefix). */
const char *sdei_call_name(sdei_call_id call);
SDEI_WARN_UNUSED
int sdei_call_by_name(const char *name);                      /* or -1 */
uint64_t sdei_call_fid(const sdei_vm *vm, sdei_call_id call); /* honours quirks */
/* Name of a result code ("SUCCESS", "DENIED", ...), NULL if not an SDEI code. */
const char *sdei_result_name(int64_t result);
/* Result code by name, 0 on success; -1 if unknown. */
SDEI_WARN_UNUSED
int sdei_result_by_name(const char *name, int64_t *out);

/* ---------------------------------------------------------------------------
 * Delivery and triggers.
 * ------------------------------------------------------------------------- */
typedef struct sdei_delivery {
    uint8_t delivered; /* 1 if a handler was entered */
    uint8_t priority;  /* of the delivered event */
    uint8_t preempted; /* a critical event preempted a running normal handler */
    uint64_t num;      /* the delivered event */
} sdei_delivery;

/* What vCPU `vcpu` does on entry: enters the handler of the highest eligible
 * pending event (critical first; critical preempts a running normal handler;
 * nothing preempts critical; nothing to a masked vCPU). At most one event per
 * call. out may be NULL. */
sdei_err sdei_vcpu_deliver(sdei_vm *vm, uint32_t vcpu, sdei_delivery *out);
/* 1 if sdei_vcpu_deliver would enter a handler now. */
int sdei_vcpu_has_deliverable(const sdei_vm *vm, uint32_t vcpu);

typedef enum sdei_trigger_result {
    SDEI_TRIGGER_PENDING = 0, /* latched (possibly merged with an earlier trigger) */
    SDEI_TRIGGER_DROPPED = 1  /* the event is not registered where it fired */
} sdei_trigger_result;

/* An event raised by the platform. Private events fire on `vcpu`; shared
 * events are routed by their mode and affinity (vcpu is ignored), except
 * under quirk shared_per_vcpu (v5: no routing, they fire on `vcpu`). */
SDEI_WARN_UNUSED
sdei_err sdei_event_trigger(sdei_vm *vm, uint64_t num, uint32_t vcpu, sdei_trigger_result *out);
/* A bound interrupt fires: PPI on `vcpu`, SPI routed. SDEI_E_INTID if the
 * interrupt is not bound to an SDEI event. */
SDEI_WARN_UNUSED
sdei_err sdei_interrupt_trigger(sdei_vm *vm, uint32_t intid, uint32_t vcpu,
                                sdei_trigger_result *out);

/* ---------------------------------------------------------------------------
 * Power: PSCI transitions of a vCPU or of the system, and the VMM's vCPU
 * reset (sdei-rules §9; docs/model.md "Power"). The model is not a PSCI
 * implementation: the caller says which transition happens, the model
 * answers for the SDEI state. Registers are the caller's, except that a PE
 * that is reset (CPU_ON, SYSTEM_RESET, sdei_vcpu_reset) gets the
 * architectural reset register file (all 0, PSTATE = EL1h with DAIF set), as
 * KVM's vCPU reset does; the caller then sets pc (the CPU_ON entry point).
 * ------------------------------------------------------------------------- */
typedef enum sdei_power_state {
    SDEI_PE_ON = 0,        /* running (every vCPU starts on) */
    SDEI_PE_OFF = 1,       /* after CPU_OFF or SYSTEM_OFF; secondaries after SYSTEM_RESET */
    SDEI_PE_SUSPENDED = 2, /* in a power-down CPU_SUSPEND */
    SDEI_PE_FROZEN = 3,    /* after CPU_FREEZE: only a reset brings it back */
    SDEI_PE_STATE_COUNT
} sdei_power_state;

typedef enum sdei_power_action {
    SDEI_POWER_CPU_OFF = 0,      /* the vCPU calls PSCI CPU_OFF */
    SDEI_POWER_CPU_ON = 1,       /* another vCPU's CPU_ON starts this (off) vCPU */
    SDEI_POWER_SUSPEND = 2,      /* the vCPU calls CPU_SUSPEND for a power-down state */
    SDEI_POWER_RESUME = 3,       /* the suspended vCPU wakes up */
    SDEI_POWER_CPU_FREEZE = 4,   /* the vCPU calls CPU_FREEZE */
    SDEI_POWER_QUERY = 5,        /* PSCI_VERSION, AFFINITY_INFO or PSCI_FEATURES */
    SDEI_POWER_SYSTEM_OFF = 6,   /* the vCPU calls SYSTEM_OFF: every vCPU goes off */
    SDEI_POWER_SYSTEM_RESET = 7, /* the vCPU calls SYSTEM_RESET: vCPU 0 boots, others off */
    SDEI_POWER_ACTION_COUNT
} sdei_power_action;

typedef enum sdei_power_result {
    SDEI_POWER_DONE = 0,          /* the transition happened */
    SDEI_POWER_ALREADY_ON = 1,    /* CPU_ON of a vCPU that is not off (PSCI ALREADY_ON) */
    SDEI_POWER_NOT_RUNNING = 2,   /* a call by a vCPU that is not on: it cannot call */
    SDEI_POWER_NOT_SUSPENDED = 3, /* RESUME of a vCPU that is not suspended */
    SDEI_POWER_RESULT_COUNT
} sdei_power_result;
/* Every result but DONE changes nothing. */

typedef struct sdei_power_info {
    uint8_t result;    /* sdei_power_result */
    uint8_t completed; /* handlers the call completed first on the calling vCPU (0..2) */
} sdei_power_info;

/* One power transition of `vcpu` (for SYSTEM_*: the calling vCPU). out may be
 * NULL. Returns SDEI_E_VCPU / SDEI_E_NULL / SDEI_E_POWER_ACTION, else SDEI_OK
 * with the result in out. */
SDEI_WARN_UNUSED
sdei_err sdei_vcpu_power(sdei_vm *vm, uint32_t vcpu, sdei_power_action action,
                         sdei_power_info *out);
/* The VMM resets the vCPU (KVM_ARM_VCPU_INIT on a live VM, or the kernel's
 * PSCI CPU_ON handling): a PE reset; the vCPU is on afterwards. */
SDEI_WARN_UNUSED
sdei_err sdei_vcpu_reset(sdei_vm *vm, uint32_t vcpu);
/* The vCPU's power state; SDEI_PE_STATE_COUNT for a bad index. */
sdei_power_state sdei_vcpu_power_state(const sdei_vm *vm, uint32_t vcpu);

const char *sdei_power_action_name(sdei_power_action action);     /* "cpu_off", ... or "?" */
SDEI_WARN_UNUSED int sdei_power_action_by_name(const char *name); /* or -1 */
const char *sdei_power_result_name(sdei_power_result result);     /* "done", ... or "?" */
SDEI_WARN_UNUSED int sdei_power_result_by_name(const char *name); /* or -1 */
const char *sdei_power_state_name(sdei_power_state state);        /* "on", ... or "?" */
SDEI_WARN_UNUSED int sdei_power_state_by_name(const char *name);  /* or -1 */

/* ---------------------------------------------------------------------------
 * Events the VMM exposes (the SET_EXPOSED_EVENT command does the same with
 * the kernel's errno rules; this is the plain path for tools and tests).
 * ------------------------------------------------------------------------- */
typedef struct sdei_event_desc {
    uint64_t num;
    uint8_t type;     /* SDEI_EVENT_TYPE_* */
    uint8_t priority; /* SDEI_EVENT_PRIORITY_* */
    uint8_t signaled; /* the kernel's `signaled` byte */
} sdei_event_desc;

/* Returns SDEI_OK, SDEI_E_EVENT (bad number/type/priority, or the number is
 * exposed with other attributes) or SDEI_E_RANGE (table full). */
SDEI_WARN_UNUSED
sdei_err sdei_vm_expose_event(sdei_vm *vm, const sdei_event_desc *desc);

/* ---------------------------------------------------------------------------
 * Read-only views, for the simulator's invariants, traces and tests.
 * ------------------------------------------------------------------------- */
typedef enum sdei_event_state {
    SDEI_STATE_UNREGISTERED = 0,       /* U  : 000 */
    SDEI_STATE_REGISTERED = 1,         /* D  : 001 registered, disabled */
    SDEI_STATE_ENABLED = 2,            /* E  : 011 registered, enabled */
    SDEI_STATE_RUNNING_ENABLED = 3,    /* RE : 111 */
    SDEI_STATE_RUNNING_DISABLED = 4,   /* RD : 101 */
    SDEI_STATE_UNREGISTER_PENDING = 5, /* UP : 100 */
    SDEI_STATE_COUNT
} sdei_event_state;

const char *sdei_state_name(sdei_event_state state);      /* "U", "D", ... */
const char *sdei_state_spec_name(sdei_event_state state); /* "handler-unregistered" ... */
uint64_t sdei_state_status_bits(sdei_event_state state);  /* STATUS value */

/* Number of exposed events (including bind slots) and their numbers in order. */
uint32_t sdei_vm_event_count(const sdei_vm *vm);
SDEI_WARN_UNUSED
sdei_err sdei_vm_event_at(const sdei_vm *vm, uint32_t index, sdei_event_desc *out);

/* State of event num as vCPU `vcpu` sees it (for shared events any vCPU). */
SDEI_WARN_UNUSED
sdei_err sdei_event_state_of(const sdei_vm *vm, uint64_t num, uint32_t vcpu, sdei_event_state *out);
/* Outstanding pending triggers of num queued on vcpu (not counting a run). */
SDEI_WARN_UNUSED
sdei_err sdei_event_pending_count(const sdei_vm *vm, uint64_t num, uint32_t vcpu, uint32_t *out);

typedef struct sdei_vcpu_view {
    uint8_t masked;
    uint8_t normal_running;
    uint8_t critical_running;
    uint64_t normal_num; /* SDEI_INVALID_EVENT when none */
    uint64_t critical_num;
    uint64_t normal_saved[SDEI_SAVED_GPREGS + 2]; /* x0..x17, pc, pstate */
    uint64_t critical_saved[SDEI_SAVED_GPREGS + 2];
    uint32_t queued; /* vCPU event instances (pending or running) */
    uint8_t power;   /* sdei_power_state */
} sdei_vcpu_view;

SDEI_WARN_UNUSED
sdei_err sdei_vcpu_view_of(const sdei_vm *vm, uint32_t vcpu, sdei_vcpu_view *out);

/* The view without the saved contexts: every field of sdei_vcpu_view but
 * normal_saved and critical_saved, which are not written (nor the padding).
 * The running slots, mask and power a checker reads after every action,
 * without copying the 320 bytes of contexts. */
SDEI_WARN_UNUSED
sdei_err sdei_vcpu_view_brief(const sdei_vm *vm, uint32_t vcpu, sdei_vcpu_view *out);

/* One exposed event as one vCPU sees it (sdei_vcpu_events). */
typedef struct sdei_event_obs {
    uint64_t num;
    sdei_event_state state; /* as sdei_event_state_of */
    uint32_t pending;       /* as sdei_event_pending_count */
} sdei_event_obs;

/* Every exposed event on vCPU vcpu in sdei_vm_event_at order (at most cap;
 * the count written in *n): a sweep of the VM in one call per vCPU, without
 * an event lookup per (event, vCPU). */
SDEI_WARN_UNUSED
sdei_err sdei_vcpu_events(const sdei_vm *vm, uint32_t vcpu, sdei_event_obs *out, uint32_t cap,
                          uint32_t *n);

/* Internal consistency of the whole VM; 0 if sound, else a static message. */
SDEI_WARN_UNUSED
const char *sdei_vm_check(const sdei_vm *vm);

/* ---------------------------------------------------------------------------
 * The state table: state x action -> next state, result, rule. Data shared by
 * the code, docs (sdei-sim table) and the loop test.
 * ------------------------------------------------------------------------- */
typedef enum sdei_action {
    SDEI_ACT_REGISTER = 0,
    SDEI_ACT_ENABLE,
    SDEI_ACT_DISABLE,
    SDEI_ACT_UNREGISTER,
    SDEI_ACT_ROUTING_SET,
    SDEI_ACT_RELEASE,
    SDEI_ACT_CONTEXT,
    SDEI_ACT_COMPLETE,
    SDEI_ACT_COMPLETE_AND_RESUME,
    SDEI_ACT_DISPATCH,
    SDEI_ACT_TRIGGER,
    SDEI_ACT_COUNT
} sdei_action;

typedef enum sdei_cell_kind {
    SDEI_CELL_TRANSITION = 0, /* allowed: state -> next, call result `result` */
    SDEI_CELL_FORBIDDEN = 1   /* not allowed: `result` returned, state unchanged */
} sdei_cell_kind;

typedef struct sdei_table_cell {
    uint8_t kind;     /* sdei_cell_kind */
    uint8_t next;     /* sdei_event_state */
    int8_t result;    /* SDEI result code of the call (TRIGGER: sdei_trigger_result) */
    const char *rule; /* "sdei-rules §5.2: ..." */
} sdei_table_cell;

extern const sdei_table_cell sdei_state_table[SDEI_STATE_COUNT][SDEI_ACT_COUNT];
const char *sdei_action_name(sdei_action action);

/* ---------------------------------------------------------------------------
 * The kernel's VMM commands (KVM_ARM_SDEI_COMMAND) and migration blobs are in
 * sdei/sdei_blob.h and sdei/sdei_vmm.h.
 * ------------------------------------------------------------------------- */

#ifdef __cplusplus
}
#endif

#endif /* SDEI_MODEL_H */
