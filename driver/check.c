/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check.c - the `= ...` checks and the state dump, through what the
 * implementation can observe (impl.h caps): a check it cannot answer is
 * "not observable", counted, never passed silently.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "blobfmt.h"
#include "diag.h"
#include "exec.h"
#include "names.h"
#include "sdei/sdei_fwreg.h"

/* ---------------------------------------------------------------------------
 * Blobs through the VMM commands.
 * ------------------------------------------------------------------------- */
int sim_fetch_blobs(sim_target *t, unsigned kind, uint32_t vcpu, uint32_t *n)
{
    return sim_fetch_blobs_to(t, kind, vcpu, t->out, n);
}

int sim_fetch_blobs_to(sim_target *t, unsigned kind, uint32_t vcpu, uint8_t *dst, uint32_t *n)
{
    static const uint32_t get_cmd[SIM_BLOB_COUNT] = {
        SDEI_CMD_GET_EXPOSED_EVENT, SDEI_CMD_GET_REGISTERED_EVENT, SDEI_CMD_GET_VCPU_EVENT,
        SDEI_CMD_GET_VCPU_STATE};
    sdei_vmm_cmd_block b;
    uint32_t target = kind <= SIM_BLOB_REGISTERED ? SDEI_VMM_VM : vcpu;
    size_t esz = sim_blob_entry_size(kind);
    uint32_t count = 1;
    if (kind != SIM_BLOB_VCPU_STATE) {
        memset(&b, 0, sizeof(b));
        b.cmd = get_cmd[kind] - 1u;
        int32_t ret = -1;
        if (t->ops->vmm(t->impl, target, &b, &ret) != SDEI_OK || ret != 0) {
            return -1;
        }
        count = b.count;
        if ((size_t)count * esz > SIM_TRACE_MAX_DATA) {
            return -1;
        }
        if (count == 0) {
            *n = 0;
            return 0;
        }
    }
    memset(&b, 0, sizeof(b));
    b.cmd = get_cmd[kind];
    b.count = count;
    b.data = dst;
    b.data_len = (size_t)count * esz;
    int32_t ret = -1;
    if (t->ops->vmm(t->impl, target, &b, &ret) != SDEI_OK || ret != 0) {
        return -1;
    }
    *n = count;
    return 0;
}

int sim_buf_grow(uint8_t **buf, size_t *cap, size_t need, size_t keep)
{
    if (need <= *cap) {
        return 0;
    }
    /* Geometric: a snapshot reserves room blob kind by blob kind. Not
     * realloc: it would copy the whole old buffer (megabytes), not the
     * bytes written so far. */
    size_t want = need < *cap * 2 ? *cap * 2 : need;
    uint8_t *nb = malloc(want);
    if (nb == NULL) {
        return -1;
    }
    if (keep != 0) {
        memcpy(nb, *buf, keep);
    }
    free(*buf);
    *buf = nb;
    *cap = want;
    return 0;
}

int sim_fetch_all_blobs(sim_target *t, uint8_t **buf, size_t *cap, size_t *len, unsigned *bad)
{
    for (unsigned k = 0; k < SIM_BLOB_COUNT; k++) {
        uint32_t vmax = k <= SIM_BLOB_REGISTERED ? 1 : t->cfg.nr_vcpus, n = 0;
        size_t esz = sim_blob_entry_size(k);
        for (uint32_t v = 0; v < vmax; v++) {
            *bad = k;
            /* The GETs write into *buf itself: the registered blobs are 8 KiB each */
            if (sim_buf_grow(buf, cap, *len + sizeof(n) + SIM_TRACE_MAX_DATA, *len) != 0 ||
                sim_fetch_blobs_to(t, k, v, *buf + *len + sizeof(n), &n) != 0) {
                return -1;
            }
            memcpy(*buf + *len, &n, sizeof(n));
            *len += sizeof(n) + (size_t)n * esz;
        }
    }
    return 0;
}

static int check_state(sim_target *t, const sim_check *c, FILE *f, char *err, size_t errlen)
{
    sdei_event_state s;
    if (t->ops->event_state(t->impl, c->num, c->vcpu, &s) != SDEI_OK) {
        return sim_errf(err, errlen, "event 0x%" PRIx64 " is not exposed", c->num);
    }
    if (s != c->state) {
        SIM_OUT(f, "  state of 0x%" PRIx64 " on vCPU %u: expected %s, actual %s\n", c->num, c->vcpu,
                sim_state_name(c->state), sim_state_name(s));
        return 1;
    }
    return 0;
}

static int check_pending(sim_target *t, const sim_check *c, FILE *f, char *err, size_t errlen)
{
    uint32_t p;
    if (t->ops->pending_count(t->impl, c->num, c->vcpu, &p) != SDEI_OK) {
        return sim_errf(err, errlen, "event 0x%" PRIx64 " is not exposed", c->num);
    }
    return sim_cmp_u64(f, "pending", c->pending, p);
}

