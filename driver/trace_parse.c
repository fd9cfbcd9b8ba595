/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace_parse.c - the header and action lines (docs/trace-format.md
 * "Header", "Actions and their results").
 */
#include <string.h>

#include "names.h"
#include "sdei/sdei_vmm.h"
#include "trace_lex.h"

/* ---------------------------------------------------------------------------
 * Header.
 * ------------------------------------------------------------------------- */

/* bind=P/S */
static int header_bind(sim_header *h, const tok *v, sim_parse_err *e)
{
    const char *slash = memchr(v->p, '/', v->n);
    tok a, b;
    uint32_t pv, sv;
    if (slash == NULL) {
        return perr(e, "expected bind=PRIVATE/SHARED slot counts");
    }
    a.p = v->p;
    a.n = (size_t)(slash - v->p);
    b.p = slash + 1;
    b.n = v->n - a.n - 1;
    if (parse_u32(&a, &pv) != 0 || parse_u32(&b, &sv) != 0 || pv > 0xFFFF || sv > 0xFFFF) {
        return perr(e, "expected bind=PRIVATE/SHARED slot counts (0..65535)");
    }
    h->private_bind_slots = (uint16_t)pv;
    h->shared_bind_slots = (uint16_t)sv;
    h->has_bind = 1;
    return 0;
}

/* quirks=+name,-name,... relative to the profile: *add and *sub collect the
 * bits; the last mention of a quirk wins ("+x,-x" is off). */
static int header_quirks(const tok *v, uint64_t *add, uint64_t *sub, sim_parse_err *e)
{
    size_t k = 0;
    while (k < v->n) {
        size_t j = k;
        while (j < v->n && v->p[j] != ',') {
            j++;
        }
        if (j - k < 2 || (v->p[k] != '+' && v->p[k] != '-')) {
            return perr(e, "expected quirks=+name,-name,...");
        }
        char name[64];
        size_t ln = j - k - 1;
        if (ln >= sizeof(name)) {
            return perr(e, "quirk name too long");
        }
        memcpy(name, v->p + k + 1, ln);
        name[ln] = '\0';
        int q = sdei_quirk_by_name(name);
        if (q < 0) {
            return perr(e, "expected a known quirk name, got '%s'", name);
        }
        uint64_t bit = UINT64_C(1) << q;
        *(v->p[k] == '+' ? add : sub) |= bit;
        *(v->p[k] == '+' ? sub : add) &= ~bit;
        k = j + 1;
    }
    return 0;
}

/* mpidr=A,B,...: one MPIDR per vCPU, in vCPU order (the count is checked
 * against vcpus= once the whole header is read). */
static int header_mpidr(sim_header *h, const tok *v, sim_parse_err *e)
{
    size_t k = 0;
    uint32_t n = 0;
    while (k < v->n) {
        size_t j = k;
        while (j < v->n && v->p[j] != ',') {
            j++;
        }
        if (n >= SDEI_MAX_VCPUS || sim_parse_u64(v->p + k, j - k, &h->mpidr[n]) != 0) {
            return perr(e, "expected mpidr=MPIDR,MPIDR,... (at most 512 numbers)");
        }
        n++;
        k = j + 1;
    }
    h->nr_mpidr = n;
    return 0;
}

