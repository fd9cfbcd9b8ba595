/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cli.c - the sdei-sim command line end to end (docs/simulator.md,
 * "Command line"): every subcommand's --help, usage errors (a usage line and
 * exit 3), run's summaries (text, --json), a recorded trace that replays,
 * blob decode|diff|lint on raw blobs of each kind and on whole-VM saves (sane,
 * corrupted, truncated), and I/O errors (exit 4). Every run must exit: a signal
 * is a failure. Cases that are a command and what it prints are golden files
 * in tests/cli/ (table, --require-all, ...): a new one is one file.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_helpers.h"
#include "replay.h"
#include "sdei/sdei_blob.h"
#include "testlib.h"

/* ---------------------------------------------------------------------------
 * Help and usage.
 * ------------------------------------------------------------------------- */
START_TEST(test_help_of_every_command_goes_to_stdout_with_exit_0)
{
    static const struct {
        const char *args, *first;
    } rows[] = {
        {"help", "usage: sdei-sim COMMAND [OPTIONS]\n"},
        {"--help", "usage: sdei-sim COMMAND [OPTIONS]\n"},
        {"-h", "usage: sdei-sim COMMAND [OPTIONS]\n"},
        {"run --help", "usage: sdei-sim run [OPTION]...\n"},
        {"run --seed=1 -h", "usage: sdei-sim run [OPTION]...\n"},
        {"replay --help",
         "usage: sdei-sim replay [--quiet] [--stats] [--strict] [--explain] FILE..."},
        {"replay --quiet -h",
         "usage: sdei-sim replay [--quiet] [--stats] [--strict] [--explain] FILE..."},
        {"blob --help", "usage: sdei-sim blob decode [--kind=K] FILE\n"},
        {"blob -h", "usage: sdei-sim blob decode [--kind=K] FILE\n"},
        {"blob decode --help", "usage: sdei-sim blob decode [--kind=K] FILE\n"},
        {"table --help", "usage: sdei-sim table [--dot]\n"},
        {"table -h", "usage: sdei-sim table [--dot]\n"},
        {"--version", "sdei-sim " SDEI_SIM_VERSION "\n"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        cli_result r = cli_run(rows[i].args);
        /* (stderr may carry a coverage runtime's notes, never the usage) */
        ck_assert_msg(r.rc == 0 && strncmp(r.out, rows[i].first, strlen(rows[i].first)) == 0 &&
                          strstr(r.err, "usage") == NULL,
                      "sdei-sim %s: exit %d\n%s\n%s", rows[i].args, r.rc, r.out, r.err);
        cli_free(&r);
    }
}
END_TEST

/* Usage errors (GNU style): "sdei-sim: WHAT" and "Try 'sdei-sim CMD --help'."
 * on stderr, nothing else, exit 3. */
static const struct {
    const char *args, *what, *cmd;
} usage_rows[] = {
    {"", "sdei-sim: expected a command (run, replay, blob, table)\n", ""},
    {"frobnicate", "sdei-sim: unknown command 'frobnicate'\n", ""},
    {"--frob", "sdei-sim: unknown option '--frob'\n", ""},
    {"run --bogus", "sdei-sim: run: unknown option '--bogus'\n", "run "},
    {"run --bogus=3", "sdei-sim: run: unknown option '--bogus'\n", "run "},
    {"run -x", "sdei-sim: run: unknown option '-x'\n", "run "},
    {"run --seed", "sdei-sim: run: option '--seed' needs a value\n", "run "},
    {"run --s=1", "sdei-sim: run: option '--s' is ambiguous\n", "run "},
    {"run --json=yes", "sdei-sim: run: option '--json' takes no value\n", "run "},
    {"run extra", "sdei-sim: run: unexpected argument 'extra'\n", "run "},
    {"run --seed=0xg", "sdei-sim: --seed: expected a number, got '0xg'\n", "run "},
    {"run --seed -1", "sdei-sim: --seed: expected a number, got '-1'\n", "run "},
    {"run --vcpus=0", "sdei-sim: --vcpus: expected 1..512, got '0'\n", "run "},
    {"run --vcpus 513", "sdei-sim: --vcpus: expected 1..512, got '513'\n", "run "},
    {"run --vcpus=", "sdei-sim: --vcpus: expected 1..512, got ''\n", "run "},
    {"run --steps=many", "sdei-sim: --steps: expected a number, got 'many'\n", "run "},
    {"run --profile=tf-a",
     "sdei-sim: --profile: expected spec, kvm-v5, absent, tfa, kvm-v7 or kvm-v6, got 'tf-a'\n",
     "run "},
    {"run --migrate-every=often", "sdei-sim: --migrate-every: expected a number, got 'often'\n",
     "run "},
    {"run --migrate-every=0x100000000",
     "sdei-sim: --migrate-every: expected a number, got '0x100000000'\n", "run "},
    {"run --blob-every=x", "sdei-sim: --blob-every: expected a number, got 'x'\n", "run "},
    {"run --blob-every=4294967296", "sdei-sim: --blob-every: expected a number, got '4294967296'\n",
     "run "},
    {"run --hostile=1001", "sdei-sim: --hostile: expected 0..1000, got '1001'\n", "run "},
    {"run --hostile=x", "sdei-sim: --hostile: expected 0..1000, got 'x'\n", "run "},
    {"run --quirks=+bogus",
     "sdei-sim: --quirks: unknown quirk 'bogus' (valid: features_fid_0x50, version_vendor_kvm, ",
     "run "},
    {"run --quirks=no_bind", "sdei-sim: --quirks: expected +name or -name, got 'no_bind'\n",
     "run "},
    {"replay", "sdei-sim: replay: expected at least one FILE\n", "replay "},
    {"replay --quiet", "sdei-sim: replay: expected at least one FILE\n", "replay "},
    {"replay --fast x.trace", "sdei-sim: replay: unknown option '--fast'\n", "replay "},
    {"blob", "sdei-sim: blob: expected decode, diff or lint\n", "blob "},
    {"blob frob x", "sdei-sim: blob: expected decode, diff or lint, got 'frob'\n", "blob "},
    {"blob decode", "sdei-sim: blob decode: expected one file, got 0 file(s)\n", "blob "},
    {"blob diff a", "sdei-sim: blob diff: expected two files, got 1 file(s)\n", "blob "},
    {"blob lint a b", "sdei-sim: blob lint: expected one file, got 2 file(s)\n", "blob "},
    {"blob decode a b c", "sdei-sim: blob decode: expected one file, got 3 file(s)\n", "blob "},
    {"blob decode --kind=vcpu a",
     "sdei-sim: --kind: expected exposed, registered, vcpu_event or vcpu_state, got 'vcpu'\n",
     "blob "},
    {"blob lint --vcpus=0 a", "sdei-sim: --vcpus: expected 1..512, got '0'\n", "blob "},
    {"blob lint --vcpus x a", "sdei-sim: --vcpus: expected 1..512, got 'x'\n", "blob "},
    {"blob decode --raw a", "sdei-sim: blob: unknown option '--raw'\n", "blob "},
    {"table --svg", "sdei-sim: table: unknown option '--svg'\n", "table "},
    {"table --dot=1", "sdei-sim: table: option '--dot' takes no value\n", "table "},
    {"table x", "sdei-sim: table: unexpected argument 'x'\n", "table "},
};

START_TEST(test_usage_errors_print_what_and_a_try_line_with_exit_3)
{
    cli_result r = cli_run(usage_rows[_i].args);
    char try_line[128];
    snprintf(try_line, sizeof(try_line), "\nTry 'sdei-sim %s--help'.\n", usage_rows[_i].cmd);
    const char *nl = strchr(r.err, '\n');
    /* exactly two lines: what, then the Try line; never the whole usage */
    ck_assert_msg(r.rc == SIM_EXIT_BAD_INPUT &&
                      strncmp(r.err, usage_rows[_i].what, strlen(usage_rows[_i].what)) == 0 &&
                      nl != NULL && strcmp(nl, try_line) == 0 && strstr(r.err, "usage") == NULL &&
                      r.out[0] == '\0',
                  "sdei-sim %s: exit %d\n-- stdout:\n%s\n-- stderr:\n%s", usage_rows[_i].args, r.rc,
                  r.out, r.err);
    cli_free(&r);
}
END_TEST

/* ---------------------------------------------------------------------------
 * run
 * ------------------------------------------------------------------------- */
/* The value of "key": in a one-line JSON object, as text up to , or }. */
static void json_field(const char *json, const char *key, char *out, size_t n)
{
    char k[64];
    snprintf(k, sizeof(k), "\"%s\":", key);
    const char *p = strstr(json, k);
    ck_assert_msg(p != NULL, "no %s in %s", key, json);
    p += strlen(k);
    size_t i = 0;
    while (p[i] != ',' && p[i] != '}' && p[i] != '\0' && i + 1 < n) {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

START_TEST(test_run_json_is_one_object_with_the_options_and_counters)
{
    cli_result r = cli_run("run --seed=42 --vcpus=3 --steps=2000 --profile=kvm-v5 --json --hash "
                           "--migrate-every=97 --blob-every=500 --hostile=1000");
    char v[128];
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_int_eq(r.out[0], '{');
    ck_assert_ptr_eq(strchr(r.out, '\n'), r.out + strlen(r.out) - 1);
    json_field(r.out, "seed", v, sizeof(v));
    ck_assert_str_eq(v, "\"0x2a\"");
    json_field(r.out, "vcpus", v, sizeof(v));
    ck_assert_str_eq(v, "3");
    json_field(r.out, "profile", v, sizeof(v));
    ck_assert_str_eq(v, "\"kvm-v5\"");
    json_field(r.out, "steps", v, sizeof(v));
    ck_assert_str_eq(v, "2000");
    json_field(r.out, "exit_code", v, sizeof(v));
    ck_assert_str_eq(v, "0");
    json_field(r.out, "failed_invariant", v, sizeof(v));
    ck_assert_str_eq(v, "null");
    json_field(r.out, "trace_hash", v, sizeof(v));
    ck_assert_uint_eq(strlen(v), 18);
    json_field(r.out, "hostile_call", v, sizeof(v));
    ck_assert_uint_gt(strtoull(v, NULL, 10), 0);
    json_field(r.out, "hvcs", v, sizeof(v));
    ck_assert_uint_gt(strtoull(v, NULL, 10), 0);
    /* stderr: the seed and the replay command with every non-default option */
    ck_assert_ptr_nonnull(strstr(r.err, "seed 0x2a\n"));
    ck_assert_ptr_nonnull(strstr(r.err, "REPLAY: sdei-sim run --seed=0x2a --vcpus=3 --steps=2000 "
                                        "--profile=kvm-v5 --migrate-every=97 --blob-every=500 "
                                        "--hostile=1000\n"));
    cli_free(&r);
}
END_TEST

START_TEST(test_run_text_summary_and_a_drawn_seed)
{
    /* No --seed: one is drawn and printed; zero steps keep the run the same. */
    cli_result r = cli_run("run --steps=0 --vcpus=1 --quiet");
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "seed 0x"));
    ck_assert_ptr_nonnull(strstr(r.err, "REPLAY: sdei-sim run --seed=0x"));
    ck_assert_ptr_nonnull(strstr(r.out, "== sdei-sim summary\n"));
    ck_assert_ptr_nonnull(strstr(r.out, ", 1 vCPUs, profile spec\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "| sometimes target | count |\n| --- | ---: |\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "| hostile_call | 0 (never) |\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\nresult: ok\n"));
    ck_assert_ptr_null(strstr(r.out, "trace "));
    cli_free(&r);
    r = cli_run("run --seed=5 --steps=3000 --vcpus=2 --hash");
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "steps 3000 in "));
    ck_assert_ptr_nonnull(strstr(r.out, " bytes, hash "));
    cli_free(&r);
}
END_TEST

