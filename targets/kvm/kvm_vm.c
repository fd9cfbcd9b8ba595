/* SPDX-License-Identifier: BSD-3-Clause */
/* kvm_vm.c - the /dev/kvm layer of the kvm target (kvm_vm.h). */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, setitimer */
#include "kvm_vm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kvm_guest.h"
#include "kvm_target.h"
#include "kvm_uapi.h"

#define EXIT_OTHER 3

/* kvm_uapi.h's numbers are the ones of this system's uAPI. */
_Static_assert(SIM_KVM_GET_ONE_REG == KVM_GET_ONE_REG, "KVM_GET_ONE_REG");
_Static_assert(SIM_KVM_SET_ONE_REG == KVM_SET_ONE_REG, "KVM_SET_ONE_REG");

static int fail(char *err, size_t n, int code, const char *fmt, const char *what)
{
    snprintf(err, n, fmt, what);
    return code;
}

static int set_one(int fd, uint64_t id, uint64_t val)
{
    struct kvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)&val};
    return ioctl(fd, KVM_SET_ONE_REG, &r) == 0 ? 0 : -errno;
}

static int get_one(int fd, uint64_t id, uint64_t *val)
{
    struct kvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)val};
    return ioctl(fd, KVM_GET_ONE_REG, &r) == 0 ? 0 : -errno;
}

int kvm_vm_ioctl(kvm_vm *vm, uint32_t vcpu, unsigned long req, void *arg)
{
    int fd = vcpu == UINT32_MAX ? vm->vm_fd : vm->vcpu[vcpu].fd;
    return ioctl(fd, req, arg) == 0 ? 0 : -errno;
}

int kvm_vm_check_cap(const kvm_vm *vm, long cap)
{
    int r = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap);
    return r < 0 ? 0 : r;
}

/* Stage 1 on, vectors and SPAN: what the guest image needs (kvm_guest.h). */
static int setup_sysregs(kvm_vm *vm, int fd)
{
    const uint64_t sctlr = sim_kvm_sys_reg(3, 0, 1, 0, 0);
    uint64_t reset = 0;
    int e = get_one(fd, sctlr, &reset);
    e = e ? e : set_one(fd, sim_kvm_sys_reg(3, 0, 10, 2, 0), SIM_KVM_MAIR);
    e = e ? e : set_one(fd, sim_kvm_sys_reg(3, 0, 2, 0, 2), sim_kvm_guest_tcr());
    e = e ? e : set_one(fd, sim_kvm_sys_reg(3, 0, 2, 0, 0), sim_kvm_guest_ttbr());
    e = e ? e : set_one(fd, sim_kvm_sys_reg(3, 0, 2, 0, 1), sim_kvm_guest_ttbr());
    e = e ? e : set_one(fd, sim_kvm_sys_reg(3, 0, 12, 0, 0), SIM_KVM_VBAR_VA);
    e = e ? e : set_one(fd, sctlr, sim_kvm_guest_sctlr(reset, vm->span));
    return e;
}

static int vcpu_init(kvm_vm *vm, uint32_t v, char *err, size_t errlen)
{
    struct kvm_vcpu_init init;
    memset(&init, 0, sizeof(init));
    if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) != 0) {
        return fail(err, errlen, SIM_KVM_EXIT_NOT_ARM64,
                    "kvm: KVM_ARM_PREFERRED_TARGET failed (%s): not an arm64 KVM", strerror(errno));
    }
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (ioctl(vm->vcpu[v].fd, KVM_ARM_VCPU_INIT, &init) != 0) {
        return fail(err, errlen, EXIT_OTHER, "kvm: KVM_ARM_VCPU_INIT failed: %s", strerror(errno));
    }
    struct kvm_guest_debug dbg;
    memset(&dbg, 0, sizeof(dbg));
    dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
    if (ioctl(vm->vcpu[v].fd, KVM_SET_GUEST_DEBUG, &dbg) != 0) {
        return fail(err, errlen, EXIT_OTHER,
                    "kvm: KVM_SET_GUEST_DEBUG (software breakpoints) failed: %s", strerror(errno));
    }
    int e = setup_sysregs(vm, vm->vcpu[v].fd);
    if (e != 0) {
        return fail(err, errlen, EXIT_OTHER, "kvm: setting the guest's system registers: %s",
                    strerror(-e));
    }
    return 0;
}

int kvm_vm_vcpu_reset(kvm_vm *vm, uint32_t v, char *err, size_t errlen)
{
    return vcpu_init(vm, v, err, errlen);
}

