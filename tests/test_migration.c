/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_migration.c - whole-VM save/restore (DESIGN §4) and migration
 * transparency as a property: for scripted scenarios, saving at every step,
 * restoring into a fresh VM and continuing gives the same results and the same
 * final blobs as never migrating. Also bad save buffers (truncated at every
 * offset, oversized, mis-versioned, inconsistent, other config) and the lint.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_vmm.h"
#include "testlib.h"

/* ---- save helpers ---- */

typedef struct save_buf {
    uint8_t *bytes;
    size_t len;
} save_buf;

static save_buf save_of(const sdei_vm *vm)
{
    save_buf s = {NULL, 0};
    ck_assert_int_eq(sdei_vm_save_size(vm, &s.len), SDEI_OK);
    s.bytes = malloc(s.len);
    ck_assert_ptr_nonnull(s.bytes);
    size_t written = 0;
    ck_assert_int_eq(sdei_vm_save(vm, s.bytes, s.len, &written), SDEI_OK);
    ck_assert_uint_eq(written, s.len);
    return s;
}

static int save_eq(const save_buf *a, const save_buf *b, size_t *at)
{
    if (a->len != b->len) {
        *at = a->len < b->len ? a->len : b->len;
        return 0;
    }
    for (size_t i = 0; i < a->len; i++) {
        if (a->bytes[i] != b->bytes[i]) {
            *at = i;
            return 0;
        }
    }
    return 1;
}

/* A VM of the quirk set q (nothing exposed: a restore brings the events). */
static sdei_vm *fresh_like(uint64_t q, uint32_t n)
{
    sdei_config cfg = sdei_config_default(n);
    cfg.quirks_override = 1;
    cfg.quirks = q;
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    return vm;
}

/* ---- scripted scenarios ---- */

typedef enum act_kind { A_CALL, A_DELIVER, A_INJECT, A_TRIGGER, A_SETPC } act_kind;

typedef struct act {
    act_kind kind;
    uint32_t v;
    uint32_t call;
    uint64_t a[5];
} act;

#define MPIDR(v) (UINT64_C(0x80000000) | (v))
/* initializer macros: clang-format 14 breaks a macro whose body is "{...}" */
/* clang-format off */
#define CALL(v, c, a1, a2, a3, a4, a5) {A_CALL, (v), SDEI_CALL_##c, {(a1), (a2), (a3), (a4), (a5)}}
#define DELIVER(v) {A_DELIVER, (v), 0, {0}}
#define INJECT(v, num) {A_INJECT, (v), 0, {(num)}}
#define TRIGGER(v, num) {A_TRIGGER, (v), 0, {(num)}}
#define SETPC(v, pc) {A_SETPC, (v), 0, {(pc)}}
/* clang-format on */
#define REGEN(v, num, ep, arg)                                                                     \
    CALL(v, EVENT_REGISTER, num, ep, arg, 0, 0), CALL(v, EVENT_ENABLE, num, 0, 0, 0, 0)

