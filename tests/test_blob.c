/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_blob.c - the byte-exact codec of the kernel's migration structs
 * (kvm-v5 §1.2, DESIGN §4): hand-made golden byte arrays with the offsets
 * written out, every blob the v5 kernel returned in kernel-recordings/, and
 * truncation at every offset (run under ASan: no read or write past a buffer).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/kernel_blobs.h"
#include "sdei/sdei_blob.h"
#include "testlib.h"

static void dump_diff(const char *what, const uint8_t *got, const uint8_t *want, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (got[i] != want[i]) {
            fprintf(stderr, "%s: first difference at byte %zu: got 0x%02x want 0x%02x\n", what, i,
                    got[i], want[i]);
            return;
        }
    }
}

#define ASSERT_BYTES_EQ(what, got, want, len)                                                      \
    do {                                                                                           \
        if (memcmp((got), (want), (len)) != 0) {                                                   \
            dump_diff((what), (got), (want), (len));                                               \
            ck_abort_msg("%s: bytes differ", (what));                                              \
        }                                                                                          \
    } while (0)

/* Little-endian u64 at an explicit offset of a golden array. */
static void golden_le64(uint8_t *buf, size_t off, uint64_t v)
{
    for (size_t i = 0; i < 8; i++) {
        buf[off + i] = (uint8_t)(v >> (8 * i));
    }
}

/* ---- golden arrays ---- */

START_TEST(test_exposed_encode_writes_golden_bytes)
{
    sdei_blob_exposed in = {.num = 0x400001,
                            .type = 1,
                            .signaled = 0,
                            .priority = 1,
                            .padding = {0xa1, 0xa2, 0xa3, 0xa4, 0xa5},
                            .notifier = UINT64_C(0x1122334455667788)};
    static const uint8_t golden[24] = {
        /* @0  num 0x400001, LE */ 0x01,
        0x00,
        0x40,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        /* @8  type */ 0x01,
        /* @9  signaled */ 0x00,
        /* @10 priority */ 0x01,
        /* @11 padding[5] */ 0xa1,
        0xa2,
        0xa3,
        0xa4,
        0xa5,
        /* @16 notifier */ 0x88,
        0x77,
        0x66,
        0x55,
        0x44,
        0x33,
        0x22,
        0x11,
    };
    uint8_t out[24];
    memset(out, 0xee, sizeof(out));
    ck_assert_int_eq(sdei_blob_exposed_encode(&in, out, sizeof(out)), SDEI_OK);
    ASSERT_BYTES_EQ("exposed", out, golden, sizeof(golden));

    sdei_blob_exposed back;
    memset(&back, 0, sizeof(back));
    ck_assert_int_eq(sdei_blob_exposed_decode(golden, sizeof(golden), &back), SDEI_OK);
    ck_assert_uint_eq(back.num, 0x400001);
    ck_assert_uint_eq(back.type, 1);
    ck_assert_uint_eq(back.signaled, 0);
    ck_assert_uint_eq(back.priority, 1);
    ck_assert_uint_eq(back.padding[0], 0xa1);
    ck_assert_uint_eq(back.padding[4], 0xa5);
    ck_assert_uint_eq(back.notifier, UINT64_C(0x1122334455667788));
}
END_TEST

