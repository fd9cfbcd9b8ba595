/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_lex.c - words, numbers, values, registers: what every trace line
 * kind is made of (docs/trace-format.md "Lines").
 *
 * Everything here treats its input as hostile: bounded token counts, checked
 * numbers, no recursion, no allocation. Errors say what was expected.
 */
#include "trace_lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

int perr(sim_parse_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return -1;
}

/* Character classes of the lexer: one table load per character instead of a
 * chain of comparisons or a strchr (replay reads every byte through here;
 * issue 9). */
enum { LX_SPACE = 1, LX_END = 2, LX_KEY_STOP = 4, LX_RANGE_END = 8, LX_OP = 16 };
static const unsigned char lexcls[256] = {
    ['\0'] = LX_END,
    [' '] = LX_SPACE,
    ['\t'] = LX_SPACE,
    ['\r'] = LX_SPACE,
    ['&'] = LX_KEY_STOP,
    ['['] = LX_KEY_STOP,
    [']'] = LX_RANGE_END,
    ['!'] = LX_KEY_STOP | LX_OP,
    ['<'] = LX_KEY_STOP | LX_OP,
    ['>'] = LX_KEY_STOP | LX_OP,
    ['='] = LX_KEY_STOP | LX_OP,
};
#define LXC(ch) lexcls[(unsigned char)(ch)]

int tokenize(const char *line, tok *t, int max)
{
    int n = 0;
    const char *p = line;
    for (;;) {
        while (LXC(*p) & LX_SPACE) {
            p++;
        }
        if (*p == '\0' || *p == '#') {
            return n;
        }
        if (n == max) {
            return -1;
        }
        t[n].p = p;
        while (!(LXC(*p) & (LX_SPACE | LX_END))) {
            p++;
        }
        t[n].n = (size_t)(p - t[n].p);
        n++;
    }
}

int tokenize_marked(const char *line, char mark, const char *what, tok *t, sim_parse_err *e)
{
    if (line[0] != mark || (line[1] != ' ' && line[1] != '\t')) {
        return perr(e, "expected %s line '%c ...'", what, mark);
    }
    int n = tokenize(line + 2, t, MAX_TOKS);
    if (n < 0) {
        return perr(e, "expected at most %d words on %s line", MAX_TOKS, what);
    }
    return n;
}

int parse_words(line_ctx *c, const char *line, char mark, const char *what, const line_word *words,
                size_t nwords, const char *empty, const char *unknown)
{
    tok t[MAX_TOKS];
    int n = tokenize_marked(line, mark, what, t, c->e);
    if (n <= 0) {
        return n < 0 ? -1 : perr(c->e, "%s", empty);
    }
    c->t = t;
    c->n = n;
    for (size_t i = 0; i < nwords; i++) {
        if (tok_is(&t[0], words[i].word)) {
            return words[i].parse(c);
        }
    }
    return perr(c->e, "%s, got '" TOKF "'", unknown, TOKA(t[0]));
}

int tok_is(const tok *t, const char *s)
{
    size_t n = strlen(s);
    return t->n == n && memcmp(t->p, s, n) == 0;
}

