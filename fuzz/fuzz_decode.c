/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_decode.c - fuzz inputs to actions: the header and record layout
 * (docs/fuzzing.md), the fuzz VM's configuration and events, and one record
 * to one sim_action, the trace format's vocabulary (driver/trace.h).
 */
#include <string.h>

#include "fuzz_driver.h"
#include "sdei/sdei_blob.h"

/* ---- input layout ---- */

void fz_header_decode(const uint8_t *data, size_t len, fz_header *h)
{
    uint8_t b[FZ_HDR_SIZE] = {0};
    memcpy(b, data, len < FZ_HDR_SIZE ? len : FZ_HDR_SIZE);
    /* An all-zero header is the common case: spec profile, 4 vCPUs, SPAN = 1. */
    h->profile = (b[0] & 1u) ? SDEI_PROFILE_KVM_V5 : SDEI_PROFILE_SPEC;
    h->nr_vcpus = FZ_MAX_VCPUS - (uint32_t)(b[1] % FZ_MAX_VCPUS);
    h->span = (b[2] & 1u) ? 0 : 1;
    h->quirks_off = 0;
}

void fz_header_for_migrate(fz_header *h)
{
    h->quirks_off = sdei_profile_quirks(h->profile) & FZ_MIGRATION_VISIBLE_QUIRKS;
}

size_t fz_rec_count(size_t len)
{
    if (len <= FZ_HDR_SIZE) {
        return 0;
    }
    size_t n = (len - FZ_HDR_SIZE) / FZ_REC_SIZE;
    return n < FZ_MAX_RECS ? n : FZ_MAX_RECS;
}

void fz_rec_decode(const uint8_t *data, size_t index, fz_rec *r)
{
    fz_rec_decode_at(data + FZ_HDR_SIZE + index * FZ_REC_SIZE, r);
}

void fz_rec_decode_at(const uint8_t *p, fz_rec *r)
{
    r->kind = p[0];
    r->vcpu = p[1];
    r->mode = (uint16_t)sdei_get_le(p + 2, 2);
    r->sel = (uint32_t)sdei_get_le(p + 4, 4);
    for (unsigned i = 0; i < 5; i++) {
        r->arg[i] = sdei_get_le(p + 8 + 8 * i, 8);
    }
}

void fz_rec_encode(const fz_rec *r, uint8_t *out)
{
    out[0] = r->kind;
    out[1] = r->vcpu;
    sdei_put_le(out + 2, r->mode, 2);
    sdei_put_le(out + 4, r->sel, 4);
    for (unsigned i = 0; i < 5; i++) {
        sdei_put_le(out + 8 + 8 * i, r->arg[i], 8);
    }
}

/* ---- the fuzz VM's configuration ---- */

const sdei_event_desc fz_exposed[FZ_NR_EXPOSED] = {
    {.num = 0,
     .type = SDEI_EVENT_TYPE_PRIVATE,
     .priority = SDEI_EVENT_PRIORITY_NORMAL,
     .signaled = 1},
    {.num = FZ_EV_PRIV_NORMAL,
     .type = SDEI_EVENT_TYPE_PRIVATE,
     .priority = SDEI_EVENT_PRIORITY_NORMAL},
    {.num = FZ_EV_PRIV_CRITICAL,
     .type = SDEI_EVENT_TYPE_PRIVATE,
     .priority = SDEI_EVENT_PRIORITY_CRITICAL},
    {.num = FZ_EV_SHARED_NORMAL,
     .type = SDEI_EVENT_TYPE_SHARED,
     .priority = SDEI_EVENT_PRIORITY_NORMAL},
    {.num = FZ_EV_SHARED_CRIT,
     .type = SDEI_EVENT_TYPE_SHARED,
     .priority = SDEI_EVENT_PRIORITY_CRITICAL},
};

/* Event-number arguments go through this table so that most records name an
 * event the VM knows; the last entries are the invalid shapes of DESIGN §3.2. */
const uint64_t fz_event_choices[FZ_NR_EVENT_CHOICES] = {
    0,
    FZ_EV_PRIV_NORMAL,
    FZ_EV_PRIV_CRITICAL,
    FZ_EV_SHARED_NORMAL,
    FZ_EV_SHARED_CRIT,
    SDEI_BIND_PRIVATE_BASE,
    SDEI_BIND_PRIVATE_BASE + 1,
    SDEI_BIND_SHARED_BASE,
    SDEI_BIND_SHARED_BASE + 1,
    0, /* event 0 twice: SIGNAL and the Linux boot use it */
    FZ_EV_PRIV_NORMAL,
    FZ_EV_SHARED_NORMAL,
    UINT64_C(0x00400077),  /* right shape, not exposed */
    UINT64_C(0x80400001),  /* bit 31 set */
    UINT64_C(0x100400001), /* bits 63:32 set */
    UINT64_C(0x00000001),  /* bits 23:22 != 0b01 */
};

