/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * events.c - event lookup, per-(event, vCPU) state, the vCPU event queues,
 * triggers, routing and delivery.
 */
#include <string.h>

#include "vm_internal.h"

/* ---- event numbers and the exposed table ---- */

uint16_t sdei_add_exposed(sdei_vm *vm, const sdei_exposed *ex)
{
    if (vm->nr_exposed >= vm->cfg.max_events) {
        return SDEI_NO_EVENT_INDEX;
    }
    uint16_t idx = (uint16_t)vm->nr_exposed++;
    vm->exposed[idx] = *ex;
    uint32_t h = sdei_num_hash(ex->num);
    for (uint32_t probe = 0; probe < SDEI_NUM_HASH_SIZE; probe++) {
        uint16_t *slot = &vm->num_hash[(h + probe) % SDEI_NUM_HASH_SIZE];
        if (*slot == 0) {
            *slot = (uint16_t)(idx + 1);
            break;
        }
    }
    if (ex->num == SDEI_EVENT_SIGNAL_NUM && vm->signal_ev == SDEI_NO_EVENT_INDEX) {
        vm->signal_ev = idx; /* what sdei_find_event(0) finds: the first one added */
    }
    return idx;
}

sdei_err sdei_vm_expose_event(sdei_vm *vm, const sdei_event_desc *desc)
{
    if (vm == NULL || desc == NULL) {
        return SDEI_E_NULL;
    }
    int strict = !sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_NUMBER_LOOSE));
    int table = sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_TABLE_KVM) | SDEI_QUIRK_BIT(EVENT_TABLE_V6));
    /* v6, v7: the events are KVM's; the VMM can only name one of them. */
    if (table && sdei_find_event(vm, desc->num) == SDEI_NO_EVENT_INDEX) {
        return SDEI_E_EVENT;
    }
    if ((!table && !sdei_num_shape_ok(desc->num, strict)) || desc->type > SDEI_EVENT_TYPE_SHARED ||
        desc->priority > SDEI_EVENT_PRIORITY_CRITICAL) {
        return SDEI_E_EVENT;
    }
    /* sdei-rules §4.2: event 0 is private and normal priority. */
    if (strict && desc->num == 0 &&
        (desc->type != SDEI_EVENT_TYPE_PRIVATE || desc->priority != SDEI_EVENT_PRIORITY_NORMAL)) {
        return SDEI_E_EVENT;
    }
    uint16_t ev = sdei_find_event(vm, desc->num);
    if (ev != SDEI_NO_EVENT_INDEX) {
        const sdei_exposed *ex = &vm->exposed[ev];
        if (ex->type != desc->type || ex->priority != desc->priority ||
            ex->signaled != desc->signaled) {
            return SDEI_E_EVENT; /* kvm-v5 §6 SET_EXPOSED_EVENT: -EEXIST */
        }
        return SDEI_OK;
    }
    sdei_exposed ex;
    memset(&ex, 0, sizeof(ex));
    ex.num = desc->num;
    ex.type = desc->type;
    ex.priority = desc->priority;
    ex.signaled = desc->signaled;
    return sdei_add_exposed(vm, &ex) == SDEI_NO_EVENT_INDEX ? SDEI_E_RANGE : SDEI_OK;
}

/* ---- per-(event, vCPU) state ---- */

void sdei_reg_create(sdei_vm *vm, uint16_t ev)
{
    sdei_registered *r = &vm->reg[ev];
    if (r->present) {
        return;
    }
    SDEI_ASSERT(vm->nr_registered < SDEI_MAX_EVENTS);
    r->present = 1;
    vm->reg_order[vm->nr_registered++] = ev;
}

void sdei_reg_clear(sdei_registered *r, uint32_t entries)
{
    uint64_t *ep = r->ep_address;
    uint64_t *arg = r->ep_arg;
    memset(r, 0, sizeof(*r));
    r->ep_address = ep;
    r->ep_arg = arg;
    memset(ep, 0, (size_t)entries * sizeof(uint64_t));
    memset(arg, 0, (size_t)entries * sizeof(uint64_t));
}

