/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trace.c - the trace format (docs/trace-format.md): numbers, header,
 * action/result/check parsing, the writer/parser round trip, bad input that
 * must be reported (never crash), and the replayer's exit classes.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "names.h"
#include "replay.h"
#include "testlib.h"
#include "trace.h"

static uint8_t store[SIM_TRACE_MAX_DATA];
static sim_syms syms;

START_TEST(test_numbers_parse_decimal_hex_negative_and_reject_garbage)
{
    uint64_t v;
    ck_assert_int_eq(sim_parse_u64("42", 2, &v), 0);
    ck_assert_uint_eq(v, 42);
    ck_assert_int_eq(sim_parse_u64("0xC4000021", 10, &v), 0);
    ck_assert_uint_eq(v, UINT64_C(0xC4000021));
    ck_assert_int_eq(sim_parse_u64("-5", 2, &v), 0);
    ck_assert_uint_eq(v, UINT64_C(0xfffffffffffffffb));
    ck_assert_int_eq(sim_parse_u64("18446744073709551615", 20, &v), 0);
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert_int_eq(sim_parse_u64("18446744073709551616", 20, &v), -1);
    ck_assert_int_eq(sim_parse_u64("0x10000000000000000", 19, &v), -1);
    ck_assert_int_eq(sim_parse_u64("", 0, &v), -1);
    ck_assert_int_eq(sim_parse_u64("0x", 2, &v), -1);
    ck_assert_int_eq(sim_parse_u64("12a", 3, &v), -1);
    ck_assert_int_eq(sim_parse_u64("-0x5", 4, &v), -1);
    ck_assert_int_eq(sim_parse_value("DENIED", 6, &v), 0);
    ck_assert_uint_eq(v, (uint64_t)SDEI_DENIED);
    ck_assert_int_eq(sim_parse_value("none", 4, &v), 0);
    ck_assert_uint_eq(v, SDEI_INVALID_EVENT);
}
END_TEST

START_TEST(test_header_options_are_parsed_and_bad_ones_named)
{
    sim_header h;
    sim_parse_err e;
    ck_assert_int_eq(sim_parse_header("sdei-trace 1 profile=kvm-v5 vcpus=4 seed=0x10 bind=1/3 "
                                      "span=0 max-events=9",
                                      &h, &e),
                     0);
    ck_assert_int_eq(h.profile, SDEI_PROFILE_KVM_V5);
    ck_assert_uint_eq(h.vcpus, 4);
    ck_assert_uint_eq(h.seed, 0x10);
    ck_assert_uint_eq(h.private_bind_slots, 1);
    ck_assert_uint_eq(h.shared_bind_slots, 3);
    ck_assert_uint_eq(h.span, 0);
    ck_assert_uint_eq(h.max_events, 9);
    ck_assert_int_eq(sim_parse_header("sdei-trace 2 profile=spec vcpus=1", &h, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "version 1"));
    ck_assert_int_eq(sim_parse_header("sdei-trace 1 profile=tf-a vcpus=1", &h, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "profile="));
    ck_assert_int_eq(sim_parse_header("sdei-trace 1 profile=spec vcpus=513", &h, &e), -1);
    ck_assert_int_eq(sim_parse_header("sdei-trace 1 profile=spec", &h, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "vcpus"));
    ck_assert_int_eq(sim_parse_header("sdei-trace 1 profile=spec vcpus=1 colour=red", &h, &e), -1);
}
END_TEST

START_TEST(test_header_quirk_overrides_are_relative_to_the_profile)
{
    sim_header h;
    sim_parse_err e;
    ck_assert_int_eq(
        sim_parse_header("sdei-trace 1 profile=spec vcpus=1 quirks=+resume_ignored", &h, &e), 0);
    ck_assert_uint_eq(h.quirks_override, 1);
    ck_assert_uint_eq(h.quirks, SDEI_QUIRK_BIT(RESUME_IGNORED));
    ck_assert_int_eq(sim_parse_header("sdei-trace 1 profile=spec vcpus=1 quirks=+nope", &h, &e),
                     -1);
}
END_TEST

