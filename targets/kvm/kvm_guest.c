/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm_guest.c - the kvm target's guest image (kvm_guest.h). */
#include "kvm_guest.h"

#include <string.h>

/* Pages of the image, in order. */
enum {
    PG_L0 = 0, /* TTBR0/TTBR1 */
    PG_L1 = 1, /* shared chain: every entry to the next level */
    PG_L2 = 2,
    PG_L3 = 3,
    PG_TRAP = 4, /* BRK #0 everywhere */
    PG_L1C = 5,  /* code chain under L0[1] */
    PG_L2C = 6,
    PG_L3C = 7,
    PG_CODE = 8 /* HVC #0; BRK #0; BRK... */
};

/* VMSAv8-64 descriptors, 4 KiB granule (Arm ARM D8.3). */
#define DESC_TABLE UINT64_C(0x3)
#define DESC_PAGE UINT64_C(0x3)
#define DESC_AF (UINT64_C(1) << 10)
#define DESC_SH_INNER (UINT64_C(3) << 8)
/* AP = 00: EL1 read/write, EL0 none; AttrIndx 0 (MAIR attr 0); UXN/PXN clear:
 * EL1 may execute it (EL0-writable pages would be privileged-execute-never). */

static uint64_t pa(unsigned page)
{
    return SIM_KVM_GUEST_IPA + (uint64_t)page * SIM_KVM_PAGE;
}

static void put64(uint8_t *mem, unsigned page, unsigned index, uint64_t v)
{
    uint8_t *p = mem + (size_t)page * SIM_KVM_PAGE + (size_t)index * 8u;
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8u * i));
    }
}

static void put32(uint8_t *mem, unsigned page, unsigned index, uint32_t v)
{
    uint8_t *p = mem + (size_t)page * SIM_KVM_PAGE + (size_t)index * 4u;
    for (unsigned i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8u * i));
    }
}

static void fill_table(uint8_t *mem, unsigned page, uint64_t desc)
{
    for (unsigned i = 0; i < 512u; i++) {
        put64(mem, page, i, desc);
    }
}

void sim_kvm_guest_build(uint8_t *mem)
{
    const uint64_t leaf = DESC_PAGE | DESC_AF | DESC_SH_INNER;
    memset(mem, 0, SIM_KVM_GUEST_SIZE);
    fill_table(mem, PG_L0, pa(PG_L1) | DESC_TABLE);
    put64(mem, PG_L0, 1, pa(PG_L1C) | DESC_TABLE);
    fill_table(mem, PG_L1, pa(PG_L2) | DESC_TABLE);
    fill_table(mem, PG_L2, pa(PG_L3) | DESC_TABLE);
    fill_table(mem, PG_L3, pa(PG_TRAP) | leaf);
    /* the code window: its first 1 GiB / 2 MiB / 4 KiB hold the code page,
     * everything else in it is the trap page again */
    fill_table(mem, PG_L1C, pa(PG_L2) | DESC_TABLE);
    put64(mem, PG_L1C, 0, pa(PG_L2C) | DESC_TABLE);
    fill_table(mem, PG_L2C, pa(PG_L3) | DESC_TABLE);
    put64(mem, PG_L2C, 0, pa(PG_L3C) | DESC_TABLE);
    fill_table(mem, PG_L3C, pa(PG_TRAP) | leaf);
    put64(mem, PG_L3C, 0, pa(PG_CODE) | leaf);
    for (unsigned i = 0; i < SIM_KVM_PAGE / 4u; i++) {
        put32(mem, PG_TRAP, i, SIM_KVM_INSN_BRK0);
        put32(mem, PG_CODE, i, SIM_KVM_INSN_BRK0);
    }
    put32(mem, PG_CODE, 0, SIM_KVM_INSN_HVC0);
}

uint64_t sim_kvm_guest_tcr(void)
{
    /* T0SZ = T1SZ = 16 (48-bit VAs); inner/outer write-back, inner
     * shareable walks; TG0 = 4 KiB (0), TG1 = 4 KiB (2); IPS = 40 bits (2). */
    return UINT64_C(16) | (UINT64_C(1) << 8) | (UINT64_C(1) << 10) | (UINT64_C(3) << 12) |
           (UINT64_C(16) << 16) | (UINT64_C(1) << 24) | (UINT64_C(1) << 26) | (UINT64_C(3) << 28) |
           (UINT64_C(2) << 30) | (UINT64_C(2) << 32);
}

uint64_t sim_kvm_guest_sctlr(uint64_t reset_value, int span)
{
    const uint64_t m = UINT64_C(1) << 0, c = UINT64_C(1) << 2, i = UINT64_C(1) << 12;
    const uint64_t span_bit = UINT64_C(1) << 23; /* SCTLR_EL1.SPAN (sdei-rules §7) */
    uint64_t v = reset_value | m | c | i;
    return span ? (v | span_bit) : (v & ~span_bit);
}

uint64_t sim_kvm_guest_ttbr(void)
{
    return pa(PG_L0);
}

int sim_kvm_guest_va_traps(uint64_t va)
{
    uint64_t top = va >> 47;
    int canonical = top == 0 || top == 0x1ffffu;
    uint64_t low = va & ((UINT64_C(1) << 48) - 1u);
    /* the code page, the vectors and the stand-in page are the target's */
    int reserved = low >= SIM_KVM_CODE_VA && low < SIM_KVM_CODE_VA + 3u * SIM_KVM_PAGE;
    return (va & 3u) == 0 && canonical && !reserved;
}

int sim_kvm_guest_in_vectors(uint64_t pc)
{
    return pc >= SIM_KVM_VBAR_VA && pc < SIM_KVM_VBAR_VA + 0x800u;
}
