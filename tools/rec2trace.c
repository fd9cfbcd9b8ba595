/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rec2trace - import the v5 kernel recordings (shared/kernel-recordings, *.rec)
 * into the project's trace format (docs/trace-format.md), so that what the
 * kernel series' own code returned replays against the model under the
 * kvm-v5 profile (DESIGN §7).
 *
 *   rec2trace FILE.rec OUTDIR     writes OUTDIR/<name>.trace, <name>_2.trace, ...
 *                                 (one trace per `vm` line of the recording)
 *
 * Recording commands the model has no counterpart for (allocation failure,
 * the in-kernel notifier and cancel APIs, state dumps, NULL user pointers)
 * become comments saying so; the result that depends on them is not checked.
 * Exit (README.md, "Exit codes"): 0 ok (and --help, --version), 3 bad input
 * (FILE:LINE: what was expected; a file that is no recording, a directory, a
 * usage error), 4 I/O (the file and strerror).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blobfmt.h"
#include "names.h"
#include "rec_fields.h"
#include "sdei/sdei_abi.h"
#include "sdei/sdei_vmm.h"
#include "trace.h"

#define MAX_LINE (1u << 20)
#define MAX_TOK 1024
#define MAX_VCPUS 512
#define EXIT_BAD_INPUT 3
#define EXIT_IO 4

const char *g_file;
unsigned g_line;

void die(int code, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%u: ", g_file, g_line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

/* ---- the output trace of one `vm` segment ---- */

typedef struct seg {
    char *buf;
    size_t len, cap;
    unsigned vcpus;
    int skip_rest;                /* after a failed migration: stop checking */
    uint64_t stack[MAX_VCPUS][2]; /* running events: [0] normal, [1] critical */
    uint8_t running[MAX_VCPUS][2];
} seg;

static void out(seg *s, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            die(EXIT_IO, "formatting failed");
        }
        if ((size_t)n < s->cap - s->len) {
            s->len += (size_t)n;
            return;
        }
        size_t cap = s->cap * 2 + (size_t)n + 1;
        char *nb = realloc(s->buf, cap);
        if (nb == NULL) {
            die(EXIT_IO, "out of memory");
        }
        s->buf = nb;
        s->cap = cap;
    }
}

/* Room for n more bytes of s. */
static char *seg_room(seg *s, size_t n)
{
    if (s->cap - s->len <= n) {
        size_t cap = s->cap * 2 + n + 1;
        char *nb = realloc(s->buf, cap);
        if (nb == NULL) {
            die(EXIT_IO, "out of memory");
        }
        s->buf = nb;
        s->cap = cap;
    }
    return s->buf + s->len;
}

/* Trace lines are written by the trace module's writers (trace.h). */
static void out_action(seg *s, const sim_action *a)
{
    s->len += sim_format_action(seg_room(s, sim_format_room(a->data_len)), a);
}

static void out_result(seg *s, const sim_result *r)
{
    s->len += sim_format_result(seg_room(s, sim_format_room(r->data_len)), r);
}

static void out_check(seg *s, const sim_check *c)
{
    s->len += sim_format_check(seg_room(s, sim_format_room(c->data_len)), c);
}

/* ---- one recording line ---- */

/* The registers a result prints, as result fields (hvc: x0..x3 pc pstate;
 * deliver: also spsr_el1). */
static void result_regs(sim_result *r, const char *res, int with_spsr)
{
    static const struct {
        const char *rec;
        uint32_t bit;
    } regs[] = {{"x0", SIM_F_X0},        {"x1", SIM_F_X1}, {"x2", SIM_F_X2},
                {"x3", SIM_F_X3},        {"pc", SIM_F_PC}, {"pstate", SIM_F_PSTATE},
                {"spsr_el1", SIM_F_SPSR}};
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        char v[64];
        uint64_t x;
        if ((regs[i].bit != SIM_F_SPSR || with_spsr) && rec_field(res, regs[i].rec, v, sizeof(v))) {
            if (!rec_parse_u64(v, &x)) {
                die(EXIT_BAD_INPUT, "expected a number for %s=, got '%s'", regs[i].rec, v);
            }
            sim_result_set(r, regs[i].bit, x);
            r->fields |= regs[i].bit;
        }
    }
}

