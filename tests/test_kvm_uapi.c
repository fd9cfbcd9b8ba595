/*
 * test_kvm_uapi.c - the kvm target's portable half on any host
 * (docs/kvm-target.md "Tested without an arm64 machine"): the series' uAPI
 * encoding against the layouts of shared/spec/kvm-v5.md (§1.3, §1.4, §12.2)
 * and Documentation/virt/kvm/api.rst, the v5 command block round-tripped
 * through the model's command handler, the interface detection, and the
 * guest image walked like the MMU walks it.
 */
#include <string.h>

#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/kvm.h>)
#include <linux/kvm.h>
#endif
#endif

#include "kvm_guest.h"
#include "kvm_uapi.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_vmm.h"
#include "testlib.h"

/* ---- v5: struct kvm_sdei_cmd and KVM_ARM_SDEI_COMMAND ---- */

START_TEST(test_v5_ioctl_number_is_iowr_0xae_0xd0_of_16_bytes)
{
    /* _IOWR: dir 3 (read|write) << 30, size << 16, type << 8, nr */
    uint32_t want = (UINT32_C(3) << 30) | (UINT32_C(16) << 16) | (UINT32_C(0xAE) << 8) | 0xD0u;
    ck_assert_uint_eq(SIM_KVM_ARM_SDEI_COMMAND, want);
    ck_assert_uint_eq(SIM_KVM_V5_CMD_SIZE, SDEI_BLOB_CMD_SIZE);
    for (uint32_t c = 0; c < SDEI_CMD_COUNT; c++) {
        /* kvm-v5 §1.3: 0..6 on the VM fd, 7..12 on a vCPU fd */
        ck_assert_int_eq(sim_kvm_v5_cmd_on_vcpu(c), c >= 7);
    }
    ck_assert_int_eq(sim_kvm_v5_cmd_on_vcpu(SDEI_CMD_COUNT), 0);
}
END_TEST

START_TEST(test_v5_command_block_layout)
{
    uint8_t data[48];
    uint8_t b[SIM_KVM_V5_CMD_SIZE];
    sdei_vmm_cmd_block c = {.cmd = SDEI_CMD_GET_EXPOSED_EVENT, .count = 2, .data = data};
    sim_kvm_v5_cmd_encode(&c, b);
    ck_assert_uint_eq(sdei_get_le(b, 4), SDEI_CMD_GET_EXPOSED_EVENT);
    ck_assert_uint_eq(sdei_get_le(b + 4, 4), 2);
    ck_assert_uint_eq(sdei_get_le(b + 8, 8), (uint64_t)(uintptr_t)data); /* the user pointer */
    sdei_vmm_cmd_block inj = {.cmd = SDEI_CMD_INJECT_EVENT, .num = UINT64_C(0x40000123)};
    sim_kvm_v5_cmd_encode(&inj, b);
    ck_assert_uint_eq(sdei_get_le(b + 8, 8), UINT64_C(0x40000123)); /* the union's num */
    /* decode reads what the kernel wrote back (count/version), keeps data */
    b[4] = 0x00, b[5] = 0x00, b[6] = 0x01, b[7] = 0x00; /* version 0x10000 */
    sdei_vmm_cmd_block back = {.data = data};
    sim_kvm_v5_cmd_decode(b, &back);
    ck_assert_uint_eq(back.cmd, SDEI_CMD_INJECT_EVENT);
    ck_assert_uint_eq(back.count, 0x10000);
    ck_assert_uint_eq(back.num, UINT64_C(0x40000123));
    ck_assert_ptr_eq(back.data, data);
}
END_TEST

/* The shim: what kvm_sdei_vm_ioctl/kvm_sdei_vcpu_ioctl do with the 16 bytes,
 * read field by field from kvm-v5.md §1.3 and handed to the model's command
 * handler: a second oracle besides the v5 tree's own code, which answers the
 * same ioctls in targets/kernel/test_kvm_ioctl.c (builds with a kernel tree). */
