/* testlib.h - small helpers shared by the Check suites. */
#ifndef SDEI_TESTLIB_H
#define SDEI_TESTLIB_H

#include <check.h>
#include <stdint.h>

#include "sdei/sdei_model.h"

/* A VM with the given profile and vCPU count; events 0 (private, normal,
 * signalable), P = 0x400001 (private normal), C = 0x400002 (private critical),
 * S = 0x400003 (shared normal), SC = 0x400004 (shared critical) exposed. */
#define T_EV0 UINT64_C(0)
#define T_EVP UINT64_C(0x400001)
#define T_EVC UINT64_C(0x400002)
#define T_EVS UINT64_C(0x400003)
#define T_EVSC UINT64_C(0x400004)
/* A well-shaped event number (bits 23:22 = 0b01) that no test VM exposes. */
#define T_EV_UNEXPOSED UINT64_C(0x400077)
/* Entry points and arguments the helpers register with. */
#define T_EP UINT64_C(0x10000)
#define T_ARG UINT64_C(0xA0000)
sdei_vm *t_vm(sdei_profile profile, uint32_t nr_vcpus);
sdei_vm *t_vm_bare(sdei_profile profile, uint32_t nr_vcpus); /* nothing exposed */
/* A VM from an explicit config, default events exposed. */
sdei_vm *t_vm_cfg(const sdei_config *cfg);
/* A spec-profile config with exactly `quirks` switched on, default events exposed. */
sdei_vm *t_vm_quirks(uint64_t quirks, uint32_t nr_vcpus);

/* Issue one hypercall on vcpu with x0 = fid and x1..x5; returns x0 after. */
int64_t t_call(sdei_vm *vm, uint32_t vcpu, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
               uint64_t a4, uint64_t a5);
/* Same, by call id (uses the VM's profile function ID). */
int64_t t_callid(sdei_vm *vm, uint32_t vcpu, sdei_call_id id, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4, uint64_t a5);
/* Same, and returns the call outcome in *info (never NULL). */
int64_t t_callinfo(sdei_vm *vm, uint32_t vcpu, sdei_call_id id, uint64_t a1, uint64_t a2,
                   uint64_t a3, uint64_t a4, uint64_t a5, sdei_call_info *info);

/* REGISTER + ENABLE of num on vcpu with entry ep and argument arg (RM_ANY). */
void t_register_enable(sdei_vm *vm, uint32_t vcpu, uint64_t num, uint64_t ep, uint64_t arg);

/* PE_UNMASK on vcpu (asserts SUCCESS). */
void t_unmask(sdei_vm *vm, uint32_t vcpu);
/* The state of num as vcpu sees it (asserts the lookup works). */
sdei_event_state t_state(const sdei_vm *vm, uint64_t num, uint32_t vcpu);
/* STATUS hypercall of num on vcpu. */
int64_t t_status(sdei_vm *vm, uint32_t vcpu, uint64_t num);
/* Platform trigger of num (private: on vcpu); returns the trigger result. */
sdei_trigger_result t_trigger(sdei_vm *vm, uint64_t num, uint32_t vcpu);
/* sdei_vcpu_deliver on vcpu; returns what it did. */
sdei_delivery t_deliver(sdei_vm *vm, uint32_t vcpu);
/* Asserts that delivery on vcpu enters num's handler. */
void t_expect_delivery(sdei_vm *vm, uint32_t vcpu, uint64_t num);
/* Asserts that delivery on vcpu enters nothing. */
void t_expect_no_delivery(sdei_vm *vm, uint32_t vcpu);
/* Pending triggers of num queued on vcpu. */
uint32_t t_pending(const sdei_vm *vm, uint64_t num, uint32_t vcpu);
/* COMPLETE(status) on vcpu; returns the outcome. */
sdei_call_info t_complete(sdei_vm *vm, uint32_t vcpu, uint64_t status);

/* Fills x0..x30 with base + i, sp = base + 0x100, pc = base + 0x200,
 * pstate = pstate; ELR_EL1/SPSR_EL1 = base + 0x300 / 0x400. */
void t_set_context(sdei_vm *vm, uint32_t vcpu, uint64_t base, uint64_t pstate);
/* The register file of vcpu (copy). */
sdei_regs t_regs(const sdei_vm *vm, uint32_t vcpu);

/* INTERRUPT_BIND of intid on vcpu; asserts it returned an event number. */
uint64_t t_bind(sdei_vm *vm, uint32_t vcpu, uint64_t intid);

/* Context the handler interrupts in t_make_state (CONTEXT reads it back). */
#define T_CTX_BASE UINT64_C(0xC0DE0000)
#define T_CTX_PSTATE UINT64_C(0x60000000) /* Z and C set, EL0t */
/* Drives num, as vcpu sees it, from U to `state` with real calls and
 * deliveries: D = REGISTER, E = + ENABLE, RE = + trigger + delivery on vcpu,
 * RD = RE + DISABLE, UP = RE + UNREGISTER. vcpu must be unmasked and, for a
 * shared event, the vCPU its trigger routes to. */
void t_make_state(sdei_vm *vm, uint32_t vcpu, uint64_t num, sdei_event_state state);

/* Asserts the model's internal invariants hold. */
void t_check_vm(const sdei_vm *vm);

/* Index of the first byte of buf[0..len) that is not `val`, or len. Use it
 * instead of an assertion per byte: Check records every assertion it runs. */
size_t t_first_byte_not(const uint8_t *buf, size_t len, uint8_t val);

/* Runs a suite without forking (ASan sees every test in one process; Check
 * ignores timeouts then); the exit status for main(). */
int t_run_suite(Suite *s);

/* Runs tests[0..n) as one suite and test case named `name`: the test list is
 * data, so a test file ends in one table instead of a suite builder. */
int t_run_tests(const char *name, const TTest *const *tests, size_t n);
#define T_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
