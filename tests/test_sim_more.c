/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sim_more.c - the simulator in rare configurations (docs/simulator.md):
 * one vCPU that is all hostile guest, 512 vCPUs, a migration every other
 * step, a blob round trip every step, kvm-v5 migrations the kernel refuses;
 * its summaries; the SDEI_SIM_TRACE_REGS debug checks (a recorded trace with
 * them replays clean); output files that cannot be written (exit 4); a
 * configuration the model refuses (exit 3); a target reopened, with its
 * config or another, is the VM a fresh target makes. Also the trace writer's rarer
 * shapes (quirk overrides, signaled=, keep marks, unnamed values) parse back.
 * Fixed seeds throughout.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_helpers.h"
#include "exec.h"
#include "names.h"
#include "replay.h"
#include "sim.h"
#include "testlib.h"
#include "trace.h"

static uint8_t store[SIM_TRACE_MAX_DATA];
static sim_syms syms;

/* Runs o; stderr of the run in err (NUL-terminated). */
static int run(const sim_options *o, sim_summary *s, char *err, size_t n)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    int rc = sim_run(o, s, f);
    rewind(f);
    err[fread(err, 1, n - 1, f)] = '\0';
    fclose(f);
    return rc;
}

static char *summary_text(const sim_options *o, const sim_summary *s, int json)
{
    FILE *f = tmpfile();
    static char buf[8192];
    ck_assert_ptr_nonnull(f);
    sim_print_summary(f, o, s, json);
    rewind(f);
    buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
    fclose(f);
    return buf;
}

static void opts(sim_options *o, uint64_t seed, uint32_t vcpus, uint64_t steps)
{
    sim_options_default(o);
    o->seed = seed;
    o->vcpus = vcpus;
    o->steps = steps;
}

START_TEST(test_one_all_hostile_vcpu_migrating_every_other_step_stays_sound)
{
    sim_options o;
    sim_summary s, s2;
    char err[4096];
    opts(&o, 0x5eed, 1, 1000);
    o.hostile_permille = 1000;
    o.migrate_every = 2;
    o.blob_every = 1;
    o.hash = 1;
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_OK);
    ck_assert_uint_gt(s.migrations, 300);
    ck_assert_uint_gt(s.sometimes[SIM_ST_HOSTILE_CALL], 0);
    ck_assert_uint_gt(s.invariant_checks, 1000 * 2);
    ck_assert_int_eq(s.failed_invariant, -1);
    /* deterministic, migrations included */
    ck_assert_int_eq(run(&o, &s2, err, sizeof(err)), SIM_EXIT_OK);
    ck_assert_uint_eq(s.trace_hash, s2.trace_hash);
    ck_assert_uint_ne(s.trace_hash, 0);
}
END_TEST

START_TEST(test_512_vcpus_without_hostile_guests_or_migrations)
{
    sim_options o;
    sim_summary s;
    char err[4096];
    opts(&o, 77, 512, 3000);
    o.hostile_permille = 0;
    o.migrate_every = 0;
    o.blob_every = 0;
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_OK);
    ck_assert_uint_eq(s.migrations, 0);
    ck_assert_uint_eq(s.sometimes[SIM_ST_HOSTILE_CALL], 0);
    ck_assert_uint_eq(s.trace_hash, 0);
    const char *txt = summary_text(&o, &s, 0);
    ck_assert_ptr_nonnull(strstr(txt, "seed 0x4d, 512 vCPUs, profile spec\n"));
    ck_assert_ptr_null(strstr(txt, "trace "));
    ck_assert_ptr_nonnull(strstr(txt, "| hostile_call | 0 (never) |\n"));
}
END_TEST

