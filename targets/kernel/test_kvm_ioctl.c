/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_kvm_ioctl.c - the kvm target's ioctl layer (targets/kvm/kvm_uapi.c)
 * against the kernel code a patched kernel runs (docs/kvm-target.md "Tested
 * without an arm64 machine"): the target's own encoders issue each ioctl,
 * and instead of /dev/kvm the tree's sdei.c answers it, dispatched as the
 * version's arm.c does (kg_ioctl). v5: every KVM_ARM_SDEI_COMMAND the target
 * sends, with the entry arrays it encodes and decodes; v7: the firmware
 * register ids (the model's sdei_fwreg.h) against the tree's uapi header, values and a vCPU's
 * migration from one VM to another; v6: neither interface exists.
 */
#include <check.h>
#include <string.h>

#include "kglue.h"
#include "kstub_run.h"
#include "kvm_uapi.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_fwreg.h"
#include "testlib.h"

#define EP UINT64_C(0x1000)
#define ARG UINT64_C(0x2000)

/* The backend: the tree's code instead of /dev/kvm. */
static int kernel_io(void *ctx, uint32_t vcpu, uint32_t req, void *arg, void *user, size_t len)
{
    long ret = 0;
    ck_assert_int_eq(kg_ioctl(ctx, vcpu, req, arg, user, len, &ret), 0); /* no fatal finding */
    return (int)ret;
}

static kg_vm *new_vm(uint32_t n)
{
    kg_vm *vm = NULL;
    kstub_init();
    ck_assert_int_eq(kg_create(n, &vm), 0);
    kstub_findings_clear();
    return vm;
}

static void free_vm(kg_vm *vm)
{
    (void)kg_destroy(vm); /* v5's teardown leak is covered elsewhere */
    kstub_findings_clear();
}

/* One SDEI call from vCPU v (call numbers: kglue.h); returns x0. */
static uint64_t hvc(kg_vm *vm, uint32_t v, unsigned call, uint64_t a1, uint64_t a2, uint64_t a3)
{
    kg_regs *r = kg_regs_of(vm, v);
    memset(r->x, 0, sizeof(r->x));
    r->x[0] = kg_call_fid(call);
    r->x[1] = a1;
    r->x[2] = a2;
    r->x[3] = a3;
    ck_assert_int_eq(kg_hvc(vm, v), 0);
    return r->x[0];
}

static int32_t cmd(kg_vm *vm, uint32_t fd, uint32_t c, uint32_t count, uint8_t *data, size_t len,
                   uint32_t *count_out)
{
    sdei_vmm_cmd_block b = {.cmd = c, .count = count, .data = data, .data_len = len};
    int32_t r = sim_kvm_v5_command(kernel_io, vm, fd, &b);
    if (count_out != NULL) {
        *count_out = b.count;
    }
    return r;
}

START_TEST(test_v5_commands_through_the_targets_encoding)
{
    if (!kg_has_vmm) {
        return;
    }
    kg_vm *vm = new_vm(2);
    static uint8_t data[2 * SDEI_BLOB_REGISTERED_SIZE];
    uint32_t n = 0;
    ck_assert_int_eq(cmd(vm, SDEI_VMM_VM, SDEI_CMD_GET_VERSION, 0, NULL, 0, &n), 0);
    ck_assert_uint_eq(n, 0x10000); /* kvm-v5 §1.4: 1.0.0, written back into count */
    /* SET_EXPOSED_EVENT: one entry encoded by the model's blob encoder */
    sdei_blob_exposed ex = {
        .num = 0x400001, .type = SDEI_EVENT_TYPE_PRIVATE, .priority = SDEI_EVENT_PRIORITY_NORMAL};
    ck_assert_int_eq(sdei_blob_exposed_encode(&ex, data, SDEI_BLOB_EXPOSED_SIZE), SDEI_OK);
    ck_assert_int_eq(
        cmd(vm, SDEI_VMM_VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, data, SDEI_BLOB_EXPOSED_SIZE, NULL), 0);
    ck_assert_int_eq(cmd(vm, SDEI_VMM_VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT, 0, NULL, 0, &n), 0);
    ck_assert_uint_eq(n, 1);
    memset(data, 0, sizeof(data));
    ck_assert_int_eq(
        cmd(vm, SDEI_VMM_VM, SDEI_CMD_GET_EXPOSED_EVENT, 1, data, SDEI_BLOB_EXPOSED_SIZE, NULL), 0);
    sdei_blob_exposed back;
    ck_assert_int_eq(sdei_blob_exposed_decode(data, SDEI_BLOB_EXPOSED_SIZE, &back), SDEI_OK);
    ck_assert_uint_eq(back.num, 0x400001);
    ck_assert_uint_eq(back.type, SDEI_EVENT_TYPE_PRIVATE);
    /* a registration made by the guest, read back through the registered blob */
    ck_assert_uint_eq(hvc(vm, 1, SDEI_CALL_EVENT_REGISTER, 0x400001, EP, ARG), 0);
    ck_assert_int_eq(cmd(vm, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT, 0, NULL, 0, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(cmd(vm, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT, 1, data,
                         SDEI_BLOB_REGISTERED_SIZE, NULL),
                     0);
    sdei_blob_registered reg;
    ck_assert_int_eq(sdei_blob_registered_decode(data, SDEI_BLOB_REGISTERED_SIZE, &reg), SDEI_OK);
    ck_assert_uint_eq(reg.num, 0x400001);
    ck_assert_uint_eq(reg.ep_address[1], EP);
    ck_assert_uint_eq(reg.ep_arg[1], ARG);
    ck_assert_uint_eq(reg.registered[0], 2); /* vCPU 1's bit */
    free_vm(vm);
}
END_TEST

START_TEST(test_v5_vcpu_commands_and_inject)
{
    if (!kg_has_vmm) {
        return;
    }
    kg_vm *vm = new_vm(2);
    static uint8_t data[SDEI_BLOB_VCPU_STATE_SIZE];
    uint32_t n = 0;
    sdei_blob_exposed ex = {.num = 0x400001, .type = SDEI_EVENT_TYPE_PRIVATE};
    ck_assert_int_eq(sdei_blob_exposed_encode(&ex, data, SDEI_BLOB_EXPOSED_SIZE), SDEI_OK);
    ck_assert_int_eq(
        cmd(vm, SDEI_VMM_VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, data, SDEI_BLOB_EXPOSED_SIZE, NULL), 0);
    /* the vCPU state on the vCPU fd; the VM fd does not take it (kvm-v5 §1.3) */
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_STATE, 0, data, sizeof(data), NULL), 0);
    sdei_blob_vcpu_state st;
    ck_assert_int_eq(sdei_blob_vcpu_state_decode(data, sizeof(data), &st), SDEI_OK);
    ck_assert_uint_eq(st.masked, 1); /* kvm_sdei_create_vcpu masks */
    ck_assert_int_eq(cmd(vm, SDEI_VMM_VM, SDEI_CMD_GET_VCPU_STATE, 0, data, sizeof(data), NULL),
                     -SDEI_EINVAL);
    /* INJECT_EVENT carries the number in the block itself */
    ck_assert_uint_eq(hvc(vm, 0, SDEI_CALL_EVENT_REGISTER, 0x400001, EP, ARG), 0);
    ck_assert_uint_eq(hvc(vm, 0, SDEI_CALL_EVENT_ENABLE, 0x400001, 0, 0), 0);
    sdei_vmm_cmd_block inj = {.cmd = SDEI_CMD_INJECT_EVENT, .num = 0x400001};
    ck_assert_int_eq(sim_kvm_v5_command(kernel_io, vm, 0, &inj), -1); /* masked: -EPERM */
    ck_assert_uint_eq(hvc(vm, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0), 0);
    ck_assert_int_eq(sim_kvm_v5_command(kernel_io, vm, 0, &inj), 0);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_EVENT_COUNT, 0, NULL, 0, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(cmd(vm, 0, SDEI_CMD_GET_VCPU_EVENT, 1, data, SDEI_BLOB_VCPU_EVENT_SIZE, NULL),
                     0);
    sdei_blob_vcpu_event ev;
    ck_assert_int_eq(sdei_blob_vcpu_event_decode(data, SDEI_BLOB_VCPU_EVENT_SIZE, &ev), SDEI_OK);
    ck_assert_uint_eq(ev.num, 0x400001);
    ck_assert_uint_eq(ev.event_count, 1);
    free_vm(vm);
}
END_TEST

START_TEST(test_v5_migration_through_the_commands)
{
    if (!kg_has_vmm) {
        return;
    }
    kg_vm *a = new_vm(2), *b = new_vm(2);
    uint8_t data[SDEI_BLOB_VCPU_STATE_SIZE];
    char err[160];
    uint32_t n = 0;
    sdei_blob_exposed ex = {.num = 0x400001, .type = SDEI_EVENT_TYPE_PRIVATE};
    ck_assert_int_eq(sdei_blob_exposed_encode(&ex, data, SDEI_BLOB_EXPOSED_SIZE), SDEI_OK);
    ck_assert_int_eq(
        cmd(a, SDEI_VMM_VM, SDEI_CMD_SET_EXPOSED_EVENT, 1, data, SDEI_BLOB_EXPOSED_SIZE, NULL), 0);
    ck_assert_uint_eq(hvc(a, 1, SDEI_CALL_EVENT_REGISTER, 0x400001, EP, ARG), 0);
    ck_assert_uint_eq(hvc(a, 1, SDEI_CALL_EVENT_ENABLE, 0x400001, 0, 0), 0);
    ck_assert_uint_eq(hvc(a, 1, SDEI_CALL_PE_UNMASK, 0, 0, 0), 0);
    sdei_vmm_cmd_block inj = {.cmd = SDEI_CMD_INJECT_EVENT, .num = 0x400001};
    ck_assert_int_eq(sim_kvm_v5_command(kernel_io, a, 1, &inj), 0);
    uint64_t status = hvc(a, 1, SDEI_CALL_EVENT_STATUS, 0x400001, 0, 0);
    uint64_t status0 = hvc(a, 0, SDEI_CALL_EVENT_STATUS, 0x400001, 0, 0);
    ck_assert_uint_eq(status & 3u, 3);
    ck_assert_uint_eq(status0 & 3u, 0);
    ck_assert_int_eq(sim_kvm_v5_copy_vm(kernel_io, a, b, 2, err, sizeof(err)), 0);
    /* on the destination: the statuses the source answered (registered and
     * enabled on vCPU 1 only), the pending instance, vCPU 1 unmasked */
    ck_assert_uint_eq(hvc(b, 1, SDEI_CALL_EVENT_STATUS, 0x400001, 0, 0), status);
    ck_assert_uint_eq(hvc(b, 0, SDEI_CALL_EVENT_STATUS, 0x400001, 0, 0), status0);
    ck_assert_int_eq(cmd(b, 1, SDEI_CMD_GET_VCPU_EVENT_COUNT, 0, NULL, 0, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(cmd(b, 1, SDEI_CMD_GET_VCPU_STATE, 0, data, sizeof(data), NULL), 0);
    ck_assert_uint_eq(data[0], 0); /* masked @0 */
    /* a destination that refuses (the registrations are there): the error names the command */
    ck_assert_int_ne(sim_kvm_v5_copy_vm(kernel_io, a, b, 2, err, sizeof(err)), 0);
    ck_assert_str_eq(err, "kvm: migration: KVM_SDEI_CMD 6 on the VM: errno 17"); /* EEXIST */
    free_vm(a);
    free_vm(b);
}
END_TEST

START_TEST(test_ioctl_numbers_the_version_does_not_have)
{
    kg_vm *vm = new_vm(1);
    uint64_t val[2] = {0};
    uint8_t blk[SIM_KVM_V5_CMD_SIZE] = {0};
    int has_regs = kg_fwreg_ids(NULL, 0) > 0;
    /* v5's command: ENOTTY after v5; the same number with another size too */
    ck_assert_int_eq(kernel_io(vm, UINT32_MAX, SIM_KVM_ARM_SDEI_COMMAND, blk, NULL, 0) == -25,
                     !kg_has_vmm);
    ck_assert_int_eq(
        kernel_io(vm, UINT32_MAX, SIM_KVM_ARM_SDEI_COMMAND ^ (24u << 16), blk, NULL, 0), -25);
    /* a firmware register that is not SDEI's: not this code's (-ENOENT) or no
     * ONE_REG routing to SDEI at all (-ENOTTY) */
    int r = sim_kvm_one_reg(kernel_io, vm, 0, 0, UINT64_C(0x6030000000140000), val);
    ck_assert_int_eq(r, has_regs ? -2 : -25);
    free_vm(vm);
}
END_TEST

START_TEST(test_v7_register_ids_are_the_trees)
{
    uint64_t ids[16];
    unsigned n = kg_fwreg_ids(ids, 16);
    if (n == 0) {
        return;
    }
    ck_assert_uint_eq(n, SDEI_FWREG_COUNT);
    for (unsigned i = 0; i < n; i++) {
        ck_assert_uint_eq(sdei_fwreg_id_at(i), ids[i]); /* the model's encoding, the tree's ids */
    }
}
END_TEST

START_TEST(test_v7_values_and_a_vcpu_migrated)
{
    if (kg_fwreg_ids(NULL, 0) == 0) {
        return;
    }
    kg_vm *a = new_vm(2), *b = new_vm(2);
    uint64_t val[32];
    char err[160];
    ck_assert_uint_eq(hvc(a, 1, SDEI_CALL_EVENT_REGISTER, 0, EP, ARG), 0);
    ck_assert_uint_eq(hvc(a, 1, SDEI_CALL_EVENT_ENABLE, 0, 0, 0), 0);
    ck_assert_uint_eq(hvc(a, 1, SDEI_CALL_PE_UNMASK, 0, 0, 0), 0);
    memset(val, 0xA5, sizeof(val));
    ck_assert_int_eq(sim_kvm_one_reg(kernel_io, a, 1, 0, SDEI_FWREG_HANDLER(0), val), 0);
    ck_assert_uint_eq(val[0], EP); /* 128 bits: the entry point, then its argument */
    ck_assert_uint_eq(val[1], ARG);
    ck_assert_uint_eq(val[2], UINT64_C(0xA5A5A5A5A5A5A5A5)); /* nothing past 16 bytes */
    ck_assert_int_eq(sim_kvm_one_reg(kernel_io, a, 1, 0, SDEI_FWREG_REGISTERED, val), 0);
    ck_assert_uint_eq(val[0], 1); /* event 0 */
    ck_assert_int_eq(sim_kvm_one_reg(kernel_io, a, 0, 0, SDEI_FWREG_REGISTERED, val), 0);
    ck_assert_uint_eq(val[0], 0); /* per vCPU */
    /* vCPU 1 to the fresh VM: registered and enabled there, and unmasked */
    ck_assert_int_eq(sim_kvm_v7_copy_vcpu(kernel_io, a, b, 1, err, sizeof(err)), 0);
    ck_assert_uint_eq(hvc(b, 1, SDEI_CALL_EVENT_STATUS, 0, 0, 0), 3);
    ck_assert_uint_eq(hvc(b, 0, SDEI_CALL_EVENT_STATUS, 0, 0, 0), 0);
    ck_assert_int_eq(sim_kvm_one_reg(kernel_io, b, 1, 0, SDEI_FWREG_PE_STATE, val), 0);
    ck_assert_uint_eq(val[0], 0);
    /* a bitmap with bits for events KVM does not have is cut to its events */
    memset(val, 0xff, sizeof(val));
    ck_assert_int_eq(sim_kvm_one_reg(kernel_io, b, 0, 1, SDEI_FWREG_REGISTERED, val), 0);
    ck_assert_int_eq(sim_kvm_one_reg(kernel_io, b, 0, 0, SDEI_FWREG_REGISTERED, val), 0);
    ck_assert_uint_eq(val[0] & 1u, 1);
    ck_assert_uint_ne(val[0], UINT64_MAX);
    free_vm(a);
    free_vm(b);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_v5_commands_through_the_targets_encoding,
        test_v5_vcpu_commands_and_inject,
        test_v5_migration_through_the_commands,
        test_ioctl_numbers_the_version_does_not_have,
        test_v7_register_ids_are_the_trees,
        test_v7_values_and_a_vcpu_migrated,
    };
    return t_run_tests("kvm_ioctl", tests, T_COUNT(tests));
}