static int check_vcpu(sim_target *t, const sim_check *c, FILE *f)
{
    sdei_vcpu_view v;
    int bad = 0;
    (void)t->ops->vcpu_view(t->impl, c->vcpu, &v);
    if (c->fields & 1u) {
        bad |= sim_cmp_u64(f, "masked", c->masked, v.masked);
    }
    if (c->fields & 2u) {
        bad |= sim_cmp_u64(f, "normal", c->normal,
                           v.normal_running ? v.normal_num : SDEI_INVALID_EVENT);
    }
    if (c->fields & 4u) {
        bad |= sim_cmp_u64(f, "critical", c->critical,
                           v.critical_running ? v.critical_num : SDEI_INVALID_EVENT);
    }
    if (c->fields & 8u) {
        bad |= sim_cmp_u64(f, "queued", c->queued, v.queued);
    }
    if ((c->fields & 16u) && c->power != v.power) {
        SIM_OUT(f, "  power: expected %s, actual %s\n",
                sdei_power_state_name((sdei_power_state)c->power),
                sdei_power_state_name((sdei_power_state)v.power));
        bad = 1;
    }
    return bad;
}

static int check_regs(sim_target *t, const sim_check *c, FILE *f)
{
    sdei_regs *g = t->ops->regs(t->impl, c->vcpu);
    int bad = 0;
    for (unsigned i = 0; i < c->nregs; i++) {
        bad |= sim_cmp_sym(f, sim_reg_name(c->reg[i]), sim_sym_find(c->syms, SIM_SLOT_VAL + i),
                           c->val[i], *sim_reg_ptr(g, c->reg[i]));
    }
    return bad;
}

/* The entry a blob check names among n fetched entries, or NULL. */
static const uint8_t *blob_entry(const sim_target *t, const sim_check *c, uint32_t n)
{
    size_t esz = sim_blob_entry_size(c->blob);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = t->out + (size_t)i * esz;
        switch (c->blob) {
        case SIM_BLOB_EXPOSED:
            if (i == c->index) {
                return e;
            }
            break;
        case SIM_BLOB_REGISTERED:
        case SIM_BLOB_VCPU_EVENT:
            if (sdei_get_le64(e) == c->num) {
                return e;
            }
            break;
        default:
            return e;
        }
    }
    return NULL;
}

static int check_blob(sim_target *t, const sim_check *c, FILE *f, char *err, size_t errlen)
{
    uint32_t n = 0;
    size_t esz = sim_blob_entry_size(c->blob);
    if (c->data_len != esz) {
        return sim_errf(err, errlen, "a %s blob is %zu bytes, the line has %zu",
                        sim_blob_kind_name(c->blob), esz, c->data_len);
    }
    if (sim_fetch_blobs(t, c->blob, c->vcpu, &n) != 0) {
        SIM_OUT(f, "  the VMM GET command for %s failed\n", sim_blob_kind_name(c->blob));
        return 1;
    }
    const uint8_t *act = blob_entry(t, c, n);
    if (act == NULL) {
        SIM_OUT(f, "  %s blob: expected an entry, the VM has none (%u entries)\n",
                sim_blob_kind_name(c->blob), n);
        return 1;
    }
    if (memcmp(act, c->data, esz) == 0) {
        return 0;
    }
    SIM_OUT(f, "  %s blob differs, field by field:\n", sim_blob_kind_name(c->blob));
    if (f != NULL) {
        sim_blob_diff(f, c->blob, c->data, act);
    }
    return 1;
}

/* KVM_GET_ONE_REG of a v7 firmware register: the bytes the line gives are
 * compared (the buffer is pre-filled, so a byte the code does not write
 * shows as 0xa5). */
static int check_fwreg(sim_target *t, const sim_check *c, FILE *f, char *err, size_t errlen)
{
    uint8_t b[SDEI_FWREG_MAX_SIZE];
    int32_t kr = 0;
    size_t n = sdei_fwreg_size(c->num);
    memset(b, 0xA5, sizeof(b));
    if (c->data_len > n || t->ops->fwreg_get == NULL) {
        return sim_errf(err, errlen, "not a firmware register of %zu bytes or more", c->data_len);
    }
    if (t->ops->fwreg_get(t->impl, c->vcpu, c->num, b, n, &kr) != SDEI_OK) {
        const char *why = t->ops->finding != NULL ? t->ops->finding(t->impl) : NULL;
        SIM_OUT(f, "  KVM_GET_ONE_REG %s failed: %s\n", sdei_fwreg_name(c->num),
                why != NULL ? why : "(no finding)");
        return 1;
    }
    if (kr != 0) {
        SIM_OUT(f, "  KVM_GET_ONE_REG %s of vCPU %u: expected 0, actual %d\n",
                sdei_fwreg_name(c->num), c->vcpu, (int)kr);
        return 1;
    }
    for (size_t i = 0; i < c->data_len; i++) {
        if (b[i] != c->data[i]) {
            SIM_OUT(f, "  %s of vCPU %u, byte %zu (u64 %zu): expected 0x%02x, actual 0x%02x\n",
                    sdei_fwreg_name(c->num), c->vcpu, i, i / 8u, c->data[i], b[i]);
            return 1;
        }
    }
    return 0;
}

