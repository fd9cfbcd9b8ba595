/* SPDX-License-Identifier: BSD-3-Clause */
/* vars.c - captured names of a replayed trace (see vars.h). */
#include "vars.h"

#include <stdio.h>
#include <string.h>

static int find(const sim_vars *vs, const char *name, uint64_t *v)
{
    for (uint32_t i = 0; i < vs->n; i++) {
        if (strcmp(vs->e[i].name, name) == 0) {
            *v = vs->e[i].v;
            return 0;
        }
    }
    return -1;
}

static int unbound(const char *name, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "expected a captured name: $%s is not bound yet (a result binds it: '< x0=$%s')", name,
             name);
    return -1;
}

static int set_vcpu(uint32_t *vcpu, const char *name, uint64_t v, char *err, size_t errlen)
{
    if (v >= SDEI_MAX_VCPUS) {
        snprintf(err, errlen, "expected a vCPU index 0..511 in $%s, it holds 0x%llx", name,
                 (unsigned long long)v);
        return -1;
    }
    *vcpu = (uint32_t)v;
    return 0;
}

/* Each $NAME of a line's symbols handed to set(obj, slot, value). */
static int resolve(const sim_vars *vs, const sim_syms *x, void *obj,
                   int (*set)(void *obj, const sim_sym *s, uint64_t v, char *err, size_t errlen),
                   char *err, size_t errlen)
{
    for (unsigned i = 0; x != NULL && i < x->n; i++) {
        const sim_sym *s = &x->s[i];
        uint64_t v;
        if (!s->named) {
            continue;
        }
        if (find(vs, s->name, &v) != 0) {
            return unbound(s->name, err, errlen);
        }
        if (set(obj, s, v, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}

static int set_action(void *obj, const sim_sym *s, uint64_t v, char *err, size_t errlen)
{
    sim_action *a = obj;
    if (s->slot == SIM_SLOT_VCPU) {
        return set_vcpu(&a->vcpu, s->name, v, err, errlen);
    }
    if (s->slot == SIM_SLOT_NUM) {
        a->num = v;
    } else if (s->slot >= SIM_SLOT_VAL) {
        a->val[s->slot - SIM_SLOT_VAL] = v;
    } else {
        a->arg[s->slot - SIM_SLOT_ARG] = v;
    }
    return 0;
}

static int set_check(void *obj, const sim_sym *s, uint64_t v, char *err, size_t errlen)
{
    sim_check *c = obj;
    switch (s->slot) {
    case SIM_SLOT_VCPU:
        return set_vcpu(&c->vcpu, s->name, v, err, errlen);
    case SIM_SLOT_NUM:
        c->num = v;
        break;
    case SIM_SLOT_NORMAL:
        c->normal = v;
        break;
    case SIM_SLOT_CRITICAL:
        c->critical = v;
        break;
    default:
        c->val[s->slot - SIM_SLOT_VAL] = v;
        break;
    }
    return 0;
}

int sim_vars_action(const sim_vars *vs, sim_action *a, char *err, size_t errlen)
{
    return resolve(vs, a->syms, a, set_action, err, errlen);
}

int sim_vars_check(const sim_vars *vs, sim_check *c, char *err, size_t errlen)
{
    return resolve(vs, c->syms, c, set_check, err, errlen);
}

int sim_vars_result(sim_vars *vs, sim_result *exp, const sim_result *act, char *err, size_t errlen)
{
    for (unsigned i = 0; exp->syms != NULL && i < exp->syms->n; i++) {
        const sim_sym *s = &exp->syms->s[i];
        uint32_t bit = 1u << s->slot;
        uint64_t v;
        if (!s->named) {
            continue;
        }
        if (find(vs, s->name, &v) == 0) {
            sim_result_set(exp, bit, v);
            continue;
        }
        if (s->op != SIM_OP_EQ || s->has_mask) {
            snprintf(err, errlen,
                     "expected '%s=$%s' to capture $%s (a comparison or mask needs "
                     "a bound name)",
                     sim_result_key(bit), s->name, s->name);
            return -1;
        }
        if (vs->n == SIM_VARS_MAX) {
            snprintf(err, errlen, "expected at most %u names in one trace", SIM_VARS_MAX);
            return -1;
        }
        snprintf(vs->e[vs->n].name, sizeof(vs->e[vs->n].name), "%s", s->name);
        v = sim_result_get(act, bit);
        vs->e[vs->n++].v = v;
        sim_result_set(exp, bit, v);
    }
    return 0;
}
