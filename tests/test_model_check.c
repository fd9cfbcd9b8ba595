/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_model_check.c - sdei_vm_check finds each inconsistency it is written
 * for. No public call produces one (that would be a model bug), so this suite
 * is white-box: it drives a VM through real calls into a busy state (critical
 * handler preempting a normal one, a second trigger pending, a shared event
 * queued), then corrupts one internal field at a time, as a bug would, and
 * asserts the exact message; the VM is restored byte for byte between cases.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "vm_internal.h"

/* vCPU 0: C running (critical) over P running (normal) with a second trigger
 * of P latched, S queued; vCPU 1 masked and idle. */
static sdei_vm *busy_vm(void)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    t_unmask(vm, 0);
    t_make_state(vm, 0, T_EVP, SDEI_STATE_RUNNING_ENABLED);
    t_make_state(vm, 0, T_EVC, SDEI_STATE_RUNNING_ENABLED);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_PENDING);
    t_register_enable(vm, 0, T_EVS, T_EP, T_ARG);
    ck_assert_int_eq(t_trigger(vm, T_EVS, 0), SDEI_TRIGGER_PENDING);
    ck_assert_ptr_null(sdei_vm_check(vm));
    return vm;
}

static uint16_t ev_of(const sdei_vm *vm, uint64_t num)
{
    uint16_t ev = sdei_find_event(vm, num);
    ck_assert_uint_ne(ev, SDEI_NO_EVENT_INDEX);
    return ev;
}

typedef struct corruption {
    const char *what;
    void (*apply)(sdei_vm *vm);
    const char *want;
} corruption;

static void queue_longer_than_max_events(sdei_vm *vm)
{
    vm->vcpus[0].nr_queued = (uint16_t)(vm->cfg.max_events + 1u);
}

static void more_critical_than_queued(sdei_vm *vm)
{
    vm->vcpus[0].nr_critical_queued = (uint16_t)(vm->vcpus[0].nr_queued + 1u);
}

static void instance_index_past_exposed(sdei_vm *vm)
{
    vm->vcpus[0].queue[1].ev = (uint16_t)vm->nr_exposed;
}

static void instance_number_not_its_events(sdei_vm *vm)
{
    vm->vcpus[0].queue[1].num = T_EV_UNEXPOSED;
}

static void critical_count_zero(sdei_vm *vm)
{
    vm->vcpus[0].nr_critical_queued = 0; /* the critical instance now sits in the normal part */
}

static void one_number_twice(sdei_vm *vm)
{
    /* S's instance replaced by a copy of P's (vm->nr_shared_queued is then also stale,
     * but the queue is checked first) */
    vm->vcpus[0].queue[2] = vm->vcpus[0].queue[1];
}

static void critical_index_past_exposed(sdei_vm *vm)
{
    vm->vcpus[0].critical_ev = (uint16_t)vm->nr_exposed;
}

static void critical_number_of_another_event(sdei_vm *vm)
{
    vm->vcpus[0].critical_num = T_EVSC;
}

static void critical_running_without_instance(sdei_vm *vm)
{
    vm->vcpus[0].critical_ev = ev_of(vm, T_EVSC);
    vm->vcpus[0].critical_num = T_EVSC;
}

static void normal_index_past_exposed(sdei_vm *vm)
{
    vm->vcpus[0].normal_ev = (uint16_t)vm->nr_exposed;
}

static void normal_number_of_another_event(sdei_vm *vm)
{
    vm->vcpus[0].normal_num = T_EV0;
}

static void normal_running_without_instance(sdei_vm *vm)
{
    vm->vcpus[0].normal_ev = ev_of(vm, T_EV0);
    vm->vcpus[0].normal_num = T_EV0;
}

static void stale_vcpu_event_count(sdei_vm *vm)
{
    vm->reg[ev_of(vm, T_EVP)].vcpu_event_count++;
}

static void stale_running_count(sdei_vm *vm)
{
    vm->reg[ev_of(vm, T_EVC)].running_count = 0;
}

static void ep_address_past_extent(sdei_vm *vm)
{
    vm->reg[ev_of(vm, T_EVP)].ep_extent = 0; /* ep_address[0] is set */
}

static void ep_arg_past_extent(sdei_vm *vm)
{
    sdei_registered *r = &vm->reg[ev_of(vm, T_EVP)];
    r->ep_extent = 0;
    r->ep_address[0] = 0; /* only the argument is left set */
}

static void stale_shared_count(sdei_vm *vm)
{
    vm->nr_shared_queued = 0;
}