/* What each check needs the implementation to observe. */
static const uint32_t check_caps[SIM_C_COUNT] = {
    [SIM_C_STATE] = SIM_CAP_OBS_STATE, [SIM_C_PENDING] = SIM_CAP_OBS_PENDING,
    [SIM_C_VCPU] = SIM_CAP_OBS_VCPU,   [SIM_C_REGS] = 0,
    [SIM_C_BLOB] = SIM_CAP_VMM,        [SIM_C_FWREG] = SIM_CAP_FWREG,
};

int sim_check_eval(sim_target *t, const sim_check *c, FILE *f, char *err, size_t errlen)
{
    uint32_t nv = t->cfg.nr_vcpus;
    if (c->kind >= SIM_C_COUNT) {
        return sim_errf(err, errlen, "unknown check kind %u", c->kind);
    }
    if ((c->kind != SIM_C_BLOB || c->blob >= SIM_BLOB_VCPU_EVENT) && c->vcpu >= nv) {
        return sim_errf(err, errlen, "vCPU %u does not exist (the VM has %u)", c->vcpu, nv);
    }
    if (!sim_target_can(t, check_caps[c->kind])) {
        t->unobservable++;
        return SIM_CHECK_UNOBSERVABLE;
    }
    switch (c->kind) {
    case SIM_C_STATE:
        return check_state(t, c, f, err, errlen);
    case SIM_C_PENDING:
        return check_pending(t, c, f, err, errlen);
    case SIM_C_VCPU:
        return check_vcpu(t, c, f);
    case SIM_C_REGS:
        return check_regs(t, c, f);
    case SIM_C_FWREG:
        return check_fwreg(t, c, f, err, errlen);
    default:
        return check_blob(t, c, f, err, errlen);
    }
}

void sim_dump_state(FILE *f, sim_target *t, uint32_t focus)
{
    uint32_t nv = t->cfg.nr_vcpus;
    uint32_t ne = t->ops->event_count(t->impl);
    fprintf(f, "state dump (profile %s, %u vCPUs, %u events, %" PRIu64 " migrations, %s):\n",
            sim_profile_name(t->cfg.profile), nv, ne, t->migrations, t->ops->name);
    if (!sim_target_can(t, SIM_CAP_OBS_VCPU | SIM_CAP_OBS_STATE | SIM_CAP_OBS_PENDING)) {
        fprintf(f, "  (this implementation does not show its SDEI state)\n");
        return;
    }
    for (uint32_t v = 0; v < nv; v++) {
        sdei_vcpu_view w;
        if (nv > 16 && v != focus && v != 0) {
            continue; /* big VMs: the focus vCPU and vCPU 0 only */
        }
        if (t->ops->vcpu_view(t->impl, v, &w) != SDEI_OK) {
            continue;
        }
        sdei_regs *g = t->ops->regs(t->impl, v);
        fprintf(f, "  vcpu %u%s: masked=%u normal=", v, v == focus ? " (*)" : "", w.masked);
        if (w.normal_running) {
            fprintf(f, "0x%" PRIx64, w.normal_num);
        } else {
            fprintf(f, "none");
        }
        fprintf(f, " critical=");
        if (w.critical_running) {
            fprintf(f, "0x%" PRIx64, w.critical_num);
        } else {
            fprintf(f, "none");
        }
        fprintf(f, " queued=%u pc=0x%" PRIx64 " pstate=0x%" PRIx64, w.queued, g->pc, g->pstate);
        if (w.power != SDEI_PE_ON) {
            fprintf(f, " power=%s", sdei_power_state_name((sdei_power_state)w.power));
        }
        fprintf(f, "\n");
        fprintf(f, "    events:");
        for (uint32_t i = 0; i < ne; i++) {
            sdei_event_desc d;
            sdei_event_state s;
            uint32_t p = 0;
            if (t->ops->event_at(t->impl, i, &d) != SDEI_OK ||
                t->ops->event_state(t->impl, d.num, v, &s) != SDEI_OK) {
                continue;
            }
            (void)t->ops->pending_count(t->impl, d.num, v, &p);
            if (s != SDEI_STATE_UNREGISTERED || p != 0) {
                fprintf(f, " 0x%" PRIx64 "=%s", d.num, sim_state_name(s));
                if (p != 0) {
                    fprintf(f, "+%u", p);
                }
            }
        }
        fputc('\n', f);
    }
    if (sim_target_can(t, SIM_CAP_OBS_CHECK)) {
        const char *chk = t->ops->check(t->impl);
        fprintf(f, "  internal check (%s): %s\n", t->ops->name, chk != NULL ? chk : "sound");
    }
}
