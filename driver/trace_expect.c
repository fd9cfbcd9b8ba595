/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_expect.c - the lines that state what is expected: results ("< ...")
 * and checks ("= ..."), docs/trace-format.md "Result lines", "Checks".
 */
#include <string.h>

#include "blobfmt.h"
#include "names.h"
#include "trace_lex.h"

/* ---------------------------------------------------------------------------
 * Results.
 * ------------------------------------------------------------------------- */

/* The kind word, or the shorthands "< x0=..." (any hypercall result) and
 * "< ret=..." (a VMM result). Returns the index of the first field word. */
static int result_kind(const tok *t, sim_result *r, sim_parse_err *e)
{
    for (unsigned i = 0; i < SIM_R_COUNT; i++) {
        if (tok_is(t, sim_res_kind_names[i])) {
            r->kind = (uint8_t)i;
            return 1;
        }
    }
    tok v;
    if (tok_kv(t, "x0", &v) || tok_kv(t, "ret", &v)) {
        r->kind = tok_kv(t, "x0", &v) ? SIM_R_RET : SIM_R_VMM;
        r->any_kind = 1;
        return 0;
    }
    return perr(e, "expected a result kind (ret completed noresult notsdei entered none pending "
                   "dropped vmm ok err), got '" TOKF "'",
                TOKA(*t));
}

/* "< entered NUM", "< completed NUM" and "< err CODE" carry one positional
 * word. Returns the index of the first field word, or -1. */
static int result_positional(const tok *t, int n, int first, sim_result *r, sim_parse_err *e)
{
    int k = r->kind;
    if (n <= 1 || memchr(t[1].p, '=', t[1].n) != NULL) {
        return first;
    }
    if (k == SIM_R_ENTERED || k == SIM_R_COMPLETED) {
        if (sim_parse_value(t[1].p, t[1].n, &r->num) != 0) {
            return perr(e, "expected an event number after '%s', got '" TOKF "'",
                        sim_res_kind_names[k], TOKA(t[1]));
        }
        r->fields |= SIM_F_NUM;
        return 2;
    }
    if (k == SIM_R_ERR) {
        uint32_t v;
        if (parse_u32(&t[1], &v) != 0) {
            return perr(e, "expected an error number after 'err'");
        }
        r->err = (int32_t)v;
        r->fields |= SIM_F_ERR;
        return 2;
    }
    return first;
}

/* ret=0|-ERRNO of a VMM result. */
static int result_ret(const tok *v, sim_result *r, sim_parse_err *e)
{
    int32_t er;
    uint64_t val;
    if (sim_errno_by_name(v->p, v->n, &er) == 0) {
        r->ret = er;
    } else if (sim_parse_u64(v->p, v->n, &val) == 0 && (int64_t)val >= INT32_MIN &&
               (int64_t)val <= INT32_MAX) {
        r->ret = (int32_t)(int64_t)val;
    } else {
        return perr(e, "expected ret=0 or ret=-ERRNO (-EINVAL, ...), got '" TOKF "'", TOKA(*v));
    }
    return 0;
}

/* Stores a numeric field's value. */
static int result_store(sim_result *r, uint32_t bit, uint64_t val, sim_parse_err *e)
{
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
    return 0;
}

/* One KEY=VALUE word of a result line. */
static int result_field(const tok *t, sim_result *r, uint8_t *store, size_t cap,
                        sim_parse_err *e)
{
    const char *eq = memchr(t->p, '=', t->n);
    if (eq == NULL) {
        return perr(e, "expected KEY=VALUE, got '" TOKF "'", TOKA(*t));
    }
    size_t kl = (size_t)(eq - t->p);
    tok v = {eq + 1, t->n - kl - 1};
    unsigned j;
    for (j = 0; j < sim_n_res_keys; j++) {
        if (strlen(sim_res_keys[j].key) == kl && memcmp(sim_res_keys[j].key, t->p, kl) == 0) {
            break;
        }
    }
    if (j == sim_n_res_keys) {
        return perr(e, "expected a result field (x0..x3 pc pstate elr spsr num prio ret "
                       "count data err), got '%.*s'",
                    (int)(kl > 40 ? 40 : kl), t->p);
    }
    uint32_t bit = sim_res_keys[j].bit;
    uint64_t val = 0;
    r->fields |= bit;
    if (bit == SIM_F_DATA) {
        if (sim_parse_hex(v.p, v.n, store, cap, &r->data_len) != 0) {
            return perr(e, "expected data=HEX (even number of hex digits, at most %zu bytes)",
                        cap);
        }
        r->data = store;
        return 0;
    }
    if (bit == SIM_F_PRIO) {
        if (!tok_is(&v, "normal") && !tok_is(&v, "critical")) {
            return perr(e, "expected prio=normal or prio=critical");
        }
        r->prio = tok_is(&v, "critical") ? 1 : 0;
        return 0;
    }
    if (bit == SIM_F_RET) {
        return result_ret(&v, r, e);
    }
    if (sim_parse_value(v.p, v.n, &val) != 0) {
        return perr(e, "expected a number or result name for '%.*s', got '" TOKF "'", (int)kl,
                    t->p, TOKA(v));
    }
    return result_store(r, bit, val, e);
}