static int is_complete(const sim_action *a)
{
    return a->call == SDEI_CALL_EVENT_COMPLETE || a->call == SDEI_CALL_EVENT_COMPLETE_AND_RESUME ||
           (a->call == SDEI_CALL_ID_NONE &&
            (a->fid == SDEI_FID_EVENT_COMPLETE || a->fid == SDEI_FID_EVENT_COMPLETE_AND_RESUME));
}

/* "hvc V FID|NAME [X1..X5] [NAME]" */
static void hvc_action(char **tok, int n, sim_action *a)
{
    memset(a, 0, sizeof(*a));
    a->kind = SIM_A_HVC;
    a->vcpu = rec_need_vcpu(tok[1]);
    int call = sim_call_by_name(tok[2], strlen(tok[2]));
    if (call >= 0) {
        a->call = (uint8_t)call;
    } else {
        a->call = SDEI_CALL_ID_NONE;
        a->fid = rec_need_u64(tok[2], "a call name or a function ID");
    }
    for (int i = 3; i < n && tok[i][0] != '['; i++) {
        if (i - 3 >= 5) {
            die(EXIT_BAD_INPUT, "expected at most 5 arguments after hvc V FID");
        }
        if (sim_parse_value(tok[i], strlen(tok[i]), &a->arg[i - 3]) != 0) {
            die(EXIT_BAD_INPUT, "expected a number for x%d, got '%s'", i - 2, tok[i]);
        }
    }
}

static void do_hvc(seg *s, char **tok, int n, const char *res)
{
    sim_action a;
    sim_result r;
    if (n < 3) {
        die(EXIT_BAD_INPUT, "expected hvc V FID [X1..X5]");
    }
    hvc_action(tok, n, &a);
    out_action(s, &a);
    memset(&r, 0, sizeof(r));
    r.kind = SIM_R_RET;
    r.any_kind = 1; /* "< x0=...": ret, notsdei or noresult */
    uint32_t v = a.vcpu;
    if (is_complete(&a) && (s->running[v][1] || s->running[v][0])) {
        /* v5 COMPLETE succeeds whenever a handler runs (kvm-v5 §5.3). */
        int c = s->running[v][1] ? 1 : 0;
        r.kind = SIM_R_COMPLETED;
        r.any_kind = 0;
        r.num = s->stack[v][c];
        r.fields |= SIM_F_NUM;
        s->running[v][c] = 0;
    }
    result_regs(&r, res, 0);
    out_result(s, &r);
}

static void do_deliver(seg *s, char **tok, int n, const char *res)
{
    sim_action a;
    sim_result r;
    if (n < 2) {
        die(EXIT_BAD_INPUT, "expected deliver V");
    }
    memset(&a, 0, sizeof(a));
    memset(&r, 0, sizeof(r));
    a.kind = SIM_A_DELIVER;
    a.vcpu = rec_need_vcpu(tok[1]);
    out_action(s, &a);
    char entered[8], running[16];
    if (!rec_field(res, "entered_handler", entered, sizeof(entered))) {
        die(EXIT_BAD_INPUT, "deliver result without entered_handler=");
    }
    r.kind = SIM_R_NONE;
    if (strcmp(entered, "1") == 0) {
        int found;
        int critical =
            rec_field(res, "running", running, sizeof(running)) && !strcmp(running, "critical");
        r.kind = SIM_R_ENTERED;
        r.num = rec_field_u64(res, "x0", &found);
        r.prio = (uint8_t)critical;
        r.fields = SIM_F_NUM | SIM_F_PRIO;
        s->stack[a.vcpu][critical] = r.num;
        s->running[a.vcpu][critical] = 1;
        result_regs(&r, res, 1);
    }
    out_result(s, &r);
}

/* "regs V" prints every register: "= regs V" checks, 8 registers a line. */
static void do_regs(seg *s, char **tok, int n, const char *res)
{
    sim_check c;
    if (n < 2) {
        die(EXIT_BAD_INPUT, "expected regs V");
    }
    memset(&c, 0, sizeof(c));
    c.kind = SIM_C_REGS;
    c.vcpu = rec_need_vcpu(tok[1]);
    for (unsigned reg = 0; reg < SIM_REG_COUNT; reg++) {
        /* the recorder spells them elr_el1 and spsr_el1 */
        const char *name = reg == SIM_REG_ELR    ? "elr_el1"
                           : reg == SIM_REG_SPSR ? "spsr_el1"
                                                 : sim_reg_name(reg);
        char v[64];
        if (rec_field(res, name, v, sizeof(v))) {
            c.reg[c.nregs] = (uint8_t)reg;
            c.val[c.nregs++] = rec_need_u64(v, "a register value");
        }
        if (c.nregs == SIM_TRACE_MAX_SETREG || (reg + 1 == SIM_REG_COUNT && c.nregs > 0)) {
            out_check(s, &c);
            c.nregs = 0;
        }
    }
}

