/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_vmm.c - the KVM_ARM_SDEI_COMMAND commands on the model (kvm-v5 §1.3,
 * §6): errno values and check order, GET zero-fill, SET batches that are
 * validated whole (a rejected batch leaves the VM byte-for-byte as it was),
 * INJECT in both profiles, and the kernel recordings replayed command by
 * command (set_exposed.rec, get_count.rec, sizes_hole.rec, extras.rec).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/kernel_blobs.h"
#include "sdei/sdei_vmm.h"
#include "testlib.h"

#define VM SDEI_VMM_VM
#define EXP_SZ 24u
#define REG_SZ 8408u
#define VEV_SZ 16u
#define VST_SZ 344u

/* ---- hand-written blob builders (explicit offsets, independent of blob.c) ---- */

static void le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void exp_blob(uint8_t *p, uint64_t num, uint8_t type, uint8_t sig, uint8_t prio)
{
    memset(p, 0, EXP_SZ);
    le64(p + 0, num);
    p[8] = type;
    p[9] = sig;
    p[10] = prio;
}

static void reg_blob(uint8_t *p, uint64_t num, uint8_t route_mode)
{
    memset(p, 0, REG_SZ);
    le64(p + 0, num);
    p[8] = route_mode;
}

static void vev_blob(uint8_t *p, uint64_t num, uint32_t count, uint32_t pad)
{
    le64(p + 0, num);
    le32(p + 8, count);
    le32(p + 12, pad);
}

static void vst_blob(uint8_t *p, uint8_t masked, uint64_t crit, uint64_t normal)
{
    memset(p, 0, VST_SZ);
    p[0] = masked;
    le64(p + 8, crit);
    le64(p + 16, normal);
}

static int32_t cmd(sdei_vm *vm, uint32_t vcpu, uint32_t c, uint32_t count, void *data, size_t len)
{
    sdei_vmm_cmd_block b = {.cmd = c, .count = count, .data = data, .data_len = len};
    return sdei_vmm_command(vm, vcpu, &b);
}

static uint32_t get_count(sdei_vm *vm, uint32_t vcpu, uint32_t c)
{
    sdei_vmm_cmd_block b = {.cmd = c};
    ck_assert_int_eq(sdei_vmm_command(vm, vcpu, &b), 0);
    return b.count;
}

/* A VM as the kernel has it: no bind slots (kvm-v5 has none, §10 item 31). */
static sdei_vm *vm_of(sdei_profile profile, uint32_t n)
{
    sdei_config cfg = sdei_config_default(n);
    cfg.profile = profile;
    cfg.private_bind_slots = 0;
    cfg.shared_bind_slots = 0;
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    return vm;
}

static int32_t set_exp1(sdei_vm *vm, uint64_t num, uint8_t type, uint8_t sig, uint8_t prio)
{
    uint8_t b[EXP_SZ];
    exp_blob(b, num, type, sig, prio);
    return cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, b, sizeof(b));
}

static int32_t set_reg1(sdei_vm *vm, uint64_t num, uint8_t rm, uint64_t reg0, uint64_t en0)
{
    uint8_t *b = calloc(1, REG_SZ);
    ck_assert_ptr_nonnull(b);
    reg_blob(b, num, rm);
    le64(b + 24, 0x1000);   /* ep_address[0] */
    le64(b + 4120, 0x2000); /* ep_arg[0] */
    le64(b + 8216, reg0);   /* registered[0] */
    le64(b + 8280, en0);    /* enabled[0] */
    int32_t ret = cmd(vm, VM, SDEI_CMD_SET_REGISTERED_EVENT, 1, b, REG_SZ);
    free(b);
    return ret;
}

/* The full GET dump of a VM through the commands (what a VMM saves). */
typedef struct dump {
    uint8_t *bytes;
    size_t len;
} dump;

static void dump_append(dump *d, const void *p, size_t n)
{
    d->bytes = realloc(d->bytes, d->len + n + 1);
    ck_assert_ptr_nonnull(d->bytes);
    memcpy(d->bytes + d->len, p, n);
    d->len += n;
}