START_TEST(test_registered_encode_writes_golden_bytes_at_every_field_offset)
{
    sdei_blob_registered *in = calloc(1, sizeof(*in));
    ck_assert_ptr_nonnull(in);
    in->num = 0x400003;
    in->route_mode = 1;
    in->padding[0] = 0xb1;
    in->padding[2] = 0xb3;
    in->hole[0] = 0xc1;
    in->hole[3] = 0xc4;
    in->route_affinity = UINT64_C(0x0000000100000203);
    in->ep_address[0] = 0x1000;
    in->ep_address[511] = UINT64_C(0xffff000000001fff);
    in->ep_arg[0] = 0x2000;
    in->ep_arg[511] = 0x2fff;
    in->registered[0] = 0x3;
    in->registered[7] = UINT64_C(0x8000000000000000);
    in->enabled[3] = 0x10;
    in->unregister_pending[7] = 0x1;

    uint8_t *golden = calloc(1, 8408);
    ck_assert_ptr_nonnull(golden);
    golden_le64(golden, 0, 0x400003);                                /* num */
    golden[8] = 1;                                                   /* route_mode */
    golden[9] = 0xb1;                                                /* padding[0] */
    golden[11] = 0xb3;                                               /* padding[2] */
    golden[12] = 0xc1;                                               /* hole byte 12 */
    golden[15] = 0xc4;                                               /* hole byte 15 */
    golden_le64(golden, 16, UINT64_C(0x0000000100000203));           /* route_affinity */
    golden_le64(golden, 24, 0x1000);                                 /* ep_address[0] */
    golden_le64(golden, 24 + 8 * 511, UINT64_C(0xffff000000001fff)); /* ep_address[511] @4112 */
    golden_le64(golden, 4120, 0x2000);                               /* ep_arg[0] */
    golden_le64(golden, 4120 + 8 * 511, 0x2fff);                     /* ep_arg[511] @8208 */
    golden_le64(golden, 8216, 0x3);                                  /* registered[0] */
    golden_le64(golden, 8216 + 56, UINT64_C(0x8000000000000000));    /* registered[7] */
    golden_le64(golden, 8280 + 24, 0x10);                            /* enabled[3] */
    golden_le64(golden, 8344 + 56, 0x1); /* unregister_pending[7] @8400 */

    uint8_t *out = malloc(8408);
    ck_assert_ptr_nonnull(out);
    memset(out, 0xee, 8408);
    ck_assert_int_eq(sdei_blob_registered_encode(in, out, 8408), SDEI_OK);
    ASSERT_BYTES_EQ("registered", out, golden, 8408);

    sdei_blob_registered *back = calloc(1, sizeof(*back));
    ck_assert_ptr_nonnull(back);
    ck_assert_int_eq(sdei_blob_registered_decode(golden, 8408, back), SDEI_OK);
    ck_assert_uint_eq(back->num, 0x400003);
    ck_assert_uint_eq(back->route_mode, 1);
    ck_assert_uint_eq(back->hole[0], 0xc1);
    ck_assert_uint_eq(back->hole[3], 0xc4);
    ck_assert_uint_eq(back->route_affinity, UINT64_C(0x0000000100000203));
    ck_assert_uint_eq(back->ep_address[511], UINT64_C(0xffff000000001fff));
    ck_assert_uint_eq(back->ep_arg[511], 0x2fff);
    ck_assert_uint_eq(back->registered[7], UINT64_C(0x8000000000000000));
    ck_assert_uint_eq(back->enabled[3], 0x10);
    ck_assert_uint_eq(back->unregister_pending[7], 1);
    free(in);
    free(golden);
    free(out);
    free(back);
}
END_TEST

START_TEST(test_vcpu_event_encode_writes_golden_bytes)
{
    sdei_blob_vcpu_event in = {.num = 0x400002, .event_count = 3, .padding = 0xdeadbeef};
    static const uint8_t golden[16] = {
        /* @0  num */ 0x02,         0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00,
        /* @8  event_count */ 0x03, 0x00, 0x00, 0x00,
        /* @12 padding */ 0xef,     0xbe, 0xad, 0xde,
    };
    uint8_t out[16];
    ck_assert_int_eq(sdei_blob_vcpu_event_encode(&in, out, sizeof(out)), SDEI_OK);
    ASSERT_BYTES_EQ("vcpu_event", out, golden, sizeof(golden));
    sdei_blob_vcpu_event back;
    ck_assert_int_eq(sdei_blob_vcpu_event_decode(golden, 16, &back), SDEI_OK);
    ck_assert_uint_eq(back.num, 0x400002);
    ck_assert_uint_eq(back.event_count, 3);
    ck_assert_uint_eq(back.padding, 0xdeadbeef);
}
END_TEST