static int shim_ioctl(void *ctx, uint32_t fd_vcpu, uint32_t req, void *arg, void *user,
                      size_t user_len)
{
    uint8_t *blk = arg;
    sdei_vmm_cmd_block k = {0};
    ck_assert_uint_eq(req, SIM_KVM_ARM_SDEI_COMMAND);
    k.cmd = (uint32_t)sdei_get_le(blk, 4);
    k.count = (uint32_t)sdei_get_le(blk + 4, 4);
    uint64_t word = sdei_get_le(blk + 8, 8);
    if (k.cmd == SDEI_CMD_INJECT_EVENT) {
        k.num = word;
    } else {
        k.data = (uint8_t *)(uintptr_t)word;
        ck_assert_ptr_eq(k.data, user); /* the user memory the target names */
        k.data_len = user_len;
    }
    int32_t r = sdei_vmm_command(ctx, fd_vcpu == UINT32_MAX ? SDEI_VMM_VM : fd_vcpu, &k);
    for (unsigned i = 0; i < 4; i++) {
        blk[4 + i] = (uint8_t)(k.count >> (8u * i)); /* copy_to_user of the block */
    }
    return r;
}

static int32_t via_target(sdei_vm *vm, uint32_t vcpu, sdei_vmm_cmd_block *c)
{
    if (c->data != NULL && c->data_len == 0) {
        c->data_len = 64u * 1024u;
    }
    return sim_kvm_v5_command(shim_ioctl, vm, sim_kvm_v5_cmd_on_vcpu(c->cmd) ? vcpu : SDEI_VMM_VM,
                              c);
}

START_TEST(test_v5_commands_through_the_encoding_reach_the_model_and_come_back)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_KVM_V5, 2);
    static uint8_t data[64 * 1024];
    sdei_vmm_cmd_block c = {.cmd = SDEI_CMD_GET_VERSION};
    ck_assert_int_eq(via_target(vm, 0, &c), 0);
    ck_assert_uint_eq(c.count, 0x10000); /* kvm-v5 §1.4: "v1.0.0" */
    c = (sdei_vmm_cmd_block){.cmd = SDEI_CMD_GET_EXPOSED_EVENT_COUNT};
    ck_assert_int_eq(via_target(vm, 0, &c), 0);
    uint32_t n = c.count;
    ck_assert_uint_eq(n, sdei_vm_event_count(vm));
    c = (sdei_vmm_cmd_block){.cmd = SDEI_CMD_GET_EXPOSED_EVENT, .count = n, .data = data};
    ck_assert_int_eq(via_target(vm, 0, &c), 0);
    sdei_event_desc d;
    ck_assert_int_eq(sdei_vm_event_at(vm, 1, &d), SDEI_OK);
    ck_assert_uint_eq(sdei_get_le(data + SDEI_BLOB_EXPOSED_SIZE, 8), d.num); /* entry 1's num @0 */
    /* INJECT_EVENT carries its number in the union: unregistered -> -ENOENT */
    t_register_enable(vm, 1, d.num, T_EP, T_ARG);
    c = (sdei_vmm_cmd_block){.cmd = SDEI_CMD_INJECT_EVENT, .num = UINT64_C(0x7FFF0000)};
    ck_assert_int_eq(via_target(vm, 1, &c), -SDEI_EINVAL);
    c = (sdei_vmm_cmd_block){.cmd = SDEI_CMD_INJECT_EVENT, .num = d.num};
    ck_assert_int_ne(via_target(vm, 1, &c), -SDEI_EINVAL);
    /* the same block on the wrong fd is -EINVAL (kvm-v5 §1.3) */
    sdei_vmm_cmd_block g = {.cmd = SDEI_CMD_GET_VCPU_STATE, .data = data, .data_len = 4096};
    ck_assert_int_eq(sim_kvm_v5_command(shim_ioctl, vm, SDEI_VMM_VM, &g), -SDEI_EINVAL);
    ck_assert_int_eq(via_target(vm, 1, &g), 0);
    t_check_vm(vm);
    sdei_vm_free(vm);
}
END_TEST

/* ---- register ids (api.rst KVM_SET_ONE_REG, arm64) and v7's firmware registers ---- */

START_TEST(test_one_reg_ioctls_are_the_systems)
{
    /* _IOW(0xAE, 0xab/0xac, struct kvm_one_reg): 16 bytes, write */
    uint32_t iow = (UINT32_C(1) << 30) | (UINT32_C(16) << 16) | (UINT32_C(0xAE) << 8);
    ck_assert_uint_eq(SIM_KVM_GET_ONE_REG, iow | 0xABu);
    ck_assert_uint_eq(SIM_KVM_SET_ONE_REG, iow | 0xACu);
#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/kvm.h>)
    ck_assert_uint_eq(SIM_KVM_GET_ONE_REG, (uint32_t)KVM_GET_ONE_REG);
    ck_assert_uint_eq(SIM_KVM_SET_ONE_REG, (uint32_t)KVM_SET_ONE_REG);
#endif
#endif
}
END_TEST