static dump get_dump(sdei_vm *vm)
{
    dump d = {NULL, 0};
    uint32_t counts[3] = {get_count(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT),
                          get_count(vm, VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT), 0};
    dump_append(&d, counts, sizeof(counts));
    size_t len = (size_t)counts[0] * EXP_SZ + 1;
    uint8_t *buf = malloc(len);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, counts[0], buf, len), 0);
    dump_append(&d, buf, (size_t)counts[0] * EXP_SZ);
    free(buf);
    len = (size_t)counts[1] * REG_SZ + 1;
    buf = malloc(len);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_REGISTERED_EVENT, counts[1], buf, len), 0);
    dump_append(&d, buf, (size_t)counts[1] * REG_SZ);
    free(buf);
    for (uint32_t v = 0; v < sdei_vm_nr_vcpus(vm); v++) {
        uint32_t n = get_count(vm, v, SDEI_CMD_GET_VCPU_EVENT_COUNT);
        dump_append(&d, &n, sizeof(n));
        uint8_t ev[128 * VEV_SZ];
        ck_assert_int_eq(cmd(vm, v, SDEI_CMD_GET_VCPU_EVENT, n, ev, sizeof(ev)), 0);
        dump_append(&d, ev, (size_t)n * VEV_SZ);
        uint8_t st[VST_SZ];
        ck_assert_int_eq(cmd(vm, v, SDEI_CMD_GET_VCPU_STATE, 0, st, sizeof(st)), 0);
        dump_append(&d, st, sizeof(st));
    }
    return d;
}

static void assert_dump_eq(const dump *a, const dump *b, const char *what)
{
    if (a->len != b->len) {
        ck_abort_msg("%s: GET dump length %zu, was %zu", what, b->len, a->len);
    }
    for (size_t i = 0; i < a->len; i++) {
        if (a->bytes[i] != b->bytes[i]) {
            ck_abort_msg("%s: GET dump differs at byte %zu (0x%02x, was 0x%02x)", what, i,
                         b->bytes[i], a->bytes[i]);
        }
    }
}

/* ---- command routing ---- */

START_TEST(test_get_version_returns_kernel_implementation_version)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 1);
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_GET_VERSION};
    ck_assert_int_eq(sdei_vmm_command(vm, VM, &b), 0);
    ck_assert_uint_eq(b.count, 0x10000);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_each_fd_rejects_the_other_fds_commands_with_einval)
{
    /* kvm-v5 §1.3: the VM switch knows 0..6, the vCPU switch 7..12 */
    sdei_vm *vm = vm_of(SDEI_PROFILE_SPEC, 2);
    uint8_t *buf = calloc(1, REG_SZ * 2);
    for (uint32_t c = 0; c < SDEI_CMD_COUNT; c++) {
        int vm_cmd = c <= SDEI_CMD_SET_REGISTERED_EVENT;
        int32_t on_vm = cmd(vm, VM, c, 1, buf, REG_SZ * 2);
        int32_t on_vcpu = cmd(vm, 1, c, 1, buf, REG_SZ * 2);
        ck_assert_msg(vm_cmd ? on_vcpu == -SDEI_EINVAL : on_vm == -SDEI_EINVAL,
                      "cmd %u (%s): on VM %d, on vCPU %d", c, sdei_vmm_cmd_name(c), on_vm, on_vcpu);
    }
    /* extras.rec:81-84 */
    ck_assert_int_eq(cmd(vm, VM, 7, 0, NULL, 0), -SDEI_EINVAL);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VERSION, 0, NULL, 0), -SDEI_EINVAL);
    ck_assert_int_eq(cmd(vm, 0, 99, 0, NULL, 0), -SDEI_EINVAL);
    ck_assert_int_eq(cmd(vm, VM, 99, 0, NULL, 0), -SDEI_EINVAL);
    free(buf);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_null_command_block_is_efault_and_bad_vcpu_is_einval)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_SPEC, 2);
    ck_assert_int_eq(sdei_vmm_command(vm, VM, NULL), -SDEI_EFAULT); /* extras.rec:85 */
    ck_assert_int_eq(sdei_vmm_command(NULL, VM, NULL), -SDEI_EFAULT);
    ck_assert_int_eq(cmd(vm, 2, SDEI_CMD_GET_VCPU_EVENT_COUNT, 0, NULL, 0), -SDEI_EINVAL);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_command_and_errno_names_round_trip)
{
    for (uint32_t c = 0; c < SDEI_CMD_COUNT; c++) {
        ck_assert_int_eq(sdei_vmm_cmd_by_name(sdei_vmm_cmd_name(c)), (int)c);
    }
    ck_assert_ptr_null(sdei_vmm_cmd_name(SDEI_CMD_COUNT));
    ck_assert_int_eq(sdei_vmm_cmd_by_name("NOPE"), -1);
    ck_assert_str_eq(sdei_errno_name(-SDEI_EEXIST), "-EEXIST");
    ck_assert_str_eq(sdei_errno_name(0), "0");
    ck_assert_ptr_null(sdei_errno_name(-99));
}
END_TEST

/* ---- kernel recordings, command by command ---- */