sdei_config fz_config(const fz_header *h)
{
    sdei_config cfg = sdei_config_default(h->nr_vcpus);
    cfg.max_events = FZ_MAX_EVENTS;
    cfg.profile = h->profile;
    cfg.sctlr_el1_span = h->span;
    if (h->quirks_off != 0) {
        cfg.quirks_override = 1;
        cfg.quirks = sdei_profile_quirks(h->profile) & ~h->quirks_off;
    }
    return cfg;
}

void fz_expose_action(unsigned i, sim_action *a)
{
    memset(a, 0, sizeof(*a));
    a->kind = SIM_A_EXPOSE;
    a->num = fz_exposed[i].num;
    a->type = fz_exposed[i].type;
    a->priority = fz_exposed[i].priority;
    a->signaled = fz_exposed[i].signaled;
}

sim_header fz_trace_header(const fz_header *h)
{
    sim_header sh;
    memset(&sh, 0, sizeof(sh));
    sh.version = SIM_TRACE_VERSION;
    sh.profile = h->profile;
    sh.vcpus = h->nr_vcpus;
    sh.span = h->span;
    sh.max_events = FZ_MAX_EVENTS;
    if (h->quirks_off != 0) {
        sh.quirks_override = 1;
        sh.quirks = sdei_profile_quirks(h->profile) & ~h->quirks_off;
    }
    return sh;
}

/* ---- decoding ---- */

static uint64_t cook_event(uint64_t arg)
{
    return fz_event_choices[arg % FZ_NR_EVENT_CHOICES];
}

/* An affinity: one of the vCPUs' MPIDRs, or one that names no vCPU. */
static uint64_t cook_affinity(const sdei_config *cfg, uint64_t arg)
{
    uint32_t i = (uint32_t)(arg % (cfg->nr_vcpus + 1u));
    if (i == cfg->nr_vcpus) {
        return UINT64_C(0x80000F00); /* Aff1 = 15: no vCPU of a small VM */
    }
    return sdei_default_mpidr(i);
}

/* INTERRUPT_BIND arguments: SGIs, a few PPIs and SPIs (so that re-binding
 * repeats), the range ends and beyond. */
static uint64_t cook_intid(uint64_t arg)
{
    switch (arg % 8u) {
    case 0:
        return arg % 16u; /* SGI */
    case 1:
    case 2:
        return 16u + (arg >> 3) % 4u; /* PPI */
    case 3:
    case 4:
        return 32u + (arg >> 3) % 4u; /* SPI */
    case 5:
        return SDEI_INTID_SPI_LAST;
    case 6:
        return SDEI_INTID_SPI_LAST + 1u + (arg >> 3) % 8u;
    default:
        return 16u + (arg >> 3) % 1004u; /* any PPI or SPI */
    }
}

static uint64_t cook_entry(uint64_t arg)
{
    if (arg % 8u == 0) {
        return 0; /* REGISTER.1: entry point 0 */
    }
    return UINT64_C(0xFFFF800010000000) + (arg & UINT64_C(0xFFF0));
}

/* The arguments of a call: cooked so that most name something the VM knows. */
static void cook_args(const sdei_config *cfg, unsigned call, const uint64_t *g, uint64_t *c)
{
    switch (call) {
    case SDEI_CALL_EVENT_REGISTER:
        c[0] = cook_event(g[0]);
        c[1] = cook_entry(g[1]);
        c[2] = g[2];
        c[3] = g[3] % 3u;
        c[4] = cook_affinity(cfg, g[4]);
        break;
    case SDEI_CALL_EVENT_ENABLE:
    case SDEI_CALL_EVENT_DISABLE:
    case SDEI_CALL_EVENT_UNREGISTER:
    case SDEI_CALL_EVENT_STATUS:
    case SDEI_CALL_INTERRUPT_RELEASE:
        c[0] = cook_event(g[0]);
        break;
    case SDEI_CALL_EVENT_GET_INFO:
        c[0] = cook_event(g[0]);
        c[1] = g[1] % 6u;
        break;
    case SDEI_CALL_EVENT_ROUTING_SET:
        c[0] = cook_event(g[0]);
        c[1] = g[1] % 3u;
        c[2] = cook_affinity(cfg, g[2]);
        break;
    case SDEI_CALL_EVENT_CONTEXT:
        c[0] = g[0] % 20u;
        break;
    case SDEI_CALL_EVENT_COMPLETE:
        c[0] = g[0] % 2u;
        break;
    case SDEI_CALL_EVENT_COMPLETE_AND_RESUME:
        c[0] = UINT64_C(0xFFFF800020000000) + (g[0] & UINT64_C(0xFFFC));
        break;
    case SDEI_CALL_INTERRUPT_BIND:
        c[0] = cook_intid(g[0]);
        break;
    case SDEI_CALL_EVENT_SIGNAL:
        c[0] = (g[0] % 4u == 0) ? cook_event(g[0] >> 2) : 0;
        c[1] = cook_affinity(cfg, g[1]);
        break;
    case SDEI_CALL_FEATURES:
        c[0] = g[0] % 3u;
        break;
    default:
        break; /* VERSION, PE_MASK, ... and raw FIDs: arguments are unused */
    }
}