START_TEST(test_vcpu_state_encode_writes_golden_bytes)
{
    sdei_blob_vcpu_state in;
    memset(&in, 0, sizeof(in));
    in.masked = 1;
    in.padding[0] = 0xc1;
    in.padding[6] = 0xc7;
    in.critical_num = 0xffffffff;
    in.normal_num = 0x400001;
    in.critical_regs.regs[0] = 0x11;
    in.critical_regs.pc = 0x1234;
    in.critical_regs.pstate = 0x3c5;
    in.normal_regs.regs[17] = 0x1717;
    in.normal_regs.pc = 0x9000;
    in.normal_regs.pstate = 0x80000000;

    uint8_t golden[344];
    memset(golden, 0, sizeof(golden));
    golden[0] = 1;                              /* masked */
    golden[1] = 0xc1;                           /* padding[0] */
    golden[7] = 0xc7;                           /* padding[6] */
    golden_le64(golden, 8, 0xffffffff);         /* critical_num */
    golden_le64(golden, 16, 0x400001);          /* normal_num */
    golden_le64(golden, 24, 0x11);              /* critical_regs.regs[0] */
    golden_le64(golden, 24 + 144, 0x1234);      /* critical_regs.pc @168 */
    golden_le64(golden, 24 + 152, 0x3c5);       /* critical_regs.pstate @176 */
    golden_le64(golden, 184 + 8 * 17, 0x1717);  /* normal_regs.regs[17] @320 */
    golden_le64(golden, 184 + 144, 0x9000);     /* normal_regs.pc @328 */
    golden_le64(golden, 184 + 152, 0x80000000); /* normal_regs.pstate @336 */

    uint8_t out[344];
    memset(out, 0xee, sizeof(out));
    ck_assert_int_eq(sdei_blob_vcpu_state_encode(&in, out, sizeof(out)), SDEI_OK);
    ASSERT_BYTES_EQ("vcpu_state", out, golden, sizeof(golden));
    sdei_blob_vcpu_state back;
    ck_assert_int_eq(sdei_blob_vcpu_state_decode(golden, sizeof(golden), &back), SDEI_OK);
    ck_assert_uint_eq(back.masked, 1);
    ck_assert_uint_eq(back.padding[6], 0xc7);
    ck_assert_uint_eq(back.critical_num, 0xffffffff);
    ck_assert_uint_eq(back.normal_num, 0x400001);
    ck_assert_uint_eq(back.critical_regs.pc, 0x1234);
    ck_assert_uint_eq(back.normal_regs.regs[17], 0x1717);
    ck_assert_uint_eq(back.normal_regs.pstate, 0x80000000);
}
END_TEST

/* ---- the kernel's own bytes ---- */

static size_t kind_size(kb_kind k)
{
    switch (k) {
    case KB_EXPOSED:
        return SDEI_BLOB_EXPOSED_SIZE;
    case KB_REGISTERED:
        return SDEI_BLOB_REGISTERED_SIZE;
    case KB_VCPU_EVENT:
        return SDEI_BLOB_VCPU_EVENT_SIZE;
    case KB_VCPU_STATE:
    default:
        return SDEI_BLOB_VCPU_STATE_SIZE;
    }
}

/* Decodes one entry into its mirror and encodes it back into out. */
static sdei_err roundtrip_entry(kb_kind k, const uint8_t *in, size_t len, uint8_t *out)
{
    sdei_err err;
    switch (k) {
    case KB_EXPOSED: {
        sdei_blob_exposed e;
        err = sdei_blob_exposed_decode(in, len, &e);
        return err != SDEI_OK ? err : sdei_blob_exposed_encode(&e, out, len);
    }
    case KB_REGISTERED: {
        sdei_blob_registered *e = malloc(sizeof(*e));
        ck_assert_ptr_nonnull(e);
        err = sdei_blob_registered_decode(in, len, e);
        if (err == SDEI_OK) {
            err = sdei_blob_registered_encode(e, out, len);
        }
        free(e);
        return err;
    }
    case KB_VCPU_EVENT: {
        sdei_blob_vcpu_event e;
        err = sdei_blob_vcpu_event_decode(in, len, &e);
        return err != SDEI_OK ? err : sdei_blob_vcpu_event_encode(&e, out, len);
    }
    case KB_VCPU_STATE:
    default: {
        sdei_blob_vcpu_state e;
        err = sdei_blob_vcpu_state_decode(in, len, &e);
        return err != SDEI_OK ? err : sdei_blob_vcpu_state_encode(&e, out, len);
    }
    }
}

