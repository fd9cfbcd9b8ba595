/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_model_edges.c - the edges of the model's public API that the behaviour
 * suites do not walk: every name table in both directions (calls, results,
 * states, actions, profiles, quirks, VMM commands, errnos) including the
 * out-of-range and NULL cases; the views and accessors given NULL or an index
 * past the end; MPIDR lookup when affinities collide in the hash; the blob
 * codecs' NULL arguments; sdei_blob_error_format with missing fields and text
 * longer than its buffer; VMM commands at their count and buffer edges.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_vmm.h"
#include "testlib.h"

/* ---- names, both directions ---- */

START_TEST(test_every_call_name_maps_back_to_its_id_and_unknown_names_give_minus_1)
{
    int mismatch = -1;
    for (int c = 0; c < (int)SDEI_CALL_COUNT; c++) {
        if (sdei_call_by_name(sdei_call_name((sdei_call_id)c)) != c && mismatch < 0) {
            mismatch = c;
        }
    }
    ck_assert_int_eq(mismatch, -1);
    ck_assert_str_eq(sdei_call_name(SDEI_CALL_EVENT_COMPLETE_AND_RESUME),
                     "EVENT_COMPLETE_AND_RESUME");
    ck_assert_int_eq(sdei_call_by_name("SHARED_RESET"), SDEI_CALL_SHARED_RESET);
    ck_assert_str_eq(sdei_call_name(SDEI_CALL_COUNT), "?");
    ck_assert_str_eq(sdei_call_name(SDEI_CALL_ID_NONE), "?");
    ck_assert_int_eq(sdei_call_by_name("event_register"), -1); /* names are case-sensitive */
    ck_assert_int_eq(sdei_call_by_name("SDEI_VERSION"), -1);   /* no SDEI_ prefix */
    ck_assert_int_eq(sdei_call_by_name(""), -1);
    ck_assert_int_eq(sdei_call_by_name(NULL), -1);
}
END_TEST

START_TEST(test_call_fid_is_base_plus_id_except_features_under_its_quirk)
{
    sdei_vm *spec = t_vm_bare(SDEI_PROFILE_SPEC, 1);
    sdei_vm *v5 = t_vm_bare(SDEI_PROFILE_KVM_V5, 1);
    ck_assert_uint_eq(sdei_call_fid(spec, SDEI_CALL_VERSION), UINT64_C(0xC4000020));
    ck_assert_uint_eq(sdei_call_fid(spec, SDEI_CALL_SHARED_RESET), UINT64_C(0xC4000032));
    ck_assert_uint_eq(sdei_call_fid(spec, SDEI_CALL_FEATURES), UINT64_C(0xC4000030));
    /* quirk features_fid_0x50 (kvm-v5 §1.6) moves FEATURES only */
    ck_assert_uint_eq(sdei_call_fid(v5, SDEI_CALL_FEATURES), SDEI_FID_FEATURES_KVM_V5);
    ck_assert_uint_eq(sdei_call_fid(v5, SDEI_CALL_PE_MASK), UINT64_C(0xC400002B));
    /* without a VM there are no quirks: the spec numbering */
    ck_assert_uint_eq(sdei_call_fid(NULL, SDEI_CALL_FEATURES), UINT64_C(0xC4000030));
    ck_assert_uint_eq(sdei_call_fid(spec, SDEI_CALL_COUNT), 0);
    ck_assert_uint_eq(sdei_call_fid(spec, SDEI_CALL_ID_NONE), 0);
    sdei_vm_free(spec);
    sdei_vm_free(v5);
}
END_TEST

START_TEST(test_every_result_name_maps_back_to_its_code)
{
    static const struct {
        const char *name;
        int64_t code;
    } want[] = {
        {"SUCCESS", 0}, {"NOT_SUPPORTED", -1}, {"INVALID_PARAMETERS", -2},
        {"DENIED", -3}, {"PENDING", -5},       {"OUT_OF_RESOURCE", -10},
    };
    int64_t got[6];
    int rc[6];
    const char *names[6];
    for (size_t i = 0; i < 6; i++) {
        got[i] = 99;
        rc[i] = sdei_result_by_name(want[i].name, &got[i]);
        names[i] = sdei_result_name(want[i].code);
    }
    for (size_t i = 0; i < 6; i++) {
        ck_assert_msg(rc[i] == 0 && got[i] == want[i].code && names[i] != NULL &&
                          strcmp(names[i], want[i].name) == 0,
                      "%s: rc %d code %" PRId64 " name %s", want[i].name, rc[i], got[i],
                      names[i] != NULL ? names[i] : "(null)");
    }
    /* -4 is a gap in the SDEI codes; positive values are never results */
    ck_assert_ptr_null(sdei_result_name(-4));
    ck_assert_ptr_null(sdei_result_name(1));
    int64_t untouched = 42;
    ck_assert_int_eq(sdei_result_by_name("BUSY", &untouched), -1);
    ck_assert_int_eq(sdei_result_by_name("success", &untouched), -1);
    ck_assert_int_eq(untouched, 42);
    ck_assert_int_eq(sdei_result_by_name(NULL, &untouched), -1);
    ck_assert_int_eq(sdei_result_by_name("SUCCESS", NULL), -1);
}
END_TEST

