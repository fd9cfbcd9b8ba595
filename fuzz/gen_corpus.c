/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gen_corpus.c - writes the seed inputs of every fuzz target and the
 * dictionaries (docs/fuzzing.md).
 *
 *   fuzz_gen_corpus [--spec-traces DIR] OUTDIR     write OUTDIR/<target>/seed-*
 *   fuzz_gen_corpus [--spec-traces DIR] --check DIR  every seed is in DIR, byte for byte
 *
 * Record seeds (calls, diff, migrate) come from spec-traces/ where a trace
 * fits the fuzz VM (at most 4 vCPUs, the fuzz VM's events, no blob commands),
 * and from hand-built sequences: the Linux boot, register/enable/signal/
 * deliver/complete, preemption, unregister while running, bind/release,
 * resets; the kernel target gets the same seeds. The migrate target gets
 * each of them with a migration after every record. Blob seeds are the GET blobs of VMs after guest
 * scenarios; trace seeds are the spec-traces themselves; negative seeds are its crash inputs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_driver.h"
#include "names.h"
#include "replay.h"
#include "trace.h"

/* The fuzz engine's symbols this tool does not use, defined for the driver. */
const char *fz_target_name = "gen_corpus";

static int check_mode;
static const char *out_dir;
static unsigned long written, checked, missing;

/* ---- output ---- */

static int mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static void emit(const char *target, const char *name, const uint8_t *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
    if (check_mode) {
        FILE *f = fopen(path, "rb");
        uint8_t *have = malloc(len + 1);
        size_t got = f != NULL && have != NULL ? fread(have, 1, len + 1, f) : 0;
        if (f == NULL || got != len || memcmp(have, data, len) != 0) {
            fprintf(stderr, "gen_corpus: %s is missing or differs from the generator\n", path);
            missing++;
        }
        if (f != NULL) {
            fclose(f);
        }
        free(have);
        checked++;
        return;
    }
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/%s", out_dir, target);
    FILE *f = NULL;
    if (mkdirs(dir) != 0 || (f = fopen(path, "wb")) == NULL || fwrite(data, 1, len, f) != len) {
        fprintf(stderr, "gen_corpus: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    fclose(f);
    written++;
}

/* ---- record sequences ---- */

typedef struct seq {
    uint8_t buf[FZ_MAX_INPUT];
    size_t len;
} seq;

static void seq_init(seq *s, int v5, uint32_t vcpus)
{
    memset(s, 0, sizeof(*s));
    s->buf[0] = v5 ? 1 : 0;
    s->buf[1] = (uint8_t)(FZ_MAX_VCPUS - vcpus);
    s->len = FZ_HDR_SIZE;
}

static int seq_add(seq *s, const fz_rec *r)
{
    if (s->len + FZ_REC_SIZE > sizeof(s->buf)) {
        return -1;
    }
    fz_rec_encode(r, s->buf + s->len);
    s->len += FZ_REC_SIZE;
    return 0;
}

/* A hypercall with its arguments verbatim (every raw-argument bit set). */
static void hvc(seq *s, uint32_t v, unsigned call, uint64_t x1, uint64_t x2, uint64_t x3,
                uint64_t x4, uint64_t x5)
{
    fz_rec r = {
        .kind = 0x00, .vcpu = (uint8_t)v, .mode = 0x1F, .sel = call, .arg = {x1, x2, x3, x4, x5}};
    (void)seq_add(s, &r);
}

static void deliver(seq *s, uint32_t v)
{
    fz_rec r = {.kind = 0xA0, .vcpu = (uint8_t)v};
    (void)seq_add(s, &r);
}

static int event_sel(uint64_t num)
{
    for (unsigned i = 0; i < 9; i++) {
        if (fz_event_choices[i] == num) {
            return (int)i;
        }
    }
    return -1;
}

static int trigger(seq *s, uint64_t num, uint32_t v)
{
    int sel = event_sel(num);
    if (sel < 0) {
        return -1;
    }
    fz_rec r = {.kind = 0xC8, .vcpu = (uint8_t)v, .sel = (uint32_t)sel};
    return seq_add(s, &r);
}

static int irq(seq *s, uint32_t intid, uint32_t v)
{
    /* The selector whose cooked interrupt is intid (fz_decode's table). */
    sdei_config cfg = sdei_config_default(FZ_MAX_VCPUS);
    for (uint32_t sel = 0; sel < 65536; sel++) {
        fz_rec r = {.kind = 0xD8, .vcpu = (uint8_t)v, .sel = sel};
        sim_action a;
        fz_decode(&cfg, 0, &r, &a);
        if (a.intid == intid) {
            return seq_add(s, &r);
        }
    }
    return -1;
}

static void inject(seq *s, uint64_t num, uint32_t v)
{
    fz_rec r = {.kind = 0xE0, .vcpu = (uint8_t)v, .mode = 1, .arg = {num}};
    (void)seq_add(s, &r);
}

static void migrate(seq *s, unsigned variant)
{
    fz_rec r = {.kind = 0xFC, .sel = variant};
    (void)seq_add(s, &r);
}

/* setreg of up to 3 registers of fz_decode's pick table. */
static const uint8_t pick[24] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                 12, 13, 14, 15, 16, 17, 32, 33, 33, 34, 35, 30};

static int setreg(seq *s, uint32_t v, const uint8_t *regs, const uint64_t *vals, unsigned n)
{
    for (unsigned base = 0; base < n; base += 3) {
        unsigned cnt = n - base < 3 ? n - base : 3;
        fz_rec r = {.kind = 0xF0, .vcpu = (uint8_t)v, .sel = cnt - 1};
        for (unsigned i = 0; i < cnt; i++) {
            int idx = -1;
            for (int k = 0; k < 24; k++) {
                if (pick[k] == regs[base + i]) {
                    idx = k;
                    break;
                }
            }
            if (idx < 0) {
                return -1;
            }
            r.sel |= (uint32_t)idx << (8 + 8 * i);
            r.arg[i] = vals[base + i];
        }
        if (seq_add(s, &r) != 0) {
            return -1;
        }
    }
    return 0;
}

/* The seed, and for the migrate target the same with a migration (alternating
 * whole-VM save and VMM blobs) after every record. */
static void emit_seq(const char *name, const seq *s)
{
    char fname[512];
    snprintf(fname, sizeof(fname), "seed-%s", name);
    emit("calls", fname, s->buf, s->len);
    emit("kernel", fname, s->buf, s->len); /* the kernel target: the same sequences */
    if (s->buf[0] == 0) {
        emit("diff", fname, s->buf, s->len); /* the differential target is spec-only */
    }
    seq m;
    memcpy(m.buf, s->buf, FZ_HDR_SIZE);
    m.len = FZ_HDR_SIZE;
    size_t n = (s->len - FZ_HDR_SIZE) / FZ_REC_SIZE;
    for (size_t i = 0; i < n; i++) {
        fz_rec r;
        fz_rec_decode(s->buf, i, &r);
        if (seq_add(&m, &r) != 0) {
            break;
        }
        if (r.kind < 0xFC) {
            migrate(&m, (unsigned)(i & 1u));
        }
    }
    emit("migrate", fname, m.buf, m.len);
}

#define MP(v) sdei_default_mpidr(v)
#define EP UINT64_C(0xFFFF800010001000)

/* Hand-built sequences, first half: boot, signal, preemption, ... */
static void hand_built_guest(void)
{
    seq s;
    /* Linux boot (sdei-rules §10.6): VERSION, PRIVATE_RESET per CPU,
     * SHARED_RESET, GET_INFO, REGISTER + ENABLE per CPU, PE_UNMASK per CPU. */
    seq_init(&s, 0, 4);
    hvc(&s, 0, SDEI_CALL_VERSION, 0, 0, 0, 0, 0);
    for (uint32_t v = 0; v < 4; v++) {
        hvc(&s, v, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
    }
    hvc(&s, 0, SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_GET_INFO, FZ_EV_PRIV_NORMAL, SDEI_INFO_EV_PRIORITY, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_GET_INFO, FZ_EV_PRIV_NORMAL, SDEI_INFO_EV_TYPE, 0, 0, 0);
    for (uint32_t v = 0; v < 4; v++) {
        hvc(&s, v, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_NORMAL, EP, 0x100 + v, 0, 0);
        hvc(&s, v, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_NORMAL, 0, 0, 0, 0);
    }
    for (uint32_t v = 0; v < 4; v++) {
        hvc(&s, v, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    }
    (void)trigger(&s, FZ_EV_PRIV_NORMAL, 2);
    deliver(&s, 2);
    hvc(&s, 2, SDEI_CALL_EVENT_CONTEXT, 0, 0, 0, 0, 0);
    hvc(&s, 2, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, EP + 0x280, 0, 0, 0, 0);
    emit_seq("linux-boot", &s);

    /* Register, enable, signal, deliver, complete (event 0). */
    seq_init(&s, 0, 2);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, 0, EP, 0x77, SDEI_RM_ANY, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    hvc(&s, 1, SDEI_CALL_EVENT_SIGNAL, 0, MP(0), 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_SIGNAL, 0, MP(0), 0, 0, 0);
    deliver(&s, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_STATUS, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_CONTEXT, 2, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE, SDEI_EV_HANDLED, 0, 0, 0, 0);
    deliver(&s, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE, SDEI_EV_FAILED, 0, 0, 0, 0);
    emit_seq("signal-deliver-complete", &s);

    /* Preemption: critical over normal, nothing over critical (§4.5). */
    seq_init(&s, 0, 2);
    uint8_t regs[5] = {4, 17, 32, 33, 0};
    uint64_t vals[5] = {0x4444, 0x1717, 0xFFFF800000123450, 0x60000005, 0xABC};
    (void)setreg(&s, 0, regs, vals, 5);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_NORMAL, EP, 1, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_CRITICAL, EP + 0x100, 2, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_CRITICAL, 0, 0, 0, 0);
    hvc(&s, 1, SDEI_CALL_EVENT_REGISTER, FZ_EV_SHARED_CRIT, EP + 0x200, 3, SDEI_RM_PE, MP(0));
    hvc(&s, 1, SDEI_CALL_EVENT_ENABLE, FZ_EV_SHARED_CRIT, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    (void)trigger(&s, FZ_EV_PRIV_NORMAL, 0);
    deliver(&s, 0);
    (void)trigger(&s, FZ_EV_PRIV_CRITICAL, 0);
    (void)trigger(&s, FZ_EV_SHARED_CRIT, 0);
    deliver(&s, 0);
    deliver(&s, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_CONTEXT, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0);
    deliver(&s, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0);
    emit_seq("preemption", &s);
}

/* Hand-built sequences, second half. */
static void hand_built_more(void)
{
    seq s;
    /* Unregister while running: PENDING, UP, the final COMPLETE, DENIED. */
    seq_init(&s, 0, 2);
    hvc(&s, 1, SDEI_CALL_EVENT_REGISTER, FZ_EV_SHARED_NORMAL, EP, 5, SDEI_RM_ANY, 0);
    hvc(&s, 1, SDEI_CALL_EVENT_ENABLE, FZ_EV_SHARED_NORMAL, 0, 0, 0, 0);
    hvc(&s, 1, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    (void)trigger(&s, FZ_EV_SHARED_NORMAL, 0);
    deliver(&s, 1);
    hvc(&s, 0, SDEI_CALL_EVENT_DISABLE, FZ_EV_SHARED_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_UNREGISTER, FZ_EV_SHARED_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_UNREGISTER, FZ_EV_SHARED_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_STATUS, FZ_EV_SHARED_NORMAL, 0, 0, 0, 0);
    hvc(&s, 1, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_UNREGISTER, FZ_EV_SHARED_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_SHARED_NORMAL, EP, 6, SDEI_RM_ANY, 0);
    emit_seq("unregister-while-running", &s);

    /* Bind and release: PPI and SPI slots, re-bind, exhaustion, triggers. */
    seq_init(&s, 0, 2);
    hvc(&s, 0, SDEI_CALL_FEATURES, SDEI_FEATURE_BIND_SLOTS, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_BIND, 5, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_BIND, 20, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_BIND, 20, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_BIND, 33, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_BIND, 34, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_BIND, 35, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, SDEI_BIND_PRIVATE_BASE, EP, 9, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, SDEI_BIND_PRIVATE_BASE, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    (void)irq(&s, 20, 0);
    deliver(&s, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_RELEASE, SDEI_BIND_PRIVATE_BASE, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_UNREGISTER, SDEI_BIND_PRIVATE_BASE, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_RELEASE, SDEI_BIND_PRIVATE_BASE, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_INTERRUPT_RELEASE, SDEI_BIND_SHARED_BASE, 0, 0, 0, 0);
    hvc(&s, 1, SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0);
    emit_seq("bind-release", &s);

    /* Resets while a handler runs: DENIED, the running event goes to UP. */
    seq_init(&s, 0, 2);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_NORMAL, EP, 1, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_SHARED_NORMAL, EP, 2, SDEI_RM_PE, MP(1));
    hvc(&s, 0, SDEI_CALL_EVENT_ROUTING_SET, FZ_EV_SHARED_NORMAL, SDEI_RM_PE, MP(0), 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_GET_INFO, FZ_EV_SHARED_NORMAL, SDEI_INFO_EV_ROUTING_AFF, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, FZ_EV_SHARED_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    inject(&s, FZ_EV_PRIV_NORMAL, 0);
    deliver(&s, 0);
    hvc(&s, 0, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_STATUS, FZ_EV_PRIV_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_SHARED_RESET, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PE_MASK, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
    emit_seq("resets-while-running", &s);

    /* The same boot under the kvm-v5 profile (its quirks, its FIDs). */
    seq_init(&s, 1, 2);
    hvc(&s, 0, SDEI_CALL_VERSION, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_FEATURES, 0, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_SHARED_NORMAL, EP, 1, SDEI_RM_ANY, 7);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_NORMAL, EP, 1, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
    inject(&s, FZ_EV_PRIV_NORMAL, 0);
    inject(&s, FZ_EV_PRIV_NORMAL, 0);
    deliver(&s, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_UNREGISTER, FZ_EV_PRIV_NORMAL, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_COMPLETE_AND_RESUME, EP, 0, 0, 0, 0);
    hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_NORMAL, EP, 1, 0, 0);
    hvc(&s, 1, SDEI_CALL_PRIVATE_RESET, 0, 0, 0, 0, 0);
    emit_seq("kvm-v5-boot", &s);
}

static void hand_built(void)
{
    hand_built_guest();
    hand_built_more();
}

/* ---- spec-traces -> record seeds ---- */

/* The header of a trace that runs on the fuzz VM: spec or kvm-v5, at most
 * FZ_MAX_VCPUS vCPUs, nothing else (bind=, span=, quirks=, max-events= and
 * even seed= describe another run). */
static int header_fits(const sim_header *h)
{
    return h->vcpus <= FZ_MAX_VCPUS && !h->has_seed && !h->has_bind && h->span == 1 &&
           h->max_events == 0 && !h->quirks_override && h->nr_mpidr == 0;
}

/* An expose the fuzz VM already made (it exposes its events itself). */
static int exposed_by_fuzz_vm(const sim_action *a)
{
    for (unsigned i = 0; i < FZ_NR_EXPOSED; i++) {
        const sdei_event_desc *d = &fz_exposed[i];
        if (d->num == a->num && d->type == a->type && d->priority == a->priority &&
            d->signaled == a->signaled) {
            return 1;
        }
    }
    return 0;
}

/* A hypercall with its arguments verbatim; "-" (keep) has no record form. */
static int hvc_record(seq *s, const sim_action *a)
{
    fz_rec r = {.kind = 0x00, .vcpu = (uint8_t)a->vcpu, .mode = 0x1F};
    if (a->keep_mask != 0) {
        return -1;
    }
    if (a->call != SDEI_CALL_ID_NONE) {
        r.sel = a->call;
    } else if ((a->fid >> 32) == 0 || (a->fid >> 32) == UINT64_C(0xFFFFFFFF)) {
        r.mode |= FZ_MODE_RAW_FID | ((a->fid >> 32) ? FZ_MODE_FID_HIGH : 0);
        r.sel = (uint32_t)a->fid;
    } else {
        return -1;
    }
    memcpy(r.arg, a->arg, sizeof(r.arg));
    return seq_add(s, &r);
}

/* INJECT_EVENT on a vCPU is a record; GET commands change nothing; a SET is
 * a blob test, not a call sequence. */
static int vmm_record(seq *s, const sim_action *a)
{
    const char *name = sim_vmm_cmd_name(a->vmm_cmd);
    if (a->vmm_cmd == SDEI_CMD_INJECT_EVENT && a->vcpu != SDEI_VMM_VM) {
        inject(s, a->num, a->vcpu);
        return 0;
    }
    return name != NULL && strncmp(name, "GET_", 4) == 0 ? 0 : -1;
}

/* One parsed action as records; -1 when it has no record form. */
static int action_records(seq *s, const sim_action *a)
{
    if (a->syms != NULL) {
        return -1; /* captured names: their values are known only when replayed */
    }
    switch (a->kind) {
    case SIM_A_EXPOSE:
        return exposed_by_fuzz_vm(a) ? 0 : -1;
    case SIM_A_HVC:
        return hvc_record(s, a);
    case SIM_A_DELIVER:
        deliver(s, a->vcpu);
        return 0;
    case SIM_A_TRIGGER:
        return trigger(s, a->num, a->vcpu);
    case SIM_A_IRQ:
        return irq(s, a->intid, a->vcpu);
    case SIM_A_MIGRATE:
        migrate(s, 0);
        return 0;
    case SIM_A_SETREG:
        return setreg(s, a->vcpu, a->reg, a->val, a->nregs);
    case SIM_A_VMM:
        return vmm_record(s, a);
    default:
        return -1;
    }
}

/* One line of a trace (read by the trace module): 0, or -1 when the trace
 * does not fit the fuzz VM or has no record form. */
static int convert_line(const char *p, seq *s, int *have_header)
{
    static uint8_t store[SIM_TRACE_MAX_DATA];
    sim_parse_err e;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p == '\0' || *p == '#' || *p == '\r' || *p == '<' || *p == '=') {
        return 0;
    }
    if (!*have_header) {
        sim_header h;
        if (sim_parse_header(p, &h, &e) != 0 || !header_fits(&h)) {
            return -1;
        }
        seq_init(s, h.profile == SDEI_PROFILE_KVM_V5, h.vcpus);
        *have_header = 1;
        return 0;
    }
    static sim_syms syms;
    sim_action a;
    if (sim_parse_action(p, &a, &syms, store, sizeof(store), &e) != 0) {
        return -1;
    }
    return action_records(s, &a);
}

/* Converts one trace; returns 0 and fills s, or -1 when it does not fit. */
static int convert_trace(const char *path, seq *s)
{
    FILE *f = fopen(path, "r");
    sim_reader rd;
    char *line;
    int have_header = 0, ok = 1, rc;
    if (f == NULL || sim_reader_open(&rd, f, SIM_TRACE_MAX_LINE) != 0) {
        if (f != NULL) {
            fclose(f);
        }
        return -1;
    }
    while (ok && (rc = sim_reader_next(&rd, &line)) != 0) {
        ok = rc > 0 && convert_line(line, s, &have_header) == 0;
    }
    sim_reader_close(&rd);
    fclose(f);
    return ok && have_header && s->len > FZ_HDR_SIZE ? 0 : -1;
}

static void walk_traces(const char *root, const char *rel, unsigned *used, unsigned *skipped)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] ? "/" : "", rel);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char sub[4096], full[8192];
        snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", name);
        snprintf(full, sizeof(full), "%s/%s", root, sub);
        struct stat st;
        if (name[0] != '.' && stat(full, &st) == 0) {
            size_t len = strlen(name);
            if (S_ISDIR(st.st_mode)) {
                walk_traces(root, sub, used, skipped);
            } else if (len > 6 && strcmp(name + len - 6, ".trace") == 0) {
                /* Trace seeds: the trace itself, for the parser and replayer. */
                FILE *f = fopen(full, "rb");
                static uint8_t text[1 << 20];
                size_t tl = f != NULL ? fread(text, 1, sizeof(text), f) : 0;
                if (f != NULL) {
                    fclose(f);
                }
                char flat[8192];
                snprintf(flat, sizeof(flat), "seed-%s", sub);
                for (char *p = flat; *p; p++) {
                    *p = *p == '/' ? '-' : *p;
                }
                if (tl > 0 && tl < 64 * 1024) {
                    emit("traces", flat, text, tl);
                }
                static seq s;
                flat[strlen(flat) - 6] = '\0';
                if (convert_trace(full, &s) == 0) {
                    emit_seq(flat + 5, &s);
                    (*used)++;
                } else {
                    (*skipped)++;
                }
            }
        }
        free(names[i]);
    }
    free(names);
}

/* ---- blob seeds ---- */

static fz_vm bvm;

static void chunk(uint8_t *buf, size_t *len, uint8_t op, uint8_t vcpu, uint16_t count,
                  const uint8_t *data, uint32_t n)
{
    uint8_t *p = buf + *len;
    p[0] = op;
    p[1] = vcpu;
    sdei_put_le(p + 2, count, 2);
    sdei_put_le32(p + 4, n);
    if (n > 0) {
        memcpy(p + 8, data, n);
    }
    *len += 8u + n;
}

static uint32_t get_list(sdei_vm *vm, uint32_t vcpu, uint32_t count_cmd, uint8_t *out, size_t size)
{
    sdei_vmm_cmd_block b;
    memset(&b, 0, sizeof(b));
    b.cmd = count_cmd;
    if (sdei_vmm_command(vm, vcpu, &b) != 0) {
        return 0;
    }
    uint32_t n = b.count;
    memset(&b, 0, sizeof(b));
    b.cmd = count_cmd + 1;
    b.count = n;
    b.data = out;
    b.data_len = (size_t)n * size;
    return n > 0 && sdei_vmm_command(vm, vcpu, &b) == 0 ? n : 0;
}

static void blob_seeds(void)
{
    static uint8_t buf[512 * 1024], tmp[FZ_MAX_EVENTS * SDEI_BLOB_REGISTERED_SIZE];
    for (unsigned sc = 0; sc < 4; sc++) {
        /* A guest scenario on one VM; its blobs as SET chunks for a fresh VM. */
        fz_header h = {.profile = SDEI_PROFILE_SPEC, .nr_vcpus = FZ_MAX_VCPUS, .span = 1};
        if (fz_vm_open(&bvm, &h, 0) != 0) {
            exit(2);
        }
        static const char *const names[4] = {"registered", "pending", "running", "nested"};
        seq s;
        seq_init(&s, 0, 4);
        hvc(&s, 0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0, 0);
        hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_NORMAL, EP, 1, 0, 0);
        hvc(&s, 0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_CRITICAL, EP, 2, 0, 0);
        hvc(&s, 1, SDEI_CALL_EVENT_REGISTER, FZ_EV_SHARED_NORMAL, EP, 3, SDEI_RM_PE, MP(0));
        if (sc >= 1) {
            hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_NORMAL, 0, 0, 0, 0);
            hvc(&s, 0, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_CRITICAL, 0, 0, 0, 0);
            inject(&s, FZ_EV_PRIV_NORMAL, 0);
        }
        if (sc >= 2) {
            deliver(&s, 0);
            inject(&s, FZ_EV_PRIV_NORMAL, 0);
        }
        if (sc >= 3) {
            (void)trigger(&s, FZ_EV_PRIV_CRITICAL, 0);
            deliver(&s, 0);
        }
        size_t n = (s.len - FZ_HDR_SIZE) / FZ_REC_SIZE;
        for (size_t i = 0; i < n; i++) {
            fz_rec r;
            sim_action a;
            sim_result res;
            fz_rec_decode(s.buf, i, &r);
            fz_decode(&bvm.t.cfg, 0, &r, &a);
            (void)fz_step(&bvm, &a, &res);
        }
        /* The blob chunks go to a fresh fuzz VM, whose events are exposed
         * already (a SET_EXPOSED_EVENT of all of them would exceed 16). */
        size_t len = 0;
        uint32_t nr = get_list(fz_model(&bvm), SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT,
                               tmp, SDEI_BLOB_REGISTERED_SIZE);
        chunk(buf, &len, 1, 0, (uint16_t)nr, tmp, nr * SDEI_BLOB_REGISTERED_SIZE);
        for (uint32_t v = 0; v < 2; v++) {
            uint32_t nv = get_list(fz_model(&bvm), v, SDEI_CMD_GET_VCPU_EVENT_COUNT, tmp,
                                   SDEI_BLOB_VCPU_EVENT_SIZE);
            if (nv > 0) {
                chunk(buf, &len, 2, (uint8_t)v, (uint16_t)nv, tmp, nv * SDEI_BLOB_VCPU_EVENT_SIZE);
            }
            sdei_vmm_cmd_block b;
            memset(&b, 0, sizeof(b));
            b.cmd = SDEI_CMD_GET_VCPU_STATE;
            b.data = tmp;
            b.data_len = SDEI_BLOB_VCPU_STATE_SIZE;
            if (sdei_vmm_command(fz_model(&bvm), v, &b) == 0) {
                chunk(buf, &len, 3, (uint8_t)v, 1, tmp, SDEI_BLOB_VCPU_STATE_SIZE);
            }
        }
        uint8_t recs[4 * FZ_REC_SIZE];
        fz_rec r1 = {.kind = 0xA0, .vcpu = 0};
        fz_rec r2 = {.kind = 0x00, .vcpu = 0, .sel = SDEI_CALL_EVENT_COMPLETE};
        fz_rec r3 = {
            .kind = 0x00, .vcpu = 0, .sel = SDEI_CALL_EVENT_CONTEXT, .mode = 1, .arg = {1}};
        fz_rec r4 = {.kind = 0x00, .vcpu = 0, .sel = SDEI_CALL_PRIVATE_RESET};
        fz_rec_encode(&r1, recs);
        fz_rec_encode(&r2, recs + FZ_REC_SIZE);
        fz_rec_encode(&r3, recs + 2 * FZ_REC_SIZE);
        fz_rec_encode(&r4, recs + 3 * FZ_REC_SIZE);
        chunk(buf, &len, 7, 0, 0, recs, sizeof(recs));
        char name[64];
        snprintf(name, sizeof(name), "seed-set-%s", names[sc]);
        emit("blobs", name, buf, len);
        /* The scenario op alone, then an INJECT and records. */
        len = 0;
        chunk(buf, &len, 6, 0, (uint16_t)(sc | (sc >= 2 ? 8u : 0u)), NULL, 0);
        uint8_t num[8] = {0x01, 0x00, 0x40, 0x00};
        chunk(buf, &len, 5, 0, 0, num, 8);
        chunk(buf, &len, 7, 0, 0, recs, sizeof(recs));
        snprintf(name, sizeof(name), "seed-scenario-%u", sc);
        emit("blobs", name, buf, len);
#ifdef FZ_HAVE_SAVE
        size_t wrote = 0;
        static uint8_t save[256 * 1024];
        if (sdei_vm_save(fz_model(&bvm), save, sizeof(save), &wrote) == SDEI_OK) {
            len = 0;
            chunk(buf, &len, 4, 0, 0, save, (uint32_t)wrote);
            snprintf(name, sizeof(name), "seed-restore-%s", names[sc]);
            emit("blobs", name, buf, len);
        }
#endif
    }
}