/* The blob kind a SET/GET command carries. */
static int cmd_blob(const char *cmd, sim_blob_kind *kind)
{
    if (strstr(cmd, "EXPOSED_EVENT")) {
        *kind = SIM_BLOB_EXPOSED;
        return 1;
    }
    if (strstr(cmd, "REGISTERED_EVENT")) {
        *kind = SIM_BLOB_REGISTERED;
        return 1;
    }
    if (strstr(cmd, "VCPU_EVENT")) {
        *kind = SIM_BLOB_VCPU_EVENT;
        return 1;
    }
    if (strstr(cmd, "VCPU_STATE")) {
        *kind = SIM_BLOB_VCPU_STATE;
        return 1;
    }
    return 0;
}

/* Turns the recorder's decoded form of one entry ("{num=0x0 route_mode=0x0 ...
 * critical_regs={x1=0x2000 pc=0x1000} ...}") into the "k=v,k=v" SET syntax.
 * Fields it prints without an index ("enabled=0") are all-zero bitmaps. */
static int decoded_to_entry(const char *dec, size_t len, char *outbuf, size_t cap)
{
    size_t w = 0;
    const char *prefix = "";
    size_t i = 0;
    if (len >= 2 && dec[0] == '{' && dec[len - 1] == '}') {
        i = 1;
        len--;
    }
    if (strncmp(dec + i, "untouched", 9) == 0) {
        return 0;
    }
    while (i < len) {
        while (i < len && dec[i] == ' ') {
            i++;
        }
        if (i >= len) {
            break;
        }
        if (dec[i] == '}') {
            prefix = "";
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && dec[i] != ' ' && dec[i] != '}') {
            i++;
        }
        char kv[128];
        size_t n = i - start < sizeof(kv) - 1 ? i - start : sizeof(kv) - 1;
        memcpy(kv, dec + start, n);
        kv[n] = '\0';
        if (!strncmp(kv, "critical_regs={", 15) || !strncmp(kv, "normal_regs={", 13)) {
            prefix = kv[0] == 'c' ? "c" : "n";
            memmove(kv, strchr(kv, '{') + 1, strlen(strchr(kv, '{') + 1) + 1);
            if (kv[0] == '\0') {
                continue;
            }
        }
        char *eq = strchr(kv, '=');
        if (eq == NULL) {
            return 0;
        }
        *eq = '\0';
        char key[160];
        if (prefix[0] != '\0') {
            if (kv[0] == 'x') {
                snprintf(key, sizeof(key), "%sx.%s", prefix, kv + 1);
            } else {
                snprintf(key, sizeof(key), "%s%s", prefix, kv);
            }
        } else if (!strcmp(kv, "registered") || !strcmp(kv, "enabled") ||
                   !strcmp(kv, "unregister_pending")) {
            continue; /* printed without an index only when all zero */
        } else {
            snprintf(key, sizeof(key), "%s", kv);
        }
        int m = snprintf(outbuf + w, cap - w, "%s%s=%s", w ? "," : "", key, eq + 1);
        if (m < 0 || (size_t)m >= cap - w) {
            return 0;
        }
        w += (size_t)m;
    }
    return w > 0;
}

static uint8_t act_data[SIM_TRACE_MAX_DATA], res_data[SIM_TRACE_MAX_DATA];