START_TEST(test_set_exposed_replays_set_exposed_recording)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 1);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    ck_assert_int_eq(set_exp1(vm, 0, 1, 1, 0), -SDEI_EEXIST);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 0, 0), -SDEI_EEXIST);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 1), -SDEI_EEXIST);
    ck_assert_int_eq(set_exp1(vm, 0, 2, 1, 0), -SDEI_EINVAL);
    uint8_t b[2 * EXP_SZ];
    exp_blob(b, 0, 0, 1, 0);
    le64(b + 16, 0x1234);                      /* notifier */
    memcpy(b + 11, "\x0a\x0b\x0c\x0d\x0e", 5); /* padding */
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, b, EXP_SZ), 0);
    uint8_t out[EXP_SZ];
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, 1, out, sizeof(out)), 0);
    const kernel_blob *kb = &kernel_blobs[4];
    ck_assert_str_eq(kb->source, "set_exposed.rec:8");
    ck_assert_mem_eq(out, kb->bytes, EXP_SZ);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    exp_blob(b, 0x400000, 1, 0, 0);
    exp_blob(b + EXP_SZ, 0x400000, 1, 0, 0);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 2, b, sizeof(b)), -SDEI_EINVAL);
    ck_assert_int_eq(set_exp1(vm, 1, 0, 0, 0), -SDEI_EINVAL);
    exp_blob(b + EXP_SZ, 0, 1, 0, 0);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 2, b, sizeof(b)), -SDEI_EEXIST);
    ck_assert_uint_eq(get_count(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT), 1);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_get_with_large_count_zero_fills_tail_as_get_count_recording)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 1);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    uint8_t out[3 * EXP_SZ];
    memset(out, 0xee, sizeof(out));
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, 3, out, sizeof(out)), 0);
    ck_assert_mem_eq(out, kernel_blobs[1].bytes, sizeof(out)); /* get_count.rec:4 */
    memset(out, 0xee, sizeof(out));
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, 0, out, sizeof(out)), 0);
    ck_assert_uint_eq(out[0], 0xee); /* count 0: nothing written */
    uint8_t *reg = malloc(REG_SZ);
    memset(reg, 0xee, REG_SZ);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_REGISTERED_EVENT, 1, reg, REG_SZ), 0);
    for (size_t i = 0; i < REG_SZ; i++) {
        if (reg[i] != 0) {
            ck_abort_msg("registered tail byte %zu = 0x%02x", i, reg[i]);
        }
    }
    free(reg);
    uint8_t ev[2 * VEV_SZ];
    memset(ev, 0xee, sizeof(ev));
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_EVENT, 2, ev, sizeof(ev)), 0);
    ck_assert_mem_eq(ev, kernel_blobs[2].bytes, sizeof(ev)); /* get_count.rec:9 */
    uint8_t two[2 * EXP_SZ];
    exp_blob(two, 0x400000, 1, 0, 1);
    exp_blob(two + EXP_SZ, 0x400001, 0, 1, 1);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 2, two, sizeof(two)), 0);
    ck_assert_uint_eq(get_count(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT), 3);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, 2, two, sizeof(two)), 0);
    ck_assert_mem_eq(two, kernel_blobs[3].bytes, sizeof(two)); /* get_count.rec:13 */
    /* a NULL or short user buffer: -EFAULT, nothing written (get_count.rec:15) */
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, 1, NULL, 0), -SDEI_EFAULT);
    memset(out, 0xee, sizeof(out));
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, 2, out, EXP_SZ), -SDEI_EFAULT);
    ck_assert_uint_eq(out[0], 0xee);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_padding_and_hole_bytes_come_back_as_sizes_hole_recording)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 1);
    uint8_t b[EXP_SZ];
    exp_blob(b, 0, 0, 1, 0);
    memcpy(b + 11, "\x01\x02\x03\x04\x05", 5);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, b, EXP_SZ), 0);
    uint8_t out[EXP_SZ];
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT, 1, out, EXP_SZ), 0);
    ck_assert_str_eq(kernel_blobs[5].source, "sizes_hole.rec:4");
    ck_assert_mem_eq(out, kernel_blobs[5].bytes, EXP_SZ);
    /* the recorded registered blob (padding a1a2a3, hole b1b2b3b4) goes in and
     * comes back byte for byte */
    const kernel_blob *kr = &kernel_blobs[6];
    ck_assert_str_eq(kr->source, "sizes_hole.rec:7");
    uint8_t *in = malloc(REG_SZ);
    memcpy(in, kr->bytes, REG_SZ);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_REGISTERED_EVENT, 1, in, REG_SZ), 0);
    uint8_t *reg = malloc(REG_SZ);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_REGISTERED_EVENT, 1, reg, REG_SZ), 0);
    ck_assert_mem_eq(reg, kr->bytes, REG_SZ);
    free(in);
    free(reg);
    uint8_t ev[VEV_SZ];
    vev_blob(ev, 0, 1, 0xdeadbeef);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_EVENT, 1, ev, VEV_SZ), 0);
    memset(ev, 0, sizeof(ev));
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_EVENT, 1, ev, VEV_SZ), 0);
    ck_assert_mem_eq(ev, kernel_blobs[7].bytes, VEV_SZ); /* sizes_hole.rec:11 */
    uint8_t st[VST_SZ];
    vst_blob(st, 0, 0xffffffff, 0xffffffff);
    memcpy(st + 1, "\xc1\xc2\xc3\xc4\xc5\xc6\xc7", 7);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_STATE, 0, st, VST_SZ), 0);
    uint8_t st2[VST_SZ];
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_STATE, 0, st2, VST_SZ), 0);
    ck_assert_mem_eq(st, st2, VST_SZ);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_set_exposed_erange_is_checked_before_entries_like_extras_recording)
{
    /* extras.rec:139-141: 128 exposed, then re-setting an existing one -> -ERANGE */
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 1);
    uint8_t *b = malloc(128 * EXP_SZ);
    exp_blob(b, 0, 0, 1, 0);
    for (uint32_t i = 1; i < 128; i++) {
        exp_blob(b + i * EXP_SZ, 0x400000 + i, 0, 1, 0);
    }
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 128, b, 128 * EXP_SZ), 0);
    ck_assert_uint_eq(get_count(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT), 128);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), -SDEI_ERANGE);
    /* -ERANGE comes before -EFAULT (the buffer is not even read) */
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, NULL, 0), -SDEI_ERANGE);
    free(b);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_set_registered_errors_follow_kernel_check_order)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 2);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    ck_assert_int_eq(set_exp1(vm, 0x400001, 0, 0, 0), 0);
    /* count 0 does nothing, even with a NULL buffer */
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_REGISTERED_EVENT, 0, NULL, 0), 0);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_REGISTERED_EVENT, 1, NULL, 0), -SDEI_EFAULT);
    /* shape before route_mode before exposure */
    ck_assert_int_eq(set_reg1(vm, 0xffffffff, 7, 1, 1), -SDEI_EINVAL);
    ck_assert_int_eq(set_reg1(vm, 0x400002, 2, 1, 1), -SDEI_EINVAL); /* route_mode first */
    ck_assert_int_eq(set_reg1(vm, 0x400002, 0, 1, 1), -SDEI_ENOENT); /* extras.rec:92 */
    ck_assert_int_eq(set_reg1(vm, 0, 0, 1, 1), 0);
    ck_assert_int_eq(set_reg1(vm, 0, 0, 1, 1), -SDEI_EEXIST); /* extras.rec:91 */
    /* a duplicate in the batch */
    uint8_t *two = calloc(2, REG_SZ);
    reg_blob(two, 0x400001, 0);
    reg_blob(two + REG_SZ, 0x400001, 1);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_REGISTERED_EVENT, 2, two, 2 * REG_SZ), -SDEI_EINVAL);
    /* EEXIST of entry 0 wins over the duplicate of entry 1 */
    reg_blob(two, 0, 0);
    reg_blob(two + REG_SZ, 0, 0);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_REGISTERED_EVENT, 2, two, 2 * REG_SZ), -SDEI_EEXIST);
    free(two);
    ck_assert_uint_eq(get_count(vm, VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT), 1);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_set_vcpu_event_checks_exposed_then_registered_and_merges_counts)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 2);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    ck_assert_int_eq(set_exp1(vm, 0x400001, 0, 0, 1), 0);
    ck_assert_int_eq(set_reg1(vm, 0, 0, 1, 1), 0);
    uint8_t ev[3 * VEV_SZ];
    vev_blob(ev, 0x400002, 1, 0);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_EVENT, 1, ev, VEV_SZ), -SDEI_ENOENT);
    vev_blob(ev, 0x400001, 1, 0); /* exposed but no registered object */
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_EVENT, 1, ev, VEV_SZ), -SDEI_ENOENT);
    vev_blob(ev, 0x80400001, 1, 0); /* bit 31: loose shape in kvm-v5, so ENOENT */
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_EVENT, 1, ev, VEV_SZ), -SDEI_ENOENT);
    vev_blob(ev, 1, 1, 0);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_EVENT, 1, ev, VEV_SZ), -SDEI_EINVAL);
    /* the same number twice in one batch merges; event_count 0 is accepted */
    vev_blob(ev, 0, 2, 0);
    vev_blob(ev + VEV_SZ, 0, 3, 0);
    vev_blob(ev + 2 * VEV_SZ, 0, 0, 0);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_EVENT, 3, ev, sizeof(ev)), 0);
    ck_assert_uint_eq(get_count(vm, 0, SDEI_CMD_GET_VCPU_EVENT_COUNT), 1);
    uint8_t out[VEV_SZ];
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_EVENT, 1, out, VEV_SZ), 0);
    uint8_t want[VEV_SZ];
    vev_blob(want, 0, 5, 0);
    ck_assert_mem_eq(out, want, VEV_SZ);
    /* the registered bits of the vCPU are not checked (kvm-v5 §6 step 6) */
    vev_blob(ev, 0, 1, 0);
    ck_assert_int_eq(cmd(vm, 1, SDEI_CMD_SET_VCPU_EVENT, 1, ev, VEV_SZ), 0);
    ck_assert_uint_eq(get_count(vm, 1, SDEI_CMD_GET_VCPU_EVENT_COUNT), 1);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_set_vcpu_state_needs_an_instance_for_each_supported_running_number)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 1);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    ck_assert_int_eq(set_reg1(vm, 0, 0, 1, 1), 0);
    uint8_t st[VST_SZ];
    vst_blob(st, 0, 0xffffffff, 0x400001); /* extras.rec:89 */
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_STATE, 0, st, VST_SZ), -SDEI_EINVAL);
    vst_blob(st, 0, 0, 0xffffffff); /* critical_num 0 with no instance */
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_STATE, 0, st, VST_SZ), -SDEI_EINVAL);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_STATE, 0, NULL, 0), -SDEI_EFAULT);
    uint8_t ev[VEV_SZ];
    vev_blob(ev, 0, 1, 0);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_EVENT, 1, ev, VEV_SZ), 0);
    vst_blob(st, 0, 0xffffffff, 0);
    le64(st + 184 + 144, 0xb000); /* normal_regs.pc */
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_SET_VCPU_STATE, 0, st, VST_SZ), 0);
    uint8_t back[VST_SZ];
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_STATE, 0, back, VST_SZ), 0);
    ck_assert_mem_eq(back, st, VST_SZ);
    sdei_vcpu_view view;
    ck_assert_int_eq(sdei_vcpu_view_of(vm, 0, &view), SDEI_OK);
    ck_assert_uint_eq(view.normal_running, 1);
    ck_assert_uint_eq(view.normal_num, 0);
    ck_assert_ptr_null(sdei_vm_check(vm));
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_inject_event_errors_as_extras_recording_in_kvm_v5)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 2);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    ck_assert_int_eq(set_exp1(vm, 0xC0400000, 0, 1, 1), 0);
    t_register_enable(vm, 0, 0, 0x1000, 0x2000);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_INJECT_EVENT, .num = 0x400000};
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), -SDEI_ENOENT); /* extras.rec:86 */
    b.num = 0;
    ck_assert_int_eq(sdei_vmm_command(vm, 1, &b), -SDEI_EPERM); /* extras.rec:87 */
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), 0);           /* extras.rec:88 */
    ck_assert_uint_eq(get_count(vm, 0, SDEI_CMD_GET_VCPU_EVENT_COUNT), 1);
    uint8_t out[VEV_SZ];
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_EVENT, 1, out, VEV_SZ), 0);
    ck_assert_mem_eq(out, kernel_blobs[0].bytes, VEV_SZ); /* extras.rec:94 */
    b.num = UINT64_C(0x100000000);
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), -SDEI_EINVAL);
    /* masked vCPU, disabled event: -EPERM in v5 */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 0);
    b.num = 0;
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), -SDEI_EPERM);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), -SDEI_EPERM);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_inject_event_latches_on_masked_vcpu_in_spec_profile)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_SPEC, 2);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    t_register_enable(vm, 0, 0, 0x1000, 0x2000);
    t_register_enable(vm, 1, 0, 0x1000, 0x2000); /* keeps the registered object alive */
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_INJECT_EVENT, .num = 0};
    /* the vCPU starts masked: the trigger stays pending (sdei-rules §7.4) */
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), 0);
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), 0);
    uint32_t pending = 0;
    ck_assert_int_eq(sdei_event_pending_count(vm, 0, 0, &pending), SDEI_OK);
    ck_assert_uint_eq(pending, 1); /* edge-triggered: one latch */
    ck_assert_int_eq(sdei_vcpu_has_deliverable(vm, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sdei_vcpu_has_deliverable(vm, 0), 1);
    /* not registered on the vCPU: still -EPERM; no registered object: -ENOENT */
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), -SDEI_EPERM);
    ck_assert_int_eq(t_callid(vm, 1, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), -SDEI_ENOENT);
    sdei_vm_free(vm);
}
END_TEST

