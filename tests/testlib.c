/* testlib.c - helpers shared by the Check suites. */
#include "testlib.h"

#include <stdlib.h>

static void t_expose_defaults(sdei_vm *vm)
{
    const sdei_event_desc evs[] = {
        {T_EV0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 1},
        {T_EVP, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 0},
        {T_EVC, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_CRITICAL, 0},
        {T_EVS, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL, 0},
        {T_EVSC, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_CRITICAL, 0},
    };
    for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
        ck_assert_int_eq(sdei_vm_expose_event(vm, &evs[i]), SDEI_OK);
    }
}

sdei_vm *t_vm_bare(sdei_profile profile, uint32_t nr_vcpus)
{
    sdei_config cfg = sdei_config_default(nr_vcpus);
    cfg.profile = profile;
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    ck_assert_ptr_nonnull(vm);
    return vm;
}

sdei_vm *t_vm(sdei_profile profile, uint32_t nr_vcpus)
{
    sdei_vm *vm = t_vm_bare(profile, nr_vcpus);
    t_expose_defaults(vm);
    return vm;
}

int64_t t_call(sdei_vm *vm, uint32_t vcpu, uint64_t fid, uint64_t a1, uint64_t a2,
               uint64_t a3, uint64_t a4, uint64_t a5)
{
    sdei_regs *r = sdei_vcpu_regs(vm, vcpu);
    ck_assert_ptr_nonnull(r);
    r->x[0] = fid;
    r->x[1] = a1;
    r->x[2] = a2;
    r->x[3] = a3;
    r->x[4] = a4;
    r->x[5] = a5;
    ck_assert_int_eq(sdei_hypercall(vm, vcpu, NULL), SDEI_OK);
    return (int64_t)r->x[0];
}

int64_t t_callid(sdei_vm *vm, uint32_t vcpu, sdei_call_id id, uint64_t a1, uint64_t a2,
                 uint64_t a3, uint64_t a4, uint64_t a5)
{
    return t_call(vm, vcpu, sdei_call_fid(vm, id), a1, a2, a3, a4, a5);
}

void t_register_enable(sdei_vm *vm, uint32_t vcpu, uint64_t num, uint64_t ep, uint64_t arg)
{
    ck_assert_int_eq(t_callid(vm, vcpu, SDEI_CALL_EVENT_REGISTER, num, ep, arg, 0, 0),
                     SDEI_SUCCESS);
    ck_assert_int_eq(t_callid(vm, vcpu, SDEI_CALL_EVENT_ENABLE, num, 0, 0, 0, 0),
                     SDEI_SUCCESS);
}

int t_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