/* "< vmm ret=R" of an ioctl result. */
static void vmm_result(sim_result *r, const char *res)
{
    char ret[32];
    int32_t e;
    uint64_t v;
    memset(r, 0, sizeof(*r));
    r->kind = SIM_R_VMM;
    r->fields = SIM_F_RET;
    if (!rec_field(res, "ret", ret, sizeof(ret))) {
        die(EXIT_BAD_INPUT, "ioctl result without ret=");
    }
    if (sim_errno_by_name(ret, strlen(ret), &e) == 0) {
        r->ret = e;
    } else if (rec_parse_u64(ret, &v) && (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
        r->ret = (int32_t)(int64_t)v;
    } else {
        die(EXIT_BAD_INPUT, "expected ret=0 or ret=-ERRNO, got '%s'", ret);
    }
}

/* The entries of a SET ("k=v,k=v" or "hex:..."), or, when the recorder
 * shortened them, the bytes the next GET of the same kind returns. */
static void set_data(sim_blob_kind kind, char **tok, int from, int n, const char *lookahead,
                     sim_action *a)
{
    size_t len = 0;
    int truncated = 0;
    for (int i = from; i < n; i++) {
        if (!strncmp(tok[i], "count=", 6)) {
            a->count = (uint32_t)rec_need_u64(tok[i] + 6, "count=NUMBER");
            a->has_count = 1;
        } else if (strstr(tok[i], "...(") != NULL) {
            truncated = 1; /* the recorder shortened a long argument */
        } else if (strcmp(tok[i], "nohex") != 0 && strcmp(tok[i], "nodecode") != 0 && !truncated) {
            if (len + sim_blob_entry_size(kind) > sizeof(act_data)) {
                die(EXIT_BAD_INPUT, "a SET of more than %zu bytes", sizeof(act_data));
            }
            len += rec_encode_entry(kind, tok[i], act_data + len);
        }
    }
    if (truncated) {
        /* The kernel stores SET entries verbatim (kvm-v5 §6), so the next
         * GET of the same kind returns exactly the bytes that were set. */
        if (lookahead == NULL) {
            die(EXIT_BAD_INPUT, "shortened SET argument and no GET blob follows");
        }
        if (sim_parse_hex(lookahead, strlen(lookahead), act_data, sizeof(act_data), &len) != 0) {
            die(EXIT_BAD_INPUT, "expected the later GET's blob= as hex");
        }
    }
    if (len > 0) {
        a->data = act_data;
        a->data_len = len;
    }
}

/* The recorder printed only the decoded fields ("decoded={...}|{...}"):
 * re-encode them. Returns the byte count. */
static size_t decoded_data(sim_blob_kind kind, const char *dec)
{
    static char entry[1 << 16];
    size_t len = 0;
    const char *p = dec + 8;
    while (*p == '{' && len + sim_blob_entry_size(kind) <= sizeof(res_data)) {
        int depth = 0;
        const char *q = p;
        for (; *q; q++) {
            depth += *q == '{';
            depth -= *q == '}';
            if (depth == 0) {
                break;
            }
        }
        if (*q != '}' || !decoded_to_entry(p, (size_t)(q - p + 1), entry, sizeof(entry))) {
            break;
        }
        len += rec_encode_entry(kind, entry, res_data + len);
        p = q + 1 + (q[1] == '|');
    }
    return len;
}

/* The data of a successful GET: blob= (entries separated by '|'), else the
 * decoded fields re-encoded. */
static void get_data(sim_blob_kind kind, const char *res, sim_result *r)
{
    static char hex[2 * sizeof(res_data) + 1];
    const char *b = strstr(res, "blob=");
    const char *dec = strstr(res, "decoded=");
    size_t len = 0, h = 0;
    if (b != NULL) {
        for (b += 5; *b != '\0' && *b != ' ' && h < sizeof(hex) - 1; b++) {
            if (*b != '|') {
                hex[h++] = *b;
            }
        }
        if (sim_parse_hex(hex, h, res_data, sizeof(res_data), &len) != 0) {
            die(EXIT_BAD_INPUT, "expected blob=HEX with '|' between entries");
        }
    } else if (dec != NULL && (kind == SIM_BLOB_REGISTERED || kind == SIM_BLOB_VCPU_STATE)) {
        len = decoded_data(kind, dec);
        if (len == 0) {
            return;
        }
    } else {
        return;
    }
    r->data = res_data;
    r->data_len = len;
    r->fields |= SIM_F_DATA;
}

static void do_ioctl(seg *s, char **tok, int n, const char *res, const char *lookahead_blob)
{
    int vcpu_cmd = !strcmp(tok[0], "ioctl-vcpu");
    int at = vcpu_cmd ? 2 : 1;
    sim_action a;
    sim_result r;
    if (n <= at) {
        die(EXIT_BAD_INPUT, "expected %s%s CMD", tok[0], vcpu_cmd ? " V" : "");
    }
    const char *cmd = tok[at];
    for (int i = at + 1; i < n; i++) {
        if (!strcmp(tok[i], "null") || !strcmp(tok[i], "cmdnull")) {
            out(s, "# not modelled: %s %s with a NULL user pointer (-EFAULT)\n", tok[0], cmd);
            return;
        }
    }
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_VMM;
    a.vcpu = vcpu_cmd ? rec_need_vcpu(tok[1]) : SDEI_VMM_VM;
    int c = sim_vmm_cmd_by_name(cmd, strlen(cmd));
    uint64_t num;
    if (c < 0 && (!rec_parse_u64(cmd, &num) || num > UINT32_MAX)) {
        die(EXIT_BAD_INPUT, "expected a KVM_SDEI_CMD_* name or number, got '%s'", cmd);
    }
    a.vmm_cmd = c >= 0 ? (uint32_t)c : (uint32_t)num;
    vmm_result(&r, res);
    sim_blob_kind kind;
    int has_blob = cmd_blob(cmd, &kind);
    if (!strncmp(cmd, "SET_", 4) && has_blob) {
        set_data(kind, tok, at + 1, n, lookahead_blob, &a);
    } else if (a.vmm_cmd == SDEI_CMD_INJECT_EVENT) {
        a.num = n > at + 1 ? rec_need_u64(tok[at + 1], "an event number") : 0;
    } else if (!strncmp(cmd, "GET_", 4) && has_blob && a.vmm_cmd != SDEI_CMD_GET_VCPU_STATE &&
               n > at + 1 && isdigit((unsigned char)tok[at + 1][0])) {
        a.count = (uint32_t)rec_need_u64(tok[at + 1], "a count");
        a.has_count = 1;
    }
    char v[32];
    if (strstr(cmd, "_COUNT") && rec_field(res, "count", v, sizeof(v))) {
        r.count = (uint32_t)rec_need_u64(v, "count=NUMBER");
        r.fields |= SIM_F_COUNT;
    }
    if (has_blob && !strncmp(cmd, "GET_", 4) && r.ret == 0) {
        get_data(kind, res, &r);
    }
    out_action(s, &a);
    out_result(s, &r);
}

/* "setreg V NAME VALUE" */
static void do_setreg(seg *s, char **tok, int n)
{
    sim_action a;
    if (n != 4) {
        die(EXIT_BAD_INPUT, "expected setreg V NAME VALUE");
    }
    if (!strcmp(tok[2], "flags")) {
        out(s, "# not modelled: KVM's vcpu flags (%s)\n", tok[3]);
        return;
    }
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_SETREG;
    a.vcpu = rec_need_vcpu(tok[1]);
    int reg = sim_reg_by_name(tok[2], strlen(tok[2]));
    if (reg < 0) {
        die(EXIT_BAD_INPUT,
            "expected a register name (x0..x30 sp pc pstate elr_el1 spsr_el1), "
            "got '%s'",
            tok[2]);
    }
    a.reg[0] = (uint8_t)reg;
    a.val[0] = rec_need_u64(tok[3], "a register value");
    a.nregs = 1;
    out_action(s, &a);
}

/* An action and its result with no fields of their own: "> migrate" /
 * "< ok", "> vmm V CMD [num=N]" / "< vmm ret=R". */
static void out_pair(seg *s, unsigned kind, uint32_t vcpu, uint32_t cmd, uint64_t num,
                     unsigned rkind, int32_t ret)
{
    sim_action a;
    sim_result r;
    memset(&a, 0, sizeof(a));
    memset(&r, 0, sizeof(r));
    a.kind = (uint8_t)kind;
    a.vcpu = vcpu;
    a.vmm_cmd = cmd;
    a.num = num;
    r.kind = (uint8_t)rkind;
    r.ret = ret;
    r.fields = rkind == SIM_R_VMM ? SIM_F_RET : 0;
    out_action(s, &a);
    out_result(s, &r);
}

static void out_header(seg *s, unsigned vcpus)
{
    sim_header h;
    memset(&h, 0, sizeof(h));
    h.version = SIM_TRACE_VERSION;
    h.profile = SDEI_PROFILE_KVM_V5;
    h.vcpus = vcpus;
    h.span = 1;
    h.has_bind = 1; /* bind=0/0: the v5 series has no INTERRUPT_BIND */
    s->len += sim_format_header(seg_room(s, SIM_TRACE_LINE_ROOM), &h);
}

/* ---- driver ---- */

typedef struct rec_line {
    char *text;
    unsigned lineno;
} rec_line;

static void write_seg(seg *s, const char *outdir, const char *base, int index)
{
    char path[4096];
    if (index == 1) {
        snprintf(path, sizeof(path), "%s/%s.trace", outdir, base);
    } else {
        snprintf(path, sizeof(path), "%s/%s_%d.trace", outdir, base, index);
    }
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(s->buf, 1, s->len, f) != s->len || fclose(f) != 0) {
        fprintf(stderr, "rec2trace: cannot write %s: %s\n", path, strerror(errno));
        exit(EXIT_IO);
    }
    printf("%s\n", path);
}

