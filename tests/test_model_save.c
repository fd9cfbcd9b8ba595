/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_model_save.c - whole-VM restore rejects each malformed field the
 * migration suite does not already break: header counts, record framing,
 * config reserved bytes, bind records (count, kind, interrupt ranges, one
 * interrupt on two slots), exposed/registered counts against the VM's capacity
 * and duplicates, vCPU events with bad or unexposed numbers. Every rejection
 * names struct, field and entry, and leaves the VM unchanged. A kvm-v6 save
 * does not carry KVM_REQ_SDEI (a known gap, pinned). Save layout:
 * docs/migration.md (32-byte header; exposed, registered, per vCPU events +
 * state; CONFIG, BIND, REGS records).
 */
#include <stdlib.h>
#include <string.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_vmm.h"
#include "testlib.h"

#define HDR 32u
#define EX_SIZE SDEI_BLOB_EXPOSED_SIZE
#define REG_SIZE SDEI_BLOB_REGISTERED_SIZE
#define VEV_SIZE SDEI_BLOB_VCPU_EVENT_SIZE
#define VST_SIZE SDEI_BLOB_VCPU_STATE_SIZE

typedef struct save {
    uint8_t *b;
    size_t len;
} save;

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static save save_of(const sdei_vm *vm)
{
    save s = {NULL, 0};
    ck_assert_int_eq(sdei_vm_save_size(vm, &s.len), SDEI_OK);
    s.b = malloc(s.len);
    ck_assert_ptr_nonnull(s.b);
    size_t written = 0;
    ck_assert_int_eq(sdei_vm_save(vm, s.b, s.len, &written), SDEI_OK);
    ck_assert_uint_eq(written, s.len);
    return s;
}

static save copy_of(const save *s)
{
    save c = {malloc(s->len), s->len};
    ck_assert_ptr_nonnull(c.b);
    memcpy(c.b, s->b, s->len);
    return c;
}

/* Where things are in a save (walks the framing). */
typedef struct where {
    uint32_t ne, nr, n;
    size_t exposed, registered, vcpu0, records, cfg, bind, bind_hdr;
} where;

static where where_of(const save *s)
{
    where w;
    memset(&w, 0, sizeof(w));
    w.n = get32(s->b + 8);
    w.ne = get32(s->b + 24);
    w.nr = get32(s->b + 28);
    w.exposed = HDR;
    w.registered = HDR + (size_t)w.ne * EX_SIZE;
    w.vcpu0 = w.registered + (size_t)w.nr * REG_SIZE;
    size_t off = w.vcpu0;
    for (uint32_t v = 0; v < w.n; v++) {
        off += 8 + (size_t)get32(s->b + off) * VEV_SIZE + VST_SIZE;
    }
    w.records = off;
    w.cfg = off + 8;
    w.bind_hdr = w.cfg + get32(s->b + off + 4);
    w.bind = w.bind_hdr + 8;
    return w;
}

/* Inserts n bytes (copied from src, or zeros) at off; keeps total_size right. */
static void splice_in(save *s, size_t off, const uint8_t *src, size_t n)
{
    uint8_t *b = malloc(s->len + n);
    ck_assert_ptr_nonnull(b);
    memcpy(b, s->b, off);
    if (src != NULL) {
        memcpy(b + off, src, n);
    } else {
        memset(b + off, 0, n);
    }
    memcpy(b + off + n, s->b + off, s->len - off);
    free(s->b);
    s->b = b;
    s->len += n;
    put64(s->b + 16, s->len);
}

/* Removes n bytes at off; keeps total_size right. */
static void splice_out(save *s, size_t off, size_t n)
{
    memmove(s->b + off, s->b + off + n, s->len - off - n);
    s->len -= n;
    put64(s->b + 16, s->len);
}

/* 1 if a rejection of strct.field is one of the kernel's own checks (its errno
 * in kernel_errno): the blobs, and the counts the SET commands check. */
static int is_kernel_check(const char *strct, const char *field)
{
    return strncmp(strct, "save_", 5) != 0 || strcmp(field, "nr_exposed") == 0 ||
           strcmp(field, "nr_registered") == 0 || strcmp(field, "nr_events") == 0;
}

