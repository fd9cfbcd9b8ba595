/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sim.c - the simulator (DESIGN §5): PRNG sub-streams, determinism
 * (same seed -> byte-identical trace), recorded traces replay cleanly, both
 * profiles and 512 vCPUs run without invariant failures, migrations, and
 * --require-all.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prng.h"
#include "replay.h"
#include "sdei/sdei_blob.h"
#include "sim.h"
#include "testlib.h"

static FILE *quiet_err(void)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    return f;
}

static void print_err(FILE *f)
{
    char buf[4096];
    rewind(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fputs(buf, stderr);
}

static int run(sim_options *o, sim_summary *s)
{
    FILE *err = quiet_err();
    int rc = sim_run(o, s, err);
    if (rc != 0) {
        print_err(err);
    }
    fclose(err);
    return rc;
}

/* Whether this build of the model can save and restore a whole VM yet. */
static int have_save(void)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    size_t n = 0;
    int ok = sdei_vm_save_size(vm, &n) == SDEI_OK && n > 0;
    sdei_vm_free(vm);
    return ok;
}

START_TEST(test_prng_same_seed_same_sequence_and_streams_are_independent)
{
    sim_prng a, b, c;
    sim_prng_seed(&a, 42, SIM_STREAM_GUEST);
    sim_prng_seed(&b, 42, SIM_STREAM_GUEST);
    sim_prng_seed(&c, 42, SIM_STREAM_VMM);
    int same_as_other_stream = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = sim_prng_next(&a);
        ck_assert_uint_eq(x, sim_prng_next(&b));
        same_as_other_stream += x == sim_prng_next(&c);
    }
    ck_assert_int_eq(same_as_other_stream, 0);
    /* splitmix64 reference value (Vigna's splitmix64.c, seed 0, first output). */
    uint64_t st = 0;
    ck_assert_uint_eq(sim_splitmix64(&st), UINT64_C(0xe220a8397b1dcdaf));
}
END_TEST

START_TEST(test_prng_below_stays_in_range_and_hits_every_value)
{
    sim_prng p;
    int seen[7] = {0};
    sim_prng_seed(&p, 1, SIM_STREAM_SCHED);
    for (int i = 0; i < 7000; i++) {
        uint32_t v = sim_prng_below(&p, 7);
        ck_assert_uint_lt(v, 7);
        seen[v]++;
    }
    for (int i = 0; i < 7; i++) {
        ck_assert_int_gt(seen[i], 700);
    }
    ck_assert_uint_eq(sim_prng_below(&p, 1), 0);
}
END_TEST

START_TEST(test_same_seed_gives_byte_identical_trace)
{
    sim_options o;
    sim_summary s1, s2;
    sim_options_default(&o);
    o.seed = 0xabcdef;
    o.steps = 30000;
    o.hash = 1;
    o.migrate_every = have_save() ? 500 : 0;
    ck_assert_int_eq(run(&o, &s1), 0);
    ck_assert_int_eq(run(&o, &s2), 0);
    ck_assert_uint_ne(s1.trace_hash, 0);
    ck_assert_uint_eq(s1.trace_hash, s2.trace_hash);
    ck_assert_uint_eq(s1.trace_bytes, s2.trace_bytes);
    ck_assert_uint_eq(s1.hvcs, s2.hvcs);
}
END_TEST

START_TEST(test_different_seeds_give_different_traces)
{
    sim_options o;
    sim_summary s1, s2;
    sim_options_default(&o);
    o.steps = 5000;
    o.hash = 1;
    o.migrate_every = 0;
    o.seed = 1;
    ck_assert_int_eq(run(&o, &s1), 0);
    o.seed = 2;
    ck_assert_int_eq(run(&o, &s2), 0);
    ck_assert_uint_ne(s1.trace_hash, s2.trace_hash);
}
END_TEST

static void record_and_replay(sdei_profile profile, uint32_t vcpus, uint32_t migrate_every)
{
    char path[64];
    sim_options o;
    sim_summary s;
    sim_replay_stats st;
    snprintf(path, sizeof(path), "/tmp/test_sim_%d_%u.trace", (int)getpid(), vcpus);
    sim_options_default(&o);
    o.seed = 77;
    o.vcpus = vcpus;
    o.steps = 20000;
    o.profile = profile;
    o.trace_out = path;
    o.migrate_every = migrate_every;
    ck_assert_int_eq(run(&o, &s), 0);
    FILE *err = quiet_err();
    int rc = sim_replay_file(path, err, 1, &st);
    if (rc != 0) {
        print_err(err);
    }
    fclose(err);
    remove(path);
    ck_assert_int_eq(rc, SIM_EXIT_OK);
    ck_assert_uint_gt(st.actions, 20000 / 2);
    ck_assert_uint_gt(st.results, 0);
}

START_TEST(test_recorded_trace_replays_without_divergence)
{
    record_and_replay(SDEI_PROFILE_SPEC, 8, 0);
}
END_TEST