START_TEST(test_run_trace_out_replays_and_bad_output_paths_are_io_errors)
{
    char trace[512], args[2048];
    cli_path(trace, sizeof(trace), "run.trace");
    snprintf(args, sizeof(args),
             "run --seed=11 --vcpus=3 --steps=4000 --migrate-every=50 --quiet --trace-out='%s'",
             trace);
    cli_expect(args, 0, 1, "result: ok");
    size_t len = 0;
    char *text = cli_slurp(trace, &len);
    ck_assert_msg(strncmp(text, "sdei-trace 1 profile=spec vcpus=3 seed=0xb\n", 43) == 0, "%.80s",
                  text);
    ck_assert_ptr_nonnull(strstr(text, "\n> migrate\n< ok\n"));
    free(text);
    snprintf(args, sizeof(args), "replay '%s'", trace);
    cli_expect(args, 0, 1, "run.trace: ok (");
    /* I/O: a trace or save that cannot be written */
    cli_expect("run --seed=1 --steps=10 --quiet --trace-out=/nonexistent/dir/t.trace", SIM_EXIT_IO,
               0, "sdei-sim: cannot write /nonexistent/dir/t.trace: No such file or directory\n");
    cli_expect("run --seed=1 --steps=10 --quiet --save-out=/nonexistent/dir/t.save", SIM_EXIT_IO, 0,
               "sdei-sim: cannot write /nonexistent/dir/t.save: No such file or directory\n");
}
END_TEST