/* 1. a handler running on several vCPUs at once */
static const act sc_running_everywhere[] = {
    REGEN(0, T_EV0, 0x1000, 0x10),
    REGEN(1, T_EV0, 0x1100, 0x11),
    REGEN(2, T_EV0, 0x1200, 0x12),
    CALL(0, PE_UNMASK, 0, 0, 0, 0, 0),
    CALL(1, PE_UNMASK, 0, 0, 0, 0, 0),
    CALL(2, PE_UNMASK, 0, 0, 0, 0, 0),
    SETPC(0, 0x9000),
    SETPC(1, 0x9100),
    SETPC(2, 0x9200),
    CALL(0, EVENT_SIGNAL, T_EV0, MPIDR(0), 0, 0, 0),
    CALL(1, EVENT_SIGNAL, T_EV0, MPIDR(1), 0, 0, 0),
    DELIVER(0),
    DELIVER(1),
    CALL(2, EVENT_SIGNAL, T_EV0, MPIDR(2), 0, 0, 0),
    DELIVER(2),
    CALL(0, EVENT_CONTEXT, 2, 0, 0, 0, 0),
    CALL(1, EVENT_STATUS, T_EV0, 0, 0, 0, 0),
    CALL(1, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    CALL(2, EVENT_CONTEXT, 1, 0, 0, 0, 0),
    CALL(2, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    DELIVER(0),
    DELIVER(1),
    DELIVER(2),
};

/* 2. a critical event preempts a running normal handler */
static const act sc_critical_preempts[] = {
    REGEN(0, T_EVP, 0x2000, 0x20),
    REGEN(0, T_EVC, 0x3000, 0x30),
    CALL(0, PE_UNMASK, 0, 0, 0, 0, 0),
    SETPC(0, 0x8000),
    INJECT(0, T_EVP),
    DELIVER(0),
    SETPC(0, 0x2040),
    INJECT(0, T_EVC),
    INJECT(0, T_EVP),
    DELIVER(0),
    CALL(0, EVENT_CONTEXT, 2, 0, 0, 0, 0),
    CALL(0, EVENT_STATUS, T_EVC, 0, 0, 0, 0),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    DELIVER(0),
    CALL(0, EVENT_COMPLETE_AND_RESUME, 0x7000, 0, 0, 0, 0),
    DELIVER(0),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    DELIVER(0),
};

/* 3. UNREGISTER from inside the handler: unregister-pending until COMPLETE */
static const act sc_unregister_pending[] = {
    REGEN(0, T_EV0, 0x1000, 0x10),
    REGEN(1, T_EV0, 0x1100, 0x11),
    CALL(0, PE_UNMASK, 0, 0, 0, 0, 0),
    SETPC(0, 0x8000),
    CALL(0, EVENT_SIGNAL, T_EV0, MPIDR(0), 0, 0, 0),
    DELIVER(0),
    CALL(0, EVENT_UNREGISTER, T_EV0, 0, 0, 0, 0),
    CALL(0, EVENT_STATUS, T_EV0, 0, 0, 0, 0),
    CALL(0, EVENT_UNREGISTER, T_EV0, 0, 0, 0, 0),
    CALL(1, EVENT_STATUS, T_EV0, 0, 0, 0, 0),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    CALL(0, EVENT_STATUS, T_EV0, 0, 0, 0, 0),
    CALL(0, EVENT_REGISTER, T_EV0, 0x1000, 0x10, 0, 0),
    CALL(1, EVENT_UNREGISTER, T_EV0, 0, 0, 0, 0),
    CALL(0, EVENT_REGISTER, T_EV0, 0x1000, 0x10, 0, 0),
};

/* 4. a masked vCPU with pending events */
static const act sc_masked_pending[] = {
    REGEN(0, T_EVP, 0x2000, 0x20),
    REGEN(0, T_EVC, 0x3000, 0x30),
    INJECT(0, T_EVP),
    INJECT(0, T_EVC),
    INJECT(0, T_EVP),
    DELIVER(0),
    CALL(0, EVENT_STATUS, T_EVP, 0, 0, 0, 0),
    SETPC(0, 0x4444),
    CALL(0, PE_UNMASK, 0, 0, 0, 0, 0),
    INJECT(0, T_EVP),
    DELIVER(0),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    DELIVER(0),
    CALL(0, PE_MASK, 0, 0, 0, 0, 0),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    DELIVER(0),
    CALL(0, PE_UNMASK, 0, 0, 0, 0, 0),
    DELIVER(0),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
};

/* 5. a shared event routed to one vCPU (RM_PE), then re-routed. The affinity
 * is vCPU 1 (0x80000001): v5 stores x5's low byte as route_mode (route_mode.rec),
 * which is then 1 = RM_PE as well, so the v5 blob stays restorable. */
static const act sc_shared_routed[] = {
    CALL(0, EVENT_REGISTER, T_EVS, 0x5000, 0x50, SDEI_RM_PE, MPIDR(1)),
    CALL(0, EVENT_ENABLE, T_EVS, 0, 0, 0, 0),
    CALL(0, PE_UNMASK, 0, 0, 0, 0, 0),
    CALL(1, PE_UNMASK, 0, 0, 0, 0, 0),
    CALL(2, PE_UNMASK, 0, 0, 0, 0, 0),
    SETPC(1, 0x6100),
    TRIGGER(0, T_EVS),
    DELIVER(0),
    DELIVER(2),
    DELIVER(1),
    CALL(2, EVENT_STATUS, T_EVS, 0, 0, 0, 0),
    TRIGGER(2, T_EVS),
    CALL(1, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    DELIVER(1),
    CALL(1, EVENT_COMPLETE, 0, 0, 0, 0, 0),
    CALL(0, EVENT_DISABLE, T_EVS, 0, 0, 0, 0),
    CALL(0, EVENT_ROUTING_SET, T_EVS, SDEI_RM_ANY, 0, 0, 0),
    CALL(0, EVENT_ENABLE, T_EVS, 0, 0, 0, 0),
    TRIGGER(0, T_EVS),
    DELIVER(0),
    DELIVER(1),
    CALL(0, EVENT_COMPLETE, 0, 0, 0, 0, 0),
};

typedef struct scenario {
    const char *name;
    const act *acts;
    size_t n;
    uint32_t vcpus;
} scenario;

/* clang-format off */
#define SC(name, n) {#name, name, sizeof(name) / sizeof(name[0]), (n)}
/* clang-format on */
static const scenario scenarios[] = {
    SC(sc_running_everywhere, 3), SC(sc_critical_preempts, 1), SC(sc_unregister_pending, 2),
    SC(sc_masked_pending, 1),     SC(sc_shared_routed, 3),
};

typedef struct step_result {
    int64_t ret;
    uint64_t num;
    sdei_regs regs;
} step_result;

static step_result run_step(sdei_vm *vm, const act *a)
{
    step_result r;
    memset(&r, 0, sizeof(r));
    switch (a->kind) {
    case A_CALL:
        r.ret =
            t_callid(vm, a->v, (sdei_call_id)a->call, a->a[0], a->a[1], a->a[2], a->a[3], a->a[4]);
        break;
    case A_DELIVER: {
        sdei_delivery d;
        memset(&d, 0, sizeof(d));
        ck_assert_int_eq(sdei_vcpu_deliver(vm, a->v, &d), SDEI_OK);
        r.ret = d.delivered | (d.preempted << 1) | (d.priority << 2);
        r.num = d.num;
        break;
    }
    case A_INJECT: {
        sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_INJECT_EVENT, .num = a->a[0]};
        r.ret = sdei_vmm_command(vm, a->v, &b);
        break;
    }
    case A_TRIGGER: {
        sdei_trigger_result tr = SDEI_TRIGGER_DROPPED;
        ck_assert_int_eq(sdei_event_trigger(vm, a->a[0], a->v, &tr), SDEI_OK);
        r.ret = tr;
        break;
    }
    case A_SETPC:
    default:
        sdei_vcpu_regs(vm, a->v)->pc = a->a[0];
        break;
    }
    ck_assert_int_eq(sdei_vcpu_get_regs(vm, a->v, &r.regs), SDEI_OK);
    const char *bad = sdei_vm_check(vm);
    ck_assert_msg(bad == NULL, "vm_check after step: %s", bad != NULL ? bad : "");
    return r;
}

/* Saves vm, restores it into a fresh VM of the same config, frees vm. */
static sdei_vm *migrate(sdei_vm *vm, uint64_t q, uint32_t n)
{
    save_buf s = save_of(vm);
    sdei_vm *dst = fresh_like(q, n);
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    sdei_err e = sdei_vm_restore_ex(dst, s.bytes, s.len, &err);
    ck_assert_msg(e == SDEI_OK, "restore: %d %s", (int)e, err.text);
    const char *bad = sdei_vm_check(dst);
    ck_assert_msg(bad == NULL, "vm_check after restore: %s", bad != NULL ? bad : "");
    /* the restored VM saves to the same bytes */
    save_buf again = save_of(dst);
    size_t at = 0;
    ck_assert_msg(save_eq(&s, &again, &at), "re-save differs at byte %zu", at);
    free(s.bytes);
    free(again.bytes);
    sdei_vm_free(vm);
    return dst;
}

static void check_transparency(const scenario *sc, uint64_t q, const char *pname)
{
    step_result *ref = calloc(sc->n, sizeof(*ref));
    ck_assert_ptr_nonnull(ref);
    sdei_vm *vm = t_vm_quirks(q, sc->vcpus);
    for (size_t i = 0; i < sc->n; i++) {
        ref[i] = run_step(vm, &sc->acts[i]);
    }
    save_buf ref_final = save_of(vm);
    sdei_vm_free(vm);

    /* migrate once at step k, for every k; then migrate at every step */
    for (size_t k = 0; k <= sc->n + 1; k++) {
        int every = k == sc->n + 1;
        vm = t_vm_quirks(q, sc->vcpus);
        for (size_t i = 0; i < sc->n; i++) {
            if (every || i == k) {
                vm = migrate(vm, q, sc->vcpus);
            }
            step_result r = run_step(vm, &sc->acts[i]);
            if (memcmp(&r, &ref[i], sizeof(r)) != 0) {
                ck_abort_msg("%s/%s: migrated at %s%zu, step %zu differs: ret %lld (want %lld) "
                             "num 0x%llx (want 0x%llx) pc 0x%llx (want 0x%llx)",
                             sc->name, pname, every ? "every step, " : "step ", every ? 0 : k, i,
                             (long long)r.ret, (long long)ref[i].ret, (unsigned long long)r.num,
                             (unsigned long long)ref[i].num, (unsigned long long)r.regs.pc,
                             (unsigned long long)ref[i].regs.pc);
            }
        }
        if (k == sc->n) {
            vm = migrate(vm, q, sc->vcpus);
        }
        save_buf fin = save_of(vm);
        size_t at = 0;
        ck_assert_msg(save_eq(&ref_final, &fin, &at),
                      "%s/%s: migrated at %zu: final blobs differ at byte %zu", sc->name, pname, k,
                      at);
        free(fin.bytes);
        sdei_vm_free(vm);
    }
    free(ref_final.bytes);
    free(ref);
}

/* kvm-v5 without delivery_needs_request: v5's own migration loses the
 * KVM_REQ_SDEI of a vCPU with a handler running (the test below). */
START_TEST(test_migration_at_any_step_is_transparent)
{
    const scenario *sc = &scenarios[_i / 2];
    if ((_i % 2) == 0) {
        check_transparency(sc, sdei_profile_quirks(SDEI_PROFILE_SPEC), "spec");
    } else {
        check_transparency(
            sc, sdei_profile_quirks(SDEI_PROFILE_KVM_V5) & ~SDEI_QUIRK_BIT(DELIVERY_NEEDS_REQUEST),
            "kvm-v5 -delivery_needs_request");
    }
}
END_TEST

/* delivery_needs_request: migrated while a normal handler runs and a
 * critical event waits, v5's destination has no KVM_REQ_SDEI (SET_VCPU_STATE
 * raises it only when nothing runs): the critical event does not preempt at
 * the next entry, it waits for the normal COMPLETE. */
START_TEST(test_kvm_v5_migration_loses_the_preempting_request)
{
    const scenario *sc = &scenarios[1];
    ck_assert_str_eq(sc->name, "sc_critical_preempts");
    uint64_t q = sdei_profile_quirks(SDEI_PROFILE_KVM_V5);
    sdei_vm *vm = t_vm_quirks(q, sc->vcpus);
    step_result r;
    memset(&r, 0, sizeof(r));
    int delivers = 0;
    for (size_t i = 0; i < sc->n && delivers < 2; i++) {
        delivers += sc->acts[i].kind == A_DELIVER;
        if (delivers == 2) {
            vm = migrate(vm, q, sc->vcpus); /* right before the preempting entry */
        }
        r = run_step(vm, &sc->acts[i]);
    }
    ck_assert_int_eq(delivers, 2);
    ck_assert_int_eq(r.ret, 0); /* without the migration: delivered, preempted, critical */
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_scenarios_reach_the_states_they_are_named_after)
{
    /* guards the property above against scripts that silently do nothing */
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 3);
    sdei_vcpu_view view;
    for (size_t i = 0; i < 16; i++) {
        run_step(vm, &sc_running_everywhere[i]);
    }
    for (uint32_t v = 0; v < 2; v++) {
        ck_assert_int_eq(sdei_vcpu_view_of(vm, v, &view), SDEI_OK);
        ck_assert_uint_eq(view.normal_running, 1);
    }
    sdei_vm_free(vm);
    vm = t_vm(SDEI_PROFILE_SPEC, 1);
    step_result r;
    for (size_t i = 0; i < 12; i++) {
        r = run_step(vm, &sc_critical_preempts[i]);
    }
    ck_assert_int_eq(r.ret, 1 | 2 | 4); /* delivered, preempted, critical */
    sdei_vm_free(vm);
    vm = t_vm(SDEI_PROFILE_SPEC, 2);
    for (size_t i = 0; i < 9; i++) {
        r = run_step(vm, &sc_unregister_pending[i]);
    }
    ck_assert_int_eq(r.ret, SDEI_PENDING);
    sdei_event_state st;
    ck_assert_int_eq(sdei_event_state_of(vm, T_EV0, 0, &st), SDEI_OK);
    ck_assert_int_eq(st, SDEI_STATE_UNREGISTER_PENDING);
    sdei_vm_free(vm);
    vm = t_vm(SDEI_PROFILE_SPEC, 3);
    for (size_t i = 0; i < 10; i++) {
        r = run_step(vm, &sc_shared_routed[i]);
    }
    ck_assert_int_eq(r.ret, 1); /* delivered on vCPU 1, the RM_PE target */
    ck_assert_uint_eq(r.num, T_EVS);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_kvm_v5_route_mode_from_affinity_makes_the_save_unrestorable)
{
    /* route_mode.rec: in v5 the first REGISTER stores x5 (cut to 8 bits) as
     * route_mode; with affinity vCPU 2 that is 2, which no SET accepts. The
     * spec profile stores x4 and migrates. */
    for (int p = 0; p < 2; p++) {
        sdei_profile prof = p == 0 ? SDEI_PROFILE_SPEC : SDEI_PROFILE_KVM_V5;
        sdei_vm *vm = t_vm(prof, 3);
        ck_assert_int_eq(
            t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVS, 0x5000, 0x50, SDEI_RM_PE, MPIDR(2)),
            0);
        save_buf s = save_of(vm);
        sdei_vm *dst = t_vm_bare(prof, 3);
        sdei_blob_error err;
        memset(&err, 0, sizeof(err));
        sdei_err e = sdei_vm_restore_ex(dst, s.bytes, s.len, &err);
        if (p == 0) {
            ck_assert_msg(e == SDEI_OK, "spec: %s", err.text);
        } else {
            ck_assert_int_eq(e, SDEI_E_FORMAT);
            ck_assert_str_eq(err.field, "route_mode");
            ck_assert_int_eq(err.kernel_errno, -22);
        }
        free(s.bytes);
        sdei_vm_free(vm);
        sdei_vm_free(dst);
    }
}
END_TEST

