/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * glue_v5.c - the v5 series' sdei.c driven as v5's arm.c and hypercalls.c
 * drive it (kernel-trees/kvm-sdei-v5/PROVENANCE.md): kvm_sdei_init_vm /
 * kvm_sdei_create_vcpu at creation, kvm_sdei_hypercall for the SDEI function
 * IDs hypercalls.c lists, kvm_sdei_deliver_event on KVM_REQ_SDEI before guest entry,
 * kvm_sdei_vm_ioctl / kvm_sdei_vcpu_ioctl for KVM_ARM_SDEI_COMMAND, and
 * teardown as the recordings show arm.c does it (destroy_vm, then vCPUs).
 *
 * The kernel structs are read by field name from the tree's kvm_sdei.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/kvm_emulate.h>
#include <asm/kvm_sdei.h>
#include <kvm/arm_hypercalls.h>
#include <linux/slab.h>

#include "kstub_run.h"
#include "glue_common.h"

const char kg_version[] = "v5";
const int kg_has_vmm = 1;
const int kg_has_fwregs = 0;
const int kg_has_expose = 1;
const int kg_has_shared = 1;

/* The per-version answer to __kvm_adjust_pc: v5 queues an IRQ exception that
 * its hyp/exception.c ignores (kvm-v5 §5.3 step 3): dropped. */
void kstub_inject_irq(struct kvm_vcpu *vcpu)
{
    vcpu->arch.irq_pending = 1;
}

void kstub_adjust_pc(struct kvm_vcpu *vcpu)
{
    vcpu->arch.irq_pending = 0;
}

uint64_t kg_call_fid(unsigned call)
{
    return call == 16 ? SDEI_1_1_FN_SDEI_FEATURES : SDEI_1_0_FN(call);
}

/* v5's hypercalls.c lists the 19 SDEI function IDs it sends to the SDEI code
 * (kvm-v5 §4.1; Oliver Upton asked it to route by range instead, §9.1):
 * VERSION..SHARED_RESET without 0x30, and FEATURES at 0x50. */
int kg_call_of_fid(uint64_t x0)
{
    u32 fid = (u32)x0; /* smccc_get_function() */
    if (fid == SDEI_1_1_FN_SDEI_FEATURES) {
        return 16;
    }
    if (fid < SDEI_1_0_FN_BASE || fid > SDEI_1_0_FN_SDEI_SHARED_RESET || fid == SDEI_1_0_FN(0x10)) {
        return KG_NOT_ROUTED;
    }
    return (int)(fid - SDEI_1_0_FN_BASE);
}

int kg_create(uint32_t nr_vcpus, kg_vm **out)
{
    int rc;
    kg_vm *vm = kg_shell_new(nr_vcpus);
    if (vm == NULL) {
        return -1;
    }
    KSTUB_CALL(rc, "kvm_sdei_init_vm", kvm_sdei_init_vm(vm->kvm));
    for (uint32_t i = 0; i < nr_vcpus && rc >= 0; i++) {
        KSTUB_CALL(rc, "kvm_sdei_create_vcpu", kvm_sdei_create_vcpu(vm->kvm->vcpus[i]));
    }
    *out = vm;
    return rc < 0 ? KG_FINDING : 0;
}

int kg_destroy(kg_vm *vm)
{
    int rc = 0, r;
    if (vm == NULL) {
        return 0;
    }
    KSTUB_CALL(r, "kvm_sdei_destroy_vm", kvm_sdei_destroy_vm(vm->kvm));
    rc = r < 0 ? r : rc;
    for (uint32_t i = 0; i < vm->nr && rc >= 0; i++) {
        KSTUB_CALL(r, "kvm_sdei_destroy_vcpu", kvm_sdei_destroy_vcpu(vm->kvm->vcpus[i]));
        rc = r < 0 ? r : rc;
    }
    for (uint32_t i = 0; i < vm->nr && rc >= 0; i++) {
        struct kvm_vcpu *vcpu = vm->kvm->vcpus[i];
        if (vcpu->arch.sdei != NULL) {
            /* destroy_vcpu frees nothing once destroy_vm cleared the VM
             * object: every vCPU's state (and its queued instances) leaks. */
            if (kstub_first_time("leak:vcpu")) {
                kstub_enter("kvm_sdei_destroy_vcpu");
                kstub_finding_add("memory-leak", KSTUB_WARN,
                                  "kvm_sdei_destroy_vcpu after "
                                  "kvm_sdei_destroy_vm leaves vcpu->arch.sdei allocated");
                (void)kstub_leave();
            }
            kfree(vcpu->arch.sdei);
            vcpu->arch.sdei = NULL;
        }
    }
    kc_vm_free(vm->kvm);
    free(vm->regs);
    free(vm);
    return rc < 0 ? KG_FINDING : 0;
}

