/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_model_alloc.c - sdei_vm_new's one allocation failing. The sizes are
 * bounded (512 vCPUs x 128 events is a few MB), so no config makes malloc fail;
 * an address-space limit does, as memory pressure would. Its own suite (its own
 * process): nothing freed earlier in the process may leave the heap room enough
 * to serve the block without a new mapping.
 */
#include <sys/resource.h>

#include "testlib.h"

#if defined(__SANITIZE_ADDRESS__)
#define T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_ASAN 1
#endif
#endif

START_TEST(test_vm_new_returns_no_memory_and_no_vm_when_malloc_fails)
{
#ifdef T_ASAN
    /* ASan's allocator aborts on a failed mapping instead of returning NULL. */
    return;
#else
    sdei_config cfg = sdei_config_default(512);
    size_t size = 0;
    ck_assert_int_eq(sdei_vm_mem_size(&cfg, &size), SDEI_OK);
    ck_assert_uint_gt(size, 1u << 20); /* past any free space of a fresh heap */
    struct rlimit old;
    ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
    /* Below what the process already maps: no new mapping (mmap or brk) succeeds. */
    struct rlimit low = {1u << 20, old.rlim_max};
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &low), 0);
    sdei_vm *vm = (sdei_vm *)(uintptr_t)1;
    sdei_err err = sdei_vm_new(&cfg, &vm);
    int restored = setrlimit(RLIMIT_AS, &old);
    ck_assert_int_eq(restored, 0);
    ck_assert_int_eq(err, SDEI_E_NO_MEMORY);
    ck_assert_ptr_null(vm);
    ck_assert_str_eq(sdei_strerror(err), "out of memory");
    /* with the limit lifted, the same config gives a VM */
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    ck_assert_ptr_nonnull(vm);
    ck_assert_uint_eq(sdei_vm_nr_vcpus(vm), 512);
    sdei_vm_free(vm);
#endif
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_vm_new_returns_no_memory_and_no_vm_when_malloc_fails,
    };
    return t_run_tests("model_alloc", tests, T_COUNT(tests));
}