/* The first blob= of a later GET of the same kind, hex without separators. */
static char *find_blob_after(rec_line *lines, size_t nlines, size_t from, sim_blob_kind kind)
{
    for (size_t i = from + 1; i < nlines; i++) {
        sim_blob_kind k;
        const char *t = lines[i].text;
        if (strncmp(t, "ioctl-", 6) != 0 || strstr(t, " GET_") == NULL || !cmd_blob(t, &k) ||
            k != kind) {
            continue;
        }
        const char *b = strstr(t, "blob=");
        if (b == NULL) {
            continue;
        }
        b += 5;
        size_t len = strcspn(b, " ");
        char *copy = malloc(len + 1);
        if (copy == NULL) {
            die(EXIT_IO, "out of memory");
        }
        size_t w = 0;
        for (size_t j = 0; j < len; j++) {
            if (b[j] != '|') {
                copy[w++] = b[j];
            }
        }
        copy[w] = '\0';
        return copy;
    }
    return NULL;
}

/* The whole recording, one entry per line (a SET shortened by the recorder
 * needs a later GET's bytes). */
static rec_line *read_lines(FILE *f, size_t *nlines)
{
    rec_line *lines = NULL;
    size_t n = 0, cap = 0;
    char *buf = malloc(MAX_LINE);
    unsigned lineno = 0;
    if (buf == NULL) {
        die(EXIT_IO, "out of memory");
    }
    while (fgets(buf, MAX_LINE, f) != NULL) {
        size_t len = strlen(buf);
        lineno++;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ')) {
            buf[--len] = '\0';
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            lines = realloc(lines, cap * sizeof(*lines));
            if (lines == NULL) {
                die(EXIT_IO, "out of memory");
            }
        }
        lines[n].text = strdup(buf);
        lines[n].lineno = lineno;
        if (lines[n].text == NULL) {
            die(EXIT_IO, "out of memory");
        }
        n++;
    }
    free(buf);
    if (ferror(f)) {
        fprintf(stderr, "rec2trace: %s: cannot read: %s\n", g_file, strerror(errno));
        exit(EXIT_IO);
    }
    *nlines = n;
    return lines;
}

