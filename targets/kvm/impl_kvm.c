/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * impl_kvm.c - the kvm target: the running kernel's KVM as an implementation
 * under test (impl.h, DESIGN §7, docs/kvm-target.md).
 *
 * Each vCPU has the trace's register file (`regs`, impl.h semantics) and a
 * real vCPU. An action copies the file into the vCPU, runs the guest until it
 * stops on a BRK (kvm_guest.h), and copies the vCPU back:
 *  - hypercall: the vCPU runs the HVC of the code page with the trace's
 *    registers; pc stays the trace's unless the kernel moved it (COMPLETE);
 *  - deliver: the vCPU runs at the trace's pc, which is a BRK: if the kernel
 *    enters a handler on the way in, it stops at the entry point instead.
 * A trace pc the guest cannot execute (unaligned, not canonical, one of the
 * target's pages) is run at a stand-in address, mapped back when the kernel
 * reports or resumes it (x2 at entry, pc after COMPLETE).
 *
 * The SDEI interface is what KVM_CAP_ARM_SDEI says AND the guest's
 * SDEI_VERSION confirms (kvm_uapi.h): VMM commands go to v5's ioctl; on any
 * other kernel they are "not available", never faked.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "kvm_guest.h"
#include "kvm_target.h"
#include "kvm_uapi.h"
#include "kvm_vm.h"
#include "sdei/sdei_abi.h"
#include "sdei/sdei_quirks.h"

#define MAX_NEST 2u /* a normal handler and the critical one preempting it */

typedef struct kvm_entry {
    uint64_t real_pc;  /* the pc the vCPU was really interrupted at */
    uint64_t trace_pc; /* the trace's pc it stands for */
    uint64_t num;
} kvm_entry;

typedef struct kvm_vcpu_state {
    sdei_regs regs; /* the trace's register file */
    kvm_entry stack[MAX_NEST];
    uint32_t depth;
} kvm_vcpu_state;

struct sim_impl {
    kvm_vm vm;
    sdei_config cfg; /* for the destination VM of a migration */
    kvm_vcpu_state *v;
    uint64_t quirks; /* the trace's profile: which function IDs names mean */
    sim_kvm_iface iface;
};

/* The last failure, for the executor's finding line (one process, one VM
 * at a time runs). */
static char last_failure[256];

static void report(const char *fmt, uint64_t a, uint64_t b) __attribute__((format(printf, 1, 0)));
static void report(const char *fmt, uint64_t a, uint64_t b)
{
    snprintf(last_failure, sizeof(last_failure), fmt, a, b);
    fprintf(stderr, "kvm: %s\n", last_failure);
}

#define PSTATE_SS (UINT64_C(1) << 21) /* software step */
#define PSTATE_IL (UINT64_C(1) << 20) /* illegal execution state */

/* PSTATE to run the guest with: the trace's if it names EL1 (without IL and
 * SS, with which no instruction runs), else EL1h with DAIF masked (an HVC is
 * undefined at EL0); the file keeps the trace's. */
static uint64_t run_pstate(uint64_t pstate)
{
    return ((pstate >> 2) & 3u) == 1u && (pstate & 0x10u) == 0 ? pstate & ~(PSTATE_SS | PSTATE_IL)
                                                               : UINT64_C(0x3c5);
}

/* Copies the file into the vCPU with pc = real_pc, runs to the next BRK and
 * reads the vCPU back into *out. Returns 0 or SIM_IMPL_FINDING (reported). */
static int run_at(sim_impl *k, uint32_t v, uint64_t real_pc, sdei_regs *out)
{
    sdei_regs r = k->v[v].regs;
    r.pc = real_pc;
    r.pstate = run_pstate(r.pstate);
    uint64_t detail = 0;
    if (kvm_vm_set_regs(&k->vm, v, &r) != 0) {
        report("vCPU %" PRIu64 ": KVM_SET_ONE_REG failed (errno %" PRIu64 ")", v, (uint64_t)errno);
        return SIM_IMPL_FINDING;
    }
    kvm_stop s = kvm_vm_run(&k->vm, v, &detail);
    if (s == KVM_STOP_TIMEOUT) {
        report("vCPU %" PRIu64 ": the guest did not come back within %" PRIu64
               " ms (SDEI_KVM_TIMEOUT_MS): the kernel hangs or loops in the guest",
               v, k->vm.timeout_ms);
        return SIM_IMPL_FINDING;
    }
    if (s != KVM_STOP_BRK) {
        report("vCPU %" PRIu64 ": KVM_RUN ended without the guest's BRK (exit reason, "
               "errno or ESR 0x%" PRIx64 ")",
               v, detail);
        return SIM_IMPL_FINDING;
    }
    if (kvm_vm_get_regs(&k->vm, v, out) != 0) {
        report("vCPU %" PRIu64 ": KVM_GET_ONE_REG failed (errno %" PRIu64 ")", v, (uint64_t)errno);
        return SIM_IMPL_FINDING;
    }
    if (sim_kvm_guest_in_vectors(out->pc)) {
        uint64_t esr = 0;
        (void)kvm_vm_get_sysreg(&k->vm, v, sim_kvm_sys_reg(3, 0, 5, 2, 0), &esr);
        report("the guest took an exception (ESR_EL1 0x%" PRIx64 ", ELR_EL1 0x%" PRIx64
               "): a pc or PSTATE it cannot run with",
               esr, out->elr_el1);
        return SIM_IMPL_FINDING;
    }
    return 0;
}

/* The register file after a run: everything from the vCPU but what the target
 * substituted (pc is the caller's; PSTATE when it was not the trace's). */
static void take_regs(sim_impl *k, uint32_t v, const sdei_regs *real, uint64_t pc)
{
    sdei_regs *g = &k->v[v].regs;
    uint64_t pstate = run_pstate(g->pstate) == g->pstate ? real->pstate : g->pstate;
    *g = *real;
    g->pc = pc;
    g->pstate = pstate;
}

static uint32_t call_of(const sim_impl *k, uint64_t x0)
{
    uint32_t fid = (uint32_t)x0;
    if ((k->quirks & SDEI_QUIRK_BIT(FEATURES_FID_0X50)) != 0 &&
        fid == (uint32_t)SDEI_FID_FEATURES_KVM_V5) {
        return SDEI_CALL_FEATURES;
    }
    if (fid >= (uint32_t)SDEI_FID_BASE && fid < (uint32_t)SDEI_FID_BASE + SDEI_CALL_COUNT) {
        return fid - (uint32_t)SDEI_FID_BASE;
    }
    return SDEI_CALL_ID_NONE;
}

static int k_hypercall(sim_impl *k, uint32_t v, sdei_call_info *info)
{
    kvm_vcpu_state *s = &k->v[v];
    sdei_regs real;
    uint64_t fid = s->regs.x[0];
    memset(info, 0, sizeof(*info));
    info->call = call_of(k, fid);
    int e = run_at(k, v, SIM_KVM_CODE_VA, &real);
    if (e != 0) {
        return e;
    }
    if (real.pc == SIM_KVM_CODE_VA + 4u) {
        /* the call returned to the instruction after the HVC */
        int sdei = (uint32_t)fid >= (uint32_t)SDEI_FID_RANGE_FIRST &&
                   (uint32_t)fid <= (uint32_t)SDEI_FID_RANGE_LAST;
        info->outcome =
            sdei || info->call != SDEI_CALL_ID_NONE ? SDEI_CALL_RETURNED : SDEI_CALL_NOT_SDEI;
        info->result = (int64_t)real.x[0];
        take_regs(k, v, &real, s->regs.pc);
        return SDEI_OK;
    }
    if (s->depth > 0 && s->stack[s->depth - 1].real_pc == real.pc) {
        /* COMPLETE: the kernel resumed the interrupted context */
        s->depth--;
        info->outcome = SDEI_CALL_COMPLETED;
        info->completed_num = s->stack[s->depth].num;
        take_regs(k, v, &real, s->stack[s->depth].trace_pc);
        return SDEI_OK;
    }
    if ((info->call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME) && s->depth > 0 &&
        real.pc == s->regs.x[1]) {
        s->depth--;
        info->outcome = SDEI_CALL_COMPLETED;
        info->completed_num = s->stack[s->depth].num;
        take_regs(k, v, &real, real.pc);
        return SDEI_OK;
    }
    report("the kernel went on at pc 0x%" PRIx64 " after function 0x%" PRIx64
           " (a handler entered on the call's return?): the trace cannot express it yet "
           "(docs/kvm-target.md)",
           real.pc, fid);
    return SIM_IMPL_FINDING;
}

static int k_deliver(sim_impl *k, uint32_t v, sdei_delivery *out)
{
    kvm_vcpu_state *s = &k->v[v];
    uint64_t trace_pc = s->regs.pc;
    uint64_t real_pc =
        sim_kvm_guest_va_traps(trace_pc) ? trace_pc : SIM_KVM_STANDIN_VA + 8u * s->depth;
    sdei_regs real;
    memset(out, 0, sizeof(*out));
    int e = run_at(k, v, real_pc, &real);
    if (e != 0) {
        return e;
    }
    if (real.pc == real_pc) {
        return SDEI_OK; /* nothing entered: the guest stopped where it was */
    }
    if (s->depth == MAX_NEST) {
        report("vCPU %" PRIu64 ": a third nested handler entry at 0x%" PRIx64, v, real.pc);
        return SIM_IMPL_FINDING;
    }
    out->delivered = 1;
    out->num = real.x[0];
    out->preempted = s->depth > 0;
    out->priority = s->depth > 0 ? SDEI_EVENT_PRIORITY_CRITICAL : SDEI_EVENT_PRIORITY_NORMAL;
    s->stack[s->depth++] = (kvm_entry){real_pc, trace_pc, real.x[0]};
    if (real.x[2] == real_pc) {
        real.x[2] = trace_pc; /* x2 = the interrupted pc (sdei-rules §7) */
    }
    if (real.elr_el1 == real_pc) {
        real.elr_el1 = trace_pc;
    }
    take_regs(k, v, &real, real.pc);
    return SDEI_OK;
}

/* The kvm target's ioctls go to the running kernel (kvm_uapi.h). */
static int real_io(void *ctx, uint32_t vcpu, uint32_t req, void *arg, void *user, size_t len)
{
    (void)user, (void)len; /* the kernel reaches the VMM's memory itself */
    return kvm_vm_ioctl(ctx, vcpu, req, arg);
}

static int k_vmm(sim_impl *k, uint32_t vcpu, sdei_vmm_cmd_block *cmd, int32_t *ret)
{
    if (k->iface != SIM_KVM_IFACE_V5) {
        return SIM_IMPL_UNAVAILABLE; /* no KVM_ARM_SDEI_COMMAND on this kernel */
    }
    if (vcpu != SDEI_VMM_VM && vcpu >= k->vm.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    *ret = sim_kvm_v5_command(real_io, &k->vm, vcpu, cmd);
    return SDEI_OK;
}

static int k_unavailable_trigger(sim_impl *k, uint64_t num, uint32_t v, sdei_trigger_result *o)
{
    (void)k, (void)num, (void)v, (void)o;
    return SIM_IMPL_UNAVAILABLE; /* a platform event: no such thing from user space */
}

static int k_unavailable_irq(sim_impl *k, uint32_t intid, uint32_t v, sdei_trigger_result *o)
{
    (void)k, (void)intid, (void)v, (void)o;
    return SIM_IMPL_UNAVAILABLE; /* no interrupt controller in the target's VM */
}

static int k_unavailable_expose(sim_impl *k, const sdei_event_desc *desc)
{
    (void)k, (void)desc;
    return SIM_IMPL_UNAVAILABLE; /* v5 exposes through SET_EXPOSED_EVENT (a vmm line) */
}

static int k_create(const sdei_config *cfg, sim_impl **out, char *err, size_t errlen);
static void k_destroy(sim_impl *k);

/* Migration through the kernel's own interface (v5: the command sequence of
 * kvm-v5 §7; v7: every SDEI firmware register of every vCPU) to a fresh VM;
 * the register files and the handler stacks are the VMM's and travel as
 * they are. Any other kernel has none: not available, never faked. */
static int k_migrate(sim_impl *k, char *err, size_t errlen)
{
    if (k->iface != SIM_KVM_IFACE_V5 && k->iface != SIM_KVM_IFACE_V7) {
        snprintf(err, errlen, "kvm: migration is not available on this kernel (SDEI interface %s)",
                 sim_kvm_iface_name(k->iface));
        return SIM_IMPL_UNAVAILABLE;
    }
    sim_impl *dst = NULL;
    if (k_create(&k->cfg, &dst, err, errlen) != 0 || dst->iface != k->iface) {
        report("migration: the destination VM cannot be made like the source (%" PRIu64 " vCPUs)",
               k->vm.nr_vcpus, 0);
        k_destroy(dst);
        return SIM_IMPL_FINDING;
    }
    int r = 0;
    if (k->iface == SIM_KVM_IFACE_V5) {
        r = sim_kvm_v5_copy_vm(real_io, &k->vm, &dst->vm, k->vm.nr_vcpus, err, errlen);
    }
    for (uint32_t v = 0; k->iface == SIM_KVM_IFACE_V7 && v < k->vm.nr_vcpus && r == 0; v++) {
        r = sim_kvm_v7_copy_vcpu(real_io, &k->vm, &dst->vm, v, err, errlen);
    }
    if (r != 0) {
        k_destroy(dst);
        return SDEI_E_FORMAT; /* the VM goes on on the source */
    }
    kvm_vm_close(&k->vm);
    k->vm = dst->vm;
    free(dst->v);
    free(dst);
    return SDEI_OK;
}

static int k_vcpu_reset(sim_impl *k, uint32_t v)
{
    char err[160];
    if (kvm_vm_vcpu_reset(&k->vm, v, err, sizeof(err)) != 0) {
        snprintf(last_failure, sizeof(last_failure), "%s", err);
        fprintf(stderr, "%s\n", err);
        return SIM_IMPL_FINDING;
    }
    /* kvm_reset_vcpu: registers 0, PSTATE EL1h with DAIF (VCPU_RESET_PSTATE_EL1) */
    memset(&k->v[v], 0, sizeof(k->v[v]));
    k->v[v].regs.pstate = SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF;
    return SDEI_OK;
}

static int k_no_state(sim_impl *k, uint64_t num, uint32_t v, sdei_event_state *out)
{
    (void)k, (void)num, (void)v, (void)out;
    return SIM_IMPL_UNAVAILABLE;
}

static int k_no_pending(sim_impl *k, uint64_t num, uint32_t v, uint32_t *out)
{
    (void)k, (void)num, (void)v, (void)out;
    return SIM_IMPL_UNAVAILABLE;
}

static int k_no_view(sim_impl *k, uint32_t v, sdei_vcpu_view *out)
{
    (void)k, (void)v, (void)out;
    return SIM_IMPL_UNAVAILABLE;
}

static uint32_t k_event_count(sim_impl *k)
{
    (void)k;
    return 0; /* not observable: the kernel's table is behind the VMM interface */
}

static int k_event_at(sim_impl *k, uint32_t index, sdei_event_desc *out)
{
    (void)k, (void)index, (void)out;
    return SDEI_E_RANGE;
}

static const char *k_check(sim_impl *k)
{
    (void)k;
    return NULL;
}

static const char *k_finding(sim_impl *k)
{
    (void)k;
    return last_failure[0] != '\0' ? last_failure : NULL;
}

static sdei_vm *k_model_vm(sim_impl *k)
{
    (void)k;
    return NULL;
}

static sdei_regs *k_regs(sim_impl *k, uint32_t v)
{
    return v < k->vm.nr_vcpus ? &k->v[v].regs : NULL;
}

static uint64_t k_call_fid(sim_impl *k, sdei_call_id call)
{
    if (call == SDEI_CALL_FEATURES && (k->quirks & SDEI_QUIRK_BIT(FEATURES_FID_0X50)) != 0) {
        return SDEI_FID_FEATURES_KVM_V5;
    }
    return SDEI_FID_BASE + (uint64_t)call;
}

static void k_destroy(sim_impl *k)
{
    if (k != NULL) {
        kvm_vm_close(&k->vm);
        free(k->v);
        free(k);
    }
}

/* KVM_CAP_ARM_SDEI's numbers, confirmed by the guest's own SDEI_VERSION on
 * vCPU 0 (kvm_uapi.h): a released kernel answers 1 to some of them. */
static int detect_iface(sim_impl *k)
{
    int cap[3] = {kvm_vm_check_cap(&k->vm, SIM_KVM_CAP_SDEI_V5),
                  kvm_vm_check_cap(&k->vm, SIM_KVM_CAP_SDEI_V6),
                  kvm_vm_check_cap(&k->vm, SIM_KVM_CAP_SDEI_V7)};
    sdei_regs saved = k->v[0].regs, real;
    k->v[0].regs.x[0] = SDEI_FID_VERSION;
    int e = run_at(k, 0, SIM_KVM_CODE_VA, &real);
    k->v[0].regs = saved;
    if (e != 0) {
        return e;
    }
    k->iface = sim_kvm_iface_detect(cap, real.x[0]);
    fprintf(stderr,
            "kvm: KVM_CAP_ARM_SDEI 211/214/217 = %d/%d/%d, guest SDEI_VERSION = 0x%" PRIx64
            ": SDEI interface %s\n",
            cap[0], cap[1], cap[2], real.x[0], sim_kvm_iface_name(k->iface));
    return 0;
}

static int k_create(const sdei_config *cfg, sim_impl **out, char *err, size_t errlen)
{
    sim_impl *k = calloc(1, sizeof(*k));
    if (k == NULL || (k->v = calloc(cfg->nr_vcpus, sizeof(*k->v))) == NULL) {
        free(k);
        snprintf(err, errlen, "kvm: out of memory");
        return -1;
    }
    k->cfg = *cfg;
    k->quirks = cfg->quirks_override ? cfg->quirks : sdei_profile_quirks(cfg->profile);
    if (kvm_vm_open(&k->vm, cfg, err, errlen) != 0) {
        k_destroy(k);
        return -1;
    }
    for (uint32_t v = 0; v < cfg->nr_vcpus; v++) {
        /* the model's reset register file: zeros, EL1h with DAIF masked for
         * the real vCPU (run_pstate) */
        memset(&k->v[v].regs, 0, sizeof(k->v[v].regs));
    }
    if (detect_iface(k) != 0) {
        snprintf(err, errlen, "kvm: the guest's SDEI_VERSION probe failed (reported above)");
        k_destroy(k);
        return -1;
    }
    *out = k;
    return 0;
}

int sim_kvm_probe(char *err, size_t errlen)
{
    kvm_vm vm;
    sdei_config cfg = sdei_config_default(1);
    int e = kvm_vm_open(&vm, &cfg, err, errlen);
    kvm_vm_close(&vm);
    return e;
}

const sim_impl_ops sim_impl_kvm = {
    .name = "kvm",
    .caps = SIM_CAP_HVC | SIM_CAP_DELIVER | SIM_CAP_VMM | SIM_CAP_MIGRATE | SIM_CAP_TRIGGER |
            SIM_CAP_IRQ | SIM_CAP_EXPOSE,
    .create = k_create,
    .destroy = k_destroy,
    .regs = k_regs,
    .call_fid = k_call_fid,
    .hypercall = k_hypercall,
    .deliver = k_deliver,
    .trigger = k_unavailable_trigger,
    .irq = k_unavailable_irq,
    .expose = k_unavailable_expose,
    .vmm = k_vmm,
    .migrate = k_migrate,
    .vcpu_reset = k_vcpu_reset,
    .event_state = k_no_state,
    .pending_count = k_no_pending,
    .vcpu_view = k_no_view,
    .event_count = k_event_count,
    .event_at = k_event_at,
    .check = k_check,
    .finding = k_finding,
    .model_vm = k_model_vm,
};