static void decode_hvc(const sdei_config *cfg, uint64_t quirks, const fz_rec *r, sim_action *a)
{
    uint64_t c[5] = {0, 0, 0, 0, 0};
    unsigned call = SDEI_CALL_ID_NONE;
    uint64_t x0;
    a->kind = SIM_A_HVC;
    if (r->mode & FZ_MODE_RAW_FID) {
        x0 = r->sel;
    } else {
        unsigned s = r->sel % (SDEI_CALL_COUNT + 1u);
        if (s == SDEI_CALL_COUNT) {
            /* The other profile's FEATURES FID (kvm-v5 §1.6). */
            x0 = (quirks & SDEI_QUIRK_BIT(FEATURES_FID_0X50)) ? SDEI_FID_FEATURES
                                                              : SDEI_FID_FEATURES_KVM_V5;
        } else {
            call = s;
            x0 = SDEI_FID_BASE + s;
            if (s == SDEI_CALL_FEATURES && (quirks & SDEI_QUIRK_BIT(FEATURES_FID_0X50))) {
                x0 = SDEI_FID_FEATURES_KVM_V5;
            }
        }
    }
    cook_args(cfg, call, r->arg, c);
    for (unsigned i = 0; i < 5; i++) {
        a->arg[i] = (r->mode & FZ_MODE_RAW_ARG(i)) ? r->arg[i] : c[i];
    }
    if (r->mode & FZ_MODE_FID_HIGH) {
        x0 |= UINT64_C(0xFFFFFFFF00000000);
        call = SDEI_CALL_ID_NONE; /* a call name would give back the plain FID */
    }
    a->call = (uint8_t)call;
    a->fid = x0;
}

void fz_decode(const sdei_config *cfg, uint64_t quirks, const fz_rec *r, sim_action *a)
{
    memset(a, 0, sizeof(*a));
    a->vcpu = r->vcpu % cfg->nr_vcpus;
    /* The kind byte: most records are hypercalls; migrations are rare (each
     * costs two full blob round trips) except in the migration target, whose
     * seeds have them. */
    uint8_t k = r->kind;
    if (k < 0xA0) {
        decode_hvc(cfg, quirks, r, a);
    } else if (k < 0xC8) {
        a->kind = SIM_A_DELIVER;
    } else if (k < 0xD8 || (k >= 0xE0 && k < 0xF0)) {
        /* Only exposed events: the model's API answers SDEI_E_EVENT otherwise,
         * which says nothing about the state machine. Raw numbers still
         * reach INJECT's checks. */
        int inject = k >= 0xE0;
        a->kind = inject ? SIM_A_VMM : SIM_A_TRIGGER;
        a->vmm_cmd = inject ? SDEI_CMD_INJECT_EVENT : 0;
        a->num =
            (inject && (r->mode & FZ_MODE_RAW_ARG(0))) ? r->arg[0] : fz_event_choices[r->sel % 9u];
    } else if (k < 0xE0) {
        a->kind = SIM_A_IRQ;
        a->intid = (uint32_t)cook_intid(r->sel);
    } else if (k < 0xFC) {
        /* Registers that delivery saves and COMPLETE restores: x0..x17, pc,
         * pstate; sometimes sp/elr/spsr or a high x register. */
        static const uint8_t pick[24] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                         12, 13, 14, 15, 16, 17, 32, 33, 33, 34, 35, 30};
        a->kind = SIM_A_SETREG;
        a->nregs = (uint8_t)(1u + r->sel % 3u);
        for (unsigned i = 0; i < a->nregs; i++) {
            a->reg[i] = pick[((r->sel >> (8 + 8 * i)) & 0xFFu) % 24u];
            a->val[i] = r->arg[i];
        }
    } else {
        /* The low selector bit: the whole-VM save, or the VMM's blob commands. */
        a->kind = SIM_A_MIGRATE;
        a->via_vmm = (uint8_t)(r->sel & 1u);
    }
}
