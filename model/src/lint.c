/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lint.c - the blob lint (DESIGN §4): what a v5 kernel would accept in its
 * SET commands but is inconsistent. Each finding names the struct, the field,
 * the entry (and vCPU) and the byte offset inside the entry.
 *
 * The lint reads bytes only (never a VM), so a VMM can run it on the blobs it
 * got from a real kernel as well as on a model save.
 */
#include <stddef.h>
#include <stdint.h>

#include "blob_internal.h"
#include "sdei/sdei_blob.h"

#define S_EXP "exposed_event_state"
#define S_REG "registered_event_state"
#define S_VEV "vcpu_event_state"
#define S_VST "vcpu_state"

typedef struct lint_ctx {
    const uint8_t *base;
    sdei_lint_finding *out;
    uint32_t max;
    uint32_t count;
} lint_ctx;

static void add(lint_ctx *lc, const char *strct, const char *field, uint32_t entry, uint32_t vcpu,
                const uint8_t *entry_ptr, uint32_t offset, uint64_t num, const char *problem)
{
    if (lc->count < lc->max) {
        sdei_lint_finding *f = &lc->out[lc->count];
        f->strct = strct;
        f->field = field;
        f->entry = entry;
        f->offset = offset;
        f->problem = problem;
        f->vcpu = vcpu;
        f->num = num;
        f->buf_offset = lc->base != NULL ? (size_t)(entry_ptr - lc->base) + offset : 0;
    }
    /* Findings are bounded by the entries (a few per exposed, registered and vCPU event,
     * up to 512 per bitmap scan): far below 2^32, so the count never saturates. */
    if (SDEI_UNREACHABLE_BRANCH(lc->count == UINT32_MAX)) {
        return;
    }
    lc->count++;
}

/* Offset of the first non-zero byte in [off, off + n), or -1. */
static int32_t first_nonzero(const uint8_t *e, uint32_t off, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (e[off + i] != 0) {
            return (int32_t)(off + i);
        }
    }
    return -1;
}

static int bit(const uint8_t *reg, uint32_t field_off, uint32_t slot)
{
    uint64_t w = sdei_get_le64(reg + field_off + 8u * (slot / 64u));
    return (int)((w >> (slot % 64u)) & 1u);
}

/* Bits of a 512-bit bitmap for slots that cannot exist: beyond the vCPUs, or
 * beyond slot 0 for a shared event (kvm-v5 §1.2: shared events use slot 0). */
static void lint_bitmap(lint_ctx *lc, const uint8_t *e, uint32_t i, uint64_t num, const char *field,
                        uint32_t field_off, uint32_t nslots)
{
    for (uint32_t w = 0; w < SDEI_REG_BITMAP_WORDS; w++) {
        uint64_t word = sdei_get_le64(e + field_off + 8u * w);
        uint64_t valid = 0;
        if (nslots >= 64u * (w + 1u)) {
            valid = ~UINT64_C(0);
        } else if (nslots > 64u * w) {
            valid = (UINT64_C(1) << (nslots - 64u * w)) - 1u;
        }
        if ((word & ~valid) != 0) {
            add(lc, S_REG, field, i, SDEI_BLOB_NO_VCPU, e, field_off + 8u * w, num,
                nslots == 1u ? "bits beyond slot 0 of a shared event"
                             : "bits for vCPUs that do not exist");
            return;
        }
    }
}

static void lint_array(lint_ctx *lc, const uint8_t *e, uint32_t i, uint64_t num, const char *field,
                       uint32_t field_off, uint32_t nslots)
{
    for (uint32_t s = nslots; s < SDEI_MAX_VCPUS; s++) {
        if (sdei_get_le64(e + field_off + 8u * s) != 0) {
            add(lc, S_REG, field, i, SDEI_BLOB_NO_VCPU, e, field_off + 8u * s, num,
                nslots == 1u ? "non-zero beyond slot 0 of a shared event"
                             : "non-zero for a vCPU that does not exist");
            return;
        }
    }
}

