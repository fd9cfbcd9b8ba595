/* test_fwreg.c - v7's SDEI firmware registers on the model (sdei_fwreg.h):
 * ids and sizes, get/set byte for byte, the kernel's errno answers, the
 * format-2 whole-VM save, the lint (docs/migration.md). */
#include <stdlib.h>
#include <string.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_fwreg.h"
#include "sdei/sdei_vmm.h"
#include "testlib.h"

#define EP UINT64_C(0x1000)
#define ARG UINT64_C(0x2000)

static sdei_vm *v7_vm(uint32_t n)
{
    return t_vm(SDEI_PROFILE_KVM_V7, n);
}

static uint64_t get64(const sdei_vm *vm, uint32_t v, uint64_t id)
{
    uint8_t b[8];
    int32_t kret = 1;
    ck_assert_int_eq(sdei_fwreg_get(vm, v, id, b, sizeof(b), &kret), SDEI_OK);
    ck_assert_int_eq(kret, 0);
    return sdei_get_le64(b);
}

static void set64(sdei_vm *vm, uint32_t v, uint64_t id, uint64_t val)
{
    uint8_t b[8];
    int32_t kret = 1;
    sdei_put_le64(b, val);
    ck_assert_int_eq(sdei_fwreg_set(vm, v, id, b, sizeof(b), &kret), SDEI_OK);
    ck_assert_int_eq(kret, 0);
}

START_TEST(test_ids_and_sizes_are_the_uapi_encoding)
{
    /* uapi/asm/kvm.h: KVM_REG_ARM_FW_REG(8), _128(4), _2048(12) */
    ck_assert_uint_eq(SDEI_FWREG_REGISTERED, UINT64_C(0x6030000000140008));
    ck_assert_uint_eq(SDEI_FWREG_PE_STATE, UINT64_C(0x603000000014000d));
    ck_assert_uint_eq(SDEI_FWREG_HANDLER(0), UINT64_C(0x6040000000140004));
    ck_assert_uint_eq(SDEI_FWREG_HANDLER(3), UINT64_C(0x6040000000140007));
    ck_assert_uint_eq(SDEI_FWREG_CONTEXT, UINT64_C(0x6080000000140000) | 12u);
    ck_assert_uint_eq(sdei_fwreg_size(SDEI_FWREG_HANDLER(1)), 16);
    ck_assert_uint_eq(sdei_fwreg_size(SDEI_FWREG_RUNNING), 8);
    ck_assert_uint_eq(sdei_fwreg_size(SDEI_FWREG_CONTEXT), 256);
    for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
        uint64_t id = sdei_fwreg_id_at(i);
        ck_assert_int_eq(sdei_fwreg_index(id), (int)i);
        ck_assert_uint_eq(sdei_fwreg_by_name(sdei_fwreg_name(id)), id);
    }
    ck_assert_uint_eq(sdei_fwreg_id_at(SDEI_FWREG_COUNT), 0);
    ck_assert_int_eq(sdei_fwreg_index(SDEI_FWREG_ID(3, 12)), -1); /* CONTEXT at 64 bits */
    ck_assert_ptr_null(sdei_fwreg_name(0));
    ck_assert_uint_eq(sdei_fwreg_by_name("x"), 0);
}
END_TEST