/* GNU conventions: "--opt value" is "--opt=value"; the replay line is the same. */
START_TEST(test_run_options_take_their_value_after_a_space_or_an_equals_sign)
{
    cli_result a = cli_run("run --seed 7 --vcpus 2 --steps 300 --hostile 0 --quiet --json");
    cli_result b = cli_run("run --seed=7 --vcpus=2 --steps=300 --hostile=0 --quiet --json");
    ck_assert_msg(a.rc == 0 && b.rc == 0, "%s\n%s", a.err, b.err);
    ck_assert_ptr_nonnull(strstr(a.err, "REPLAY: sdei-sim run --seed=0x7 --vcpus=2 --steps=300 "
                                        "--profile=spec --hostile=0\n"));
    ck_assert_str_eq(a.err, b.err);
    cli_free(&a);
    cli_free(&b);
}
END_TEST

/* The trace's provenance comment, the REPLAY line and --json come from one
 * serialiser: every option that changes the run is in all three. */
START_TEST(test_run_provenance_replay_and_json_name_every_option)
{
    char trace[512], args[2048];
    const char *opts = "--seed=9 --vcpus=2 --steps=400 --profile=kvm-v5 --hostile=0 "
                       "--migrate-every=33 --blob-every=0 --quirks=-no_bind,+counted_signal";
    const char *line = "--seed=0x9 --vcpus=2 --steps=400 --profile=kvm-v5 --migrate-every=33 "
                       "--blob-every=0 --hostile=0 --quirks=";
    cli_path(trace, sizeof(trace), "prov.trace");
    snprintf(args, sizeof(args), "run %s --quiet --json --trace-out='%s'", opts, trace);
    cli_result r = cli_run(args);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    char *text = cli_slurp(trace, NULL);
    char want[512];
    snprintf(want, sizeof(want), "\n# sdei-sim run %s", line);
    ck_assert_msg(strstr(text, want) != NULL, "%.300s", text);
    snprintf(want, sizeof(want), "REPLAY: sdei-sim run %s", line);
    ck_assert_msg(strstr(r.err, want) != NULL, "%s", r.err);
    snprintf(want, sizeof(want), "\"replay\":\"sdei-sim run %s", line);
    ck_assert_msg(strstr(r.out, want) != NULL, "%s", r.out);
    /* the quirk set in force: kvm-v5's without no_bind, plus counted_signal */
    ck_assert_ptr_nonnull(strstr(r.out, "\"quirks\":[\"features_fid_0x50\",\"version_vendor_kvm\","
                                        "\"counted_signal\","));
    ck_assert_ptr_nonnull(strstr(r.out, "\"failure\":null,\"failed_step\":null"));
    free(text);
    cli_free(&r);
}
END_TEST

/* --json of a failed invariant: the message, the failing step, the replay. */
START_TEST(test_run_json_of_a_failed_invariant_says_what_where_and_how_to_replay)
{
    cli_result r = cli_run("run --seed=1 --vcpus=2 --steps=20000 --profile=kvm-v5 "
                           "--strict-invariants --quiet --json");
    char v[256];
    ck_assert_int_eq(r.rc, SIM_EXIT_INVARIANT);
    json_field(r.out, "failed_step", v, sizeof(v));
    uint64_t step = strtoull(v, NULL, 10);
    ck_assert_uint_lt(step, 20000);
    json_field(r.out, "failure", v, sizeof(v));
    ck_assert_msg(strncmp(v, "\"handler_entry_state: ", 22) == 0, "%s", v);
    char want[256];
    snprintf(want, sizeof(want),
             "\"replay\":\"sdei-sim run --seed=0x1 --vcpus=2 --steps=%" PRIu64
             " --profile=kvm-v5 --strict-invariants\"",
             step + 1);
    ck_assert_msg(strstr(r.out, want) != NULL, "%s", r.out);
    cli_free(&r);
}
END_TEST

/* replay --trace-out records each action with what the implementation
 * returned; the recording replays; --target picks the implementation. */