/* 1 if r is on the VM's registered list. */
static int registered_listed(struct kvm_sdei_kvm *k, struct kvm_sdei_registered_event *r)
{
    struct kvm_sdei_registered_event *e;
    list_for_each_entry(e, &k->registered_events, link) {
        if (e == r) {
            return 1;
        }
    }
    return 0;
}

/* v5 frees a registered object when its last registered bit clears (a
 * COMPLETE of an unregister-pending event, kvm-v5 §5.3 step 5), whatever
 * vCPU events still point at it: a shared event running on two vCPUs
 * (shared_per_vcpu), or an instance the VMM queued where the event is not
 * registered (SET_VCPU_EVENT). That vCPU's next COMPLETE reads and frees it
 * again. KASAN sees only that later use; the harness reports the dangling
 * pointer when the call that made it returns (fatal: from here on the code
 * runs on freed memory). Checked only when the registered count fell. */
static int dangling_registered(kg_vm *vm, unsigned before)
{
    struct kvm_sdei_kvm *k = vm->kvm->arch.sdei;
    if (k == NULL || k->registered_event_count >= before) {
        return 0;
    }
    for (uint32_t i = 0; i < vm->nr; i++) {
        struct kvm_sdei_vcpu *s = vm->kvm->vcpus[i]->arch.sdei;
        struct list_head *lists[2] = {&s->critical_events, &s->normal_events};
        for (int l = 0; s != NULL && l < 2; l++) {
            struct kvm_sdei_vcpu_event *e;
            list_for_each_entry(e, lists[l], link) {
                if (registered_listed(k, e->registered_event)) {
                    continue;
                }
                kstub_enter("kvm_sdei_hypercall");
                kstub_finding_add("dangling-pointer", KSTUB_FATAL,
                                  "vCPU %u's event 0x%llx points at the registered event "
                                  "remove_one_registered_event freed (arch/arm64/kvm/sdei.c:407 "
                                  "in hypercall_complete); its COMPLETE frees it again",
                                  i, (unsigned long long)e->state.num);
                (void)kstub_leave();
                return 1;
            }
        }
    }
    return 0;
}

int kg_hvc(kg_vm *vm, uint32_t v)
{
    int rc = 0;
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    struct kvm_sdei_kvm *k = vm->kvm->arch.sdei;
    unsigned before = k != NULL ? k->registered_event_count : 0;
    kc_regs_in(vcpu, &vm->regs[v]);
    if (kg_call_of_fid(vm->regs[v].x[0]) == KG_NOT_ROUTED) {
        kc_not_supported(vcpu);
    } else {
        KSTUB_CALL(rc, "kvm_sdei_hypercall", (void)kvm_sdei_hypercall(vcpu));
    }
    kc_regs_out(vcpu, &vm->regs[v]);
    if (rc >= 0 && dangling_registered(vm, before)) {
        rc = -1;
    }
    return rc < 0 ? KG_FINDING : 0;
}

int kg_enter(kg_vm *vm, uint32_t v)
{
    int rc = 0;
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    kc_regs_in(vcpu, &vm->regs[v]);
    /* check_vcpu_requests(), then the entry's own PC/exception update. */
    if (kvm_check_request(KVM_REQ_SDEI, vcpu)) {
        KSTUB_CALL(rc, "kvm_sdei_deliver_event", kvm_sdei_deliver_event(vcpu));
    }
    kstub_adjust_pc(vcpu);
    kc_regs_out(vcpu, &vm->regs[v]);
    return rc < 0 ? KG_FINDING : 0;
}

int kg_inject(kg_vm *vm, uint32_t v, uint64_t num, int32_t *ret)
{
    int rc, r = 0;
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    KSTUB_CALL(rc, "kvm_sdei_inject_event", r = kvm_sdei_inject_event(vcpu, num, false));
    *ret = r;
    return rc < 0 ? KG_FINDING : 0;
}

/* arm.c: KVM_ARM_SDEI_COMMAND on the VM fd or a vCPU fd; u is the user's
 * struct kvm_sdei_cmd (user memory is registered by the caller). */
static int sdei_cmd_ioctl(kg_vm *vm, uint32_t v, void *u, long *r)
{
    int rc;
    if (v == UINT32_MAX) {
        KSTUB_CALL(rc, "kvm_sdei_vm_ioctl", *r = kvm_sdei_vm_ioctl(vm->kvm, (unsigned long)u));
    } else {
        struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
        KSTUB_CALL(rc, "kvm_sdei_vcpu_ioctl", *r = kvm_sdei_vcpu_ioctl(vcpu, (unsigned long)u));
    }
    return rc < 0 ? KG_FINDING : 0;
}

