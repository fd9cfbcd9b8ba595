/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * options.c - the run options table and the one serialiser of a run's
 * options (options.h). A new option is one row here (and its field in
 * sim_options): parsing, help, defaults, the REPLAY line, the trace's
 * provenance comment and --json follow from the row.
 */
#include "options.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "diag.h"
#include "names.h"
#include "sdei/sdei_quirks.h"
#include "trace.h"

#define OFF(field) offsetof(sim_options, field)
#define R SIM_OPT_REPLAY
#define A (SIM_OPT_REPLAY | SIM_OPT_ALWAYS)

const sim_option_desc sim_option_table[] = {
    {"seed", SIM_OPT_U64, OFF(seed), 0, UINT64_MAX, 0, A | SIM_OPT_HEX, "N",
     "decimal or 0x-hex (default: one is drawn and printed)"},
    {"vcpus", SIM_OPT_U32, OFF(vcpus), 1, SDEI_MAX_VCPUS, 8, A, "N", "number of vCPUs, 1..512"},
    {"steps", SIM_OPT_U64, OFF(steps), 0, UINT64_MAX, 100000, A, "N", "scheduler steps"},
    {"profile", SIM_OPT_PROFILE, OFF(profile), 0, 0, SDEI_PROFILE_SPEC, A, "NAME",
     "model profile:"},
    {"migrate-every", SIM_OPT_U32, OFF(migrate_every), 0, UINT32_MAX, 5000, R, "N",
     "mean steps between migrations, 0 never"},
    {"blob-every", SIM_OPT_U32, OFF(blob_every), 0, UINT32_MAX, 4096, R, "K",
     "blob round trip every K steps, 0 never"},
    {"hostile", SIM_OPT_U32, OFF(hostile_permille), 0, 1000, 125, R, "PERMILLE",
     "hostile vCPUs per mille, 0..1000"},
    {"quirks", SIM_OPT_QUIRKS, OFF(quirks), 0, 0, 0, R, "+NAME,-NAME,...",
     "switch quirks on (+) or off (-) relative to the profile"},
    {"strict-invariants", SIM_OPT_FLAG, OFF(strict_invariants), 0, 1, 0, R, NULL,
     "check the invariants a quirk breaks too"},
    {"swarm", SIM_OPT_FLAG, OFF(swarm), 0, 1, 0, R, NULL,
     "the seed draws the world too (events, MPIDRs, SPAN, ...)"},
    {"target", SIM_OPT_IMPL, OFF(peer), 0, 0, 0, R, "NAME",
     "lockstep: every action also goes to NAME (kernel, kvm)"},
    {"hit-known", SIM_OPT_FLAG, OFF(hit_known), 0, 1, 0, R, NULL,
     "lockstep: run into the peer's known findings instead of skipping them"},
    {"require-all", SIM_OPT_FLAG, OFF(require_all), 0, 1, 0, R, NULL,
     "exit 5 if a reachable 'sometimes' target is not hit"},
    {"trace-out", SIM_OPT_PATH, OFF(trace_out), 0, 0, 0, 0, "FILE",
     "write the trace to FILE (docs/trace-format.md)"},
    {"save-out", SIM_OPT_PATH, OFF(save_out), 0, 0, 0, 0, "FILE",
     "write the final VM's whole-VM save to FILE"},
    {"hash", SIM_OPT_FLAG, OFF(hash), 0, 1, 0, 0, NULL, "hash the trace even without --trace-out"},
};
const size_t sim_option_count = sizeof(sim_option_table) / sizeof(sim_option_table[0]);

void sim_options_default(sim_options *o)
{
    memset(o, 0, sizeof(*o));
    for (size_t i = 0; i < sim_option_count; i++) {
        const sim_option_desc *d = &sim_option_table[i];
        void *field = (char *)o + d->offset;
        if (d->type == SIM_OPT_U64) {
            memcpy(field, &d->def, sizeof(uint64_t));
        } else if (d->type == SIM_OPT_U32) {
            uint32_t v = (uint32_t)d->def;
            memcpy(field, &v, sizeof(v));
        }
    }
    o->profile = SDEI_PROFILE_SPEC;
}

const sim_option_desc *sim_option_find(const char *name)
{
    for (size_t i = 0; i < sim_option_count; i++) {
        if (strcmp(sim_option_table[i].name, name) == 0) {
            return &sim_option_table[i];
        }
    }
    return NULL;
}