/* ---- whole batches ---- */

/* A VM with something in every struct: events registered and pending on
 * several vCPUs, a handler running. */
static sdei_vm *busy_vm(sdei_profile profile)
{
    sdei_vm *vm = vm_of(profile, 3);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    ck_assert_int_eq(set_exp1(vm, 0x400001, 0, 0, 1), 0);
    ck_assert_int_eq(set_exp1(vm, 0x400002, 1, 0, 0), 0);
    ck_assert_int_eq(set_exp1(vm, 0x400003, 0, 0, 0), 0);
    for (uint32_t v = 0; v < 3; v++) {
        t_register_enable(vm, v, 0, 0x1000 + v, 0x2000 + v);
        t_register_enable(vm, v, 0x400001, 0x3000 + v, 0x4000 + v);
        ck_assert_int_eq(t_callid(vm, v, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    }
    t_register_enable(vm, 0, 0x400002, 0x5000, 0x6000);
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_INJECT_EVENT, .num = 0};
    ck_assert_int_eq(sdei_vmm_command(vm, 1, &b), 0);
    ck_assert_int_eq(sdei_vcpu_deliver(vm, 1, NULL), SDEI_OK);
    ck_assert_int_eq(sdei_vmm_command(vm, 1, &b), 0);
    b.num = 0x400001;
    ck_assert_int_eq(sdei_vmm_command(vm, 2, &b), 0);
    return vm;
}

START_TEST(test_rejected_batches_leave_vm_byte_for_byte_unchanged)
{
    for (int p = 0; p < 2; p++) {
        sdei_vm *vm = busy_vm(p == 0 ? SDEI_PROFILE_SPEC : SDEI_PROFILE_KVM_V5);
        dump before = get_dump(vm);
        /* SET_EXPOSED_EVENT: a valid new event then a bad type */
        uint8_t ex[2 * EXP_SZ];
        exp_blob(ex, 0x400010, 0, 0, 0);
        exp_blob(ex + EXP_SZ, 0x400011, 5, 0, 0);
        ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 2, ex, sizeof(ex)), -SDEI_EINVAL);
        /* an update of an existing event (notifier) then an -EEXIST */
        exp_blob(ex, 0, 0, 1, 0);
        le64(ex + 16, 0xdead);
        exp_blob(ex + EXP_SZ, 0x400001, 0, 0, 0);
        ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 2, ex, sizeof(ex)), -SDEI_EEXIST);
        /* SET_REGISTERED_EVENT: a valid one then an unexposed one */
        uint8_t *rg = calloc(2, REG_SZ);
        reg_blob(rg, 0x400003, 0);
        reg_blob(rg + REG_SZ, 0x400099, 0);
        ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_REGISTERED_EVENT, 2, rg, 2 * REG_SZ),
                         -SDEI_ENOENT);
        free(rg);
        /* SET_VCPU_EVENT: a merge into a queued instance then an unregistered event */
        uint8_t ev[2 * VEV_SZ];
        vev_blob(ev, 0, 4, 0);
        vev_blob(ev + VEV_SZ, 0x400003, 1, 0);
        ck_assert_int_eq(cmd(vm, 1, SDEI_CMD_SET_VCPU_EVENT, 2, ev, sizeof(ev)), -SDEI_ENOENT);
        /* SET_VCPU_STATE: a running number with no instance */
        uint8_t st[VST_SZ];
        vst_blob(st, 0, 0x400002, 0xffffffff);
        ck_assert_int_eq(cmd(vm, 1, SDEI_CMD_SET_VCPU_STATE, 0, st, VST_SZ), -SDEI_EINVAL);
        /* INJECT_EVENT refused */
        sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_INJECT_EVENT, .num = 0x400003};
        ck_assert_int_eq(sdei_vmm_command(vm, 0, &b), -SDEI_ENOENT);
        dump after = get_dump(vm);
        assert_dump_eq(&before, &after, p == 0 ? "spec" : "kvm-v5");
        ck_assert_ptr_null(sdei_vm_check(vm));
        free(before.bytes);
        free(after.bytes);
        sdei_vm_free(vm);
    }
}
END_TEST