int kg_vmm(kg_vm *vm, uint32_t v, uint32_t cmd, uint32_t count, uint64_t num, uint8_t *data,
           size_t data_len, int32_t *ret, uint32_t *count_out)
{
    long r = 0;
    /* The user's struct kvm_sdei_cmd, in "user memory" of its own. */
    struct kvm_sdei_cmd *u = calloc(1, sizeof(*u));
    if (u == NULL) {
        return -1;
    }
    u->cmd = cmd;
    u->count = count;
    if (cmd == KVM_SDEI_CMD_INJECT_EVENT) {
        u->num = num;
    } else {
        u->num = (__u64)(uintptr_t)data;
    }
    kstub_user_clear();
    kstub_user_add(u, sizeof(*u));
    kstub_user_add(data, data_len);
    int rc = sdei_cmd_ioctl(vm, v, u, &r);
    kstub_user_clear();
    *ret = (int32_t)r;
    *count_out = u->count;
    free(u);
    return rc;
}

int kg_ioctl(kg_vm *vm, uint32_t v, uint32_t req, void *arg, void *user, size_t user_len, long *ret)
{
    /* _IOWR(KVMIO, 0xd0, struct kvm_sdei_cmd): the size is the tree's */
    const uint32_t sdei_cmd =
        (UINT32_C(3) << 30) | ((uint32_t)sizeof(struct kvm_sdei_cmd) << 16) | (0xAEu << 8) | 0xD0u;
    *ret = -ENOTTY;
    if (req != sdei_cmd || (v != UINT32_MAX && v >= vm->nr)) {
        return 0;
    }
    kstub_user_clear();
    kstub_user_add(arg, sizeof(struct kvm_sdei_cmd));
    kstub_user_add(user, user_len);
    int rc = sdei_cmd_ioctl(vm, v, arg, ret);
    kstub_user_clear();
    return rc;
}

unsigned kg_fwreg_ids(uint64_t *out, unsigned max)
{
    (void)out, (void)max;
    return 0; /* v5 migrates through KVM_ARM_SDEI_COMMAND */
}

int kg_expose(kg_vm *vm, const kg_event *ev, int32_t *ret)
{
    struct kvm_sdei_exposed_event_state st;
    uint32_t n = 1;
    memset(&st, 0, sizeof(st));
    st.num = ev->num;
    st.type = ev->type;
    st.priority = ev->priority;
    st.signaled = ev->signaled;
    return kg_vmm(vm, UINT32_MAX, KVM_SDEI_CMD_SET_EXPOSED_EVENT, 1, 0, (uint8_t *)&st, sizeof(st),
                  ret, &n);
}

int kg_view_of(kg_vm *vm, uint32_t v, kg_view *out)
{
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    struct kvm_sdei_vcpu *s = vcpu != NULL ? vcpu->arch.sdei : NULL;
    memset(out, 0, sizeof(*out));
    if (s == NULL) {
        return -1;
    }
    const struct kvm_sdei_vcpu_regs_state *cr = &s->state.critical_regs;
    const struct kvm_sdei_vcpu_regs_state *nr = &s->state.normal_regs;
    out->masked = s->state.masked;
    out->critical_running = s->critical_event != NULL;
    out->normal_running = s->normal_event != NULL;
    out->critical_num = s->state.critical_num;
    out->normal_num = s->state.normal_num;
    KG_SAVED_COPY(out->critical_saved, cr);
    KG_SAVED_COPY(out->normal_saved, nr);
    out->queued = s->critical_event_count + s->normal_event_count;
    return 0;
}

static struct kvm_sdei_exposed_event *exposed_of(struct kvm_sdei_kvm *k, uint64_t num)
{
    struct kvm_sdei_exposed_event *e;
    list_for_each_entry(e, &k->exposed_events, link) {
        if (e->state.num == num) {
            return e;
        }
    }
    return NULL;
}

static struct kvm_sdei_vcpu_event *instance_of(struct kvm_sdei_vcpu *s, uint64_t num)
{
    struct kvm_sdei_vcpu_event *e;
    list_for_each_entry(e, &s->critical_events, link) {
        if (e->state.num == num) {
            return e;
        }
    }
    list_for_each_entry(e, &s->normal_events, link) {
        if (e->state.num == num) {
            return e;
        }
    }
    return NULL;
}