START_TEST(test_kvm_v5_migrations_the_kernel_refuses_are_counted_and_summarised)
{
    /* route_mode_from_affinity: a save the kernel itself cannot restore; the
     * run goes on on the source VM, as a VMM's would. */
    sim_options o;
    sim_summary s;
    char err[4096];
    opts(&o, 1, 4, 3000);
    o.profile = SDEI_PROFILE_KVM_V5;
    o.migrate_every = 10;
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_OK);
    ck_assert_uint_gt(s.migrations_refused, 0);
    ck_assert_uint_gt(s.migrations, 0);
    const char *txt = summary_text(&o, &s, 0);
    ck_assert_ptr_nonnull(strstr(txt, "migrations refused "));
    /* the reason the model gave: its restore refuses the route mode */
    ck_assert_msg(strstr(txt, " (the first: the model: sdei_vm_restore: ") != NULL, "%s", txt);
    ck_assert_uint_gt(strlen(s.refused_why), 0);
    txt = summary_text(&o, &s, 1);
    char want[96];
    snprintf(want, sizeof(want), "\"migrations_refused\":%llu,",
             (unsigned long long)s.migrations_refused);
    ck_assert_ptr_nonnull(strstr(txt, want));
    ck_assert_ptr_nonnull(strstr(txt, "\"migrations_refused_why\":\"the model: sdei_vm_restore: "));
}
END_TEST

START_TEST(test_summary_of_a_failed_run_names_the_invariant)
{
    /* sim_print_summary on a summary that says an invariant failed (the
     * simulator cannot be made to fail without a model bug). */
    sim_options o;
    sim_summary s;
    opts(&o, 9, 2, 10);
    memset(&s, 0, sizeof(s));
    s.failed_invariant = SIM_INV_SHARED_RUNS_ONCE;
    s.exit_code = SIM_EXIT_INVARIANT;
    const char *txt = summary_text(&o, &s, 1);
    ck_assert_ptr_nonnull(strstr(txt, "\"failed_invariant\":\"shared_runs_on_one_vcpu\""));
    ck_assert_ptr_nonnull(strstr(txt, "\"exit_code\":2"));
    txt = summary_text(&o, &s, 0);
    ck_assert_ptr_nonnull(strstr(txt, "\nresult: INVARIANT FAILED\n"));
    s.failed_invariant = -1;
    s.exit_code = SIM_EXIT_IO;
    txt = summary_text(&o, &s, 0);
    ck_assert_ptr_nonnull(strstr(txt, "\nresult: FAILED\n"));
}
END_TEST

START_TEST(test_register_debug_checks_are_recorded_and_replay_clean)
{
    sim_options o;
    sim_summary s;
    char err[4096], path[512];
    opts(&o, 12, 2, 1500);
    o.migrate_every = 100;
    o.trace_out = cli_path(path, sizeof(path), "regs.trace");
    ck_assert_int_eq(setenv("SDEI_SIM_TRACE_REGS", "1", 1), 0);
    int rc = run(&o, &s, err, sizeof(err));
    ck_assert_int_eq(unsetenv("SDEI_SIM_TRACE_REGS"), 0);
    ck_assert_int_eq(rc, SIM_EXIT_OK);
    char *text = cli_slurp(path, NULL);
    ck_assert_ptr_nonnull(strstr(text, "\n= regs 1 x0="));
    free(text);
    sim_replay_stats st;
    FILE *f = tmpfile();
    rc = sim_replay_file(path, f, 1, &st);
    fclose(f);
    ck_assert_int_eq(rc, SIM_EXIT_OK);
    ck_assert_uint_ge(st.checks, 2 * 1500);
}
END_TEST

START_TEST(test_outputs_that_cannot_be_written_are_io_errors)
{
    sim_options o;
    sim_summary s;
    char err[4096];
    /* A full disk: the trace (bigger than the 1 MiB buffer, so a write fails
     * mid-run), then only the close; the save. */
    opts(&o, 3, 4, 20000);
    o.trace_out = "/dev/full";
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_IO);
    ck_assert_ptr_nonnull(
        strstr(err, "sdei-sim: cannot write /dev/full: No space left on device\n"));
    ck_assert_int_eq(s.exit_code, SIM_EXIT_IO);
    opts(&o, 3, 1, 5);
    o.trace_out = "/dev/full";
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_IO);
    ck_assert_ptr_nonnull(
        strstr(err, "sdei-sim: cannot write /dev/full: No space left on device\n"));
    opts(&o, 3, 1, 5);
    o.save_out = "/dev/full";
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_IO);
    ck_assert_ptr_nonnull(
        strstr(err, "sdei-sim: cannot write /dev/full: No space left on device\n"));
    opts(&o, 3, 1, 5);
    o.trace_out = "/nonexistent/dir/t.trace";
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_IO);
    ck_assert_ptr_nonnull(strstr(err,
                                 "sdei-sim: cannot write /nonexistent/dir/t.trace: No such file or "
                                 "directory\n"));
}
END_TEST

