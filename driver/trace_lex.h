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

/* A marked line being parsed: its words, where data and symbols go, and the
 * struct being filled (an action or a check). */
typedef struct line_ctx {
    const tok *t;
    int n;
    sim_action *a;
    sim_check *c;
    sim_syms *x;
    uint8_t *store;
    size_t cap;
    sim_parse_err *e;
} line_ctx;

/* One parser per first word of a line kind. */
typedef struct line_word {
    const char *word;
    int (*parse)(line_ctx *c);
} line_word;

/* Tokenizes a line marked `mark` and runs the parser of its first word:
 * "expected WHAT line" without the marker, `empty` with no word, and
 * "UNKNOWN, got 'WORD'" for a word no parser takes. */
int parse_words(line_ctx *c, const char *line, char mark, const char *what, const line_word *words,
                size_t nwords, const char *empty, const char *unknown);

/* Symbols: starts the symbols of a line; ends it (the line's x pointer). */
void syms_begin(sim_syms *x);
const sim_syms *syms_end(sim_syms *x);
/* Adds a symbol; name is the "$NAME" word or NULL. -1 with a message when
 * x is NULL (the reader takes plain values only) or full. */
int sym_add(sim_syms *x, unsigned slot, unsigned op, int has_mask, uint64_t mask, const tok *name,
            sim_parse_err *e);
/* A "$NAME" word: 1, 0 if t is not one, -1 (with a message) if malformed. */
int tok_name(const tok *t, sim_parse_err *e);

/* A value that may be a $NAME (then *out = 0 and a symbol of `slot`). */
int parse_operand(const tok *t, uint64_t *out, sim_syms *x, unsigned slot, sim_parse_err *e);
int parse_vcpu(const tok *t, uint32_t *v, sim_syms *x, sim_parse_err *e);

/* "KEY[&MASK]OP VALUE" or "KEY[A:B]=VALUE", split. */
typedef struct cmp_tok {
    tok key, mask, range, val;
    uint8_t has_mask, has_range, op;
} cmp_tok;
/* 0, or -1 when the word has no operator. */
int split_cmp(const tok *t, cmp_tok *c);

/* "NAME=VALUE ..." register lists: setreg (ops = 0: '=' only) and = regs
 * (ops = 1: any comparison and a mask). Values may be $NAMEs. */
int parse_regassign(const tok *t, int n, uint8_t *reg, uint64_t *val, uint8_t *nregs, sim_syms *x,
                    int ops, sim_parse_err *e);

/* Result kinds and field keys, in the order a writer prints them. */
extern const char *const sim_res_kind_names[SIM_R_COUNT];
typedef struct sim_res_key {
    const char *key;
    uint32_t bit;
} sim_res_key;
extern const sim_res_key sim_res_keys[];
extern const unsigned sim_n_res_keys;

#endif /* SIM_TRACE_LEX_H */