/* 1 if vCPU v's state names num as its running critical or normal event. */
static int runs(const sdei_lint_input *in, uint32_t v, uint64_t num)
{
    const uint8_t *st = in->vcpu_state != NULL ? in->vcpu_state[v] : NULL;
    if (st == NULL) {
        return -1; /* unknown */
    }
    return sdei_get_le64(st + SDEI_VST_OFF_CRITICAL_NUM) == num ||
           sdei_get_le64(st + SDEI_VST_OFF_NORMAL_NUM) == num;
}

/* One lint pass over a VM's blobs: the findings, the VM's sizes and the
 * number -> index maps the later blob kinds check against. */
typedef struct lint_run {
    lint_ctx *lc;
    const sdei_lint_input *in;
    uint32_t n, ne, nr; /* vCPUs, exposed and registered entries */
    sdei_nummap exp_map;
    sdei_nummap reg_map;
} lint_run;

/* 1 if exposed entry xi (or -1: none) is a shared event. */
static int exposed_shared(const sdei_lint_input *in, int32_t xi)
{
    return xi >= 0 && in->exposed[(size_t)xi * SDEI_BLOB_EXPOSED_SIZE + SDEI_EXP_OFF_TYPE] ==
                          SDEI_EVENT_TYPE_SHARED;
}

/* Exposed-event blobs: the notifier and the padding (kvm-v5 §5.4). */
static void lint_exposed(lint_run *L)
{
    const sdei_lint_input *in = L->in;
    for (uint32_t i = 0; i < L->ne && i < SDEI_MAX_EVENTS; i++) {
        const uint8_t *e = in->exposed + (size_t)i * SDEI_BLOB_EXPOSED_SIZE;
        uint64_t num = sdei_get_le64(e + SDEI_EXP_OFF_NUM);
        (void)sdei_nummap_put(&L->exp_map, num, (uint16_t)i);
        if (sdei_get_le64(e + SDEI_EXP_OFF_NOTIFIER) != 0) {
            add(L->lc, S_EXP, "notifier", i, SDEI_BLOB_NO_VCPU, e, SDEI_EXP_OFF_NOTIFIER, num,
                "non-zero: a kernel function pointer exposed to userspace (kvm-v5 §5.4, §10 "
                "item 17)");
        }
        int32_t pad = first_nonzero(e, SDEI_EXP_OFF_PADDING, SDEI_EXP_PADDING_LEN);
        if (pad >= 0) {
            add(L->lc, S_EXP, "padding", i, SDEI_BLOB_NO_VCPU, e, (uint32_t)pad, num,
                "non-zero padding");
        }
    }
}

/* Registered-event blobs: padding, hole, slots beyond the VM, enabled
 * without registered, unregister-pending without a running handler. */