START_TEST(test_state_and_action_names_and_status_bits_reject_out_of_range)
{
    ck_assert_str_eq(sdei_state_name(SDEI_STATE_RUNNING_DISABLED), "RD");
    ck_assert_str_eq(sdei_state_spec_name(SDEI_STATE_UNREGISTER_PENDING),
                     "handler-unregister-pending");
    ck_assert_uint_eq(sdei_state_status_bits(SDEI_STATE_RUNNING_ENABLED), 7);
    ck_assert_str_eq(sdei_action_name(SDEI_ACT_TRIGGER), "TRIGGER");
    ck_assert_str_eq(sdei_state_name(SDEI_STATE_COUNT), "?");
    ck_assert_str_eq(sdei_state_spec_name(SDEI_STATE_COUNT), "?");
    ck_assert_uint_eq(sdei_state_status_bits(SDEI_STATE_COUNT), 0);
    ck_assert_str_eq(sdei_action_name(SDEI_ACT_COUNT), "?");
    ck_assert_str_eq(sdei_state_name((sdei_event_state)-1), "?");
    ck_assert_str_eq(sdei_action_name((sdei_action)-1), "?");
}
END_TEST

START_TEST(test_profile_and_quirk_names_reject_unknown_values)
{
    ck_assert_str_eq(sdei_profile_name(SDEI_PROFILE_SPEC), "spec");
    ck_assert_str_eq(sdei_profile_name(SDEI_PROFILE_COUNT), "?");
    ck_assert_str_eq(sdei_profile_name((sdei_profile)-1), "?");
    ck_assert_int_eq(sdei_quirk_by_name("no_bind"), SDEI_QUIRK_ID_NO_BIND);
    ck_assert_int_eq(sdei_quirk_by_name(NULL), -1);
    ck_assert_int_eq(sdei_quirk_by_name(""), -1);
}
END_TEST

START_TEST(test_vmm_command_and_errno_names_in_both_directions)
{
    int mismatch = -1;
    for (int c = 0; c < (int)SDEI_CMD_COUNT; c++) {
        if (sdei_vmm_cmd_by_name(sdei_vmm_cmd_name((uint32_t)c)) != c && mismatch < 0) {
            mismatch = c;
        }
    }
    ck_assert_int_eq(mismatch, -1);
    ck_assert_str_eq(sdei_vmm_cmd_name(SDEI_CMD_INJECT_EVENT), "INJECT_EVENT");
    ck_assert_ptr_null(sdei_vmm_cmd_name(SDEI_CMD_COUNT));
    ck_assert_int_eq(sdei_vmm_cmd_by_name("INJECT"), -1);
    ck_assert_int_eq(sdei_vmm_cmd_by_name(NULL), -1);
    /* the Linux errno values the commands return (kvm-v5 §6) */
    static const struct {
        int32_t ret;
        const char *name;
    } errnos[] = {
        {0, "0"},         {-1, "-EPERM"},   {-2, "-ENOENT"},  {-14, "-EFAULT"},
        {-17, "-EEXIST"}, {-22, "-EINVAL"}, {-34, "-ERANGE"},
    };
    int bad = -1;
    for (int i = 0; i < 7; i++) {
        const char *n = sdei_errno_name(errnos[i].ret);
        if ((n == NULL || strcmp(n, errnos[i].name) != 0) && bad < 0) {
            bad = i;
        }
    }
    ck_assert_int_eq(bad, -1);
    ck_assert_ptr_null(sdei_errno_name(-3)); /* ESRCH: no command returns it */
    ck_assert_ptr_null(sdei_errno_name(22)); /* errnos are negative */
    ck_assert_ptr_null(sdei_errno_name(INT32_MIN));
}
END_TEST

