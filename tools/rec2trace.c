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
 * Exit: 0 ok, 3 bad input (FILE:LINE: what was expected), 4 I/O.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1u << 20)
#define MAX_TOK 1024
#define MAX_VCPUS 512
#define EXIT_BAD_INPUT 3
#define EXIT_IO 4

static const char *g_file;
static unsigned g_line;

static void die(int code, const char *fmt, ...)
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
    int skip_rest;                 /* after a failed migration: stop checking */
    uint64_t stack[MAX_VCPUS][2];  /* running events: [0] normal, [1] critical */
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

/* ---- tokens and key=value fields ---- */

static int split(char *s, char **tok, int max)
{
    int n = 0;
    for (char *p = strtok(s, " \t"); p != NULL; p = strtok(NULL, " \t")) {
        if (n == max) {
            die(EXIT_BAD_INPUT, "more than %d words on one line", max);
        }
        tok[n++] = p;
    }
    return n;
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    if (s[0] == '-') {
        long long x = strtoll(s, &end, 0);
        *v = (uint64_t)x;
    } else {
        *v = strtoull(s, &end, 0);
    }
    return errno == 0 && end != s && *end == '\0';
}

/* The value of `key=` in a text of blank-separated fields, copied to val. */
static int field(const char *text, const char *key, char *val, size_t cap)
{
    size_t klen = strlen(key);
    for (const char *p = text; (p = strstr(p, key)) != NULL; p++) {
        if ((p == text || p[-1] == ' ' || p[-1] == '{' || p[-1] == ',') && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t n = strcspn(v, " ,}");
            if (n >= cap) {
                n = cap - 1;
            }
            memcpy(val, v, n);
            val[n] = '\0';
            return 1;
        }
    }
    return 0;
}

static uint64_t field_u64(const char *text, const char *key, int *found)
{
    char v[64];
    uint64_t x = 0;
    *found = field(text, key, v, sizeof(v)) && parse_u64(v, &x);
    return x;
}