/* ---- save format ---- */

static sdei_vm *busy(sdei_profile profile)
{
    sdei_vm *vm = t_vm(profile, 3);
    for (size_t i = 0; i < 16; i++) {
        run_step(vm, &sc_running_everywhere[i]);
    }
    t_register_enable(vm, 1, T_EVC, 0x3000, 0x30);
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_INJECT_EVENT, .num = T_EVC};
    ck_assert_int_eq(sdei_vmm_command(vm, 1, &b), 0);
    return vm;
}

START_TEST(test_save_header_is_magic_version_vcpus_then_kernel_blobs)
{
    sdei_vm *vm = busy(SDEI_PROFILE_SPEC);
    save_buf s = save_of(vm);
    /* @0 magic "SDEI", @4 version 1, @8 nr_vcpus, @12 header size, @16 total */
    ck_assert_mem_eq(s.bytes, "SDEI", 4);
    ck_assert_uint_eq(s.bytes[4], 1);
    ck_assert_uint_eq(s.bytes[8], 3);
    ck_assert_uint_eq(s.bytes[12], 32);
    uint64_t total = 0;
    for (int i = 0; i < 8; i++) {
        total |= (uint64_t)s.bytes[16 + i] << (8 * i);
    }
    ck_assert_uint_eq(total, s.len);
    /* @24 nr_exposed = 4 bind slots + 5 test events; the exposed blobs follow
     * at @32 exactly as GET_EXPOSED_EVENT returns them */
    uint32_t ne = s.bytes[24];
    ck_assert_uint_eq(ne, 9);
    uint8_t *ex = malloc(ne * 24u);
    sdei_vmm_cmd_block b = {
        .cmd = SDEI_CMD_GET_EXPOSED_EVENT, .count = ne, .data = ex, .data_len = ne * 24u};
    ck_assert_int_eq(sdei_vmm_command(vm, SDEI_VMM_VM, &b), 0);
    ck_assert_mem_eq(s.bytes + 32, ex, ne * 24u);
    free(ex);
    free(s.bytes);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_restore_rejects_other_config_with_a_message)
{
    sdei_vm *vm = busy(SDEI_PROFILE_SPEC);
    save_buf s = save_of(vm);
    struct {
        sdei_config cfg;
        const char *what;
    } cases[4];
    for (int i = 0; i < 4; i++) {
        cases[i].cfg = sdei_config_default(3);
    }
    cases[0].cfg.nr_vcpus = 4;
    cases[0].what = "save_header.nr_vcpus: differs from the VM's vCPU count";
    cases[1].cfg.profile = SDEI_PROFILE_KVM_V5;
    cases[1].what = "save_config.profile: differs from the VM's config";
    cases[2].cfg.shared_bind_slots = 3;
    cases[2].what = "save_config.shared_bind_slots: differs from the VM's config";
    cases[3].cfg.max_events = 64;
    cases[3].what = "save_config.max_events: differs from the VM's config";
    for (int i = 0; i < 4; i++) {
        sdei_vm *dst = NULL;
        ck_assert_int_eq(sdei_vm_new(&cases[i].cfg, &dst), SDEI_OK);
        save_buf before = save_of(dst);
        size_t off = 0;
        const char *what = NULL;
        ck_assert_int_eq(sdei_vm_restore(dst, s.bytes, s.len, &off, &what), SDEI_E_FORMAT);
        ck_assert_ptr_nonnull(what);
        ck_assert_str_eq(what, cases[i].what);
        save_buf after = save_of(dst);
        size_t at = 0;
        ck_assert_msg(save_eq(&before, &after, &at), "case %d: VM changed at %zu", i, at);
        free(before.bytes);
        free(after.bytes);
        sdei_vm_free(dst);
    }
    free(s.bytes);
    sdei_vm_free(vm);
}
END_TEST