void sdei_reg_destroy_if_unused(sdei_vm *vm, uint16_t ev)
{
    sdei_registered *r = &vm->reg[ev];
    if (!r->present || !sdei_bitmap_empty(r->registered)) {
        return;
    }
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(EVENT_TABLE_KVM))) {
        return; /* v7's per-vCPU handler table lives as long as the vCPU */
    }
    /* spec: an unregister-pending event keeps its object until the final
     * COMPLETE. v5 destroys on the registered bits alone (kvm-v5 §4.3). */
    if (!sdei_quirk(vm, SDEI_QUIRK_BIT(STALE_UNREGISTER_PENDING)) &&
        !sdei_bitmap_empty(r->unregister_pending)) {
        return;
    }
    if (r->vcpu_event_count != 0) {
        return; /* a queued or running instance still refers to it */
    }
    SDEI_ASSERT(r->ep_extent <= vm->cfg.nr_vcpus);
    sdei_reg_clear(r, r->ep_extent); /* the entries past ep_extent are 0 already */
    for (uint32_t i = 0; i < vm->nr_registered; i++) {
        if (vm->reg_order[i] == ev) {
            memmove(&vm->reg_order[i], &vm->reg_order[i + 1],
                    (vm->nr_registered - i - 1) * sizeof(vm->reg_order[0]));
            vm->nr_registered--;
            break;
        }
    }
}

/* ---- vCPU event queues (find, insert, remove: inline in vm_internal.h) ---- */

SDEI_NOINLINE void sdei_queue_move(sdei_vcpu *vc, uint32_t to, uint32_t from, uint32_t count)
{
    memmove(&vc->queue[to], &vc->queue[from], (size_t)count * sizeof(vc->queue[0]));
}

int sdei_cancel_pending(sdei_vm *vm, uint16_t ev, uint32_t v)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    int32_t pos = sdei_queue_find(vc, vm->exposed[ev].num);
    if (pos < 0) {
        return 0;
    }
    if (sdei_running_on(vm, ev, v)) {
        /* kvm-v5 §4.3, sdei-rules §7.4: the run goes on, its pending
         * triggers are cancelled. */
        vc->queue[pos].event_count = 1;
        return 1;
    }
    sdei_queue_remove_at(vm, v, (uint32_t)pos);
    return 0;
}

int sdei_shared_pending_somewhere(const sdei_vm *vm, uint16_t ev)
{
    const sdei_registered *r = &vm->reg[ev];
    if (r->vcpu_event_count == 0) {
        return 0;
    }
    if (r->vcpu_event_count > r->running_count) {
        return 1;
    }
    for (uint32_t v = 0; v < vm->cfg.nr_vcpus; v++) {
        if (sdei_running_on(vm, ev, v)) {
            const sdei_vcpu *vc = &vm->vcpus[v];
            int32_t pos = sdei_queue_find(vc, vm->exposed[ev].num);
            if (pos >= 0 && vc->queue[pos].event_count > 1) {
                return 1;
            }
        }
    }
    return 0;
}

void sdei_request_after_state(sdei_vm *vm, uint32_t v)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(DELIVERY_NEEDS_REQUEST)) &&
        vc->critical_ev == SDEI_NO_EVENT_INDEX && vc->normal_ev == SDEI_NO_EVENT_INDEX &&
        vc->nr_queued > 0) {
        vc->kick = 1;
    }
}

/* ---- routing of shared events ---- */

static int vcpu_idle(const sdei_vcpu *vc)
{
    return vc->critical_ev == SDEI_NO_EVENT_INDEX && vc->normal_ev == SDEI_NO_EVENT_INDEX;
}

/* RM_ANY: the first unmasked idle vCPU that is on, else the first unmasked one, else
 * vCPU 0 (moved to an unmasked vCPU as soon as one unmasks). A function of
 * the state only, so that migration cannot change the choice. */