static int running_on(struct kvm_vcpu *vcpu, uint64_t num)
{
    struct kvm_sdei_vcpu *s = vcpu->arch.sdei;
    return s != NULL && ((s->critical_event != NULL && s->state.critical_num == num) ||
                         (s->normal_event != NULL && s->state.normal_num == num));
}

int kg_event_state(kg_vm *vm, uint64_t num, uint32_t v, kg_evstate *out)
{
    struct kvm_sdei_kvm *k = vm->kvm->arch.sdei;
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    struct kvm_sdei_registered_event *r;
    memset(out, 0, sizeof(*out));
    if (k == NULL || vcpu == NULL || vcpu->arch.sdei == NULL) {
        return -1;
    }
    struct kvm_sdei_exposed_event *e = exposed_of(k, num);
    if (e == NULL) {
        return 0;
    }
    out->exposed = 1;
    unsigned idx = kvm_sdei_is_private(e->state.type) ? (unsigned)v : 0;
    list_for_each_entry(r, &k->registered_events, link) {
        if (r->state.num == num) {
            out->registered = kvm_sdei_is_registered(r, idx);
            out->enabled = kvm_sdei_is_enabled(r, idx);
            out->unregister_pending = kvm_sdei_is_unregister_pending(r, idx);
            break;
        }
    }
    if (kvm_sdei_is_private(e->state.type)) {
        out->running = (uint8_t)running_on(vcpu, num);
    } else {
        for (uint32_t i = 0; i < vm->nr; i++) {
            out->running |= (uint8_t)running_on(vm->kvm->vcpus[i], num);
        }
    }
    struct kvm_sdei_vcpu_event *in = instance_of(vcpu->arch.sdei, num);
    if (in != NULL) {
        uint32_t c = in->state.event_count;
        uint32_t run = running_on(vcpu, num) ? 1u : 0u;
        out->pending = c > run ? c - run : 0;
    }
    return 0;
}

uint32_t kg_event_count(kg_vm *vm)
{
    struct kvm_sdei_kvm *k = vm->kvm->arch.sdei;
    return k != NULL ? k->exposed_event_count : 0;
}

int kg_event_at(kg_vm *vm, uint32_t index, kg_event *out)
{
    struct kvm_sdei_kvm *k = vm->kvm->arch.sdei;
    struct kvm_sdei_exposed_event *e;
    uint32_t i = 0;
    if (k == NULL) {
        return -1;
    }
    list_for_each_entry(e, &k->exposed_events, link) {
        if (i++ == index) {
            out->num = e->state.num;
            out->type = e->state.type;
            out->priority = e->state.priority;
            out->signaled = e->state.signaled;
            return 0;
        }
    }
    return -1;
}

static uint32_t list_len(struct list_head *h)
{
    uint32_t n = 0;
    for (struct list_head *p = h->next; p != h && n < 100000; p = p->next) {
        n++;
    }
    return n;
}

