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
sdei_vm *t_vm(sdei_profile profile, uint32_t nr_vcpus);
sdei_vm *t_vm_bare(sdei_profile profile, uint32_t nr_vcpus); /* nothing exposed */

/* Issue one hypercall on vcpu with x0 = fid and x1..x5; returns x0 after. */
int64_t t_call(sdei_vm *vm, uint32_t vcpu, uint64_t fid, uint64_t a1, uint64_t a2,
               uint64_t a3, uint64_t a4, uint64_t a5);
/* Same, by call id (uses the VM's profile function ID). */
int64_t t_callid(sdei_vm *vm, uint32_t vcpu, sdei_call_id id, uint64_t a1, uint64_t a2,
                 uint64_t a3, uint64_t a4, uint64_t a5);

/* REGISTER + ENABLE of num on vcpu with entry ep and argument arg (RM_ANY). */
void t_register_enable(sdei_vm *vm, uint32_t vcpu, uint64_t num, uint64_t ep, uint64_t arg);

/* Runs a suite with CK_NOFORK-friendly settings; returns failures. */
int t_run_suite(Suite *s);

#endif
