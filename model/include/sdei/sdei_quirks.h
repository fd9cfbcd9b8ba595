/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdei_quirks.h - the documented deviations a profile may switch on.
 *
 * One quirk = one flag = one observable difference from the `spec` profile,
 * with the spec rule it breaks and the source that shows it (DESIGN.md §3.1,
 * shared/spec/kvm-v5.md §10). The list is data: code, docs and tests iterate
 * SDEI_QUIRK_LIST. `implemented` says whether the model honours the flag yet;
 * asking for an unimplemented quirk at init is an error (SDEI_E_CFG_QUIRKS),
 * never a silent no-op.
 */
#ifndef SDEI_QUIRKS_H
#define SDEI_QUIRKS_H

#include <stdint.h>

#include "sdei/sdei_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(id, name, implemented, rule broken, source) */
#define SDEI_QUIRK_LIST(X)                                                                         \
    X(FEATURES_FID_0X50, "features_fid_0x50", 1,                                                   \
      "FEATURES is function 0xC4000030 (sdei-rules §2)", "kvm-v5 §1.6, §10 item 11")               \
    X(VERSION_VENDOR_KVM, "version_vendor_kvm", 1,                                                 \
      "VERSION reports 1.1 with vendor 0 (DESIGN §3.1)", "kvm-v5 §1.4 (P03)")                      \
    X(NO_BIND, "no_bind", 1,                                                                       \
      "bind slots per config; FEATURES(0) reports them (sdei-rules §6.10, §6.13)",                 \
      "kvm-v5 §4.1, §10 item 31")                                                                  \
    X(COUNTED_SIGNAL, "counted_signal", 1,                                                         \
      "SIGNAL/triggers are edge-triggered: one pending latch (sdei-rules §6.12)",                  \
      "kvm-v5 §5.1, §10 item 15")                                                                  \
    X(ROUTE_MODE_FROM_AFFINITY, "route_mode_from_affinity", 1,                                     \
      "REGISTER stores the routing mode from x4 (sdei-rules §6.2)",                                \
      "kvm-v5 §4.2, §10 item 1; route_mode.rec")                                                   \
    X(RESET_FILTER_INVERTED, "reset_filter_inverted", 1,                                           \
      "PRIVATE_RESET acts on private events of the caller, SHARED_RESET on shared "                \
      "(sdei-rules §6.14)",                                                                        \
      "kvm-v5 §4.2, §10 item 2; reset.rec")                                                        \
    X(RESET_RETURNS_PENDING, "reset_returns_pending", 1,                                           \
      "a reset that meets a running handler returns DENIED (sdei-rules §6.14)",                    \
      "kvm-v5 §10 item 3")                                                                         \
    X(STATUS_RUNNING_VM_WIDE, "status_running_vm_wide", 1,                                         \
      "STATUS bit 2 = running on the caller (private) or anywhere (shared) "                       \
      "(sdei-rules §6.5)",                                                                         \
      "kvm-v5 §4.2, §10 item 8; status_running.rec")                                               \
    X(STALE_UNREGISTER_PENDING, "stale_unregister_pending", 1,                                     \
      "the final COMPLETE takes unregister-pending to unregistered (sdei-rules §5.2)",             \
      "kvm-v5 §5.3 step 5, §10 item 5; unregister_pending.rec")                                    \
    X(PENDING_KEEPS_REGISTERED, "pending_keeps_registered", 1,                                     \
      "in unregister-pending STATUS is 4: registered and enabled are clear "                       \
      "(sdei-rules §5.1)",                                                                         \
      "kvm-v5 §4.3, §10 item 24")                                                                  \
    X(RESUME_IGNORED, "resume_ignored", 1,                                                         \
      "COMPLETE_AND_RESUME resumes at x1 with ELR/SPSR_EL1 = interrupted PC/PSTATE "               \
      "(sdei-rules §8)",                                                                           \
      "kvm-v5 §5.3 step 3, §10 item 6")                                                            \
    X(SPSR_CLOBBER, "spsr_clobber", 1, "delivery leaves SPSR_EL1 untouched (sdei-rules §7)",       \
      "kvm-v5 §5.2 step 8, §10 item 7")                                                            \
    X(SIGNAL_TARGET_IGNORED, "signal_target_ignored", 1,                                           \
      "SIGNAL raises event 0 on the PE named by x2 (sdei-rules §6.12)",                            \
      "kvm-v5 §4.2, §10 item 22")                                                                  \
    X(ROUTING_PRIVATE_DENIED, "routing_private_denied", 1,                                         \
      "ROUTING_SET of a private event is INVALID_PARAMETERS (sdei-rules §6.6)",                    \
      "kvm-v5 §4.2, §10 item 27")                                                                  \
    X(PE_MASK_RETURNS_ZERO, "pe_mask_returns_zero", 1,                                             \
      "PE_MASK returns 1 if the PE was unmasked (sdei-rules §6.8)", "kvm-v5 §4.2, §10 item 23")    \
    X(SIGNALED_POLARITY, "signaled_polarity", 1,                                                   \
      "GET_INFO(EV_SIGNALED) is 0 for the signalable event 0 (DESIGN §3.2)",                       \
      "kvm-v5 §4.2 (returns the exposed `signaled` byte)")                                         \
    X(INJECT_MASKED_EPERM, "inject_masked_eperm", 1,                                               \
      "a trigger on a masked PE or disabled event stays pending (sdei-rules §7.4)",                \
      "kvm-v5 §5.1, §5.2 step 2, §10 item 9")                                                      \
    X(PSTATE_KEEP_ALL, "pstate_keep_all", 1,                                                       \
      "handler PSTATE follows the exception-entry rules (DESIGN §3.2)",                            \
      "kvm-v5 §5.2 step 7, §10 item 30")                                                           \
    X(ZERO_X4_X17, "zero_x4_x17", 1,                                                               \
      "x4-x17 keep the interrupted values at handler entry (DESIGN §3.2)",                         \
      "kvm-v5 §5.2 step 6, §10 item 30")                                                           \
    X(COMPLETE_NO_RESULT, "complete_no_result", 1,                                                 \
      "a failed COMPLETE returns DENIED in x0 (sdei-rules §6.16)", "kvm-v5 §4.1, §10 item 21")     \
    X(CONTEXT_DENIED_FIRST, "context_denied_first", 1,                                             \
      "CONTEXT checks the register number before the running handler (sdei-rules §6.15)",          \
      "kvm-v5 §4.2, §10 item 28")                                                                  \
    X(NO_ARG_VALIDATION, "no_arg_validation", 1,                                                   \
      "REGISTER rejects entry point 0 and bad RM_PE affinities; GET_INFO(AFF) in RM_ANY "          \
      "is INVALID (sdei-rules §6.2, §6.7)",                                                        \
      "kvm-v5 §4.2, §10 items 27, 29")                                                             \
    X(SHARED_PER_VCPU, "shared_per_vcpu", 1,                                                       \
      "a shared event has one state: it runs on at most one PE at a time (ACS 4.42, "              \
      "sdei-rules §4.3)",                                                                          \
      "kvm-v5 §3.1, §5.2 (one instance per vCPU, delivered without a global check)")               \
    X(EVENT_NUMBER_LOOSE, "event_number_loose", 1,                                                 \
      "event numbers have bit 31 clear and unexposed numbers are INVALID_PARAMETERS "              \
      "(DESIGN §3.2)",                                                                             \
      "kvm-v5 §2, §10 items 16, 25, 26")                                                           \
    X(ABSENT, "sdei_absent", 1, "the hypervisor offers SDEI to its guests (DEN0054C; DESIGN §7)",  \
      "every released KVM: the SMCCC router denies SDEI function IDs (SMCCC_RET_NOT_"              \
      "SUPPORTED, x1-x3 = 0), no KVM_ARM_SDEI_COMMAND (docs/profiles-and-quirks.md)")              \
    X(POWER_KEEPS_SDEI_STATE, "power_keeps_sdei_state", 1,                                         \
      "a PE reset masks the PE and unregisters its private events; CPU_OFF, CPU_FREEZE, "          \
      "SYSTEM_OFF/RESET complete a running handler first; a power-down wake-up is masked "         \
      "(sdei-rules §9)",                                                                           \
      "kvm-v5 PROVENANCE (arm.c calls sdei.c only at VM/vCPU create and destroy; "                 \
      "kvm_sdei_create_vcpu is the only place that masks)")                                        \
    X(VERSION_1_0, "version_1_0", 1, "VERSION reports 1.1 with vendor 0 (DESIGN §3.1)",            \
      "tfa-dispatcher §1.4 (MAJOR_VERSION 1, MINOR_VERSION 0), §5.3 item 15")                      \
    X(FEATURES_RELATIVE_INVALID, "features_relative_invalid", 1,                                   \
      "FEATURES(1) RELATIVE_MODE answers 0, not supported (docs/model.md, DEN0054C)",              \
      "tfa-dispatcher §3.13 (only feature 0 is known)")                                            \
    X(RESUME_PSTATE_FIXED, "resume_pstate_fixed", 1,                                               \
      "COMPLETE_AND_RESUME PSTATE follows the exception-entry rules (DEN0054C §5.2.2, "           \
      "docs/model.md)",                                                                            \
      "tfa-dispatcher §4 (SPSR_64(EL1, SP_ELx, DAIF) = 0x3C5, not create_spsr)")                   \
    X(ARGS_TRUNCATED_32, "args_truncated_32", 1,                                                   \
      "event numbers are 32-bit: bits 63:32 of the argument must be 0 (DESIGN §3.2)",              \
      "tfa-dispatcher §1.1 ((int)x1 event, (unsigned int)x1 CONTEXT/FEATURES/BIND, "              \
      "(int)x2 GET_INFO), §5.3 item 14")                                                           \
    X(EVENT_TABLE_KVM, "event_table_kvm", 1,                                                       \
      "the VMM exposes the events; numbers are 0 or have bits 23:22 = 0b01 (DESIGN §3.2)",         \
      "kvm-sdei-v7 asm/kvm_sdei.h:17-21 (events 0 and 1, private, normal), sdei.c:27-31 "          \
      "(num read as 32 bits, >= 2 INVALID); handlers kept after UNREGISTER (sdei.c:167-168)")      \
    X(VERSION_VENDOR_UID, "version_vendor_uid", 1,                                                 \
      "VERSION reports 1.1 with vendor 0 (DESIGN §3.1)",                                           \
      "kvm-sdei-v6 sdei.c:120-126, v7 sdei.c:16-22, asm/kvm_sdei.h (vendor = KVM's hypervisor "    \
      "UID word 2)")                                                                               \
    X(ROUTING_SET_NOT_SUPPORTED, "routing_set_not_supported", 1,                                   \
      "ROUTING_SET is a mandatory call: a private event is INVALID_PARAMETERS "                    \
      "(sdei-rules §6.6)",                                                                         \
      "kvm-sdei-v6 sdei.c:575-626, v7 sdei.c:318-369 (no case for it: NOT_SUPPORTED)")             \
    X(UNREGISTER_KEEPS_PENDING, "unregister_keeps_pending", 1,                                     \
      "UNREGISTER and PRIVATE_RESET cancel the event's pending trigger (sdei-rules §6.4)",         \
      "kvm-sdei-v7 sdei.c:167-168, 280-283 (the pending bit is never cleared)")                    \
    X(RESET_IGNORES_RUNNING, "reset_ignores_running", 1,                                           \
      "a reset that meets a running handler returns DENIED (sdei-rules §6.14)",                    \
      "kvm-sdei-v7 sdei.c:268-286 (SUCCESS; the running event is left unregister-pending)")        \
    X(SIGNAL_UNCHECKED, "signal_unchecked", 1,                                                     \
      "SIGNAL to a masked PE or of event 0 not enabled is INVALID_PARAMETERS "                     \
      "(sdei-rules §6.12, TF-A b142ede74)",                                                        \
      "kvm-sdei-v7 sdei.c:243-266 (only 'registered' is checked)")                                 \
    X(DELIVER_LOWEST_NUMBER, "deliver_lowest_number", 1,                                           \
      "events of one priority are entered in trigger order (docs/model.md)",                       \
      "kvm-sdei-v7 sdei.c:447-453 (find_next_bit over the pending bitmap)")                        \
    X(DELIVERY_NEEDS_KICK, "delivery_needs_kick", 1,                                               \
      "a pending, enabled event is entered as soon as the PE is unmasked and idle "                \
      "(sdei-rules §7.1)",                                                                         \
      "kvm-sdei-v7 sdei.c:69-71, 236-237, 259-263, 405-407 (KVM_REQ_SDEI only from ENABLE, "       \
      "PE_UNMASK, SIGNAL, injection; COMPLETE makes none, entry consumes it)")                     \
    X(DELIVERY_NEEDS_REQUEST, "delivery_needs_request", 1,                                         \
      "a PE entered with an eligible pending event takes it (sdei-rules §7.1)",                    \
      "kvm-v5 §5.1 (KVM_REQ_SDEI on injection), §5.3 step 6 (COMPLETE with instances "           \
      "queued), §6 SET_VCPU_STATE (only when nothing runs); every guest entry consumes it")        \
    X(NO_SDEI_COMMAND, "no_sdei_command", 1,                                                       \
      "the VMM reads and writes the SDEI state with KVM_ARM_SDEI_COMMAND (kvm-v5 §1.3, §6)",       \
      "kvm-sdei-v6 PROVENANCE (no SDEI uapi header, no ioctl, no migration interface: "            \
      "every command -EINVAL, a migration carries no SDEI state)")                                 \
    X(EVENT_TABLE_V6, "event_table_v6", 1,                                                         \
      "the VMM exposes the events; an event number has bits 63:32 clear and an unexposed "         \
      "one is INVALID_PARAMETERS (DESIGN §3.2)",                                                   \
      "kvm-sdei-v6 sdei.c:16-22 (KVM's table: event 0 only), asm/kvm_sdei.h:95-114 "               \
      "(supported = 0 or bits 23:22 = 01), sdei.c:33-34,132,331,367,408,470 (x1 read as "          \
      "32 bits), sdei.c:199-203, 381-383 (DENIED, STATUS 0)")                                      \
    X(RESUME_AS_IRQ, "resume_as_irq", 1,                                                           \
      "COMPLETE_AND_RESUME resumes at x1 with ELR/SPSR_EL1 = the interrupted PC/PSTATE "           \
      "(sdei-rules §8)",                                                                           \
      "kvm-sdei-v6 sdei.c:275-284 (context restored, kvm_inject_irq, x1 unread); "                 \
      "PROVENANCE (the IRQ is taken at the next entry: VBAR_EL1 + 0x280)")                         \
    X(DELIVER_UNCHECKED, "deliver_unchecked", 1,                                                   \
      "nothing is entered on a masked PE, nor a disabled event (sdei-rules §7.1)",                 \
      "kvm-v5 §5.2 step 2, §10 item 9 (neither mask nor enable re-checked at delivery)")           \
    X(DELIVER_DISABLED, "deliver_disabled", 1,                                                     \
      "a disabled event is not entered (sdei-rules §7.1 condition 2)",                             \
      "kvm-sdei-v6 sdei.c:782-815 (the mask is re-checked, enable is not)")