START_TEST(test_every_kernel_recorded_blob_reencodes_byte_identically)
{
    ck_assert_uint_ge(KERNEL_BLOB_COUNT, 8);
    for (size_t b = 0; b < KERNEL_BLOB_COUNT; b++) {
        const kernel_blob *kb = &kernel_blobs[b];
        size_t size = kind_size(kb->kind);
        ck_assert_msg(kb->len == size * kb->count, "%s: %zu bytes for %u entries", kb->source,
                      kb->len, kb->count);
        for (uint32_t i = 0; i < kb->count; i++) {
            uint8_t *out = malloc(size);
            ck_assert_ptr_nonnull(out);
            memset(out, 0xee, size);
            ck_assert_int_eq(roundtrip_entry(kb->kind, kb->bytes + i * size, size, out), SDEI_OK);
            if (memcmp(out, kb->bytes + i * size, size) != 0) {
                dump_diff(kb->source, out, kb->bytes + i * size, size);
                ck_abort_msg("%s (%s) entry %u does not re-encode identically", kb->source,
                             kb->command, i);
            }
            free(out);
        }
    }
}
END_TEST

static const kernel_blob *find_blob(const char *source)
{
    for (size_t b = 0; b < KERNEL_BLOB_COUNT; b++) {
        if (strcmp(kernel_blobs[b].source, source) == 0) {
            return &kernel_blobs[b];
        }
    }
    ck_abort_msg("no recorded blob %s", source);
    return NULL;
}

START_TEST(test_kernel_registered_blob_with_hole_decodes_to_recorded_fields)
{
    /* sizes_hole.rec:7, decoded by the recorder on line 8 as: num=0x0 route_mode=0x0
     * pad=a1a2a3 hole12=b1b2b3b4 route_affinity=0x77 ep.0=0x1000 arg.0=0x2000
     * registered.0=0x1 enabled.0=0x1 unregister_pending=0 */
    const kernel_blob *kb = find_blob("sizes_hole.rec:7");
    sdei_blob_registered *r = malloc(sizeof(*r));
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(sdei_blob_registered_decode(kb->bytes, kb->len, r), SDEI_OK);
    ck_assert_uint_eq(r->num, 0);
    ck_assert_uint_eq(r->route_mode, 0);
    ck_assert_uint_eq(r->padding[0], 0xa1);
    ck_assert_uint_eq(r->padding[1], 0xa2);
    ck_assert_uint_eq(r->padding[2], 0xa3);
    ck_assert_uint_eq(r->hole[0], 0xb1);
    ck_assert_uint_eq(r->hole[3], 0xb4);
    ck_assert_uint_eq(r->route_affinity, 0x77);
    ck_assert_uint_eq(r->ep_address[0], 0x1000);
    ck_assert_uint_eq(r->ep_arg[0], 0x2000);
    ck_assert_uint_eq(r->ep_address[1], 0);
    ck_assert_uint_eq(r->registered[0], 1);
    ck_assert_uint_eq(r->enabled[0], 1);
    ck_assert_uint_eq(r->unregister_pending[0], 0);
    free(r);
}
END_TEST

