/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_expect.c - the lines that state what is expected: results ("< ...")
 * and checks ("= ..."), docs/trace-format.md "Result lines", "Checks".
 */
#include <string.h>

#include "blobfmt.h"
#include "names.h"
#include "sdei/sdei_fwreg.h"
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
    cmp_tok c;
    if (split_cmp(t, &c) == 0 && (tok_is(&c.key, "x0") || tok_is(&c.key, "ret"))) {
        r->kind = tok_is(&c.key, "x0") ? SIM_R_RET : SIM_R_VMM;
        r->any_kind = 1;
        return 0;
    }
    return perr(e,
                "expected a result kind (ret completed noresult notsdei entered none pending "
                "dropped vmm ok err power), got '" TOKF "'",
                TOKA(*t));
}

/* "< entered NUM", "< completed NUM" and "< err CODE" carry one positional
 * word. Returns the index of the first field word, or -1. */
static int result_positional(const tok *t, int n, int first, sim_result *r, sim_syms *x,
                             sim_parse_err *e)
{
    int k = r->kind;
    if (n <= 1 || split_cmp(&t[1], &(cmp_tok){0}) == 0) {
        return first;
    }
    if (k == SIM_R_ENTERED || k == SIM_R_COMPLETED) {
        int rc = parse_operand(&t[1], &r->num, x, (unsigned)__builtin_ctz(SIM_F_NUM), e);
        if (rc != 0) {
            return rc < 0 ? -1
                          : perr(e, "expected an event number after '%s', got '" TOKF "'",
                                 sim_res_kind_names[k], TOKA(t[1]));
        }
        r->fields |= SIM_F_NUM;
        return 2;
    }
    if (k == SIM_R_POWER) {
        for (int i = 0; i < (int)SDEI_POWER_RESULT_COUNT; i++) {
            if (tok_is(&t[1], sdei_power_result_name((sdei_power_result)i))) {
                r->power = (uint8_t)i;
                r->fields |= SIM_F_POWER;
                return 2;
            }
        }
        return perr(e,
                    "expected a power result (done already_on not_running not_suspended) "
                    "after 'power', got '" TOKF "'",
                    TOKA(t[1]));
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

/* Stores a numeric field's value, checking its range. */
static int result_store(sim_result *r, uint32_t bit, uint64_t val, sim_parse_err *e)
{
    if (bit == SIM_F_COUNT && val > UINT32_MAX) {
        return perr(e, "expected count=0..4294967295");
    }
    if (bit == SIM_F_PREEMPTED && val > 1) {
        return perr(e, "expected preempted=0 or preempted=1");
    }
    if (bit == SIM_F_ON && val >= SDEI_MAX_VCPUS) {
        return perr(e, "expected on=VCPU (0..511)");
    }
    if (bit == SIM_F_COMPLETED && val > 2) {
        return perr(e, "expected completed=0..2");
    }
    sim_result_set(r, bit, val);
    return 0;
}

/* data=HEX, or data[A:B]=HEX: only bytes A..B-1 of the actual data. */
static int result_data(const cmp_tok *c, sim_result *r, sim_syms *x, uint8_t *store, size_t cap,
                       sim_parse_err *e)
{
    uint32_t lo = 0, hi = 0;
    if (c->op != SIM_OP_EQ || c->has_mask) {
        return perr(e, "expected data=HEX or data[A:B]=HEX (no other comparison)");
    }
    if (c->has_range) {
        const char *colon = memchr(c->range.p, ':', c->range.n);
        tok a = {c->range.p, colon != NULL ? (size_t)(colon - c->range.p) : 0};
        tok b = {colon != NULL ? colon + 1 : c->range.p, colon != NULL ? c->range.n - a.n - 1 : 0};
        if (colon == NULL || parse_u32(&a, &lo) != 0 || parse_u32(&b, &hi) != 0 || lo >= hi) {
            return perr(e, "expected data[A:B]=HEX with byte offsets A < B, got '[" TOKF "]'",
                        TOKA(c->range));
        }
    }
    if (sim_parse_hex(c->val.p, c->val.n, store, cap, &r->data_len) != 0) {
        return perr(e, "expected data=HEX (even number of hex digits, at most %zu bytes)", cap);
    }
    r->data = store;
    if (c->has_range) {
        if (r->data_len != (size_t)(hi - lo)) {
            return perr(e, "expected %u bytes of HEX for data[%u:%u], got %zu", hi - lo, lo, hi,
                        r->data_len);
        }
        if (x == NULL) {
            return sym_add(x, 0, 0, 0, 0, NULL, e);
        }
        x->ranged = 1;
        x->data_off = lo;
    }
    return 0;
}

/* The value of a numeric field: a number, a name, or a $NAME, compared with
 * an operator and a mask. */
static int result_value(const cmp_tok *c, uint32_t bit, sim_result *r, sim_syms *x,
                        sim_parse_err *e)
{
    uint64_t val = 0, mask = 0;
    int nm = tok_name(&c->val, e);
    if (nm < 0) {
        return -1;
    }
    if (nm == 0 && sim_parse_value(c->val.p, c->val.n, &val) != 0) {
        return perr(e, "expected a number or result name for '" TOKF "', got '" TOKF "'",
                    TOKA(c->key), TOKA(c->val));
    }
    if (c->has_mask && sim_parse_u64(c->mask.p, c->mask.n, &mask) != 0) {
        return perr(e, "expected a mask number after '" TOKF "&', got '" TOKF "'", TOKA(c->key),
                    TOKA(c->mask));
    }
    if ((nm || c->op != SIM_OP_EQ || c->has_mask) &&
        sym_add(x, (unsigned)__builtin_ctz(bit), c->op, c->has_mask, mask, nm ? &c->val : NULL,
                e) != 0) {
        return -1;
    }
    return result_store(r, bit, val, e);
}

/* One KEY[&MASK]OP VALUE word of a result line. */
static int result_field(const tok *t, sim_result *r, sim_syms *x, uint8_t *store, size_t cap,
                        sim_parse_err *e)
{
    cmp_tok c;
    if (split_cmp(t, &c) != 0) {
        return perr(e, "expected KEY=VALUE, got '" TOKF "'", TOKA(*t));
    }
    unsigned j;
    for (j = 0; j < sim_n_res_keys; j++) {
        if (tok_is(&c.key, sim_res_keys[j].key)) {
            break;
        }
    }
    if (j == sim_n_res_keys) {
        return perr(e,
                    "expected a result field (x0..x3 pc pstate elr spsr num prio preempted "
                    "ret count data err on completed), got '" TOKF "'",
                    TOKA(c.key));
    }
    uint32_t bit = sim_res_keys[j].bit;
    int symbolic = c.op != SIM_OP_EQ || c.has_mask || c.has_range || tok_name(&c.val, e) != 0;
    if ((r->fields & bit) && (symbolic || sim_sym_find(x, (unsigned)__builtin_ctz(bit)) != NULL ||
                              (bit == SIM_F_DATA && x != NULL && x->ranged))) {
        /* one comparison per field: "x0>=1 x0<5" would need two */
        return perr(e, "expected each compared field once on a line, got '" TOKF "' again",
                    TOKA(c.key));
    }
    r->fields |= bit;
    if (bit == SIM_F_DATA) {
        return result_data(&c, r, x, store, cap, e);
    }
    if (c.has_range) {
        return perr(e, "expected a byte range only on data (data[A:B]=HEX)");
    }
    if ((bit == SIM_F_PRIO || bit == SIM_F_RET) && (c.op != SIM_OP_EQ || c.has_mask)) {
        return perr(e, "expected '%s=' (no other comparison, no mask)", sim_res_keys[j].key);
    }
    if (bit == SIM_F_PRIO) {
        if (!tok_is(&c.val, "normal") && !tok_is(&c.val, "critical")) {
            return perr(e, "expected prio=normal or prio=critical");
        }
        r->prio = tok_is(&c.val, "critical") ? 1 : 0;
        return 0;
    }
    if (bit == SIM_F_RET) {
        return result_ret(&c.val, r, e);
    }
    return result_value(&c, bit, r, x, e);
}

int sim_parse_result(const char *line, sim_result *r, sim_syms *x, uint8_t *store, size_t cap,
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
    syms_begin(x);
    int first = result_kind(&t[0], r, e);
    if (first >= 0) {
        first = result_positional(t, n, first, r, x, e);
    }
    for (int i = first; i >= 0 && i < n; i++) {
        if (tok_is(&t[i], "preempted")) {
            r->preempted = 1;
            r->fields |= SIM_F_PREEMPTED;
        } else if (result_field(&t[i], r, x, store, cap, e) != 0) {
            first = -1;
            break;
        }
    }
    r->syms = syms_end(x);
    return first < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------------------
 * Checks: one parser per check word, t[0] being that word.
 * ------------------------------------------------------------------------- */

static int parse_event(const tok *t, uint64_t *num, sim_syms *x, sim_parse_err *e)
{
    int rc = parse_operand(t, num, x, SIM_SLOT_NUM, e);
    if (rc > 0) {
        return perr(e, "expected an event number, got '" TOKF "'", TOKA(*t));
    }
    return rc;
}

static int chk_state(line_ctx *x)
{
    const tok *t = x->t;
    if (x->n != 4) {
        return perr(x->e, "expected 'state NUM VCPU U|D|E|RE|RD|UP'");
    }
    x->c->kind = SIM_C_STATE;
    if (parse_event(&t[1], &x->c->num, x->x, x->e) != 0 ||
        parse_vcpu(&t[2], &x->c->vcpu, x->x, x->e) != 0) {
        return -1;
    }
    int s = sim_state_by_name(t[3].p, t[3].n);
    if (s < 0) {
        return perr(x->e, "expected a state U D E RE RD UP, got '" TOKF "'", TOKA(t[3]));
    }
    x->c->state = (uint8_t)s;
    return 0;
}

static int chk_pending(line_ctx *x)
{
    const tok *t = x->t;
    if (x->n != 4) {
        return perr(x->e, "expected 'pending NUM VCPU COUNT'");
    }
    x->c->kind = SIM_C_PENDING;
    if (parse_event(&t[1], &x->c->num, x->x, x->e) != 0 ||
        parse_vcpu(&t[2], &x->c->vcpu, x->x, x->e) != 0) {
        return -1;
    }
    if (parse_u32(&t[3], &x->c->pending) != 0) {
        return perr(x->e, "expected a pending count, got '" TOKF "'", TOKA(t[3]));
    }
    return 0;
}

/* power=on|off|suspended|frozen of "= vcpu" (fields bit 4). */
static int vcpu_power_field(sim_check *c, const tok *v, sim_parse_err *e)
{
    for (int i = 0; i < (int)SDEI_PE_STATE_COUNT; i++) {
        if (tok_is(v, sdei_power_state_name((sdei_power_state)i))) {
            c->power = (uint8_t)i;
            c->fields |= 1u << 4;
            return 0;
        }
    }
    return perr(e, "expected power=on|off|suspended|frozen, got '" TOKF "'", TOKA(*v));
}

/* masked= normal= critical= queued= power= of "= vcpu". */
static int vcpu_field(sim_check *c, const tok *t, sim_syms *x, sim_parse_err *e)
{
    static const char *const keys[4] = {"masked", "normal", "critical", "queued"};
    tok v;
    uint64_t val = 0;
    int bit = 0;
    if (tok_kv(t, "power", &v)) {
        return vcpu_power_field(c, &v, e);
    }
    while (bit < 4 && !tok_kv(t, keys[bit], &v)) {
        bit++;
    }
    if (bit == 4) {
        return perr(e, "expected masked= normal= critical= queued= or power=, got '" TOKF "'",
                    TOKA(*t));
    }
    int rc = bit == 1 || bit == 2
                 ? parse_operand(&v, &val, x, bit == 1 ? SIM_SLOT_NORMAL : SIM_SLOT_CRITICAL, e)
                 : sim_parse_value(v.p, v.n, &val) != 0;
    if (rc < 0) {
        return -1;
    }
    if (rc > 0 || (bit == 0 && val > 1) || (bit == 3 && val > UINT32_MAX)) {
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

static int chk_vcpu(line_ctx *x)
{
    if (x->n < 3) {
        return perr(x->e, "expected 'vcpu VCPU [masked=0|1] [normal=NUM|none] "
                          "[critical=NUM|none] [queued=N] [power=on|off|suspended|frozen]'");
    }
    x->c->kind = SIM_C_VCPU;
    if (parse_vcpu(&x->t[1], &x->c->vcpu, x->x, x->e) != 0) {
        return -1;
    }
    for (int i = 2; i < x->n; i++) {
        if (vcpu_field(x->c, &x->t[i], x->x, x->e) != 0) {
            return -1;
        }
    }
    return 0;
}

static int chk_regs(line_ctx *x)
{
    if (x->n < 3) {
        return perr(x->e, "expected 'regs VCPU NAME=VALUE ...'");
    }
    x->c->kind = SIM_C_REGS;
    if (parse_vcpu(&x->t[1], &x->c->vcpu, x->x, x->e) != 0) {
        return -1;
    }
    return parse_regassign(&x->t[2], x->n - 2, x->c->reg, x->c->val, &x->c->nregs, x->x, 1, x->e);
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
static int blob_key(line_ctx *x, int b)
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
        return parse_event(&t[2], &c->num, x->x, x->e);
    }
    if (parse_vcpu(&t[2], &c->vcpu, x->x, x->e) != 0) {
        return -1;
    }
    return b == SIM_BLOB_VCPU_EVENT ? parse_event(&t[3], &c->num, x->x, x->e) : 0;
}

static int chk_blob(line_ctx *x)
{
    static const char *const usage[SIM_BLOB_COUNT] = {
        "expected 'blob exposed INDEX HEX'",
        "expected 'blob registered NUM HEX'",
        "expected 'blob vcpu_event VCPU NUM HEX'",
        "expected 'blob vcpu_state VCPU HEX'",
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

/* = fwreg VCPU NAME|ID HEX: the first bytes of a v7 firmware register
 * (sdei_fwreg.h; HEX may be shorter than the register: only its bytes are
 * compared, e.g. the 160 bytes of EVENT_CONTEXT v7 writes). */
static int chk_fwreg(line_ctx *x)
{
    char word[24];
    uint64_t id = 0;
    if (x->n != 4) {
        return perr(x->e, "expected 'fwreg VCPU NAME HEX'");
    }
    x->c->kind = SIM_C_FWREG;
    if (parse_vcpu(&x->t[1], &x->c->vcpu, x->x, x->e) != 0) {
        return -1;
    }
    const tok *n = &x->t[2];
    if (n->n < sizeof(word)) {
        memcpy(word, n->p, n->n);
        word[n->n] = '\0';
        id = sdei_fwreg_by_name(word);
    }
    if (id == 0 && (sim_parse_value(n->p, n->n, &id) != 0 || sdei_fwreg_index(id) < 0)) {
        return perr(x->e,
                    "expected a firmware register name (EVENT_HANDLER_0 ... PE_STATE) or id, "
                    "got '" TOKF "'",
                    TOKA(*n));
    }
    x->c->num = id;
    const tok *h = &x->t[3];
    if (sim_parse_hex(h->p, h->n, x->store, x->cap, &x->c->data_len) != 0 || x->c->data_len == 0 ||
        x->c->data_len > sdei_fwreg_size(id)) {
        return perr(x->e, "expected at most %zu bytes as HEX for %s", sdei_fwreg_size(id),
                    sdei_fwreg_name(id));
    }
    x->c->data = x->store;
    return 0;
}

static const line_word checks[] = {
    {"state", chk_state}, {"pending", chk_pending}, {"vcpu", chk_vcpu},
    {"regs", chk_regs},   {"blob", chk_blob},       {"fwreg", chk_fwreg},
};

int sim_parse_check(const char *line, sim_check *c, sim_syms *x, uint8_t *store, size_t cap,
                    sim_parse_err *e)
{
    line_ctx cx = {NULL, 0, NULL, c, x, store, cap, e};
    memset(c, 0, sizeof(*c));
    syms_begin(x);
    int rc = parse_words(&cx, line, '=', "a check", checks, sizeof(checks) / sizeof(checks[0]),
                         "expected a check (state pending vcpu regs blob fwreg) after '='",
                         "expected a check (state pending vcpu regs blob fwreg)");
    c->syms = syms_end(x);
    return rc;
}