enum sdei_quirk_id {
#define SDEI_QUIRK_ENUM(id, name, impl, rule, source) SDEI_QUIRK_ID_##id,
    SDEI_QUIRK_LIST(SDEI_QUIRK_ENUM)
#undef SDEI_QUIRK_ENUM
        SDEI_QUIRK_COUNT
};

#define SDEI_QUIRK_BIT(id) (UINT64_C(1) << SDEI_QUIRK_ID_##id)

#define SDEI_QUIRK_MASK_ALL ((UINT64_C(1) << SDEI_QUIRK_COUNT) - 1u)

/* The quirks of Trusted Firmware-A's dispatcher (profile `tfa`). */
#define SDEI_QUIRK_MASK_TFA                                                                        \
    (SDEI_QUIRK_BIT(VERSION_1_0) | SDEI_QUIRK_BIT(FEATURES_RELATIVE_INVALID) |                     \
     SDEI_QUIRK_BIT(RESUME_PSTATE_FIXED) | SDEI_QUIRK_BIT(ARGS_TRUNCATED_32))
/* The quirks of the v7 series that v5 does not have. */
#define SDEI_QUIRK_MASK_V7_ONLY                                                                    \
    (SDEI_QUIRK_BIT(EVENT_TABLE_KVM) | SDEI_QUIRK_BIT(VERSION_VENDOR_UID) |                        \
     SDEI_QUIRK_BIT(ROUTING_SET_NOT_SUPPORTED) | SDEI_QUIRK_BIT(UNREGISTER_KEEPS_PENDING) |        \
     SDEI_QUIRK_BIT(RESET_IGNORES_RUNNING) | SDEI_QUIRK_BIT(SIGNAL_UNCHECKED) |                    \
     SDEI_QUIRK_BIT(DELIVER_LOWEST_NUMBER) | SDEI_QUIRK_BIT(DELIVERY_NEEDS_KICK))
