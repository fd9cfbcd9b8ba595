/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * calls.c - one function per SDEI call, and the hypercall dispatcher.
 *
 * Each call checks its arguments in the order of sdei-rules §6 (TF-A's
 * order), then consults the state table (table.c). Every check carries a
 * rule marker `rule: CALL.n` that the tests cite (scripts/rules lists rules
 * without a test). Quirk branches reproduce the v5 kernel (kvm-v5 §4.2).
 */
#include <string.h>

#include "vm_internal.h"

void sdei_reroute_shared(sdei_vm *vm, uint16_t ev);

#define Q(name) sdei_quirk(vm, SDEI_QUIRK_BIT(name))

/* ---- shared helpers ---- */

/* rule: EVENT.1 event numbers are 32-bit with bit 31 clear; usable numbers are
 * 0 and those the VMM exposed (DESIGN §3.2, DEN0054C §4.4). */
static int lookup_event(const sdei_vm *vm, uint64_t num, uint16_t *ev)
{
    if (Q(ARGS_TRUNCATED_32) || Q(EVENT_TABLE_V6)) {
        num = (uint32_t)num; /* TF-A: (int)x1 (tfa-dispatcher §1.1); v6: unsigned int */
    }
    /* v7: the number is the position in KVM's table (0 and 1 only). */
    if (!Q(EVENT_TABLE_KVM) && !sdei_num_shape_ok(num, !Q(EVENT_NUMBER_LOOSE))) {
        return 0;
    }
    *ev = sdei_find_event(vm, num);
    return *ev != SDEI_NO_EVENT_INDEX;
}

/* kvm-v5 §10 item 26, v6 (event_table_v6): an unknown number of the shape
 * KVM calls "supported" (0 or bits 23:22 = 01; v6 reads it as 32 bits). */
static int supported_shape(const sdei_vm *vm, uint64_t num)
{
    if (Q(EVENT_TABLE_V6)) {
        return sdei_num_shape_ok((uint32_t)num, 0);
    }
    return Q(EVENT_NUMBER_LOOSE) && sdei_num_shape_ok(num, 0);
}

/* A 32-bit argument as TF-A narrows it (quirk args_truncated_32): bits 63:32
 * ignored; otherwise the full register, whose high bits make it invalid. */
static inline uint64_t arg32_q(uint64_t q, uint64_t x)
{
    return sdei_q(q, SDEI_QUIRK_BIT(ARGS_TRUNCATED_32)) ? (uint32_t)x : x;
}

static uint64_t arg32(const sdei_vm *vm, uint64_t x)
{
    return arg32_q(vm->quirks, x);
}

static int is_shared(const sdei_vm *vm, uint16_t ev)
{
    return vm->exposed[ev].type == SDEI_EVENT_TYPE_SHARED;
}

static int affinity_valid(const sdei_vm *vm, uint64_t aff)
{
    return sdei_vcpu_by_mpidr(vm, aff) >= 0;
}

/* Writes the registration bits of `next` for ev at the slot of vCPU v. */
static void write_bits(sdei_vm *vm, uint16_t ev, uint32_t v, sdei_event_state next)
{
    sdei_registered *r = &vm->reg[ev];
    uint32_t slot = sdei_slot(vm, ev, v);
    int g = next == SDEI_STATE_REGISTERED || next == SDEI_STATE_ENABLED ||
            next == SDEI_STATE_RUNNING_ENABLED || next == SDEI_STATE_RUNNING_DISABLED;
    int e = next == SDEI_STATE_ENABLED || next == SDEI_STATE_RUNNING_ENABLED;
    int p = next == SDEI_STATE_UNREGISTER_PENDING;
    /* Plain masks rather than sdei_bit_set/clear through a function pointer:
     * this runs on most calls (docs/benchmarks.md). */
    uint32_t w = slot / 64u;
    uint64_t m = UINT64_C(1) << (slot % 64u);
    r->registered[w] = (r->registered[w] & ~m) | (g ? m : 0u);
    r->enabled[w] = (r->enabled[w] & ~m) | (e ? m : 0u);
    r->unregister_pending[w] = (r->unregister_pending[w] & ~m) | (p ? m : 0u);
}

/* Unregisters ev at the slot of vCPU v: cancels its pending triggers and
 * clears the registration. Returns 1 if its handler is still running (the
 * state is now UP), else 0 (state U). sdei-rules §6.4 step 3. */
int sdei_unregister_at(sdei_vm *vm, uint16_t ev, uint32_t v)
{
    sdei_registered *r = &vm->reg[ev];
    uint32_t slot = sdei_slot(vm, ev, v);
    int running = 0;
    if (Q(UNREGISTER_KEEPS_PENDING)) {
        /* v7: the pending bit stays (a shared event, which v7 lacks, runs anywhere) */
        running = is_shared(vm, ev) ? r->running_count > 0 : sdei_running_on(vm, ev, v);
    } else if (is_shared(vm, ev)) {
        for (uint32_t u = 0; u < vm->cfg.nr_vcpus && r->vcpu_event_count > 0; u++) {
            running |= sdei_cancel_pending(vm, ev, u);
        }
    } else {
        running = sdei_cancel_pending(vm, ev, v);
    }
    if (Q(PENDING_KEEPS_REGISTERED)) {
        /* kvm-v5 §4.3: pending keeps registered/enabled; ep/arg stay. */
        if (running) {
            sdei_bit_set(r->unregister_pending, slot);
        } else {
            sdei_bit_clear(r->registered, slot);
            sdei_bit_clear(r->enabled, slot);
        }
    } else {
        write_bits(vm, ev, v, running ? SDEI_STATE_UNREGISTER_PENDING : SDEI_STATE_UNREGISTERED);
        /* v7 keeps the handler table entry (kvm-sdei-v7 sdei.c:167-168) */
        if (slot < vm->cfg.nr_vcpus && !Q(EVENT_TABLE_KVM)) {
            r->ep_address[slot] = 0; /* TF-A clears ep and arg at once */
            r->ep_arg[slot] = 0;
        }
    }
    sdei_reg_destroy_if_unused(vm, ev);
    return running;
}

/* ---- the calls ---- */