/* Restores bad into a busy VM and checks: SDEI_E_FORMAT, the VM unchanged. */
static void expect_rejected(const uint8_t *bad, size_t len, const char *strct, const char *field,
                            const char *why)
{
    sdei_vm *dst = busy(SDEI_PROFILE_SPEC);
    save_buf before = save_of(dst);
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    /* an exact-length heap copy, so ASan sees any read past the end */
    uint8_t *copy = malloc(len == 0 ? 1 : len);
    memcpy(copy, bad, len);
    sdei_err e = sdei_vm_restore_ex(dst, copy, len, &err);
    if (e != SDEI_E_FORMAT) {
        ck_abort_msg("%s: restore returned %d, want SDEI_E_FORMAT", why, (int)e);
    }
    if (strct != NULL &&
        (err.strct == NULL || strcmp(err.strct, strct) != 0 || strcmp(err.field, field) != 0)) {
        ck_abort_msg("%s: error names %s, want %s.%s", why, err.text, strct, field);
    }
    save_buf after = save_of(dst);
    size_t at = 0;
    if (!save_eq(&before, &after, &at)) {
        ck_abort_msg("%s: VM changed at byte %zu (%s)", why, at, err.text);
    }
    free(copy);
    free(before.bytes);
    free(after.bytes);
    sdei_vm_free(dst);
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

START_TEST(test_restore_of_save_truncated_at_every_offset_fails_and_leaves_vm_unchanged)
{
    sdei_vm *src = t_vm(SDEI_PROFILE_KVM_V5, 2);
    t_register_enable(src, 0, T_EVP, 0x2000, 0x20);
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_INJECT_EVENT, .num = T_EVP};
    ck_assert_int_eq(t_callid(src, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sdei_vmm_command(src, 0, &b), 0);
    save_buf s = save_of(src);
    sdei_vm *dst = t_vm_bare(SDEI_PROFILE_KVM_V5, 2);
    save_buf before = save_of(dst);
    for (size_t len = 0; len < s.len; len++) {
        uint8_t *copy = malloc(len == 0 ? 1 : len);
        memcpy(copy, s.bytes, len);
        /* twice: as cut (total_size disagrees), and with total_size patched so
         * that the parser walks every struct up to the cut */
        for (int patch = 0; patch < 2; patch++) {
            if (patch && len >= 24) {
                put64(copy + 16, len);
            }
            sdei_blob_error err;
            sdei_err e = sdei_vm_restore_ex(dst, copy, len, &err);
            if (e != SDEI_E_FORMAT) {
                ck_abort_msg("cut at %zu (patch %d): restore returned %d", len, patch, (int)e);
            }
            if (err.buf_offset > len) {
                ck_abort_msg("cut at %zu: error offset %zu past the end (%s)", len, err.buf_offset,
                             err.text);
            }
        }
        free(copy);
    }
    save_buf after = save_of(dst);
    size_t at = 0;
    ck_assert_msg(save_eq(&before, &after, &at), "VM changed at byte %zu", at);
    /* and the uncut buffer restores */
    ck_assert_int_eq(sdei_vm_restore_ex(dst, s.bytes, s.len, NULL), SDEI_OK);
    free(before.bytes);
    free(after.bytes);
    free(s.bytes);
    sdei_vm_free(src);
    sdei_vm_free(dst);
}
END_TEST

START_TEST(test_restore_rejects_oversized_misversioned_and_inconsistent_buffers)
{
    sdei_vm *src = busy(SDEI_PROFILE_SPEC);
    save_buf s = save_of(src);
    uint8_t *bad = malloc(s.len + 16);
    /* oversized: trailing bytes, with or without total_size agreeing */
    memcpy(bad, s.bytes, s.len);
    memset(bad + s.len, 0, 16);
    expect_rejected(bad, s.len + 8, "save_header", "total_size", "oversized");
    put64(bad + 16, s.len + 8);
    expect_rejected(bad, s.len + 8, "save_record", "type", "trailing record bytes");
    /* mis-versioned, wrong magic */
    memcpy(bad, s.bytes, s.len);
    bad[4] = 3;
    expect_rejected(bad, s.len, "save_header", "version", "version 3");
    memcpy(bad, s.bytes, s.len);
    bad[0] = 'X';
    expect_rejected(bad, s.len, "save_header", "magic", "magic");
    /* exposed entry 5 (after 4 bind slots: T_EVP... index 6): type 7 */
    memcpy(bad, s.bytes, s.len);
    bad[32 + 6 * 24 + 8] = 7;
    expect_rejected(bad, s.len, "exposed_event_state", "type", "exposed type 7");
    /* a bind slot replaced by an ordinary number: config differs */
    memcpy(bad, s.bytes, s.len);
    put64(bad + 32, 0x400077);
    expect_rejected(bad, s.len, "exposed_event_state", "num", "bind slot missing");
    /* registered entry 0: route_mode 3 (route_mode.rec) */
    uint32_t ne = s.bytes[24];
    size_t reg0 = 32 + (size_t)ne * 24;
    memcpy(bad, s.bytes, s.len);
    bad[reg0 + 8] = 3;
    expect_rejected(bad, s.len, "registered_event_state", "route_mode", "route_mode 3");
    /* registered entry 0 names an unexposed number */
    memcpy(bad, s.bytes, s.len);
    put64(bad + reg0, 0x400055);
    expect_rejected(bad, s.len, "registered_event_state", "num", "unexposed registered");
    /* vCPU 0's state says a number with no instance is running */
    uint32_t nr = s.bytes[28];
    size_t v0 = reg0 + (size_t)nr * 8408;
    uint32_t nev0 = s.bytes[v0];
    size_t st0 = v0 + 8 + (size_t)nev0 * 16;
    memcpy(bad, s.bytes, s.len);
    put64(bad + st0 + 8, T_EVC);
    expect_rejected(bad, s.len, "vcpu_state", "critical_num", "running without instance");
    /* vCPU 0's first event names an event with no registered object */
    ck_assert_uint_ge(nev0, 1);
    memcpy(bad, s.bytes, s.len);
    put64(bad + v0 + 8, T_EVSC);
    expect_rejected(bad, s.len, "vcpu_event_state", "num", "unregistered vCPU event");
    /* nr_events 200 */
    memcpy(bad, s.bytes, s.len);
    bad[v0] = 200;
    expect_rejected(bad, s.len, "save_vcpu", "nr_events", "200 vCPU events");
    /* a bound interrupt of the wrong kind: the first private slot bound to an SPI */
    memcpy(bad, s.bytes, s.len);
    size_t rec = s.len - (8 + 288 * 3) - (8 + 16 * 4);
    ck_assert_uint_eq(bad[rec], 2); /* BIND record type */
    bad[rec + 8 + 8] = 40;
    expect_rejected(bad, s.len, "save_bind", "bound_intid", "SPI on a private slot");
    free(bad);
    free(s.bytes);
    sdei_vm_free(src);
}
END_TEST

START_TEST(test_restore_survives_random_byte_corruption)
{
    sdei_vm *src = busy(SDEI_PROFILE_SPEC);
    save_buf s = save_of(src);
    sdei_vm *dst = t_vm_bare(SDEI_PROFILE_SPEC, 3);
    uint8_t *bad = malloc(s.len);
    uint64_t x = UINT64_C(0xC0FFEE);
    int accepted = 0;
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(bad, s.bytes, s.len);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* half the flips in the first 1 KB, where most fields are */
        size_t pos = (iter & 1) ? (size_t)(x % s.len) : (size_t)(x % 1024u);
        bad[pos] ^= (uint8_t)(1u << ((x >> 32) % 8u));
        save_buf before = save_of(dst);
        sdei_err e = sdei_vm_restore_ex(dst, bad, s.len, NULL);
        if (e == SDEI_OK) {
            accepted++;
            const char *chk = sdei_vm_check(dst);
            (void)chk; /* a kernel-accepted but inconsistent blob may fail it; no crash */
        } else {
            save_buf after = save_of(dst);
            size_t at = 0;
            if (!save_eq(&before, &after, &at)) {
                ck_abort_msg("flip at %zu: rejected but VM changed at %zu", pos, at);
            }
            free(after.bytes);
        }
        free(before.bytes);
        sdei_vm_reset(dst);
    }
    ck_assert_int_gt(accepted, 0);
    free(bad);
    free(s.bytes);
    sdei_vm_free(src);
    sdei_vm_free(dst);
}
END_TEST