/* ---- negative, dictionaries ---- */

static void negative_seeds(void)
{
    uint8_t buf[FZ_HDR_SIZE + 2 * FZ_REC_SIZE];
    /* A clean seed the engine mutates into the crashes, and the crashes. */
    memset(buf, 0, sizeof(buf));
    emit("negative", "seed-clean", buf, sizeof(buf));
    buf[FZ_HDR_SIZE + FZ_REC_SIZE] = 0x5A;
    emit("negative", "crash-planted-invariant", buf, sizeof(buf));
    memset(buf, 0, sizeof(buf));
    buf[FZ_HDR_SIZE] = 0xA5;
    emit("negative", "crash-planted-oob-read", buf, sizeof(buf));
}

static void dict_u32(FILE *f, const char *name, uint32_t v)
{
    fprintf(f, "%s=\"\\x%02x\\x%02x\\x%02x\\x%02x\"\n", name, v & 0xFF, (v >> 8) & 0xFF,
            (v >> 16) & 0xFF, v >> 24);
}

/* records.dict */
static void dict_records(void)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/records.dict", out_dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        exit(2);
    }
    fprintf(f, "# libFuzzer/AFL++ dictionary of the record targets (calls, diff, migrate):\n"
               "# function IDs (raw-FID records), event numbers, interrupt numbers,\n"
               "# affinities, little-endian. Written by fuzz_gen_corpus.\n");
    for (unsigned c = 0; c < SDEI_CALL_COUNT; c++) {
        char name[64];
        snprintf(name, sizeof(name), "fid_%s", sdei_call_name((sdei_call_id)c));
        dict_u32(f, name, (uint32_t)(SDEI_FID_BASE + c));
    }
    dict_u32(f, "fid_FEATURES_kvm_v5", (uint32_t)SDEI_FID_FEATURES_KVM_V5);
    for (unsigned i = 0; i < FZ_NR_EVENT_CHOICES; i++) {
        char name[64];
        snprintf(name, sizeof(name), "event_%u", i);
        dict_u32(f, name, (uint32_t)fz_event_choices[i]);
    }
    dict_u32(f, "mpidr_0", (uint32_t)sdei_default_mpidr(0));
    dict_u32(f, "mpidr_3", (uint32_t)sdei_default_mpidr(3));
    dict_u32(f, "intid_ppi", 20);
    dict_u32(f, "intid_spi", 33);
    dict_u32(f, "intid_last", 1019);
    fprintf(f, "kind_deliver=\"\\xa0\"\nkind_trigger=\"\\xc8\"\nkind_irq=\"\\xd8\"\n"
               "kind_inject=\"\\xe0\"\nkind_setreg=\"\\xf0\"\nkind_migrate=\"\\xfc\"\n");
    fclose(f);
}