START_TEST(test_get_dump_set_in_restore_order_reproduces_every_blob)
{
    /* the kernel's "migrate" (kvm-v5 §7) through the commands alone */
    for (int p = 0; p < 2; p++) {
        sdei_profile prof = p == 0 ? SDEI_PROFILE_SPEC : SDEI_PROFILE_KVM_V5;
        sdei_vm *src = busy_vm(prof);
        sdei_vm *dst = vm_of(prof, 3);
        uint32_t ne = get_count(src, VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT);
        uint32_t nr = get_count(src, VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT);
        uint8_t *ex = malloc(ne * EXP_SZ);
        uint8_t *rg = malloc(nr * REG_SZ);
        ck_assert_int_eq(cmd(src, VM, SDEI_CMD_GET_EXPOSED_EVENT, ne, ex, ne * EXP_SZ), 0);
        ck_assert_int_eq(cmd(dst, VM, SDEI_CMD_SET_EXPOSED_EVENT, ne, ex, ne * EXP_SZ), 0);
        ck_assert_int_eq(cmd(src, VM, SDEI_CMD_GET_REGISTERED_EVENT, nr, rg, nr * REG_SZ), 0);
        ck_assert_int_eq(cmd(dst, VM, SDEI_CMD_SET_REGISTERED_EVENT, nr, rg, nr * REG_SZ), 0);
        for (uint32_t v = 0; v < 3; v++) {
            uint32_t n = get_count(src, v, SDEI_CMD_GET_VCPU_EVENT_COUNT);
            uint8_t ev[128 * VEV_SZ];
            uint8_t st[VST_SZ];
            ck_assert_int_eq(cmd(src, v, SDEI_CMD_GET_VCPU_EVENT, n, ev, sizeof(ev)), 0);
            ck_assert_int_eq(cmd(dst, v, SDEI_CMD_SET_VCPU_EVENT, n, ev, sizeof(ev)), 0);
            ck_assert_int_eq(cmd(src, v, SDEI_CMD_GET_VCPU_STATE, 0, st, VST_SZ), 0);
            ck_assert_int_eq(cmd(dst, v, SDEI_CMD_SET_VCPU_STATE, 0, st, VST_SZ), 0);
        }
        dump a = get_dump(src);
        dump b = get_dump(dst);
        assert_dump_eq(&a, &b, "migrated");
        ck_assert_ptr_null(sdei_vm_check(dst));
        free(a.bytes);
        free(b.bytes);
        free(ex);
        free(rg);
        sdei_vm_free(src);
        sdei_vm_free(dst);
    }
}
END_TEST