START_TEST(test_replay_records_and_picks_its_target)
{
    char in[512], rec[512], args[2048];
    cli_path(in, sizeof(in), "absent_in.trace");
    cli_path(rec, sizeof(rec), "absent_rec.trace");
    cli_write_text(in, "sdei-trace 1 profile=absent vcpus=2\n"
                       "> setreg 1 pc=0x8000 pstate=0x3c5\n"
                       "> hvc 1 VERSION\n"
                       "# no result line: the recording says what came back\n"
                       "> hvc 0 0x84000020 1 2\n"
                       "= vcpu 0 masked=1\n"
                       "> deliver 1\n");
    snprintf(args, sizeof(args), "replay --trace-out='%s' '%s'", rec, in);
    cli_expect(args, 0, 1, "absent_in.trace: ok (");
    size_t len = 0;
    char *text = cli_slurp(rec, &len);
    ck_assert_msg(strstr(text, "sdei-trace 1 profile=absent vcpus=2") != NULL &&
                      strstr(text, "> hvc 1 VERSION\n< ret x0=NOT_SUPPORTED x1=0 x2=0 x3=0 "
                                   "pc=0x8000 pstate=0x3c5\n") != NULL &&
                      strstr(text, "< notsdei x0=NOT_SUPPORTED") != NULL &&
                      strstr(text, "> deliver 1\n< none\n") != NULL &&
                      strstr(text, "= vcpu") == NULL,
                  "%s", text);
    free(text);
    snprintf(args, sizeof(args), "replay '%s'", rec);
    cli_expect(args, 0, 1, "absent_rec.trace: ok (");
    snprintf(args, sizeof(args), "replay --target=model --quiet '%s'", rec);
    cli_expect(args, 0, 0, NULL);
    snprintf(args, sizeof(args), "replay --target=nosuch '%s'", rec);
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "--target: expected model, kvm or kernel");
    snprintf(args, sizeof(args), "replay --trace-out=/nonexistent/dir/r.trace '%s'", in);
    cli_expect(args, SIM_EXIT_IO, 0, "sdei-sim: cannot write /nonexistent/dir/r.trace");
#ifndef SIM_HAVE_KVM_TARGET
    /* not arm64: one line and its own exit code (README), never a fake run */
    snprintf(args, sizeof(args), "replay --target=kvm '%s'", rec);
    cli_expect(args, 10, 0, "sdei-sim: --target=kvm: this build has no kvm target");
#endif
}
END_TEST

/* ---------------------------------------------------------------------------
 * blob: raw blob files written with the model's codec.
 * ------------------------------------------------------------------------- */
static const char *write_blobs(const char *name, const void *data, size_t n)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ & 3];
    cli_path(p, 512, name);
    cli_write(p, data, n);
    return p;
}

static void exposed_pair(uint8_t *out, int dirty)
{
    sdei_blob_exposed e;
    memset(&e, 0, sizeof(e));
    e.num = 0x400001;
    ck_assert_int_eq(sdei_blob_exposed_encode(&e, out, SDEI_BLOB_EXPOSED_SIZE), SDEI_OK);
    e.num = 0x400004;
    e.type = SDEI_EVENT_TYPE_SHARED;
    e.priority = SDEI_EVENT_PRIORITY_CRITICAL;
    if (dirty) {
        e.notifier = UINT64_C(0xffff800010203040);
        e.padding[1] = 1;
    }
    ck_assert_int_eq(
        sdei_blob_exposed_encode(&e, out + SDEI_BLOB_EXPOSED_SIZE, SDEI_BLOB_EXPOSED_SIZE),
        SDEI_OK);
}

START_TEST(test_blob_decode_of_raw_blobs_of_each_kind)
{
    static uint8_t reg_buf[SDEI_BLOB_REGISTERED_SIZE];
    static sdei_blob_registered reg;
    uint8_t ex[2 * SDEI_BLOB_EXPOSED_SIZE], vs[SDEI_BLOB_VCPU_STATE_SIZE];
    uint8_t ve[SDEI_BLOB_VCPU_EVENT_SIZE];
    char args[2048];
    cli_result r;

    exposed_pair(ex, 0);
    /* 48 bytes are two exposed or three vcpu_event entries: no guess */
    snprintf(args, sizeof(args), "blob decode '%s'", write_blobs("ex.bin", ex, sizeof(ex)));
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0,
               "ex.bin: 48 bytes fits several kinds (exposed, vcpu_event): use --kind=\n");
    snprintf(args, sizeof(args), "blob decode --kind exposed '%s'",
             write_blobs("ex.bin", ex, sizeof(ex)));
    r = cli_run(args);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_str_eq(r.out, "exposed[0]: num=0x400001 type=0x0 signaled=0x0 priority=0x0 "
                            "padding=0000000000 notifier=0x0\n"
                            "exposed[1]: num=0x400004 type=0x1 signaled=0x0 priority=0x1 "
                            "padding=0000000000 notifier=0x0\n");
    cli_free(&r);
    /* 48 bytes are also three vcpu_event entries */
    snprintf(args, sizeof(args), "blob decode --kind=vcpu_event '%s'",
             write_blobs("ex.bin", ex, sizeof(ex)));
    cli_expect(args, 0, 1, "vcpu_event[1]: num=0x0 event_count=0x400004 padding=0x0\n");

    memset(&reg, 0, sizeof(reg));
    reg.num = 0x400003;
    reg.route_affinity = 0x80000001;
    reg.ep_address[1] = 0x1000;
    reg.ep_address[5] = 0x5000;
    reg.registered[0] = 0x22;
    ck_assert_int_eq(sdei_blob_registered_encode(&reg, reg_buf, sizeof(reg_buf)), SDEI_OK);
    snprintf(args, sizeof(args), "blob decode '%s'",
             write_blobs("reg.bin", reg_buf, sizeof(reg_buf)));
    r = cli_run(args);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    /* the only kind that fits: decoded as such, and said so */
    ck_assert_ptr_nonnull(strstr(r.err, "reg.bin: 8408 bytes, decoded as 1 registered entries"));
    ck_assert_ptr_nonnull(strstr(r.out, "registered[0]: num=0x400003 route_mode=0x0 "
                                        "padding=000000 hole12=00000000 "
                                        "route_affinity=0x80000001 ep_address.1=0x1000 "
                                        "ep_address.5=0x5000 ep_arg=0 registered.0=0x22 "
                                        "enabled=0 unregister_pending=0\n"));
    cli_free(&r);

    sdei_blob_vcpu_state st;
    memset(&st, 0, sizeof(st));
    st.masked = 1;
    st.critical_num = SDEI_INVALID_EVENT;
    st.normal_num = 0x400001;
    st.normal_regs.regs[17] = 0x17;
    st.normal_regs.pc = 0x8000;
    ck_assert_int_eq(sdei_blob_vcpu_state_encode(&st, vs, sizeof(vs)), SDEI_OK);
    snprintf(args, sizeof(args), "blob decode '%s'", write_blobs("vs.bin", vs, sizeof(vs)));
    cli_expect(args, 0, 1,
               "vcpu_state[0]: masked=0x1 padding=00000000000000 critical_num=0xffffffff "
               "normal_num=0x400001 critical_regs.x=0 critical_regs.pc=0x0 "
               "critical_regs.pstate=0x0 normal_regs.x.17=0x17 normal_regs.pc=0x8000 "
               "normal_regs.pstate=0x0\n");

    sdei_blob_vcpu_event e;
    memset(&e, 0, sizeof(e));
    e.num = 0x400002;
    e.event_count = 3;
    ck_assert_int_eq(sdei_blob_vcpu_event_encode(&e, ve, sizeof(ve)), SDEI_OK);
    snprintf(args, sizeof(args), "blob decode '%s'", write_blobs("ve.bin", ve, sizeof(ve)));
    cli_expect(args, 0, 1, "vcpu_event[0]: num=0x400002 event_count=0x3 padding=0x0\n");

    /* Sizes that fit no kind, or not the one given. */
    snprintf(args, sizeof(args), "blob decode '%s'", write_blobs("odd.bin", ex, 10));
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0,
               "odd.bin: 10 bytes is not a whole number of entries of any kind");
    snprintf(args, sizeof(args), "blob decode --kind=vcpu_state '%s'",
             write_blobs("ex.bin", ex, sizeof(ex)));
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0,
               "ex.bin: 48 bytes is not a whole number of vcpu_state entries\n");
    snprintf(args, sizeof(args), "blob decode '%s'", write_blobs("empty.bin", ex, 0));
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "empty.bin: 0 bytes is not a whole number");
}
END_TEST