START_TEST(test_kernel_exposed_and_vcpu_event_blobs_decode_to_recorded_fields)
{
    /* set_exposed.rec:8: num=0x0 type=0 signaled=1 priority=0 pad=0a0b0c0d0e notifier=0x1234 */
    sdei_blob_exposed e;
    const kernel_blob *kb = find_blob("set_exposed.rec:8");
    ck_assert_int_eq(sdei_blob_exposed_decode(kb->bytes, kb->len, &e), SDEI_OK);
    ck_assert_uint_eq(e.num, 0);
    ck_assert_uint_eq(e.type, 0);
    ck_assert_uint_eq(e.signaled, 1);
    ck_assert_uint_eq(e.priority, 0);
    ck_assert_uint_eq(e.padding[0], 0x0a);
    ck_assert_uint_eq(e.padding[4], 0x0e);
    ck_assert_uint_eq(e.notifier, 0x1234);
    /* get_count.rec:13 entry 1: num=0x400000 type=1 signaled=0 priority=1 */
    kb = find_blob("get_count.rec:13");
    ck_assert_int_eq(sdei_blob_exposed_decode(kb->bytes + 24, 24, &e), SDEI_OK);
    ck_assert_uint_eq(e.num, 0x400000);
    ck_assert_uint_eq(e.type, 1);
    ck_assert_uint_eq(e.signaled, 0);
    ck_assert_uint_eq(e.priority, 1);
    /* sizes_hole.rec:11: num=0x0 event_count=1 pad=3735928559 */
    sdei_blob_vcpu_event v;
    kb = find_blob("sizes_hole.rec:11");
    ck_assert_int_eq(sdei_blob_vcpu_event_decode(kb->bytes, kb->len, &v), SDEI_OK);
    ck_assert_uint_eq(v.num, 0);
    ck_assert_uint_eq(v.event_count, 1);
    ck_assert_uint_eq(v.padding, 3735928559u);
}
END_TEST

/* ---- bad input: truncation at every offset, short output, NULL ---- */

START_TEST(test_decode_truncated_at_every_offset_fails_without_reading_past_buffer)
{
    static const kb_kind kinds[] = {KB_EXPOSED, KB_REGISTERED, KB_VCPU_EVENT, KB_VCPU_STATE};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t size = kind_size(kinds[k]);
        for (size_t len = 0; len < size; len++) {
            /* exactly len bytes on the heap: ASan traps any read beyond */
            uint8_t *in = malloc(len == 0 ? 1 : len);
            uint8_t *out = malloc(size);
            ck_assert_ptr_nonnull(in);
            ck_assert_ptr_nonnull(out);
            memset(in, 0x5a, len);
            memset(out, 0xee, size);
            sdei_err err = roundtrip_entry(kinds[k], in, len, out);
            /* plain ifs in the inner loops: each ck_assert records a mark point */
            if (err != SDEI_E_FORMAT) {
                ck_abort_msg("kind %zu len %zu: err %d, want SDEI_E_FORMAT", k, len, (int)err);
            }
            for (size_t i = 0; i < size; i++) {
                if (out[i] != 0xee) {
                    ck_abort_msg("kind %zu len %zu: output byte %zu written", k, len, i);
                }
            }
            free(in);
            free(out);
        }
    }
}
END_TEST

START_TEST(test_encode_into_short_buffer_fails_without_writing)
{
    sdei_blob_exposed e;
    memset(&e, 0x11, sizeof(e));
    sdei_blob_vcpu_event v;
    memset(&v, 0x22, sizeof(v));
    sdei_blob_vcpu_state s;
    memset(&s, 0x33, sizeof(s));
    sdei_blob_registered *r = calloc(1, sizeof(*r));
    ck_assert_ptr_nonnull(r);
    for (size_t len = 0; len < SDEI_BLOB_REGISTERED_SIZE; len++) {
        uint8_t *out = malloc(len == 0 ? 1 : len);
        ck_assert_ptr_nonnull(out);
        memset(out, 0xee, len);
        int bad = sdei_blob_registered_encode(r, out, len) != SDEI_E_RANGE;
        if (len < SDEI_BLOB_EXPOSED_SIZE) {
            bad |= sdei_blob_exposed_encode(&e, out, len) != SDEI_E_RANGE;
        }
        if (len < SDEI_BLOB_VCPU_EVENT_SIZE) {
            bad |= sdei_blob_vcpu_event_encode(&v, out, len) != SDEI_E_RANGE;
        }
        if (len < SDEI_BLOB_VCPU_STATE_SIZE) {
            bad |= sdei_blob_vcpu_state_encode(&s, out, len) != SDEI_E_RANGE;
        }
        if (bad) {
            ck_abort_msg("len %zu: an encoder accepted a short buffer", len);
        }
        for (size_t i = 0; i < len; i++) {
            if (out[i] != 0xee) {
                ck_abort_msg("len %zu: byte %zu written", len, i);
            }
        }
        free(out);
    }
    free(r);
}
END_TEST