static uint32_t route_any(const sdei_vm *vm)
{
    int32_t first_unmasked = -1;
    for (uint32_t v = 0; v < vm->cfg.nr_vcpus; v++) {
        const sdei_vcpu *vc = &vm->vcpus[v];
        if (!vc->masked && vc->power == SDEI_PE_ON) {
            if (vcpu_idle(vc)) {
                return v;
            }
            if (first_unmasked < 0) {
                first_unmasked = (int32_t)v;
            }
        }
    }
    return first_unmasked >= 0 ? (uint32_t)first_unmasked : 0u;
}

uint32_t sdei_route_shared(const sdei_vm *vm, uint16_t ev)
{
    const sdei_registered *r = &vm->reg[ev];
    if (r->route_mode == SDEI_RM_PE) {
        int32_t v = sdei_vcpu_by_mpidr(vm, r->route_affinity);
        if (v >= 0) {
            return (uint32_t)v;
        }
    }
    return route_any(vm);
}

/* Moves the pending part of instance `pos` of vCPU `from` to vCPU `to`. */
static void move_instance(sdei_vm *vm, uint32_t from, uint32_t pos, uint32_t to)
{
    sdei_vcpu_event q = vm->vcpus[from].queue[pos];
    sdei_queue_remove_at(vm, from, pos);
    sdei_vcpu *dst = &vm->vcpus[to];
    int32_t dpos = sdei_queue_find(dst, q.num);
    if (dpos >= 0) {
        uint32_t cap = sdei_running_on(vm, q.ev, to) ? 2u : 1u;
        if (dst->queue[dpos].event_count < cap) {
            dst->queue[dpos].event_count++;
        }
        return;
    }
    sdei_queue_insert(vm, to, q.ev, 1, q.padding);
}

void sdei_rebalance_rm_any(sdei_vm *vm)
{
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(COUNTED_SIGNAL))) {
        return; /* v5 never moves an instance between vCPUs */
    }
    if (vm->nr_shared_queued == 0) {
        return; /* nothing could move: no scan over every vCPU */
    }
    /* sdei-rules §6.9: an RM_ANY trigger on a masked PE is re-pended so that
     * an unmasked PE can take it. */
    for (uint32_t v = 0; v < vm->cfg.nr_vcpus; v++) {
        sdei_vcpu *vc = &vm->vcpus[v];
        if (!vc->masked || vc->nr_queued == 0) {
            continue;
        }
        for (uint32_t i = 0; i < vc->nr_queued;) {
            uint16_t ev = vc->queue[i].ev;
            const sdei_registered *r = &vm->reg[ev];
            if (vm->exposed[ev].type != SDEI_EVENT_TYPE_SHARED || r->route_mode != SDEI_RM_ANY ||
                sdei_running_on(vm, ev, v)) {
                i++;
                continue;
            }
            uint32_t to = route_any(vm);
            if (to == v || vm->vcpus[to].masked) {
                return; /* nobody is unmasked: stay parked */
            }
            move_instance(vm, v, i, to);
        }
    }
}

/* Re-routes the waiting trigger of shared event ev after ROUTING_SET. */
void sdei_reroute_shared(sdei_vm *vm, uint16_t ev);
void sdei_reroute_shared(sdei_vm *vm, uint16_t ev)
{
    if (vm->reg[ev].vcpu_event_count == 0) {
        return;
    }
    uint32_t to = sdei_route_shared(vm, ev);
    for (uint32_t v = 0; v < vm->cfg.nr_vcpus; v++) {
        int32_t pos = sdei_queue_find(&vm->vcpus[v], vm->exposed[ev].num);
        if (pos >= 0 && v != to && !sdei_running_on(vm, ev, v)) {
            move_instance(vm, v, (uint32_t)pos, to);
        }
    }
}

/* ---- derived state ---- */