START_TEST(test_hvc_action_resolves_names_aliases_and_keep_marks)
{
    sim_action a;
    sim_parse_err e;
    ck_assert_int_eq(sim_parse_action("> hvc 3 REGISTER 0x400001 0x1000 - 1 0x80000001", &a, &syms,
                                      store, sizeof(store), &e),
                     0);
    ck_assert_int_eq(a.kind, SIM_A_HVC);
    ck_assert_uint_eq(a.vcpu, 3);
    ck_assert_int_eq(a.call, SDEI_CALL_EVENT_REGISTER);
    ck_assert_uint_eq(a.arg[0], 0x400001);
    ck_assert_uint_eq(a.keep_mask, 1u << 2);
    ck_assert_uint_eq(a.arg[4], 0x80000001);
    ck_assert_int_eq(sim_parse_action("> hvc 0 0xC4000050", &a, &syms, store, sizeof(store), &e),
                     0);
    ck_assert_int_eq(a.call, SDEI_CALL_ID_NONE);
    ck_assert_uint_eq(a.fid, UINT64_C(0xC4000050));
}
END_TEST

START_TEST(test_action_writer_output_parses_back_to_the_same_action)
{
    sim_action a, b;
    sim_parse_err e;
    char line[SIM_TRACE_LINE_ROOM + 64];
    static const char *const lines[] = {
        "> hvc 1 EVENT_COMPLETE_AND_RESUME 0xffff800008010280",
        "> setreg 2 pc=0x8000 x17=5 pstate=0x3c5",
        "> deliver 7",
        "> trigger 0x400003 2",
        "> irq 23 0",
        "> vmm vm GET_REGISTERED_EVENT count=2",
        "> vmm 1 INJECT_EVENT num=0x400001",
        "> vmm 0 SET_VCPU_EVENT data=0100000000000000",
        "> migrate",
        "> expose 0x400004 shared critical",
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        ck_assert_msg(sim_parse_action(lines[i], &a, &syms, store, sizeof(store), &e) == 0,
                      "%s: %s", lines[i], e.msg);
        sim_format_action(line, &a);
        line[strlen(line) - 1] = '\0';
        ck_assert_str_eq(line, lines[i]);
        ck_assert_int_eq(sim_parse_action(line, &b, &syms, store, sizeof(store), &e), 0);
        ck_assert_int_eq(b.kind, a.kind);
    }
}
END_TEST

/* Names, comparisons, masks, byte ranges and deliver-any write back as
 * they were read, through one writer for every line kind. */