/* What v5 and v6 of the kernel series share. */
#define SDEI_QUIRK_MASK_KVM_COMMON                                                                 \
    (SDEI_QUIRK_BIT(NO_BIND) | SDEI_QUIRK_BIT(COUNTED_SIGNAL) |                                    \
     SDEI_QUIRK_BIT(RESET_RETURNS_PENDING) | SDEI_QUIRK_BIT(PENDING_KEEPS_REGISTERED) |            \
     SDEI_QUIRK_BIT(SIGNAL_TARGET_IGNORED) | SDEI_QUIRK_BIT(PE_MASK_RETURNS_ZERO) |                \
     SDEI_QUIRK_BIT(SIGNALED_POLARITY) | SDEI_QUIRK_BIT(INJECT_MASKED_EPERM) |                     \
     SDEI_QUIRK_BIT(PSTATE_KEEP_ALL) | SDEI_QUIRK_BIT(ZERO_X4_X17) |                               \
     SDEI_QUIRK_BIT(COMPLETE_NO_RESULT) | SDEI_QUIRK_BIT(CONTEXT_DENIED_FIRST) |                   \
     SDEI_QUIRK_BIT(NO_ARG_VALIDATION) | SDEI_QUIRK_BIT(POWER_KEEPS_SDEI_STATE) |                  \
     SDEI_QUIRK_BIT(FEATURES_FID_0X50) | SDEI_QUIRK_BIT(DELIVERY_NEEDS_REQUEST))