START_TEST(test_restore_api_misuse)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_SPEC, 1);
    uint8_t b[8] = {0};
    size_t n = 0;
    ck_assert_int_eq(sdei_vm_restore(NULL, b, 8, NULL, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_restore(vm, NULL, 8, NULL, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_save_size(NULL, &n), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_save(vm, b, sizeof(b), &n), SDEI_E_RANGE);
    size_t off = 99;
    const char *what = NULL;
    ck_assert_int_eq(sdei_vm_restore(vm, b, 8, &off, &what), SDEI_E_FORMAT);
    ck_assert_uint_eq(off, 8);
    ck_assert_str_eq(what, "save_header.header: buffer shorter than the 32-byte header");
    sdei_vm_free(vm);
}
END_TEST

/* ---- lint ---- */

static int has_finding(const sdei_lint_finding *f, uint32_t n, const char *strct, const char *field,
                       uint32_t entry, uint32_t offset)
{
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(f[i].strct, strct) == 0 && strcmp(f[i].field, field) == 0 &&
            f[i].entry == entry && f[i].offset == offset) {
            return 1;
        }
    }
    return 0;
}

static void print_findings(const sdei_lint_finding *f, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        fprintf(stderr, "  finding: vcpu %u %s[%u].%s @%u: %s\n", f[i].vcpu, f[i].strct, f[i].entry,
                f[i].field, f[i].offset, f[i].problem);
    }
}