int sim_parse_result(const char *line, sim_result *r, uint8_t *store, size_t cap,
                     sim_parse_err *e)
{
    tok t[MAX_TOKS];
    int n = tokenize_marked(line, '<', "a result", t, e);
    if (n < 0) {
        return -1;
    }
    memset(r, 0, sizeof(*r));
    if (n == 0) {
        return perr(e, "expected a result kind after '<'");
    }
    int first = result_kind(&t[0], r, e);
    if (first < 0) {
        return -1;
    }
    first = result_positional(t, n, first, r, e);
    if (first < 0) {
        return -1;
    }
    for (int i = first; i < n; i++) {
        if (tok_is(&t[i], "preempted")) {
            r->preempted = 1;
            r->fields |= SIM_F_PREEMPTED;
        } else if (result_field(&t[i], r, store, cap, e) != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Checks: one parser per check word, t[0] being that word.
 * ------------------------------------------------------------------------- */
typedef struct chk_ctx {
    const tok *t;
    int n;
    sim_check *c;
    uint8_t *store;
    size_t cap;
    sim_parse_err *e;
} chk_ctx;

static int parse_event(const tok *t, uint64_t *num, sim_parse_err *e)
{
    if (sim_parse_u64(t->p, t->n, num) != 0) {
        return perr(e, "expected an event number, got '" TOKF "'", TOKA(*t));
    }
    return 0;
}

static int chk_state(chk_ctx *x)
{
    const tok *t = x->t;
    if (x->n != 4) {
        return perr(x->e, "expected 'state NUM VCPU U|D|E|RE|RD|UP'");
    }
    x->c->kind = SIM_C_STATE;
    if (parse_event(&t[1], &x->c->num, x->e) != 0 || parse_vcpu(&t[2], &x->c->vcpu, x->e) != 0) {
        return -1;
    }
    int s = sim_state_by_name(t[3].p, t[3].n);
    if (s < 0) {
        return perr(x->e, "expected a state U D E RE RD UP, got '" TOKF "'", TOKA(t[3]));
    }
    x->c->state = (uint8_t)s;
    return 0;
}

static int chk_pending(chk_ctx *x)
{
    const tok *t = x->t;
    if (x->n != 4) {
        return perr(x->e, "expected 'pending NUM VCPU COUNT'");
    }
    x->c->kind = SIM_C_PENDING;
    if (parse_event(&t[1], &x->c->num, x->e) != 0 || parse_vcpu(&t[2], &x->c->vcpu, x->e) != 0) {
        return -1;
    }
    if (parse_u32(&t[3], &x->c->pending) != 0) {
        return perr(x->e, "expected a pending count, got '" TOKF "'", TOKA(t[3]));
    }
    return 0;
}

/* masked= normal= critical= queued= of "= vcpu". */
static int vcpu_field(sim_check *c, const tok *t, sim_parse_err *e)
{
    static const char *const keys[4] = {"masked", "normal", "critical", "queued"};
    tok v;
    uint64_t val;
    int bit = 0;
    while (bit < 4 && !tok_kv(t, keys[bit], &v)) {
        bit++;
    }
    if (bit == 4) {
        return perr(e, "expected masked= normal= critical= or queued=, got '" TOKF "'",
                    TOKA(*t));
    }
    if (sim_parse_value(v.p, v.n, &val) != 0 || (bit == 0 && val > 1) ||
        (bit == 3 && val > UINT32_MAX)) {
        return perr(e, "expected a value for '" TOKF "'", TOKA(*t));
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
    return 0;
}

static int chk_vcpu(chk_ctx *x)
{
    if (x->n < 3) {
        return perr(x->e, "expected 'vcpu VCPU [masked=0|1] [normal=NUM|none] "
                          "[critical=NUM|none] [queued=N]'");
    }
    x->c->kind = SIM_C_VCPU;
    if (parse_vcpu(&x->t[1], &x->c->vcpu, x->e) != 0) {
        return -1;
    }
    for (int i = 2; i < x->n; i++) {
        if (vcpu_field(x->c, &x->t[i], x->e) != 0) {
            return -1;
        }
    }
    return 0;
}

static int chk_regs(chk_ctx *x)
{
    if (x->n < 3) {
        return perr(x->e, "expected 'regs VCPU NAME=VALUE ...'");
    }
    x->c->kind = SIM_C_REGS;
    if (parse_vcpu(&x->t[1], &x->c->vcpu, x->e) != 0) {
        return -1;
    }
    return parse_regassign(&x->t[2], x->n - 2, x->c->reg, x->c->val, &x->c->nregs, x->e);
}

/* The blob kind word of "= blob KIND ...", or -1. */
static int blob_kind_of(const tok *t)
{
    char word[16];
    if (t->n >= sizeof(word)) {
        return -1;
    }
    memcpy(word, t->p, t->n);
    word[t->n] = '\0';
    return sim_blob_kind_by_name(word);
}

/* INDEX, NUM or VCPU [NUM] of "= blob KIND ...". */
static int blob_key(chk_ctx *x, int b)
{
    const tok *t = x->t;
    sim_check *c = x->c;
    if (b == SIM_BLOB_EXPOSED) {
        if (parse_u32(&t[2], &c->index) != 0) {
            return perr(x->e, "expected an entry index, got '" TOKF "'", TOKA(t[2]));
        }
        return 0;
    }
    if (b == SIM_BLOB_REGISTERED) {
        return parse_event(&t[2], &c->num, x->e);
    }
    if (parse_vcpu(&t[2], &c->vcpu, x->e) != 0) {
        return -1;
    }
    return b == SIM_BLOB_VCPU_EVENT ? parse_event(&t[3], &c->num, x->e) : 0;
}

static int chk_blob(chk_ctx *x)
{
    static const char *const usage[SIM_BLOB_COUNT] = {
        "expected 'blob exposed INDEX HEX'", "expected 'blob registered NUM HEX'",
        "expected 'blob vcpu_event VCPU NUM HEX'", "expected 'blob vcpu_state VCPU HEX'",
    };
    int b = x->n >= 2 ? blob_kind_of(&x->t[1]) : -1;
    if (b < 0) {
        return perr(x->e, "expected 'blob exposed|registered|vcpu_event|vcpu_state ...'");
    }
    x->c->kind = SIM_C_BLOB;
    x->c->blob = (uint8_t)b;
    if (x->n != (b == SIM_BLOB_VCPU_EVENT ? 5 : 4)) {
        return perr(x->e, "%s", usage[b]);
    }
    if (blob_key(x, b) != 0) {
        return -1;
    }
    const tok *h = &x->t[x->n - 1];
    if (sim_parse_hex(h->p, h->n, x->store, x->cap, &x->c->data_len) != 0) {
        return perr(x->e, "expected the blob as HEX (even number of hex digits)");
    }
    x->c->data = x->store;
    return 0;
}

static const struct {
    const char *word;
    int (*parse)(chk_ctx *x);
} checks[] = {
    {"state", chk_state}, {"pending", chk_pending}, {"vcpu", chk_vcpu},
    {"regs", chk_regs},   {"blob", chk_blob},
};

int sim_parse_check(const char *line, sim_check *c, uint8_t *store, size_t cap,
                    sim_parse_err *e)
{
    tok t[MAX_TOKS];
    int n = tokenize_marked(line, '=', "a check", t, e);
    if (n < 0) {
        return -1;
    }
    memset(c, 0, sizeof(*c));
    if (n == 0) {
        return perr(e, "expected a check (state pending vcpu regs blob) after '='");
    }
    chk_ctx x = {t, n, c, store, cap, e};
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        if (tok_is(&t[0], checks[i].word)) {
            return checks[i].parse(&x);
        }
    }
    return perr(e, "expected a check (state pending vcpu regs blob), got '" TOKF "'",
                TOKA(t[0]));
}
