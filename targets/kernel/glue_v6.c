/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * glue_v6.c - the v6 series' sdei.c driven as v6's arm.c and hypercalls.c
 * drive it (kernel-trees/kvm-sdei-v6/PROVENANCE.md): per-vCPU state only
 * (kvm_sdei_create_vcpu / kvm_sdei_destroy_vcpu), kvm_sdei_call for
 * 0xC4000020..0xC4000050, kvm_sdei_deliver_event on KVM_REQ_SDEI. v6 has no
 * VMM commands and no migration interface: the events are KVM's own table.
 * COMPLETE_AND_RESUME's IRQ is taken at the next entry (v6's exception.c).
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <asm/kvm_emulate.h>
#include <asm/kvm_sdei.h>
#include <kvm/arm_hypercalls.h>
#include <linux/slab.h>

#include "glue_common.h"
#include "kstub_run.h"

const char kg_version[] = "v6";
const int kg_has_vmm = 0;
const int kg_has_fwregs = 0;
const int kg_has_expose = 0;
const int kg_has_shared = 0;

/* v6's router sends 0xC4000020..0xC4000050 to sdei.c. */
#define GLUE_LAST_FN 0x30
#include "glue_percpu.inc"

/* No SDEI firmware registers before v7: KVM_GET/SET_ONE_REG knows no such id. */
int kg_fwreg(kg_vm *vm, uint32_t v, int set, uint64_t id, uint8_t *buf, size_t len, long *ret)
{
    (void)vm, (void)v, (void)set, (void)id, (void)buf, (void)len;
    *ret = -ENOENT;
    return 0;
}

int kg_migrate(kg_vm **vm, char *err, size_t errlen)
{
    (void)vm;
    snprintf(err, errlen, "kernel-v6 has no migration interface");
    return 1;
}

/* The number of events: the per-vCPU array v6 allocates has one entry per
 * entry of its static table (the allocator knows the size). */
static uint32_t nr_events(struct kvm_sdei_vcpu *s)
{
    return s != NULL ? (uint32_t)(malloc_usable_size(s->events) / sizeof(s->events[0])) : 0;
}

static struct kvm_sdei_vcpu *vsdei_of(kg_vm *vm, uint32_t v)
{
    struct kvm_vcpu *vcpu = kc_vcpu(vm->kvm, v);
    return vcpu != NULL ? vcpu->arch.sdei : NULL;
}

int kg_expose(kg_vm *vm, const kg_event *ev, int32_t *ret)
{
    kg_event e;
    *ret = -EINVAL;
    for (uint32_t i = 0; kg_event_at(vm, i, &e) == 0; i++) {
        if (e.num == ev->num && e.type == ev->type && e.priority == ev->priority) {
            *ret = 0; /* KVM's own event: already there */
        }
    }
    return 0;
}

int kg_view_of(kg_vm *vm, uint32_t v, kg_view *out)
{
    struct kvm_sdei_vcpu *s = vsdei_of(vm, v);
    memset(out, 0, sizeof(*out));
    if (s == NULL) {
        return -1;
    }
    const struct kvm_sdei_vcpu_context *c = &s->context[SDEI_EVENT_PRIORITY_CRITICAL];
    const struct kvm_sdei_vcpu_context *n = &s->context[SDEI_EVENT_PRIORITY_NORMAL];
    out->masked = s->masked;
    out->critical_running = c->event != NULL;
    out->normal_running = n->event != NULL;
    out->critical_num = c->event != NULL ? c->event->exposed_event->num : KG_NO_EVENT;
    out->normal_num = n->event != NULL ? n->event->exposed_event->num : KG_NO_EVENT;
    KG_SAVED_COPY(out->critical_saved, c);
    KG_SAVED_COPY(out->normal_saved, n);
    out->queued = (uint32_t)(s->critical_event_count + s->normal_event_count);
    return 0;
}

int kg_event_state(kg_vm *vm, uint64_t num, uint32_t v, kg_evstate *out)
{
    struct kvm_sdei_vcpu *s = vsdei_of(vm, v);
    memset(out, 0, sizeof(*out));
    if (s == NULL) {
        return -1;
    }
    for (uint32_t i = 0; i < nr_events(s); i++) {
        struct kvm_sdei_event *e = &s->events[i];
        if (e->exposed_event->num != num) {
            continue;
        }
        unsigned prio = e->exposed_event->priority ? 1u : 0u;
        out->exposed = 1;
        out->registered = kvm_sdei_is_registered(e);
        out->enabled = kvm_sdei_is_enabled(e);
        out->unregister_pending = kvm_sdei_is_unregister_pending(e);
        out->running = s->context[prio].event == e;
        unsigned long c = e->event_count;
        out->pending = (uint32_t)(c > out->running ? c - out->running : 0);
        return 0;
    }
    return 0;
}

uint32_t kg_event_count(kg_vm *vm)
{
    return nr_events(vsdei_of(vm, 0));
}

int kg_event_at(kg_vm *vm, uint32_t index, kg_event *out)
{
    struct kvm_sdei_vcpu *s = vsdei_of(vm, 0);
    if (s == NULL || index >= nr_events(s)) {
        return -1;
    }
    const struct kvm_sdei_exposed_event *x = s->events[index].exposed_event;
    out->num = x->num;
    out->type = x->type;
    out->priority = x->priority;
    out->signaled = x->signaled;
    return 0;
}

const char *kg_check(kg_vm *vm)
{
    for (uint32_t v = 0; v < vm->nr; v++) {
        struct kvm_sdei_vcpu *s = vsdei_of(vm, v);
        unsigned long crit = 0, norm = 0;
        for (uint32_t i = 0; s != NULL && i < nr_events(s); i++) {
            if (s->events[i].exposed_event->priority) {
                crit += s->events[i].event_count;
            } else {
                norm += s->events[i].event_count;
            }
        }
        if (s != NULL && (crit != s->critical_event_count || norm != s->normal_event_count)) {
            return "a vCPU's event counts differ from its events' counts";
        }
    }
    return NULL;
}

int kg_ioctl(kg_vm *vm, uint32_t v, uint32_t req, void *arg, void *user, size_t user_len, long *ret)
{
    (void)vm, (void)v, (void)req, (void)arg, (void)user, (void)user_len;
    *ret = -ENOTTY; /* v6 has no VMM interface (PROVENANCE.md) */
    return 0;
}

unsigned kg_fwreg_ids(uint64_t *out, unsigned max)
{
    (void)out, (void)max;
    return 0;
}
