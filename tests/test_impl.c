/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_impl.c - the implementation interface (driver/impl.h) and the one
 * executor: an implementation that cannot take an action gets the result
 * "unavailable", one that cannot observe a check gets "not observable", both
 * counted and neither passed silently nor reported as a divergence; a failure
 * of the implementation itself is a finding (exit 6); the model is found by
 * name.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "impl.h"
#include "replay.h"
#include "testlib.h"

/* The model with fewer capabilities: an implementation that cannot take VMM
 * commands or show event states (as the v6 kernel has no VMM interface). */
static sim_impl_ops limited;
static int fail_next_hvc;

static int failing_hypercall(sim_impl *impl, uint32_t vcpu, sdei_call_info *info)
{
    if (fail_next_hvc) {
        return SIM_IMPL_FINDING;
    }
    return sim_impl_model.hypercall(impl, vcpu, info);
}

static void setup_limited(void)
{
    limited = sim_impl_model;
    limited.name = "limited";
    limited.caps &= ~(uint32_t)(SIM_CAP_VMM | SIM_CAP_OBS_STATE);
    limited.hypercall = failing_hypercall;
    fail_next_hvc = 0;
}

/* The text in a temp file (path filled in; the caller removes it). */
static void write_trace(const char *text, char path[32])
{
    snprintf(path, 32, "/tmp/test_impl_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* What was written to f, into msg (cap bytes); closes f. */
static void read_back(FILE *f, char *msg, size_t cap)
{
    rewind(f);
    size_t n = fread(msg, 1, cap - 1, f);
    msg[n] = '\0';
    fclose(f);
}

static int replay_text(const sim_impl_ops *ops, const char *text, sim_replay_stats *st, char *msg,
                       size_t cap)
{
    char path[32];
    write_trace(text, path);
    FILE *err = tmpfile();
    int rc = sim_replay_file_on(ops, path, err, 0, st);
    read_back(err, msg, cap);
    remove(path);
    return rc;
}

static const char *const trace_with_vmm_and_state = "sdei-trace 1 profile=spec vcpus=1\n"
                                                    "> expose 0 private normal signaled=1\n"
                                                    "< ok\n"
                                                    "> hvc 0 VERSION\n"
                                                    "< x0=0x1000100000000\n"
                                                    "> vmm vm GET_VERSION\n"
                                                    "< vmm ret=0 count=0x10000\n"
                                                    "= state 0 0 U\n"
                                                    "= vcpu 0 masked=1\n";

START_TEST(test_unavailable_action_and_unobservable_check_are_counted_not_passed)
{
    sim_replay_stats st;
    char msg[4096];
    setup_limited();
    int rc = replay_text(&limited, trace_with_vmm_and_state, &st, msg, sizeof(msg));
    ck_assert_msg(rc == SIM_EXIT_OK, "exit %d: %s", rc, msg);
    ck_assert_uint_eq(st.unavailable, 1);
    ck_assert_uint_eq(st.unobservable, 1);
    ck_assert_ptr_nonnull(strstr(msg, "on limited: 1 actions not available, 1 checks not "
                                      "observable"));
    /* The model itself observes and takes everything. */
    rc = replay_text(&sim_impl_model, trace_with_vmm_and_state, &st, msg, sizeof(msg));
    ck_assert_msg(rc == SIM_EXIT_OK, "exit %d: %s", rc, msg);
    ck_assert_uint_eq(st.unavailable, 0);
    ck_assert_uint_eq(st.unobservable, 0);
    ck_assert_ptr_null(strstr(msg, "not available"));
}
END_TEST

START_TEST(test_observable_checks_still_diverge_on_a_limited_implementation)
{
    sim_replay_stats st;
    char msg[4096];
    setup_limited();
    int rc = replay_text(&limited, "sdei-trace 1 profile=spec vcpus=1\n= vcpu 0 masked=0\n", &st,
                         msg, sizeof(msg));
    ck_assert_msg(rc == SIM_EXIT_DIVERGENCE, "exit %d: %s", rc, msg);
    ck_assert_ptr_nonnull(strstr(msg, "masked: expected 0x0, actual 0x1"));
    ck_assert_ptr_nonnull(strstr(msg, "migrations, limited):"));
}
END_TEST

START_TEST(test_implementation_failure_is_a_finding_with_its_line)
{
    sim_replay_stats st;
    char msg[4096];
    setup_limited();
    fail_next_hvc = 1;
    int rc = replay_text(&limited, trace_with_vmm_and_state, &st, msg, sizeof(msg));
    ck_assert_msg(rc == SIM_EXIT_FINDING, "exit %d: %s", rc, msg);
    ck_assert_ptr_nonnull(strstr(msg, ":4: finding: limited failed"));
}
END_TEST

START_TEST(test_executor_reports_unavailable_as_a_result_kind)
{
    sim_target t;
    char err[256];
    sdei_config cfg = sdei_config_default(2);
    sim_action a;
    sim_result r;
    setup_limited();
    ck_assert_int_eq(sim_target_init_impl(&t, &limited, &cfg, err, sizeof(err)), 0);
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_VMM;
    a.vcpu = SDEI_VMM_VM;
    a.vmm_cmd = SDEI_CMD_GET_VERSION;
    ck_assert_int_eq(sim_exec(&t, &a, &r, err, sizeof(err)), 0);
    ck_assert_int_eq(r.kind, SIM_R_UNAVAILABLE);
    ck_assert_str_eq(sim_res_kind_name(r.kind), "unavailable");
    ck_assert_uint_eq(t.unavailable, 1);
    /* it is the model underneath: the model-only tools still find it */
    ck_assert_ptr_nonnull(sim_target_model(&t));
    sim_target_fini(&t);
}
END_TEST

/* A migration through the VMM's commands on the model in a profile that has
 * none (v6, v7, absent) is "not available", as the kernel targets answer it;
 * under kvm-v5 it moves the VM. */
START_TEST(test_vmm_migration_without_the_commands_is_unavailable)
{
    static const struct {
        int profile, kind;
    } cases[] = {{SDEI_PROFILE_KVM_V7, SIM_R_UNAVAILABLE},
                 {SDEI_PROFILE_KVM_V6, SIM_R_UNAVAILABLE},
                 {SDEI_PROFILE_ABSENT, SIM_R_UNAVAILABLE},
                 {SDEI_PROFILE_KVM_V5, SIM_R_OK}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sim_target t;
        char err[256];
        sdei_config cfg = sdei_config_default(2);
        cfg.profile = (uint8_t)cases[i].profile;
        sim_action a;
        sim_result r;
        ck_assert_int_eq(sim_target_init(&t, &cfg, err, sizeof(err)), 0);
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_MIGRATE;
        a.via_vmm = 1;
        ck_assert_int_eq(sim_exec(&t, &a, &r, err, sizeof(err)), 0);
        ck_assert_msg(r.kind == cases[i].kind, "profile %d: result %s", cases[i].profile,
                      sim_res_kind_name(r.kind));
        ck_assert_uint_eq(t.migrations, cases[i].kind == SIM_R_OK);
        sim_target_fini(&t);
    }
}
END_TEST

START_TEST(test_implementations_are_found_by_name)
{
    ck_assert_ptr_eq(sim_impl_by_name("model"), &sim_impl_model);
    ck_assert_ptr_null(sim_impl_by_name("no-such-target"));
    ck_assert_str_eq(sim_impl_model.name, "model");
}
END_TEST

/* --explain (DESIGN §7): the quirk whose switch makes a divergent trace pass. */
static int explain_text(const char *text, char *msg, size_t cap)
{
    char path[32];
    write_trace(text, path);
    FILE *out = tmpfile();
    int n = sim_replay_explain(path, out);
    read_back(out, msg, cap);
    remove(path);
    return n;
}

START_TEST(test_explain_names_the_quirk_that_makes_a_divergence_pass)
{
    char msg[2048];
    /* v5's VERSION under the spec profile: version_vendor_kvm, switched on. */
    int n = explain_text("sdei-trace 1 profile=spec vcpus=1\n> hvc 0 VERSION\n"
                         "< x0=0x00010001004B564D\n",
                         msg, sizeof(msg));
    ck_assert_msg(n == 1, "%d: %s", n, msg);
    ck_assert_ptr_nonnull(strstr(msg, "explained: passes on the model with quirk "
                                      "version_vendor_kvm switched"));
    /* The same line under kvm-v5 with the quirk off: switching it back explains it. */
    n = explain_text("sdei-trace 1 profile=kvm-v5 vcpus=1 quirks=-version_vendor_kvm\n"
                     "> hvc 0 VERSION\n< x0=0x00010001004B564D\n",
                     msg, sizeof(msg));
    ck_assert_msg(n == 1 && strstr(msg, "version_vendor_kvm") != NULL, "%d: %s", n, msg);
    /* No quirk makes VERSION return 42. */
    n = explain_text("sdei-trace 1 profile=spec vcpus=1\n> hvc 0 VERSION\n< x0=42\n", msg,
                     sizeof(msg));
    ck_assert_int_eq(n, 0);
    ck_assert_ptr_nonnull(strstr(msg, "unexplained: no quirk switched on or off"));
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_unavailable_action_and_unobservable_check_are_counted_not_passed,
        test_observable_checks_still_diverge_on_a_limited_implementation,
        test_implementation_failure_is_a_finding_with_its_line,
        test_executor_reports_unavailable_as_a_result_kind,
        test_vmm_migration_without_the_commands_is_unavailable,
        test_implementations_are_found_by_name,
        test_explain_names_the_quirk_that_makes_a_divergence_pass,
    };
    return t_run_tests("impl", tests, T_COUNT(tests));
}
