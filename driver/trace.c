/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace.c - parse and write trace lines (docs/trace-format.md).
 *
 * Everything here treats its input as hostile: bounded token counts, checked
 * numbers, no recursion, no allocation. Errors say what was expected.
 */
#include "trace.h"

#include <stdarg.h>
#include <string.h>

#include "names.h"
#include "sdei/sdei_vmm.h"

#define MAX_TOKS 24

typedef struct tok {
    const char *p;
    size_t n;
} tok;

static int perr(sim_parse_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(sim_parse_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return -1;
}

/* Splits on blanks; a '#' that starts a token ends the line (trailing
 * comment). Returns the token count, or -1 if there are too many. */
static int tokenize(const char *line, tok *t, int max)
{
    int n = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        }
        if (*p == '\0' || *p == '#') {
            return n;
        }
        if (n == max) {
            return -1;
        }
        t[n].p = p;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r') {
            p++;
        }
        t[n].n = (size_t)(p - t[n].p);
        n++;
    }
}

static int tok_is(const tok *t, const char *s)
{
    size_t n = strlen(s);
    return t->n == n && memcmp(t->p, s, n) == 0;
}

/* "key=value": returns 1 and sets *val if t starts with key=. */
static int tok_kv(const tok *t, const char *key, tok *val)
{
    size_t n = strlen(key);
    if (t->n > n && memcmp(t->p, key, n) == 0 && t->p[n] == '=') {
        val->p = t->p + n + 1;
        val->n = t->n - n - 1;
        return 1;
    }
    return 0;
}

/* Shows at most 40 characters of a token in an error message. */
#define TOKF "%.*s"
#define TOKA(t) (int)((t).n > 40 ? 40 : (t).n), (t).p

/* ---------------------------------------------------------------------------
 * Registers.
 * ------------------------------------------------------------------------- */
static const char *const reg_names[SIM_REG_COUNT] = {
    "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
    "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24",
    "x25", "x26", "x27", "x28", "x29", "x30", "sp", "pc", "pstate", "elr", "spsr",
};

const char *sim_reg_name(unsigned reg)
{
    return reg < SIM_REG_COUNT ? reg_names[reg] : "?";
}

int sim_reg_by_name(const char *name, size_t len)
{
    for (unsigned i = 0; i < SIM_REG_COUNT; i++) {
        if (strlen(reg_names[i]) == len && memcmp(reg_names[i], name, len) == 0) {
            return (int)i;
        }
    }
    /* The kernel recordings spell them elr_el1 / spsr_el1. */
    if (len == 7 && memcmp(name, "elr_el1", 7) == 0) {
        return SIM_REG_ELR;
    }
    if (len == 8 && memcmp(name, "spsr_el1", 8) == 0) {
        return SIM_REG_SPSR;
    }
    return -1;
}

uint64_t *sim_reg_ptr(sdei_regs *regs, unsigned reg)
{
    if (reg <= 30) {
        return &regs->x[reg];
    }
    switch (reg) {
    case SIM_REG_SP:
        return &regs->sp;
    case SIM_REG_PC:
        return &regs->pc;
    case SIM_REG_PSTATE:
        return &regs->pstate;
    case SIM_REG_ELR:
        return &regs->elr_el1;
    default:
        return &regs->spsr_el1;
    }
}

/* ---------------------------------------------------------------------------
 * Numbers and values.
 * ------------------------------------------------------------------------- */
static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int sim_parse_u64(const char *s, size_t len, uint64_t *out)
{
    int neg = 0;
    uint64_t v = 0;
    if (len > 0 && s[0] == '-') {
        neg = 1;
        s++;
        len--;
    }
    if (len == 0) {
        return -1;
    }
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (neg || len > 18) {
            return -1;
        }
        for (size_t i = 2; i < len; i++) {
            int h = hexval(s[i]);
            if (h < 0) {
                return -1;
            }
            v = (v << 4) | (uint64_t)h;
        }
        *out = v;
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10u) {
            return -1;
        }
        v = v * 10u + d;
    }
    if (neg && v > (UINT64_C(1) << 63)) {
        return -1;
    }
    *out = neg ? (uint64_t)0 - v : v;
    return 0;
}

int sim_parse_value(const char *s, size_t len, uint64_t *out)
{
    if (sim_parse_u64(s, len, out) == 0) {
        return 0;
    }
    if (len == 4 && memcmp(s, "none", 4) == 0) {
        *out = SDEI_INVALID_EVENT;
        return 0;
    }
    int64_t r;
    if (sim_result_by_name(s, len, &r) == 0) {
        *out = (uint64_t)r;
        return 0;
    }
    return -1;
}

int sim_parse_hex(const char *s, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t n = 0;
    int hi = -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '_') {
            continue;
        }
        int h = hexval(s[i]);
        if (h < 0) {
            return -1;
        }
        if (hi < 0) {
            hi = h;
        } else {
            if (n == cap) {
                return -1;
            }
            out[n++] = (uint8_t)((hi << 4) | h);
            hi = -1;
        }
    }
    if (hi >= 0) {
        return -1;
    }
    *out_len = n;
    return 0;
}

