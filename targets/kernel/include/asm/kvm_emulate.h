/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for asm/kvm_emulate.h: the vCPU register accessors, PSTATE bits,
 * PC adjustment and IRQ injection. */
#ifndef KSTUB_ASM_KVM_EMULATE_H
#define KSTUB_ASM_KVM_EMULATE_H

#include <linux/kvm_host.h>

/* PSTATE (SPSR_ELx) bits, Arm ARM C5.2.19. */
#define PSR_MODE_EL0t 0x0UL
#define PSR_MODE_EL1t 0x4UL
#define PSR_MODE_EL1h 0x5UL
#define PSR_MODE_MASK 0xfUL
#define PSR_MODE32_BIT 0x10UL
#define PSR_F_BIT 0x40UL
#define PSR_I_BIT 0x80UL
#define PSR_A_BIT 0x100UL
#define PSR_D_BIT 0x200UL
#define PSR_PAN_BIT 0x400000UL

/* x31 reads as zero and ignores writes (XZR), as KVM's accessors do. */
static inline unsigned long vcpu_get_reg(const struct kvm_vcpu *vcpu, u8 n)
{
    return n < 31 ? vcpu->arch.regs[n] : 0;
}

static inline void vcpu_set_reg(struct kvm_vcpu *vcpu, u8 n, unsigned long v)
{
    if (n < 31) {
        vcpu->arch.regs[n] = v;
    }
}

static inline unsigned long *vcpu_pc(const struct kvm_vcpu *vcpu)
{
    return (unsigned long *)&vcpu->arch.pc;
}

static inline unsigned long *vcpu_cpsr(const struct kvm_vcpu *vcpu)
{
    return (unsigned long *)&vcpu->arch.pstate;
}

static inline u64 vcpu_read_sys_reg(const struct kvm_vcpu *vcpu, int reg)
{
    return vcpu->arch.sys_regs[reg];
}

static inline void vcpu_write_sys_reg(struct kvm_vcpu *vcpu, u64 val, int reg)
{
    vcpu->arch.sys_regs[reg] = val;
}

#define __vcpu_sys_reg(vcpu, reg) ((vcpu)->arch.sys_regs[(reg)])

static inline bool vcpu_el1_is_32bit(const struct kvm_vcpu *vcpu)
{
    (void)vcpu;
    return false;
}

/* No VHE here: the code takes its non-VHE branch (the vCPU's saved copy of
 * the EL1 registers). The VHE accessors exist only to compile. */
static inline bool has_vhe(void)
{
    return false;
}
#define SYS_SPSR 0
#define SYS_ELR_EL12 1
#define write_sysreg_el1(v, r) kstub_bad_call("write_sysreg_el1")
#define write_sysreg_s(v, r) kstub_bad_call("write_sysreg_s")

static inline void __kvm_adjust_pc(struct kvm_vcpu *vcpu)
{
    kstub_adjust_pc(vcpu);
}

static inline void kvm_inject_irq(struct kvm_vcpu *vcpu)
{
    kstub_inject_irq(vcpu);
}

#endif