START_TEST(test_exposing_a_number_again_with_any_other_attribute_is_rejected)
{
    /* kvm-v5 §6 SET_EXPOSED_EVENT: -EEXIST for other type, priority or signaled */
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 1);
    const sdei_event_desc same = {T_EV0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 1};
    const sdei_event_desc signaled = {T_EVP, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL,
                                      1};
    const sdei_event_desc type = {T_EVP, SDEI_EVENT_TYPE_SHARED, SDEI_EVENT_PRIORITY_NORMAL, 0};
    uint32_t before = sdei_vm_event_count(vm);
    ck_assert_int_eq(sdei_vm_expose_event(vm, &same), SDEI_OK);
    ck_assert_int_eq(sdei_vm_expose_event(vm, &signaled), SDEI_E_EVENT);
    ck_assert_int_eq(sdei_vm_expose_event(vm, &type), SDEI_E_EVENT);
    ck_assert_uint_eq(sdei_vm_event_count(vm), before);
    sdei_event_desc d;
    ck_assert_int_eq(sdei_vm_event_at(vm, 5, &d), SDEI_OK);
    ck_assert_uint_eq(d.num, T_EVP);
    ck_assert_uint_eq(d.signaled, 0);
    ck_assert_uint_eq(d.type, SDEI_EVENT_TYPE_PRIVATE);
    sdei_vm_free(vm);
}
END_TEST

/* ---- accessors and views: NULL and out of range ---- */