START_TEST(test_a_configuration_the_model_refuses_is_bad_input)
{
    sim_options o;
    sim_summary s;
    char err[4096];
    opts(&o, 1, 0, 10);
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_BAD_INPUT);
    ck_assert_ptr_nonnull(strstr(err, "sdei-sim: the model refuses this configuration: "));
    opts(&o, 1, SDEI_MAX_VCPUS + 1, 10);
    ck_assert_int_eq(run(&o, &s, err, sizeof(err)), SIM_EXIT_BAD_INPUT);
}
END_TEST

START_TEST(test_a_target_keeps_its_own_copy_of_the_mpidrs)
{
    /* A config with explicit MPIDRs (an API user's, not a trace's): the target
     * copies them, so the caller's array may go away. */
    uint64_t *mp = malloc(2 * sizeof(uint64_t));
    char msg[256];
    sim_target t;
    ck_assert_ptr_nonnull(mp);
    sdei_config cfg = sdei_config_default(2);
    mp[0] = 0x80000100;
    mp[1] = 0x80000101;
    cfg.mpidr = mp;
    ck_assert_int_eq(sim_target_init(&t, &cfg, msg, sizeof(msg)), 0);
    free(mp);
    ck_assert_ptr_eq(t.cfg.mpidr, t.mpidr);
    ck_assert_uint_eq(sdei_vcpu_mpidr(sim_target_model(&t), 1), 0x80000101);
    ck_assert_int_eq(sim_migrate(&t, msg, sizeof(msg)), 0);
    ck_assert_uint_eq(sdei_vcpu_mpidr(sim_target_model(&t), 1), 0x80000101);
    ck_assert_uint_eq(t.migrations, 1);
    sim_target_fini(&t);
}
END_TEST

/* A few actions: an event exposed, registered, enabled and triggered on
 * vCPU 0, which is unmasked, and a migration (the VM moves to the other
 * block of the model implementation). */
static void busy(sim_target *t)
{
    static const uint8_t calls[3] = {SDEI_CALL_EVENT_REGISTER, SDEI_CALL_EVENT_ENABLE,
                                     SDEI_CALL_PE_UNMASK};
    char msg[256];
    sim_action a;
    sim_result r;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_EXPOSE;
    a.num = T_EVP;
    ck_assert_int_eq(sim_exec(t, &a, &r, msg, sizeof(msg)), 0);
    for (unsigned i = 0; i < 3; i++) {
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_HVC;
        a.call = calls[i];
        a.arg[0] = i < 2 ? T_EVP : 0;
        a.arg[1] = 0x1000;
        ck_assert_int_eq(sim_exec(t, &a, &r, msg, sizeof(msg)), 0);
    }
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_TRIGGER;
    a.num = T_EVP;
    ck_assert_int_eq(sim_exec(t, &a, &r, msg, sizeof(msg)), 0);
    ck_assert_int_eq(sim_migrate(t, msg, sizeof(msg)), 0);
}

/* The whole-VM save of t's VM, into store; its length. */
static size_t saved(sim_target *t, uint8_t *buf)
{
    size_t n = 0;
    ck_assert_int_eq(sdei_vm_save(sim_target_model(t), buf, SIM_TRACE_MAX_DATA / 2, &n), SDEI_OK);
    return n;
}

START_TEST(test_a_reopened_target_is_the_vm_a_fresh_target_makes)
{
    /* the same config (the model resets its VM in place), with default and
     * explicit MPIDRs, then another config (the model builds a new one) */
    uint64_t mp[3] = {0x80000100, 0x80000101, 0x80000102};
    for (int k = 0; k < 3; k++) {
        char msg[256];
        sim_target t, fresh;
        sdei_config cfg = sdei_config_default(3);
        cfg.mpidr = k == 1 ? mp : NULL;
        ck_assert_int_eq(sim_target_init(&t, &cfg, msg, sizeof(msg)), 0);
        busy(&t);
        t.cfg.nr_vcpus = k == 2 ? 2 : 3;
        cfg.nr_vcpus = t.cfg.nr_vcpus;
        ck_assert_int_eq(sim_target_reopen(&t, msg, sizeof(msg)), 0);
        ck_assert_int_eq(sim_target_init(&fresh, &cfg, msg, sizeof(msg)), 0);
        size_t n = saved(&t, store), m = saved(&fresh, store + SIM_TRACE_MAX_DATA / 2);
        ck_assert_uint_eq(n, m);
        ck_assert_int_eq(memcmp(store, store + SIM_TRACE_MAX_DATA / 2, n), 0);
        busy(&t); /* and it runs like one */
        busy(&fresh);
        n = saved(&t, store);
        m = saved(&fresh, store + SIM_TRACE_MAX_DATA / 2);
        ck_assert_int_eq(n == m && memcmp(store, store + SIM_TRACE_MAX_DATA / 2, n) == 0, 1);
        sim_target_fini(&t);
        sim_target_fini(&fresh);
    }
}
END_TEST