START_TEST(test_symbols_and_every_line_kind_write_back_as_read)
{
    static const char *const lines[] = {
        "> hvc $v EVENT_ENABLE $ev",
        "> hvc 0 EVENT_REGISTER $ev 0x1000 - $arg",
        "> setreg $v x1=$a pc=0x8000",
        "> trigger $ev 0",
        "> deliver $v",
        "> vmm $v INJECT_EVENT num=$ev",
        "> deliver-any 0,2-5,7",
        "< x0=$ev",
        "< x0>=0 x1!=7",
        "< ret x0<-2 pstate&0x3c0=0x3c0",
        "< entered $ev prio=critical on=$v x2>0x1000",
        "< entered 0x400001 preempted=0",
        "< ret=0 count>=1 data[8:10]=0100",
        "< vmm ret=-EINVAL",
        "= state $ev $v RE",
        "= pending 0x400001 0 2",
        "= vcpu $v masked=1 normal=$ev critical=none queued=3",
        "= regs 0 pstate&0x3c0=0x3c0 x1<=$a sp!=0",
        "= blob vcpu_event 1 0x400001 0100",
        "= fwreg $v EVENT_PENDING 0100000000000000",
        "> power 1 cpu_off",
        "> power $v system_reset",
        "> vcpu_reset 0",
        "< power done completed=2",
        "< power already_on",
        "= vcpu 1 masked=1 power=suspended",
    };
    sim_parse_err e;
    char out[SIM_TRACE_LINE_ROOM], again[SIM_TRACE_LINE_ROOM];
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        const char *in = lines[i];
        for (int pass = 0; pass < 2; pass++) {
            char *buf = pass == 0 ? out : again;
            const char *src = pass == 0 ? in : out;
            sim_action a;
            sim_result r;
            sim_check c;
            int rc = src[0] == '>'   ? sim_parse_action(src, &a, &syms, store, sizeof(store), &e)
                     : src[0] == '<' ? sim_parse_result(src, &r, &syms, store, sizeof(store), &e)
                                     : sim_parse_check(src, &c, &syms, store, sizeof(store), &e);
            ck_assert_msg(rc == 0, "%s: %s", src, e.msg);
            if (src[0] == '>') {
                sim_format_action(buf, &a);
            } else if (src[0] == '<') {
                sim_format_result(buf, &r);
            } else {
                sim_format_check(buf, &c);
            }
            buf[strlen(buf) - 1] = '\0';
        }
        /* "preempted=0" is what the recorder leaves out; the rest is verbatim */
        if (strstr(in, "preempted=0") == NULL) {
            ck_assert_str_eq(out, in);
        }
        ck_assert_str_eq(again, out);
    }
    /* A reader without symbol storage takes plain values only. */
    sim_action a;
    ck_assert_int_eq(sim_parse_action("> trigger $ev", &a, NULL, store, sizeof(store), &e), -1);
    ck_assert_str_eq(e.msg, "expected a plain value (names, comparisons and masks are for traces "
                            "that are replayed)");
    ck_assert_int_eq(sim_parse_action("> trigger 0x400001", &a, NULL, store, sizeof(store), &e), 0);
    ck_assert_ptr_null(a.syms);
}
END_TEST

START_TEST(test_result_writer_output_parses_back_to_the_same_fields)
{
    sim_result r, p;
    sim_parse_err e;
    char line[SIM_TRACE_LINE_ROOM];
    memset(&r, 0, sizeof(r));
    r.kind = SIM_R_ENTERED;
    r.num = 0x400002;
    r.prio = 1;
    r.preempted = 1;
    r.x[0] = 0x400002;
    r.x[2] = 0x1040;
    r.pc = 0x3000;
    r.pstate = 0x3c5;
    r.fields =
        SIM_F_NUM | SIM_F_PRIO | SIM_F_PREEMPTED | SIM_F_X0 | SIM_F_X2 | SIM_F_PC | SIM_F_PSTATE;
    sim_format_result(line, &r);
    ck_assert_str_eq(line,
                     "< entered 0x400002 prio=critical preempted x0=0x400002 x2=0x1040 pc=0x3000 "
                     "pstate=0x3c5\n");
    line[strlen(line) - 1] = '\0';
    ck_assert_int_eq(sim_parse_result(line, &p, &syms, store, sizeof(store), &e), 0);
    ck_assert_int_eq(p.kind, SIM_R_ENTERED);
    ck_assert_uint_eq(p.fields, r.fields);
    ck_assert_int_eq(sim_result_compare(NULL, &p, &r), 0);
    ck_assert_int_eq(
        sim_parse_result("< vmm ret=-ENOENT count=3", &p, &syms, store, sizeof(store), &e), 0);
    ck_assert_int_eq(p.ret, -SDEI_ENOENT);
    ck_assert_uint_eq(p.count, 3);
}
END_TEST