START_TEST(test_accessors_and_views_of_a_null_vm_or_a_null_out_are_library_errors)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_SPEC, 2);
    sdei_regs regs;
    memset(&regs, 0, sizeof(regs));
    sdei_event_state st = SDEI_STATE_COUNT;
    uint32_t n = 77;
    sdei_vcpu_view w;
    sdei_event_desc d = {0, 0, 0, 0};
    ck_assert_uint_eq(sdei_vm_quirks(NULL), 0);
    ck_assert_uint_eq(sdei_vcpu_mpidr(NULL, 0), 0);
    ck_assert_uint_eq(sdei_vm_event_count(NULL), 0);
    ck_assert_int_eq(sdei_vcpu_get_regs(NULL, 0, &regs), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vcpu_set_regs(vm, 0, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_event_at(NULL, 0, &d), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_event_at(vm, 0, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_event_state_of(NULL, T_EVP, 0, &st), SDEI_E_NULL);
    ck_assert_int_eq(sdei_event_pending_count(NULL, T_EVP, 0, &n), SDEI_E_NULL);
    ck_assert_int_eq(sdei_event_pending_count(vm, T_EVP, 0, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vcpu_view_of(vm, 0, NULL), SDEI_E_NULL);
    /* nothing was written through the out pointers */
    ck_assert_int_eq(st, SDEI_STATE_COUNT);
    ck_assert_uint_eq(n, 77);
    ck_assert_uint_eq(d.num, 0);
    /* and the valid forms still answer */
    ck_assert_int_eq(sdei_event_pending_count(vm, T_EVP, 1, &n), SDEI_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(sdei_vm_event_at(vm, 4, &d), SDEI_OK);
    ck_assert_uint_eq(d.num, T_EV0);
    ck_assert_int_eq(sdei_vcpu_view_of(vm, 1, &w), SDEI_OK);
    ck_assert_int_eq(w.masked, 1);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_512_configured_mpidrs_whose_hashes_collide_each_map_back_to_their_vcpu)
{
    /* 512 affinities in a 1024-slot open-addressing table: many share a home
     * slot, so a lookup must probe past other affinities to find its own. */
    static uint64_t mpidr[512];
    for (uint32_t i = 0; i < 512; i++) {
        mpidr[i] =
            (UINT64_C(1) << 31) | ((uint64_t)(i % 7u) << 16) | ((uint64_t)i << 4) | (i & 0xFu);
    }
    sdei_config cfg = sdei_config_default(512);
    cfg.mpidr = mpidr;
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    uint32_t wrong = 512;
    for (uint32_t i = 0; i < 512 && wrong == 512; i++) {
        if (sdei_vcpu_by_mpidr(vm, mpidr[i]) != (int32_t)i || sdei_vcpu_mpidr(vm, i) != mpidr[i]) {
            wrong = i;
        }
    }
    ck_assert_uint_eq(wrong, 512);
    /* an affinity no vCPU has: -1 (after probing past the colliding ones) */
    int32_t unknown = 0;
    for (uint32_t a = 0; a < 64 && unknown == 0; a++) {
        int32_t v = sdei_vcpu_by_mpidr(vm, (UINT64_C(0xEE) << 32) | a);
        unknown = v == -1 ? 0 : v + 1;
    }
    ck_assert_int_eq(unknown, 0);
    sdei_vm_free(vm);
    /* the same 512 with two of them sharing an affinity (in bits the hash sees
     * only after masking): SDEI_E_CFG_MPIDR */
    uint64_t keep = mpidr[300];
    mpidr[300] = mpidr[17] | (UINT64_C(1) << 30); /* bit 30 is not affinity */
    vm = (sdei_vm *)(uintptr_t)1;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_E_CFG_MPIDR);
    ck_assert_ptr_null(vm);
    mpidr[300] = keep;
}
END_TEST

/* ---- blob codecs and error text ---- */

START_TEST(test_every_blob_codec_rejects_each_null_argument)
{
    static uint8_t buf[SDEI_BLOB_REGISTERED_SIZE];
    static sdei_blob_registered reg;
    sdei_blob_exposed ex;
    sdei_blob_vcpu_event ev;
    sdei_blob_vcpu_state st;
    memset(&ex, 0, sizeof(ex));
    memset(&ev, 0, sizeof(ev));
    memset(&st, 0, sizeof(st));
    const size_t len = sizeof(buf);
    sdei_err got[16] = {
        sdei_blob_exposed_encode(NULL, buf, len),     sdei_blob_exposed_encode(&ex, NULL, len),
        sdei_blob_exposed_decode(NULL, len, &ex),     sdei_blob_exposed_decode(buf, len, NULL),
        sdei_blob_registered_encode(NULL, buf, len),  sdei_blob_registered_encode(&reg, NULL, len),
        sdei_blob_registered_decode(NULL, len, &reg), sdei_blob_registered_decode(buf, len, NULL),
        sdei_blob_vcpu_event_encode(NULL, buf, len),  sdei_blob_vcpu_event_encode(&ev, NULL, len),
        sdei_blob_vcpu_event_decode(NULL, len, &ev),  sdei_blob_vcpu_event_decode(buf, len, NULL),
        sdei_blob_vcpu_state_encode(NULL, buf, len),  sdei_blob_vcpu_state_encode(&st, NULL, len),
        sdei_blob_vcpu_state_decode(NULL, len, &st),  sdei_blob_vcpu_state_decode(buf, len, NULL),
    };
    int first_bad = -1;
    for (int i = 0; i < 16; i++) {
        if (got[i] != SDEI_E_NULL && first_bad < 0) {
            first_bad = i;
        }
    }
    ck_assert_int_eq(first_bad, -1);
}
END_TEST

START_TEST(test_blob_error_text_uses_placeholders_for_missing_names)
{
    sdei_blob_error_format(NULL); /* no error to format: nothing happens */
    sdei_blob_error e;
    memset(&e, 0, sizeof(e));
    e.vcpu = SDEI_BLOB_NO_VCPU;
    e.entry = 0;
    e.offset = 0;
    e.buf_offset = 0;
    sdei_blob_error_format(&e);
    ck_assert_str_eq(e.text, "?[0].? @0: invalid (buffer offset 0)");
    e.vcpu = 4294967294u;
    e.strct = "vcpu_state";
    e.field = "masked";
    e.problem = "not 0 or 1";
    e.entry = 7;
    e.offset = 0;
    e.buf_offset = (size_t)UINT64_C(18446744073709551615);
    sdei_blob_error_format(&e);
    ck_assert_str_eq(e.text, "vcpu[4294967294].vcpu_state[7].masked @0: not 0 or 1 "
                             "(buffer offset 18446744073709551615)");
}
END_TEST

START_TEST(test_blob_error_text_longer_than_its_buffer_is_cut_and_terminated)
{
    char problem[400];
    memset(problem, 'x', sizeof(problem) - 1);
    problem[sizeof(problem) - 1] = '\0';
    sdei_blob_error e;
    memset(&e, 0, sizeof(e));
    e.vcpu = SDEI_BLOB_NO_VCPU;
    e.strct = "save_header";
    e.field = "magic";
    e.problem = problem;
    e.buf_offset = 123456;
    sdei_blob_error_format(&e);
    /* "save_header[0].magic @0: " (25 characters), then x up to the last byte */
    ck_assert_uint_eq(strlen(e.text), SDEI_BLOB_ERROR_TEXT - 1u);
    ck_assert_int_eq(strncmp(e.text, "save_header[0].magic @0: xxx", 28), 0);
    ck_assert_int_eq(e.text[SDEI_BLOB_ERROR_TEXT - 2u], 'x');
    /* a long prefix cuts a number too: it stops at the buffer's end, never past it */
    char field[200];
    memset(field, 'f', 187);
    field[187] = '\0';
    e.field = field;
    e.problem = "p";
    e.offset = 987654321;
    sdei_blob_error_format(&e);
    /* "save_header[0]." is 15 + 187 = 202 > 191: the field itself is cut */
    ck_assert_uint_eq(strlen(e.text), SDEI_BLOB_ERROR_TEXT - 1u);
    field[170] = '\0'; /* 15 + 170 + " @" = 187: four of the nine digits fit */
    sdei_blob_error_format(&e);
    ck_assert_uint_eq(strlen(e.text), SDEI_BLOB_ERROR_TEXT - 1u);
    ck_assert_str_eq(e.text + 187, "9876");
}
END_TEST

/* ---- VMM commands at their edges ---- */

START_TEST(test_set_commands_with_count_0_do_nothing_even_without_a_buffer)
{
    sdei_vm *vm = t_vm(SDEI_PROFILE_KVM_V5, 1);
    uint32_t before = sdei_vm_event_count(vm);
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_SET_EXPOSED_EVENT, .count = 0, .data = NULL};
    /* kvm-v5 §6 SET_EXPOSED_EVENT step 1: count 0 returns before the copy */
    ck_assert_int_eq(sdei_vmm_command(vm, SDEI_VMM_VM, &b), 0);
    ck_assert_uint_eq(sdei_vm_event_count(vm), before);
    /* with a count, the NULL buffer is -EFAULT, naming the data field */
    b.count = 1;
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(sdei_vmm_command_ex(vm, SDEI_VMM_VM, &b, &err), -SDEI_EFAULT);
    ck_assert_str_eq(err.field, "data");
    ck_assert_uint_eq(sdei_vm_event_count(vm), before);
    /* SET_VCPU_EVENT: the same order */
    sdei_vmm_cmd_block v = {.cmd = SDEI_CMD_SET_VCPU_EVENT, .count = 1, .data = NULL};
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(sdei_vmm_command_ex(vm, 0, &v, &err), -SDEI_EFAULT);
    ck_assert_str_eq(err.field, "data");
    uint8_t small[8];
    v.data = small;
    v.data_len = sizeof(small); /* shorter than one 16-byte entry */
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &v), -SDEI_EFAULT);
    /* GET_VCPU_STATE needs all 344 bytes */
    uint8_t st[SDEI_BLOB_VCPU_STATE_SIZE];
    sdei_vmm_cmd_block g = {.cmd = SDEI_CMD_GET_VCPU_STATE, .data = NULL};
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &g), -SDEI_EFAULT);
    g.data = st;
    g.data_len = sizeof(st) - 1;
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &g), -SDEI_EFAULT);
    g.data_len = sizeof(st);
    ck_assert_int_eq(sdei_vmm_command(vm, 0, &g), 0);
    ck_assert_uint_eq(st[0], 1); /* a fresh vCPU is masked */
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_set_registered_beyond_the_event_capacity_is_erange_before_the_copy)
{
    sdei_config cfg = sdei_config_default(1);
    cfg.max_events = 6; /* 4 bind slots + 2 */
    sdei_vm *vm = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &vm), SDEI_OK);
    sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_SET_REGISTERED_EVENT, .count = 7, .data = NULL};
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    /* kvm-v5 §6 SET_REGISTERED_EVENT step 2 comes before the -EFAULT of the copy */
    ck_assert_int_eq(sdei_vmm_command_ex(vm, SDEI_VMM_VM, &b, &err), -SDEI_ERANGE);
    ck_assert_str_eq(err.field, "count");
    b.count = 6;
    ck_assert_int_eq(sdei_vmm_command(vm, SDEI_VMM_VM, &b), -SDEI_EFAULT);
    sdei_vmm_cmd_block c = {.cmd = SDEI_CMD_GET_REGISTERED_EVENT_COUNT};
    ck_assert_int_eq(sdei_vmm_command(vm, SDEI_VMM_VM, &c), 0);
    ck_assert_uint_eq(c.count, 0);
    sdei_vm_free(vm);
}
END_TEST