/* The quirks of the v5 kernel series (profile `kvm-v5`). */
#define SDEI_QUIRK_MASK_KVM_V5                                                                     \
    (SDEI_QUIRK_MASK_KVM_COMMON | SDEI_QUIRK_BIT(VERSION_VENDOR_KVM) |                             \
     SDEI_QUIRK_BIT(ROUTE_MODE_FROM_AFFINITY) | SDEI_QUIRK_BIT(RESET_FILTER_INVERTED) |            \
     SDEI_QUIRK_BIT(STATUS_RUNNING_VM_WIDE) | SDEI_QUIRK_BIT(STALE_UNREGISTER_PENDING) |           \
     SDEI_QUIRK_BIT(RESUME_IGNORED) | SDEI_QUIRK_BIT(SPSR_CLOBBER) |                               \
     SDEI_QUIRK_BIT(ROUTING_PRIVATE_DENIED) | SDEI_QUIRK_BIT(SHARED_PER_VCPU) |                    \
     SDEI_QUIRK_BIT(EVENT_NUMBER_LOOSE) | SDEI_QUIRK_BIT(DELIVER_UNCHECKED))
/* The quirks of the v6 kernel series (profile `kvm-v6`, docs/profiles-and-quirks.md). */
#define SDEI_QUIRK_MASK_KVM_V6                                                                     \
    (SDEI_QUIRK_MASK_KVM_COMMON | SDEI_QUIRK_BIT(VERSION_VENDOR_UID) |                             \
     SDEI_QUIRK_BIT(ROUTING_SET_NOT_SUPPORTED) | SDEI_QUIRK_BIT(NO_SDEI_COMMAND) |                 \
     SDEI_QUIRK_BIT(EVENT_TABLE_V6) | SDEI_QUIRK_BIT(RESUME_AS_IRQ) |                              \
     SDEI_QUIRK_BIT(DELIVER_DISABLED))