static int open_device(kvm_vm *vm, char *err, size_t errlen)
{
    vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (vm->kvm_fd < 0) {
        if (errno == ENOENT || errno == ENXIO || errno == ENODEV) {
            return fail(err, errlen, SIM_KVM_EXIT_NO_DEVICE,
                        "kvm: no /dev/kvm (%s): KVM is not available on this machine",
                        strerror(errno));
        }
        if (errno == EACCES || errno == EPERM) {
            return fail(err, errlen, SIM_KVM_EXIT_PERMISSION,
                        "kvm: /dev/kvm: %s (join the kvm group or run as root)", strerror(errno));
        }
        return fail(err, errlen, EXIT_OTHER, "kvm: cannot open /dev/kvm: %s", strerror(errno));
    }
    if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
        return fail(err, errlen, EXIT_OTHER, "kvm: KVM_GET_API_VERSION is not %s", "12");
    }
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0) {
        return fail(err, errlen, EXIT_OTHER, "kvm: KVM_CREATE_VM failed: %s", strerror(errno));
    }
    return 0;
}

static int map_guest(kvm_vm *vm, char *err, size_t errlen)
{
    void *mem =
        mmap(NULL, SIM_KVM_GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        return fail(err, errlen, EXIT_OTHER, "kvm: guest memory: %s", strerror(errno));
    }
    vm->mem = mem;
    sim_kvm_guest_build(vm->mem);
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = SIM_KVM_GUEST_IPA,
        .memory_size = SIM_KVM_GUEST_SIZE,
        .userspace_addr = (uint64_t)(uintptr_t)vm->mem,
    };
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) != 0) {
        return fail(err, errlen, EXIT_OTHER, "kvm: KVM_SET_USER_MEMORY_REGION failed: %s",
                    strerror(errno));
    }
    return 0;
}

static int create_vcpu(kvm_vm *vm, const sdei_config *cfg, uint32_t v, char *err, size_t n)
{
    kvm_vcpu_slot *s = &vm->vcpu[v];
    int size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    s->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)v);
    if (s->fd < 0 || size <= 0) {
        return fail(err, n, EXIT_OTHER, "kvm: KVM_CREATE_VCPU failed: %s", strerror(errno));
    }
    s->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
    if (s->run == MAP_FAILED) {
        s->run = NULL;
        return fail(err, n, EXIT_OTHER, "kvm: mmap of kvm_run failed: %s", strerror(errno));
    }
    s->run_size = (size_t)size;
    int e = vcpu_init(vm, v, err, n);
    if (e != 0) {
        return e;
    }
    /* MPIDR_EL1 (3,0,0,0,5): KVM's default unless the config names another */
    const uint64_t mpidr_id = sim_kvm_sys_reg(3, 0, 0, 0, 5);
    uint64_t want = cfg->mpidr != NULL ? cfg->mpidr[v] : sdei_default_mpidr(v), have = 0;
    if (get_one(s->fd, mpidr_id, &have) != 0 || ((have ^ want) & UINT64_C(0xff00ffffff)) != 0) {
        if (set_one(s->fd, mpidr_id, want | (UINT64_C(1) << 31)) != 0) {
            return fail(err, n, EXIT_OTHER, "kvm: this KVM refuses the MPIDR the trace names: %s",
                        strerror(errno));
        }
    }
    return 0;
}

int kvm_vm_open(kvm_vm *vm, const sdei_config *cfg, char *err, size_t errlen)
{
    memset(vm, 0, sizeof(*vm));
    vm->kvm_fd = vm->vm_fd = -1;
    vm->span = cfg->sctlr_el1_span;
    const char *t = getenv("SDEI_KVM_TIMEOUT_MS");
    vm->timeout_ms = t != NULL && atoi(t) > 0 ? (unsigned)atoi(t) : 5000u;
    int e = open_device(vm, err, errlen);
    e = e ? e : map_guest(vm, err, errlen);
    if (e != 0) {
        return e;
    }
    vm->vcpu = calloc(cfg->nr_vcpus, sizeof(*vm->vcpu));
    if (vm->vcpu == NULL) {
        return fail(err, errlen, EXIT_OTHER, "kvm: %s", "out of memory");
    }
    for (uint32_t v = 0; v < cfg->nr_vcpus; v++) {
        vm->vcpu[v].fd = -1;
    }
    vm->nr_vcpus = cfg->nr_vcpus;
    for (uint32_t v = 0; v < cfg->nr_vcpus && e == 0; v++) {
        e = create_vcpu(vm, cfg, v, err, errlen);
    }
    return e;
}