static void put64le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

START_TEST(test_kvm_v5_enable_and_disable_are_denied_while_a_stale_unregister_pending_bit_is_set)
{
    /* kvm-v5 §4.2 (P05): "!registered[idx] or unregister_pending[idx] -> DENIED".
     * A restored registered object with both bits set on vCPU 0 and nothing
     * running (what v5 leaves behind, kvm-v5 §10 item 5) is in state D by its
     * registered/enabled bits, so the table allows ENABLE; v5 still refuses. */
    static uint8_t blob[SDEI_BLOB_REGISTERED_SIZE];
    int64_t got[2][3];
    for (int profile = 0; profile < 2; profile++) {
        sdei_vm *vm = t_vm(profile == 0 ? SDEI_PROFILE_SPEC : SDEI_PROFILE_KVM_V5, 2);
        memset(blob, 0, sizeof(blob));
        put64le(blob, T_EVP);
        put64le(blob + 24, T_EP); /* ep_address[0] */
        put64le(blob + 8216, 1);  /* registered: vCPU 0 */
        put64le(blob + 8344, 1);  /* unregister_pending: vCPU 0 */
        sdei_vmm_cmd_block b = {.cmd = SDEI_CMD_SET_REGISTERED_EVENT,
                                .count = 1,
                                .data = blob,
                                .data_len = sizeof(blob)};
        ck_assert_int_eq(sdei_vmm_command(vm, SDEI_VMM_VM, &b), 0);
        got[profile][0] = t_callid(vm, 0, SDEI_CALL_EVENT_ENABLE, T_EVP, 0, 0, 0, 0);
        got[profile][1] = t_callid(vm, 0, SDEI_CALL_EVENT_DISABLE, T_EVP, 0, 0, 0, 0);
        got[profile][2] = t_state(vm, T_EVP, 0);
        sdei_vm_free(vm);
    }
    /* spec: the pending bit without a running handler is no state; D -> E -> D */
    ck_assert_int_eq(got[0][0], SDEI_SUCCESS);
    ck_assert_int_eq(got[0][1], SDEI_SUCCESS);
    ck_assert_int_eq(got[0][2], SDEI_STATE_REGISTERED);
    /* kvm-v5: both refused, the object stays registered and disabled */
    ck_assert_int_eq(got[1][0], SDEI_DENIED);
    ck_assert_int_eq(got[1][1], SDEI_DENIED);
    ck_assert_int_eq(got[1][2], SDEI_STATE_REGISTERED);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("model_edges");
    TCase *names = tcase_create("names");
    tcase_add_test(names, test_every_call_name_maps_back_to_its_id_and_unknown_names_give_minus_1);
    tcase_add_test(names, test_call_fid_is_base_plus_id_except_features_under_its_quirk);
    tcase_add_test(names, test_every_result_name_maps_back_to_its_code);
    tcase_add_test(names, test_state_and_action_names_and_status_bits_reject_out_of_range);
    tcase_add_test(names, test_profile_and_quirk_names_reject_unknown_values);
    tcase_add_test(names, test_vmm_command_and_errno_names_in_both_directions);
    tcase_add_test(names, test_exposing_a_number_again_with_any_other_attribute_is_rejected);
    suite_add_tcase(s, names);
    TCase *views = tcase_create("views");
    tcase_add_test(views, test_accessors_and_views_of_a_null_vm_or_a_null_out_are_library_errors);
    tcase_add_test(views,
                   test_512_configured_mpidrs_whose_hashes_collide_each_map_back_to_their_vcpu);
    suite_add_tcase(s, views);
    TCase *blobs = tcase_create("blobs");
    tcase_add_test(blobs, test_every_blob_codec_rejects_each_null_argument);
    tcase_add_test(blobs, test_blob_error_text_uses_placeholders_for_missing_names);
    tcase_add_test(blobs, test_blob_error_text_longer_than_its_buffer_is_cut_and_terminated);
    suite_add_tcase(s, blobs);
    TCase *vmm = tcase_create("vmm");
    tcase_add_test(vmm, test_set_commands_with_count_0_do_nothing_even_without_a_buffer);
    tcase_add_test(vmm, test_set_registered_beyond_the_event_capacity_is_erange_before_the_copy);
    tcase_add_test(
        vmm, test_kvm_v5_enable_and_disable_are_denied_while_a_stale_unregister_pending_bit_is_set);
    suite_add_tcase(s, vmm);
    return s;
}

int main(void)
{
    return t_run_suite(make_suite());
}
