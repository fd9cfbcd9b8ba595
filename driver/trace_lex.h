/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_lex.h - internal to the trace module (trace_*.c): words, numbers,
 * the small parsers every line kind shares, and the tables the reader and
 * the writer both use. Not for other modules: they call trace.h.
 */
#ifndef SIM_TRACE_LEX_H
#define SIM_TRACE_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define MAX_TOKS 24

/* A word of a line: points into the line, not NUL-terminated. */
typedef struct tok {
    const char *p;
    size_t n;
} tok;

/* Shows at most 40 characters of a token in an error message. */
#define TOKF "%.*s"
#define TOKA(t) (int)((t).n > 40 ? 40 : (t).n), (t).p

int perr(sim_parse_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Splits on blanks; a '#' that starts a token ends the line (trailing
 * comment). Returns the token count, or -1 if there are more than max. */
int tokenize(const char *line, tok *t, int max);
int tok_is(const tok *t, const char *s);
/* "key=value": returns 1 and sets *val if t starts with key=. */
int tok_kv(const tok *t, const char *key, tok *val);
/* The line after its one-character marker ('>', '<', '='): -1 with a message
 * when the marker or the blank after it is missing, or there are too many
 * words; else the word count (0 = nothing after the marker). */
int tokenize_marked(const char *line, char mark, const char *what, tok *t, sim_parse_err *e);

int parse_u32(const tok *t, uint32_t *out);
int parse_vcpu(const tok *t, uint32_t *v, sim_parse_err *e);
/* "NAME=VALUE ..." register lists (setreg, = regs). */
int parse_regassign(const tok *t, int n, uint8_t *reg, uint64_t *val, uint8_t *nregs,
                    sim_parse_err *e);

/* Result kinds and field keys, in the order a writer prints them. */
extern const char *const sim_res_kind_names[SIM_R_COUNT];
typedef struct sim_res_key {
    const char *key;
    uint32_t bit;
} sim_res_key;
extern const sim_res_key sim_res_keys[];
extern const unsigned sim_n_res_keys;

#endif /* SIM_TRACE_LEX_H */