static void call_table_of_another_set(sdei_vm *vm)
{
    vm->calls = sdei_call_table(vm->quirks == SDEI_HOT_QUIRKS_SPEC ? SDEI_HOT_QUIRKS_KVM_V5
                                                                   : SDEI_HOT_QUIRKS_SPEC);
}

static const corruption corruptions[] = {
    {"queue longer than max_events", queue_longer_than_max_events,
     "vCPU queue counts out of range"},
    {"more critical instances than instances", more_critical_than_queued,
     "vCPU queue counts out of range"},
    {"instance index past the exposed table", instance_index_past_exposed,
     "vCPU event names an unknown event"},
    {"instance number differs from its event's", instance_number_not_its_events,
     "vCPU event names an unknown event"},
    {"critical instance in the normal part", critical_count_zero,
     "vCPU queue not ordered critical-first"},
    {"one number twice on one vCPU", one_number_twice,
     "two vCPU events with one number on one vCPU"},
    {"critical running index past the table", critical_index_past_exposed,
     "critical running slot inconsistent"},
    {"critical running number of another event", critical_number_of_another_event,
     "critical running slot inconsistent"},
    {"critical running with no instance", critical_running_without_instance,
     "running critical event has no vCPU event"},
    {"normal running index past the table", normal_index_past_exposed,
     "normal running slot inconsistent"},
    {"normal running number of another event", normal_number_of_another_event,
     "normal running slot inconsistent"},
    {"normal running with no instance", normal_running_without_instance,
     "running normal event has no vCPU event"},
    {"vcpu_event_count one too many", stale_vcpu_event_count,
     "derived vcpu_event_count out of date"},
    {"running_count 0 for a running event", stale_running_count,
     "derived running_count out of date"},
    {"ep_address set past ep_extent", ep_address_past_extent,
     "an endpoint set past the derived ep_extent"},
    {"ep_arg set past ep_extent", ep_arg_past_extent, "an endpoint set past the derived ep_extent"},
    {"nr_shared_queued 0 with S queued", stale_shared_count,
     "derived nr_shared_queued out of date"},
    {"call table of another quirk set", call_table_of_another_set,
     "derived call table not the quirk set's"},
};

#define NR_CORRUPTIONS (sizeof(corruptions) / sizeof(corruptions[0]))

START_TEST(test_vm_check_names_each_single_corruption_and_passes_once_it_is_undone)
{
    sdei_vm *vm = busy_vm();
    /* the state the cases start from */
    const sdei_vcpu *vc = &vm->vcpus[0];
    ck_assert_uint_eq(vc->nr_queued, 3);
    ck_assert_uint_eq(vc->nr_critical_queued, 1);
    ck_assert_uint_eq(vc->queue[0].num, T_EVC);
    ck_assert_uint_eq(vc->queue[1].num, T_EVP);
    ck_assert_uint_eq(vc->queue[2].num, T_EVS);
    ck_assert_uint_eq(vc->queue[1].event_count, 2);
    ck_assert_uint_eq(vm->nr_shared_queued, 1);
    size_t size = vm->mem_size;
    uint8_t *backup = malloc(size);
    ck_assert_ptr_nonnull(backup);
    memcpy(backup, vm, size); /* every internal pointer points into this one block */
    const char *got[NR_CORRUPTIONS];
    const char *after[NR_CORRUPTIONS];
    for (size_t i = 0; i < NR_CORRUPTIONS; i++) {
        corruptions[i].apply(vm);
        got[i] = sdei_vm_check(vm);
        memcpy(vm, backup, size);
        after[i] = sdei_vm_check(vm);
    }
    for (size_t i = 0; i < NR_CORRUPTIONS; i++) {
        ck_assert_msg(got[i] != NULL && strcmp(got[i], corruptions[i].want) == 0,
                      "%s: sdei_vm_check says \"%s\", want \"%s\"", corruptions[i].what,
                      got[i] != NULL ? got[i] : "(sound)", corruptions[i].want);
        ck_assert_msg(after[i] == NULL, "%s: still \"%s\" after the restore", corruptions[i].what,
                      after[i]);
    }
    ck_assert_str_eq(sdei_vm_check(NULL), "vm is NULL");
    free(backup);
    sdei_vm_free(vm);
}
END_TEST

/* One step of the hot-call script: a call (fid != 0) or a guest entry. */
typedef struct hot_step {
    uint32_t vcpu;
    uint64_t fid, x1, x2;
} hot_step;