static void lint_registered(lint_run *L)
{
    const sdei_lint_input *in = L->in;
    for (uint32_t i = 0; i < L->nr && i < SDEI_MAX_EVENTS; i++) {
        const uint8_t *e = in->registered + (size_t)i * SDEI_BLOB_REGISTERED_SIZE;
        uint64_t num = sdei_get_le64(e + SDEI_REG_OFF_NUM);
        (void)sdei_nummap_put(&L->reg_map, num, (uint16_t)i);
        int32_t xi = sdei_nummap_get(&L->exp_map, num);
        int shared = exposed_shared(in, xi);
        if (L->ne > 0 && xi < 0) {
            add(L->lc, S_REG, "num", i, SDEI_BLOB_NO_VCPU, e, SDEI_REG_OFF_NUM, num,
                "no exposed event with this number");
        }
        int32_t pad = first_nonzero(e, SDEI_REG_OFF_PADDING, SDEI_REG_PADDING_LEN);
        if (pad >= 0) {
            add(L->lc, S_REG, "padding", i, SDEI_BLOB_NO_VCPU, e, (uint32_t)pad, num,
                "non-zero padding");
        }
        pad = first_nonzero(e, SDEI_REG_OFF_HOLE, SDEI_REG_HOLE_LEN);
        if (pad >= 0) {
            add(L->lc, S_REG, "hole", i, SDEI_BLOB_NO_VCPU, e, (uint32_t)pad, num,
                "non-zero bytes in the compiler hole at 12..15");
        }
        uint32_t nslots = shared ? 1u : L->n;
        lint_bitmap(L->lc, e, i, num, "registered", SDEI_REG_OFF_REGISTERED, nslots);
        lint_bitmap(L->lc, e, i, num, "enabled", SDEI_REG_OFF_ENABLED, nslots);
        lint_bitmap(L->lc, e, i, num, "unregister_pending", SDEI_REG_OFF_UNREGISTER_PENDING,
                    nslots);
        lint_array(L->lc, e, i, num, "ep_address", SDEI_REG_OFF_EP_ADDRESS, nslots);
        lint_array(L->lc, e, i, num, "ep_arg", SDEI_REG_OFF_EP_ARG, nslots);
        for (uint32_t w = 0; w < SDEI_REG_BITMAP_WORDS; w++) {
            uint64_t en = sdei_get_le64(e + SDEI_REG_OFF_ENABLED + 8u * w);
            uint64_t rg = sdei_get_le64(e + SDEI_REG_OFF_REGISTERED + 8u * w);
            if ((en & ~rg) != 0) {
                add(L->lc, S_REG, "enabled", i, SDEI_BLOB_NO_VCPU, e, SDEI_REG_OFF_ENABLED + 8u * w,
                    num, "enabled without registered (sdei-rules §5.1: no such state)");
                break;
            }
        }
        /* unregister-pending means "a handler still runs" (sdei-rules §5.2) */
        for (uint32_t s = 0; s < nslots; s++) {
            if (!bit(e, SDEI_REG_OFF_UNREGISTER_PENDING, s)) {
                continue;
            }
            int running = 0;
            int known = 1;
            if (shared) {
                for (uint32_t v = 0; v < L->n && !running; v++) {
                    int r = runs(in, v, num);
                    known &= r >= 0;
                    running = r > 0;
                }
            } else {
                int r = runs(in, s, num);
                known = r >= 0;
                running = r > 0;
            }
            if (known && !running) {
                add(L->lc, S_REG, "unregister_pending", i, SDEI_BLOB_NO_VCPU, e,
                    SDEI_REG_OFF_UNREGISTER_PENDING + 8u * (s / 64u), num,
                    "unregister-pending without a running handler (kvm-v5 §10 item 5)");
            }
        }
    }
}

/* vCPU v's event blobs: counts, padding, duplicates, and that each names an
 * event registered on v; returns how many there are (*evs: the blobs). */
static uint32_t lint_vcpu_events(lint_run *L, uint32_t v, const uint8_t **evs_out)
{
    const sdei_lint_input *in = L->in;
    const uint8_t *evs = in->vcpu_events != NULL ? in->vcpu_events[v] : NULL;
    uint32_t nev = evs != NULL && in->nr_vcpu_events != NULL ? in->nr_vcpu_events[v] : 0;
    if (nev > SDEI_MAX_EVENTS) {
        nev = SDEI_MAX_EVENTS;
    }
    for (uint32_t i = 0; i < nev; i++) {
        const uint8_t *e = evs + (size_t)i * SDEI_BLOB_VCPU_EVENT_SIZE;
        uint64_t num = sdei_get_le64(e + SDEI_VEV_OFF_NUM);
        if (sdei_get_le32(e + SDEI_VEV_OFF_EVENT_COUNT) == 0) {
            add(L->lc, S_VEV, "event_count", i, v, e, SDEI_VEV_OFF_EVENT_COUNT, num,
                "0: an instance with nothing to deliver (kvm-v5 §6 SET_VCPU_EVENT)");
        }
        if (sdei_get_le32(e + SDEI_VEV_OFF_PADDING) != 0) {
            add(L->lc, S_VEV, "padding", i, v, e, SDEI_VEV_OFF_PADDING, num, "non-zero padding");
        }
        for (uint32_t j = 0; j < i; j++) {
            if (sdei_get_le64(evs + (size_t)j * SDEI_BLOB_VCPU_EVENT_SIZE) == num) {
                add(L->lc, S_VEV, "num", i, v, e, SDEI_VEV_OFF_NUM, num,
                    "appears twice on one vCPU (the kernel merges the counts)");
                break;
            }
        }
        int32_t ri = L->nr > 0 ? sdei_nummap_get(&L->reg_map, num) : -1;
        if (in->registered != NULL && ri < 0) {
            add(L->lc, S_VEV, "num", i, v, e, SDEI_VEV_OFF_NUM, num,
                "vCPU event of an event with no registered object");
        } else if (ri >= 0) {
            const uint8_t *r = in->registered + (size_t)ri * SDEI_BLOB_REGISTERED_SIZE;
            int32_t xi = sdei_nummap_get(&L->exp_map, num);
            int shared = exposed_shared(in, xi);
            uint32_t slot = shared ? 0u : v;
            if (!bit(r, SDEI_REG_OFF_REGISTERED, slot) &&
                !bit(r, SDEI_REG_OFF_UNREGISTER_PENDING, slot)) {
                add(L->lc, S_VEV, "num", i, v, e, SDEI_VEV_OFF_NUM, num,
                    "vCPU event of an event not registered on this vCPU");
            }
        }
    }
    *evs_out = evs;
    return nev;
}

