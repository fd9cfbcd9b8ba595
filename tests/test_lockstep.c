/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_lockstep.c - the simulator against a second implementation (lockstep)
 * and worlds drawn from the seed (--swarm): an identical peer never differs;
 * a peer that answers one call differently stops the run at that call with a
 * trace that ends there and diverges when replayed against the peer; a peer
 * that fails is a finding; a swarm world is in the trace header, the same
 * seed draws the same world, and its trace replays clean.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "impl.h"
#include "options.h"
#include "replay.h"
#include "sim.h"
#include "testlib.h"

/* The model, except that VERSION answers one minor version more. */
static sim_impl_ops odd_version;
static sim_impl_ops failing_deliver;

static int odd_hypercall(sim_impl *impl, uint32_t vcpu, sdei_call_info *info)
{
    int e = sim_impl_model.hypercall(impl, vcpu, info);
    if (e == SDEI_OK && info->call == SDEI_CALL_VERSION) {
        sim_impl_model.regs(impl, vcpu)->x[0] += 1;
    }
    return e;
}

static int fail_deliver(sim_impl *impl, uint32_t vcpu, sdei_delivery *out)
{
    (void)impl;
    (void)vcpu;
    (void)out;
    return SIM_IMPL_FINDING;
}

/* A kernel without an SDEI interface, as the kvm target sees one: the model
 * (profile absent) with no VMM commands, no migration and no power
 * transitions (the model's CPU_ON resets registers the peer then follows). */
static sim_impl_ops no_vmm_kvm;

static int no_vmm(sim_impl *impl, uint32_t vcpu, sdei_vmm_cmd_block *cmd, int32_t *ret)
{
    (void)impl, (void)vcpu, (void)cmd, (void)ret;
    return SIM_IMPL_UNAVAILABLE;
}

static int no_migrate(sim_impl *impl, char *err, size_t errlen)
{
    (void)impl;
    snprintf(err, errlen, "not available on this kernel");
    return SIM_IMPL_UNAVAILABLE;
}

/* The model, except that a migration "succeeds" without moving anything. */
static sim_impl_ops stays_put;

static int stay_put(sim_impl *impl, char *err, size_t errlen)
{
    (void)impl, (void)err, (void)errlen;
    return SDEI_OK;
}

static void setup_peers(void)
{
    stays_put = sim_impl_model;
    stays_put.name = "stays-put";
    stays_put.migrate = stay_put;
    stays_put.migrated_from = NULL; /* it restores from no save */
    no_vmm_kvm = sim_impl_model;
    no_vmm_kvm.name = "kvm";
    no_vmm_kvm.vmm = no_vmm;
    no_vmm_kvm.migrate = no_migrate;
    no_vmm_kvm.caps &= ~(uint32_t)SIM_CAP_POWER;
    odd_version = sim_impl_model;
    odd_version.name = "odd-version";
    odd_version.hypercall = odd_hypercall;
    failing_deliver = sim_impl_model;
    failing_deliver.name = "failing-deliver";
    failing_deliver.deliver = fail_deliver;
}