const char *kg_check(kg_vm *vm)
{
    struct kvm_sdei_kvm *k = vm->kvm->arch.sdei;
    if (k == NULL) {
        return NULL;
    }
    if (list_len(&k->exposed_events) != k->exposed_event_count) {
        return "exposed_event_count differs from the exposed list";
    }
    if (list_len(&k->registered_events) != k->registered_event_count) {
        return "registered_event_count differs from the registered list";
    }
    for (uint32_t i = 0; i < vm->nr; i++) {
        struct kvm_sdei_vcpu *s = vm->kvm->vcpus[i]->arch.sdei;
        if (s == NULL) {
            continue;
        }
        if (list_len(&s->critical_events) != s->critical_event_count ||
            list_len(&s->normal_events) != s->normal_event_count) {
            return "a vCPU's event counts differ from its lists";
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Migration through the VMM commands, in the order kvm-v5 §7 gives (the
 * QEMU side of that era): exposed, registered, then per vCPU its events and
 * its state. The register file travels with the vCPU (KVM_SET_ONE_REG).
 * ------------------------------------------------------------------------- */
typedef struct blobset {
    uint8_t *buf;
    uint32_t n;
} blobset;

static int get_all(kg_vm *vm, uint32_t v, uint32_t count_cmd, size_t esz, blobset *b)
{
    int32_t ret;
    uint32_t n = 1;
    b->buf = NULL;
    b->n = 0;
    if (count_cmd != UINT32_MAX) {
        if (kg_vmm(vm, v, count_cmd, 0, 0, NULL, 0, &ret, &n) != 0) {
            return KG_FINDING;
        }
        if (ret != 0) {
            return ret;
        }
    }
    if (n == 0) {
        return 0;
    }
    b->buf = calloc(n, esz);
    if (b->buf == NULL) {
        return -ENOMEM;
    }
    uint32_t get = count_cmd == UINT32_MAX ? KVM_SDEI_CMD_GET_VCPU_STATE : count_cmd + 1;
    if (kg_vmm(vm, v, get, n, 0, b->buf, (size_t)n * esz, &ret, &n) != 0) {
        return KG_FINDING;
    }
    b->n = n;
    return ret;
}

static int set_all(kg_vm *vm, uint32_t v, uint32_t cmd, size_t esz, const blobset *b,
                   const char *what, char *err, size_t errlen)
{
    int32_t ret = 0;
    uint32_t n = b->n;
    if (n == 0) {
        return 0;
    }
    if (kg_vmm(vm, v, cmd, n, 0, b->buf, (size_t)n * esz, &ret, &n) != 0) {
        return KG_FINDING;
    }
    if (ret != 0) {
        snprintf(err, errlen, "the destination refused %s: %d", what, ret);
    }
    return ret;
}

/* No SDEI firmware registers before v7: KVM_GET/SET_ONE_REG knows no such id. */
int kg_fwreg(kg_vm *vm, uint32_t v, int set, uint64_t id, uint8_t *buf, size_t len, long *ret)
{
    (void)vm, (void)v, (void)set, (void)id, (void)buf, (void)len;
    *ret = -ENOENT;
    return 0;
}

int kg_migrate(kg_vm **pvm, char *err, size_t errlen)
{
    kg_vm *src = *pvm, *dst = NULL;
    blobset ex = {0}, reg = {0}, *ve = calloc(src->nr, sizeof(blobset)),
            *vs = calloc(src->nr, sizeof(blobset));
    int rc = ve != NULL && vs != NULL ? 0 : -ENOMEM;
    const size_t szx = sizeof(struct kvm_sdei_exposed_event_state);
    const size_t szr = sizeof(struct kvm_sdei_registered_event_state);
    const size_t sze = sizeof(struct kvm_sdei_vcpu_event_state);
    const size_t szs = sizeof(struct kvm_sdei_vcpu_state);
    if (rc == 0) {
        rc = get_all(src, UINT32_MAX, KVM_SDEI_CMD_GET_EXPOSED_EVENT_COUNT, szx, &ex);
    }
    if (rc == 0) {
        rc = get_all(src, UINT32_MAX, KVM_SDEI_CMD_GET_REGISTERED_EVENT_COUNT, szr, &reg);
    }
    for (uint32_t v = 0; v < src->nr && rc == 0; v++) {
        rc = get_all(src, v, KVM_SDEI_CMD_GET_VCPU_EVENT_COUNT, sze, &ve[v]);
        if (rc == 0) {
            vs[v].n = 1;
            rc = get_all(src, v, UINT32_MAX, szs, &vs[v]);
        }
    }
    if (rc == 0) {
        rc = kg_create(src->nr, &dst) == 0 ? 0 : KG_FINDING;
    }
    if (rc == 0) {
        rc = set_all(dst, UINT32_MAX, KVM_SDEI_CMD_SET_EXPOSED_EVENT, szx, &ex,
                     "the exposed events", err, errlen);
    }
    if (rc == 0) {
        rc = set_all(dst, UINT32_MAX, KVM_SDEI_CMD_SET_REGISTERED_EVENT, szr, &reg,
                     "the registered events", err, errlen);
    }
    for (uint32_t v = 0; v < src->nr && rc == 0; v++) {
        rc = set_all(dst, v, KVM_SDEI_CMD_SET_VCPU_EVENT, sze, &ve[v], "a vCPU's events", err,
                     errlen);
        if (rc == 0) {
            rc = set_all(dst, v, KVM_SDEI_CMD_SET_VCPU_STATE, szs, &vs[v], "a vCPU's state", err,
                         errlen);
        }
    }
    for (uint32_t v = 0; ve != NULL && vs != NULL && v < src->nr; v++) {
        free(ve[v].buf);
        free(vs[v].buf);
    }
    free(ve);
    free(vs);
    free(ex.buf);
    free(reg.buf);
    if (rc == KG_FINDING) {
        return KG_FINDING;
    }
    if (rc != 0) {
        if (err[0] == '\0') {
            snprintf(err, errlen, "the source refused a GET command: %d", rc);
        }
        (void)kg_destroy(dst);
        return 1;
    }
    memcpy(dst->regs, src->regs, src->nr * sizeof(src->regs[0]));
    /* The source VM goes away as a VMM's would after migrating. */
    int d = kg_destroy(src);
    *pvm = dst;
    return d;
}