/* ---------------------------------------------------------------------------
 * The writer's rarer shapes parse back.
 * ------------------------------------------------------------------------- */
START_TEST(test_header_quirk_overrides_format_and_parse_back)
{
    /* Overrides are relative to the profile: kvm-v5 without one of its
     * quirks, spec with two of kvm-v5's. */
    static const struct {
        const char *in, *quirks;
    } rows[] = {
        {"sdei-trace 1 profile=kvm-v5 vcpus=3 quirks=-shared_per_vcpu span=0 bind=0/1 "
         "max-events=64 seed=7",
         " quirks=-shared_per_vcpu\n"},
        {"sdei-trace 1 profile=spec vcpus=1 quirks=+resume_ignored,+no_bind,-no_bind,+no_bind",
         " quirks=+no_bind,+resume_ignored\n"},
        /* the last mention of a quirk wins */
        {"sdei-trace 1 profile=spec vcpus=1 quirks=+no_bind,-no_bind,+resume_ignored",
         " quirks=+resume_ignored\n"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        sim_header h, back;
        sim_parse_err e;
        char line[SIM_TRACE_LINE_ROOM];
        ck_assert_msg(sim_parse_header(rows[i].in, &h, &e) == 0, "%s", e.msg);
        sim_format_header(line, &h);
        ck_assert_msg(strstr(line, rows[i].quirks) != NULL, "%s", line);
        *strchr(line, '\n') = '\0';
        ck_assert_int_eq(sim_parse_header(line, &back, &e), 0);
        ck_assert_uint_eq(back.quirks, h.quirks);
        ck_assert_uint_eq(back.quirks_override, 1);
        ck_assert_uint_eq(back.span, h.span);
        ck_assert_uint_eq(back.max_events, h.max_events);
        ck_assert_uint_eq(back.shared_bind_slots, h.shared_bind_slots);
        ck_assert_uint_eq(back.seed, h.seed);
    }
}
END_TEST

START_TEST(test_action_and_result_shapes_format_and_parse_back)
{
    /* {line, what the writer makes of it}: NULL = the line itself */
    static const char *const lines[][2] = {
        {"> expose 0x400007 shared critical signaled=1", NULL},
        {"> expose 0x0 private normal signaled=0", NULL},
        {"> hvc 1 EVENT_SIGNAL - 0 -", NULL},
        {"> hvc 0 0xc4000099 1 - 0x20", NULL},
        {"> hvc 0 SDEI_PE_MASK 0 0 0 0 0", "> hvc 0 PE_MASK"},
        {"> vmm vm 99 count=2 num=0x400001", NULL},
        {"< ret num=0x400003 x0=0", NULL},
        {"< vmm ret=-7", NULL},
        {"< err err=3", "< err 3"},
        {"< entered 0x400001 prio=critical preempted x0=0x400001", NULL},
    };
    char out[SIM_TRACE_LINE_ROOM];
    sim_parse_err e;
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        const char *in = lines[i][0], *want = lines[i][1] != NULL ? lines[i][1] : in;
        if (in[0] == '>') {
            sim_action a;
            ck_assert_msg(sim_parse_action(in, &a, &syms, store, sizeof(store), &e) == 0, "%s: %s",
                          in, e.msg);
            sim_format_action(out, &a);
        } else {
            sim_result r;
            ck_assert_msg(sim_parse_result(in, &r, &syms, store, sizeof(store), &e) == 0, "%s: %s",
                          in, e.msg);
            sim_format_result(out, &r);
        }
        *strchr(out, '\n') = '\0';
        ck_assert_str_eq(out, want);
    }
    /* A corrupt action or result kind formats as '?', never a crash. */
    sim_action a;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_COUNT;
    sim_format_action(out, &a);
    ck_assert_str_eq(out, "> ?\n");
    ck_assert_str_eq(sim_res_kind_name(SIM_R_COUNT), "?");
    ck_assert_str_eq(sim_reg_name(SIM_REG_COUNT), "?");
    ck_assert_str_eq(sim_call_name(SDEI_CALL_COUNT), "?");
}
END_TEST