/* The conversion of one recording: the segment being written and what the
 * lines before said about the next ones. */
typedef struct conv {
    seg s;
    int index, skip_next, skip_segment;
    const char *base, *outdir;
    rec_line *lines;
    size_t nlines;
} conv;

/* "vm N": the previous segment is written, a new trace starts. */
static void do_vm(conv *c, char **tok, int n)
{
    if (c->index > 0 && !c->skip_segment) {
        write_seg(&c->s, c->outdir, c->base, c->index);
    }
    free(c->s.buf);
    memset(&c->s, 0, sizeof(c->s));
    c->index++;
    c->s.vcpus = n > 1 ? (unsigned)rec_need_u64(tok[1], "a vCPU count") : 0;
    if (c->s.vcpus < 1 || c->s.vcpus > MAX_VCPUS) {
        die(EXIT_BAD_INPUT, "expected vm 1..%d", MAX_VCPUS);
    }
    c->skip_segment = c->skip_next; /* a VM created under allocation failure */
    c->skip_next = 0;
    out(&c->s,
        "# Imported by tools/rec2trace from shared/kernel-recordings/%s.rec, "
        "line %u: the v5 kernel series' own sdei.c, run unmodified.\n",
        c->base, g_line);
    out(&c->s, "# rule: kvm-v5 profile reproduces the recorded kernel (DESIGN §7)\n");
    out_header(&c->s, c->s.vcpus);
}