static int set_number(sim_options *o, const sim_option_desc *d, const char *v, char *msg, size_t n)
{
    uint64_t x = 0;
    uint64_t type_max = d->type == SIM_OPT_U32 ? UINT32_MAX : UINT64_MAX;
    if (v[0] == '-' || sim_parse_u64(v, strlen(v), &x) != 0 || x < d->min || x > d->max) {
        if (d->min == 0 && d->max == type_max) {
            return sim_errf(msg, n, "--%s: expected a number, got '%s'", d->name, v);
        }
        return sim_errf(msg, n, "--%s: expected %" PRIu64 "..%" PRIu64 ", got '%s'", d->name,
                        d->min, d->max, v);
    }
    if (d->type == SIM_OPT_U32) {
        uint32_t y = (uint32_t)x;
        memcpy((char *)o + d->offset, &y, sizeof(y));
    } else {
        memcpy((char *)o + d->offset, &x, sizeof(x));
    }
    return 0;
}

int sim_option_set(sim_options *o, sim_option_state *st, const sim_option_desc *d,
                   const char *value, char *msg, size_t n)
{
    switch (d->type) {
    case SIM_OPT_FLAG: {
        int one = 1;
        memcpy((char *)o + d->offset, &one, sizeof(one));
        return 0;
    }
    case SIM_OPT_PROFILE: {
        int p = sim_profile_by_name(value, strlen(value));
        if (p < 0) {
            char names[128];
            sim_profile_names(names, sizeof(names));
            return sim_errf(msg, n, "--%s: expected %s, got '%s'", d->name, names, value);
        }
        o->profile = (sdei_profile)p;
        return 0;
    }
    case SIM_OPT_QUIRKS:
        st->quirk_spec = value;
        return 0;
    case SIM_OPT_PATH:
        memcpy((char *)o + d->offset, &value, sizeof(value));
        return 0;
    case SIM_OPT_IMPL: {
        const sim_impl_ops *p = strcmp(value, "model") == 0 ? NULL : sim_impl_by_name(value);
        if (p == NULL && strcmp(value, "model") != 0) {
            return sim_errf(msg, n,
                            "--%s: this build has no implementation '%s' (kernel: configure "
                            "with -DSDEI_KERNEL_TREE=PATH)",
                            d->name, value);
        }
        memcpy((char *)o + d->offset, &p, sizeof(p));
        return 0;
    }
    default:
        if (d->offset == OFF(seed)) {
            st->have_seed = 1;
        }
        return set_number(o, d, value, msg, n);
    }
}

/* "a, b, c" : every quirk name, for the message about an unknown one. */
static void quirk_names(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned q = 0; q < SDEI_QUIRK_COUNT && used < n; q++) {
        int w = snprintf(buf + used, n - used, "%s%s", q ? ", " : "", sdei_quirk_table[q].name);
        used += w > 0 ? (size_t)w : 0;
    }
}

int sim_options_finish(sim_options *o, const sim_option_state *st, char *msg, size_t n)
{
    const char *p = st->quirk_spec;
    /* Lockstep results are compared where the model has a profile of the
     * peer's code: the kernel target kernel-vN against kvm-vN; a real KVM
     * against absent (a released kernel) or kvm-v5 (a kernel with the v5
     * series; the kvm target prints which interface it found). */
    const char *peer = o->peer != NULL ? o->peer->name : "";
    const char *prof = sim_profile_name(o->profile);
    o->peer_compare = (strncmp(peer, "kernel-", 7) == 0 && strncmp(prof, "kvm-", 4) == 0 &&
                       strcmp(peer + 7, prof + 4) == 0) ||
                      (strcmp(peer, "kvm") == 0 &&
                       (o->profile == SDEI_PROFILE_ABSENT || o->profile == SDEI_PROFILE_KVM_V5));
    if (p == NULL) {
        return 0;
    }
    uint64_t quirks = sdei_profile_quirks(o->profile);
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        char name[64];
        if (len < 2 || len - 1 >= sizeof(name) || (p[0] != '+' && p[0] != '-')) {
            return sim_errf(msg, n, "--quirks: expected +name or -name, got '%.*s'", (int)len, p);
        }
        memcpy(name, p + 1, len - 1);
        name[len - 1] = '\0';
        int q = sdei_quirk_by_name(name);
        if (q < 0) {
            char names[1024];
            quirk_names(names, sizeof(names));
            return sim_errf(msg, n, "--quirks: unknown quirk '%s' (valid: %s)", name, names);
        }
        quirks = p[0] == '+' ? quirks | UINT64_C(1) << q : quirks & ~(UINT64_C(1) << q);
        p += len + (p[len] == ',');
    }
    o->quirks_override = 1;
    o->quirks = quirks;
    return 0;
}

uint64_t sim_options_quirks(const sim_options *o)
{
    return o->quirks_override ? o->quirks : sdei_profile_quirks(o->profile);
}

/* Appends to buf like snprintf, tracking the length needed. */
static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(*len < n ? buf + *len : NULL, *len < n ? n - *len : 0, fmt, ap);
    va_end(ap);
    *len += w > 0 ? (size_t)w : 0;
}

