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

int tokenize(const char *line, tok *t, int max)
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

int parse_u32(const tok *t, uint32_t *out)
{
    uint64_t v;
    if (sim_parse_u64(t->p, t->n, &v) != 0 || v > UINT32_MAX) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int parse_vcpu(const tok *t, uint32_t *v, sim_parse_err *e)
{
    if (parse_u32(t, v) != 0 || *v >= SDEI_MAX_VCPUS) {
        return perr(e, "expected a vCPU index 0..511, got '" TOKF "'", TOKA(*t));
    }
    return 0;
}

int parse_regassign(const tok *t, int n, uint8_t *reg, uint64_t *val, uint8_t *nregs,
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

/* ---------------------------------------------------------------------------
 * Tables shared by the reader and the writer.
 * ------------------------------------------------------------------------- */
const char *const sim_res_kind_names[SIM_R_COUNT] = {
    "ret", "completed", "noresult", "notsdei", "entered", "none",
    "pending", "dropped", "vmm", "ok", "err", "unavailable",
};

const char *sim_res_kind_name(unsigned kind)
{
    return kind < SIM_R_COUNT ? sim_res_kind_names[kind] : "?";
}

const sim_res_key sim_res_keys[] = {
    {"num", SIM_F_NUM}, {"prio", SIM_F_PRIO}, {"preempted", SIM_F_PREEMPTED},
    {"x0", SIM_F_X0}, {"x1", SIM_F_X1}, {"x2", SIM_F_X2}, {"x3", SIM_F_X3},
    {"pc", SIM_F_PC}, {"pstate", SIM_F_PSTATE}, {"elr", SIM_F_ELR}, {"spsr", SIM_F_SPSR},
    {"ret", SIM_F_RET}, {"count", SIM_F_COUNT}, {"data", SIM_F_DATA}, {"err", SIM_F_ERR},
};
const unsigned sim_n_res_keys = sizeof(sim_res_keys) / sizeof(sim_res_keys[0]);