static void do_inject(seg *s, char **tok, int n, const char *text, const char *res)
{
    if (n >= 4 && strcmp(tok[3], "0") != 0) {
        out(s, "# not modelled: in-kernel immediate injection `%s` (%s)\n", text, res);
    } else if (n >= 3) {
        sim_result r;
        vmm_result(&r, res);
        out(s, "# in-kernel kvm_sdei_inject_event(immediate=false): the checks of "
               "INJECT_EVENT\n");
        out_pair(s, SIM_A_VMM, rec_need_vcpu(tok[1]), SDEI_CMD_INJECT_EVENT,
                 rec_need_u64(tok[2], "an event number"), SIM_R_VMM, r.ret);
    }
}

static void do_migrate(seg *s, const char *res)
{
    char eq[8];
    if (rec_field(res, "all_equal", eq, sizeof(eq)) && !strcmp(eq, "1")) {
        out_pair(s, SIM_A_MIGRATE, 0, 0, 0, SIM_R_OK, 0);
        return;
    }
    /* The kernel's own migration failed (e.g. route_mode.rec): its
     * destination VM is half-restored; nothing after it compares. */
    out(s,
        "# kernel migration failed (%s); the recording continues on a "
        "half-restored VM, so the rest is not replayed\n",
        res);
    out_pair(s, SIM_A_VMM, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT, 0, SIM_R_VMM, 0);
    s->skip_rest = 1;
}

static void do_ioctl_line(conv *c, size_t i, char **tok, int n, const char *res)
{
    sim_blob_kind k;
    char *look = NULL;
    if (strstr(c->lines[i].text, "...(") != NULL && n > 1 &&
        cmd_blob(tok[!strcmp(tok[0], "ioctl-vcpu") ? 2 : 1], &k)) {
        look = find_blob_after(c->lines, c->nlines, i, k);
    }
    do_ioctl(&c->s, tok, n, res, look);
    free(look);
}

/* Commands the model has no counterpart for become comments; 0 if tok[0]
 * is none of them. */
static int do_unmodelled(conv *c, char **tok, const char *text, const char *res)
{
    if (!strcmp(tok[0], "failalloc")) {
        out(&c->s, "# not modelled: %s (allocation failure injection)\n", text);
        c->skip_next = 1;
    } else if (!strcmp(tok[0], "state") || !strcmp(tok[0], "sizes") || !strcmp(tok[0], "allocs")) {
        out(&c->s, "# kernel %s dump not compared\n", tok[0]);
    } else if (!strcmp(tok[0], "notifier") || !strcmp(tok[0], "cancel")) {
        out(&c->s, "# not modelled: in-kernel API `%s` -> %s\n", text, res);
    } else if (!strncmp(tok[0], "destroy", 7) || !strcmp(tok[0], "select") ||
               !strcmp(tok[0], "el1-32bit")) {
        out(&c->s, "# not modelled: %s\n", text);
    } else {
        return 0;
    }
    return 1;
}

/* One command of the current VM. */
static void do_command(conv *c, size_t i, char **tok, int n, const char *res)
{
    const char *text = c->lines[i].text;
    if (!strcmp(tok[0], "echo")) {
        text += 4;
        while (*text == ' ') {
            text++;
        }
        out(&c->s, "# %s\n", text);
    } else if (c->skip_next && strcmp(tok[0], "failalloc") != 0) {
        out(&c->s, "# not modelled: `%s` ran under an allocation failure\n", text);
        c->skip_next = 0;
    } else if (!strcmp(tok[0], "hvc")) {
        do_hvc(&c->s, tok, n, res);
    } else if (!strcmp(tok[0], "deliver")) {
        do_deliver(&c->s, tok, n, res);
    } else if (!strcmp(tok[0], "setreg")) {
        do_setreg(&c->s, tok, n);
    } else if (!strcmp(tok[0], "regs")) {
        do_regs(&c->s, tok, n, res);
    } else if (!strcmp(tok[0], "ioctl-vm") || !strcmp(tok[0], "ioctl-vcpu")) {
        do_ioctl_line(c, i, tok, n, res);
    } else if (!strcmp(tok[0], "inject")) {
        do_inject(&c->s, tok, n, text, res);
    } else if (!strcmp(tok[0], "migrate")) {
        do_migrate(&c->s, res);
    } else if (!do_unmodelled(c, tok, text, res)) {
        die(EXIT_BAD_INPUT, "unknown recording command '%s'", tok[0]);
    }
}

