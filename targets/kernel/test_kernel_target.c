/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_kernel_target.c - the kernel target's harness catches what a kernel
 * would (DESIGN §7): lock errors, hangs, failed allocations, bad user
 * pointers, and (ASan builds, v5) the use-after-free of kvm-v5 §10 item 4.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "impl_kernel.h"
#include "kglue.h"
#include "kstub/kstub.h"
#include "kstub_run.h"

static const sim_impl_ops *K = &sim_impl_kernel;

static sim_impl *new_vm(uint32_t n)
{
    sdei_config cfg = sdei_config_default(n);
    sim_impl *k = NULL;
    char err[200];
    ck_assert_int_eq(K->create(&cfg, &k, err, sizeof(err)), 0);
    return k;
}

static int hvc(sim_impl *k, uint32_t v, sdei_call_id call, uint64_t a1, uint64_t a2, uint64_t a3,
               uint64_t a4, uint64_t a5, uint64_t *x0)
{
    sdei_regs *r = K->regs(k, v);
    sdei_call_info info;
    r->x[0] = K->call_fid(k, call);
    r->x[1] = a1;
    r->x[2] = a2;
    r->x[3] = a3;
    r->x[4] = a4;
    r->x[5] = a5;
    int rc = K->hypercall(k, v, &info);
    *x0 = r->x[0];
    return rc;
}

START_TEST(test_version_is_the_trees)
{
    sim_impl *k = new_vm(1);
    uint64_t x0;
    ck_assert_int_eq(hvc(k, 0, SDEI_CALL_VERSION, 0, 0, 0, 0, 0, &x0), SDEI_OK);
    ck_assert_uint_eq(x0 >> 32, 0x10001u); /* SDEI 1.1, every version */
    K->destroy(k);
}
END_TEST

START_TEST(test_power_and_reset_touch_no_sdei_state)
{
    /* Every version: no PSCI path and no KVM_ARM_VCPU_INIT calls sdei.c
     * (PROVENANCE.md), so the mask survives CPU_OFF/CPU_ON and a reset; the
     * register file is reset; CPU_FREEZE does not exist in KVM's PSCI. */
    sim_impl *k = new_vm(2);
    uint64_t x0;
    sdei_power_info info;
    sdei_vcpu_view v;
    ck_assert_int_eq(hvc(k, 1, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0, &x0), SDEI_OK);
    ck_assert_int_eq(K->power(k, 1, SDEI_POWER_CPU_OFF, &info), SDEI_OK);
    ck_assert_uint_eq(info.result, SDEI_POWER_DONE);
    ck_assert_int_eq(hvc(k, 1, SDEI_CALL_VERSION, 0, 0, 0, 0, 0, &x0), SDEI_E_VCPU_OFF);
    K->regs(k, 1)->x[7] = 7;
    ck_assert_int_eq(K->power(k, 1, SDEI_POWER_CPU_ON, &info), SDEI_OK);
    ck_assert_uint_eq(info.result, SDEI_POWER_DONE);
    ck_assert_uint_eq(K->regs(k, 1)->x[7], 0);
    ck_assert_uint_eq(K->regs(k, 1)->pstate, SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF);
    ck_assert_int_eq(K->vcpu_reset(k, 1), SDEI_OK);
    ck_assert_int_eq(K->vcpu_view(k, 1, &v), SDEI_OK);
    ck_assert_uint_eq(v.masked, 0);
    ck_assert_uint_eq(v.power, SDEI_PE_ON);
    ck_assert_int_eq(K->power(k, 0, SDEI_POWER_CPU_ON, &info), SDEI_OK);
    ck_assert_uint_eq(info.result, SDEI_POWER_ALREADY_ON);
    ck_assert_int_eq(K->power(k, 0, SDEI_POWER_CPU_FREEZE, &info), SIM_IMPL_UNAVAILABLE);
    ck_assert_int_eq(K->power(k, 0, SDEI_POWER_SYSTEM_RESET, &info), SDEI_OK);
    ck_assert_int_eq(K->vcpu_view(k, 1, &v), SDEI_OK);
    ck_assert_uint_eq(v.power, SDEI_PE_OFF);
    ck_assert_uint_eq(v.masked, 0);
    K->destroy(k);
}
END_TEST

/* A clean harness (no findings) and one stand-in spinlock. */
static void harness_with_lock(kstub_lock *l)
{
    kstub_init();
    kstub_findings_clear();
    kstub_lock_init(l, "&test->lock");
}

START_TEST(test_lock_taken_twice_is_a_fatal_finding)
{
    kstub_lock l;
    int rc;
    const kstub_finding *f;
    harness_with_lock(&l);
    KSTUB_CALL(rc, "test", (kstub_lock_take(&l), kstub_lock_take(&l)));
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(kstub_findings(&f), 1);
    ck_assert_str_eq(f[0].kind, "lock");
    ck_assert_ptr_nonnull(strstr(f[0].text, "taken twice"));
    kstub_findings_clear();
}
END_TEST

START_TEST(test_returning_with_a_lock_held_is_a_finding)
{
    kstub_lock l;
    int rc;
    const kstub_finding *f;
    harness_with_lock(&l);
    KSTUB_CALL(rc, "test", kstub_lock_take(&l));
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(kstub_findings(&f), 1);
    ck_assert_ptr_nonnull(strstr(f[0].text, "returned with &test->lock held"));
    KSTUB_CALL(rc, "test", kstub_lock_drop(&l)); /* not held any more */
    ck_assert_int_eq(rc, -1);
    kstub_findings_clear();
}
END_TEST