START_TEST(test_register_ids)
{
    ck_assert_uint_eq(sim_kvm_core_x(0), UINT64_C(0x6030000000100000));
    ck_assert_uint_eq(sim_kvm_core_x(30), UINT64_C(0x603000000010003c));
    ck_assert_uint_eq(sim_kvm_core_sp_el0(), UINT64_C(0x603000000010003e));
    ck_assert_uint_eq(sim_kvm_core_pc(), UINT64_C(0x6030000000100040));
    ck_assert_uint_eq(sim_kvm_core_pstate(), UINT64_C(0x6030000000100042));
    ck_assert_uint_eq(sim_kvm_core_sp_el1(), UINT64_C(0x6030000000100044));
    ck_assert_uint_eq(sim_kvm_core_elr_el1(), UINT64_C(0x6030000000100046));
    ck_assert_uint_eq(sim_kvm_core_spsr_el1(), UINT64_C(0x6030000000100048));
    /* ARM64_SYS_REG: SCTLR_EL1 (3,0,1,0,0), MPIDR_EL1 (3,0,0,0,5), VBAR_EL1 */
    ck_assert_uint_eq(sim_kvm_sys_reg(3, 0, 1, 0, 0), UINT64_C(0x603000000013c080));
    ck_assert_uint_eq(sim_kvm_sys_reg(3, 0, 0, 0, 5), UINT64_C(0x603000000013c005));
    ck_assert_uint_eq(sim_kvm_sys_reg(3, 0, 12, 0, 0), UINT64_C(0x603000000013c600));
    /* v7's firmware register ids are the model's (sdei_fwreg.h, test_fwreg.c) */
}
END_TEST

START_TEST(test_interface_needs_the_capability_and_the_guests_version)
{
    const uint64_t absent = UINT64_MAX; /* NOT_SUPPORTED */
    int none[3] = {0, 0, 0}, c211[3] = {1, 0, 0}, c214[3] = {0, 1, 0}, c217[3] = {0, 0, 1};
    int all[3] = {1, 1, 1};
    ck_assert_int_eq(sim_kvm_iface_detect(none, absent), SIM_KVM_IFACE_NONE);
    /* a released kernel answering 1 for a reused number is not SDEI */
    ck_assert_int_eq(sim_kvm_iface_detect(all, absent), SIM_KVM_IFACE_NONE);
    ck_assert_int_eq(sim_kvm_iface_detect(c211, SIM_SDEI_VERSION_V5), SIM_KVM_IFACE_V5);
    ck_assert_int_eq(sim_kvm_iface_detect(c214, SIM_SDEI_VERSION_V5), SIM_KVM_IFACE_V6);
    ck_assert_int_eq(sim_kvm_iface_detect(c217, SIM_SDEI_VERSION_V7), SIM_KVM_IFACE_V7);
    /* the VERSION of another series than the capability's */
    ck_assert_int_eq(sim_kvm_iface_detect(c217, SIM_SDEI_VERSION_V5), SIM_KVM_IFACE_NONE);
    ck_assert_int_eq(sim_kvm_iface_detect(c211, SIM_SDEI_VERSION_V7), SIM_KVM_IFACE_NONE);
    /* SDEI present but no capability: no VMM interface to trust */
    ck_assert_int_eq(sim_kvm_iface_detect(none, SIM_SDEI_VERSION_V5), SIM_KVM_IFACE_NONE);
    ck_assert_ptr_nonnull(strstr(sim_kvm_iface_name(SIM_KVM_IFACE_NONE), "absent"));
}
END_TEST

/* ---- the guest image, walked as the MMU walks it (4 KiB granule, 4 levels) ---- */

static uint8_t image[SIM_KVM_GUEST_SIZE];

static uint64_t at(uint64_t ipa, unsigned n)
{
    ck_assert_msg(ipa >= SIM_KVM_GUEST_IPA && ipa + n <= SIM_KVM_GUEST_IPA + SIM_KVM_GUEST_SIZE,
                  "IPA 0x%llx outside the image", (unsigned long long)ipa);
    return sdei_get_le(image + (ipa - SIM_KVM_GUEST_IPA), n);
}