/* Line i of the recording: "COMMAND ARGS -> RESULT". */
static void convert_line(conv *c, size_t i)
{
    char *tok[MAX_TOK];
    char empty[1] = "";
    char *line = strdup(c->lines[i].text);
    if (line == NULL) {
        die(EXIT_IO, "out of memory");
    }
    g_line = c->lines[i].lineno;
    char *arrow = strstr(line, " -> ");
    char *res = arrow != NULL ? arrow + 4 : empty;
    if (arrow != NULL) {
        *arrow = '\0';
    }
    rec_strip_braces(res);
    int n = rec_split(line, tok, MAX_TOK);
    if (n > 0 && !strcmp(tok[0], "vm")) {
        do_vm(c, tok, n);
    } else if (n > 0 && c->index > 0 && !c->skip_segment && !c->s.skip_rest) {
        do_command(c, i, tok, n, res); /* nothing before the first VM */
    }
    free(line);
}

static const char usage[] =
    "usage: rec2trace FILE.rec OUTDIR\n"
    "Imports a recording of the v5 KVM SDEI series' own code (shared/kernel-recordings)\n"
    "into traces (docs/trace-format.md): OUTDIR/NAME.trace, NAME_2.trace, ... one per\n"
    "'vm' line, each path printed on stdout.\n"
    "\n"
    "  -h, --help     this text\n"
    "      --version  print the version and exit\n"
    "\n"
    "Exit status: 0 ok, 3 bad input (FILE:LINE: what was expected; a file that is no\n"
    "recording), 4 I/O error.\n";

/* Options and the two operands; returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(usage, stdout);
            return 0;
        }
        if (ch == 'V') {
            printf("rec2trace %s\n", SDEI_SIM_VERSION);
            return 0;
        }
        fprintf(stderr, "rec2trace: unknown option '%s'\nTry 'rec2trace --help'.\n",
                argv[optind - 1]);
        return EXIT_BAD_INPUT;
    }
    if (argc - optind != 2) {
        fprintf(stderr,
                "rec2trace: expected FILE.rec and OUTDIR, got %d argument(s)\n"
                "Try 'rec2trace --help'.\n",
                argc - optind);
        return EXIT_BAD_INPUT;
    }
    struct stat st;
    if (stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "rec2trace: %s: a directory, expected a recording file (.rec)\n",
                argv[optind]);
        return EXIT_BAD_INPUT;
    }
    return -1;
}

int main(int argc, char **argv)
{
    conv c;
    int rc = parse_args(argc, argv);
    if (rc >= 0) {
        return rc;
    }
    argv += optind - 1; /* argv[1], argv[2]: the operands */
    g_file = argv[1];
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        fprintf(stderr, "rec2trace: cannot open %s: %s\n", argv[1], strerror(errno));
        return EXIT_IO;
    }
    const char *slash = strrchr(argv[1], '/');
    char base[256];
    snprintf(base, sizeof(base), "%s", slash != NULL ? slash + 1 : argv[1]);
    char *dot = strrchr(base, '.');
    if (dot != NULL) {
        *dot = '\0';
    }
    memset(&c, 0, sizeof(c));
    c.base = base;
    c.outdir = argv[2];
    c.lines = read_lines(f, &c.nlines);
    fclose(f);
    for (size_t i = 0; i < c.nlines; i++) {
        convert_line(&c, i);
    }
    if (c.index == 0) {
        /* garbage, or an empty file: no VM, nothing to convert */
        fprintf(stderr,
                "%s: expected a line 'vm N' (a kernel recording), found none in %zu "
                "line(s)\n",
                g_file, c.nlines);
        rc = EXIT_BAD_INPUT;
    } else if (!c.skip_segment) {
        write_seg(&c.s, c.outdir, c.base, c.index);
    }
    free(c.s.buf);
    for (size_t i = 0; i < c.nlines; i++) {
        free(c.lines[i].text);
    }
    free(c.lines);
    return rc < 0 ? 0 : rc;
}