static int64_t call_version(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)v;
    (void)r;
    (void)info;
    /* rule: VERSION.1 1.1 with vendor 0 (DESIGN §3.1); v5 says "KVM", TF-A 1.0. */
    if (Q(VERSION_1_0)) {
        return (int64_t)SDEI_VERSION_WORD(1, 0, 0);
    }
    if (Q(VERSION_VENDOR_UID)) {
        return (int64_t)SDEI_VERSION_WORD(1, 1, SDEI_VENDOR_KVM_UID); /* kvm-sdei-v6, v7 */
    }
    if (Q(VERSION_VENDOR_KVM)) {
        return (int64_t)SDEI_VERSION_WORD(1, 1, SDEI_VENDOR_KVM_ASCII);
    }
    return (int64_t)SDEI_VERSION_WORD(1, 1, 0);
}

static int64_t call_event_register(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    uint64_t num = r->x[1], ep = r->x[2], arg = r->x[3], flags = r->x[4], aff = r->x[5];
    int lax = Q(NO_ARG_VALIDATION);
    /* rule: REGISTER.1 entry point 0 -> INVALID_PARAMETERS (sdei-rules §6.2 step 1) */
    if (ep == 0 && !lax) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: REGISTER.2 flags other than RM_ANY/RM_PE -> INVALID_PARAMETERS, before the
     * event lookup (sdei-rules §6.2 step 2) */
    if (flags != SDEI_RM_ANY && flags != SDEI_RM_PE) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: REGISTER.3 RM_PE with an affinity that names no vCPU -> INVALID_PARAMETERS */
    if (flags == SDEI_RM_PE && !lax && !affinity_valid(vm, aff)) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint16_t ev;
    /* rule: REGISTER.4 unknown event -> INVALID_PARAMETERS (sdei-rules §6.2 step 3) */
    if (!lookup_event(vm, num, &ev)) {
        return SDEI_INVALID_PARAMETERS;
    }
    sdei_registered *reg = &vm->reg[ev];
    uint32_t slot = sdei_slot(vm, ev, v);
    if (Q(STALE_UNREGISTER_PENDING)) {
        /* kvm-v5 §4.2 REGISTER step 3: a stale pending bit denies forever. */
        if (reg->present && (sdei_bit_test(reg->registered, slot) ||
                             sdei_bit_test(reg->unregister_pending, slot))) {
            return SDEI_DENIED;
        }
    }
    /* rule: REGISTER.5 only in U, else DENIED (sdei-rules §5.2, §6.2 step 5) */
    sdei_event_state st = sdei_state_get(vm, ev, v);
    const sdei_table_cell *cell = &sdei_state_table[st][SDEI_ACT_REGISTER];
    if (cell->kind == SDEI_CELL_FORBIDDEN) {
        return cell->result;
    }
    /* rule: REGISTER.6 a bind slot that is not bound -> DENIED (sdei-rules §6.2 step 6) */
    if (vm->exposed[ev].bind_slot != SDEI_BIND_SLOT_NONE && vm->exposed[ev].bound_intid == 0) {
        return SDEI_DENIED;
    }
    int created = !reg->present;
    sdei_reg_create(vm, ev);
    if (Q(ROUTE_MODE_FROM_AFFINITY)) {
        /* kvm-v5 §4.2 REGISTER step 7: a new object takes x5 as route_mode;
         * an existing one takes x4. Both overwrite the shared fields. */
        reg->route_mode = created ? (uint8_t)aff : (uint8_t)flags;
        reg->route_affinity = aff;
    } else if (is_shared(vm, ev)) {
        reg->route_mode = (uint8_t)flags;
        reg->route_affinity = aff & SDEI_MPIDR_AFFINITY_MASK;
    } else {
        /* rule: REGISTER.7 private events route to the caller (sdei-rules §6.2 step 4) */
        reg->route_mode = (uint8_t)SDEI_RM_PE;
        reg->route_affinity = vm->mpidr[v] & SDEI_MPIDR_AFFINITY_MASK;
    }
    if (slot >= reg->ep_extent) {
        reg->ep_extent = slot + 1;
    }
    reg->ep_address[slot] = ep;
    reg->ep_arg[slot] = arg;
    write_bits(vm, ev, v, cell->next);
    return cell->result;
}

/* ENABLE and DISABLE: lookup, table, bits (sdei-rules §6.3). */
static int64_t enable_disable(sdei_vm *vm, uint32_t v, uint64_t num, sdei_action act)
{
    uint16_t ev;
    /* rule: ENABLE.1 unknown event -> INVALID_PARAMETERS; v5 gives DENIED for an
     * unexposed number of the right shape (kvm-v5 §10 item 26) */
    if (!lookup_event(vm, num, &ev)) {
        return supported_shape(vm, num) ? SDEI_DENIED : SDEI_INVALID_PARAMETERS;
    }
    sdei_event_state st = sdei_state_get(vm, ev, v);
    /* rule: ENABLE.2 forbidden by the table -> DENIED (sdei-rules §5.2) */
    const sdei_table_cell *cell = &sdei_state_table[st][act];
    if (cell->kind == SDEI_CELL_FORBIDDEN) {
        return cell->result;
    }
    if (Q(PENDING_KEEPS_REGISTERED) &&
        sdei_bit_test(vm->reg[ev].unregister_pending, sdei_slot(vm, ev, v))) {
        return SDEI_DENIED; /* kvm-v5 §4.2: unregister_pending[idx] -> DENIED */
    }
    write_bits(vm, ev, v, cell->next);
    /* v7: ENABLE kicks delivery when unmasked and pending (sdei.c:69-71) */
    sdei_kick_if(vm, v,
                 act == SDEI_ACT_ENABLE && !vm->vcpus[v].masked && sdei_pending_on(vm, ev, v));
    return cell->result;
}

static int64_t call_event_enable(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    return enable_disable(vm, v, r->x[1], SDEI_ACT_ENABLE);
}

static int64_t call_event_disable(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    return enable_disable(vm, v, r->x[1], SDEI_ACT_DISABLE);
}