/* The v7 series (profile `kvm-v7`, docs/profiles-and-quirks.md): v5's quirks it
 * kept, and its own. */
#define SDEI_QUIRK_MASK_KVM_V7                                                                     \
    (SDEI_QUIRK_MASK_V7_ONLY | SDEI_QUIRK_BIT(NO_BIND) | SDEI_QUIRK_BIT(SIGNALED_POLARITY) |       \
     SDEI_QUIRK_BIT(PE_MASK_RETURNS_ZERO) | SDEI_QUIRK_BIT(CONTEXT_DENIED_FIRST) |                 \
     SDEI_QUIRK_BIT(COMPLETE_NO_RESULT) | SDEI_QUIRK_BIT(PSTATE_KEEP_ALL) |                        \
     SDEI_QUIRK_BIT(ZERO_X4_X17) | SDEI_QUIRK_BIT(SIGNAL_TARGET_IGNORED) |                         \
     SDEI_QUIRK_BIT(NO_ARG_VALIDATION) | SDEI_QUIRK_BIT(POWER_KEEPS_SDEI_STATE) |                  \
     SDEI_QUIRK_BIT(ARGS_TRUNCATED_32))

/* One row of the quirk table, for docs and differential reports. */
typedef struct sdei_quirk_info {
    const char *name;
    const char *rule;   /* the spec rule the quirk breaks */
    const char *source; /* where the deviation is shown */
    uint8_t implemented;
} sdei_quirk_info;

/* The table, SDEI_QUIRK_COUNT rows in enum order. */
extern const sdei_quirk_info sdei_quirk_table[SDEI_QUIRK_COUNT];

/* Quirk index by name, or -1. */
SDEI_WARN_UNUSED
int sdei_quirk_by_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* SDEI_QUIRKS_H */