START_TEST(test_codec_null_arguments_return_e_null)
{
    uint8_t buf[SDEI_BLOB_VCPU_STATE_SIZE] = {0};
    sdei_blob_exposed e;
    sdei_blob_vcpu_event v;
    sdei_blob_vcpu_state s;
    ck_assert_int_eq(sdei_blob_exposed_encode(NULL, buf, sizeof(buf)), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_exposed_encode(&e, NULL, sizeof(buf)), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_exposed_decode(NULL, sizeof(buf), &e), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_exposed_decode(buf, sizeof(buf), NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_registered_encode(NULL, buf, sizeof(buf)), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_registered_decode(buf, sizeof(buf), NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_vcpu_event_encode(&v, NULL, sizeof(buf)), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_vcpu_event_decode(NULL, sizeof(buf), &v), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_vcpu_state_encode(&s, NULL, sizeof(buf)), SDEI_E_NULL);
    ck_assert_int_eq(sdei_blob_vcpu_state_decode(NULL, sizeof(buf), &s), SDEI_E_NULL);
}
END_TEST

/* ---- property: any bytes survive decode + encode ---- */

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

START_TEST(test_random_bytes_survive_decode_encode_for_every_struct)
{
    static const kb_kind kinds[] = {KB_EXPOSED, KB_REGISTERED, KB_VCPU_EVENT, KB_VCPU_STATE};
    uint64_t seed = UINT64_C(0x5d1e5eed);
    uint8_t *in = malloc(SDEI_BLOB_REGISTERED_SIZE);
    uint8_t *out = malloc(SDEI_BLOB_REGISTERED_SIZE);
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    for (int iter = 0; iter < 200; iter++) {
        for (size_t k = 0; k < 4; k++) {
            size_t size = kind_size(kinds[k]);
            for (size_t i = 0; i < size; i++) {
                in[i] = (uint8_t)xorshift(&seed);
            }
            if (roundtrip_entry(kinds[k], in, size, out) != SDEI_OK || memcmp(in, out, size) != 0) {
                dump_diff("random", out, in, size);
                ck_abort_msg("iteration %d kind %zu: not identical (seed 0x5d1e5eed)", iter, k);
            }
        }
    }
    free(in);
    free(out);
}
END_TEST

START_TEST(test_blob_error_text_names_struct_field_entry_and_offsets)
{
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    err.strct = "registered_event_state";
    err.field = "route_mode";
    err.entry = 1;
    err.vcpu = SDEI_BLOB_NO_VCPU;
    err.offset = 8;
    err.buf_offset = 8416;
    err.problem = "not 0 or 1";
    sdei_blob_error_format(&err);
    ck_assert_str_eq(err.text,
                     "registered_event_state[1].route_mode @8: not 0 or 1 (buffer offset 8416)");
    err.vcpu = 3;
    err.strct = "vcpu_event_state";
    err.field = "num";
    err.entry = 0;
    err.offset = 0;
    err.buf_offset = 0;
    err.problem = "event not exposed";
    sdei_blob_error_format(&err);
    ck_assert_str_eq(err.text,
                     "vcpu[3].vcpu_event_state[0].num @0: event not exposed (buffer offset 0)");
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_exposed_encode_writes_golden_bytes,
        test_registered_encode_writes_golden_bytes_at_every_field_offset,
        test_vcpu_event_encode_writes_golden_bytes,
        test_vcpu_state_encode_writes_golden_bytes,
        test_every_kernel_recorded_blob_reencodes_byte_identically,
        test_kernel_registered_blob_with_hole_decodes_to_recorded_fields,
        test_kernel_exposed_and_vcpu_event_blobs_decode_to_recorded_fields,
        test_decode_truncated_at_every_offset_fails_without_reading_past_buffer,
        test_encode_into_short_buffer_fails_without_writing,
        test_codec_null_arguments_return_e_null,
        test_random_bytes_survive_decode_encode_for_every_struct,
        test_blob_error_text_names_struct_field_entry_and_offsets,
    };
    return t_run_tests("blob", tests, T_COUNT(tests));
}