START_TEST(test_get_reflects_registration_delivery_and_mask)
{
    sdei_vm *vm = v7_vm(2);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_PE_STATE), 1); /* masked at creation */
    t_unmask(vm, 0);
    t_register_enable(vm, 0, 1, EP, ARG);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_REGISTERED), 2);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_ENABLED), 2);
    ck_assert_uint_eq(get64(vm, 1, SDEI_FWREG_REGISTERED), 0);
    uint8_t h[16];
    int32_t kret = 1;
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_HANDLER(1), h, 16, &kret), SDEI_OK);
    ck_assert_int_eq(kret, 0);
    ck_assert_uint_eq(sdei_get_le64(h), EP);
    ck_assert_uint_eq(sdei_get_le64(h + 8), ARG);
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    r->pc = 0x4000;
    r->x[17] = 0x1717;
    (void)t_trigger(vm, 1, 0);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_PENDING), 2);
    t_expect_delivery(vm, 0, 1);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_PENDING), 0);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_RUNNING), 2);
    /* CONTEXT: 20 words written, bytes 160..255 untouched (v7 copies 20 u64) */
    uint8_t cx[256];
    memset(cx, 0xEE, sizeof(cx));
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_CONTEXT, cx, sizeof(cx), &kret), SDEI_OK);
    ck_assert_int_eq(kret, 0);
    ck_assert_uint_eq(sdei_get_le64(cx), 0x4000);
    ck_assert_uint_eq(sdei_get_le64(cx + 16 + 8 * 17), 0x1717);
    ck_assert_uint_eq(t_first_byte_not(cx + 160, 96, 0xEE), 96);
    /* UNREGISTER while running: REGISTERED clear, RUNNING kept; handler kept */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, 1, 0, 0, 0, 0), SDEI_PENDING);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_REGISTERED), 0);
    ck_assert_uint_eq(get64(vm, 0, SDEI_FWREG_RUNNING), 2);
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_HANDLER(1), h, 16, &kret), SDEI_OK);
    ck_assert_uint_eq(sdei_get_le64(h), EP);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_errno_answers_as_v7_gives_them)
{
    sdei_vm *vm = v7_vm(1);
    uint8_t b[256];
    int32_t kret = 0;
    /* an id v7 does not know, or an SDEI number at another size: -ENOENT */
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_ID(3, 14), b, 8, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_ENOENT);
    ck_assert_int_eq(sdei_fwreg_set(vm, 0, SDEI_FWREG_ID(4, 8), b, 16, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_ENOENT);
    /* a user buffer shorter than the copy: -EFAULT */
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_HANDLER(0), b, 15, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_EFAULT);
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_PENDING, NULL, 8, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_EFAULT);
    ck_assert_int_eq(sdei_fwreg_set(vm, 0, SDEI_FWREG_CONTEXT, b, 159, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_EFAULT);
    /* CONTEXT needs only the 160 bytes v7 reads */
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_CONTEXT, b, 160, &kret), SDEI_OK);
    ck_assert_int_eq(kret, 0);
    /* HANDLER_2/3: read as zero, writes ignored (even without a buffer) */
    ck_assert_int_eq(sdei_fwreg_set(vm, 0, SDEI_FWREG_HANDLER(2), NULL, 0, &kret), SDEI_OK);
    ck_assert_int_eq(kret, 0);
    memset(b, 0xFF, 16);
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_HANDLER(3), b, 16, &kret), SDEI_OK);
    ck_assert_uint_eq(t_first_byte_not(b, 16, 0), 16);
    /* API errors */
    ck_assert_int_eq(sdei_fwreg_get(NULL, 0, SDEI_FWREG_PENDING, b, 8, &kret), SDEI_E_NULL);
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_PENDING, b, 8, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_fwreg_set(vm, 1, SDEI_FWREG_PENDING, b, 8, &kret), SDEI_E_VCPU);
    sdei_vm_free(vm);
    /* any other profile: no such registers */
    vm = t_vm(SDEI_PROFILE_KVM_V5, 1);
    ck_assert_int_eq(sdei_fwreg_get(vm, 0, SDEI_FWREG_PENDING, b, 8, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_ENOENT);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_set_then_get_is_byte_identical_and_masks_to_kvms_events)
{
    sdei_vm *vm = v7_vm(2);
    set64(vm, 1, SDEI_FWREG_REGISTERED, 0xFF);
    ck_assert_uint_eq(get64(vm, 1, SDEI_FWREG_REGISTERED), 3); /* GENMASK(1, 0) */
    set64(vm, 1, SDEI_FWREG_ENABLED, 1);
    set64(vm, 1, SDEI_FWREG_RUNNING, 2);
    set64(vm, 1, SDEI_FWREG_PENDING, 3);
    ck_assert_uint_eq(get64(vm, 1, SDEI_FWREG_RUNNING), 2);
    ck_assert_uint_eq(get64(vm, 1, SDEI_FWREG_PENDING), 3);
    uint8_t cx[256], back[256];
    for (int i = 0; i < 256; i++) {
        cx[i] = (uint8_t)(i * 7 + 1);
    }
    int32_t kret = 1;
    ck_assert_int_eq(sdei_fwreg_set(vm, 1, SDEI_FWREG_CONTEXT, cx, 256, &kret), SDEI_OK);
    memset(back, 0, sizeof(back));
    ck_assert_int_eq(sdei_fwreg_get(vm, 1, SDEI_FWREG_CONTEXT, back, 256, &kret), SDEI_OK);
    ck_assert_int_eq(memcmp(cx, back, 160), 0);
    ck_assert_uint_eq(t_first_byte_not(back + 160, 96, 0), 96);
    /* two running events: v7 accepts it, the model cannot hold it */
    uint8_t b[8];
    sdei_put_le64(b, 3);
    ck_assert_int_eq(sdei_fwreg_set(vm, 1, SDEI_FWREG_RUNNING, b, 8, &kret), SDEI_E_RANGE);
    ck_assert_uint_eq(get64(vm, 1, SDEI_FWREG_RUNNING), 2);
    set64(vm, 1, SDEI_FWREG_PE_STATE, 7);
    ck_assert_uint_eq(get64(vm, 1, SDEI_FWREG_PE_STATE), 1);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

static uint8_t *save_of(const sdei_vm *vm, size_t *len)
{
    ck_assert_int_eq(sdei_vm_save_size(vm, len), SDEI_OK);
    uint8_t *b = malloc(*len);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(sdei_vm_save(vm, b, *len, len), SDEI_OK);
    return b;
}

START_TEST(test_whole_vm_save_is_format_2_and_restores_byte_for_byte)
{
    sdei_vm *vm = v7_vm(2);
    t_unmask(vm, 1);
    t_register_enable(vm, 1, 0, EP, ARG);
    (void)t_trigger(vm, 0, 1);
    t_expect_delivery(vm, 1, 0);
    (void)t_trigger(vm, 0, 1);
    size_t len = 0, len2 = 0;
    uint8_t *a = save_of(vm, &len);
    ck_assert_uint_eq(sdei_get_le32(a + 4), SDEI_SAVE_VERSION_FWREG);
    ck_assert_uint_eq(sdei_get_le64(a + 32 + 8), SDEI_FWREG_HANDLER(0)); /* vCPU 0's first */
    sdei_vm *dst = v7_vm(2);
    sdei_blob_error err;
    ck_assert_int_eq(sdei_vm_restore_ex(dst, a, len, &err), SDEI_OK);
    uint8_t *b = save_of(dst, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_int_eq(memcmp(a, b, len), 0);
    ck_assert_uint_eq(sdei_lint_save(a, len, 0, NULL, 0), 0);
    /* a format-2 save does not fit a VM without the registers, nor the reverse */
    sdei_vm *v5 = t_vm(SDEI_PROFILE_KVM_V5, 2);
    ck_assert_int_eq(sdei_vm_restore_ex(v5, a, len, &err), SDEI_E_FORMAT);
    size_t l5 = 0;
    uint8_t *c = save_of(v5, &l5);
    ck_assert_int_eq(sdei_vm_restore_ex(dst, c, l5, &err), SDEI_E_FORMAT);
    /* two running events in a save: refused, the VM unchanged */
    size_t run_at = 32 + 8 + 4 * 24 + 2 * 16 + 8; /* vCPU 0's RUNNING value */
    ck_assert_uint_eq(sdei_get_le64(a + run_at - 8), SDEI_FWREG_RUNNING);
    sdei_put_le64(a + run_at, 3);
    ck_assert_int_eq(sdei_vm_restore_ex(dst, a, len, &err), SDEI_E_FORMAT);
    ck_assert_str_eq(err.field, "EVENT_RUNNING");
    /* ids out of order: refused with the offset */
    sdei_put_le64(a + run_at, 0);
    sdei_put_le64(a + run_at - 8, SDEI_FWREG_PENDING);
    ck_assert_int_eq(sdei_vm_restore_ex(dst, a, len, &err), SDEI_E_FORMAT);
    ck_assert_uint_eq(err.buf_offset, run_at - 8);
    free(a);
    free(b);
    free(c);
    sdei_vm_free(v5);
    sdei_vm_free(dst);
    sdei_vm_free(vm);
}
END_TEST

static int count_fw(const sdei_save_piece *pc, const uint8_t *bytes, void *ctx)
{
    (void)bytes;
    ck_assert_int_eq(pc->kind, SDEI_SAVE_PIECE_FWREG);
    ck_assert_uint_eq(pc->reg_id, sdei_fwreg_id_at(pc->index));
    ck_assert_uint_eq(pc->size, sdei_fwreg_size(pc->reg_id));
    return ++*(int *)ctx == 12 ? 5 : 0;
}

START_TEST(test_format_2_walk_and_structure_errors)
{
    sdei_vm *vm = v7_vm(2);
    size_t len = 0;
    uint8_t *a = save_of(vm, &len);
    int n = 0;
    ck_assert_int_eq(sdei_save_walk(a, len, count_fw, &n, NULL), 5); /* stopped at the 12th */
    ck_assert_int_eq(n, 12);
    sdei_blob_error err;
    /* nr_regs not 10 */
    sdei_put_le32(a + 32, 9);
    ck_assert_int_eq(sdei_save_walk(a, len, count_fw, &n, &err), -1);
    ck_assert_str_eq(err.field, "nr_regs");
    ck_assert_uint_eq(sdei_lint_save(a, len, 0, NULL, 0), 1);
    sdei_put_le32(a + 32, 10);
    /* nr_exposed not 0 in format 2 */
    sdei_put_le32(a + 24, 1);
    ck_assert_int_eq(sdei_save_walk(a, len, count_fw, &n, &err), -1);
    ck_assert_str_eq(err.field, "nr_exposed");
    sdei_put_le32(a + 24, 0);
    /* truncated inside the registers (total size patched to match) */
    sdei_put_le64(a + 16, 100);
    ck_assert_int_eq(sdei_save_walk(a, 100, count_fw, &n, &err), -1);
    ck_assert_str_eq(err.field, "id");
    free(a);
    /* the lint of a VM's own save after v7's own steps: the pending trigger kept by
     * UNREGISTER is reported */
    t_register_enable(vm, 0, 0, EP, ARG);
    (void)t_trigger(vm, 0, 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0), 0);
    a = save_of(vm, &len);
    sdei_lint_finding f[4];
    ck_assert_uint_eq(sdei_lint_save(a, len, 0, f, 4), 2);
    ck_assert_str_eq(f[0].field, "EVENT_PENDING");
    ck_assert_uint_eq(f[0].buf_offset, 32 + 8 + 4 * 24 + 3 * 16 + 8);
    free(a);
    int32_t kret = 0;
    uint8_t b[8] = {0};
    ck_assert_int_eq(sdei_fwreg_set(NULL, 0, SDEI_FWREG_PENDING, b, 8, &kret), SDEI_E_NULL);
    ck_assert_int_eq(sdei_fwreg_get(vm, 2, SDEI_FWREG_PENDING, b, 8, &kret), SDEI_E_VCPU);
    ck_assert_int_eq(sdei_fwreg_set(vm, 0, SDEI_FWREG_PE_STATE, b, 7, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_EFAULT);
    ck_assert_int_eq(sdei_fwreg_set(vm, 0, SDEI_FWREG_HANDLER(0), b, 8, &kret), SDEI_OK);
    ck_assert_int_eq(kret, -SDEI_EFAULT);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_lint_names_the_inconsistent_registers)
{
    uint8_t val[SDEI_FWREG_COUNT][SDEI_FWREG_MAX_SIZE];
    memset(val, 0, sizeof(val));
    sdei_put_le64(val[5], 1); /* ENABLED without REGISTERED */
    sdei_put_le64(val[6], 3); /* two running */
    sdei_put_le64(val[7], 4); /* a bit past KVM's events */
    val[2][3] = 1;            /* HANDLER_2 */
    val[8][200] = 1;          /* CONTEXT tail */
    sdei_put_le64(val[9], 2); /* PE_STATE */
    sdei_fwreg_vcpu v;
    for (uint32_t i = 0; i < SDEI_FWREG_COUNT; i++) {
        v.value[i] = val[i];
    }
    sdei_lint_finding f[16];
    uint32_t n = sdei_lint_fwregs(1, &v, f, 16);
    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(f[0].field, "EVENT_PENDING");
    ck_assert_str_eq(f[1].field, "EVENT_HANDLER_2");
    ck_assert_uint_eq(f[1].offset, 3);
    ck_assert_str_eq(f[2].field, "EVENT_RUNNING");
    ck_assert_str_eq(f[3].field, "EVENT_ENABLED");
    ck_assert_str_eq(f[4].field, "EVENT_CONTEXT");
    ck_assert_uint_eq(f[4].offset, 200);
    ck_assert_str_eq(f[5].field, "PE_STATE");
    /* the state v7's own delivery loop spins on: lowest pending not enabled */
    memset(val, 0, sizeof(val));
    sdei_put_le64(val[4], 3);
    sdei_put_le64(val[5], 2);
    sdei_put_le64(val[7], 3);
    n = sdei_lint_fwregs(1, &v, f, 16);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(f[0].num, 0);
    ck_assert_ptr_nonnull(strstr(f[0].problem, "spins"));
    ck_assert_uint_eq(sdei_lint_fwregs(1, NULL, f, 16), 0);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_ids_and_sizes_are_the_uapi_encoding,
        test_get_reflects_registration_delivery_and_mask,
        test_errno_answers_as_v7_gives_them,
        test_set_then_get_is_byte_identical_and_masks_to_kvms_events,
        test_whole_vm_save_is_format_2_and_restores_byte_for_byte,
        test_lint_names_the_inconsistent_registers,
        test_format_2_walk_and_structure_errors,
    };
    return t_run_tests("fwreg", tests, T_COUNT(tests));
}