static int parse_u32(const tok *t, uint32_t *out)
{
    uint64_t v;
    if (sim_parse_u64(t->p, t->n, &v) != 0 || v > UINT32_MAX) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* ---------------------------------------------------------------------------
 * Header.
 * ------------------------------------------------------------------------- */
int sim_parse_header(const char *line, sim_header *h, sim_parse_err *e)
{
    tok t[MAX_TOKS];
    int n = tokenize(line, t, MAX_TOKS);
    memset(h, 0, sizeof(*h));
    h->span = 1;
    h->profile = SDEI_PROFILE_COUNT;
    if (n < 2 || !tok_is(&t[0], "sdei-trace")) {
        return perr(e, "expected the header 'sdei-trace 1 profile=NAME vcpus=N'");
    }
    if (parse_u32(&t[1], &h->version) != 0 || h->version != SIM_TRACE_VERSION) {
        return perr(e, "expected trace format version 1, got '" TOKF "'", TOKA(t[1]));
    }
    int64_t add = 0, sub = 0;
    int have_quirks = 0;
    for (int i = 2; i < n; i++) {
        tok v;
        if (tok_kv(&t[i], "profile", &v)) {
            int p = sim_profile_by_name(v.p, v.n);
            if (p < 0) {
                return perr(e, "expected profile=spec or profile=kvm-v5, got '" TOKF "'",
                            TOKA(v));
            }
            h->profile = (sdei_profile)p;
        } else if (tok_kv(&t[i], "vcpus", &v)) {
            if (parse_u32(&v, &h->vcpus) != 0 || h->vcpus < 1 || h->vcpus > SDEI_MAX_VCPUS) {
                return perr(e, "expected vcpus=1..512, got '" TOKF "'", TOKA(v));
            }
        } else if (tok_kv(&t[i], "seed", &v)) {
            if (sim_parse_u64(v.p, v.n, &h->seed) != 0) {
                return perr(e, "expected seed=NUMBER, got '" TOKF "'", TOKA(v));
            }
            h->has_seed = 1;
        } else if (tok_kv(&t[i], "span", &v)) {
            uint32_t s;
            if (parse_u32(&v, &s) != 0 || s > 1) {
                return perr(e, "expected span=0 or span=1");
            }
            h->span = (uint8_t)s;
        } else if (tok_kv(&t[i], "max-events", &v)) {
            if (parse_u32(&v, &h->max_events) != 0 || h->max_events < 1 ||
                h->max_events > SDEI_MAX_EVENTS) {
                return perr(e, "expected max-events=1..128");
            }
        } else if (tok_kv(&t[i], "bind", &v)) {
            /* bind=P/S */
            const char *slash = memchr(v.p, '/', v.n);
            tok a, b;
            uint32_t pv, sv;
            if (slash == NULL) {
                return perr(e, "expected bind=PRIVATE/SHARED slot counts");
            }
            a.p = v.p;
            a.n = (size_t)(slash - v.p);
            b.p = slash + 1;
            b.n = v.n - a.n - 1;
            if (parse_u32(&a, &pv) != 0 || parse_u32(&b, &sv) != 0 || pv > 0xFFFF ||
                sv > 0xFFFF) {
                return perr(e, "expected bind=PRIVATE/SHARED slot counts (0..65535)");
            }
            h->private_bind_slots = (uint16_t)pv;
            h->shared_bind_slots = (uint16_t)sv;
            h->has_bind = 1;
        } else if (tok_kv(&t[i], "quirks", &v)) {
            /* quirks=+name,-name,... relative to the profile */
            size_t k = 0;
            have_quirks = 1;
            while (k < v.n) {
                size_t j = k;
                while (j < v.n && v.p[j] != ',') {
                    j++;
                }
                if (j - k < 2 || (v.p[k] != '+' && v.p[k] != '-')) {
                    return perr(e, "expected quirks=+name,-name,...");
                }
                char name[64];
                size_t ln = j - k - 1;
                if (ln >= sizeof(name)) {
                    return perr(e, "quirk name too long");
                }
                memcpy(name, v.p + k + 1, ln);
                name[ln] = '\0';
                int q = sdei_quirk_by_name(name);
                if (q < 0) {
                    return perr(e, "expected a known quirk name, got '%s'", name);
                }
                /* The last mention of a quirk wins: "+x,-x" is off. */
                if (v.p[k] == '+') {
                    add |= (int64_t)(UINT64_C(1) << q);
                    sub &= ~(int64_t)(UINT64_C(1) << q);
                } else {
                    sub |= (int64_t)(UINT64_C(1) << q);
                    add &= ~(int64_t)(UINT64_C(1) << q);
                }
                k = j + 1;
            }
        } else {
            return perr(e, "expected a header option (profile= vcpus= seed= bind= span= "
                           "max-events= quirks=), got '" TOKF "'",
                        TOKA(t[i]));
        }
    }
    if (h->profile == SDEI_PROFILE_COUNT) {
        return perr(e, "expected profile=spec or profile=kvm-v5 in the header");
    }
    if (h->vcpus == 0) {
        return perr(e, "expected vcpus=N in the header");
    }
    if (have_quirks) {
        h->quirks_override = 1;
        h->quirks = (sdei_profile_quirks(h->profile) | (uint64_t)add) & ~(uint64_t)sub;
    }
    return 0;
}

size_t sim_format_header(char *buf, const sim_header *h)
{
    int n = sprintf(buf, "sdei-trace %u profile=%s vcpus=%u", SIM_TRACE_VERSION,
                    sim_profile_name(h->profile), h->vcpus);
    if (h->has_seed) {
        n += sprintf(buf + n, " seed=0x%llx", (unsigned long long)h->seed);
    }
    if (h->has_bind) {
        n += sprintf(buf + n, " bind=%u/%u", h->private_bind_slots, h->shared_bind_slots);
    }
    if (h->span != 1) {
        n += sprintf(buf + n, " span=%u", h->span);
    }
    if (h->max_events != 0) {
        n += sprintf(buf + n, " max-events=%u", h->max_events);
    }
    if (h->quirks_override) {
        uint64_t base = sdei_profile_quirks(h->profile);
        const char *sep = " quirks=";
        for (unsigned q = 0; q < SDEI_QUIRK_COUNT; q++) {
            uint64_t bit = UINT64_C(1) << q;
            if ((base ^ h->quirks) & bit) {
                n += sprintf(buf + n, "%s%c%s", sep, (h->quirks & bit) ? '+' : '-',
                             sdei_quirk_table[q].name);
                sep = ",";
            }
        }
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return (size_t)n;
}

/* ---------------------------------------------------------------------------
 * Actions.
 * ------------------------------------------------------------------------- */
static int parse_vcpu(const tok *t, uint32_t *v, sim_parse_err *e)
{
    if (parse_u32(t, v) != 0 || *v >= SDEI_MAX_VCPUS) {
        return perr(e, "expected a vCPU index 0..511, got '" TOKF "'", TOKA(*t));
    }
    return 0;
}

static int parse_regassign(const tok *t, int n, uint8_t *reg, uint64_t *val, uint8_t *nregs,
                           sim_parse_err *e)
{
    *nregs = 0;
    for (int i = 0; i < n; i++) {
        const char *eq = memchr(t[i].p, '=', t[i].n);
        if (eq == NULL) {
            return perr(e, "expected NAME=VALUE (x0..x30 sp pc pstate elr spsr), got '" TOKF
                           "'",
                        TOKA(t[i]));
        }
        int r = sim_reg_by_name(t[i].p, (size_t)(eq - t[i].p));
        if (r < 0) {
            return perr(e, "expected a register name (x0..x30 sp pc pstate elr spsr), got '"
                           TOKF "'",
                        TOKA(t[i]));
        }
        /* Count first: val[] has room for SIM_TRACE_MAX_SETREG values. */
        if (*nregs == SIM_TRACE_MAX_SETREG) {
            return perr(e, "expected at most %u registers on one line", SIM_TRACE_MAX_SETREG);
        }
        size_t vl = t[i].n - (size_t)(eq - t[i].p) - 1;
        if (sim_parse_value(eq + 1, vl, &val[*nregs]) != 0) {
            return perr(e, "expected a number after '%s=', got '%.*s'", sim_reg_name((unsigned)r),
                        (int)(vl > 40 ? 40 : vl), eq + 1);
        }
        reg[*nregs] = (uint8_t)r;
        (*nregs)++;
    }
    return 0;
}

int sim_parse_action(const char *line, sim_action *a, uint8_t *store, size_t cap,
                     sim_parse_err *e)
{
    tok t[MAX_TOKS];
    int n;
    if (line[0] != '>' || (line[1] != ' ' && line[1] != '\t')) {
        return perr(e, "expected an action line '> ...'");
    }
    n = tokenize(line + 2, t, MAX_TOKS);
    if (n < 0) {
        return perr(e, "expected at most %d words on an action line", MAX_TOKS);
    }
    memset(a, 0, sizeof(*a));
    if (n == 0) {
        return perr(e, "expected an action after '>'");
    }
    if (tok_is(&t[0], "hvc")) {
        if (n < 3 || n > 8) {
            return perr(e, "expected 'hvc VCPU CALL [X1 .. X5]'");
        }
        a->kind = SIM_A_HVC;
        if (parse_vcpu(&t[1], &a->vcpu, e) != 0) {
            return -1;
        }
        int c = sim_call_by_name(t[2].p, t[2].n);
        if (c >= 0) {
            a->call = (uint8_t)c;
        } else {
            a->call = SDEI_CALL_ID_NONE;
            if (sim_parse_u64(t[2].p, t[2].n, &a->fid) != 0) {
                return perr(e, "expected a call name (EVENT_REGISTER, ...) or a function ID, "
                               "got '" TOKF "'",
                            TOKA(t[2]));
            }
        }
        for (int i = 3; i < n; i++) {
            if (tok_is(&t[i], "-")) {
                a->keep_mask |= (uint8_t)(1u << (i - 3));
            } else if (sim_parse_value(t[i].p, t[i].n, &a->arg[i - 3]) != 0) {
                return perr(e, "expected a number for x%d, got '" TOKF "'", i - 2, TOKA(t[i]));
            }
        }
        return 0;
    }
    if (tok_is(&t[0], "setreg")) {
        if (n < 3) {
            return perr(e, "expected 'setreg VCPU NAME=VALUE ...'");
        }
        a->kind = SIM_A_SETREG;
        if (parse_vcpu(&t[1], &a->vcpu, e) != 0) {
            return -1;
        }
        return parse_regassign(&t[2], n - 2, a->reg, a->val, &a->nregs, e);
    }
    if (tok_is(&t[0], "deliver")) {
        if (n != 2) {
            return perr(e, "expected 'deliver VCPU'");
        }
        a->kind = SIM_A_DELIVER;
        return parse_vcpu(&t[1], &a->vcpu, e);
    }
    if (tok_is(&t[0], "trigger") || tok_is(&t[0], "irq")) {
        int irq = tok_is(&t[0], "irq");
        if (n != 2 && n != 3) {
            return perr(e, irq ? "expected 'irq INTID [VCPU]'" : "expected 'trigger NUM [VCPU]'");
        }
        a->kind = irq ? SIM_A_IRQ : SIM_A_TRIGGER;
        if (irq) {
            if (parse_u32(&t[1], &a->intid) != 0) {
                return perr(e, "expected an interrupt number, got '" TOKF "'", TOKA(t[1]));
            }
        } else if (sim_parse_u64(t[1].p, t[1].n, &a->num) != 0) {
            return perr(e, "expected an event number, got '" TOKF "'", TOKA(t[1]));
        }
        return n == 3 ? parse_vcpu(&t[2], &a->vcpu, e) : 0;
    }
    if (tok_is(&t[0], "migrate")) {
        if (n != 1) {
            return perr(e, "expected 'migrate' alone");
        }
        a->kind = SIM_A_MIGRATE;
        return 0;
    }
    if (tok_is(&t[0], "expose")) {
        if (n < 4 || n > 5) {
            return perr(e, "expected 'expose NUM private|shared normal|critical [signaled=N]'");
        }
        a->kind = SIM_A_EXPOSE;
        if (sim_parse_u64(t[1].p, t[1].n, &a->num) != 0) {
            return perr(e, "expected an event number, got '" TOKF "'", TOKA(t[1]));
        }
        if (tok_is(&t[2], "private")) {
            a->type = SDEI_EVENT_TYPE_PRIVATE;
        } else if (tok_is(&t[2], "shared")) {
            a->type = SDEI_EVENT_TYPE_SHARED;
        } else {
            return perr(e, "expected 'private' or 'shared', got '" TOKF "'", TOKA(t[2]));
        }
        if (tok_is(&t[3], "normal")) {
            a->priority = SDEI_EVENT_PRIORITY_NORMAL;
        } else if (tok_is(&t[3], "critical")) {
            a->priority = SDEI_EVENT_PRIORITY_CRITICAL;
        } else {
            return perr(e, "expected 'normal' or 'critical', got '" TOKF "'", TOKA(t[3]));
        }
        /* Event 0 is the signalable one (the kernel's `signaled` byte = 1). */
        a->signaled = a->num == 0 ? 1 : 0;
        if (n == 5) {
            tok v;
            uint32_t s;
            if (!tok_kv(&t[4], "signaled", &v) || parse_u32(&v, &s) != 0 || s > 255) {
                return perr(e, "expected signaled=0..255, got '" TOKF "'", TOKA(t[4]));
            }
            a->signaled = (uint8_t)s;
        }
        return 0;
    }
    if (tok_is(&t[0], "vmm")) {
        if (n < 3) {
            return perr(e, "expected 'vmm vm|VCPU CMD [count=N] [num=N] [data=HEX]'");
        }
        a->kind = SIM_A_VMM;
        if (tok_is(&t[1], "vm")) {
            a->vcpu = SDEI_VMM_VM;
        } else if (parse_vcpu(&t[1], &a->vcpu, e) != 0) {
            return -1;
        }
        int c = sim_vmm_cmd_by_name(t[2].p, t[2].n);
        if (c >= 0) {
            a->vmm_cmd = (uint32_t)c;
        } else if (parse_u32(&t[2], &a->vmm_cmd) != 0) {
            return perr(e, "expected a VMM command name (GET_VERSION, ...) or number, got '"
                           TOKF "'",
                        TOKA(t[2]));
        }
        for (int i = 3; i < n; i++) {
            tok v;
            if (tok_kv(&t[i], "count", &v)) {
                if (parse_u32(&v, &a->count) != 0) {
                    return perr(e, "expected count=NUMBER");
                }
                a->has_count = 1;
            } else if (tok_kv(&t[i], "num", &v)) {
                if (sim_parse_u64(v.p, v.n, &a->num) != 0) {
                    return perr(e, "expected num=NUMBER");
                }
            } else if (tok_kv(&t[i], "data", &v)) {
                if (sim_parse_hex(v.p, v.n, store, cap, &a->data_len) != 0) {
                    return perr(e, "expected data=HEX (an even number of hex digits, at most "
                                   "%zu bytes)",
                                cap);
                }
                a->data = store;
            } else {
                return perr(e, "expected count=, num= or data=, got '" TOKF "'", TOKA(t[i]));
            }
        }
        return 0;
    }
    return perr(e, "expected an action (hvc setreg deliver trigger irq vmm migrate expose), "
                   "got '" TOKF "'",
                TOKA(t[0]));
}

size_t sim_format_room(size_t data_len)
{
    return SIM_TRACE_LINE_ROOM + 2u * data_len;
}

static const char hexdig[] = "0123456789abcdef";

static size_t put_hex(char *buf, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = hexdig[d[i] >> 4];
        buf[2 * i + 1] = hexdig[d[i] & 15];
    }
    return 2 * n;
}

/* "0x..." without leading zeros; much faster than printf on the hot path. */
static size_t put_x(char *buf, uint64_t v)
{
    char tmp[16];
    size_t n = 0;
    buf[0] = '0';
    buf[1] = 'x';
    do {
        tmp[n++] = hexdig[v & 15];
        v >>= 4;
    } while (v != 0);
    for (size_t i = 0; i < n; i++) {
        buf[2 + i] = tmp[n - 1 - i];
    }
    return 2 + n;
}

static size_t put_u(char *buf, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    for (size_t i = 0; i < n; i++) {
        buf[i] = tmp[n - 1 - i];
    }
    return n;
}

static size_t put_s(char *buf, const char *s)
{
    size_t n = strlen(s);
    memcpy(buf, s, n);
    return n;
}

size_t sim_format_value(char *buf, uint64_t v, int named)
{
    if (named == 1 || (named == 2 && v != 0)) {
        const char *name = sim_result_name((int64_t)v);
        if (name != NULL) {
            return put_s(buf, name);
        }
    }
    if (v < 10) {
        buf[0] = (char)('0' + v);
        return 1;
    }
    return put_x(buf, v);
}

size_t sim_format_action(char *buf, const sim_action *a)
{
    size_t n = 0;
    buf[n++] = '>';
    buf[n++] = ' ';
    switch (a->kind) {
    case SIM_A_HVC:
        n += put_s(buf + n, "hvc ");
        n += put_u(buf + n, a->vcpu);
        buf[n++] = ' ';
        if (a->call != SDEI_CALL_ID_NONE) {
            n += put_s(buf + n, sim_call_name(a->call));
        } else {
            n += put_x(buf + n, a->fid);
        }
        {
            /* Trailing zero arguments are left out: "missing = 0". */
            int last = 4;
            while (last >= 0 && a->arg[last] == 0 && !(a->keep_mask & (1u << last))) {
                last--;
            }
            for (int i = 0; i <= last; i++) {
                buf[n++] = ' ';
                if (a->keep_mask & (1u << i)) {
                    buf[n++] = '-';
                } else {
                    n += sim_format_value(buf + n, a->arg[i], 0);
                }
            }
        }
        break;
    case SIM_A_SETREG:
        n += put_s(buf + n, "setreg ");
        n += put_u(buf + n, a->vcpu);
        for (unsigned i = 0; i < a->nregs; i++) {
            buf[n++] = ' ';
            n += put_s(buf + n, sim_reg_name(a->reg[i]));
            buf[n++] = '=';
            n += sim_format_value(buf + n, a->val[i], 0);
        }
        break;
    case SIM_A_DELIVER:
        n += put_s(buf + n, "deliver ");
        n += put_u(buf + n, a->vcpu);
        break;
    case SIM_A_TRIGGER:
        n += put_s(buf + n, "trigger ");
        n += put_x(buf + n, a->num);
        buf[n++] = ' ';
        n += put_u(buf + n, a->vcpu);
        break;
    case SIM_A_IRQ:
        n += put_s(buf + n, "irq ");
        n += put_u(buf + n, a->intid);
        buf[n++] = ' ';
        n += put_u(buf + n, a->vcpu);
        break;
    case SIM_A_MIGRATE:
        n += put_s(buf + n, "migrate");
        break;
    case SIM_A_EXPOSE:
        n += put_s(buf + n, "expose ");
        n += put_x(buf + n, a->num);
        n += put_s(buf + n, a->type == SDEI_EVENT_TYPE_SHARED ? " shared" : " private");
        n += put_s(buf + n, a->priority == SDEI_EVENT_PRIORITY_CRITICAL ? " critical" : " normal");
        if (a->signaled != (a->num == 0 ? 1 : 0)) {
            n += put_s(buf + n, " signaled=");
            n += put_u(buf + n, a->signaled);
        }
        break;
    case SIM_A_VMM: {
        const char *name = sim_vmm_cmd_name(a->vmm_cmd);
        n += put_s(buf + n, "vmm ");
        if (a->vcpu == SDEI_VMM_VM) {
            n += put_s(buf + n, "vm");
        } else {
            n += put_u(buf + n, a->vcpu);
        }
        buf[n++] = ' ';
        n += name != NULL ? put_s(buf + n, name) : put_u(buf + n, a->vmm_cmd);
        if (a->has_count) {
            n += put_s(buf + n, " count=");
            n += put_u(buf + n, a->count);
        }
        if (a->num != 0) {
            n += put_s(buf + n, " num=");
            n += put_x(buf + n, a->num);
        }
        if (a->data != NULL) {
            n += put_s(buf + n, " data=");
            n += put_hex(buf + n, a->data, a->data_len);
        }
        break;
    }
    default:
        n += put_s(buf + n, "?");
        break;
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return n;
}

/* ---------------------------------------------------------------------------
 * Results.
 * ------------------------------------------------------------------------- */
static const char *const res_kind_names[SIM_R_COUNT] = {
    "ret", "completed", "noresult", "notsdei", "entered", "none",
    "pending", "dropped", "vmm", "ok", "err",
};

const char *sim_res_kind_name(unsigned kind)
{
    return kind < SIM_R_COUNT ? res_kind_names[kind] : "?";
}

/* Field keys and their bits, in the order a writer prints them. */
static const struct {
    const char *key;
    uint32_t bit;
} res_keys[] = {
    {"num", SIM_F_NUM}, {"prio", SIM_F_PRIO}, {"preempted", SIM_F_PREEMPTED},
    {"x0", SIM_F_X0}, {"x1", SIM_F_X1}, {"x2", SIM_F_X2}, {"x3", SIM_F_X3},
    {"pc", SIM_F_PC}, {"pstate", SIM_F_PSTATE}, {"elr", SIM_F_ELR}, {"spsr", SIM_F_SPSR},
    {"ret", SIM_F_RET}, {"count", SIM_F_COUNT}, {"data", SIM_F_DATA}, {"err", SIM_F_ERR},
};
#define N_RES_KEYS (sizeof(res_keys) / sizeof(res_keys[0]))

int sim_parse_result(const char *line, sim_result *r, uint8_t *store, size_t cap,
                     sim_parse_err *e)
{
    tok t[MAX_TOKS];
    int n;
    if (line[0] != '<' || (line[1] != ' ' && line[1] != '\t')) {
        return perr(e, "expected a result line '< ...'");
    }
    n = tokenize(line + 2, t, MAX_TOKS);
    if (n < 0) {
        return perr(e, "expected at most %d words on a result line", MAX_TOKS);
    }
    memset(r, 0, sizeof(*r));
    if (n == 0) {
        return perr(e, "expected a result kind after '<'");
    }
    int k = -1;
    for (unsigned i = 0; i < SIM_R_COUNT; i++) {
        if (tok_is(&t[0], res_kind_names[i])) {
            k = (int)i;
        }
    }
    int first = 1;
    if (k < 0) {
        /* "< x0=..." and "< ret=..." are accepted shorthands for hvc and vmm. */
        tok v;
        if (tok_kv(&t[0], "x0", &v)) {
            k = SIM_R_RET;
            first = 0;
            r->any_kind = 1;
        } else if (tok_kv(&t[0], "ret", &v)) {
            k = SIM_R_VMM;
            first = 0;
            r->any_kind = 1;
        } else {
            return perr(e, "expected a result kind (ret completed noresult notsdei entered "
                           "none pending dropped vmm ok err), got '" TOKF "'",
                        TOKA(t[0]));
        }
    }
    r->kind = (uint8_t)k;
    /* "< entered NUM ..." and "< completed NUM ..." name the event positionally. */
    if ((k == SIM_R_ENTERED || k == SIM_R_COMPLETED) && n > 1 &&
        memchr(t[1].p, '=', t[1].n) == NULL) {
        if (sim_parse_value(t[1].p, t[1].n, &r->num) != 0) {
            return perr(e, "expected an event number after '%s', got '" TOKF "'",
                        res_kind_names[k], TOKA(t[1]));
        }
        r->fields |= SIM_F_NUM;
        first = 2;
    }
    if (k == SIM_R_ERR && n > 1 && memchr(t[1].p, '=', t[1].n) == NULL) {
        uint32_t v;
        if (parse_u32(&t[1], &v) != 0) {
            return perr(e, "expected an error number after 'err'");
        }
        r->err = (int32_t)v;
        r->fields |= SIM_F_ERR;
        first = 2;
    }
    for (int i = first; i < n; i++) {
        if (tok_is(&t[i], "preempted")) {
            r->preempted = 1;
            r->fields |= SIM_F_PREEMPTED;
            continue;
        }
        const char *eq = memchr(t[i].p, '=', t[i].n);
        if (eq == NULL) {
            return perr(e, "expected KEY=VALUE, got '" TOKF "'", TOKA(t[i]));
        }
        size_t kl = (size_t)(eq - t[i].p);
        const char *v = eq + 1;
        size_t vl = t[i].n - kl - 1;
        unsigned j;
        for (j = 0; j < N_RES_KEYS; j++) {
            if (strlen(res_keys[j].key) == kl && memcmp(res_keys[j].key, t[i].p, kl) == 0) {
                break;
            }
        }
        if (j == N_RES_KEYS) {
            return perr(e, "expected a result field (x0..x3 pc pstate elr spsr num prio ret "
                           "count data err), got '%.*s'",
                        (int)(kl > 40 ? 40 : kl), t[i].p);
        }
        uint32_t bit = res_keys[j].bit;
        uint64_t val = 0;
        if (bit == SIM_F_DATA) {
            if (sim_parse_hex(v, vl, store, cap, &r->data_len) != 0) {
                return perr(e, "expected data=HEX (even number of hex digits, at most %zu bytes)",
                            cap);
            }
            r->data = store;
        } else if (bit == SIM_F_PRIO) {
            if (vl == 6 && memcmp(v, "normal", 6) == 0) {
                r->prio = 0;
            } else if (vl == 8 && memcmp(v, "critical", 8) == 0) {
                r->prio = 1;
            } else {
                return perr(e, "expected prio=normal or prio=critical");
            }
        } else if (bit == SIM_F_RET) {
            int32_t er;
            if (sim_errno_by_name(v, vl, &er) == 0) {
                r->ret = er;
            } else if (sim_parse_u64(v, vl, &val) == 0 && (int64_t)val >= INT32_MIN &&
                       (int64_t)val <= INT32_MAX) {
                r->ret = (int32_t)(int64_t)val;
            } else {
                return perr(e, "expected ret=0 or ret=-ERRNO (-EINVAL, ...), got '%.*s'",
                            (int)(vl > 40 ? 40 : vl), v);
            }
        } else if (sim_parse_value(v, vl, &val) != 0) {
            return perr(e, "expected a number or result name for '%.*s', got '%.*s'", (int)kl,
                        t[i].p, (int)(vl > 40 ? 40 : vl), v);
        }
        switch (bit) {
        case SIM_F_X0: r->x[0] = val; break;
        case SIM_F_X1: r->x[1] = val; break;
        case SIM_F_X2: r->x[2] = val; break;
        case SIM_F_X3: r->x[3] = val; break;
        case SIM_F_PC: r->pc = val; break;
        case SIM_F_PSTATE: r->pstate = val; break;
        case SIM_F_ELR: r->elr = val; break;
        case SIM_F_SPSR: r->spsr = val; break;
        case SIM_F_NUM: r->num = val; break;
        case SIM_F_COUNT:
            if (val > UINT32_MAX) {
                return perr(e, "expected count=0..4294967295");
            }
            r->count = (uint32_t)val;
            break;
        case SIM_F_ERR: r->err = (int32_t)val; break;
        default: break;
        }
        r->fields |= bit;
    }
    return 0;
}

size_t sim_format_result(char *buf, const sim_result *r)
{
    size_t n = 0;
    buf[n++] = '<';
    buf[n++] = ' ';
    n += put_s(buf + n, sim_res_kind_name(r->kind));
    if ((r->kind == SIM_R_ENTERED || r->kind == SIM_R_COMPLETED) && (r->fields & SIM_F_NUM)) {
        buf[n++] = ' ';
        n += put_x(buf + n, r->num);
    }
    if (r->kind == SIM_R_ERR && (r->fields & SIM_F_ERR)) {
        buf[n++] = ' ';
        n += put_u(buf + n, (uint32_t)r->err);
    }
    for (unsigned j = 0; j < N_RES_KEYS; j++) {
        uint32_t bit = res_keys[j].bit;
        if (!(r->fields & bit) || bit == SIM_F_ERR) {
            continue;
        }
        if (bit == SIM_F_NUM && (r->kind == SIM_R_ENTERED || r->kind == SIM_R_COMPLETED)) {
            continue;
        }
        if (bit == SIM_F_PREEMPTED) {
            if (r->preempted) {
                n += put_s(buf + n, " preempted");
            }
            continue;
        }
        buf[n++] = ' ';
        n += put_s(buf + n, res_keys[j].key);
        buf[n++] = '=';
        switch (bit) {
        case SIM_F_X0: n += sim_format_value(buf + n, r->x[0], r->x0_named); break;
        case SIM_F_X1: n += sim_format_value(buf + n, r->x[1], 0); break;
        case SIM_F_X2: n += sim_format_value(buf + n, r->x[2], 0); break;
        case SIM_F_X3: n += sim_format_value(buf + n, r->x[3], 0); break;
        case SIM_F_PC: n += put_x(buf + n, r->pc); break;
        case SIM_F_PSTATE: n += put_x(buf + n, r->pstate); break;
        case SIM_F_ELR: n += put_x(buf + n, r->elr); break;
        case SIM_F_SPSR: n += put_x(buf + n, r->spsr); break;
        case SIM_F_NUM: n += put_x(buf + n, r->num); break;
        case SIM_F_PRIO: n += put_s(buf + n, r->prio ? "critical" : "normal"); break;
        case SIM_F_RET: {
            const char *en = sim_errno_name(r->ret);
            if (en != NULL) {
                n += put_s(buf + n, en);
            } else {
                n += (size_t)sprintf(buf + n, "%d", r->ret);
            }
            break;
        }
        case SIM_F_COUNT: n += put_u(buf + n, r->count); break;
        case SIM_F_DATA: n += put_hex(buf + n, r->data, r->data_len); break;
        default: break;
        }
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return n;
}

/* ---------------------------------------------------------------------------
 * Checks.
 * ------------------------------------------------------------------------- */
static const char *const blob_kind_names[SIM_BLOB_COUNT] = {
    "exposed", "registered", "vcpu_event", "vcpu_state",
};

int sim_parse_check(const char *line, sim_check *c, uint8_t *store, size_t cap,
                    sim_parse_err *e)
{
    tok t[MAX_TOKS];
    int n;
    if (line[0] != '=' || (line[1] != ' ' && line[1] != '\t')) {
        return perr(e, "expected a check line '= ...'");
    }
    n = tokenize(line + 2, t, MAX_TOKS);
    if (n < 0) {
        return perr(e, "expected at most %d words on a check line", MAX_TOKS);
    }
    memset(c, 0, sizeof(*c));
    if (n == 0) {
        return perr(e, "expected a check (state pending vcpu regs blob) after '='");
    }
    if (tok_is(&t[0], "state")) {
        if (n != 4) {
            return perr(e, "expected 'state NUM VCPU U|D|E|RE|RD|UP'");
        }
        c->kind = SIM_C_STATE;
        if (sim_parse_u64(t[1].p, t[1].n, &c->num) != 0) {
            return perr(e, "expected an event number, got '" TOKF "'", TOKA(t[1]));
        }
        if (parse_vcpu(&t[2], &c->vcpu, e) != 0) {
            return -1;
        }
        int s = sim_state_by_name(t[3].p, t[3].n);
        if (s < 0) {
            return perr(e, "expected a state U D E RE RD UP, got '" TOKF "'", TOKA(t[3]));
        }
        c->state = (uint8_t)s;
        return 0;
    }
    if (tok_is(&t[0], "pending")) {
        if (n != 4) {
            return perr(e, "expected 'pending NUM VCPU COUNT'");
        }
        c->kind = SIM_C_PENDING;
        if (sim_parse_u64(t[1].p, t[1].n, &c->num) != 0) {
            return perr(e, "expected an event number, got '" TOKF "'", TOKA(t[1]));
        }
        if (parse_vcpu(&t[2], &c->vcpu, e) != 0) {
            return -1;
        }
        if (parse_u32(&t[3], &c->pending) != 0) {
            return perr(e, "expected a pending count, got '" TOKF "'", TOKA(t[3]));
        }
        return 0;
    }
    if (tok_is(&t[0], "vcpu")) {
        if (n < 3) {
            return perr(e, "expected 'vcpu VCPU [masked=0|1] [normal=NUM|none] "
                           "[critical=NUM|none] [queued=N]'");
        }
        c->kind = SIM_C_VCPU;
        if (parse_vcpu(&t[1], &c->vcpu, e) != 0) {
            return -1;
        }
        for (int i = 2; i < n; i++) {
            tok v;
            uint64_t val;
            int bit;
            if (tok_kv(&t[i], "masked", &v)) {
                bit = 0;
            } else if (tok_kv(&t[i], "normal", &v)) {
                bit = 1;
            } else if (tok_kv(&t[i], "critical", &v)) {
                bit = 2;
            } else if (tok_kv(&t[i], "queued", &v)) {
                bit = 3;
            } else {
                return perr(e, "expected masked= normal= critical= or queued=, got '" TOKF "'",
                            TOKA(t[i]));
            }
            if (sim_parse_value(v.p, v.n, &val) != 0 || (bit == 0 && val > 1) ||
                (bit == 3 && val > UINT32_MAX)) {
                return perr(e, "expected a value for '" TOKF "'", TOKA(t[i]));
            }
            c->fields |= 1u << bit;
            if (bit == 0) {
                c->masked = (uint8_t)val;
            } else if (bit == 1) {
                c->normal = val;
            } else if (bit == 2) {
                c->critical = val;
            } else {
                c->queued = (uint32_t)val;
            }
        }
        return 0;
    }
    if (tok_is(&t[0], "regs")) {
        if (n < 3) {
            return perr(e, "expected 'regs VCPU NAME=VALUE ...'");
        }
        c->kind = SIM_C_REGS;
        if (parse_vcpu(&t[1], &c->vcpu, e) != 0) {
            return -1;
        }
        return parse_regassign(&t[2], n - 2, c->reg, c->val, &c->nregs, e);
    }
    if (tok_is(&t[0], "blob")) {
        int b = -1;
        if (n >= 2) {
            for (unsigned i = 0; i < SIM_BLOB_COUNT; i++) {
                if (tok_is(&t[1], blob_kind_names[i])) {
                    b = (int)i;
                }
            }
        }
        if (b < 0) {
            return perr(e, "expected 'blob exposed|registered|vcpu_event|vcpu_state ...'");
        }
        c->kind = SIM_C_BLOB;
        c->blob = (uint8_t)b;
        int want = b == SIM_BLOB_VCPU_EVENT ? 5 : 4;
        if (n != want) {
            static const char *const usage[SIM_BLOB_COUNT] = {
                "expected 'blob exposed INDEX HEX'", "expected 'blob registered NUM HEX'",
                "expected 'blob vcpu_event VCPU NUM HEX'", "expected 'blob vcpu_state VCPU HEX'",
            };
            return perr(e, "%s", usage[b]);
        }
        if (b == SIM_BLOB_EXPOSED) {
            if (parse_u32(&t[2], &c->index) != 0) {
                return perr(e, "expected an entry index, got '" TOKF "'", TOKA(t[2]));
            }
        } else if (b == SIM_BLOB_REGISTERED) {
            if (sim_parse_u64(t[2].p, t[2].n, &c->num) != 0) {
                return perr(e, "expected an event number, got '" TOKF "'", TOKA(t[2]));
            }
        } else {
            if (parse_vcpu(&t[2], &c->vcpu, e) != 0) {
                return -1;
            }
            if (b == SIM_BLOB_VCPU_EVENT && sim_parse_u64(t[3].p, t[3].n, &c->num) != 0) {
                return perr(e, "expected an event number, got '" TOKF "'", TOKA(t[3]));
            }
        }
        const tok *h = &t[n - 1];
        if (sim_parse_hex(h->p, h->n, store, cap, &c->data_len) != 0) {
            return perr(e, "expected the blob as HEX (even number of hex digits)");
        }
        c->data = store;
        return 0;
    }
    return perr(e, "expected a check (state pending vcpu regs blob), got '" TOKF "'",
                TOKA(t[0]));
}