/* Random bytes are not a blob: fields with a closed set of values are
 * checked, and decode says which are out of range (exit 3). */
START_TEST(test_blob_decode_flags_fields_out_of_range)
{
    uint8_t ex[SDEI_BLOB_EXPOSED_SIZE];
    char args[2048];
    memset(ex, 0, sizeof(ex));
    ex[8] = 7;     /* type */
    ex[10] = 0xff; /* priority */
    snprintf(args, sizeof(args), "blob decode --kind=exposed '%s'",
             write_blobs("rnd.bin", ex, sizeof(ex)));
    cli_result r = cli_run(args);
    ck_assert_int_eq(r.rc, SIM_EXIT_BAD_INPUT);
    ck_assert_ptr_nonnull(strstr(r.out, "exposed[0].type (@8): 0x7 out of range (0..1)\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "exposed[0].priority (@10): 0xff out of range (0..1)\n"));
    ck_assert_ptr_nonnull(strstr(r.err, "rnd.bin: 2 field(s) out of range"));
    cli_free(&r);
}
END_TEST

START_TEST(test_blob_lint_of_raw_blobs_finds_byte_level_problems)
{
    static uint8_t reg_buf[SDEI_BLOB_REGISTERED_SIZE];
    static sdei_blob_registered reg;
    uint8_t ex[2 * SDEI_BLOB_EXPOSED_SIZE], vs[SDEI_BLOB_VCPU_STATE_SIZE];
    uint8_t ve[2 * SDEI_BLOB_VCPU_EVENT_SIZE];
    char args[2048];
    cli_result r;

    exposed_pair(ex, 0);
    snprintf(args, sizeof(args), "blob lint --kind=exposed '%s'",
             write_blobs("ex.bin", ex, sizeof(ex)));
    cli_expect(args, 0, 1, "ex.bin: 0 finding(s)\n");
    exposed_pair(ex, 1);
    snprintf(args, sizeof(args), "blob lint --kind=exposed '%s'",
             write_blobs("exd.bin", ex, sizeof(ex)));
    r = cli_run(args);
    ck_assert_int_eq(r.rc, CLI_EXIT_LINT);
    ck_assert_ptr_nonnull(strstr(r.out, "exd.bin: byte 40: exposed_event_state[1].notifier (@16): "
                                        "non-zero: a kernel function pointer exposed to "
                                        "userspace (kvm-v5 §5.4, §10 item 17)\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "exd.bin: byte 36: exposed_event_state[1].padding (@12): "
                                        "non-zero padding\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "exd.bin: 2 finding(s)\n"));
    cli_free(&r);

    memset(&reg, 0, sizeof(reg));
    reg.num = 0x400001;
    reg.padding[2] = 0xff;
    ck_assert_int_eq(sdei_blob_registered_encode(&reg, reg_buf, sizeof(reg_buf)), SDEI_OK);
    snprintf(args, sizeof(args), "blob lint --kind=registered '%s'",
             write_blobs("reg.bin", reg_buf, sizeof(reg_buf)));
    cli_expect(args, CLI_EXIT_LINT, 1,
               "reg.bin: byte 11: registered_event_state[0].padding (@11): non-zero padding\n");

    sdei_blob_vcpu_event e[2];
    memset(e, 0, sizeof(e));
    e[0].num = 0x400001;
    e[0].event_count = 1;
    e[1].num = 0x400002;
    e[1].padding = 7;
    ck_assert_int_eq(sdei_blob_vcpu_event_encode(&e[0], ve, SDEI_BLOB_VCPU_EVENT_SIZE), SDEI_OK);
    ck_assert_int_eq(sdei_blob_vcpu_event_encode(&e[1], ve + SDEI_BLOB_VCPU_EVENT_SIZE,
                                                 SDEI_BLOB_VCPU_EVENT_SIZE),
                     SDEI_OK);
    snprintf(args, sizeof(args), "blob lint --kind=vcpu_event '%s'",
             write_blobs("ve.bin", ve, sizeof(ve)));
    r = cli_run(args);
    ck_assert_int_eq(r.rc, CLI_EXIT_LINT);
    ck_assert_ptr_nonnull(strstr(r.out, "ve.bin: byte 24: vcpu_event_state[1].event_count (@8): 0: "
                                        "an instance with nothing to deliver"));
    ck_assert_ptr_nonnull(strstr(r.out, "ve.bin: byte 28: vcpu_event_state[1].padding (@12): "
                                        "non-zero padding\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "ve.bin: 2 finding(s)\n"));
    cli_free(&r);

    sdei_blob_vcpu_state st;
    memset(&st, 0, sizeof(st));
    st.padding[6] = 1;
    ck_assert_int_eq(sdei_blob_vcpu_state_encode(&st, vs, sizeof(vs)), SDEI_OK);
    snprintf(args, sizeof(args), "blob lint '%s'", write_blobs("vs.bin", vs, sizeof(vs)));
    cli_expect(args, CLI_EXIT_LINT, 1,
               "vs.bin: byte 7: vcpu_state[0].padding (@7): non-zero padding\n");
    snprintf(args, sizeof(args), "blob lint '%s'", write_blobs("odd.bin", vs, 7));
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "7 bytes is not a whole number of entries");
}
END_TEST

/* Raw blobs go through the model's lint (sdei_lint_blobs): what it finds,
 * blob lint finds, under the same names. */
START_TEST(test_blob_lint_of_raw_blobs_is_the_models_lint)
{
    static uint8_t buf[SDEI_BLOB_REGISTERED_SIZE];
    static sdei_blob_registered reg;
    char args[2048];
    memset(&reg, 0, sizeof(reg));
    reg.num = 0x400001;
    reg.enabled[0] = 1; /* enabled on vCPU 0, not registered there */
    ck_assert_int_eq(sdei_blob_registered_encode(&reg, buf, sizeof(buf)), SDEI_OK);
    sdei_lint_finding f[8];
    sdei_lint_input in = {.nr_vcpus = 4, .registered = buf, .nr_registered = 1};
    ck_assert_uint_eq(sdei_lint_blobs(&in, f, 8), 1);
    snprintf(args, sizeof(args), "blob lint --vcpus=4 '%s'",
             write_blobs("en.bin", buf, sizeof(buf)));
    cli_result r = cli_run(args);
    ck_assert_int_eq(r.rc, CLI_EXIT_LINT);
    ck_assert_ptr_nonnull(strstr(r.out, "en.bin: byte 8280: registered_event_state[0].enabled "
                                        "(@8280): enabled without registered"));
    ck_assert_ptr_nonnull(strstr(r.out, "en.bin: 1 finding(s)\n"));
    cli_free(&r);
    /* the compiler hole at 12..15 is the hole, not padding */
    reg.enabled[0] = 0;
    reg.hole[1] = 0x5a;
    ck_assert_int_eq(sdei_blob_registered_encode(&reg, buf, sizeof(buf)), SDEI_OK);
    snprintf(args, sizeof(args), "blob lint '%s'", write_blobs("hole.bin", buf, sizeof(buf)));
    r = cli_run(args);
    ck_assert_int_eq(r.rc, CLI_EXIT_LINT);
    ck_assert_ptr_nonnull(strstr(r.out, "hole.bin: byte 13: registered_event_state[0].hole (@13): "
                                        "non-zero bytes in the compiler hole at 12..15\n"));
    ck_assert_ptr_null(strstr(r.out, "padding"));
    cli_free(&r);
}
END_TEST

START_TEST(test_blob_diff_of_raw_blobs_goes_field_by_field)
{
    uint8_t a[2 * SDEI_BLOB_EXPOSED_SIZE], b[2 * SDEI_BLOB_EXPOSED_SIZE];
    char args[2048];
    exposed_pair(a, 0);
    exposed_pair(b, 1);
    const char *pa = write_blobs("a.bin", a, sizeof(a));
    const char *pb = write_blobs("b.bin", b, sizeof(b));
    snprintf(args, sizeof(args), "blob diff --kind=exposed '%s' '%s'", pa, pa);
    cli_expect(args, 0, 1, "0 field(s) differ\n");
    snprintf(args, sizeof(args), "blob diff --kind=exposed '%s' '%s'", pa, pb);
    cli_result r = cli_run(args);
    ck_assert_int_eq(r.rc, SIM_EXIT_DIVERGENCE);
    ck_assert_str_eq(r.out, "exposed[1]:\n"
                            "  padding (@11): expected 0000000000, actual 0001000000\n"
                            "  notifier (@16): expected 0x0, actual 0xffff800010203040\n"
                            "2 field(s) differ\n");
    cli_free(&r);
    const char *pc = write_blobs("c.bin", a, SDEI_BLOB_EXPOSED_SIZE);
    snprintf(args, sizeof(args), "blob diff --kind=exposed '%s' '%s'", pa, pc);
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "blob diff: sizes differ (48 vs 24 bytes)\n");
    const char *pd = write_blobs("d.bin", a, 5);
    snprintf(args, sizeof(args), "blob diff '%s' '%s'", pd, pa);
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "d.bin: 5 bytes is not a whole number");
}
END_TEST

START_TEST(test_blob_io_errors_and_oversized_files)
{
    char args[2048], big[512];
    const char *pa = write_blobs("a.bin", "0123456789abcdef", 16);
    cli_expect("blob decode /nonexistent/a.bin", SIM_EXIT_IO, 0,
               "/nonexistent/a.bin: cannot open: No such file or directory\n");
    snprintf(args, sizeof(args), "blob diff '%s' /nonexistent/b.bin", pa);
    cli_expect(args, SIM_EXIT_IO, 0, "/nonexistent/b.bin: cannot open: ");
    snprintf(args, sizeof(args), "blob lint '%s'", cli_tmpdir());
    cli_expect(args, SIM_EXIT_IO, 0, ": cannot read: Is a directory\n");
    /* 64 MiB is the most a file may hold: exactly that is read (it used to be
     * refused as "larger"), one byte more is refused. Sparse files: no disk. */
    cli_path(big, sizeof(big), "big.bin");
    for (int extra = 0; extra < 2; extra++) {
        FILE *f = fopen(big, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fseek(f, 64L * 1024 * 1024 - 1 + extra, SEEK_SET), 0);
        ck_assert_int_ne(fputc(0, f), EOF);
        ck_assert_int_eq(fclose(f), 0);
        snprintf(args, sizeof(args), "blob diff '%s' '%s'", big, big);
        if (extra == 0) {
            cli_expect(args, 0, 1, "0 field(s) differ\n");
        } else {
            cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "big.bin: larger than 67108864 bytes\n");
        }
    }
    remove(big);
}
END_TEST

/* ---------------------------------------------------------------------------
 * blob: whole-VM saves from `run --save-out`.
 * ------------------------------------------------------------------------- */
static char *save_of(const char *name, const char *opts, size_t *len, char *path, size_t n)
{
    char args[2048];
    cli_path(path, n, name);
    snprintf(args, sizeof(args), "run %s --quiet --save-out='%s'", opts, path);
    cli_expect(args, 0, 1, "result: ok");
    return cli_slurp(path, len);
}

START_TEST(test_blob_commands_on_saves)
{
    char sa[512], sb[512], sc[512], args[2048];
    size_t na, nb, nc;
    char *a = save_of("a.save", "--seed=42 --vcpus=3 --steps=3000", &na, sa, sizeof(sa));
    char *b = save_of("b.save", "--seed=43 --vcpus=3 --steps=3000", &nb, sb, sizeof(sb));
    char *c = save_of("c.save", "--seed=43 --vcpus=2 --steps=100", &nc, sc, sizeof(sc));
    cli_result r;

    ck_assert_mem_eq(a, "SDEI", 4);
    snprintf(args, sizeof(args), "blob decode '%s'", sa);
    r = cli_run(args);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    char head[600];
    snprintf(head, sizeof(head), "%s: whole-VM save, %zu bytes, format 1, 3 vCPUs\n", sa, na);
    ck_assert_msg(strncmp(r.out, head, strlen(head)) == 0, "%.300s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "\nexposed[0] @32: num="));
    ck_assert_ptr_nonnull(strstr(r.out, "\nregistered[0] @"));
    ck_assert_ptr_nonnull(strstr(r.out, "\nvcpu 2 vcpu_state @"));
    cli_free(&r);

    snprintf(args, sizeof(args), "blob lint '%s'", sa);
    cli_expect(args, 0, 1, "a.save: 0 finding(s)\n");
    snprintf(args, sizeof(args), "blob lint --vcpus=3 '%s'", sa);
    cli_expect(args, 0, 1, "a.save: 0 finding(s)\n");

    snprintf(args, sizeof(args), "blob diff '%s' '%s'", sa, sa);
    cli_expect(args, 0, 1, "0 field(s) differ\n");
    snprintf(args, sizeof(args), "blob diff '%s' '%s'", sa, sb);
    r = cli_run(args);
    ck_assert_int_eq(r.rc, SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(r.out, " field(s) differ\n"));
    cli_free(&r);
    snprintf(args, sizeof(args), "blob diff '%s' '%s'", sa, sc);
    cli_expect(args, SIM_EXIT_DIVERGENCE, 1, "the saves hold different sets of blobs (");

    /* Same kernel blobs, different model records: the last REGS byte. */
    char *d = malloc(na);
    ck_assert_ptr_nonnull(d);
    memcpy(d, a, na);
    d[na - 1] ^= 0x40;
    const char *pd = write_blobs("d.save", d, na);
    snprintf(args, sizeof(args), "blob diff '%s' '%s'", sa, pd);
    cli_expect(args, SIM_EXIT_DIVERGENCE, 1,
               "the kernel blobs are equal; the model records (config, bindings, registers) "
               "differ\n1 field(s) differ\n");

    /* A kernel field changed: diff names it, lint finds it. */
    memcpy(d, a, na);
    d[32 + 11] = 1; /* exposed[0].padding */
    pd = write_blobs("e.save", d, na);
    snprintf(args, sizeof(args), "blob diff '%s' '%s'", sa, pd);
    cli_expect(args, SIM_EXIT_DIVERGENCE, 1,
               "exposed[0] @32:\n  padding (@11): expected 0000000000, actual 0100000000\n");
    snprintf(args, sizeof(args), "blob lint '%s'", pd);
    r = cli_run(args);
    ck_assert_int_eq(r.rc, CLI_EXIT_LINT);
    ck_assert_ptr_nonnull(strstr(r.out, ".padding (@11): "));
    ck_assert_ptr_null(strstr(r.out, ": 0 finding(s)"));
    cli_free(&r);

    /* Malformed saves: the model's parser says where (byte) and what. */
    static const struct {
        size_t at, len; /* change byte `at` (len: keep only len bytes) */
        uint8_t val;
        const char *name, *want;
    } bad[] = {
        {0, 5000, 0, "t.save", "t.save: byte 16: save_header.total_size: larger than the buffer"},
        {0, 20, 0, "h.save",
         "h.save: byte 20: save_header.header: buffer shorter than the "
         "32-byte header\n"},
        {0, 6, 0, "s.save", "s.save: byte 6: save_header.header: "},
        {4, 0, 3, "f3.save", "f3.save: byte 4: save_header.version: unknown format version"},
        {9, 0, 0x7f, "v.save", "v.save: byte 8: save_header.nr_vcpus: not 1..512\n"},
        {24, 0, 0xff, "n.save", "n.save: byte 24: save_header.nr_exposed: more than 128"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(d, a, na);
        d[bad[i].at] = bad[i].len != 0 ? a[bad[i].at] : (char)bad[i].val;
        const char *pt = write_blobs(bad[i].name, d, bad[i].len != 0 ? bad[i].len : na);
        for (int sub = 0; sub < 2; sub++) {
            snprintf(args, sizeof(args), "blob %s '%s'", sub ? "lint" : "decode", pt);
            r = cli_run(args);
            ck_assert_msg(r.rc == SIM_EXIT_BAD_INPUT && strstr(r.err, bad[i].want) != NULL &&
                              r.out[0] == '\0',
                          "%s: exit %d\n%s\n%s", args, r.rc, r.out, r.err);
            cli_free(&r);
        }
    }
    snprintf(args, sizeof(args), "blob diff '%s' '%s'", write_blobs("t.save", a, 5000), sa);
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "t.save: byte 16: ");
    /* A vCPU section claiming 255 events (past SDEI_MAX_EVENTS). */
    uint32_t ne, nr;
    memcpy(&ne, a + 24, 4);
    memcpy(&nr, a + 28, 4);
    size_t vsec = 32 + (size_t)ne * SDEI_BLOB_EXPOSED_SIZE + (size_t)nr * SDEI_BLOB_REGISTERED_SIZE;
    memcpy(d, a, na);
    d[vsec] = (char)0xff;
    snprintf(args, sizeof(args), "blob decode '%s'", write_blobs("q.save", d, na));
    char want[160];
    snprintf(want, sizeof(want), "q.save: byte %zu: vcpu 0 save_vcpu.nr_events: more than 128",
             vsec);
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, want);
    free(a);
    free(b);
    free(c);
    free(d);
}
END_TEST

/* ---------------------------------------------------------------------------
 * replay: --strict, every file, a summary, the worst exit code.
 * ------------------------------------------------------------------------- */
#define TRACE_HDR "sdei-trace 1 profile=spec vcpus=1\n> expose 0 private normal\n< ok\n"

START_TEST(test_replay_strict_wants_a_result_for_every_action)
{
    char t[512], args[1200];
    cli_path(t, sizeof(t), "noresult.trace");
    cli_write_text(t, TRACE_HDR "> hvc 0 SDEI_VERSION\n> hvc 0 PE_UNMASK\n");
    snprintf(args, sizeof(args), "replay '%s'", t);
    cli_expect(args, 0, 1, "noresult.trace: ok (5 lines, 3 actions, 1 results, 0 checks)\n");
    snprintf(args, sizeof(args), "replay --strict '%s'", t);
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0,
               "noresult.trace:4: expected a result line '< ...' for this action (--strict): "
               "> hvc 0 SDEI_VERSION\n");
    /* the last action too; setreg has no result and is fine */
    cli_write_text(t, TRACE_HDR "> setreg 0 pc=0x1000\n> hvc 0 SDEI_VERSION\n");
    cli_expect(args, SIM_EXIT_BAD_INPUT, 0, "noresult.trace:5: expected a result line");
}
END_TEST

START_TEST(test_replay_goes_over_every_file_and_ends_with_a_summary)
{
    char ok[512], div[512], args[2048];
    cli_path(ok, sizeof(ok), "good.trace");
    cli_path(div, sizeof(div), "diverges.trace");
    cli_write_text(ok, TRACE_HDR "> hvc 0 PE_UNMASK\n< x0=SUCCESS\n");
    cli_write_text(div, TRACE_HDR "> hvc 0 PE_UNMASK\n< x0=DENIED\n");
    snprintf(args, sizeof(args), "replay --strict '%s' '%s' /nonexistent/x.trace '%s'", div, ok,
             ok);
    cli_result r = cli_run(args);
    /* the worst code: I/O (4) beats divergence (1) */
    ck_assert_msg(r.rc == SIM_EXIT_IO, "exit %d\n%s\n%s", r.rc, r.out, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "diverges.trace:5: divergence"));
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/x.trace: cannot open: No such file"));
    ck_assert_ptr_nonnull(strstr(r.out, "good.trace: ok (5 lines"));
    ck_assert_ptr_null(strstr(r.err, ": ok ("));
    ck_assert_ptr_nonnull(strstr(r.out, "== replay summary: 4 file(s), 2 ok, 2 failed\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "diverges.trace: divergence (exit 1)\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "/nonexistent/x.trace: I/O error (exit 4)\n"));
    cli_free(&r);
    snprintf(args, sizeof(args), "replay --quiet '%s' '%s'", div, ok);
    r = cli_run(args);
    ck_assert_int_eq(r.rc, SIM_EXIT_DIVERGENCE);
    ck_assert_str_eq(r.out, "");
    cli_free(&r);
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("usage");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_help_of_every_command_goes_to_stdout_with_exit_0);
    tcase_add_loop_test(tc, test_usage_errors_print_what_and_a_try_line_with_exit_3, 0,
                        (int)(sizeof(usage_rows) / sizeof(usage_rows[0])));
    suite_add_tcase(s, tc);
    tc = tcase_create("run");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_run_json_is_one_object_with_the_options_and_counters);
    tcase_add_test(tc, test_run_text_summary_and_a_drawn_seed);
    tcase_add_test(tc, test_run_trace_out_replays_and_bad_output_paths_are_io_errors);
    tcase_add_test(tc, test_run_options_take_their_value_after_a_space_or_an_equals_sign);
    tcase_add_test(tc, test_run_provenance_replay_and_json_name_every_option);
    tcase_add_test(tc, test_run_json_of_a_failed_invariant_says_what_where_and_how_to_replay);
    tcase_add_test(tc, test_replay_records_and_picks_its_target);
    suite_add_tcase(s, tc);
    tc = tcase_create("blob");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_blob_decode_of_raw_blobs_of_each_kind);
    tcase_add_test(tc, test_blob_lint_of_raw_blobs_finds_byte_level_problems);
    tcase_add_test(tc, test_blob_lint_of_raw_blobs_is_the_models_lint);
    tcase_add_test(tc, test_blob_decode_flags_fields_out_of_range);
    tcase_add_test(tc, test_blob_diff_of_raw_blobs_goes_field_by_field);
    tcase_add_test(tc, test_blob_io_errors_and_oversized_files);
    tcase_add_test(tc, test_blob_commands_on_saves);
    suite_add_tcase(s, tc);
    tc = tcase_create("replay");
    tcase_add_test(tc, test_replay_strict_wants_a_result_for_every_action);
    tcase_add_test(tc, test_replay_goes_over_every_file_and_ends_with_a_summary);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run_suite(cli_suite());
}