/* The instruction word at va, or 0 for a translation fault. */
static uint32_t fetch(uint64_t va)
{
    uint64_t table = sim_kvm_guest_ttbr();
    for (int level = 0; level < 4; level++) {
        unsigned idx = (unsigned)(va >> (39 - 9 * level)) & 511u;
        uint64_t d = at(table + 8u * idx, 8);
        if ((d & 3u) != 3u) {
            return 0;
        }
        if (level == 3) {
            ck_assert_uint_eq(d & (UINT64_C(1) << 10), UINT64_C(1) << 10); /* AF */
            ck_assert_uint_eq(d & (UINT64_C(3) << 53), 0);                 /* executable */
            ck_assert_uint_eq(d & (UINT64_C(3) << 6), 0);                  /* EL1 only */
        }
        table = d & UINT64_C(0x0000fffffffff000);
    }
    return (uint32_t)at(table + (va & 0xfffu), 4);
}

START_TEST(test_guest_image_traps_everywhere_but_the_hvc)
{
    sim_kvm_guest_build(image);
    ck_assert_uint_eq(fetch(SIM_KVM_CODE_VA), SIM_KVM_INSN_HVC0);
    ck_assert_uint_eq(fetch(SIM_KVM_CODE_VA + 4u), SIM_KVM_INSN_BRK0);
    ck_assert_uint_eq(fetch(SIM_KVM_VBAR_VA + 0x200u), SIM_KVM_INSN_BRK0);
    ck_assert_uint_eq(fetch(SIM_KVM_STANDIN_VA), SIM_KVM_INSN_BRK0);
    static const uint64_t vas[] = {0,
                                   0x1000,
                                   0x8000,
                                   0x10000,
                                   UINT64_C(0xffff800010001000),
                                   UINT64_C(0xffff800010123450),
                                   UINT64_C(0xffffffffffffeffc),
                                   UINT64_C(0x7ffffffffffc),
                                   SIM_KVM_CODE_VA + 0x200000u};
    for (size_t i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
        ck_assert_msg(fetch(vas[i] & UINT64_C(0xffffffffffff)) == SIM_KVM_INSN_BRK0, "va 0x%llx",
                      (unsigned long long)vas[i]);
        ck_assert_int_eq(sim_kvm_guest_va_traps(vas[i]), 1);
    }
    /* what the target must not run the trace's pc at */
    ck_assert_int_eq(sim_kvm_guest_va_traps(0x80001), 0);                      /* unaligned */
    ck_assert_int_eq(sim_kvm_guest_va_traps(UINT64_C(0x0001000000000000)), 0); /* not canonical */
    ck_assert_int_eq(sim_kvm_guest_va_traps(SIM_KVM_CODE_VA), 0);
    ck_assert_int_eq(sim_kvm_guest_va_traps(SIM_KVM_VBAR_VA + 0x400u), 0);
    ck_assert_int_eq(sim_kvm_guest_va_traps(UINT64_C(0xffff000000000000) | SIM_KVM_CODE_VA), 0);
    ck_assert_int_eq(sim_kvm_guest_in_vectors(SIM_KVM_VBAR_VA + 0x7fcu), 1);
    ck_assert_int_eq(sim_kvm_guest_in_vectors(SIM_KVM_VBAR_VA + 0x800u), 0);
    /* TCR: 48-bit VAs both halves, 4 KiB granules, 40-bit PAs; SCTLR: M, C, I, SPAN */
    uint64_t tcr = sim_kvm_guest_tcr();
    ck_assert_uint_eq(tcr & 63u, 16);
    ck_assert_uint_eq((tcr >> 16) & 63u, 16);
    ck_assert_uint_eq((tcr >> 14) & 3u, 0);
    ck_assert_uint_eq((tcr >> 30) & 3u, 2);
    ck_assert_uint_eq((tcr >> 32) & 7u, 2);
    ck_assert_uint_eq(sim_kvm_guest_sctlr(0x30500800, 1), 0x30500800u | 0x1005u | (1u << 23));
    ck_assert_uint_eq(sim_kvm_guest_sctlr(0x30d00800, 0), 0x30500800u | 0x1005u);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_v5_ioctl_number_is_iowr_0xae_0xd0_of_16_bytes,
        test_v5_command_block_layout,
        test_v5_commands_through_the_encoding_reach_the_model_and_come_back,
        test_register_ids,
        test_one_reg_ioctls_are_the_systems,
        test_interface_needs_the_capability_and_the_guests_version,
        test_guest_image_traps_everywhere_but_the_hvc,
    };
    return t_run_tests("kvm_uapi", tests, T_COUNT(tests));
}