static volatile int spin_forever = 1;

START_TEST(test_a_call_that_never_returns_is_a_hang)
{
    int rc;
    const kstub_finding *f;
    kstub_init();
    kstub_findings_clear();
    KSTUB_CALL(rc, "test", while (spin_forever){});
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(kstub_findings(&f), 1);
    ck_assert_str_eq(f[0].kind, "hang");
    kstub_findings_clear();
}
END_TEST

START_TEST(test_a_user_copy_outside_the_buffer_fails)
{
    uint8_t buf[8];
    uint8_t dst[16];
    kstub_user_clear();
    kstub_user_add(buf, sizeof(buf));
    ck_assert_uint_eq(kstub_copy_from_user(dst, buf, 8), 0);
    ck_assert_uint_eq(kstub_copy_from_user(dst, buf, 9), 9);
    ck_assert_uint_eq(kstub_copy_to_user(buf + 4, dst, 4), 0);
    ck_assert_uint_eq(kstub_copy_to_user(NULL, dst, 4), 4);
    kstub_user_clear();
}
END_TEST

START_TEST(test_the_nth_allocation_fails_on_demand)
{
    kstub_fail_alloc(2);
    void *a = kstub_zalloc(8);
    void *b = kstub_zalloc(8);
    void *c = kstub_zalloc(8);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(c);
    kstub_free(a);
    kstub_free(c);
    kstub_fail_alloc(0);
}
END_TEST

static int is_v5(void)
{
    return strcmp(kg_version, "v5") == 0;
}

/* v5: the VMM exposes event 0 (private, normal); the guest registers and
 * enables it and unmasks. */
static sim_impl *v5_ready(void)
{
    sim_impl *k = new_vm(1);
    sdei_event_desc d = {0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 1};
    uint64_t x0;
    ck_assert_int_eq(K->expose(k, &d), SDEI_OK);
    ck_assert_int_eq(hvc(k, 0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0x2000, 0, 0, &x0), 0);
    ck_assert_uint_eq(x0, 0);
    ck_assert_int_eq(hvc(k, 0, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0, 0, &x0), 0);
    ck_assert_int_eq(hvc(k, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0, &x0), 0);
    return k;
}

START_TEST(test_v5_register_without_memory_is_out_of_resource)
{
    if (!is_v5()) {
        return;
    }
    sim_impl *k = new_vm(1);
    sdei_event_desc d = {0x400000, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL, 0};
    uint64_t x0;
    ck_assert_int_eq(K->expose(k, &d), SDEI_OK);
    kstub_fail_alloc(1);
    ck_assert_int_eq(hvc(k, 0, SDEI_CALL_EVENT_REGISTER, 0x400000, 0x1000, 0, 0, 0, &x0), 0);
    ck_assert_uint_eq(x0, (uint64_t)(int64_t)SDEI_OUT_OF_RESOURCE);
    K->destroy(k);
}
END_TEST

START_TEST(test_v5_get_into_no_buffer_is_efault)
{
    if (!is_v5()) {
        return;
    }
    sim_impl *k = v5_ready();
    sdei_vmm_cmd_block b = {SDEI_CMD_GET_EXPOSED_EVENT, 1, 0, NULL, 0};
    int32_t ret = 0;
    ck_assert_int_eq(K->vmm(k, SDEI_VMM_VM, &b, &ret), SDEI_OK);
    ck_assert_int_eq(ret, -SDEI_EFAULT);
    K->destroy(k);
}
END_TEST

/* kvm-v5 §10 item 4: COMPLETE reads the instance it has just freed. */
START_TEST(test_v5_complete_reads_the_freed_instance)
{
#ifdef __SANITIZE_ADDRESS__
    if (!is_v5()) {
        return;
    }
    sim_impl *k = v5_ready();
    sdei_delivery d;
    uint64_t x0;
    sim_kernel_findings_policy(1, NULL);
    ck_assert_int_eq(hvc(k, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0, 0, &x0), 0);
    ck_assert_int_eq(K->deliver(k, 0, &d), SDEI_OK);
    ck_assert_uint_eq(d.delivered, 1);
    ck_assert_int_eq(hvc(k, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0, &x0), SIM_IMPL_FINDING);
    ck_assert_ptr_nonnull(strstr(sim_kernel_last_finding(), "heap-use-after-free"));
    ck_assert_ptr_nonnull(strstr(sim_kernel_last_finding(), "hypercall_complete"));
    K->destroy(k);
#endif
}
END_TEST

Suite *kernel_suite(void);
Suite *kernel_suite(void)
{
    Suite *s = suite_create("kernel_target");
    TCase *tc = tcase_create("harness");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_version_is_the_trees);
    tcase_add_test(tc, test_power_and_reset_touch_no_sdei_state);
    tcase_add_test(tc, test_lock_taken_twice_is_a_fatal_finding);
    tcase_add_test(tc, test_returning_with_a_lock_held_is_a_finding);
    tcase_add_test(tc, test_a_call_that_never_returns_is_a_hang);
    tcase_add_test(tc, test_a_user_copy_outside_the_buffer_fails);
    tcase_add_test(tc, test_the_nth_allocation_fails_on_demand);
    tcase_add_test(tc, test_v5_register_without_memory_is_out_of_resource);
    tcase_add_test(tc, test_v5_get_into_no_buffer_is_efault);
    tcase_add_test(tc, test_v5_complete_reads_the_freed_instance);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(kernel_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