START_TEST(test_result_compare_reports_only_carried_fields)
{
    sim_result exp, act;
    memset(&exp, 0, sizeof(exp));
    memset(&act, 0, sizeof(act));
    exp.kind = act.kind = SIM_R_RET;
    exp.fields = SIM_F_X0;
    exp.x[0] = (uint64_t)SDEI_DENIED;
    act.x[0] = (uint64_t)SDEI_DENIED;
    act.pc = 0x1234; /* not carried by the expectation: ignored */
    ck_assert_int_eq(sim_result_compare(NULL, &exp, &act), 0);
    act.x[0] = 0;
    ck_assert_int_eq(sim_result_compare(NULL, &exp, &act), 1);
    act.kind = SIM_R_COMPLETED;
    act.x[0] = (uint64_t)SDEI_DENIED;
    ck_assert_int_eq(sim_result_compare(NULL, &exp, &act), 1);
    exp.any_kind = 1; /* "< x0=..." */
    ck_assert_int_eq(sim_result_compare(NULL, &exp, &act), 0);
}
END_TEST

/* Bad lines: each must be refused with a message naming what was expected. */
START_TEST(test_malformed_lines_are_refused_with_what_was_expected)
{
    static const struct {
        const char *line;
        const char *want;
    } bad[] = {
        {"> hvc", "hvc VCPU CALL"},
        {"> hvc 0 NOPE", "call name"},
        {"> hvc 0 VERSION 1 2 3 4 5 6", "hvc VCPU CALL"},
        {"> hvc 512 VERSION", "vCPU index"},
        {"> hvc 0 VERSION 0xzz", "number for x1"},
        {"> setreg 0 pc", "NAME=VALUE"},
        {"> setreg 0 q9=1", "register name"},
        {"> deliver", "deliver VCPU"},
        {"> vmm 0 FROB", "VMM command"},
        {"> vmm 0 SET_VCPU_STATE data=abc", "data=HEX"},
        {"> expose 0x1 private urgent", "'normal' or 'critical'"},
        {"> fly", "expected an action"},
        {">", "expected an action line"},
    };
    sim_action a;
    sim_parse_err e;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(sim_parse_action(bad[i].line, &a, &syms, store, sizeof(store), &e) == -1,
                      "accepted: %s", bad[i].line);
        ck_assert_msg(strstr(e.msg, bad[i].want) != NULL, "%s -> '%s' (wanted '%s')", bad[i].line,
                      e.msg, bad[i].want);
    }
    sim_result r;
    ck_assert_int_eq(sim_parse_result("< maybe", &r, &syms, store, sizeof(store), &e), -1);
    ck_assert_int_eq(sim_parse_result("< ret x9=1", &r, &syms, store, sizeof(store), &e), -1);
    ck_assert_int_eq(sim_parse_result("< entered zz", &r, &syms, store, sizeof(store), &e), -1);
    sim_check c;
    ck_assert_int_eq(sim_parse_check("= state 0x1 0 XX", &c, &syms, store, sizeof(store), &e), -1);
    ck_assert_int_eq(sim_parse_check("= blob nonsense 1 00", &c, &syms, store, sizeof(store), &e),
                     -1);
    ck_assert_int_eq(sim_parse_check("= vcpu 0 masked=2", &c, &syms, store, sizeof(store), &e), -1);
    ck_assert_int_eq(sim_parse_check("= fwreg 0 NOPE 00", &c, &syms, store, sizeof(store), &e), -1);
    ck_assert_str_eq(e.msg, "expected a firmware register name (EVENT_HANDLER_0 ... PE_STATE) or "
                            "id, got 'NOPE'");
    /* 9 bytes for a 64-bit register */
    ck_assert_int_eq(sim_parse_check("= fwreg 0 PE_STATE 000000000000000000", &c, &syms, store,
                                     sizeof(store), &e),
                     -1);
    ck_assert_str_eq(e.msg, "expected at most 8 bytes as HEX for PE_STATE");
}
END_TEST