/* blobs.dict */
static void dict_blobs(void)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/blobs.dict", out_dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        exit(2);
    }
    fprintf(f, "# Dictionary of the blob target: chunk ops, blob sizes, event numbers,\n"
               "# the save magic. Written by fuzz_gen_corpus.\n");
    for (unsigned op = 0; op < 8; op++) {
        fprintf(f, "op_%u=\"\\x%02x\"\n", op, op);
    }
    dict_u32(f, "size_exposed", SDEI_BLOB_EXPOSED_SIZE);
    dict_u32(f, "size_registered", SDEI_BLOB_REGISTERED_SIZE);
    dict_u32(f, "size_vcpu_event", SDEI_BLOB_VCPU_EVENT_SIZE);
    dict_u32(f, "size_vcpu_state", SDEI_BLOB_VCPU_STATE_SIZE);
    dict_u32(f, "save_magic", SDEI_SAVE_MAGIC);
    dict_u32(f, "invalid_event", (uint32_t)SDEI_INVALID_EVENT);
    for (unsigned i = 0; i < 9; i++) {
        char name[64];
        snprintf(name, sizeof(name), "event_%u", i);
        dict_u32(f, name, (uint32_t)fz_event_choices[i]);
    }
    fclose(f);
}

/* traces.dict */
static void dict_traces(void)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/traces.dict", out_dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        exit(2);
    }
    fprintf(f, "# Dictionary of the trace target: the trace format's words.\n");
    static const char *const words[] = {
        "sdei-trace 1 ",
        "profile=spec",
        "profile=kvm-v5",
        "vcpus=",
        "bind=",
        "span=",
        "max-events=",
        "quirks=",
        "> hvc ",
        "> deliver ",
        "> trigger ",
        "> irq ",
        "> vmm ",
        "> migrate",
        "> expose ",
        "> setreg ",
        "< ret x0=",
        "< completed ",
        "< entered ",
        "< none",
        "< pending",
        "< dropped",
        "< ok",
        "< err ",
        "= state ",
        "= pending ",
        "= vcpu ",
        "= regs ",
        "= blob ",
        "private",
        "shared",
        "normal",
        "critical",
        "SUCCESS",
        "DENIED",
        "PENDING",
        "INVALID_PARAMETERS",
        "NOT_SUPPORTED",
        "data=",
        "count=",
        "num=",
        "INJECT_EVENT",
        "SET_REGISTERED_EVENT",
        "GET_VCPU_STATE",
        "none",
        "> deliver-any ",
        "$ev",
        ">=",
        "!=",
        "&0x3c0",
        "data[8:16]=",
        " on=$v",
        "preempted=0",
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        fprintf(f, "w%zu=\"%s\"\n", i, words[i]);
    }
    for (unsigned c = 0; c < SDEI_CALL_COUNT; c++) {
        fprintf(f, "call%u=\"%s\"\n", c, sdei_call_name((sdei_call_id)c));
    }
    fclose(f);
}