/* The quirks that differ from the profile, "+a,-b" ("" if none). */
static void quirk_spec(const sim_options *o, char *buf, size_t n)
{
    uint64_t base = sdei_profile_quirks(o->profile), diff = base ^ sim_options_quirks(o);
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned q = 0; q < SDEI_QUIRK_COUNT; q++) {
        if (diff & UINT64_C(1) << q) {
            put(buf, n, &len, "%s%c%s", len ? "," : "", (o->quirks >> q) & 1u ? '+' : '-',
                sdei_quirk_table[q].name);
        }
    }
}

/* The value of a numeric option; steps comes from the caller (a failed run's
 * replay stops at the failing step). */
static uint64_t number(const sim_options *o, const sim_option_desc *d, uint64_t steps)
{
    if (d->offset == OFF(steps)) {
        return steps;
    }
    if (d->type == SIM_OPT_U32) {
        uint32_t v;
        memcpy(&v, (const char *)o + d->offset, sizeof(v));
        return v;
    }
    uint64_t v;
    memcpy(&v, (const char *)o + d->offset, sizeof(v));
    return v;
}

static int flag(const sim_options *o, const sim_option_desc *d)
{
    int v;
    memcpy(&v, (const char *)o + d->offset, sizeof(v));
    return v;
}

size_t sim_options_format(const sim_options *o, uint64_t steps, char *buf, size_t n)
{
    size_t len = 0;
    char q[1024];
    if (n > 0) {
        buf[0] = '\0';
    }
    for (size_t i = 0; i < sim_option_count; i++) {
        const sim_option_desc *d = &sim_option_table[i];
        const char *sep = len ? " " : "";
        if (!(d->flags & SIM_OPT_REPLAY)) {
            continue;
        }
        if (d->type == SIM_OPT_FLAG && flag(o, d)) {
            put(buf, n, &len, "%s--%s", sep, d->name);
        } else if (d->type == SIM_OPT_PROFILE) {
            put(buf, n, &len, "%s--%s=%s", sep, d->name, sim_profile_name(o->profile));
        } else if (d->type == SIM_OPT_IMPL) {
            const sim_impl_ops *p;
            memcpy(&p, (const char *)o + d->offset, sizeof(p));
            if (p != NULL) {
                put(buf, n, &len, "%s--%s=%s", sep, d->name, p->name);
            }
        } else if (d->type == SIM_OPT_QUIRKS) {
            quirk_spec(o, q, sizeof(q));
            if (q[0] != '\0') {
                put(buf, n, &len, "%s--%s=%s", sep, d->name, q);
            }
        } else if (d->type == SIM_OPT_U32 || d->type == SIM_OPT_U64) {
            uint64_t v = number(o, d, steps);
            if (v != d->def || (d->flags & SIM_OPT_ALWAYS)) {
                put(buf, n, &len,
                    (d->flags & SIM_OPT_HEX) ? "%s--%s=0x%" PRIx64 : "%s--%s=%" PRIu64, sep,
                    d->name, v);
            }
        }
    }
    return len;
}

void sim_options_print_replay(FILE *f, const sim_options *o, uint64_t steps)
{
    char line[2048];
    sim_options_format(o, steps, line, sizeof(line));
    fprintf(f, "REPLAY: sdei-sim run %s\n", line);
}

void sim_options_json(FILE *f, const sim_options *o, uint64_t steps, uint64_t quirks)
{
    char line[2048];
    fputs(",\"options\":{", f);
    for (size_t i = 0, k = 0; i < sim_option_count; i++) {
        const sim_option_desc *d = &sim_option_table[i];
        if (!(d->flags & SIM_OPT_REPLAY) || d->type == SIM_OPT_QUIRKS) {
            continue;
        }
        fprintf(f, "%s\"%s\":", k++ ? "," : "", d->name);
        if (d->type == SIM_OPT_FLAG) {
            fputs(flag(o, d) ? "true" : "false", f);
        } else if (d->type == SIM_OPT_PROFILE) {
            fprintf(f, "\"%s\"", sim_profile_name(o->profile));
        } else if (d->type == SIM_OPT_IMPL) {
            const sim_impl_ops *p;
            memcpy(&p, (const char *)o + d->offset, sizeof(p));
            fprintf(f, p != NULL ? "\"%s\"" : "null", p != NULL ? p->name : "");
        } else if (d->flags & SIM_OPT_HEX) {
            fprintf(f, "\"0x%" PRIx64 "\"", number(o, d, steps));
        } else {
            fprintf(f, "%" PRIu64, number(o, d, steps));
        }
    }
    fputs("},\"quirks\":[", f);
    for (unsigned q = 0, k = 0; q < SDEI_QUIRK_COUNT; q++) {
        if (quirks & UINT64_C(1) << q) {
            fprintf(f, "%s\"%s\"", k++ ? "," : "", sdei_quirk_table[q].name);
        }
    }
    sim_options_format(o, steps, line, sizeof(line));
    fprintf(f, "],\"replay\":\"sdei-sim run %s\"", line);
}