/* A command-level error (count, data buffer, event number: no entry is at
 * fault) reports entry 0 and the command's errno, whatever err held before
 * (issue 13: a mutant changing that entry index survived). */
START_TEST(test_command_level_errors_report_entry_zero)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 2);
    struct {
        uint32_t cmd, vcpu, count;
        uint64_t num;
        int use_data;
        int32_t ret;
        const char *field;
    } cases[] = {
        {SDEI_CMD_SET_EXPOSED_EVENT, VM, 1, 0, 0, -SDEI_EFAULT, "data"},
        {SDEI_CMD_SET_EXPOSED_EVENT, VM, 129, 0, 1, -SDEI_ERANGE, "count"},
        {SDEI_CMD_GET_EXPOSED_EVENT, VM, 2, 0, 0, -SDEI_EFAULT, "data"},
        {SDEI_CMD_SET_REGISTERED_EVENT, VM, 1, 0, 0, -SDEI_EFAULT, "data"},
        {SDEI_CMD_SET_VCPU_EVENT, 1, 1, 0, 0, -SDEI_EFAULT, "data"},
        {SDEI_CMD_SET_VCPU_STATE, 1, 0, 0, 0, -SDEI_EFAULT, "data"},
    };
    uint8_t data[64] = {0};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sdei_blob_error err;
        memset(&err, 0x5A, sizeof(err));
        err.text[0] = 0;
        sdei_vmm_cmd_block b = {.cmd = cases[i].cmd,
                                .count = cases[i].count,
                                .num = cases[i].num,
                                .data = cases[i].use_data ? data : NULL,
                                .data_len = cases[i].use_data ? sizeof(data) : 0};
        int32_t ret = sdei_vmm_command_ex(vm, cases[i].vcpu, &b, &err);
        ck_assert_msg(ret == cases[i].ret, "case %zu (%s): returned %d, want %d", i,
                      sdei_vmm_cmd_name(cases[i].cmd), ret, cases[i].ret);
        ck_assert_msg(err.entry == 0, "case %zu (%s): entry %u, want 0 (%s)", i,
                      sdei_vmm_cmd_name(cases[i].cmd), err.entry, err.text);
        ck_assert_str_eq(err.strct, "kvm_sdei_cmd");
        ck_assert_str_eq(err.field, cases[i].field);
        /* the field's offset in struct kvm_sdei_cmd: count @4, the data pointer @8 */
        ck_assert_uint_eq(err.offset, strcmp(cases[i].field, "count") == 0 ? 4u : 8u);
        ck_assert_int_eq(err.kernel_errno, cases[i].ret);
    }
    sdei_vm_free(vm);
    /* profile absent: no command at all; the fault is the cmd field @0 */
    vm = vm_of(SDEI_PROFILE_ABSENT, 1);
    sdei_blob_error err;
    memset(&err, 0x5A, sizeof(err));
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_GET_VERSION};
    ck_assert_int_eq(sdei_vmm_command_ex(vm, VM, &b, &err), -SDEI_EINVAL);
    ck_assert_str_eq(err.field, "cmd");
    ck_assert_uint_eq(err.entry, 0);
    ck_assert_uint_eq(err.offset, 0);
    ck_assert_int_eq(err.kernel_errno, -SDEI_EINVAL);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_route_mode_from_affinity_blob_cannot_be_restored_as_route_mode_recording)
{
    /* route_mode.rec: the first REGISTER stores x5 as route_mode in v5 */
    sdei_vm *vm = vm_of(SDEI_PROFILE_KVM_V5, 2);
    ck_assert_int_eq(set_exp1(vm, 0, 0, 1, 0), 0);
    ck_assert_int_eq(set_exp1(vm, 0x400000, 1, 0, 0), 0);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, 0x400000, 0x3000, 0x4000, 0, 0x1234),
                     0);
    uint8_t *rg = malloc(REG_SZ);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_GET_REGISTERED_EVENT, 1, rg, REG_SZ), 0);
    ck_assert_uint_eq(rg[8], 0x34);
    sdei_vm *dst = vm_of(SDEI_PROFILE_KVM_V5, 2);
    ck_assert_int_eq(set_exp1(dst, 0x400000, 1, 0, 0), 0);
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    sdei_vmm_cmd_block b = {
        .cmd = SDEI_CMD_SET_REGISTERED_EVENT, .count = 1, .data = rg, .data_len = REG_SZ};
    ck_assert_int_eq(sdei_vmm_command_ex(dst, VM, &b, &err), -SDEI_EINVAL);
    ck_assert_str_eq(err.strct, "registered_event_state");
    ck_assert_str_eq(err.field, "route_mode");
    ck_assert_uint_eq(err.entry, 0);
    ck_assert_uint_eq(err.offset, 8);
    ck_assert_int_eq(err.kernel_errno, -SDEI_EINVAL);
    ck_assert_str_eq(err.what, "registered_event_state.route_mode: not 0 (RM_ANY) or 1 (RM_PE)");
    free(rg);
    sdei_vm_free(vm);
    sdei_vm_free(dst);
}
END_TEST