static void dictionaries(void)
{
    if (check_mode) {
        return;
    }
    dict_records();
    dict_blobs();
    dict_traces();
}

int main(int argc, char **argv)
{
    const char *traces = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--spec-traces") == 0 && i + 1 < argc) {
            traces = argv[++i];
        } else if (strcmp(argv[i], "--check") == 0) {
            check_mode = 1;
        } else if (argv[i][0] != '-') {
            out_dir = argv[i];
        } else {
            out_dir = NULL;
            break;
        }
    }
    if (out_dir == NULL) {
        fprintf(stderr, "usage: %s [--spec-traces DIR] [--check] CORPUSDIR\n", argv[0]);
        return 2;
    }
    hand_built();
    unsigned used = 0, skipped = 0;
    /* --check leaves the trace-derived seeds out: spec-traces/ grows with
     * every rule, and its seeds are regenerated with the corpus. */
    if (traces != NULL && !check_mode) {
        walk_traces(traces, "", &used, &skipped);
    }
    blob_seeds();
    negative_seeds();
    dictionaries();
    if (check_mode) {
        printf("gen_corpus: %lu seeds checked, %lu missing or different\n", checked, missing);
        return missing == 0 ? 0 : 1;
    }
    printf("gen_corpus: %lu files written (%u spec-traces converted, %u do not fit the fuzz "
           "VM)\n",
           written, used, skipped);
    return 0;
}