/* vCPU v's state blob: mask, padding, and that each running slot names an
 * event with a vCPU event, registered on v, of the slot's priority. */
static void lint_vcpu_state(lint_run *L, uint32_t v, const uint8_t *evs, uint32_t nev)
{
    const sdei_lint_input *in = L->in;
    const uint8_t *st = in->vcpu_state != NULL ? in->vcpu_state[v] : NULL;
    if (st == NULL) {
        return;
    }
    if (st[SDEI_VST_OFF_MASKED] > 1u) {
        add(L->lc, S_VST, "masked", 0, v, st, SDEI_VST_OFF_MASKED, 0, "not 0 or 1");
    }
    int32_t pad = first_nonzero(st, SDEI_VST_OFF_PADDING, SDEI_VST_PADDING_LEN);
    if (pad >= 0) {
        add(L->lc, S_VST, "padding", 0, v, st, (uint32_t)pad, 0, "non-zero padding");
    }
    for (uint32_t s = 0; s < 2u; s++) {
        uint32_t off = s == 0 ? SDEI_VST_OFF_CRITICAL_NUM : SDEI_VST_OFF_NORMAL_NUM;
        const char *field = s == 0 ? "critical_num" : "normal_num";
        uint64_t num = sdei_get_le64(st + off);
        if (num == SDEI_INVALID_EVENT) {
            continue;
        }
        int found = 0;
        for (uint32_t i = 0; i < nev && !found; i++) {
            found = sdei_get_le64(evs + (size_t)i * SDEI_BLOB_VCPU_EVENT_SIZE) == num;
        }
        if (evs != NULL && !found) {
            add(L->lc, S_VST, field, 0, v, st, off, num, "a running event with no vCPU event");
        }
        int32_t ri = in->registered != NULL ? sdei_nummap_get(&L->reg_map, num) : -2;
        int32_t xi = sdei_nummap_get(&L->exp_map, num);
        int shared = exposed_shared(in, xi);
        if (ri == -1) {
            add(L->lc, S_VST, field, 0, v, st, off, num,
                "names an event that is not registered (no registered object)");
        } else if (ri >= 0) {
            const uint8_t *r = in->registered + (size_t)ri * SDEI_BLOB_REGISTERED_SIZE;
            uint32_t slot = shared ? 0u : v;
            if (!bit(r, SDEI_REG_OFF_REGISTERED, slot) &&
                !bit(r, SDEI_REG_OFF_UNREGISTER_PENDING, slot)) {
                add(L->lc, S_VST, field, 0, v, st, off, num,
                    "names an event that is not registered on this vCPU");
            }
        }
        if (xi >= 0) {
            uint8_t prio = in->exposed[(size_t)xi * SDEI_BLOB_EXPOSED_SIZE + SDEI_EXP_OFF_PRIORITY];
            if ((s == 0) != (prio == SDEI_EVENT_PRIORITY_CRITICAL)) {
                add(L->lc, S_VST, field, 0, v, st, off, num,
                    "event of the other priority in this running slot");
            }
        }
    }
}

