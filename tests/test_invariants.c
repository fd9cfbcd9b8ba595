/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_invariants.c - the one invariant checker (driver/invariants.h) reads
 * the implementation through cheap observations (the vCPU view without the
 * saved contexts after every action, every event of a vCPU in one call at a
 * sweep). Each must still be able to fail: an implementation that lies
 * through one of them is caught, with the invariant that names the lie; the
 * honest model passes the same actions; without the cheap ops the checker
 * falls back on the full ones and still catches the lie. The deep migration
 * check (the fuzz targets') catches a migration, either way, that changes a
 * blob byte, a register or the pending triggers; the whole-VM save, one that
 * changes a register.
 */
#include <check.h>
#include <string.h>

#include "sdei/sdei_blob.h"

#include "exec.h"
#include "impl.h"
#include "invariants.h"
#include "testlib.h"

static sim_impl_ops liar;
static int lie_running; /* the view shows a normal handler that is not there */
static int lie_masked;  /* the view shows the vCPU masked */
static int lie_pending; /* every event shows 2 pending triggers */
static int lie_state;   /* every event shows RE */
static int lie_order;   /* the bulk read names other events (must not be used) */
/* After a migration (from the last SET of a VMM migration, or after the
 * whole-VM migrate): what the destination gets wrong. */
static int lie_blob;  /* GET_REGISTERED_EVENT: a byte of a slot no vCPU has */
static int lie_reg;   /* vCPU 1's x5 flipped (whole-VM migrate only) */
static int lie_extra; /* an extra trigger latched on vCPU 0 */
static int migrated;  /* the lies above are on */

static void lie_view(sdei_vcpu_view *out)
{
    if (lie_running) {
        out->normal_running = 1;
        out->normal_num = T_EVP;
    }
    if (lie_masked) {
        out->masked = 1;
    }
}

static int liar_brief(sim_impl *impl, uint32_t vcpu, sdei_vcpu_view *out)
{
    int e = sim_impl_model.vcpu_brief(impl, vcpu, out);
    lie_view(out);
    return e;
}

static int liar_view(sim_impl *impl, uint32_t vcpu, sdei_vcpu_view *out)
{
    int e = sim_impl_model.vcpu_view(impl, vcpu, out);
    lie_view(out);
    return e;
}

static int liar_events(sim_impl *impl, uint32_t vcpu, sdei_event_obs *out, uint32_t cap,
                       uint32_t *n)
{
    int e = sim_impl_model.vcpu_events(impl, vcpu, out, cap, n);
    for (uint32_t i = 0; i < *n; i++) {
        out[i].pending = lie_pending ? 2 : out[i].pending;
        out[i].state = lie_state ? SDEI_STATE_RUNNING_ENABLED : out[i].state;
        out[i].num = lie_order ? out[i].num + 1 : out[i].num;
    }
    return e;
}

/* The VMM commands, lying once the migration has begun. */
static int liar_vmm(sim_impl *impl, uint32_t vcpu, sdei_vmm_cmd_block *cmd, int32_t *ret)
{
    /* the last SET of a VMM migration: the source's GETs were honest */
    int e = sim_impl_model.vmm(impl, vcpu, cmd, ret);
    migrated |= cmd->cmd == SDEI_CMD_SET_VCPU_STATE && (lie_blob || lie_extra);
    if (migrated && lie_blob && cmd->cmd == SDEI_CMD_GET_REGISTERED_EVENT && cmd->count != 0) {
        cmd->data[SDEI_BLOB_REGISTERED_SIZE - 8u] ^= 1u; /* unregister_pending[7] */
    }
    if (migrated && lie_extra && cmd->cmd == SDEI_CMD_SET_VCPU_STATE && vcpu == 0) {
        sdei_vmm_cmd_block inj = {.cmd = SDEI_CMD_INJECT_EVENT, .num = T_EVP};
        int32_t r2 = 0;
        ck_assert_int_eq(sim_impl_model.vmm(impl, 0, &inj, &r2), SDEI_OK);
        ck_assert_int_eq(r2, 0);
    }
    return e;
}

static int liar_migrate(sim_impl *impl, char *err, size_t errlen)
{
    int e = sim_impl_model.migrate(impl, err, errlen);
    sdei_vm *vm = sim_impl_model.model_vm(impl);
    migrated = lie_blob || lie_reg || lie_extra;
    if (lie_reg) {
        sdei_vcpu_regs(vm, 1)->x[5] ^= 1u;
    }
    if (lie_extra) {
        sdei_trigger_result tr;
        ck_assert_int_eq(sdei_event_trigger(vm, T_EVP, 0, &tr), SDEI_OK);
    }
    return e;
}

/* The model lying through the cheap ops, or (cheap = 0) through the full
 * view with no cheap ops at all. */
static void setup_liar(int cheap)
{
    liar = sim_impl_model;
    liar.name = "liar";
    liar.vcpu_brief = cheap ? liar_brief : NULL;
    liar.vcpu_events = cheap ? liar_events : NULL;
    liar.vcpu_view = cheap ? sim_impl_model.vcpu_view : liar_view;
    liar.vmm = liar_vmm;
    liar.migrate = liar_migrate;
    lie_running = lie_masked = lie_pending = lie_state = lie_order = 0;
    lie_blob = lie_reg = lie_extra = migrated = 0;
}

static void act(sim_target *t, sim_inv *c, const sim_action *a, int expect_ok)
{
    sim_result r;
    char err[256];
    sim_inv_before(c, t, a);
    ck_assert_int_eq(sim_exec(t, a, &r, err, sizeof(err)), 0);
    int bad = sim_inv_after(c, t, a, &r);
    char msg[700];
    ck_assert_msg(bad == !expect_ok, "%s", sim_inv_message(c, msg, sizeof(msg)));
}

/* A trigger of num or a guest entry on vCPU 0. */
static void act_on_0(sim_target *t, sim_inv *c, unsigned kind, uint64_t num, int expect_ok)
{
    sim_action a;
    memset(&a, 0, sizeof(a));
    a.kind = (uint8_t)kind;
    a.num = num;
    act(t, c, &a, expect_ok);
}

/* A hypercall from vCPU v; the checker must pass it (expect_ok) or fail it. */
static void hvc_expect(sim_target *t, sim_inv *c, uint32_t v, sdei_call_id call, uint64_t a1,
                       uint64_t a2, uint64_t a3, int expect_ok)
{
    sim_action a;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_HVC;
    a.vcpu = v;
    a.call = (uint8_t)call;
    a.arg[0] = a1;
    a.arg[1] = a2;
    a.arg[2] = a3;
    act(t, c, &a, expect_ok);
}

static void hvc(sim_target *t, sim_inv *c, uint32_t v, sdei_call_id call, uint64_t a1, uint64_t a2,
                uint64_t a3)
{
    hvc_expect(t, c, v, call, a1, a2, a3, 1);
}

/* Two vCPUs, a private normal event registered and enabled on vCPU 0,
 * which is unmasked; the checker in the simulator's profile (thorough = 0)
 * or the fuzz targets' (1). */
static void open_world_opts(const sim_impl_ops *ops, int thorough, int deep, sim_target *t,
                            sim_inv *c)
{
    char err[256];
    sdei_config cfg = sdei_config_default(2);
    sim_inv_opts o;
    memset(&o, 0, sizeof(o));
    o.thorough = thorough;
    o.deep_migrate = deep;
    ck_assert_int_eq(sim_target_init_impl(t, ops, &cfg, err, sizeof(err)), 0);
    ck_assert_int_eq(sim_inv_init(c, t, &o), 0);
    sim_action a;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_EXPOSE;
    a.num = T_EVP;
    a.type = SDEI_EVENT_TYPE_PRIVATE;
    a.priority = SDEI_EVENT_PRIORITY_NORMAL;
    act(t, c, &a, 1);
    hvc(t, c, 0, SDEI_CALL_EVENT_REGISTER, T_EVP, 0x1000, 0x2000);
    hvc(t, c, 0, SDEI_CALL_EVENT_ENABLE, T_EVP, 0, 0);
    hvc(t, c, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0);
}

static void open_world(const sim_impl_ops *ops, int thorough, sim_target *t, sim_inv *c)
{
    open_world_opts(ops, thorough, 0, t, c);
}

static void migrate_expect(sim_target *t, sim_inv *c, int via_vmm, int expect_ok)
{
    sim_action a;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_MIGRATE;
    a.via_vmm = (uint8_t)via_vmm;
    act(t, c, &a, expect_ok);
}

static void close_world(sim_target *t, sim_inv *c)
{
    sim_inv_fini(c);
    sim_target_fini(t);
}

/* A migration with the lies on: the checker fails it with inv. */
static void migration_caught(sim_target *t, sim_inv *c, int via_vmm, unsigned inv)
{
    migrate_expect(t, c, via_vmm, 0);
    ck_assert_int_eq(c->failed, inv + 1);
    close_world(t, c);
}

START_TEST(test_a_running_slot_the_shadow_did_not_enter_fails_after_any_call)
{
    for (int cheap = 0; cheap < 2; cheap++) {
        for (int thorough = 0; thorough < 2; thorough++) {
            sim_target t;
            sim_inv c;
            setup_liar(cheap);
            open_world(&liar, thorough, &t, &c);
            lie_running = 1;
            /* ENABLE changes nothing, but is checked */
            hvc_expect(&t, &c, 0, SDEI_CALL_EVENT_ENABLE, T_EVP, 0, 0, 0);
            ck_assert_int_eq(c.failed, SIM_INV_ONE_HANDLER_PER_CLASS + 1);
            close_world(&t, &c);
        }
    }
}
END_TEST

START_TEST(test_a_delivery_to_a_vcpu_seen_masked_before_fails)
{
    for (int cheap = 0; cheap < 2; cheap++) {
        sim_target t;
        sim_inv c;
        setup_liar(cheap);
        open_world(&liar, 0, &t, &c);
        act_on_0(&t, &c, SIM_A_TRIGGER, T_EVP, 1);
        lie_masked = 1; /* the pre-delivery view */
        act_on_0(&t, &c, SIM_A_DELIVER, 0, 0);
        ck_assert_int_eq(c.failed, SIM_INV_NO_DELIVERY_WHEN_MASKED + 1);
        close_world(&t, &c);
    }
}
END_TEST

START_TEST(test_a_sweep_catches_each_lie_of_the_bulk_event_read)
{
    for (int lie = 0; lie < 3; lie++) {
        sim_target t;
        sim_inv c;
        setup_liar(1);
        open_world(&liar, 0, &t, &c);
        ck_assert_int_eq(sim_inv_sweep(&c, &t), 0); /* honest so far */
        lie_pending = lie == 0 || lie == 2;
        lie_state = lie == 1;
        lie_order = lie == 2;
        int bad = sim_inv_sweep(&c, &t);
        if (lie == 2) {
            /* a bulk read that names other events is not used (its lie
             * would fail): the per-pair reads answer, truthfully */
            ck_assert_int_eq(bad, 0);
        } else {
            ck_assert_int_eq(bad, 1);
            ck_assert_int_eq(c.failed, lie == 0 ? SIM_INV_EDGE_TRIGGERED + 1
                                                : SIM_INV_UNREGISTER_PENDING_RUNNING + 1);
        }
        close_world(&t, &c);
    }
}
END_TEST

START_TEST(test_the_honest_model_passes_the_same_actions)
{
    for (int thorough = 0; thorough < 2; thorough++) {
        sim_target t;
        sim_inv c;
        open_world(&sim_impl_model, thorough, &t, &c);
        act_on_0(&t, &c, SIM_A_TRIGGER, T_EVP, 1);
        act_on_0(&t, &c, SIM_A_DELIVER, 0, 1);
        hvc(&t, &c, 0, SDEI_CALL_EVENT_COMPLETE, SDEI_EV_HANDLED, 0, 0);
        ck_assert_int_eq(sim_inv_sweep(&c, &t), 0);
        close_world(&t, &c);
    }
}
END_TEST

/* A handler running on vCPU 0, and (pending) a trigger pending there: the
 * migration carries every kind of blob. */
static void open_busy_world(sim_target *t, sim_inv *c, int pending)
{
    setup_liar(1);
    open_world_opts(&liar, 1, 1, t, c);
    act_on_0(t, c, SIM_A_TRIGGER, T_EVP, 1);
    act_on_0(t, c, SIM_A_DELIVER, 0, 1);
    if (pending) {
        act_on_0(t, c, SIM_A_TRIGGER, T_EVP, 1);
    }
}

START_TEST(test_a_migration_that_changes_a_blob_byte_fails_the_round_trip)
{
    for (int via_vmm = 0; via_vmm < 2; via_vmm++) {
        sim_target t;
        sim_inv c;
        open_busy_world(&t, &c, 1);
        migrate_expect(&t, &c, via_vmm, 1); /* honest */
        lie_blob = 1;
        migration_caught(&t, &c, via_vmm, SIM_INV_BLOB_ROUNDTRIP);
    }
}
END_TEST

START_TEST(test_a_migration_that_changes_state_fails_transparency)
{
    for (int lie = 0; lie < 3; lie++) {
        sim_target t;
        sim_inv c;
        open_busy_world(&t, &c, 0); /* the extra trigger is not a latched one */
        lie_reg = lie == 0;
        lie_extra = lie != 0;
        migration_caught(&t, &c, lie == 2, SIM_INV_MIGRATION_TRANSPARENT);
    }
}
END_TEST

/* Without the deep check the whole-VM save still sees the register file: a
 * migration that changes it fails save_restore_identity, compared with the
 * save the implementation restored from or (without migrated_from) with the
 * checker's own save of the source. */
START_TEST(test_a_migration_that_changes_a_register_fails_the_save_identity)
{
    for (int own = 0; own < 2; own++) {
        sim_target t;
        sim_inv c;
        setup_liar(1);
        liar.migrated_from = own ? NULL : sim_impl_model.migrated_from;
        open_world_opts(&liar, 1, 0, &t, &c);
        migrate_expect(&t, &c, 0, 1); /* honest */
        lie_reg = 1;
        migration_caught(&t, &c, 0, SIM_INV_SAVE_RESTORE_IDENTITY);
    }
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_a_running_slot_the_shadow_did_not_enter_fails_after_any_call,
        test_a_delivery_to_a_vcpu_seen_masked_before_fails,
        test_a_sweep_catches_each_lie_of_the_bulk_event_read,
        test_the_honest_model_passes_the_same_actions,
        test_a_migration_that_changes_a_blob_byte_fails_the_round_trip,
        test_a_migration_that_changes_state_fails_transparency,
        test_a_migration_that_changes_a_register_fails_the_save_identity,
    };
    return t_run_tests("invariants", tests, sizeof(tests) / sizeof(tests[0]));
}