void sdei_vm_rebuild_derived(sdei_vm *vm)
{
    for (uint32_t e = 0; e < vm->cfg.max_events; e++) {
        vm->reg[e].vcpu_event_count = 0;
        vm->reg[e].running_count = 0;
        vm->reg[e].ep_extent = vm->cfg.nr_vcpus; /* a blob may fill any entry */
    }
    vm->nr_shared_queued = 0;
    vm->signal_ev = sdei_find_event(vm, SDEI_EVENT_SIGNAL_NUM);
    for (uint32_t v = 0; v < vm->cfg.nr_vcpus; v++) {
        sdei_vcpu *vc = &vm->vcpus[v];
        vc->nr_critical_queued = 0;
        for (uint32_t i = 0; i < vc->nr_queued; i++) {
            uint16_t ev = sdei_find_event(vm, vc->queue[i].num);
            vc->queue[i].ev = ev;
            if (ev != SDEI_NO_EVENT_INDEX) {
                vm->reg[ev].vcpu_event_count++;
                vm->nr_shared_queued += vm->exposed[ev].type == SDEI_EVENT_TYPE_SHARED;
                if (vm->exposed[ev].priority == SDEI_EVENT_PRIORITY_CRITICAL) {
                    vc->nr_critical_queued++;
                }
            }
        }
        vc->critical_ev = SDEI_NO_EVENT_INDEX;
        vc->normal_ev = SDEI_NO_EVENT_INDEX;
        /* A slot runs only an event of its own class (sdei-rules §4.5: never
         * two of one class nested, an event never re-entered). SET_VCPU_STATE
         * stores any number, like the kernel, e.g. one event in both slots or
         * a normal event in the critical slot; such a slot is stale, as one
         * without a vCPU event is (the lint reports both). Found by the blob
         * fuzz target: a COMPLETE of one slot freed the vCPU event the other
         * slot still ran, and the next COMPLETE trapped on SDEI_ASSERT. */
        if (vc->critical_num != SDEI_INVALID_EVENT && sdei_queue_find(vc, vc->critical_num) >= 0) {
            uint16_t ev = sdei_find_event(vm, vc->critical_num);
            if (ev != SDEI_NO_EVENT_INDEX &&
                vm->exposed[ev].priority == SDEI_EVENT_PRIORITY_CRITICAL) {
                vc->critical_ev = ev;
            }
        }
        if (vc->normal_num != SDEI_INVALID_EVENT && sdei_queue_find(vc, vc->normal_num) >= 0) {
            uint16_t ev = sdei_find_event(vm, vc->normal_num);
            if (ev != SDEI_NO_EVENT_INDEX &&
                vm->exposed[ev].priority == SDEI_EVENT_PRIORITY_NORMAL) {
                vc->normal_ev = ev;
            }
        }
        if (vc->critical_ev != SDEI_NO_EVENT_INDEX) {
            vm->reg[vc->critical_ev].running_count++;
        }
        if (vc->normal_ev != SDEI_NO_EVENT_INDEX) {
            vm->reg[vc->normal_ev].running_count++;
        }
    }
}

/* ---- delivery ---- */

static SDEI_ALWAYS_INLINE uint64_t exception_pstate(const sdei_vm *vm, uint64_t interrupted,
                                                    uint64_t q)
{
    if (sdei_q(q, SDEI_QUIRK_BIT(PSTATE_KEEP_ALL))) {
        /* kvm-v5 §5.2 step 7: keep everything, force EL1h and DAIF. */
        return (interrupted & ~SDEI_PSTATE_M_MASK) | SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
    }
    return sdei_arch_entry_pstate(vm, interrupted);
}

uint64_t sdei_exception_pstate(const sdei_vm *vm, uint64_t interrupted)
{
    return exception_pstate(vm, interrupted, vm->quirks);
}

uint64_t sdei_arch_entry_pstate(const sdei_vm *vm, uint64_t interrupted)
{
    /* DESIGN §3.2 (TF-A create_spsr, no optional features): EL1h, DAIF set;
     * NZCV, DIT and PAN kept; PAN forced when SCTLR_EL1.SPAN is 0; IL, SS,
     * UAO and every other bit cleared. */
    uint64_t pstate = interrupted & (SDEI_PSTATE_NZCV | SDEI_PSTATE_DIT | SDEI_PSTATE_PAN);
    if (vm->cfg.sctlr_el1_span == 0) {
        pstate |= SDEI_PSTATE_PAN;
    }
    return pstate | SDEI_PSTATE_DAIF | SDEI_PSTATE_M_EL1H;
}