static int64_t call_event_context(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    sdei_vcpu *vc = &vm->vcpus[v];
    uint64_t param = arg32(vm, r->x[1]);
    int running = vc->critical_ev != SDEI_NO_EVENT_INDEX || vc->normal_ev != SDEI_NO_EVENT_INDEX;
    /* rule: CONTEXT.1 register number >= 18 -> INVALID_PARAMETERS, checked before
     * the running handler (sdei-rules §6.15); v5 checks the handler first */
    if (param >= SDEI_SAVED_GPREGS && !(Q(CONTEXT_DENIED_FIRST) && !running)) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: CONTEXT.2 no handler running on this vCPU -> DENIED */
    if (!running) {
        return SDEI_DENIED;
    }
    /* rule: CONTEXT.3 the context the topmost handler interrupted */
    const sdei_saved_regs *s =
        vc->critical_ev != SDEI_NO_EVENT_INDEX ? &vc->critical_regs : &vc->normal_regs;
    return (int64_t)s->regs[param];
}

/* The end of a run that leaves ev unregistered (UP -> U): out of line, so that
 * the common COMPLETE does not pay its register saves. */
SDEI_NOINLINE static void end_unregistered(sdei_vm *vm, uint16_t ev, uint32_t v, uint32_t slot)
{
    sdei_registered *reg = &vm->reg[ev];
    if (Q(STALE_UNREGISTER_PENDING)) {
        /* kvm-v5 §5.3 step 5: registered/enabled cleared, pending bit kept. */
        sdei_bit_clear(reg->registered, slot);
        sdei_bit_clear(reg->enabled, slot);
    } else {
        /* rule: COMPLETE.3 the final COMPLETE takes UP to U (sdei-rules §5.2) */
        write_bits(vm, ev, v, SDEI_STATE_UNREGISTERED);
    }
    sdei_reg_destroy_if_unused(vm, ev);
}

/* The state part of COMPLETE (sdei-rules §5.2, §6.16): the run in the
 * critical or normal slot of vCPU v ends; an unregister-pending event becomes
 * unregistered. Also what a power transition that completes the handler first
 * does (power.c). */
static SDEI_ALWAYS_INLINE uint64_t end_run(sdei_vm *vm, uint32_t v, int critical, sdei_action act)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    uint16_t ev = critical ? vc->critical_ev : vc->normal_ev;
    SDEI_ASSERT(ev != SDEI_NO_EVENT_INDEX);
    /* The handler runs here (for a shared event, running_count > 0 follows):
     * the state of ev on v is a running one, from its bits. */
    const sdei_exposed *ex = &vm->exposed[ev];
    sdei_registered *reg = &vm->reg[ev];
    uint32_t slot = ex->type == SDEI_EVENT_TYPE_SHARED ? 0u : v;
    const sdei_table_cell *cell = &sdei_state_table[sdei_state_of(reg, slot, 1)][act];
    SDEI_ASSERT(cell->kind == SDEI_CELL_TRANSITION); /* a running slot is always running */
    int unregistered = cell->next == SDEI_STATE_UNREGISTERED;
    uint64_t num = ex->num;
    if (critical) {
        vc->critical_ev = SDEI_NO_EVENT_INDEX;
        vc->critical_num = SDEI_INVALID_EVENT;
    } else {
        vc->normal_ev = SDEI_NO_EVENT_INDEX;
        vc->normal_num = SDEI_INVALID_EVENT;
    }
    SDEI_ASSERT(reg->running_count > 0);
    reg->running_count--;
    int32_t pos = sdei_queue_find(vc, num);
    SDEI_ASSERT(pos >= 0);
    if (--vc->queue[pos].event_count == 0) {
        sdei_queue_remove_at(vm, v, (uint32_t)pos);
    }
    if (unregistered) {
        end_unregistered(vm, ev, v, slot);
    }
    return num;
}

uint64_t sdei_end_run(sdei_vm *vm, uint32_t v, int critical, sdei_action act)
{
    return end_run(vm, v, critical, act);
}

/* COMPLETE_AND_RESUME's registers after the restore (sdei-rules §8); out of
 * line, as end_unregistered. */
SDEI_NOINLINE static void resume_regs(const sdei_vm *vm, sdei_regs *r, const sdei_saved_regs *s,
                                      uint64_t resume_addr)
{
    if (Q(RESUME_AS_IRQ) && !Q(RESUME_IGNORED)) {
        /* v6: kvm_inject_irq; the IRQ is taken as the vCPU re-enters, before
         * anything else (KVM's exception entry): x1 is not read, the vector
         * is VBAR_EL1 + 0x280 (the model's VBAR_EL1 is 0). With v5's
         * resume_ignored too, the IRQ is dropped: that one wins. */
        r->elr_el1 = s->pc;
        r->spsr_el1 = s->pstate;
        r->pc = SDEI_VECTOR_IRQ_CURRENT_SPX;
        r->pstate = sdei_arch_entry_pstate(vm, s->pstate);
    } else if (!Q(RESUME_IGNORED)) {
        /* rule: RESUME.1 a synchronous exception taken at resume_addr: ELR_EL1 and
         * SPSR_EL1 get the interrupted PC and PSTATE (sdei-rules §8, DEN0054C §5.2.2);
         * PSTATE follows the exception-entry rules, as at handler entry. */
        r->elr_el1 = s->pc;
        r->spsr_el1 = s->pstate;
        r->pc = resume_addr;
        r->pstate = sdei_exception_pstate(vm, s->pstate);
        if (Q(RESUME_PSTATE_FIXED)) {
            /* TF-A: SPSR_64(EL1, SP_ELx, DAIF) = 0x3C5 (tfa-dispatcher §4) */
            r->pstate = SDEI_PSTATE_M_EL1H | SDEI_PSTATE_DAIF;
        }
    }
}

/* COMPLETE and COMPLETE_AND_RESUME (sdei-rules §6.16-§6.17, §8), with the
 * quirk set q (SDEI_SPECIALISED). */