START_TEST(test_random_bytes_never_crash_the_parsers)
{
    /* A tiny fuzz loop: random printable lines of every prefix (ASan watches). */
    uint64_t x = 0x1234567;
    char line[256];
    static const char prefix[] = "><= ";
    sim_action a;
    sim_result r;
    sim_check c;
    sim_header h;
    sim_parse_err e;
    for (int i = 0; i < 20000; i++) {
        size_t n = 0;
        line[n++] = prefix[i % 3];
        line[n++] = ' ';
        size_t len = (size_t)(i % 120);
        for (size_t j = 0; j < len; j++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            static const char alpha[] = "0123456789abcdefx =-_#EVNT_REGISTERhvcvmmsetregdata";
            line[n++] = alpha[x % (sizeof(alpha) - 1)];
        }
        line[n] = '\0';
        (void)sim_parse_action(line, &a, &syms, store, sizeof(store), &e);
        (void)sim_parse_result(line, &r, &syms, store, sizeof(store), &e);
        (void)sim_parse_check(line, &c, &syms, store, sizeof(store), &e);
        (void)sim_parse_header(line, &h, &e);
    }
}
END_TEST

static const char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/test_trace_%d.trace", (int)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int replay_text(const char *text, char *msg, size_t n)
{
    const char *path = write_tmp(text);
    sim_replay_stats st;
    FILE *err = tmpfile();
    int rc = sim_replay_file(path, err, 1, &st);
    rewind(err);
    size_t got = fread(msg, 1, n - 1, err);
    msg[got] = '\0';
    fclose(err);
    remove(path);
    return rc;
}

START_TEST(test_replay_exit_codes_name_the_failure_class)
{
    char msg[4096];
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=spec vcpus=1\n> hvc 0 VERSION\n"
                                 "< ret x0=0x1000100000000\n",
                                 msg, sizeof(msg)),
                     SIM_EXIT_OK);
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=spec vcpus=1\n> hvc 0 PE_MASK\n"
                                 "< x0=1\n",
                                 msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(msg, ":3: divergence"));
    ck_assert_ptr_nonnull(strstr(msg, "x0: expected 0x1, actual 0x0"));
    ck_assert_ptr_nonnull(strstr(msg, "REPLAY: sdei-sim replay"));
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=spec vcpus=1\n> hvc 0 VERSION\n"
                                 "! what\n",
                                 msg, sizeof(msg)),
                     SIM_EXIT_BAD_INPUT);
    ck_assert_ptr_nonnull(strstr(msg, ":3: expected a line starting with"));
    ck_assert_int_eq(replay_text("# only a comment\n", msg, sizeof(msg)), SIM_EXIT_BAD_INPUT);
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=spec vcpus=1\n< ok\n", msg, sizeof(msg)),
                     SIM_EXIT_BAD_INPUT);
    ck_assert_int_eq(
        replay_text("sdei-trace 1 profile=spec vcpus=2\n> deliver 5\n", msg, sizeof(msg)),
        SIM_EXIT_BAD_INPUT);
    ck_assert_ptr_nonnull(strstr(msg, "vCPU 5 does not exist"));
    sim_replay_stats st;
    ck_assert_int_eq(sim_replay_file("/nonexistent/x.trace", stderr, 1, &st), SIM_EXIT_IO);
}
END_TEST

START_TEST(test_overlong_line_is_bad_input_not_a_crash)
{
    size_t n = SIM_TRACE_MAX_LINE + 100;
    char *text = malloc(n + 64);
    char msg[512];
    ck_assert_ptr_nonnull(text);
    strcpy(text, "sdei-trace 1 profile=spec vcpus=1\n# ");
    size_t k = strlen(text);
    memset(text + k, 'a', n);
    text[k + n] = '\n';
    text[k + n + 1] = '\0';
    ck_assert_int_eq(replay_text(text, msg, sizeof(msg)), SIM_EXIT_BAD_INPUT);
    ck_assert_ptr_nonnull(strstr(msg, ":2: expected a line of at most"));
    free(text);
}
END_TEST