/* Restores s into dst: SDEI_E_FORMAT naming strct.field[entry], dst unchanged;
 * kernel_errno 0 unless the check is the kernel's. */
static void expect_rejected(sdei_vm *dst, const save *s, const char *strct, const char *field,
                            uint32_t entry, const char *why)
{
    save before = save_of(dst);
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    err.entry = 0x5A5A; /* what the restore must overwrite */
    err.kernel_errno = 0x5A5A;
    sdei_err e = sdei_vm_restore_ex(dst, s->b, s->len, &err);
    save after = save_of(dst);
    int same = before.len == after.len && memcmp(before.b, after.b, before.len) == 0;
    free(before.b);
    free(after.b);
    ck_assert_msg(e == SDEI_E_FORMAT, "%s: restore returned %d", why, (int)e);
    ck_assert_msg(err.strct != NULL && strcmp(err.strct, strct) == 0 &&
                      strcmp(err.field, field) == 0 && err.entry == entry,
                  "%s: error is \"%s\", want %s[%u].%s", why, err.text, strct, entry, field);
    ck_assert_msg(same, "%s: the rejected restore changed the VM", why);
    ck_assert_msg(is_kernel_check(strct, field) || err.kernel_errno == 0,
                  "%s: %s is no kernel check, kernel_errno %d", why, err.text, err.kernel_errno);
}

/* Two vCPUs, the default events, P registered and enabled on vCPU 0 with a
 * trigger queued (vCPU 0 is masked), C registered on vCPU 0. */
static sdei_vm *source_vm(const sdei_config *cfg)
{
    sdei_vm *vm = t_vm_cfg(cfg);
    t_register_enable(vm, 0, T_EVP, T_EP, T_ARG);
    ck_assert_int_eq(t_trigger(vm, T_EVP, 0), SDEI_TRIGGER_PENDING);
    ck_assert_int_eq(t_callid(vm, 0, SDEI_CALL_EVENT_REGISTER, T_EVC, T_EP, T_ARG, 0, 0), 0);
    return vm;
}

START_TEST(test_save_and_restore_reject_null_arguments_and_report_through_optional_outs)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_SPEC, 1);
    save s = save_of(vm);
    ck_assert_int_eq(sdei_vm_save_size(vm, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_save(NULL, s.b, s.len, NULL), SDEI_E_NULL);
    ck_assert_int_eq(sdei_vm_save(vm, NULL, s.len, NULL), SDEI_E_NULL);
    /* written is optional */
    ck_assert_int_eq(sdei_vm_save(vm, s.b, s.len, NULL), SDEI_OK);
    ck_assert_int_eq(sdei_vm_restore(vm, s.b, s.len, NULL, NULL), SDEI_OK);
    /* a bad buffer with neither out pointer: still SDEI_E_FORMAT */
    s.b[0] = 'X';
    ck_assert_int_eq(sdei_vm_restore(vm, s.b, s.len, NULL, NULL), SDEI_E_FORMAT);
    size_t off = 0;
    ck_assert_int_eq(sdei_vm_restore(vm, s.b, s.len, &off, NULL), SDEI_E_FORMAT);
    ck_assert_uint_eq(off, 0);
    const char *what = NULL;
    ck_assert_int_eq(sdei_vm_restore(vm, s.b, s.len, NULL, &what), SDEI_E_FORMAT);
    ck_assert_str_eq(what, "save_header.magic: not \"SDEI\"");
    free(s.b);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_restore_rejects_bad_header_counts_and_record_framing)
{
    sdei_config cfg = sdei_config_default(2);
    sdei_vm *src = source_vm(&cfg);
    save s = save_of(src);
    where w = where_of(&s);
    sdei_vm *dst = t_vm_bare(SDEI_PROFILE_SPEC, 2);
    save c = copy_of(&s);
    put32(c.b + 8, 0);
    expect_rejected(dst, &c, "save_header", "nr_vcpus", 0, "0 vCPUs");
    memcpy(c.b, s.b, s.len);
    put32(c.b + w.records, 9); /* CONFIG record type */
    expect_rejected(dst, &c, "save_record", "type", 0, "record type 9 first");
    memcpy(c.b, s.b, s.len);
    put32(c.b + w.records + 4, get32(s.b + w.records + 4) - 8); /* CONFIG one MPIDR short */
    expect_rejected(dst, &c, "save_record", "length", 0, "CONFIG length short");
    memcpy(c.b, s.b, s.len);
    put32(c.b + w.bind_hdr + 4, 4 * 16 + 1);
    expect_rejected(dst, &c, "save_record", "length", 1, "BIND length not 16n");
    memcpy(c.b, s.b, s.len);
    put32(c.b + w.bind_hdr + 4, 129 * 16);
    expect_rejected(dst, &c, "save_record", "length", 1, "BIND with 129 entries");
    memcpy(c.b, s.b, s.len);
    c.b[w.cfg + 22] = 1; /* config reserved[1] */
    expect_rejected(dst, &c, "save_config", "reserved", 0, "config reserved byte");
    /* 8 bytes after the REGS record, total_size grown with them: "record" 3 */
    save longer = copy_of(&s);
    splice_in(&longer, longer.len, NULL, 8);
    expect_rejected(dst, &longer, "save_record", "type", 3, "bytes after the last record");
    free(longer.b);
    /* and the unmodified save restores */
    ck_assert_int_eq(sdei_vm_restore_ex(dst, s.b, s.len, NULL), SDEI_OK);
    ck_assert_int_eq(t_state(dst, T_EVP, 0), SDEI_STATE_ENABLED);
    ck_assert_uint_eq(t_pending(dst, T_EVP, 0), 1);
    free(c.b);
    free(s.b);
    sdei_vm_free(src);
    sdei_vm_free(dst);
}
END_TEST