static SDEI_ALWAYS_INLINE int64_t complete(sdei_vm *vm, uint32_t v, sdei_regs *r,
                                           sdei_call_info *info, int resume, uint64_t q)
{
    sdei_vcpu *vc = &vm->vcpus[v];
    int critical = vc->critical_ev != SDEI_NO_EVENT_INDEX;
    /* rule: COMPLETE.1 no handler running on this vCPU -> DENIED */
    if (!critical && vc->normal_ev == SDEI_NO_EVENT_INDEX) {
        if (sdei_q(q, SDEI_QUIRK_BIT(COMPLETE_NO_RESULT))) {
            info->outcome = SDEI_CALL_NO_RESULT; /* kvm-v5 §4.1: x0 untouched */
        }
        return SDEI_DENIED;
    }
    sdei_action act = resume ? SDEI_ACT_COMPLETE_AND_RESUME : SDEI_ACT_COMPLETE;
    uint64_t resume_addr = r->x[1];
    const sdei_saved_regs *s = critical ? &vc->critical_regs : &vc->normal_regs;
    /* The run ends first, the registers come back last: the end of the run
     * touches no register, and after the block copy (which may alias
     * anything) nothing is loaded again. */
    uint64_t num = end_run(vm, v, critical, act);
    if (sdei_q(q, SDEI_QUIRK_BIT(DELIVERY_NEEDS_REQUEST)) && vc->nr_queued > 0) {
        vc->kick = 1; /* kvm-v5 §5.3 step 6: another request for what is queued */
    }
    info->outcome = SDEI_CALL_COMPLETED;
    info->completed_num = num;
    info->completed_priority = critical ? SDEI_EVENT_PRIORITY_CRITICAL : SDEI_EVENT_PRIORITY_NORMAL;

    /* rule: COMPLETE.2 restore x0-x17, PC and PSTATE exactly (sdei-rules §8) */
    memcpy(r->x, s->regs, sizeof(s->regs));
    r->pc = s->pc;
    r->pstate = s->pstate;
    if (resume) {
        resume_regs(vm, r, s, resume_addr);
    }
    return SDEI_SUCCESS;
}

static int64_t call_event_complete_and_resume(sdei_vm *vm, uint32_t v, sdei_regs *r,
                                              sdei_call_info *info)
{
    return complete(vm, v, r, info, 1, vm->quirks); /* rare: not specialised */
}

static int64_t call_event_unregister(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    uint16_t ev;
    /* rule: UNREGISTER.1 unknown event -> INVALID_PARAMETERS (sdei-rules §6.4 step 1) */
    if (!lookup_event(vm, r->x[1], &ev)) {
        return SDEI_INVALID_PARAMETERS;
    }
    sdei_registered *reg = &vm->reg[ev];
    uint32_t slot = sdei_slot(vm, ev, v);
    if (Q(EVENT_NUMBER_LOOSE) && !reg->present) {
        return SDEI_INVALID_PARAMETERS; /* kvm-v5 §10 item 25 */
    }
    if (Q(STALE_UNREGISTER_PENDING)) {
        /* kvm-v5 §4.2: !registered -> DENIED, then pending -> PENDING. */
        if (!sdei_bit_test(reg->registered, slot)) {
            return SDEI_DENIED;
        }
        if (sdei_bit_test(reg->unregister_pending, slot)) {
            return SDEI_PENDING;
        }
    }
    /* rule: UNREGISTER.2 U -> DENIED; UP -> PENDING (sdei-rules §6.4 step 2) */
    sdei_event_state st = sdei_state_get(vm, ev, v);
    const sdei_table_cell *cell = &sdei_state_table[st][SDEI_ACT_UNREGISTER];
    if (cell->kind == SDEI_CELL_FORBIDDEN) {
        return cell->result;
    }
    /* rule: UNREGISTER.3 a running event goes to UP and the call returns PENDING */
    int running = sdei_unregister_at(vm, ev, v);
    SDEI_ASSERT(running == (cell->next == SDEI_STATE_UNREGISTER_PENDING));
    return cell->result;
}

static int64_t call_event_status(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    uint16_t ev;
    if (!lookup_event(vm, r->x[1], &ev)) {
        /* kvm-v5 §10 item 26: an unexposed number of the right shape is 0. */
        if (supported_shape(vm, r->x[1])) {
            return 0;
        }
        /* rule: STATUS.1 unknown event -> INVALID_PARAMETERS (sdei-rules §6.5) */
        return SDEI_INVALID_PARAMETERS;
    }
    if (Q(STATUS_RUNNING_VM_WIDE)) {
        /* kvm-v5 §4.2 STATUS: raw bits; RUNNING = any instance on any vCPU. */
        const sdei_registered *reg = &vm->reg[ev];
        uint32_t slot = sdei_slot(vm, ev, v);
        if (!reg->present) {
            return 0;
        }
        return (int64_t)((uint64_t)sdei_bit_test(reg->registered, slot) |
                         ((uint64_t)sdei_bit_test(reg->enabled, slot) << 1) |
                         ((uint64_t)(reg->vcpu_event_count > 0) << 2));
    }
    /* rule: STATUS.2 the R/E/G bits of the caller's state (sdei-rules §5.1) */
    sdei_event_state st = sdei_state_get(vm, ev, v);
    if (st == SDEI_STATE_UNREGISTER_PENDING && Q(PENDING_KEEPS_REGISTERED)) {
        /* kvm-v5 §10 item 24 (v6 sdei.c:385-395): the raw bits, registered and
         * enabled kept: 7 or 5 */
        uint32_t slot = sdei_slot(vm, ev, v);
        return (int64_t)(4u | (uint64_t)sdei_bit_test(vm->reg[ev].registered, slot) |
                         ((uint64_t)sdei_bit_test(vm->reg[ev].enabled, slot) << 1));
    }
    return (int64_t)sdei_state_status_bits(st);
}