START_TEST(test_check_lines_compare_state_registers_blob_fields_and_fwregs)
{
    char msg[4096];
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=spec vcpus=1\n"
                                 "> expose 0x400001 private normal\n< ok\n"
                                 "> hvc 0 EVENT_REGISTER 0x400001 0x1000 0x2000\n"
                                 "= state 0x400001 0 D\n= vcpu 0 masked=1 normal=none\n"
                                 "> setreg 0 x7=9\n= regs 0 x7=9\n",
                                 msg, sizeof(msg)),
                     SIM_EXIT_OK);
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=spec vcpus=1\n"
                                 "> expose 0x400001 private normal\n< ok\n"
                                 "= state 0x400001 0 E\n",
                                 msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(msg, "expected E, actual U"));
    /* The vCPU state blob of a fresh vCPU: masked = 1, no running events. A
     * wrong expectation (masked = 0) is reported field by field. */
    char text[2048];
    char hex[2 * 344 + 1];
    for (int i = 0; i < 344; i++) {
        sprintf(hex + 2 * i, "%02x", 0);
    }
    memcpy(hex + 16, "ffffffff00000000ffffffff00000000", 32);
    snprintf(text, sizeof(text), "sdei-trace 1 profile=spec vcpus=1\n= blob vcpu_state 0 %s\n",
             hex);
    ck_assert_int_eq(replay_text(text, msg, sizeof(msg)), SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(msg, "masked (@0): expected 0x0, actual 0x1"));
    /* v7's firmware registers (kvm-v7): a vCPU starts masked; REGISTER sets
     * bit 0 of EVENT_REGISTERED; a prefix of the bytes is compared. */
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=kvm-v7 vcpus=1\n"
                                 "= fwreg 0 PE_STATE 0100000000000000\n"
                                 "> hvc 0 EVENT_REGISTER 0 0x1000 0x2000\n< x0=SUCCESS\n"
                                 "= fwreg 0 EVENT_REGISTERED 01\n",
                                 msg, sizeof(msg)),
                     SIM_EXIT_OK);
    ck_assert_int_eq(replay_text("sdei-trace 1 profile=kvm-v7 vcpus=1\n= fwreg 0 PE_STATE 00\n",
                                 msg, sizeof(msg)),
                     SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(
        strstr(msg, "PE_STATE of vCPU 0, byte 0 (u64 0): expected 0x00, actual 0x01"));
    /* outside kvm-v7 the register does not exist: the kernel's -ENOENT */
    ck_assert_int_eq(
        replay_text("sdei-trace 1 profile=spec vcpus=1\n= fwreg 0 PE_STATE 01\n", msg, sizeof(msg)),
        SIM_EXIT_DIVERGENCE);
    ck_assert_ptr_nonnull(strstr(msg, "KVM_GET_ONE_REG PE_STATE of vCPU 0: expected 0, actual -2"));
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_numbers_parse_decimal_hex_negative_and_reject_garbage,
        test_header_options_are_parsed_and_bad_ones_named,
        test_header_quirk_overrides_are_relative_to_the_profile,
        test_hvc_action_resolves_names_aliases_and_keep_marks,
        test_action_writer_output_parses_back_to_the_same_action,
        test_result_writer_output_parses_back_to_the_same_fields,
        test_symbols_and_every_line_kind_write_back_as_read,
        test_result_compare_reports_only_carried_fields,
        test_malformed_lines_are_refused_with_what_was_expected,
        test_random_bytes_never_crash_the_parsers,
        test_replay_exit_codes_name_the_failure_class,
        test_overlong_line_is_bad_input_not_a_crash,
        test_check_lines_compare_state_registers_blob_fields_and_fwregs,
    };
    return t_run_tests("trace", tests, T_COUNT(tests));
}