/* v7: the lowest-numbered deliverable event (kvm-sdei-v7 sdei.c:447-453). */
static int32_t pick_lowest(const sdei_vm *vm, uint32_t v, uint32_t limit)
{
    const sdei_vcpu *vc = &vm->vcpus[v];
    int32_t best = -1;
    for (uint32_t i = 0; i < limit; i++) {
        uint16_t ev = vc->queue[i].ev;
        if (!sdei_running_on(vm, ev, v) && sdei_state_get(vm, ev, v) == SDEI_STATE_ENABLED &&
            (best < 0 || vc->queue[i].num < vc->queue[best].num)) {
            best = (int32_t)i;
        }
    }
    return best;
}

/* The first deliverable of the first `limit` instances (sdei-rules §7.1). */
static int32_t pick_first(const sdei_vm *vm, uint32_t v, uint32_t limit)
{
    const sdei_vcpu *vc = &vm->vcpus[v];
    for (uint32_t i = 0; i < limit; i++) {
        uint16_t ev = vc->queue[i].ev;
        if (sdei_running_on(vm, ev, v)) {
            continue; /* its pending trigger waits for COMPLETE */
        }
        /* §7.1 conditions 2, 5, 6: state E, nothing of this class running;
         * v6 does not re-check enable (deliver_disabled) */
        sdei_event_state st = sdei_state_get(vm, ev, v);
        if (st == SDEI_STATE_ENABLED ||
            (st == SDEI_STATE_REGISTERED && sdei_quirk(vm, SDEI_QUIRK_BIT(DELIVER_DISABLED)))) {
            return (int32_t)i;
        }
    }
    return -1;
}

/* pick_deliverable past its early returns, with the checks v5 does not make
 * (out of line: the early returns, taken on every sdei_vcpu_has_deliverable,
 * and v5's entry then pay no register saves for the scan). */
SDEI_NOINLINE static int32_t pick_checked(const sdei_vm *vm, uint32_t v)
{
    const sdei_vcpu *vc = &vm->vcpus[v];
    /* sdei-rules §7.1 condition 4: nothing to a masked PE. */
    if (vc->masked) {
        return -1;
    }
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(DELIVERY_NEEDS_KICK)) && !vc->kick) {
        return -1; /* v7: no KVM_REQ_SDEI, no delivery */
    }
    uint32_t limit = vc->normal_ev == SDEI_NO_EVENT_INDEX ? vc->nr_queued : vc->nr_critical_queued;
    if (sdei_quirk(vm, SDEI_QUIRK_BIT(DELIVER_LOWEST_NUMBER))) {
        return pick_lowest(vm, v, limit);
    }
    return pick_first(vm, v, limit);
}

/* Queue position of the event vCPU v would enter now, or -1; quirk set q
 * (SDEI_SPECIALISED). */
static SDEI_ALWAYS_INLINE int32_t pick_deliverable(const sdei_vm *vm, uint32_t v, uint64_t q)
{
    const sdei_vcpu *vc = &vm->vcpus[v];
    int v5 = sdei_q(q, SDEI_QUIRK_BIT(DELIVER_UNCHECKED));
    /* rule: POWER.7 an event cannot bring a PE that is not on online: nothing is
     * entered there (ACS 4.48, spec §6.5.2.1) */
    if (vc->power != SDEI_PE_ON) {
        return -1;
    }
    /* delivery_needs_request: kvm_sdei_deliver_event runs only on KVM_REQ_SDEI */
    if (sdei_q(q, SDEI_QUIRK_BIT(DELIVERY_NEEDS_REQUEST)) && !vc->kick) {
        return -1;
    }
    /* sdei-rules §4.5: nothing preempts a critical handler. */
    if (vc->critical_ev != SDEI_NO_EVENT_INDEX || vc->nr_queued == 0) {
        return -1;
    }
    if (v5) {
        /* kvm-v5 §5.2 step 2: first critical instance, else (no normal
         * running) the first normal one; mask and enable are not re-checked. */
        int32_t pos = -1;
        if (vc->nr_critical_queued > 0) {
            pos = 0;
        } else if (vc->normal_ev == SDEI_NO_EVENT_INDEX) {
            pos = (int32_t)vc->nr_critical_queued;
        }
        /* Without shared_per_vcpu a shared event still runs on one vCPU at a
         * time (ACS 4.42): its instance waits while it runs elsewhere. */
        if (pos >= 0 && !sdei_q(q, SDEI_QUIRK_BIT(SHARED_PER_VCPU))) {
            uint16_t ev = vc->queue[pos].ev;
            if (vm->exposed[ev].type == SDEI_EVENT_TYPE_SHARED && vm->reg[ev].running_count > 0) {
                return -1;
            }
        }
        return pos;
    }
    return pick_checked(vm, v);
}