static int64_t call_event_get_info(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    uint16_t ev;
    /* rule: GET_INFO.1 unknown event -> INVALID_PARAMETERS (sdei-rules §6.7) */
    if (!lookup_event(vm, r->x[1], &ev)) {
        return SDEI_INVALID_PARAMETERS;
    }
    const sdei_exposed *ex = &vm->exposed[ev];
    const sdei_registered *reg = &vm->reg[ev];
    switch (arg32(vm, r->x[2])) {
    case SDEI_INFO_EV_TYPE:
        return ex->type;
    case SDEI_INFO_EV_SIGNALED:
        /* rule: GET_INFO.2 EV_SIGNALED is 0 for the signalable event 0 (DESIGN §3.2) */
        if (Q(SIGNALED_POLARITY)) {
            return ex->signaled;
        }
        return ex->num == SDEI_EVENT_SIGNAL_NUM ? 0 : 1;
    case SDEI_INFO_EV_PRIORITY:
        return ex->priority;
    case SDEI_INFO_EV_ROUTING_MODE:
    case SDEI_INFO_EV_ROUTING_AFF: {
        /* rule: GET_INFO.3 routing of a private event -> INVALID_PARAMETERS */
        if (!is_shared(vm, ev)) {
            return SDEI_INVALID_PARAMETERS;
        }
        /* rule: GET_INFO.4 routing of an unregistered shared event -> DENIED */
        if (!reg->present || !sdei_bit_test(reg->registered, sdei_slot(vm, ev, v))) {
            return SDEI_DENIED;
        }
        if (arg32(vm, r->x[2]) == SDEI_INFO_EV_ROUTING_MODE) {
            return reg->route_mode;
        }
        /* rule: GET_INFO.5 affinity asked in RM_ANY mode -> INVALID_PARAMETERS */
        if (reg->route_mode != SDEI_RM_PE && !Q(NO_ARG_VALIDATION)) {
            return SDEI_INVALID_PARAMETERS;
        }
        return (int64_t)reg->route_affinity;
    }
    default:
        /* rule: GET_INFO.6 unknown selector -> INVALID_PARAMETERS */
        return SDEI_INVALID_PARAMETERS;
    }
}

static int64_t call_event_routing_set(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    uint64_t num = r->x[1], mode = r->x[2], aff = r->x[3];
    uint16_t ev;
    if (Q(ROUTING_SET_NOT_SUPPORTED)) {
        return SDEI_NOT_SUPPORTED; /* kvm-sdei-v6 sdei.c:624 */
    }
    /* rule: ROUTING_SET.1 mode other than RM_ANY/RM_PE -> INVALID_PARAMETERS, first */
    if (mode != SDEI_RM_ANY && mode != SDEI_RM_PE) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: ROUTING_SET.2 RM_PE with an affinity naming no vCPU -> INVALID_PARAMETERS */
    if (mode == SDEI_RM_PE && !Q(NO_ARG_VALIDATION) && !affinity_valid(vm, aff)) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: ROUTING_SET.3 unknown event -> INVALID_PARAMETERS */
    if (!lookup_event(vm, num, &ev)) {
        return SDEI_INVALID_PARAMETERS;
    }
    sdei_registered *reg = &vm->reg[ev];
    if (Q(ROUTING_PRIVATE_DENIED)) {
        /* kvm-v5 §4.2 ROUTING_SET: no object -> INVALID; private -> DENIED;
         * !registered, enabled or any instance -> DENIED; both fields set. */
        if (!reg->present) {
            return SDEI_INVALID_PARAMETERS;
        }
        if (!is_shared(vm, ev) || !sdei_bit_test(reg->registered, 0) ||
            sdei_bit_test(reg->enabled, 0) || reg->vcpu_event_count > 0) {
            return SDEI_DENIED;
        }
        reg->route_mode = (uint8_t)mode;
        reg->route_affinity = aff;
        return SDEI_SUCCESS;
    }
    /* rule: ROUTING_SET.4 private event -> INVALID_PARAMETERS (sdei-rules §6.6) */
    if (!is_shared(vm, ev)) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: ROUTING_SET.5 a shared bind slot that is not bound -> INVALID_PARAMETERS */
    if (vm->exposed[ev].bind_slot != SDEI_BIND_SLOT_NONE && vm->exposed[ev].bound_intid == 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: ROUTING_SET.6 only in D (registered, disabled, not running) -> else DENIED */
    sdei_event_state st = sdei_state_get(vm, ev, v);
    const sdei_table_cell *cell = &sdei_state_table[st][SDEI_ACT_ROUTING_SET];
    if (cell->kind == SDEI_CELL_FORBIDDEN) {
        return cell->result;
    }
    /* rule: ROUTING_SET.7 RM_PE records the affinity; RM_ANY keeps the old one */
    reg->route_mode = (uint8_t)mode;
    if (mode == SDEI_RM_PE) {
        reg->route_affinity = aff & SDEI_MPIDR_AFFINITY_MASK;
    }
    sdei_reroute_shared(vm, ev);
    return cell->result;
}

static int64_t call_pe_mask(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)r;
    (void)info;
    sdei_vcpu *vc = &vm->vcpus[v];
    int was_masked = vc->masked;
    vc->masked = 1;
    sdei_rebalance_rm_any(vm);
    /* rule: PE_MASK.1 1 if the vCPU was unmasked, 0 if already masked (sdei-rules §6.8) */
    if (Q(PE_MASK_RETURNS_ZERO)) {
        return SDEI_SUCCESS;
    }
    return was_masked ? 0 : 1;
}

static int64_t call_pe_unmask(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)r;
    (void)info;
    vm->vcpus[v].masked = 0;
    /* rule: PE_UNMASK.1 returns 0; waiting triggers become deliverable (sdei-rules §6.9) */
    sdei_rebalance_rm_any(vm);
    /* v7: kicks if anything is pending, enabled or not (sdei.c:236-237) */
    int any = 0;
    for (uint32_t i = 0; i < vm->vcpus[v].nr_queued && !any; i++) {
        any = sdei_pending_on(vm, vm->vcpus[v].queue[i].ev, v);
    }
    sdei_kick_if(vm, v, any);
    return SDEI_SUCCESS;
}