uint32_t sdei_lint_core(const sdei_lint_input *in, const uint8_t *base, sdei_lint_finding *findings,
                        uint32_t max)
{
    lint_ctx lc = {base, findings, findings != NULL ? max : 0, 0};
    if (in == NULL) {
        return 0;
    }
    lint_run L;
    L.lc = &lc;
    L.in = in;
    L.n = in->nr_vcpus > SDEI_MAX_VCPUS ? SDEI_MAX_VCPUS : in->nr_vcpus;
    L.ne = in->exposed != NULL ? in->nr_exposed : 0;
    L.nr = in->registered != NULL ? in->nr_registered : 0;
    sdei_nummap_init(&L.exp_map);
    sdei_nummap_init(&L.reg_map);
    lint_exposed(&L);    /* fills exp_map, which the others read */
    lint_registered(&L); /* fills reg_map */
    for (uint32_t v = 0; v < L.n; v++) {
        const uint8_t *evs = NULL;
        uint32_t nev = lint_vcpu_events(&L, v, &evs);
        lint_vcpu_state(&L, v, evs, nev);
    }
    return lc.count;
}

uint32_t sdei_lint_blobs(const sdei_lint_input *in, sdei_lint_finding *findings, uint32_t max)
{
    return sdei_lint_core(in, NULL, findings, max);
}

uint32_t sdei_lint_save(const uint8_t *buf, size_t len, uint32_t nr_vcpus,
                        sdei_lint_finding *findings, uint32_t max)
{
    sdei_save_map m;
    sdei_blob_error err;
    if (buf == NULL) {
        return 0;
    }
    sdei_err e = sdei_save_parse(buf, len, &m, &err);
    if (e != SDEI_OK) {
        /* A buffer that does not parse is one finding: where it breaks. */
        if (findings != NULL && max > 0) {
            findings[0].strct = err.strct;
            findings[0].field = err.field;
            findings[0].entry = err.entry;
            findings[0].offset = err.offset;
            findings[0].problem = err.problem;
            findings[0].vcpu = err.vcpu;
            findings[0].num = 0;
            findings[0].buf_offset = err.buf_offset;
        }
        return 1;
    }
    if (m.version == SDEI_SAVE_VERSION_FWREG) {
        return sdei_lint_fw_save(buf, &m, nr_vcpus != 0 ? nr_vcpus : m.nr_vcpus, findings, max);
    }
    const uint8_t *evs[SDEI_MAX_VCPUS];
    const uint8_t *sts[SDEI_MAX_VCPUS];
    uint32_t nev[SDEI_MAX_VCPUS];
    for (uint32_t v = 0; v < m.nr_vcpus; v++) {
        evs[v] = buf + m.vcpu_off[v];
        nev[v] = m.vcpu_nev[v];
        sts[v] = buf + m.vcpu_off[v] + (size_t)nev[v] * SDEI_BLOB_VCPU_EVENT_SIZE;
    }
    for (uint32_t v = m.nr_vcpus; v < SDEI_MAX_VCPUS; v++) {
        evs[v] = NULL;
        sts[v] = NULL;
        nev[v] = 0;
    }
    sdei_lint_input in = {
        .nr_vcpus = nr_vcpus != 0 && nr_vcpus < m.nr_vcpus ? nr_vcpus : m.nr_vcpus,
        .exposed = buf + m.exposed_off,
        .nr_exposed = m.nr_exposed,
        .registered = buf + m.registered_off,
        .nr_registered = m.nr_registered,
        .vcpu_events = evs,
        .nr_vcpu_events = nev,
        .vcpu_state = sts,
    };
    return sdei_lint_core(&in, buf, findings, max);
}