int sdei_vcpu_has_deliverable(const sdei_vm *vm, uint32_t vcpu)
{
    if (vm == NULL || vcpu >= vm->cfg.nr_vcpus) {
        return 0;
    }
#define PICK_WITH(q, hot) pick_deliverable(vm, vcpu, q)
    return SDEI_SPECIALISED(vm->quirks, PICK_WITH) >= 0;
#undef PICK_WITH
}

/* The guest entry of vCPU v with the quirk set q (SDEI_SPECIALISED). */
static SDEI_ALWAYS_INLINE void deliver(sdei_vm *vm, uint32_t v, sdei_delivery *out, uint64_t q)
{
    int32_t pos = pick_deliverable(vm, v, q);
    sdei_vcpu *vc = &vm->vcpus[v];
    if (vc->power == SDEI_PE_ON) {
        vc->kick = 0; /* v7: entry consumes KVM_REQ_SDEI whatever it finds */
    }
    if (pos < 0) {
        return;
    }
    uint16_t ev = vc->queue[pos].ev;
    const sdei_exposed *ex = &vm->exposed[ev];
    sdei_registered *r = &vm->reg[ev];
    int critical = ex->priority == SDEI_EVENT_PRIORITY_CRITICAL;
    int preempted = critical && vc->normal_ev != SDEI_NO_EVENT_INDEX;

    /* Save the interrupted context (sdei-rules §7.2): x0-x17 are contiguous in
     * both, one block copy. */
    sdei_saved_regs *save = critical ? &vc->critical_regs : &vc->normal_regs;
    sdei_regs *regs = &vc->regs;
    memcpy(save->regs, regs->x, sizeof(save->regs));
    save->pc = regs->pc;
    save->pstate = regs->pstate;
    if (critical) {
        vc->critical_num = ex->num;
        vc->critical_ev = ev;
    } else {
        vc->normal_num = ex->num;
        vc->normal_ev = ev;
    }
    r->running_count++;

    /* Handler entry (sdei-rules §7.2-§7.3). */
    uint32_t slot = sdei_slot(vm, ev, v);
    if (sdei_q(q, SDEI_QUIRK_BIT(ZERO_X4_X17))) {
        /* kvm-v5 §5.2 step 6: x4-x17 zeroed, in two halves: gcc makes one
         * memset of this size a `rep stos`, one instruction per word */
        memset(&regs->x[4], 0, 7u * sizeof(regs->x[0]));
        memset(&regs->x[11], 0, 7u * sizeof(regs->x[0]));
    }
    regs->x[0] = ex->num;
    regs->x[1] = r->ep_arg[slot < vm->cfg.nr_vcpus ? slot : 0];
    regs->x[2] = save->pc;
    regs->x[3] = save->pstate;
    regs->pstate = exception_pstate(vm, save->pstate, q);
    if (sdei_q(q, SDEI_QUIRK_BIT(SPSR_CLOBBER))) {
        regs->spsr_el1 = save->pstate; /* kvm-v5 §5.2 step 8 */
    }
    regs->pc = r->ep_address[slot < vm->cfg.nr_vcpus ? slot : 0];

    if (out != NULL) {
        out->delivered = 1;
        out->priority = ex->priority;
        out->preempted = (uint8_t)preempted;
        out->num = ex->num;
    }
}