static int64_t call_interrupt_bind(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)v;
    (void)info;
    if (Q(NO_BIND)) {
        return SDEI_NOT_SUPPORTED; /* kvm-v5 §4.1 */
    }
    uint64_t intid = arg32(vm, r->x[1]);
    /* rule: BIND.1 only PPIs (16-31) and SPIs (32-1019); SGIs -> INVALID_PARAMETERS */
    if (intid < SDEI_INTID_PPI_FIRST || intid > SDEI_INTID_SPI_LAST) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint8_t kind = intid <= SDEI_INTID_PPI_LAST ? SDEI_BIND_SLOT_PRIVATE : SDEI_BIND_SLOT_SHARED;
    int32_t free_slot = -1;
    for (uint32_t e = 0; e < vm->nr_exposed; e++) {
        const sdei_exposed *ex = &vm->exposed[e];
        if (ex->bind_slot != kind) {
            continue;
        }
        /* rule: BIND.2 an interrupt already bound gives the same event again */
        if (ex->bound_intid == intid) {
            return (int64_t)ex->num;
        }
        if (ex->bound_intid == 0 && free_slot < 0) {
            free_slot = (int32_t)e;
        }
    }
    /* rule: BIND.3 no free slot of the right kind -> OUT_OF_RESOURCE */
    if (free_slot < 0) {
        return SDEI_OUT_OF_RESOURCE;
    }
    /* rule: BIND.4 PPI -> private, SPI -> shared event, normal priority (sdei-rules §4.4) */
    vm->exposed[free_slot].bound_intid = (uint32_t)intid;
    return (int64_t)vm->exposed[free_slot].num;
}

/* The checks and effect of INTERRUPT_RELEASE (sdei-rules §6.11). */
static int64_t release_event(sdei_vm *vm, uint32_t v, uint16_t ev)
{
    sdei_exposed *ex = &vm->exposed[ev];
    const sdei_registered *reg = &vm->reg[ev];
    /* rule: RELEASE.2 not a bind slot -> INVALID_PARAMETERS */
    if (ex->bind_slot == SDEI_BIND_SLOT_NONE) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: RELEASE.3 registered on any vCPU -> DENIED */
    if (reg->present && !sdei_bitmap_empty(reg->registered)) {
        return SDEI_DENIED;
    }
    /* rule: RELEASE.4 the caller's copy not in U (e.g. UP) -> DENIED */
    sdei_event_state st = sdei_state_get(vm, ev, v);
    const sdei_table_cell *cell = &sdei_state_table[st][SDEI_ACT_RELEASE];
    if (cell->kind == SDEI_CELL_FORBIDDEN) {
        return cell->result;
    }
    /* rule: RELEASE.5 not bound -> INVALID_PARAMETERS */
    if (ex->bound_intid == 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    ex->bound_intid = 0;
    return cell->result;
}

static int64_t call_interrupt_release(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)info;
    if (Q(NO_BIND)) {
        return SDEI_NOT_SUPPORTED; /* kvm-v5 §4.1 */
    }
    uint16_t ev;
    /* rule: RELEASE.1 unknown event -> INVALID_PARAMETERS */
    if (!lookup_event(vm, r->x[1], &ev)) {
        return SDEI_INVALID_PARAMETERS;
    }
    return release_event(vm, v, ev);
}

/* kvm-sdei-v7 sdei.c:255-263 (quirk signal_unchecked): registered is the only
 * check; a new pending bit kicks delivery if unmasked and enabled. Out of line,
 * as end_unregistered. */
SDEI_NOINLINE static int64_t signal_unchecked(sdei_vm *vm, uint16_t ev, uint32_t target,
                                              sdei_event_state st)
{
    if (st == SDEI_STATE_UNREGISTERED || st == SDEI_STATE_UNREGISTER_PENDING) {
        return SDEI_INVALID_PARAMETERS;
    }
    int was = sdei_pending_on(vm, ev, target);
    (void)sdei_latch(vm, ev, target);
    sdei_kick_if(vm, target, !was && !vm->vcpus[target].masked && sdei_enabled_on(vm, ev, target));
    return SDEI_SUCCESS;
}

/* SIGNAL with the quirk set q (SDEI_SPECIALISED). */
static SDEI_ALWAYS_INLINE int64_t event_signal(sdei_vm *vm, uint32_t v, const sdei_regs *r,
                                               uint64_t q)
{
    /* rule: SIGNAL.1 only event 0 can be signalled (sdei-rules §6.12) */
    uint64_t num = sdei_q(q, SDEI_QUIRK_BIT(EVENT_TABLE_V6)) ? (uint32_t)r->x[1]
                                                             : arg32_q(q, r->x[1]); /* v6: u32 */
    /* lookup_event(x1) narrows x1 as num was narrowed, and 0 has every shape it
     * accepts: once num is 0 it finds what sdei_find_event(0) finds, which the
     * derived signal_ev holds (checked by sdei_vm_check). */
    uint16_t ev = num == SDEI_EVENT_SIGNAL_NUM ? vm->signal_ev : SDEI_NO_EVENT_INDEX;
    if (ev == SDEI_NO_EVENT_INDEX) {
        return SDEI_INVALID_PARAMETERS;
    }
    uint32_t target = v;
    /* Affinities are unique (sdei_vm_new): a signal to the caller's own
     * affinity names the caller, with no lookup (the common case). */
    if (!sdei_q(q, SDEI_QUIRK_BIT(SIGNAL_TARGET_IGNORED)) &&
        ((r->x[2] ^ vm->mpidr[v]) & SDEI_MPIDR_AFFINITY_MASK) != 0) {
        /* rule: SIGNAL.2 a target MPIDR that names no vCPU -> INVALID_PARAMETERS */
        int32_t t = sdei_vcpu_by_mpidr(vm, r->x[2]);
        if (t < 0) {
            return SDEI_INVALID_PARAMETERS;
        }
        target = (uint32_t)t;
    }
    sdei_event_state st = sdei_state_get(vm, ev, target);
    if (sdei_q(q, SDEI_QUIRK_BIT(SIGNAL_UNCHECKED))) {
        return signal_unchecked(vm, ev, target, st);
    }
    /* rule: SIGNAL.3 the target is masked -> INVALID_PARAMETERS (TF-A b142ede74) */
    if (vm->vcpus[target].masked) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: SIGNAL.4 event 0 not registered and enabled on the target ->
     * INVALID_PARAMETERS */
    if (st != SDEI_STATE_ENABLED && st != SDEI_STATE_RUNNING_ENABLED) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* rule: SIGNAL.5 edge-triggered: a second SIGNAL while pending succeeds */
    sdei_trigger_result res = sdei_latch_q(vm, ev, target, q);
    return res == SDEI_TRIGGER_PENDING ? SDEI_SUCCESS : SDEI_INVALID_PARAMETERS;
}

