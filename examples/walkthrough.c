/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * walkthrough.c - a scripted tour of the model: register, signal, preempt,
 * complete, unregister while running, on a few vCPUs, printing every call
 * and its result. The smallest example of driving libsdei_model.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "sdei/sdei_model.h"

static sdei_vm *vm;

static int64_t hvc(uint32_t v, sdei_call_id id, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                   uint64_t a5)
{
    sdei_regs *r = sdei_vcpu_regs(vm, v);
    r->x[0] = sdei_call_fid(vm, id);
    r->x[1] = a1;
    r->x[2] = a2;
    r->x[3] = a3;
    r->x[4] = a4;
    r->x[5] = a5;
    sdei_call_info info;
    if (sdei_hypercall(vm, v, &info) != SDEI_OK) {
        fprintf(stderr, "walkthrough: hypercall on vCPU %u failed\n", v);
        exit(1);
    }
    if (info.outcome == SDEI_CALL_COMPLETED) {
        printf("  vCPU%u %-26s -> (completed event 0x%" PRIx64 ", resumes at pc=0x%" PRIx64 ")\n",
               v, sdei_call_name(id), info.completed_num, r->pc);
        return 0;
    }
    const char *name = sdei_result_name(info.result);
    printf("  vCPU%u %-26s x1=0x%" PRIx64 " -> x0=0x%" PRIx64 "%s%s\n", v, sdei_call_name(id), a1,
           (uint64_t)info.result, name != NULL && info.result < 0 ? " " : "",
           name != NULL && info.result < 0 ? name : "");
    return info.result;
}

static void trigger(uint64_t num, uint32_t v)
{
    if (sdei_event_trigger(vm, num, v, NULL) != SDEI_OK) {
        fprintf(stderr, "walkthrough: event 0x%" PRIx64 " is not exposed\n", num);
        exit(1);
    }
}

static void enter(uint32_t v)
{
    sdei_delivery d;
    sdei_regs *r = sdei_vcpu_regs(vm, v);
    if (sdei_vcpu_deliver(vm, v, &d) != SDEI_OK) {
        exit(1);
    }
    if (!d.delivered) {
        printf("  vCPU%u enters guest: nothing to deliver\n", v);
        return;
    }
    printf("  vCPU%u enters %s handler of 0x%" PRIx64 "%s: pc=0x%" PRIx64 " x1=0x%" PRIx64
           " x2=0x%" PRIx64 " x3=0x%" PRIx64 " pstate=0x%" PRIx64 "\n",
           v, d.priority ? "critical" : "normal", d.num, d.preempted ? " (preempts normal)" : "",
           r->pc, r->x[1], r->x[2], r->x[3], r->pstate);
}

int main(void)
{
    sdei_config cfg = sdei_config_default(4);
    sdei_err err = sdei_vm_new(&cfg, &vm);
    if (err != SDEI_OK) {
        fprintf(stderr, "walkthrough: %s\n", sdei_strerror(err));
        return 1;
    }
    const sdei_event_desc events[] = {
        {0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 1},
        {0x400001, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_CRITICAL, 0},
        {0x400002, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL, 0},
    };
    puts("== VMM exposes event 0 (software signalled), 0x400001 (private critical), "
         "0x400002 (shared)");
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        if (sdei_vm_expose_event(vm, &events[i]) != SDEI_OK) {
            fprintf(stderr, "walkthrough: exposing event 0x%" PRIx64 " failed\n", events[i].num);
            return 1;
        }
    }
    puts("== Linux probe: VERSION, PRIVATE_RESET on each CPU, SHARED_RESET");
    hvc(0, SDEI_CALL_VERSION, 0, 0, 0, 0, 0);
    for (uint32_t v = 0; v < 4; v++) {
        hvc(v, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
    }
    hvc(0, SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0);
    puts("== each CPU registers and enables event 0, then unmasks");
    for (uint32_t v = 0; v < 4; v++) {
        hvc(v, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0xA000 + v, 0, 0);
        hvc(v, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0, 0);
        hvc(v, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    }
    puts("== vCPU0 signals vCPU2; vCPU2 takes the normal handler");
    hvc(0, SDEI_CALL_EVENT_SIGNAL, 0, sdei_vcpu_mpidr(vm, 2), 0, 0, 0);
    sdei_vcpu_regs(vm, 2)->pc = 0x80001234;
    enter(2);
    puts("== a critical event preempts the running normal handler");
    hvc(2, SDEI_CALL_EVENT_REGISTER, 0x400001, 0x2000, 0xC0, 0, 0);
    hvc(2, SDEI_CALL_EVENT_ENABLE, 0x400001, 0, 0, 0, 0);
    trigger(0x400001, 2);
    enter(2);
    hvc(2, SDEI_CALL_EVENT_CONTEXT, 2, 0, 0, 0, 0);
    hvc(2, SDEI_CALL_EVENT_COMPLETE, SDEI_EV_HANDLED, 0, 0, 0, 0);
    puts("== the normal handler unregisters its own event: PENDING until it completes");
    hvc(2, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0);
    hvc(2, SDEI_CALL_EVENT_STATUS, 0, 0, 0, 0, 0);
    hvc(2, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, 0x80009000, 0, 0, 0, 0);
    hvc(2, SDEI_CALL_EVENT_STATUS, 0, 0, 0, 0, 0);
    hvc(2, SDEI_CALL_EVENT_UNREGISTER, 0, 0, 0, 0, 0);
    puts("== a shared event routed to exactly one unmasked vCPU (RM_ANY)");
    hvc(1, SDEI_CALL_EVENT_REGISTER, 0x400002, 0x3000, 0x5A, SDEI_RM_ANY, 0);
    hvc(1, SDEI_CALL_EVENT_ENABLE, 0x400002, 0, 0, 0, 0);
    hvc(0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0);
    trigger(0x400002, 0);
    for (uint32_t v = 0; v < 4; v++) {
        enter(v);
    }
    const char *problem = sdei_vm_check(vm);
    printf("== model self-check: %s\n", problem == NULL ? "consistent" : problem);
    sdei_vm_free(vm);
    return problem == NULL ? 0 : 1;
}