START_TEST(test_number_and_name_edges)
{
    uint64_t v;
    uint8_t buf[2];
    size_t n;
    ck_assert_int_eq(sim_parse_u64("-9223372036854775808", 20, &v), 0);
    ck_assert_uint_eq(v, UINT64_C(1) << 63);
    ck_assert_int_eq(sim_parse_u64("-9223372036854775809", 20, &v), -1);
    ck_assert_int_eq(sim_parse_hex("0102", 4, buf, 2, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(sim_parse_hex("010203", 6, buf, 2, &n), -1);
    /* the recordings' SDEI_ prefix, alone and with the short alias */
    ck_assert_int_eq(sim_call_by_name("SDEI_VERSION", 12), SDEI_CALL_VERSION);
    ck_assert_int_eq(sim_call_by_name("SDEI_REGISTER", 13), SDEI_CALL_EVENT_REGISTER);
    ck_assert_int_eq(sim_call_by_name("SDEI_", 5), -1);
    ck_assert_ptr_null(sim_vmm_cmd_name(SDEI_CMD_COUNT));
    ck_assert_str_eq(sim_profile_name(SDEI_PROFILE_COUNT), "?");
    ck_assert_str_eq(sim_state_name(SDEI_STATE_COUNT), "?");
}
END_TEST

START_TEST(test_a_ninth_register_is_refused_before_it_is_stored)
{
    /* setreg and regs hold 8 registers; the 9th value used to be parsed into
     * val[8], one past the array (over the next field), before the count was
     * checked. */
    sim_check c;
    sim_action a;
    sim_parse_err e;
    ck_assert_int_eq(sim_parse_check("= regs 0 x0=1 x1=1 x2=1 x3=1 x4=1 x5=1 x6=1 x7=1 x8=0x41", &c,
                                     &syms, store, sizeof(store), &e),
                     -1);
    ck_assert_str_eq(e.msg, "expected at most 8 registers on one line");
    ck_assert_ptr_null(c.data);
    ck_assert_uint_eq(c.data_len, 0);
    ck_assert_int_eq(sim_parse_action("> setreg 0 x0=1 x1=1 x2=1 x3=1 x4=1 x5=1 x6=1 x7=1 "
                                      "x8=0x41",
                                      &a, &syms, store, sizeof(store), &e),
                     -1);
    ck_assert_uint_eq(a.num, 0);
    ck_assert_uint_eq(a.nregs, 8);
}
END_TEST

static Suite *sim_more_suite(void)
{
    Suite *s = suite_create("sim_more");
    TCase *tc = tcase_create("runs");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_one_all_hostile_vcpu_migrating_every_other_step_stays_sound);
    tcase_add_test(tc, test_512_vcpus_without_hostile_guests_or_migrations);
    tcase_add_test(tc, test_kvm_v5_migrations_the_kernel_refuses_are_counted_and_summarised);
    tcase_add_test(tc, test_summary_of_a_failed_run_names_the_invariant);
    tcase_add_test(tc, test_register_debug_checks_are_recorded_and_replay_clean);
    tcase_add_test(tc, test_outputs_that_cannot_be_written_are_io_errors);
    tcase_add_test(tc, test_a_configuration_the_model_refuses_is_bad_input);
    tcase_add_test(tc, test_a_target_keeps_its_own_copy_of_the_mpidrs);
    tcase_add_test(tc, test_a_reopened_target_is_the_vm_a_fresh_target_makes);
    suite_add_tcase(s, tc);
    tc = tcase_create("format");
    tcase_add_test(tc, test_header_quirk_overrides_format_and_parse_back);
    tcase_add_test(tc, test_action_and_result_shapes_format_and_parse_back);
    tcase_add_test(tc, test_number_and_name_edges);
    tcase_add_test(tc, test_a_ninth_register_is_refused_before_it_is_stored);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run_suite(sim_more_suite());
}