static int64_t call_features(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)v;
    (void)info;
    switch (arg32(vm, r->x[1])) {
    case SDEI_FEATURE_BIND_SLOTS:
        /* rule: FEATURES.1 private slots in [15:0], shared in [31:16] */
        if (Q(NO_BIND)) {
            return 0;
        }
        return (int64_t)((uint64_t)vm->cfg.private_bind_slots |
                         ((uint64_t)vm->cfg.shared_bind_slots << 16));
    case SDEI_FEATURE_RELATIVE_MODE:
        /* rule: FEATURES.2 relative mode (v1.1) is not supported: 0. DEN0054C
         * defines the selector, so it is answered rather than rejected as TF-A
         * (a v1.0 dispatcher) does; the tfa profile does it too. */
        return Q(FEATURES_RELATIVE_INVALID) ? SDEI_INVALID_PARAMETERS : 0;
    default:
        /* rule: FEATURES.3 unknown feature -> INVALID_PARAMETERS */
        return SDEI_INVALID_PARAMETERS;
    }
}

/* v5's reset (kvm-v5 §4.2): every registered object passing the (inverted)
 * filter is unregistered on all vCPUs; PENDING if any was running. */
static int64_t reset_v5(sdei_vm *vm, int private_reset)
{
    int pending = 0;
    for (uint32_t i = 0; i < vm->nr_registered;) {
        uint16_t ev = vm->reg_order[i];
        int shared = is_shared(vm, ev);
        if (private_reset ^ shared) {
            i++;
            continue;
        }
        uint32_t before = vm->nr_registered;
        if (shared) {
            pending |= sdei_unregister_at(vm, ev, 0);
        } else {
            for (uint32_t u = 0; u < vm->cfg.nr_vcpus && vm->reg[ev].present; u++) {
                pending |= sdei_unregister_at(vm, ev, u);
            }
        }
        if (vm->nr_registered == before) {
            i++;
        }
    }
    if (pending) {
        return Q(RESET_RETURNS_PENDING) ? SDEI_PENDING : SDEI_DENIED;
    }
    return SDEI_SUCCESS;
}

/* Unregisters every event of one class as the caller sees it; 1 if any was
 * running or unregister-pending (sdei-rules §6.14). */
int sdei_reset_class(sdei_vm *vm, uint32_t v, uint8_t type)
{
    int denied = 0;
    for (uint32_t e = 0; e < vm->nr_exposed; e++) {
        if (vm->exposed[e].type != type) {
            continue;
        }
        sdei_event_state st = sdei_state_get(vm, (uint16_t)e, v);
        const sdei_table_cell *cell = &sdei_state_table[st][SDEI_ACT_UNREGISTER];
        if (cell->kind == SDEI_CELL_FORBIDDEN) {
            /* U: DENIED ignored; UP: PENDING counts as a running handler. */
            denied |= cell->result == SDEI_PENDING;
            continue;
        }
        denied |= sdei_unregister_at(vm, (uint16_t)e, v);
    }
    return denied;
}

/* The result of a reset that met a running handler: DENIED (PRIVATE_RESET.1,
 * sdei-rules §6.14); quirk reset_returns_pending gives PENDING on its own too,
 * not only together with reset_filter_inverted (a quirk is never a silent no-op,
 * sdei_quirks.h; kvm-v5 §10 item 3). */
static int64_t reset_denied(const sdei_vm *vm)
{
    return Q(RESET_RETURNS_PENDING) ? SDEI_PENDING : SDEI_DENIED;
}

static int64_t call_private_reset(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)r;
    (void)info;
    if (Q(RESET_FILTER_INVERTED)) {
        return reset_v5(vm, 1);
    }
    /* rule: PRIVATE_RESET.1 unregisters the caller's private events; DENIED if one
     * was running, which still goes to UP (sdei-rules §6.14, TF-A ad55b97ac) */
    int running = sdei_reset_class(vm, v, SDEI_EVENT_TYPE_PRIVATE);
    return running && !Q(RESET_IGNORES_RUNNING) ? reset_denied(vm) : SDEI_SUCCESS;
}

static int64_t call_shared_reset(sdei_vm *vm, uint32_t v, sdei_regs *r, sdei_call_info *info)
{
    (void)r;
    (void)info;
    if (Q(RESET_FILTER_INVERTED)) {
        return reset_v5(vm, 0);
    }
    /* rule: SHARED_RESET.1 unregisters every shared event; DENIED if one was running */
    if (sdei_reset_class(vm, v, SDEI_EVENT_TYPE_SHARED)) {
        return reset_denied(vm);
    }
    /* rule: SHARED_RESET.2 then releases every bound slot; first error returned */
    int64_t first_err = SDEI_SUCCESS;
    for (uint32_t e = 0; e < vm->nr_exposed; e++) {
        if (vm->exposed[e].bind_slot == SDEI_BIND_SLOT_NONE || vm->exposed[e].bound_intid == 0) {
            continue;
        }
        int64_t res = release_event(vm, v, (uint16_t)e);
        if (res != SDEI_SUCCESS && first_err == SDEI_SUCCESS) {
            first_err = res;
        }
    }
    return first_err;
}

/* ---- dispatcher ---- */

/* The hot calls' entries, one pair per quirk set of SDEI_SPECIALISED. */
#define HOT_CALLS(SET, QUIRKS)                                                                     \
    static int64_t call_event_signal_##SET(sdei_vm *vm, uint32_t v, sdei_regs *r,                  \
                                           sdei_call_info *info)                                   \
    {                                                                                              \
        (void)info;                                                                                \
        return event_signal(vm, v, r, QUIRKS);                                                     \
    }                                                                                              \
    static int64_t call_event_complete_##SET(sdei_vm *vm, uint32_t v, sdei_regs *r,                \
                                             sdei_call_info *info)                                 \
    {                                                                                              \
        return complete(vm, v, r, info, 0, QUIRKS);                                                \
    }