START_TEST(test_lint_of_a_consistent_spec_vm_finds_nothing)
{
    sdei_vm *vm = busy(SDEI_PROFILE_SPEC);
    save_buf s = save_of(vm);
    sdei_lint_finding f[16];
    uint32_t n = sdei_lint_save(s.bytes, s.len, 3, f, 16);
    if (n != 0) {
        print_findings(f, n < 16 ? n : 16);
    }
    ck_assert_uint_eq(n, 0);
    free(s.bytes);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_lint_reports_stale_unregister_pending_of_kvm_v5)
{
    /* unregister_pending.rec: the bit stays set after COMPLETE */
    sdei_vm *vm = t_vm(SDEI_PROFILE_KVM_V5, 2);
    for (size_t i = 0; i < 14; i++) {
        run_step(vm, &sc_unregister_pending[i]);
    }
    save_buf s = save_of(vm);
    sdei_lint_finding f[16];
    uint32_t n = sdei_lint_save(s.bytes, s.len, 2, f, 16);
    ck_assert_msg(has_finding(f, n, "registered_event_state", "unregister_pending", 0, 8344),
                  "no stale unregister-pending finding among %u", n);
    free(s.bytes);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_lint_names_struct_field_and_offset_of_each_inconsistency)
{
    const uint32_t nv = 2;
    uint8_t ex[2 * 24];
    memset(ex, 0, sizeof(ex));
    put64(ex, 0x400001); /* private normal */
    ex[9] = 0;
    put64(ex + 16, 0xffff800012345678ull); /* notifier */
    put64(ex + 24, 0x400002);              /* shared normal */
    ex[24 + 8] = 1;
    ex[24 + 13] = 0x5a; /* padding[2] */
    uint8_t *rg = calloc(2, 8408);
    put64(rg, 0x400001);
    rg[12] = 0x01;                  /* hole */
    put64(rg + 8216, 0x1);          /* registered: vCPU 0 */
    put64(rg + 8280, 0x2 | 0x1);    /* enabled: vCPU 0 and 1 (1 not registered) */
    put64(rg + 8344, 0x1);          /* unregister_pending on vCPU 0, nothing runs */
    put64(rg + 24 + 8 * 5, 0x1000); /* ep_address[5]: vCPU 5 does not exist */
    put64(rg + 8408, 0x400002);
    put64(rg + 8408 + 8216, 0x4); /* shared event: bit 2 */
    uint8_t ev0[2 * 16];
    memset(ev0, 0, sizeof(ev0));
    put64(ev0, 0x400001); /* event_count 0 */
    put64(ev0 + 16, 0x400002);
    ev0[16 + 8] = 1;
    ev0[16 + 12] = 0x77; /* padding */
    uint8_t st0[344];
    uint8_t st1[344];
    memset(st0, 0, sizeof(st0));
    memset(st1, 0, sizeof(st1));
    put64(st0 + 8, 0xffffffff);
    put64(st0 + 16, 0xffffffff);
    put64(st1 + 8, 0xffffffff);
    put64(st1 + 16, 0x400001); /* vCPU 1 runs an event it has no instance of and
                                * that is not registered on it */
    st1[3] = 1;                /* padding */
    const uint8_t *evs[2] = {ev0, NULL};
    const uint32_t nev[2] = {2, 0};
    const uint8_t *sts[2] = {st0, st1};
    sdei_lint_input in = {nv, ex, 2, rg, 2, evs, nev, sts};
    sdei_lint_finding f[32];
    uint32_t n = sdei_lint_blobs(&in, f, 32);
    print_findings(f, n < 32 ? n : 32);
    struct {
        const char *strct, *field;
        uint32_t entry, offset;
    } want[] = {
        {"exposed_event_state", "notifier", 0, 16},
        {"exposed_event_state", "padding", 1, 13},
        {"registered_event_state", "hole", 0, 12},
        {"registered_event_state", "enabled", 0, 8280},
        {"registered_event_state", "unregister_pending", 0, 8344},
        {"registered_event_state", "ep_address", 0, 24 + 8 * 5},
        {"registered_event_state", "registered", 1, 8216},
        {"vcpu_event_state", "event_count", 0, 8},
        {"vcpu_event_state", "padding", 1, 12},
        {"vcpu_state", "padding", 0, 3},
        {"vcpu_state", "normal_num", 0, 16},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ck_assert_msg(
            has_finding(f, n, want[i].strct, want[i].field, want[i].entry, want[i].offset),
            "missing finding %s[%u].%s @%u", want[i].strct, want[i].entry, want[i].field,
            want[i].offset);
    }
    /* vCPU 1's running number: no vCPU event, not registered there */
    int no_instance = 0;
    int not_registered = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (f[i].vcpu == 1 && strcmp(f[i].field, "normal_num") == 0) {
            no_instance |= strstr(f[i].problem, "no vCPU event") != NULL;
            not_registered |= strstr(f[i].problem, "not registered") != NULL;
        }
    }
    ck_assert_int_eq(no_instance, 0); /* vcpu_events[1] is NULL: unknown, not reported */
    ck_assert_int_eq(not_registered, 1);
    /* max bounds what is stored, not what is counted */
    ck_assert_uint_eq(sdei_lint_blobs(&in, f, 2), n);
    ck_assert_uint_eq(sdei_lint_blobs(&in, NULL, 0), n);
    free(rg);
}
END_TEST