void kvm_vm_close(kvm_vm *vm)
{
    for (uint32_t v = 0; vm->vcpu != NULL && v < vm->nr_vcpus; v++) {
        if (vm->vcpu[v].run != NULL) {
            munmap(vm->vcpu[v].run, vm->vcpu[v].run_size);
        }
        if (vm->vcpu[v].fd >= 0) {
            close(vm->vcpu[v].fd);
        }
    }
    free(vm->vcpu);
    if (vm->vm_fd >= 0) {
        close(vm->vm_fd);
    }
    if (vm->kvm_fd >= 0) {
        close(vm->kvm_fd);
    }
    if (vm->mem != NULL) {
        munmap(vm->mem, SIM_KVM_GUEST_SIZE);
    }
    memset(vm, 0, sizeof(*vm));
    vm->kvm_fd = vm->vm_fd = -1;
}

int kvm_vm_set_regs(kvm_vm *vm, uint32_t v, const sdei_regs *r)
{
    int fd = vm->vcpu[v].fd, e = 0;
    for (unsigned i = 0; i < 31 && e == 0; i++) {
        e = set_one(fd, sim_kvm_core_x(i), r->x[i]);
    }
    e = e ? e : set_one(fd, sim_kvm_core_sp_el1(), r->sp);
    e = e ? e : set_one(fd, sim_kvm_core_pc(), r->pc);
    e = e ? e : set_one(fd, sim_kvm_core_pstate(), r->pstate);
    e = e ? e : set_one(fd, sim_kvm_core_elr_el1(), r->elr_el1);
    e = e ? e : set_one(fd, sim_kvm_core_spsr_el1(), r->spsr_el1);
    return e;
}

int kvm_vm_get_regs(kvm_vm *vm, uint32_t v, sdei_regs *r)
{
    int fd = vm->vcpu[v].fd, e = 0;
    for (unsigned i = 0; i < 31 && e == 0; i++) {
        e = get_one(fd, sim_kvm_core_x(i), &r->x[i]);
    }
    e = e ? e : get_one(fd, sim_kvm_core_sp_el1(), &r->sp);
    e = e ? e : get_one(fd, sim_kvm_core_pc(), &r->pc);
    e = e ? e : get_one(fd, sim_kvm_core_pstate(), &r->pstate);
    e = e ? e : get_one(fd, sim_kvm_core_elr_el1(), &r->elr_el1);
    e = e ? e : get_one(fd, sim_kvm_core_spsr_el1(), &r->spsr_el1);
    return e;
}

int kvm_vm_get_sysreg(kvm_vm *vm, uint32_t v, uint64_t id, uint64_t *val)
{
    return get_one(vm->vcpu[v].fd, id, val);
}

static void on_alarm(int sig)
{
    (void)sig; /* only interrupts KVM_RUN (EINTR) */
}

/* A one-shot timer that interrupts KVM_RUN; 0 ms disarms it. */
static void arm_timer(unsigned ms)
{
    static int installed;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_alarm; /* no SA_RESTART: KVM_RUN must return */
        sigaction(SIGALRM, &sa, NULL);
        installed = 1;
    }
    struct itimerval it;
    memset(&it, 0, sizeof(it));
    it.it_value.tv_sec = ms / 1000u;
    it.it_value.tv_usec = (suseconds_t)(ms % 1000u) * 1000;
    setitimer(ITIMER_REAL, &it, NULL);
}

kvm_stop kvm_vm_run(kvm_vm *vm, uint32_t v, uint64_t *detail)
{
    struct kvm_run *run = vm->vcpu[v].run;
    arm_timer(vm->timeout_ms);
    int r = ioctl(vm->vcpu[v].fd, KVM_RUN, 0);
    int saved = errno;
    arm_timer(0);
    if (r != 0) {
        *detail = (uint64_t)saved;
        return saved == EINTR ? KVM_STOP_TIMEOUT : KVM_STOP_OTHER;
    }
    if (run->exit_reason == KVM_EXIT_DEBUG) {
        *detail = run->debug.arch.hsr;
        return (run->debug.arch.hsr >> 26) == 0x3cu ? KVM_STOP_BRK : KVM_STOP_OTHER;
    }
    *detail = run->exit_reason;
    return run->exit_reason == KVM_EXIT_INTR ? KVM_STOP_TIMEOUT : KVM_STOP_OTHER;
}