START_TEST(test_recorded_kvm_v5_trace_replays_without_divergence)
{
    record_and_replay(SDEI_PROFILE_KVM_V5, 4, have_save() ? 700 : 0);
}
END_TEST

START_TEST(test_recorded_trace_with_migrations_replays_identically)
{
    if (!have_save()) {
        fprintf(stderr, "skipped: the model has no sdei_vm_save yet\n");
        return;
    }
    record_and_replay(SDEI_PROFILE_SPEC, 8, 200);
}
END_TEST

START_TEST(test_spec_profile_reaches_hard_states_without_invariant_failures)
{
    sim_options o;
    sim_summary s;
    sim_options_default(&o);
    o.seed = 0x5eed;
    o.steps = 200000;
    o.migrate_every = have_save() ? 2000 : 0;
    ck_assert_int_eq(run(&o, &s), 0);
    ck_assert_int_eq(s.failed_invariant, -1);
    ck_assert_uint_gt(s.sometimes[SIM_ST_CRITICAL_PREEMPTS_NORMAL], 0);
    ck_assert_uint_gt(s.sometimes[SIM_ST_UNREGISTER_WHILE_RUNNING], 0);
    ck_assert_uint_gt(s.sometimes[SIM_ST_COMPLETE_AND_RESUME], 0);
    ck_assert_uint_gt(s.sometimes[SIM_ST_BIND_SLOTS_EXHAUSTED], 0);
    ck_assert_uint_gt(s.completions, 1000);
    if (o.migrate_every != 0) {
        ck_assert_uint_gt(s.sometimes[SIM_ST_MIGRATION_MID_HANDLER], 0);
    }
}
END_TEST

START_TEST(test_kvm_v5_profile_runs_with_quirk_disabled_invariants)
{
    sim_options o;
    sim_summary s;
    sim_options_default(&o);
    o.seed = 3;
    o.steps = 100000;
    o.profile = SDEI_PROFILE_KVM_V5;
    o.migrate_every = have_save() ? 5000 : 0;
    ck_assert_int_eq(run(&o, &s), 0);
    /* a kvm-v5 save (no bind slots) restores, unless route_mode_from_affinity
     * made it unrestorable, as the kernel's own is (route_mode.rec) */
    ck_assert_uint_gt(s.migrations + s.migrations_refused, 0);
    ck_assert_uint_eq(s.sometimes[SIM_ST_BIND_SLOTS_EXHAUSTED], 0); /* no_bind */
}
END_TEST

START_TEST(test_512_vcpus_run_clean)
{
    sim_options o;
    sim_summary s;
    sim_options_default(&o);
    o.seed = 9;
    o.vcpus = 512;
    o.steps = 50000;
    o.migrate_every = have_save() ? 20000 : 0;
    ck_assert_int_eq(run(&o, &s), 0);
    ck_assert_uint_eq(s.steps, 50000);
}
END_TEST

START_TEST(test_require_all_fails_a_run_too_short_to_reach_targets)
{
    sim_options o;
    sim_summary s;
    sim_options_default(&o);
    o.seed = 1;
    o.steps = 10;
    o.migrate_every = 0;
    o.require_all = 1;
    FILE *err = quiet_err();
    ck_assert_int_eq(sim_run(&o, &s, err), SIM_EXIT_UNREACHED);
    char buf[4096];
    rewind(err);
    size_t n = fread(buf, 1, sizeof(buf) - 1, err);
    buf[n] = '\0';
    fclose(err);
    ck_assert_ptr_nonnull(strstr(buf, "never reached: critical_preempts_normal"));
    ck_assert_ptr_nonnull(strstr(buf, "REPLAY: sdei-sim run --seed=0x1"));
}
END_TEST

START_TEST(test_invariant_and_sometimes_quirk_masks_name_known_quirks)
{
    for (unsigned i = 0; i < SIM_INV_COUNT; i++) {
        ck_assert_uint_eq(sim_invariant_quirks[i] & ~SDEI_QUIRK_MASK_ALL, 0);
        ck_assert_ptr_nonnull(sim_invariant_names[i]);
    }
    for (unsigned i = 0; i < SIM_ST_COUNT; i++) {
        ck_assert_uint_eq(sim_sometimes_quirks[i] & ~SDEI_QUIRK_MASK_ALL, 0);
    }
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_prng_same_seed_same_sequence_and_streams_are_independent,
        test_prng_below_stays_in_range_and_hits_every_value,
        test_same_seed_gives_byte_identical_trace,
        test_different_seeds_give_different_traces,
        test_recorded_trace_replays_without_divergence,
        test_recorded_kvm_v5_trace_replays_without_divergence,
        test_recorded_trace_with_migrations_replays_identically,
        test_spec_profile_reaches_hard_states_without_invariant_failures,
        test_kvm_v5_profile_runs_with_quirk_disabled_invariants,
        test_512_vcpus_run_clean,
        test_require_all_fails_a_run_too_short_to_reach_targets,
        test_invariant_and_sometimes_quirk_masks_name_known_quirks,
    };
    return t_run_tests("sim", tests, T_COUNT(tests));
}