sdei_err sdei_vcpu_deliver(sdei_vm *vm, uint32_t v, sdei_delivery *out)
{
    if (vm == NULL) {
        return SDEI_E_NULL;
    }
    if (v >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    if (out != NULL) {
        memset(out, 0, sizeof(*out));
    }
#define DELIVER_WITH(q, hot) deliver(vm, v, out, q)
    (void)SDEI_SPECIALISED(vm->quirks, DELIVER_WITH);
#undef DELIVER_WITH
    return SDEI_OK;
}

/* ---- triggers from the platform ---- */

sdei_refusal sdei_inject_refusal(const sdei_vm *vm, uint16_t ev, uint32_t v)
{
    const sdei_registered *r = &vm->reg[ev];
    uint32_t slot = sdei_slot(vm, ev, v);
    if (!r->present || !sdei_bit_test(r->registered, slot) ||
        sdei_bit_test(r->unregister_pending, slot)) {
        return SDEI_REFUSE_UNREGISTERED;
    }
    if (!sdei_bit_test(r->enabled, slot)) {
        return SDEI_REFUSE_DISABLED;
    }
    return vm->vcpus[v].masked ? SDEI_REFUSE_MASKED : SDEI_REFUSE_NONE;
}

sdei_err sdei_event_trigger(sdei_vm *vm, uint64_t num, uint32_t vcpu, sdei_trigger_result *out)
{
    if (vm == NULL) {
        return SDEI_E_NULL;
    }
    uint16_t ev = sdei_find_event(vm, num);
    if (ev == SDEI_NO_EVENT_INDEX) {
        return SDEI_E_EVENT;
    }
    uint32_t target = vcpu;
    /* shared_per_vcpu: v5 has no routing; kvm_sdei_inject_event queues a
     * shared event on the vCPU its caller names (kvm-v5 §5.1) */
    if (vm->exposed[ev].type == SDEI_EVENT_TYPE_SHARED &&
        !sdei_quirk(vm, SDEI_QUIRK_BIT(SHARED_PER_VCPU))) {
        target = sdei_route_shared(vm, ev);
    } else if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    sdei_trigger_result res;
    sdei_event_state st = sdei_state_get(vm, ev, target);
    const sdei_table_cell *cell = &sdei_state_table[st][SDEI_ACT_TRIGGER];
    if (cell->kind == SDEI_CELL_FORBIDDEN) {
        res = SDEI_TRIGGER_DROPPED; /* sdei-rules §7.4: U and UP drop it */
    } else if (sdei_quirk(vm, SDEI_QUIRK_BIT(INJECT_MASKED_EPERM)) &&
               sdei_inject_refusal(vm, ev, target) != SDEI_REFUSE_NONE) {
        /* kvm-v5 §5.1: kvm_sdei_inject_event refuses it (-EPERM): dropped */
        res = SDEI_TRIGGER_DROPPED;
    } else {
        res = sdei_latch(vm, ev, target);
        /* v7's injection kicks if unmasked and enabled (sdei.c:405-407) */
        sdei_kick_if(vm, target, !vm->vcpus[target].masked && sdei_enabled_on(vm, ev, target));
    }
    if (out != NULL) {
        *out = res;
    }
    return SDEI_OK;
}

sdei_err sdei_interrupt_trigger(sdei_vm *vm, uint32_t intid, uint32_t vcpu,
                                sdei_trigger_result *out)
{
    if (vm == NULL) {
        return SDEI_E_NULL;
    }
    if (intid == 0) {
        return SDEI_E_INTID;
    }
    for (uint32_t e = 0; e < vm->nr_exposed; e++) {
        if (vm->exposed[e].bind_slot != SDEI_BIND_SLOT_NONE &&
            vm->exposed[e].bound_intid == intid) {
            return sdei_event_trigger(vm, vm->exposed[e].num, vcpu, out);
        }
    }
    return SDEI_E_INTID;
}