int tok_kv(const tok *t, const char *key, tok *val)
{
    size_t n = strlen(key);
    if (t->n > n && memcmp(t->p, key, n) == 0 && t->p[n] == '=') {
        val->p = t->p + n + 1;
        val->n = t->n - n - 1;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Registers.
 * ------------------------------------------------------------------------- */
static const char *const reg_names[SIM_REG_COUNT] = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",     "x10", "x11",
    "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",    "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",  "pc",  "pstate", "elr", "spsr",
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
/* Hex digit values plus one (0: not a digit): one table load per digit, not
 * a chain of comparisons (blobs are kilobytes of hex; issue 9). */
static const unsigned char hexval1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int hexval(char c)
{
    return (int)hexval1[(unsigned char)c] - 1;
}

static int parse_hex_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len > 18) {
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
        return neg ? -1 : parse_hex_u64(s, len, out);
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
    size_t n = 0, i = 0;
    /* Two digits a byte while there is no '_' (one test per byte, not per
     * digit: replay and the traces fuzz target parse every blob); the loop
     * below takes over at the first '_' or bad digit, at a byte boundary. */
    for (; i + 1 < len; i += 2) {
        int h = hexval(s[i]), l = hexval(s[i + 1]);
        if ((h | l) < 0) {
            break;
        }
        if (n == cap) {
            return -1;
        }
        out[n++] = (uint8_t)((h << 4) | l);
    }
    int hi = -1;
    for (; i < len; i++) {
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

int parse_u32(const tok *t, uint32_t *out)
{
    uint64_t v;
    if (sim_parse_u64(t->p, t->n, &v) != 0 || v > UINT32_MAX) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* ---------------------------------------------------------------------------
 * Symbols: $names, comparisons, masks.
 * ------------------------------------------------------------------------- */
static const char *const op_text[SIM_OP_COUNT] = {"=", "!=", "<", "<=", ">", ">="};

const char *sim_op_text(unsigned op)
{
    return op < SIM_OP_COUNT ? op_text[op] : "?";
}

void syms_begin(sim_syms *x)
{
    if (x != NULL) {
        x->n = 0;
        x->ranged = 0;
        x->data_off = 0;
    }
}

const sim_syms *syms_end(sim_syms *x)
{
    return x != NULL && (x->n != 0 || x->ranged) ? x : NULL;
}

const sim_sym *sim_sym_find(const sim_syms *x, unsigned slot)
{
    if (x == NULL) {
        return NULL;
    }
    for (unsigned i = 0; i < x->n; i++) {
        if (x->s[i].slot == slot) {
            return &x->s[i];
        }
    }
    return NULL;
}

int tok_name(const tok *t, sim_parse_err *e)
{
    if (t->n == 0 || t->p[0] != '$') {
        return 0;
    }
    int ok = t->n >= 2 && t->n - 1 <= SIM_TRACE_MAX_NAME;
    for (size_t i = 1; ok && i < t->n; i++) {
        char ch = t->p[i];
        ok = ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             (i > 1 && ch >= '0' && ch <= '9');
    }
    if (!ok) {
        return perr(
            e, "expected a name $[A-Za-z_][A-Za-z0-9_]* of at most %u characters, got '" TOKF "'",
            SIM_TRACE_MAX_NAME, TOKA(*t));
    }
    return 1;
}

int sym_add(sim_syms *x, unsigned slot, unsigned op, int has_mask, uint64_t mask, const tok *name,
            sim_parse_err *e)
{
    if (x == NULL) {
        return perr(e, "expected a plain value (names, comparisons and masks are for traces "
                       "that are replayed)");
    }
    if (x->n == SIM_TRACE_MAX_SYM) {
        return perr(e, "expected at most %u names or comparisons on one line", SIM_TRACE_MAX_SYM);
    }
    sim_sym *s = &x->s[x->n++];
    memset(s, 0, sizeof(*s));
    s->slot = (uint8_t)slot;
    s->op = (uint8_t)op;
    s->has_mask = (uint8_t)(has_mask != 0);
    s->mask = mask;
    if (name != NULL) {
        s->named = 1;
        memcpy(s->name, name->p + 1, name->n - 1);
    }
    return 0;
}

int parse_operand(const tok *t, uint64_t *out, sim_syms *x, unsigned slot, sim_parse_err *e)
{
    int nm = tok_name(t, e);
    if (nm != 0) {
        *out = 0;
        return nm < 0 ? -1 : sym_add(x, slot, SIM_OP_EQ, 0, 0, t, e);
    }
    return sim_parse_value(t->p, t->n, out) != 0 ? 1 : 0;
}

int parse_vcpu(const tok *t, uint32_t *v, sim_syms *x, sim_parse_err *e)
{
    int nm = tok_name(t, e);
    if (nm != 0) {
        *v = 0;
        return nm < 0 ? -1 : sym_add(x, SIM_SLOT_VCPU, SIM_OP_EQ, 0, 0, t, e);
    }
    if (parse_u32(t, v) != 0 || *v >= SDEI_MAX_VCPUS) {
        return perr(e, "expected a vCPU index 0..511, got '" TOKF "'", TOKA(*t));
    }
    return 0;
}

/* The operator at p (longest first), its length in *len, or -1. */
static int op_at(const char *p, size_t avail, size_t *len)
{
    static const struct {
        const char *s;
        uint8_t op;
    } ops[] = {{"!=", SIM_OP_NE}, {"<=", SIM_OP_LE}, {">=", SIM_OP_GE},
               {"<", SIM_OP_LT},  {">", SIM_OP_GT},  {"=", SIM_OP_EQ}};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t n = strlen(ops[i].s);
        if (avail >= n && memcmp(p, ops[i].s, n) == 0) {
            *len = n;
            return ops[i].op;
        }
    }
    return -1;
}

/* The first index from i whose character is in class `stop` (LX_*). */
static size_t span_until(const tok *t, size_t i, unsigned stop)
{
    while (i < t->n && !(LXC(t->p[i]) & stop)) {
        i++;
    }
    return i;
}

int split_cmp(const tok *t, cmp_tok *c)
{
    memset(c, 0, sizeof(*c));
    size_t i = span_until(t, 0, LX_KEY_STOP);
    size_t oplen = 0;
    c->key = (tok){t->p, i};
    if (i < t->n && t->p[i] == '[') {
        size_t j = span_until(t, i + 1, LX_RANGE_END);
        if (j == t->n) {
            return -1;
        }
        c->range = (tok){t->p + i + 1, j - i - 1};
        c->has_range = 1;
        i = j + 1;
    } else if (i < t->n && t->p[i] == '&') {
        size_t j = span_until(t, i + 1, LX_OP);
        c->mask = (tok){t->p + i + 1, j - i - 1};
        c->has_mask = 1;
        i = j;
    }
    int op = i < t->n ? op_at(t->p + i, t->n - i, &oplen) : -1;
    if (op < 0) {
        return -1;
    }
    c->op = (uint8_t)op;
    c->val = (tok){t->p + i + oplen, t->n - i - oplen};
    return 0;
}

/* One register word of parse_regassign: its value, symbol, register. */
static int regassign_one(const tok *t, uint8_t *reg, uint64_t *val, unsigned i, sim_syms *x,
                         int ops, sim_parse_err *e)
{
    cmp_tok c;
    uint64_t mask = 0;
    if (split_cmp(t, &c) != 0 || c.has_range || (!ops && (c.op != SIM_OP_EQ || c.has_mask))) {
        return perr(e, "expected NAME=VALUE (x0..x30 sp pc pstate elr spsr)%s, got '" TOKF "'",
                    ops ? " or NAME[&MASK]OP VALUE" : "", TOKA(*t));
    }
    int r = sim_reg_by_name(c.key.p, c.key.n);
    if (r < 0) {
        return perr(e, "expected a register name (x0..x30 sp pc pstate elr spsr), got '" TOKF "'",
                    TOKA(*t));
    }
    if (c.has_mask && sim_parse_u64(c.mask.p, c.mask.n, &mask) != 0) {
        return perr(e, "expected a mask number after '%s&', got '" TOKF "'",
                    sim_reg_name((unsigned)r), TOKA(c.mask));
    }
    int nm = tok_name(&c.val, e);
    if (nm < 0) {
        return -1;
    }
    if (nm == 0 && sim_parse_value(c.val.p, c.val.n, val) != 0) {
        return perr(e, "expected a number after '%s%s', got '" TOKF "'", sim_reg_name((unsigned)r),
                    sim_op_text(c.op), TOKA(c.val));
    }
    if ((nm || c.op != SIM_OP_EQ || c.has_mask) &&
        sym_add(x, SIM_SLOT_VAL + i, c.op, c.has_mask, mask, nm ? &c.val : NULL, e) != 0) {
        return -1;
    }
    *reg = (uint8_t)r;
    return 0;
}

int parse_regassign(const tok *t, int n, uint8_t *reg, uint64_t *val, uint8_t *nregs, sim_syms *x,
                    int ops, sim_parse_err *e)
{
    *nregs = 0;
    for (int i = 0; i < n; i++) {
        /* Count first: val[] has room for SIM_TRACE_MAX_SETREG values. */
        if (*nregs == SIM_TRACE_MAX_SETREG) {
            return perr(e, "expected at most %u registers on one line", SIM_TRACE_MAX_SETREG);
        }
        if (regassign_one(&t[i], &reg[*nregs], &val[*nregs], *nregs, x, ops, e) != 0) {
            return -1;
        }
        (*nregs)++;
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Tables shared by the reader and the writer.
 * ------------------------------------------------------------------------- */
const char *const sim_res_kind_names[SIM_R_COUNT] = {
    "ret",     "completed", "noresult", "notsdei", "entered",     "none",  "pending",
    "dropped", "vmm",       "ok",       "err",     "unavailable", "power",
};

const char *sim_res_kind_name(unsigned kind)
{
    return kind < SIM_R_COUNT ? sim_res_kind_names[kind] : "?";
}

const sim_res_key sim_res_keys[] = {
    {"num", SIM_F_NUM},
    {"prio", SIM_F_PRIO},
    {"preempted", SIM_F_PREEMPTED},
    {"on", SIM_F_ON},
    {"x0", SIM_F_X0},
    {"x1", SIM_F_X1},
    {"x2", SIM_F_X2},
    {"x3", SIM_F_X3},
    {"pc", SIM_F_PC},
    {"pstate", SIM_F_PSTATE},
    {"elr", SIM_F_ELR},
    {"spsr", SIM_F_SPSR},
    {"ret", SIM_F_RET},
    {"count", SIM_F_COUNT},
    {"data", SIM_F_DATA},
    {"err", SIM_F_ERR},
    {"completed", SIM_F_COMPLETED},
};
const unsigned sim_n_res_keys = sizeof(sim_res_keys) / sizeof(sim_res_keys[0]);

const char *sim_result_key(uint32_t bit)
{
    for (unsigned j = 0; j < sim_n_res_keys; j++) {
        if (sim_res_keys[j].bit == bit) {
            return sim_res_keys[j].key;
        }
    }
    return "?";
}

uint64_t sim_result_get(const sim_result *r, uint32_t bit)
{
    switch (bit) {
    case SIM_F_X0:
        return r->x[0];
    case SIM_F_X1:
        return r->x[1];
    case SIM_F_X2:
        return r->x[2];
    case SIM_F_X3:
        return r->x[3];
    case SIM_F_PC:
        return r->pc;
    case SIM_F_PSTATE:
        return r->pstate;
    case SIM_F_ELR:
        return r->elr;
    case SIM_F_SPSR:
        return r->spsr;
    case SIM_F_NUM:
        return r->num;
    case SIM_F_PRIO:
        return r->prio;
    case SIM_F_PREEMPTED:
        return r->preempted;
    case SIM_F_RET:
        return (uint64_t)(int64_t)r->ret;
    case SIM_F_COUNT:
        return r->count;
    case SIM_F_ERR:
        return (uint64_t)(int64_t)r->err;
    case SIM_F_ON:
        return r->on;
    case SIM_F_POWER:
        return r->power;
    case SIM_F_COMPLETED:
        return r->completed;
    default:
        return 0;
    }
}

void sim_result_set(sim_result *r, uint32_t bit, uint64_t v)
{
    switch (bit) {
    case SIM_F_X0:
        r->x[0] = v;
        break;
    case SIM_F_X1:
        r->x[1] = v;
        break;
    case SIM_F_X2:
        r->x[2] = v;
        break;
    case SIM_F_X3:
        r->x[3] = v;
        break;
    case SIM_F_PC:
        r->pc = v;
        break;
    case SIM_F_PSTATE:
        r->pstate = v;
        break;
    case SIM_F_ELR:
        r->elr = v;
        break;
    case SIM_F_SPSR:
        r->spsr = v;
        break;
    case SIM_F_NUM:
        r->num = v;
        break;
    case SIM_F_PRIO:
        r->prio = (uint8_t)v;
        break;
    case SIM_F_PREEMPTED:
        r->preempted = (uint8_t)v;
        break;
    case SIM_F_RET:
        r->ret = (int32_t)v;
        break;
    case SIM_F_COUNT:
        r->count = (uint32_t)v;
        break;
    case SIM_F_ERR:
        r->err = (int32_t)v;
        break;
    case SIM_F_ON:
        r->on = (uint32_t)v;
        break;
    case SIM_F_POWER:
        r->power = (uint8_t)v;
        break;
    case SIM_F_COMPLETED:
        r->completed = (uint8_t)v;
        break;
    default:
        break;
    }
}