START_TEST(test_command_error_names_entry_field_and_offset_of_later_entry)
{
    sdei_vm *vm = vm_of(SDEI_PROFILE_SPEC, 1);
    uint8_t ex[3 * EXP_SZ];
    exp_blob(ex, 0x400001, 0, 0, 0);
    exp_blob(ex + EXP_SZ, 0x400002, 0, 0, 0);
    exp_blob(ex + 2 * EXP_SZ, 0x400003, 0, 0, 9);
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    sdei_vmm_cmd_block b = {
        .cmd = SDEI_CMD_SET_EXPOSED_EVENT, .count = 3, .data = ex, .data_len = sizeof(ex)};
    ck_assert_int_eq(sdei_vmm_command_ex(vm, VM, &b, &err), -SDEI_EINVAL);
    ck_assert_str_eq(err.text, "exposed_event_state[2].priority @10: not 0 (normal) or 1 "
                               "(critical) (buffer offset 58)");
    /* bit 31 set: strict shape in the spec profile */
    exp_blob(ex, 0x80400001, 0, 0, 0);
    ck_assert_int_eq(cmd(vm, VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, ex, EXP_SZ), -SDEI_EINVAL);
    ck_assert_uint_eq(get_count(vm, VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT), 0);
    sdei_vm_free(vm);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_get_version_returns_kernel_implementation_version,
        test_each_fd_rejects_the_other_fds_commands_with_einval,
        test_null_command_block_is_efault_and_bad_vcpu_is_einval,
        test_command_and_errno_names_round_trip,
        test_set_exposed_replays_set_exposed_recording,
        test_get_with_large_count_zero_fills_tail_as_get_count_recording,
        test_padding_and_hole_bytes_come_back_as_sizes_hole_recording,
        test_set_exposed_erange_is_checked_before_entries_like_extras_recording,
        test_set_registered_errors_follow_kernel_check_order,
        test_set_vcpu_event_checks_exposed_then_registered_and_merges_counts,
        test_set_vcpu_state_needs_an_instance_for_each_supported_running_number,
        test_inject_event_errors_as_extras_recording_in_kvm_v5,
        test_inject_event_latches_on_masked_vcpu_in_spec_profile,
        test_rejected_batches_leave_vm_byte_for_byte_unchanged,
        test_get_dump_set_in_restore_order_reproduces_every_blob,
        test_route_mode_from_affinity_blob_cannot_be_restored_as_route_mode_recording,
        test_command_level_errors_report_entry_zero,
        test_command_error_names_entry_field_and_offset_of_later_entry,
    };
    return t_run_tests("vmm", tests, T_COUNT(tests));
}