HOT_CALLS(any, vm->quirks)
HOT_CALLS(spec, SDEI_HOT_QUIRKS_SPEC)
HOT_CALLS(kvm_v5, SDEI_HOT_QUIRKS_KVM_V5)

/* One function per SDEI call, by call number; a table per quirk set of
 * SDEI_SPECIALISED, which differ only in the hot calls' entries. */
/* clang-format off */
#define CALL_TABLE(SET) \
    { \
        [SDEI_CALL_VERSION] = call_version, \
        [SDEI_CALL_EVENT_REGISTER] = call_event_register, \
        [SDEI_CALL_EVENT_ENABLE] = call_event_enable, \
        [SDEI_CALL_EVENT_DISABLE] = call_event_disable, \
        [SDEI_CALL_EVENT_CONTEXT] = call_event_context, \
        [SDEI_CALL_EVENT_COMPLETE] = call_event_complete_##SET, \
        [SDEI_CALL_EVENT_COMPLETE_AND_RESUME] = call_event_complete_and_resume, \
        [SDEI_CALL_EVENT_UNREGISTER] = call_event_unregister, \
        [SDEI_CALL_EVENT_STATUS] = call_event_status, \
        [SDEI_CALL_EVENT_GET_INFO] = call_event_get_info, \
        [SDEI_CALL_EVENT_ROUTING_SET] = call_event_routing_set, \
        [SDEI_CALL_PE_MASK] = call_pe_mask, \
        [SDEI_CALL_PE_UNMASK] = call_pe_unmask, \
        [SDEI_CALL_INTERRUPT_BIND] = call_interrupt_bind, \
        [SDEI_CALL_INTERRUPT_RELEASE] = call_interrupt_release, \
        [SDEI_CALL_EVENT_SIGNAL] = call_event_signal_##SET, \
        [SDEI_CALL_FEATURES] = call_features, \
        [SDEI_CALL_PRIVATE_RESET] = call_private_reset, \
        [SDEI_CALL_SHARED_RESET] = call_shared_reset, \
    }
/* clang-format on */
static const sdei_call_fn call_tables[SDEI_HOT_COUNT][SDEI_CALL_COUNT] = {
    [SDEI_HOT_ANY] = CALL_TABLE(any),
    [SDEI_HOT_SPEC] = CALL_TABLE(spec),
    [SDEI_HOT_KVM_V5] = CALL_TABLE(kvm_v5),
};

/* The call a function ID names, or SDEI_CALL_ID_NONE. SMCCC: the function
 * ID is W0, so bits 63:32 of x0 are ignored (kvm-v5 extras.rec). The range
 * test comes first: it is the common case. */
static sdei_call_id call_of_fid(const sdei_vm *vm, uint64_t x0)
{
    uint32_t fid = (uint32_t)x0;
    uint32_t id = fid - (uint32_t)SDEI_FID_BASE;
    if (id < SDEI_CALL_COUNT) {
        if (id == SDEI_CALL_FEATURES && Q(FEATURES_FID_0X50)) {
            return SDEI_CALL_ID_NONE; /* v5 routes 0x30 to the PSCI fallback */
        }
        return (sdei_call_id)id;
    }
    if (fid == (uint32_t)SDEI_FID_FEATURES_KVM_V5 && Q(FEATURES_FID_0X50)) {
        return SDEI_CALL_FEATURES;
    }
    return SDEI_CALL_ID_NONE;
}

/* rule: CALL.1 an unknown function ID -> NOT_SUPPORTED (sdei-rules §2); out
 * of line, as end_unregistered. */
SDEI_NOINLINE static int64_t call_unknown(const sdei_regs *r, sdei_call_info *info)
{
    uint32_t fid = (uint32_t)r->x[0];
    int in_range = fid >= (uint32_t)SDEI_FID_RANGE_FIRST && fid <= (uint32_t)SDEI_FID_RANGE_LAST;
    info->outcome = in_range ? SDEI_CALL_RETURNED : SDEI_CALL_NOT_SDEI;
    return SDEI_NOT_SUPPORTED;
}

const sdei_call_fn *sdei_call_table(uint64_t quirks)
{
#define TABLE_FOR(q, hot) call_tables[hot]
    return SDEI_SPECIALISED(quirks, TABLE_FOR);
#undef TABLE_FOR
}

sdei_err sdei_hypercall(sdei_vm *vm, uint32_t vcpu, sdei_call_info *info)
{
    if (vm == NULL) {
        return SDEI_E_NULL;
    }
    if (vcpu >= vm->cfg.nr_vcpus) {
        return SDEI_E_VCPU;
    }
    sdei_vcpu *vc = &vm->vcpus[vcpu];
    /* rule: POWER.9 a vCPU that is off, suspended or frozen executes nothing, so it
     * cannot call: an API error, the registers untouched (docs/model.md "Power") */
    if (vc->power != SDEI_PE_ON) {
        return SDEI_E_VCPU_OFF;
    }
    sdei_call_info local;
    if (info == NULL) {
        info = &local; /* only outcome is read back: no need to clear it all */
    } else {
        memset(info, 0, sizeof(*info));
    }
    sdei_regs *r = &vc->regs;
    sdei_call_id id = call_of_fid(vm, r->x[0]);
    info->call = (uint32_t)id;
    info->outcome = SDEI_CALL_RETURNED;
    int64_t result;
    /* sdei_absent: a released KVM's SMCCC router denies every SDEI function ID
     * (owner 4, function >= 0x20) before any handler runs (DESIGN §7). */
    if (id == SDEI_CALL_ID_NONE || Q(ABSENT)) {
        result = call_unknown(r, info);
    } else {
        result = vm->calls[id](vm, vcpu, r, info);
    }
    info->result = result;
    if (info->outcome == SDEI_CALL_RETURNED || info->outcome == SDEI_CALL_NOT_SDEI) {
        /* kvm-v5 §4.1: smccc_set_retval(ret, 0, 0, 0). */
        r->x[0] = (uint64_t)result;
        r->x[1] = 0;
        r->x[2] = 0;
        r->x[3] = 0;
    }
    return SDEI_OK;
}