/* One "key=value" of the header after the version. */
static int header_option(sim_header *h, const tok *t, uint64_t *add, uint64_t *sub, int *quirks,
                         sim_parse_err *e)
{
    tok v;
    uint32_t s;
    if (tok_kv(t, "profile", &v)) {
        int p = sim_profile_by_name(v.p, v.n);
        if (p < 0) {
            char names[128];
            sim_profile_names(names, sizeof(names));
            return perr(e, "expected profile=%s, got '" TOKF "'", names, TOKA(v));
        }
        h->profile = (sdei_profile)p;
    } else if (tok_kv(t, "vcpus", &v)) {
        if (parse_u32(&v, &h->vcpus) != 0 || h->vcpus < 1 || h->vcpus > SDEI_MAX_VCPUS) {
            return perr(e, "expected vcpus=1..512, got '" TOKF "'", TOKA(v));
        }
    } else if (tok_kv(t, "seed", &v)) {
        if (sim_parse_u64(v.p, v.n, &h->seed) != 0) {
            return perr(e, "expected seed=NUMBER, got '" TOKF "'", TOKA(v));
        }
        h->has_seed = 1;
    } else if (tok_kv(t, "span", &v)) {
        if (parse_u32(&v, &s) != 0 || s > 1) {
            return perr(e, "expected span=0 or span=1");
        }
        h->span = (uint8_t)s;
    } else if (tok_kv(t, "max-events", &v)) {
        if (parse_u32(&v, &h->max_events) != 0 || h->max_events < 1 ||
            h->max_events > SDEI_MAX_EVENTS) {
            return perr(e, "expected max-events=1..128");
        }
    } else if (tok_kv(t, "bind", &v)) {
        return header_bind(h, &v, e);
    } else if (tok_kv(t, "quirks", &v)) {
        *quirks = 1;
        return header_quirks(&v, add, sub, e);
    } else if (tok_kv(t, "mpidr", &v)) {
        return header_mpidr(h, &v, e);
    } else {
        return perr(e,
                    "expected a header option (profile= vcpus= seed= bind= span= "
                    "max-events= quirks= mpidr=), got '" TOKF "'",
                    TOKA(*t));
    }
    return 0;
}

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
    uint64_t add = 0, sub = 0;
    int have_quirks = 0;
    for (int i = 2; i < n; i++) {
        if (header_option(h, &t[i], &add, &sub, &have_quirks, e) != 0) {
            return -1;
        }
    }
    if (h->profile == SDEI_PROFILE_COUNT) {
        char names[128];
        sim_profile_names(names, sizeof(names));
        return perr(e, "expected profile=%s in the header", names);
    }
    if (h->vcpus == 0) {
        return perr(e, "expected vcpus=N in the header");
    }
    if (h->nr_mpidr != 0 && h->nr_mpidr != h->vcpus) {
        return perr(e, "expected one mpidr= number per vCPU (%u), got %u", h->vcpus, h->nr_mpidr);
    }
    if (have_quirks) {
        h->quirks_override = 1;
        h->quirks = (sdei_profile_quirks(h->profile) | add) & ~sub;
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Actions: one parser per action word, t[0] being that word.
 * ------------------------------------------------------------------------- */

static int act_hvc(line_ctx *c)
{
    const tok *t = c->t;
    sim_action *a = c->a;
    if (c->n < 3 || c->n > 8) {
        return perr(c->e, "expected 'hvc VCPU CALL [X1 .. X5]'");
    }
    a->kind = SIM_A_HVC;
    if (parse_vcpu(&t[1], &a->vcpu, c->x, c->e) != 0) {
        return -1;
    }
    int call = sim_call_by_name(t[2].p, t[2].n);
    if (call >= 0) {
        a->call = (uint8_t)call;
    } else {
        a->call = SDEI_CALL_ID_NONE;
        if (sim_parse_u64(t[2].p, t[2].n, &a->fid) != 0) {
            return perr(c->e,
                        "expected a call name (EVENT_REGISTER, ...) or a function ID, "
                        "got '" TOKF "'",
                        TOKA(t[2]));
        }
    }
    for (int i = 3; i < c->n; i++) {
        int rc = 0;
        if (tok_is(&t[i], "-")) {
            a->keep_mask |= (uint8_t)(1u << (i - 3));
        } else if ((rc = parse_operand(&t[i], &a->arg[i - 3], c->x, SIM_SLOT_ARG + (unsigned)i - 3,
                                       c->e)) > 0) {
            return perr(c->e, "expected a number for x%d, got '" TOKF "'", i - 2, TOKA(t[i]));
        }
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}

static int act_setreg(line_ctx *c)
{
    if (c->n < 3) {
        return perr(c->e, "expected 'setreg VCPU NAME=VALUE ...'");
    }
    c->a->kind = SIM_A_SETREG;
    if (parse_vcpu(&c->t[1], &c->a->vcpu, c->x, c->e) != 0) {
        return -1;
    }
    return parse_regassign(&c->t[2], c->n - 2, c->a->reg, c->a->val, &c->a->nregs, c->x, 0, c->e);
}

/* "power V ACTION": a PSCI transition (docs/model.md "Power"). */
static int act_power(line_ctx *c)
{
    if (c->n != 3) {
        return perr(c->e, "expected 'power VCPU cpu_off|cpu_on|suspend|resume|cpu_freeze|query|"
                          "system_off|system_reset'");
    }
    c->a->kind = SIM_A_POWER;
    if (parse_vcpu(&c->t[1], &c->a->vcpu, c->x, c->e) != 0) {
        return -1;
    }
    for (int i = 0; i < (int)SDEI_POWER_ACTION_COUNT; i++) {
        if (tok_is(&c->t[2], sdei_power_action_name((sdei_power_action)i))) {
            c->a->power = (uint8_t)i;
            return 0;
        }
    }
    return perr(c->e,
                "expected a power action (cpu_off cpu_on suspend resume cpu_freeze query "
                "system_off system_reset), got '" TOKF "'",
                TOKA(c->t[2]));
}

/* "vcpu_reset V": the VMM resets the vCPU (KVM_ARM_VCPU_INIT). */
static int act_vcpu_reset(line_ctx *c)
{
    if (c->n != 2) {
        return perr(c->e, "expected 'vcpu_reset VCPU'");
    }
    c->a->kind = SIM_A_VCPU_RESET;
    return parse_vcpu(&c->t[1], &c->a->vcpu, c->x, c->e);
}

static int act_deliver(line_ctx *c)
{
    if (c->n != 2) {
        return perr(c->e, "expected 'deliver VCPU'");
    }
    c->a->kind = SIM_A_DELIVER;
    return parse_vcpu(&c->t[1], &c->a->vcpu, c->x, c->e);
}

/* One "V" or "A-B" of deliver-any's list into *range (first | last << 32). */
static int any_range(const tok *t, uint64_t *range, sim_parse_err *e)
{
    const char *dash = memchr(t->p, '-', t->n);
    tok a = *t, b = *t;
    uint32_t lo, hi;
    if (dash != NULL) {
        a.n = (size_t)(dash - t->p);
        b.p = dash + 1;
        b.n = t->n - a.n - 1;
    }
    if (parse_u32(&a, &lo) != 0 || parse_u32(&b, &hi) != 0 || lo > hi || hi >= SDEI_MAX_VCPUS) {
        return perr(e, "expected a vCPU 0..511 or a range A-B (A <= B), got '" TOKF "'", TOKA(*t));
    }
    *range = lo | ((uint64_t)hi << 32);
    return 0;
}

/* deliver-any V|A-B,...: the vCPUs an RM_ANY event may go to (sdei-rules §6.9). */
static int act_deliver_any(line_ctx *c)
{
    sim_action *a = c->a;
    if (c->n != 2) {
        return perr(c->e, "expected 'deliver-any VCPU|A-B,...' (one word, comma-separated)");
    }
    a->kind = SIM_A_DELIVER_ANY;
    for (size_t k = 0; k < c->t[1].n;) {
        size_t j = k;
        while (j < c->t[1].n && c->t[1].p[j] != ',') {
            j++;
        }
        tok w = {c->t[1].p + k, j - k};
        if (a->nregs == SIM_TRACE_MAX_SETREG) {
            return perr(c->e, "expected at most %u vCPUs or ranges after deliver-any",
                        SIM_TRACE_MAX_SETREG);
        }
        if (any_range(&w, &a->val[a->nregs], c->e) != 0) {
            return -1;
        }
        a->nregs++;
        k = j + 1;
    }
    a->vcpu = (uint32_t)a->val[0]; /* the first candidate: where a report focuses */
    return 0;
}

static int act_trigger(line_ctx *c)
{
    const tok *t = c->t;
    sim_action *a = c->a;
    int irq = tok_is(&t[0], "irq");
    if (c->n != 2 && c->n != 3) {
        return perr(c->e, irq ? "expected 'irq INTID [VCPU]'" : "expected 'trigger NUM [VCPU]'");
    }
    a->kind = irq ? SIM_A_IRQ : SIM_A_TRIGGER;
    if (irq) {
        if (parse_u32(&t[1], &a->intid) != 0) {
            return perr(c->e, "expected an interrupt number, got '" TOKF "'", TOKA(t[1]));
        }
    } else {
        int rc = parse_operand(&t[1], &a->num, c->x, SIM_SLOT_NUM, c->e);
        if (rc != 0) {
            return rc < 0 ? -1 : perr(c->e, "expected an event number, got '" TOKF "'", TOKA(t[1]));
        }
    }
    /* Without a vCPU: 0, where a shared event's routing decides anyway. */
    return c->n == 3 ? parse_vcpu(&t[2], &a->vcpu, c->x, c->e) : 0;
}

static int act_migrate(line_ctx *c)
{
    if (c->n != 1) {
        return perr(c->e, "expected 'migrate' alone");
    }
    c->a->kind = SIM_A_MIGRATE;
    return 0;
}

static int act_expose(line_ctx *c)
{
    const tok *t = c->t;
    sim_action *a = c->a;
    if (c->n < 4 || c->n > 5) {
        return perr(c->e, "expected 'expose NUM private|shared normal|critical [signaled=N]'");
    }
    a->kind = SIM_A_EXPOSE;
    if (sim_parse_u64(t[1].p, t[1].n, &a->num) != 0) {
        return perr(c->e, "expected an event number, got '" TOKF "'", TOKA(t[1]));
    }
    if (tok_is(&t[2], "private") || tok_is(&t[2], "shared")) {
        a->type = tok_is(&t[2], "shared") ? SDEI_EVENT_TYPE_SHARED : SDEI_EVENT_TYPE_PRIVATE;
    } else {
        return perr(c->e, "expected 'private' or 'shared', got '" TOKF "'", TOKA(t[2]));
    }
    if (tok_is(&t[3], "normal") || tok_is(&t[3], "critical")) {
        a->priority =
            tok_is(&t[3], "critical") ? SDEI_EVENT_PRIORITY_CRITICAL : SDEI_EVENT_PRIORITY_NORMAL;
    } else {
        return perr(c->e, "expected 'normal' or 'critical', got '" TOKF "'", TOKA(t[3]));
    }
    /* Event 0 is the signalable one (the kernel's `signaled` byte = 1). */
    a->signaled = a->num == 0 ? 1 : 0;
    if (c->n == 5) {
        tok v;
        uint32_t s;
        if (!tok_kv(&t[4], "signaled", &v) || parse_u32(&v, &s) != 0 || s > 255) {
            return perr(c->e, "expected signaled=0..255, got '" TOKF "'", TOKA(t[4]));
        }
        a->signaled = (uint8_t)s;
    }
    return 0;
}

/* count= num= data= of a vmm action. */
static int vmm_option(line_ctx *c, const tok *t)
{
    sim_action *a = c->a;
    tok v;
    if (tok_kv(t, "count", &v)) {
        if (parse_u32(&v, &a->count) != 0) {
            return perr(c->e, "expected count=NUMBER");
        }
        a->has_count = 1;
    } else if (tok_kv(t, "num", &v)) {
        int rc = parse_operand(&v, &a->num, c->x, SIM_SLOT_NUM, c->e);
        if (rc != 0) {
            return rc < 0 ? -1 : perr(c->e, "expected num=NUMBER");
        }
    } else if (tok_kv(t, "data", &v)) {
        if (sim_parse_hex(v.p, v.n, c->store, c->cap, &a->data_len) != 0) {
            return perr(c->e,
                        "expected data=HEX (an even number of hex digits, at most %zu "
                        "bytes)",
                        c->cap);
        }
        a->data = c->store;
    } else {
        return perr(c->e, "expected count=, num= or data=, got '" TOKF "'", TOKA(*t));
    }
    return 0;
}

static int act_vmm(line_ctx *c)
{
    const tok *t = c->t;
    sim_action *a = c->a;
    if (c->n < 3) {
        return perr(c->e, "expected 'vmm vm|VCPU CMD [count=N] [num=N] [data=HEX]'");
    }
    a->kind = SIM_A_VMM;
    if (tok_is(&t[1], "vm")) {
        a->vcpu = SDEI_VMM_VM;
    } else if (parse_vcpu(&t[1], &a->vcpu, c->x, c->e) != 0) {
        return -1;
    }
    int cmd = sim_vmm_cmd_by_name(t[2].p, t[2].n);
    if (cmd >= 0) {
        a->vmm_cmd = (uint32_t)cmd;
    } else if (parse_u32(&t[2], &a->vmm_cmd) != 0) {
        return perr(c->e,
                    "expected a VMM command name (GET_VERSION, ...) or number, got '" TOKF "'",
                    TOKA(t[2]));
    }
    for (int i = 3; i < c->n; i++) {
        if (vmm_option(c, &t[i]) != 0) {
            return -1;
        }
    }
    return 0;
}

static const line_word actions[] = {
    {"hvc", act_hvc},
    {"setreg", act_setreg},
    {"deliver", act_deliver},
    {"trigger", act_trigger},
    {"irq", act_trigger},
    {"migrate", act_migrate},
    {"expose", act_expose},
    {"vmm", act_vmm},
    {"deliver-any", act_deliver_any},
    {"power", act_power},
    {"vcpu_reset", act_vcpu_reset},
};

int sim_parse_action(const char *line, sim_action *a, sim_syms *x, uint8_t *store, size_t cap,
                     sim_parse_err *e)
{
    line_ctx c = {NULL, 0, a, NULL, x, store, cap, e};
    memset(a, 0, sizeof(*a));
    syms_begin(x);
    int rc = parse_words(&c, line, '>', "an action", actions, sizeof(actions) / sizeof(actions[0]),
                         "expected an action after '>'",
                         "expected an action (hvc setreg deliver deliver-any trigger irq vmm "
                         "migrate expose power vcpu_reset)");
    a->syms = syms_end(x);
    return rc;
}