/* Runs one step on vm; the result, or the delivered number for an entry. */
static int64_t hot_run(sdei_vm *vm, const hot_step *st, sdei_call_info *info)
{
    memset(info, 0, sizeof(*info));
    if (st->fid == 0) {
        return (int64_t)t_deliver(vm, st->vcpu).num;
    }
    sdei_regs *r = sdei_vcpu_regs(vm, st->vcpu);
    r->x[0] = st->fid;
    r->x[1] = st->x1;
    r->x[2] = st->x2;
    ck_assert_int_eq(sdei_hypercall(vm, st->vcpu, info), SDEI_OK);
    return (int64_t)r->x[0];
}

/* The specialised SIGNAL and COMPLETE (SDEI_SPECIALISED: the spec and kvm-v5
 * tables) do what the generic entries do with the same quirks, step by step:
 * results, call info and every register of every vCPU. The twin VM is given
 * the generic table by hand (the table of a set that is not specialised). */
START_TEST(test_specialised_hot_calls_agree_with_the_generic_ones)
{
    const sdei_profile profiles[] = {SDEI_PROFILE_SPEC, SDEI_PROFILE_KVM_V5};
    for (size_t p = 0; p < T_COUNT(profiles); p++) {
        sdei_vm *vm[2] = {t_vm(profiles[p], 2), t_vm(profiles[p], 2)};
        ck_assert_ptr_ne(vm[0]->calls, sdei_call_table(SDEI_QUIRK_BIT(ABSENT)));
        vm[1]->calls = sdei_call_table(SDEI_QUIRK_BIT(ABSENT)); /* the generic table */
        uint64_t aff1 = sdei_vcpu_mpidr(vm[0], 1);
        const hot_step script[] = {
            {0, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0}, /* nothing running */
            {0, SDEI_FID_EVENT_SIGNAL, 0, sdei_vcpu_mpidr(vm[0], 0)},
            {0, 0, 0, 0},
            {0, SDEI_FID_EVENT_SIGNAL, 0, sdei_vcpu_mpidr(vm[0], 0)}, /* while running */
            {0, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0},
            {0, 0, 0, 0},
            {0, SDEI_FID_EVENT_COMPLETE_AND_RESUME, T_EP, 0},
            {0, SDEI_FID_EVENT_SIGNAL, 0, aff1},                 /* another vCPU */
            {0, SDEI_FID_EVENT_SIGNAL, T_EVP, aff1},             /* not event 0 */
            {1, SDEI_FID_EVENT_SIGNAL, UINT64_C(1) << 32, aff1}, /* high bits */
            {1, SDEI_FID_EVENT_SIGNAL, 0, UINT64_C(0xFF00FF)},   /* no such vCPU */
            {1, 0, 0, 0},
            {1, SDEI_FID_EVENT_COMPLETE, SDEI_EV_FAILED, 0},
            {1, SDEI_FID_EVENT_COMPLETE, SDEI_EV_HANDLED, 0},
        };
        for (int k = 0; k < 2; k++) {
            for (uint32_t v = 0; v < 2; v++) {
                t_unmask(vm[k], v);
                t_register_enable(vm[k], v, T_EV0, T_EP, T_ARG + v);
                t_set_context(vm[k], v, T_CTX_BASE, T_CTX_PSTATE);
            }
        }
        for (size_t i = 0; i < T_COUNT(script); i++) {
            sdei_call_info info[2];
            int64_t res[2] = {hot_run(vm[0], &script[i], &info[0]),
                              hot_run(vm[1], &script[i], &info[1])};
            ck_assert_msg(res[0] == res[1] && memcmp(&info[0], &info[1], sizeof(info[0])) == 0,
                          "%s step %zu: %" PRId64 " vs %" PRId64, sdei_profile_name(profiles[p]), i,
                          res[0], res[1]);
            for (uint32_t v = 0; v < 2; v++) {
                sdei_regs a = t_regs(vm[0], v), b = t_regs(vm[1], v);
                ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%s step %zu: vCPU %u registers",
                              sdei_profile_name(profiles[p]), i, v);
            }
        }
        vm[1]->calls = sdei_call_table(vm[1]->quirks);
        t_check_vm(vm[0]);
        t_check_vm(vm[1]);
        sdei_vm_free(vm[0]);
        sdei_vm_free(vm[1]);
    }
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_vm_check_names_each_single_corruption_and_passes_once_it_is_undone,
        test_specialised_hot_calls_agree_with_the_generic_ones,
    };
    return t_run_tests("model_check", tests, T_COUNT(tests));
}