/* Removes "{notifier: ...}" insertions from a result text. */
static void strip_braces(char *s)
{
    char *w = s;
    int depth = 0;
    for (char *r = s; *r; r++) {
        if (r[0] == '{' && strncmp(r, "{notifier:", 10) == 0) {
            depth = 1;
            continue;
        }
        if (depth && *r == '}') {
            depth = 0;
            continue;
        }
        if (!depth) {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* ---- blobs from key=value entries (the recorder's SET syntax) ---- */

static void put_le(uint8_t *b, size_t off, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        b[off + i] = (uint8_t)(v >> (8 * i));
    }
}

static void put_hexbytes(uint8_t *b, size_t off, const char *hex, size_t n)
{
    if (strlen(hex) != 2 * n) {
        die(EXIT_BAD_INPUT, "expected %zu hex bytes, got '%s'", n, hex);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned x;
        if (sscanf(hex + 2 * i, "%2x", &x) != 1) {
            die(EXIT_BAD_INPUT, "bad hex '%s'", hex);
        }
        b[off + i] = (uint8_t)x;
    }
}

typedef enum { B_EXPOSED, B_REGISTERED, B_VCPU_EVENT, B_VCPU_STATE } blob_kind;
static const size_t blob_size[] = {24, 8408, 16, 344};

/* The recorder's field names, and where each lands in the kernel struct
 * (kvm-v5 §1.2). An indexed field "name.I" is at offset + I * stride, I < max.
 * `bytes` = 0 marks a hex byte string of `max` bytes (padding, the hole). */
typedef struct rec_field {
    blob_kind kind;
    const char *name;
    size_t offset;
    unsigned bytes;
    size_t stride;
    unsigned max;
} rec_field;

static const rec_field rec_fields[] = {
    {B_EXPOSED, "num", 0, 8, 0, 0},
    {B_EXPOSED, "type", 8, 1, 0, 0},
    {B_EXPOSED, "signaled", 9, 1, 0, 0},
    {B_EXPOSED, "priority", 10, 1, 0, 0},
    {B_EXPOSED, "pad", 11, 0, 0, 5},
    {B_EXPOSED, "notifier", 16, 8, 0, 0},
    {B_REGISTERED, "num", 0, 8, 0, 0},
    {B_REGISTERED, "route_mode", 8, 1, 0, 0},
    {B_REGISTERED, "pad", 9, 0, 0, 3},
    {B_REGISTERED, "hole12", 12, 0, 0, 4},
    {B_REGISTERED, "route_affinity", 16, 8, 0, 0},
    {B_REGISTERED, "ep", 24, 8, 8, 512},
    {B_REGISTERED, "arg", 4120, 8, 8, 512},
    {B_REGISTERED, "registered", 8216, 8, 8, 8},
    {B_REGISTERED, "enabled", 8280, 8, 8, 8},
    {B_REGISTERED, "unregister_pending", 8344, 8, 8, 8},
    {B_VCPU_EVENT, "num", 0, 8, 0, 0},
    {B_VCPU_EVENT, "event_count", 8, 4, 0, 0},
    {B_VCPU_EVENT, "padword", 12, 4, 0, 0},
    {B_VCPU_STATE, "masked", 0, 1, 0, 0},
    {B_VCPU_STATE, "pad", 1, 0, 0, 7},
    {B_VCPU_STATE, "critical_num", 8, 8, 0, 0},
    {B_VCPU_STATE, "normal_num", 16, 8, 0, 0},
    {B_VCPU_STATE, "cx", 24, 8, 8, 18},
    {B_VCPU_STATE, "cpc", 24 + 144, 8, 0, 0},
    {B_VCPU_STATE, "cpstate", 24 + 152, 8, 0, 0},
    {B_VCPU_STATE, "nx", 184, 8, 8, 18},
    {B_VCPU_STATE, "npc", 184 + 144, 8, 0, 0},
    {B_VCPU_STATE, "npstate", 184 + 152, 8, 0, 0},
};

/* Writes one "key=value" of the recorder's SET syntax into blob b. */
static void encode_field(blob_kind kind, const char *key, const char *val, uint8_t *b)
{
    for (size_t f = 0; f < sizeof(rec_fields) / sizeof(rec_fields[0]); f++) {
        const rec_field *rf = &rec_fields[f];
        size_t nlen = strlen(rf->name);
        if (rf->kind != kind || strncmp(key, rf->name, nlen) != 0) {
            continue;
        }
        size_t offset = rf->offset;
        if (rf->stride != 0) {
            char *end;
            if (key[nlen] != '.') {
                continue;
            }
            unsigned long idx = strtoul(key + nlen + 1, &end, 10);
            if (*end != '\0' || end == key + nlen + 1 || idx >= rf->max) {
                die(EXIT_BAD_INPUT, "bad index in field '%s'", key);
            }
            offset += (size_t)idx * rf->stride;
        } else if (key[nlen] != '\0') {
            continue;
        }
        if (rf->bytes == 0) {
            put_hexbytes(b, offset, val, rf->max);
            return;
        }
        uint64_t x = 0;
        if (!parse_u64(val, &x)) {
            die(EXIT_BAD_INPUT, "bad number '%s' for %s", val, key);
        }
        put_le(b, offset, x, rf->bytes);
        return;
    }
    die(EXIT_BAD_INPUT, "unknown field '%s' for this blob", key);
}

/* Encodes one "k=v,k=v" (or "hex:...") entry; returns the bytes written. */
static size_t encode_entry(blob_kind kind, char *entry, uint8_t *b)
{
    size_t size = blob_size[kind];
    memset(b, 0, size);
    if (strncmp(entry, "hex:", 4) == 0) {
        put_hexbytes(b, 0, entry + 4, size);
        return size;
    }
    for (char *kv = strtok(entry, ","); kv != NULL; kv = strtok(NULL, ",")) {
        char *eq = strchr(kv, '=');
        if (eq == NULL) {
            die(EXIT_BAD_INPUT, "expected key=value, got '%s'", kv);
        }
        *eq = '\0';
        encode_field(kind, kv, eq + 1, b);
    }
    return size;
}

/* ---- one recording line ---- */

static const char *const hvc_regs[] = {"x0", "x1", "x2", "x3", "pc", "pstate"};

static void out_regs(seg *s, const char *res, const char *const *names, size_t n,
                     const char *const *as)
{
    for (size_t i = 0; i < n; i++) {
        char v[64];
        if (field(res, names[i], v, sizeof(v))) {
            out(s, " %s=%s", as != NULL ? as[i] : names[i], v);
        }
    }
}

static int is_complete(const char *name)
{
    return !strcmp(name, "COMPLETE") || !strcmp(name, "COMPLETE_AND_RESUME") ||
           !strcasecmp(name, "0xC4000025") || !strcasecmp(name, "0xC4000026");
}

static void do_hvc(seg *s, char **tok, int n, const char *res)
{
    if (n < 3) {
        die(EXIT_BAD_INPUT, "expected hvc V FID [X1..X5]");
    }
    unsigned v = (unsigned)strtoul(tok[1], NULL, 0);
    out(s, "> hvc %s %s", tok[1], tok[2]);
    for (int i = 3; i < n && tok[i][0] != '['; i++) {
        out(s, " %s", tok[i]);
    }
    out(s, "\n");
    int found;
    uint64_t x0 = field_u64(res, "x0", &found);
    (void)x0;
    if (is_complete(tok[2]) && v < MAX_VCPUS && (s->running[v][1] || s->running[v][0])) {
        /* v5 COMPLETE succeeds whenever a handler runs (kvm-v5 §5.3). */
        int c = s->running[v][1] ? 1 : 0;
        out(s, "< completed 0x%" PRIx64, s->stack[v][c]);
        s->running[v][c] = 0;
        out_regs(s, res, hvc_regs, 6, NULL);
        out(s, "\n");
        return;
    }
    out(s, "<");
    out_regs(s, res, hvc_regs, 6, NULL);
    out(s, "\n");
}

static void do_deliver(seg *s, char **tok, int n, const char *res)
{
    if (n < 2) {
        die(EXIT_BAD_INPUT, "expected deliver V");
    }
    unsigned v = (unsigned)strtoul(tok[1], NULL, 0);
    out(s, "> deliver %s\n", tok[1]);
    char entered[8], running[16];
    if (!field(res, "entered_handler", entered, sizeof(entered))) {
        die(EXIT_BAD_INPUT, "deliver result without entered_handler=");
    }
    if (strcmp(entered, "1") != 0) {
        out(s, "< none\n");
        return;
    }
    int found;
    uint64_t num = field_u64(res, "x0", &found);
    int critical = field(res, "running", running, sizeof(running)) && !strcmp(running, "critical");
    if (v < MAX_VCPUS) {
        s->stack[v][critical] = num;
        s->running[v][critical] = 1;
    }
    static const char *const names[] = {"x0", "x1", "x2", "x3", "pc", "pstate", "spsr_el1"};
    static const char *const as[] = {"x0", "x1", "x2", "x3", "pc", "pstate", "spsr"};
    out(s, "< entered 0x%" PRIx64 " prio=%s", num, critical ? "critical" : "normal");
    out_regs(s, res, names, 7, as);
    out(s, "\n");
}

static void do_regs(seg *s, char **tok, int n, const char *res)
{
    static const char *const names[] = {
        "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
        "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
        "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",  "pc",
        "pstate", "spsr_el1", "elr_el1"};
    if (n < 2) {
        die(EXIT_BAD_INPUT, "expected regs V");
    }
    size_t count = sizeof(names) / sizeof(names[0]);
    for (size_t i = 0; i < count; i += 8) {
        out(s, "= regs %s", tok[1]);
        out_regs(s, res, names + i, count - i < 8 ? count - i : 8, NULL);
        out(s, "\n");
    }
}

/* The blob kind a SET/GET command carries. */
static int cmd_blob(const char *cmd, blob_kind *kind)
{
    if (strstr(cmd, "EXPOSED_EVENT")) { *kind = B_EXPOSED; return 1; }
    if (strstr(cmd, "REGISTERED_EVENT")) { *kind = B_REGISTERED; return 1; }
    if (strstr(cmd, "VCPU_EVENT")) { *kind = B_VCPU_EVENT; return 1; }
    if (strstr(cmd, "VCPU_STATE")) { *kind = B_VCPU_STATE; return 1; }
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

static void do_ioctl(seg *s, char **tok, int n, char *res, const char *lookahead_blob)
{
    int vcpu_cmd = !strcmp(tok[0], "ioctl-vcpu");
    int at = vcpu_cmd ? 2 : 1;
    if (n <= at) {
        die(EXIT_BAD_INPUT, "expected %s%s CMD", tok[0], vcpu_cmd ? " V" : "");
    }
    const char *target = vcpu_cmd ? tok[1] : "vm";
    const char *cmd = tok[at];
    for (int i = at + 1; i < n; i++) {
        if (!strcmp(tok[i], "null") || !strcmp(tok[i], "cmdnull")) {
            out(s, "# not modelled: %s %s with a NULL user pointer (-EFAULT)\n", tok[0], cmd);
            return;
        }
    }
    char ret[32];
    if (!field(res, "ret", ret, sizeof(ret))) {
        die(EXIT_BAD_INPUT, "ioctl result without ret=");
    }
    blob_kind kind;
    int has_blob = cmd_blob(cmd, &kind);
    out(s, "> vmm %s %s", target, cmd);
    if (!strncmp(cmd, "SET_", 4) && has_blob) {
        static uint8_t entry_buf[8408];
        char *count_opt = NULL;
        int entries = 0, truncated = 0;
        char *hexdata = NULL;
        size_t hexlen = 0, hexcap = 0;
        for (int i = at + 1; i < n; i++) {
            if (!strncmp(tok[i], "count=", 6)) {
                count_opt = tok[i];
                continue;
            }
            if (!strcmp(tok[i], "nohex") || !strcmp(tok[i], "nodecode")) {
                continue;
            }
            if (strstr(tok[i], "...(") != NULL) {
                truncated = 1; /* the recorder shortened a long argument */
                continue;
            }
            if (truncated) {
                continue;
            }
            size_t sz = encode_entry(kind, tok[i], entry_buf);
            if (hexlen + 2 * sz + 1 > hexcap) {
                hexcap = 2 * (hexcap + 2 * sz + 1);
                char *nb = realloc(hexdata, hexcap);
                if (nb == NULL) {
                    die(EXIT_IO, "out of memory");
                }
                hexdata = nb;
            }
            for (size_t j = 0; j < sz; j++) {
                snprintf(hexdata + hexlen, 3, "%02x", entry_buf[j]);
                hexlen += 2;
            }
            entries++;
        }
        if (truncated) {
            if (lookahead_blob == NULL) {
                die(EXIT_BAD_INPUT, "shortened SET argument and no GET blob follows");
            }
            /* The kernel stores SET entries verbatim (kvm-v5 §6), so the next
             * GET of the same kind returns exactly the bytes that were set. */
            out(s, " data=%s", lookahead_blob);
        } else if (entries > 0) {
            out(s, " data=%s", hexdata);
        }
        if (count_opt != NULL) {
            out(s, " %s", count_opt);
        }
        free(hexdata);
        out(s, "\n< vmm ret=%s\n", ret);
        return;
    }
    if (!strcmp(cmd, "INJECT_EVENT")) {
        out(s, " num=%s\n< vmm ret=%s\n", n > at + 1 ? tok[at + 1] : "0", ret);
        return;
    }
    if (!strncmp(cmd, "GET_", 4) && has_blob && strcmp(cmd, "GET_VCPU_STATE") != 0) {
        if (n > at + 1 && isdigit((unsigned char)tok[at + 1][0])) {
            out(s, " count=%s", tok[at + 1]);
        }
    }
    out(s, "\n< vmm ret=%s", ret);
    char v[32];
    if (strstr(cmd, "_COUNT") && field(res, "count", v, sizeof(v))) {
        out(s, " count=%s", v);
    }
    const char *dec = strstr(res, "decoded=");
    if (has_blob && !strcmp(ret, "0") && strstr(res, "blob=") == NULL && dec != NULL &&
        (kind == B_REGISTERED || kind == B_VCPU_STATE)) {
        /* The recorder printed only the decoded fields: re-encode them. */
        static uint8_t entry_buf[8408];
        static char entry[1 << 16];
        const char *p = dec + 8;
        int any = 0;
        while (*p == '{') {
            int depth = 0;
            const char *q = p;
            for (; *q; q++) {
                depth += *q == '{';
                depth -= *q == '}';
                if (depth == 0) {
                    break;
                }
            }
            if (*q != '}') {
                break;
            }
            if (!decoded_to_entry(p, (size_t)(q - p + 1), entry, sizeof(entry))) {
                break;
            }
            size_t sz = encode_entry(kind, entry, entry_buf);
            out(s, any ? "" : " data=");
            for (size_t j = 0; j < sz; j++) {
                out(s, "%02x", entry_buf[j]);
            }
            any = 1;
            p = q + 1;
            if (*p == '|') {
                p++;
            }
        }
    }
    if (has_blob && !strcmp(ret, "0")) {
        const char *b = strstr(res, "blob=");
        if (b != NULL) {
            b += 5;
            out(s, " data=");
            for (; *b && *b != ' '; b++) {
                if (*b != '|') {
                    out(s, "%c", *b);
                }
            }
        }
    }
    out(s, "\n");
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
static char *find_blob_after(rec_line *lines, size_t nlines, size_t from, blob_kind kind)
{
    for (size_t i = from + 1; i < nlines; i++) {
        blob_kind k;
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

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: rec2trace FILE.rec OUTDIR\n");
        return EXIT_BAD_INPUT;
    }
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

    rec_line *lines = NULL;
    size_t nlines = 0, cap = 0;
    char *buf = malloc(MAX_LINE);
    if (buf == NULL) {
        return EXIT_IO;
    }
    unsigned lineno = 0;
    while (fgets(buf, MAX_LINE, f) != NULL) {
        lineno++;
        size_t len = strlen(buf);
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ')) {
            buf[--len] = '\0';
        }
        if (nlines == cap) {
            cap = cap ? 2 * cap : 256;
            lines = realloc(lines, cap * sizeof(*lines));
            if (lines == NULL) {
                return EXIT_IO;
            }
        }
        lines[nlines].text = strdup(buf);
        lines[nlines].lineno = lineno;
        if (lines[nlines].text == NULL) {
            return EXIT_IO;
        }
        nlines++;
    }
    fclose(f);
    free(buf);

    seg s;
    memset(&s, 0, sizeof(s));
    int index = 0, skip_next = 0, skip_segment = 0;
    for (size_t i = 0; i < nlines; i++) {
        g_line = lines[i].lineno;
        char *line = strdup(lines[i].text);
        if (line == NULL) {
            return EXIT_IO;
        }
        char *arrow = strstr(line, " -> ");
        char empty[1] = "";
        char *res = arrow != NULL ? arrow + 4 : empty;
        if (arrow != NULL) {
            *arrow = '\0';
        }
        strip_braces(res);
        char *tok[MAX_TOK];
        int n = split(line, tok, MAX_TOK);
        if (n == 0) {
            free(line);
            continue;
        }
        if (!strcmp(tok[0], "vm")) {
            if (index > 0 && !skip_segment) {
                write_seg(&s, argv[2], base, index);
            }
            free(s.buf);
            memset(&s, 0, sizeof(s));
            index++;
            s.vcpus = n > 1 ? (unsigned)strtoul(tok[1], NULL, 0) : 0;
            skip_segment = skip_next; /* a VM created under allocation failure */
            skip_next = 0;
            out(&s, "# Imported by tools/rec2trace from shared/kernel-recordings/%s.rec, "
                    "line %u: the v5 kernel series' own sdei.c, run unmodified.\n",
                base, g_line);
            out(&s, "# rule: kvm-v5 profile reproduces the recorded kernel (DESIGN §7)\n");
            out(&s, "sdei-trace 1 profile=kvm-v5 vcpus=%u bind=0/0\n", s.vcpus);
            free(line);
            continue;
        }
        if (index == 0) {
            free(line);
            continue; /* nothing before the first VM */
        }
        if (skip_segment || s.skip_rest) {
            free(line);
            continue;
        }
        if (!strcmp(tok[0], "echo")) {
            const char *text = lines[i].text + 4;
            while (*text == ' ') {
                text++;
            }
            out(&s, "# %s\n", text);
        } else if (skip_next && strcmp(tok[0], "failalloc") != 0) {
            out(&s, "# not modelled: `%s` ran under an allocation failure\n", lines[i].text);
            skip_next = 0;
        } else if (!strcmp(tok[0], "hvc")) {
            do_hvc(&s, tok, n, res);
        } else if (!strcmp(tok[0], "deliver")) {
            do_deliver(&s, tok, n, res);
        } else if (!strcmp(tok[0], "setreg")) {
            if (n != 4) {
                die(EXIT_BAD_INPUT, "expected setreg V NAME VALUE");
            }
            if (!strcmp(tok[2], "flags")) {
                out(&s, "# not modelled: KVM's vcpu flags (%s)\n", tok[3]);
            } else {
                out(&s, "> setreg %s %s=%s\n", tok[1], tok[2], tok[3]);
            }
        } else if (!strcmp(tok[0], "regs")) {
            do_regs(&s, tok, n, res);
        } else if (!strcmp(tok[0], "ioctl-vm") || !strcmp(tok[0], "ioctl-vcpu")) {
            blob_kind k;
            char *look = NULL;
            if (strstr(lines[i].text, "...(") != NULL && n > 1 &&
                cmd_blob(tok[!strcmp(tok[0], "ioctl-vcpu") ? 2 : 1], &k)) {
                look = find_blob_after(lines, nlines, i, k);
            }
            do_ioctl(&s, tok, n, res, look);
            free(look);
        } else if (!strcmp(tok[0], "inject")) {
            if (n >= 4 && strcmp(tok[3], "0") != 0) {
                out(&s, "# not modelled: in-kernel immediate injection `%s` (%s)\n",
                    lines[i].text, res);
            } else if (n >= 3) {
                char ret[32];
                if (!field(res, "ret", ret, sizeof(ret))) {
                    die(EXIT_BAD_INPUT, "inject result without ret=");
                }
                out(&s, "# in-kernel kvm_sdei_inject_event(immediate=false): the checks of "
                        "INJECT_EVENT\n> vmm %s INJECT_EVENT num=%s\n< vmm ret=%s\n",
                    tok[1], tok[2], ret);
            }
        } else if (!strcmp(tok[0], "migrate")) {
            char eq[8];
            if (field(res, "all_equal", eq, sizeof(eq)) && !strcmp(eq, "1")) {
                out(&s, "> migrate\n< ok\n");
            } else {
                /* The kernel's own migration failed (e.g. route_mode.rec): its
                 * destination VM is half-restored; nothing after it compares. */
                out(&s, "# kernel migration failed (%s); the recording continues on a "
                        "half-restored VM, so the rest is not replayed\n",
                    res);
                out(&s, "> vmm vm GET_REGISTERED_EVENT_COUNT\n< vmm ret=0\n");
                s.skip_rest = 1;
            }
        } else if (!strcmp(tok[0], "failalloc")) {
            out(&s, "# not modelled: %s (allocation failure injection)\n", lines[i].text);
            skip_next = 1;
        } else if (!strcmp(tok[0], "state") || !strcmp(tok[0], "sizes") ||
                   !strcmp(tok[0], "allocs")) {
            out(&s, "# kernel %s dump not compared\n", tok[0]);
        } else if (!strcmp(tok[0], "notifier") || !strcmp(tok[0], "cancel")) {
            out(&s, "# not modelled: in-kernel API `%s` -> %s\n", lines[i].text, res);
        } else if (!strncmp(tok[0], "destroy", 7) || !strcmp(tok[0], "select") ||
                   !strcmp(tok[0], "el1-32bit")) {
            out(&s, "# not modelled: %s\n", lines[i].text);
        } else {
            die(EXIT_BAD_INPUT, "unknown recording command '%s'", tok[0]);
        }
        free(line);
    }
    if (index > 0 && !skip_segment) {
        write_seg(&s, argv[2], base, index);
    }
    free(s.buf);
    for (size_t i = 0; i < nlines; i++) {
        free(lines[i].text);
    }
    free(lines);
    return 0;
}