START_TEST(test_lint_of_an_unparsable_buffer_is_one_finding_naming_where)
{
    uint8_t b[40] = {'S', 'D', 'E', 'I', 9};
    sdei_lint_finding f[2];
    ck_assert_uint_eq(sdei_lint_save(b, sizeof(b), 1, f, 2), 1);
    ck_assert_str_eq(f[0].strct, "save_header");
    ck_assert_str_eq(f[0].field, "version");
    ck_assert_uint_eq(f[0].offset, 4);
}
END_TEST

static Suite *migration_suite(void)
{
    Suite *s = suite_create("migration");
    TCase *tc = tcase_create("transparency");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_migration_at_any_step_is_transparent, 0,
                        (int)(2 * (sizeof(scenarios) / sizeof(scenarios[0]))));
    tcase_add_test(tc, test_scenarios_reach_the_states_they_are_named_after);
    tcase_add_test(tc, test_kvm_v5_migration_loses_the_preempting_request);
    tcase_add_test(tc, test_kvm_v5_route_mode_from_affinity_makes_the_save_unrestorable);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("format");
    tcase_set_timeout(tf, 300);
    tcase_add_test(tf, test_save_header_is_magic_version_vcpus_then_kernel_blobs);
    tcase_add_test(tf, test_restore_rejects_other_config_with_a_message);
    tcase_add_test(tf,
                   test_restore_of_save_truncated_at_every_offset_fails_and_leaves_vm_unchanged);
    tcase_add_test(tf, test_restore_rejects_oversized_misversioned_and_inconsistent_buffers);
    tcase_add_test(tf, test_restore_survives_random_byte_corruption);
    tcase_add_test(tf, test_restore_api_misuse);
    suite_add_tcase(s, tf);
    TCase *tl = tcase_create("lint");
    tcase_add_test(tl, test_lint_of_a_consistent_spec_vm_finds_nothing);
    tcase_add_test(tl, test_lint_reports_stale_unregister_pending_of_kvm_v5);
    tcase_add_test(tl, test_lint_names_struct_field_and_offset_of_each_inconsistency);
    tcase_add_test(tl, test_lint_of_an_unparsable_buffer_is_one_finding_naming_where);
    suite_add_tcase(s, tl);
    return s;
}

int main(void)
{
    return t_run_suite(migration_suite());
}