static char *slurp(FILE *f)
{
    static char buf[1 << 16];
    rewind(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    return buf;
}

static int run(sim_options *o, sim_summary *s, char **said)
{
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    int rc = sim_run(o, s, err);
    *said = slurp(err);
    fclose(err);
    return rc;
}

static void options(sim_options *o, const char *trace)
{
    sim_options_default(o);
    o->seed = 0x51;
    o->vcpus = 4;
    o->steps = 20000;
    o->trace_out = trace;
}

START_TEST(test_identical_peer_is_compared_on_every_action_and_never_differs)
{
    sim_options o;
    sim_summary s;
    char *said;
    options(&o, NULL);
    o.peer = &sim_impl_model;
    o.peer_compare = 1;
    ck_assert_int_eq(run(&o, &s, &said), SIM_EXIT_OK);
    ck_assert_uint_gt(s.peer_compared, s.hvcs);
    ck_assert_uint_eq(s.peer_unavailable, 0);
    ck_assert_uint_gt(s.migrations, 0);
}
END_TEST

START_TEST(test_differing_peer_stops_at_the_call_with_a_replayable_prefix)
{
    sim_options o;
    sim_summary s;
    sim_replay_stats st;
    char *said;
    char path[] = "/tmp/test_lockstep_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    setup_peers();
    options(&o, path);
    o.peer = &odd_version;
    o.peer_compare = 1;
    ck_assert_int_eq(run(&o, &s, &said), SIM_EXIT_DIVERGENCE);
    ck_assert_msg(strstr(said, "DIVERGENCE at step ") != NULL, "%s", said);
    ck_assert_msg(strstr(said, "action: > hvc ") != NULL && strstr(said, " VERSION") != NULL, "%s",
                  said);
    ck_assert_msg(strstr(said, "  x0: expected ") != NULL, "%s", said);
    ck_assert_msg(strstr(said, "REPLAY: sdei-sim replay --target=odd-version ") != NULL, "%s",
                  said);
    /* The prefix: clean on the model, divergent on the peer at its last action. */
    FILE *devnull = fopen("/dev/null", "w");
    ck_assert_int_eq(sim_replay_file_on(&sim_impl_model, path, devnull, 1, &st), SIM_EXIT_OK);
    uint64_t actions = st.actions;
    ck_assert_int_eq(sim_replay_file_on(&odd_version, path, devnull, 1, &st), SIM_EXIT_DIVERGENCE);
    ck_assert_uint_eq(st.actions, actions);
    fclose(devnull);
    remove(path);
}
END_TEST

START_TEST(test_kvm_without_sdei_is_compared_on_absent_and_migrations_are_unavailable)
{
    sim_options o;
    sim_summary s;
    sim_option_state st = {NULL, 1};
    char *said, msg[200];
    setup_peers();
    options(&o, NULL);
    o.peer = &no_vmm_kvm;
    o.profile = SDEI_PROFILE_SPEC;
    ck_assert_int_eq(sim_options_finish(&o, &st, msg, sizeof(msg)), 0);
    ck_assert_int_eq(o.peer_compare, 0); /* no profile of that kernel: not compared */
    o.profile = SDEI_PROFILE_ABSENT;
    o.migrate_every = 500;
    ck_assert_int_eq(sim_options_finish(&o, &st, msg, sizeof(msg)), 0);
    ck_assert_int_eq(o.peer_compare, 1);
    ck_assert_int_eq(run(&o, &s, &said), SIM_EXIT_OK);
    ck_assert_uint_gt(s.peer_compared, s.hvcs);
    ck_assert_uint_gt(s.migrations, 0);
    /* every migration (whole-VM or through the VMM's commands) and VMM command */
    ck_assert_uint_ge(s.peer_unavailable, s.migrations);
}
END_TEST

/* kvm-v6 in lockstep with peer, compared, a migration every ~50 steps. */
static void v6_migrating(sim_options *o, const sim_impl_ops *peer)
{
    options(o, NULL);
    o->profile = SDEI_PROFILE_KVM_V6;
    o->migrate_every = 50;
    o->peer = peer;
    o->peer_compare = 1;
}

START_TEST(test_a_migration_refused_on_both_sides_is_counted_with_both_reasons)
{
    /* kvm-v6 (no_sdei_command): no interface carries the SDEI state; the
     * model and its peer each refuse, and the summary says why in their words. */
    sim_options o;
    sim_summary s;
    char *said;
    v6_migrating(&o, &sim_impl_model);
    ck_assert_int_eq(run(&o, &s, &said), SIM_EXIT_OK);
    ck_assert_uint_eq(s.migrations, 0);
    ck_assert_uint_gt(s.migrations_refused, 0);
    ck_assert_str_eq(s.refused_why, "the model: no migration interface (no_sdei_command); model: "
                                    "no migration interface (no_sdei_command)");
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    sim_print_summary(f, &o, &s, 0);
    char *txt = slurp(f);
    fclose(f);
    ck_assert_msg(strstr(txt, " (the first: the model: no migration interface (no_sdei_command); "
                              "model: ") != NULL,
                  "%s", txt);
    ck_assert_msg(strstr(txt, "route_mode_from_affinity") == NULL, "%s", txt);
}
END_TEST

START_TEST(test_a_migration_only_the_model_refuses_is_a_divergence)
{
    sim_options o;
    sim_summary s;
    char *said;
    setup_peers();
    v6_migrating(&o, &stays_put);
    ck_assert_int_eq(run(&o, &s, &said), SIM_EXIT_DIVERGENCE);
    ck_assert_msg(strstr(said, "action: > migrate") != NULL, "%s", said);
    ck_assert_uint_eq(s.migrations_refused, 0);
}
END_TEST

START_TEST(test_migration_through_vmm_commands_a_kernel_lacks_is_unavailable)
{
    sim_target t;
    sim_action a;
    sim_result r;
    char err[200];
    setup_peers();
    sdei_config cfg = sdei_config_default(2);
    cfg.profile = SDEI_PROFILE_ABSENT;
    ck_assert_int_eq(sim_target_init_impl(&t, &no_vmm_kvm, &cfg, err, sizeof(err)), 0);
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_MIGRATE;
    a.via_vmm = 1;
    ck_assert_int_eq(sim_exec(&t, &a, &r, err, sizeof(err)), 0);
    ck_assert_uint_eq(r.kind, SIM_R_UNAVAILABLE); /* not a refused migration */
    ck_assert_uint_eq(t.unavailable, 1);
    ck_assert_uint_eq(t.migrations, 0);
    sim_target_fini(&t);
}
END_TEST

START_TEST(test_peer_failure_is_a_finding)
{
    sim_options o;
    sim_summary s;
    char *said;
    setup_peers();
    options(&o, NULL);
    o.peer = &failing_deliver;
    o.peer_compare = 0; /* even without comparing, the peer's failures count */
    ck_assert_int_eq(run(&o, &s, &said), SIM_EXIT_FINDING);
    ck_assert_msg(strstr(said, "FINDING at step ") != NULL, "%s", said);
    ck_assert_msg(strstr(said, "failing-deliver failed: no detail given") != NULL, "%s", said);
    ck_assert_msg(strstr(said, "action: > deliver ") != NULL, "%s", said);
}
END_TEST

static char *first_line(const char *path)
{
    static char line[1 << 14];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
    fclose(f);
    return line;
}

START_TEST(test_swarm_world_is_drawn_from_the_seed_and_written_in_the_header)
{
    sim_options o;
    sim_summary s;
    sim_replay_stats st;
    char *said;
    char headers[3][1 << 14];
    char path[] = "/tmp/test_swarm_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    int sparse = 0, bind = 0;
    for (int i = 0; i < 3; i++) {
        options(&o, path);
        o.swarm = 1;
        o.seed = i < 2 ? 0x3 : 0x4;
        o.vcpus = 9;
        ck_assert_int_eq(run(&o, &s, &said), SIM_EXIT_OK);
        snprintf(headers[i], sizeof(headers[i]), "%s", first_line(path));
        sparse |= strstr(headers[i], " mpidr=") != NULL;
        bind |= strstr(headers[i], " bind=") != NULL;
        FILE *devnull = fopen("/dev/null", "w");
        ck_assert_int_eq(sim_replay_file_on(&sim_impl_model, path, devnull, 1, &st), SIM_EXIT_OK);
        fclose(devnull);
    }
    ck_assert_str_eq(headers[0], headers[1]);
    ck_assert_str_ne(headers[0], headers[2]);
    ck_assert(bind);   /* a swarm header always states its bind slots */
    ck_assert(sparse); /* seed 3 draws sparse affinities (a fixed fact of the PRNG) */
    remove(path);
}
END_TEST

START_TEST(test_swarm_runs_reach_their_targets)
{
    sim_options o;
    sim_summary s;
    char *said;
    /* Seeds whose worlds reach every target in 400,000 steps (a world may
     * make one rare: seed 3 under spec, and seeds 2 and 6-8 under kvm-v5,
     * where triggers on masked vCPUs are dropped and a critical event waits
     * for KVM_REQ_SDEI, migrate with nested handlers later). */
    static const uint64_t seeds[] = {1, 9, 4};
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        uint64_t seed = seeds[i];
        options(&o, NULL);
        o.swarm = 1;
        o.seed = seed;
        o.steps = 400000;
        o.require_all = 1;
        o.profile = seed == 9 ? SDEI_PROFILE_KVM_V5 : SDEI_PROFILE_SPEC;
        int rc = run(&o, &s, &said);
        ck_assert_msg(rc == SIM_EXIT_OK, "seed %d: exit %d\n%s", (int)seed, rc, said);
    }
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_identical_peer_is_compared_on_every_action_and_never_differs,
        test_differing_peer_stops_at_the_call_with_a_replayable_prefix,
        test_peer_failure_is_a_finding,
        test_kvm_without_sdei_is_compared_on_absent_and_migrations_are_unavailable,
        test_a_migration_refused_on_both_sides_is_counted_with_both_reasons,
        test_a_migration_only_the_model_refuses_is_a_divergence,
        test_migration_through_vmm_commands_a_kernel_lacks_is_unavailable,
        test_swarm_world_is_drawn_from_the_seed_and_written_in_the_header,
        test_swarm_runs_reach_their_targets,
    };
    return t_run_tests("lockstep", tests, T_COUNT(tests));
}