START_TEST(test_restore_rejects_bind_records_that_do_not_fit_the_vms_slots)
{
    /* 4 bind slots: private 0x410000, 0x410001 (PPIs 16..31), shared 0x420000,
     * 0x420001 (SPIs 32..1019) */
    sdei_vm *src = t_vm_bare(SDEI_PROFILE_SPEC, 2);
    save s = save_of(src);
    where w = where_of(&s);
    ck_assert_uint_eq(get32(s.b + w.bind_hdr + 4), 4 * 16);
    sdei_vm *dst = t_vm_bare(SDEI_PROFILE_SPEC, 2);
    save c = copy_of(&s);
    c.b[w.bind + 12] = 2; /* slot 0 said to be a shared slot */
    expect_rejected(dst, &c, "save_bind", "num", 0, "kind of slot 0");
    static const struct {
        uint32_t slot, intid;
        const char *why;
    } bad[] = {
        {0, 15, "SGI 15 on a private slot"},         {0, 32, "SPI 32 on a private slot"},
        {2, 31, "PPI 31 on a shared slot"},          {2, 1020, "1020 (special) on a shared slot"},
        {3, 0xFFFFFFFFu, "2^32-1 on a shared slot"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(c.b, s.b, s.len);
        put32(c.b + w.bind + 16 * bad[i].slot + 8, bad[i].intid);
        expect_rejected(dst, &c, "save_bind", "bound_intid", bad[i].slot, bad[i].why);
    }
    memcpy(c.b, s.b, s.len);
    put32(c.b + w.bind + 8, 20);
    put32(c.b + w.bind + 16 + 8, 20);
    expect_rejected(dst, &c, "save_bind", "bound_intid", 1, "PPI 20 on two slots");
    /* the boundaries of each range are accepted, and the binds are live after restore */
    memcpy(c.b, s.b, s.len);
    put32(c.b + w.bind + 8, 16);
    put32(c.b + w.bind + 16 + 8, 31);
    put32(c.b + w.bind + 32 + 8, 32);
    put32(c.b + w.bind + 48 + 8, 1019);
    ck_assert_int_eq(sdei_vm_restore_ex(dst, c.b, c.len, NULL), SDEI_OK);
    sdei_trigger_result tr;
    ck_assert_int_eq(sdei_interrupt_trigger(dst, 31, 1, &tr), SDEI_OK);
    ck_assert_int_eq(tr, SDEI_TRIGGER_DROPPED); /* bound, not registered */
    ck_assert_int_eq(sdei_interrupt_trigger(dst, 1019, 0, &tr), SDEI_OK);
    ck_assert_int_eq(sdei_interrupt_trigger(dst, 33, 0, &tr), SDEI_E_INTID);
    /* one bind entry fewer than the VM's slots */
    sdei_vm_reset(dst);
    memcpy(c.b, s.b, s.len);
    splice_out(&c, w.bind + 48, 16);
    put32(c.b + w.bind_hdr + 4, 3 * 16);
    expect_rejected(dst, &c, "save_bind", "num", 0, "3 bind entries for 4 slots");
    free(c.b);
    free(s.b);
    sdei_vm_free(src);
    sdei_vm_free(dst);
}
END_TEST

START_TEST(test_restore_rejects_event_counts_past_the_capacity_or_below_the_bind_slots)
{
    sdei_config cfg = sdei_config_default(2);
    cfg.max_events = 9; /* 4 bind slots + the 5 default events: full */
    sdei_vm *src = source_vm(&cfg);
    save s = save_of(src);
    where w = where_of(&s);
    ck_assert_uint_eq(w.ne, 9);
    ck_assert_uint_eq(w.nr, 2);
    sdei_vm *dst = NULL;
    ck_assert_int_eq(sdei_vm_new(&cfg, &dst), SDEI_OK);
    /* a tenth exposed event (a well-formed one) */
    save c = copy_of(&s);
    uint8_t extra[EX_SIZE];
    memcpy(extra, s.b + w.exposed + 5 * EX_SIZE, EX_SIZE);
    put64(extra, UINT64_C(0x400010));
    splice_in(&c, w.registered, extra, EX_SIZE);
    put32(c.b + 24, 10);
    expect_rejected(dst, &c, "save_header", "nr_exposed", 0, "10 exposed in a 9-event VM");
    free(c.b);
    /* ten registered objects (8 more copies of P's: the count is checked first) */
    c = copy_of(&s);
    for (int i = 0; i < 8; i++) {
        splice_in(&c, w.vcpu0, s.b + w.registered, REG_SIZE);
    }
    put32(c.b + 28, 10);
    expect_rejected(dst, &c, "save_header", "nr_registered", 0, "10 registered, capacity 9");
    free(c.b);
    free(s.b);
    sdei_vm_free(src);
    sdei_vm_free(dst);
    /* fewer exposed events than bind slots: the last bind slot's entry missing */
    src = t_vm_bare(SDEI_PROFILE_SPEC, 1);
    dst = t_vm_bare(SDEI_PROFILE_SPEC, 1);
    s = save_of(src);
    w = where_of(&s);
    ck_assert_uint_eq(w.ne, 4);
    splice_out(&s, w.exposed + 3 * EX_SIZE, EX_SIZE);
    put32(s.b + 24, 3);
    expect_rejected(dst, &s, "save_header", "nr_exposed", 0, "3 exposed, 4 bind slots");
    free(s.b);
    sdei_vm_free(src);
    sdei_vm_free(dst);
}
END_TEST

START_TEST(test_restore_rejects_duplicates_and_bad_vcpu_event_numbers)
{
    sdei_config cfg = sdei_config_default(2);
    sdei_vm *src = source_vm(&cfg);
    save s = save_of(src);
    where w = where_of(&s);
    sdei_vm *dst = t_vm_bare(SDEI_PROFILE_SPEC, 2);
    /* exposed: 4 bind slots, then 0, P, C, S, SC; C's entry replaced by P's */
    save c = copy_of(&s);
    memcpy(c.b + w.exposed + 6 * EX_SIZE, s.b + w.exposed + 5 * EX_SIZE, EX_SIZE);
    expect_rejected(dst, &c, "exposed_event_state", "num", 6, "P exposed twice");
    /* registered: P, C; C's object replaced by P's */
    memcpy(c.b, s.b, s.len);
    memcpy(c.b + w.registered + REG_SIZE, s.b + w.registered, REG_SIZE);
    expect_rejected(dst, &c, "registered_event_state", "num", 1, "P registered twice");
    /* vCPU 0's one event: a number with bit 31 set (DESIGN §3.2), then an unexposed one */
    ck_assert_uint_eq(get32(s.b + w.vcpu0), 1);
    memcpy(c.b, s.b, s.len);
    put64(c.b + w.vcpu0 + 8, UINT64_C(0x80400001));
    expect_rejected(dst, &c, "vcpu_event_state", "num", 0, "bit 31");
    memcpy(c.b, s.b, s.len);
    put64(c.b + w.vcpu0 + 8, T_EV_UNEXPOSED);
    expect_rejected(dst, &c, "vcpu_event_state", "num", 0, "unexposed vCPU event");
    /* the reserved word after vCPU 0's event count (no kernel check: entry 0, errno 0) */
    memcpy(c.b, s.b, s.len);
    put32(c.b + w.vcpu0 + 4, 1);
    expect_rejected(dst, &c, "save_vcpu", "reserved", 0, "vCPU 0 reserved word");
    free(c.b);
    free(s.b);
    sdei_vm_free(src);
    sdei_vm_free(dst);
}
END_TEST

/* Errors of the save format itself (header, framing) are no kernel check:
 * kernel_errno is 0, whatever err held before; a count past the kernel's
 * limit is one (-ERANGE). Issue 13: mutants of those zeros survived. */
START_TEST(test_save_format_errors_that_are_not_kernel_checks_have_kernel_errno_zero)
{
    sdei_config cfg = sdei_config_default(2);
    sdei_vm *vm = source_vm(&cfg);
    save s = save_of(vm);
    struct {
        size_t off;
        uint32_t val;
        size_t len_delta; /* bytes cut from the end */
        const char *field;
        int32_t kernel_errno;
    } cases[] = {
        {0, 0x58444553u, 0, "magic", 0},
        {4, 3, 0, "version", 0},
        {8, 0, 0, "nr_vcpus", 0},
        {12, 33, 0, "header_size", 0},
        {SIZE_MAX, 0, 1, "total_size", 0},
        {SIZE_MAX, 0, s.len - 8, "header", 0},
        {24, 129, 0, "nr_exposed", -SDEI_ERANGE},
        {28, 129, 0, "nr_registered", -SDEI_ERANGE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        save c = copy_of(&s);
        if (cases[i].off != SIZE_MAX) {
            put32(c.b + cases[i].off, cases[i].val);
        }
        sdei_vm *dst = t_vm_cfg(&cfg);
        sdei_blob_error err;
        memset(&err, 0x5A, sizeof(err));
        err.text[0] = 0;
        ck_assert_int_eq(sdei_vm_restore_ex(dst, c.b, c.len - cases[i].len_delta, &err),
                         SDEI_E_FORMAT);
        ck_assert_msg(strcmp(err.field, cases[i].field) == 0, "case %zu: %s, want field %s", i,
                      err.text, cases[i].field);
        ck_assert_msg(err.kernel_errno == cases[i].kernel_errno,
                      "case %zu (%s): kernel_errno %d, want %d", i, err.text, err.kernel_errno,
                      cases[i].kernel_errno);
        ck_assert_uint_eq(err.entry, 0);
        free(c.b);
        sdei_vm_free(dst);
    }
    free(s.b);
    sdei_vm_free(vm);
}
END_TEST

/* sdei_save_walk: every kernel blob in restore order, nothing for a bad
 * buffer (the same structural checks as restore), and a callback can stop it. */
typedef struct walk_log {
    sdei_save_piece p[64];
    size_t n;
    size_t stop_at;
} walk_log;

static int log_piece(const sdei_save_piece *pc, const uint8_t *bytes, void *ctx)
{
    walk_log *l = ctx;
    (void)bytes;
    if (l->n < 64) {
        l->p[l->n] = *pc;
    }
    l->n++;
    return l->n == l->stop_at ? 7 : 0;
}

START_TEST(test_save_walk_visits_every_kernel_blob_in_restore_order)
{
    sdei_vm *vm = t_vm_bare(SDEI_PROFILE_SPEC, 2);
    save s = save_of(vm);
    where w = where_of(&s);
    walk_log l = {.n = 0, .stop_at = 0};
    ck_assert_int_eq(sdei_save_walk(s.b, s.len, log_piece, &l, NULL), 0);
    /* exposed, registered, then per vCPU its events (none here) and its state */
    ck_assert_uint_eq(l.n, w.ne + w.nr + 2u);
    ck_assert_int_eq(l.p[0].kind, w.ne > 0 ? SDEI_SAVE_PIECE_EXPOSED : SDEI_SAVE_PIECE_VCPU_STATE);
    ck_assert_uint_eq(l.p[0].offset, 32);
    const sdei_save_piece *last = &l.p[l.n - 1];
    ck_assert_int_eq(last->kind, SDEI_SAVE_PIECE_VCPU_STATE);
    ck_assert_uint_eq(last->vcpu, 1);
    ck_assert_uint_eq(last->size, VST_SIZE);
    /* the callback's non-zero return stops the walk and is returned */
    l = (walk_log){.n = 0, .stop_at = 1};
    ck_assert_int_eq(sdei_save_walk(s.b, s.len, log_piece, &l, NULL), 7);
    ck_assert_uint_eq(l.n, 1);
    /* a bad buffer: -1, no piece visited, the error says where */
    sdei_blob_error err;
    put32(s.b + 4, 3); /* format version 3 */
    l = (walk_log){.n = 0, .stop_at = 0};
    ck_assert_int_eq(sdei_save_walk(s.b, s.len, log_piece, &l, &err), -1);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_uint_eq(err.buf_offset, 4);
    ck_assert_str_eq(err.field, "version");
    put32(s.b + 4, 1);
    put32(s.b + 24, 200); /* nr_exposed */
    ck_assert_int_eq(sdei_save_walk(s.b, s.len, log_piece, &l, &err), -1);
    ck_assert_uint_eq(err.buf_offset, 24);
    ck_assert_int_eq(sdei_save_walk(NULL, 0, log_piece, &l, NULL), -1);
    free(s.b);
    sdei_vm_free(vm);
}
END_TEST

START_TEST(test_kvm_v6_save_does_not_carry_the_delivery_request)
{
    /* A known gap, pinned (docs/migration.md "kvm-v6"): v6 has no migration
     * interface (no_sdei_command), so the simulator's and the fuzzers'
     * migrations are refused on both sides and never reach this save. The
     * model's own whole-VM save of a v6 VM follows v5's rule for KVM_REQ_SDEI
     * (not saved; the restore raises it when nothing runs and an event is
     * queued), so an event waiting for a request on the source
     * (delivery_needs_request: PE_UNMASK raises none) is entered after it. */
    sdei_vm *src = t_vm_bare(SDEI_PROFILE_KVM_V6, 1);
    sdei_vm *dst = t_vm_bare(SDEI_PROFILE_KVM_V6, 1);
    t_register_enable(src, 0, 0, T_EP, T_ARG);
    t_unmask(src, 0);
    ck_assert_int_eq(t_callid(src, 0, SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0, 0), SDEI_SUCCESS);
    ck_assert_int_eq(t_callid(src, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0), 0);
    t_expect_no_delivery(src, 0); /* masked: the entry consumes the request */
    t_unmask(src, 0);
    ck_assert_uint_eq(t_pending(src, 0, 0), 1);
    save s = save_of(src);
    ck_assert_int_eq(sdei_vm_restore(dst, s.b, s.len, NULL, NULL), SDEI_OK);
    t_expect_no_delivery(src, 0); /* waits for the next request */
    t_expect_delivery(dst, 0, 0); /* the restore raised one */
    free(s.b);
    sdei_vm_free(src);
    sdei_vm_free(dst);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_save_and_restore_reject_null_arguments_and_report_through_optional_outs,
        test_restore_rejects_bad_header_counts_and_record_framing,
        test_save_walk_visits_every_kernel_blob_in_restore_order,
        test_restore_rejects_bind_records_that_do_not_fit_the_vms_slots,
        test_restore_rejects_event_counts_past_the_capacity_or_below_the_bind_slots,
        test_restore_rejects_duplicates_and_bad_vcpu_event_numbers,
        test_save_format_errors_that_are_not_kernel_checks_have_kernel_errno_zero,
        test_kvm_v6_save_does_not_carry_the_delivery_request,
    };
    return t_run_tests("model_save", tests, T_COUNT(tests));
}
