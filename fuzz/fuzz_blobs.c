/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: sdei_vmm_command_ex (SET_EXPOSED_EVENT, SET_REGISTERED_EVENT,
 * SET_VCPU_EVENT, SET_VCPU_STATE, INJECT_EVENT and every GET), sdei_vm_restore_ex,
 * sdei_vm_save, sdei_lint_blobs, sdei_lint_save, sdei_vm_check, and then sdei_hypercall and
 * sdei_vcpu_deliver on whatever state was accepted. */
/*
 * fuzz_blobs.c - target 3: arbitrary bytes to every SET command and to the
 * whole-VM restore (STYLE habit 15, DESIGN §4).
 *
 * Input: chunks of [u8 op][u8 vcpu][u16 count][u32 len] + len bytes (cut to
 * what is left). Ops (op % 8): 0..3 the four SET commands with `count`
 * entries, 4 a whole-VM restore into a fresh VM, 5 INJECT_EVENT (num = the
 * first 8 bytes), 6 a fixed guest scenario (register, enable, unmask, signal,
 * deliver: a realistic state to overwrite), 7 the bytes as call-sequence
 * records (fuzz_driver.h).
 *
 * Properties:
 *   - a rejected SET or restore leaves the VM exactly as it was (every GET
 *     blob identical), with an errno the kernel returns;
 *   - an accepted one leaves a VM the model calls sound (sdei_vm_check) whose
 *     blobs round-trip: GET, SET into a fresh VM, GET gives the same bytes;
 *   - a restore that is accepted gives a VM that passes the lint and saves
 *     back to the same bytes;
 *   - when the lint finds nothing in the resulting blobs, every invariant of
 *     the call-sequence target holds, before and after a fixed exercise of
 *     deliveries, CONTEXT, COMPLETE, UNREGISTER and resets; when it finds
 *     something, the exercise must still not crash (anything a VMM controls
 *     gets an error code, never an assert: STYLE habit 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_driver.h"
#include "fuzz_engine.h"
#include "sdei/sdei_blob.h"

FZ_TARGET("blobs", 0)

static fz_vm fvm;
/* A SET or a restore was accepted: the VM may hold what no guest can make. */
static int accepted;

/* Every blob of a VM, in restore order: the state a VMM can observe. */
#define SNAP_CAP                                                                                   \
    (FZ_MAX_EVENTS * (SDEI_BLOB_EXPOSED_SIZE + SDEI_BLOB_REGISTERED_SIZE) +                        \
     FZ_MAX_VCPUS * (FZ_MAX_EVENTS * SDEI_BLOB_VCPU_EVENT_SIZE + SDEI_BLOB_VCPU_STATE_SIZE) + 64)
static uint8_t snap_a[SNAP_CAP], snap_b[SNAP_CAP];

static int32_t vmm(sdei_vm *vm, uint32_t vcpu, uint32_t cmd, uint32_t count, uint8_t *data,
                   size_t len, uint32_t *count_out)
{
    sdei_vmm_cmd_block b;
    memset(&b, 0, sizeof(b));
    b.cmd = cmd;
    b.count = count;
    b.data = data;
    b.data_len = len;
    int32_t ret = sdei_vmm_command(vm, vcpu, &b);
    if (count_out != NULL) {
        *count_out = b.count;
    }
    return ret;
}

/* Appends GET_<x>_COUNT + GET_<x> to buf at *pos; returns 0 or -1. */
static int snap_list(sdei_vm *vm, uint32_t vcpu, uint32_t count_cmd, size_t size, uint8_t *buf,
                     size_t *pos)
{
    uint32_t n = 0;
    if (vmm(vm, vcpu, count_cmd, 0, NULL, 0, &n) != 0) {
        return -1;
    }
    if (*pos + 4 + (size_t)n * size > SNAP_CAP) {
        return -1;
    }
    memcpy(buf + *pos, &n, 4);
    *pos += 4;
    if (n > 0 && vmm(vm, vcpu, count_cmd + 1, n, buf + *pos, (size_t)n * size, NULL) != 0) {
        return -1;
    }
    *pos += (size_t)n * size;
    return 0;
}

static size_t snapshot(sdei_vm *vm, uint8_t *buf)
{
    size_t pos = 0;
    if (snap_list(vm, SDEI_VMM_VM, SDEI_CMD_GET_EXPOSED_EVENT_COUNT, SDEI_BLOB_EXPOSED_SIZE, buf,
                  &pos) != 0 ||
        snap_list(vm, SDEI_VMM_VM, SDEI_CMD_GET_REGISTERED_EVENT_COUNT, SDEI_BLOB_REGISTERED_SIZE,
                  buf, &pos) != 0) {
        fz_fail("GET of the VM blobs failed");
    }
    for (uint32_t v = 0; v < sdei_vm_nr_vcpus(vm); v++) {
        if (snap_list(vm, v, SDEI_CMD_GET_VCPU_EVENT_COUNT, SDEI_BLOB_VCPU_EVENT_SIZE, buf, &pos) !=
                0 ||
            pos + SDEI_BLOB_VCPU_STATE_SIZE > SNAP_CAP ||
            vmm(vm, v, SDEI_CMD_GET_VCPU_STATE, 0, buf + pos, SDEI_BLOB_VCPU_STATE_SIZE, NULL)) {
            fz_fail("GET of vCPU %u's blobs failed", v);
        }
        pos += SDEI_BLOB_VCPU_STATE_SIZE;
    }
    return pos;
}

#ifdef FZ_HAVE_LINT
/* Lints the VM's own blobs: the number of findings. */
static uint32_t lint_vm(sdei_vm *vm, const char **first)
{
    size_t pos = 0;
    uint32_t ne, nr, n = sdei_vm_nr_vcpus(vm);
    const uint8_t *vev[FZ_MAX_VCPUS];
    const uint8_t *vst[FZ_MAX_VCPUS];
    uint32_t nvev[FZ_MAX_VCPUS];
    (void)snapshot(vm, snap_b);
    memcpy(&ne, snap_b + pos, 4);
    const uint8_t *exposed = snap_b + pos + 4;
    pos += 4 + (size_t)ne * SDEI_BLOB_EXPOSED_SIZE;
    memcpy(&nr, snap_b + pos, 4);
    const uint8_t *registered = snap_b + pos + 4;
    pos += 4 + (size_t)nr * SDEI_BLOB_REGISTERED_SIZE;
    for (uint32_t v = 0; v < n; v++) {
        memcpy(&nvev[v], snap_b + pos, 4);
        vev[v] = snap_b + pos + 4;
        pos += 4 + (size_t)nvev[v] * SDEI_BLOB_VCPU_EVENT_SIZE;
        vst[v] = snap_b + pos;
        pos += SDEI_BLOB_VCPU_STATE_SIZE;
    }
    sdei_lint_input in = {.nr_vcpus = n,
                          .exposed = exposed,
                          .nr_exposed = ne,
                          .registered = registered,
                          .nr_registered = nr,
                          .vcpu_events = vev,
                          .nr_vcpu_events = nvev,
                          .vcpu_state = vst};
    sdei_lint_finding fnd[1];
    uint32_t count = sdei_lint_blobs(&in, fnd, 1);
    *first = count > 0 ? fnd[0].problem : NULL;
    return count;
}
#endif

/* A guest that leaves events registered, enabled, pending and running. */
static void scenario(unsigned which)
{
    static const struct {
        uint8_t vcpu;
        uint8_t call;
        uint64_t x1, x2, x3, x4;
    } steps[] = {
        {0, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0},
        {1, SDEI_CALL_PE_UNMASK, 0, 0, 0, 0},
        {0, SDEI_CALL_EVENT_REGISTER, 0, 0x1000, 0xA0, 0},
        {0, SDEI_CALL_EVENT_ENABLE, 0, 0, 0, 0},
        {0, SDEI_CALL_EVENT_REGISTER, FZ_EV_PRIV_CRITICAL, 0x2000, 0xA1, 0},
        {0, SDEI_CALL_EVENT_ENABLE, FZ_EV_PRIV_CRITICAL, 0, 0, 0},
        {1, SDEI_CALL_EVENT_REGISTER, FZ_EV_SHARED_NORMAL, 0x3000, 0xA2, SDEI_RM_PE},
        {1, SDEI_CALL_EVENT_ENABLE, FZ_EV_SHARED_NORMAL, 0, 0, 0},
        {0, SDEI_CALL_EVENT_SIGNAL, 0, 0, 0, 0},
        {0, SDEI_CALL_INTERRUPT_BIND, 20, 0, 0, 0},
    };
    unsigned n = sizeof(steps) / sizeof(steps[0]);
    unsigned last = 4u + which % (n - 3u);
    sim_action a;
    sim_result r;
    uint32_t nv = fvm.t.cfg.nr_vcpus;
    /* Through the executor; what the checker says of a state the blobs made
     * is not this target's property (robustness only). */
    for (unsigned i = 0; i < last && i < n; i++) {
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_HVC;
        a.vcpu = steps[i].vcpu % nv;
        a.call = steps[i].call;
        a.arg[0] = steps[i].x1;
        a.arg[1] = steps[i].x2;
        a.arg[2] = steps[i].x3;
        a.arg[3] = steps[i].x4;
        a.arg[4] = sdei_vcpu_mpidr(fz_model(&fvm), a.vcpu);
        (void)fz_step(&fvm, &a, &r);
    }
    if (which & 8u) {
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_DELIVER;
        (void)fz_step(&fvm, &a, &r);
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_TRIGGER;
        a.num = FZ_EV_PRIV_CRITICAL;
        (void)fz_step(&fvm, &a, &r);
        memset(&a, 0, sizeof(a));
        a.kind = SIM_A_DELIVER;
        (void)fz_step(&fvm, &a, &r);
    }
}

/* Calls and deliveries on whatever state the blobs made. With `strict` every
 * invariant must hold after each one; otherwise only "no crash". */
static void exercise(int strict, const char *why)
{
    uint32_t n = fvm.t.cfg.nr_vcpus;
    uint32_t ne = sdei_vm_event_count(fz_model(&fvm));
    for (uint32_t step = 0; step < 12; step++) {
        for (uint32_t v = 0; v < n; v++) {
            sim_action a;
            sim_result res;
            memset(&a, 0, sizeof(a));
            a.vcpu = v;
            static const uint8_t calls[12] = {
                0xFF,
                SDEI_CALL_EVENT_CONTEXT,
                SDEI_CALL_EVENT_COMPLETE,
                SDEI_CALL_PE_UNMASK,
                0xFF,
                SDEI_CALL_EVENT_COMPLETE_AND_RESUME,
                SDEI_CALL_EVENT_STATUS,
                SDEI_CALL_EVENT_DISABLE,
                SDEI_CALL_EVENT_UNREGISTER,
                SDEI_CALL_PRIVATE_RESET,
                SDEI_CALL_SHARED_RESET,
                SDEI_CALL_INTERRUPT_RELEASE,
            };
            if (calls[step] == 0xFF) {
                a.kind = SIM_A_DELIVER;
            } else {
                a.kind = SIM_A_HVC;
                a.call = calls[step];
                sdei_event_desc d;
                if (ne > 0 && sdei_vm_event_at(fz_model(&fvm), (v + step) % ne, &d) == SDEI_OK) {
                    a.arg[0] = a.call == SDEI_CALL_EVENT_CONTEXT ? step : d.num;
                }
            }
            if (fz_step(&fvm, &a, &res) != 0 &&
                (strict || strncmp(fvm.msg, "model_internal_check", 20) == 0)) {
                char act[1024];
                fz_fail("%s; exercise (%s): %s", why, fz_text(&a, &res, act, sizeof(act)), fvm.msg);
            }
        }
    }
}

/* After an accepted change: sound, round-trips, and (lint-clean) invariants. */
static int after_accept(const char *what)
{
    accepted = 1;
    /* The saved contexts now come from the blobs, not from deliveries. */
    fz_forget(&fvm);
    const char *m = sdei_vm_check(fz_model(&fvm));
    if (m != NULL) {
        fz_fail("%s accepted, but the model is not sound: %s", what, m);
    }
    /* blob_roundtrip_identity through the kernel's commands; the fresh VM
     * becomes the current one, views compared. */
    sim_action a;
    sim_result r;
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_MIGRATE;
    a.via_vmm = 1;
    fvm.ever_bound = 0;
    if (fz_step(&fvm, &a, &r) != 0) {
        fz_fail("%s accepted, but its blobs do not round-trip: %s", what, fvm.msg);
    }
    int clean = 0;
#ifdef FZ_HAVE_LINT
    const char *first = NULL;
    clean = lint_vm(fz_model(&fvm), &first) == 0;
#endif
    if (clean) {
        if (fz_check(&fvm) != 0) {
            fz_fail("%s accepted, the lint finds nothing, yet an invariant fails: %s", what,
                    fvm.msg);
        }
    }
    return clean;
}

static const uint32_t set_cmd[4] = {SDEI_CMD_SET_EXPOSED_EVENT, SDEI_CMD_SET_REGISTERED_EVENT,
                                    SDEI_CMD_SET_VCPU_EVENT, SDEI_CMD_SET_VCPU_STATE};
static const char *const set_name[4] = {"SET_EXPOSED_EVENT", "SET_REGISTERED_EVENT",
                                        "SET_VCPU_EVENT", "SET_VCPU_STATE"};

/* Ops 0..3: a SET command with `count` entries. */
static void set_chunk(uint8_t op, uint32_t vcpu, uint32_t count, const uint8_t *data, size_t len)
{
    uint32_t n = fvm.t.cfg.nr_vcpus;
    unsigned k = op % 8u;
    uint32_t target = k < 2 ? SDEI_VMM_VM : vcpu % n;
    /* An exact-size heap copy: ASan sees any read past the blob. */
    uint8_t *copy = malloc(len > 0 ? len : 1);
    if (copy == NULL) {
        return;
    }
    memcpy(copy, data, len);
    size_t before = snapshot(fz_model(&fvm), snap_a);
    sdei_vmm_cmd_block b;
    memset(&b, 0, sizeof(b));
    b.cmd = set_cmd[k];
    b.count = count;
    b.data = len > 0 ? copy : NULL;
    b.data_len = len;
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    int32_t ret = sdei_vmm_command_ex(fz_model(&fvm), target, &b, &err);
    free(copy);
    if (ret != 0) {
        if (sdei_errno_name(ret) == NULL) {
            fz_fail("%s returned %d, not an errno the kernel returns", set_name[k], ret);
        }
        size_t after = snapshot(fz_model(&fvm), snap_b);
        if (after != before || memcmp(snap_a, snap_b, before) != 0) {
            fz_fail("%s rejected the batch (%d: %s) but changed the VM", set_name[k], ret,
                    err.text);
        }
        return;
    }
    (void)after_accept(set_name[k]);
    return;
}

/* Op 4: a whole-VM restore into a fresh VM. */
static void restore_chunk(const uint8_t *data, size_t len)
{
    uint32_t n = fvm.t.cfg.nr_vcpus;
#ifdef FZ_HAVE_SAVE
    static uint8_t again[256 * 1024];
    uint8_t *copy = malloc(len > 0 ? len : 1);
    if (copy == NULL) {
        return;
    }
    memcpy(copy, data, len);
    if (fz_vm_fresh(&fvm, 0) != 0) {
        free(copy);
        fz_fail("a fresh VM could not be built");
    }
    sdei_blob_error err;
    memset(&err, 0, sizeof(err));
    size_t before = snapshot(fz_model(&fvm), snap_a);
    sdei_err e = sdei_vm_restore_ex(fz_model(&fvm), copy, len, &err);
    if (e != SDEI_OK) {
        size_t after = snapshot(fz_model(&fvm), snap_b);
        free(copy);
        if (after != before || memcmp(snap_a, snap_b, before) != 0) {
            fz_fail("sdei_vm_restore rejected the buffer (%s) but changed the VM", err.text);
        }
        return;
    }
    /* The restore applies the kernel's SET checks only (save.c), so a
     * buffer the lint reports can be accepted (finding F4). It must
     * still round-trip: what the restored VM saves restores into a fresh
     * VM that saves the same bytes; with no lint finding, those are the
     * bytes restored in the first place. */
    static uint8_t third[256 * 1024];
    sdei_lint_finding fnd[1];
    uint32_t lint = sdei_lint_save(copy, len, n, fnd, 1);
    size_t wrote = 0, wrote2 = 0;
    if (sdei_vm_check(fz_model(&fvm)) != NULL ||
        sdei_vm_save(fz_model(&fvm), again, sizeof(again), &wrote) != SDEI_OK) {
        free(copy);
        fz_fail("a restored VM is not sound or could not be saved");
    }
    int same = wrote == len && memcmp(again, copy, len) == 0;
    free(copy);
    if (lint == 0 && !same) {
        fz_fail("save_restore_identity: a lint-clean buffer of %zu bytes restores into a VM "
                "that saves %zu different bytes",
                len, wrote);
    }
    if (fz_vm_fresh(&fvm, 0) != 0 ||
        sdei_vm_restore_ex(fz_model(&fvm), again, wrote, &err) != SDEI_OK) {
        fz_fail("save_restore_identity: the restored VM's own save is refused: %s", err.text);
    }
    if (sdei_vm_save(fz_model(&fvm), third, sizeof(third), &wrote2) != SDEI_OK || wrote2 != wrote ||
        memcmp(third, again, wrote) != 0) {
        fz_fail("save_restore_identity: save -> restore -> save changes the bytes");
    }
    (void)after_accept("sdei_vm_restore");
#else
    (void)data;
    (void)len;
#endif
    return;
}

/* Op 5: INJECT_EVENT of the first 8 bytes as the number. */
static void inject_chunk(uint32_t vcpu, const uint8_t *data, size_t len)
{
    uint32_t n = fvm.t.cfg.nr_vcpus;
    sim_action a;
    sim_result r;
    uint8_t num[8] = {0};
    memcpy(num, data, len < 8 ? len : 8);
    memset(&a, 0, sizeof(a));
    a.kind = SIM_A_VMM;
    a.vcpu = vcpu % n;
    a.vmm_cmd = SDEI_CMD_INJECT_EVENT;
    a.num = sdei_get_le(num, 8);
    if (fz_step(&fvm, &a, &r) != 0 && strncmp(fvm.msg, "api_errors", 10) == 0) {
        fz_fail("INJECT_EVENT: %s", fvm.msg);
    }
    return;
}

/* Op 7: the bytes as call-sequence records on the current state. */
static void records_chunk(const uint8_t *data, size_t len)
{
    /* Records on the current state: robustness only (no invariants:
     * the blobs may have made an inconsistent VM). */
    size_t nrec = len / FZ_REC_SIZE;
    char err[256];
    for (size_t i = 0; i < nrec && i < 32; i++) {
        fz_rec r;
        sim_action a;
        sim_result res;
        fz_rec_decode_at(data + i * FZ_REC_SIZE, &r);
        fz_decode(&fvm.t.cfg, fvm.quirks, &r, &a);
        if (a.kind == SIM_A_MIGRATE) {
            continue;
        }
        if (sim_exec(&fvm.t, &a, &res, err, sizeof(err)) != 0) {
            fz_fail("records after blobs: %s", err);
        }
        const char *m = sdei_vm_check(fz_model(&fvm));
        if (m != NULL) {
            fz_fail("records after blobs: the model is not sound: %s", m);
        }
    }
    fz_forget(&fvm); /* the checker did not see these */
    return;
}

static void run_chunk(uint8_t op, uint32_t vcpu, uint32_t count, const uint8_t *data, size_t len)
{
    switch (op % 8u) {
    case 4:
        restore_chunk(data, len);
        return;
    case 5:
        inject_chunk(vcpu, data, len);
        return;
    case 6:
        scenario(count);
        return;
    case 7:
        records_chunk(data, len);
        return;
    default:
        set_chunk(op, vcpu, count, data, len);
        return;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    fz_header h = {.profile = SDEI_PROFILE_SPEC, .nr_vcpus = FZ_MAX_VCPUS, .span = 1};
    if (size > 0 && (data[0] & 0x80u)) {
        h.profile = SDEI_PROFILE_KVM_V5; /* op bit 7 of the first chunk */
    }
    if (fz_vm_open(&fvm, &h, 1) != 0) {
        fz_fail("the fuzz VM could not be built");
    }
    accepted = 0;
    size_t pos = 0;
    unsigned chunks = 0;
    while (pos + 8 <= size && chunks < 16) {
        uint8_t op = data[pos];
        uint32_t vcpu = data[pos + 1];
        uint32_t count = (uint32_t)data[pos + 2] | ((uint32_t)data[pos + 3] << 8);
        uint32_t len = (uint32_t)data[pos + 4] | ((uint32_t)data[pos + 5] << 8) |
                       ((uint32_t)data[pos + 6] << 16) | ((uint32_t)data[pos + 7] << 24);
        pos += 8;
        size_t avail = size - pos;
        size_t take = len < avail ? len : avail;
        run_chunk(op, vcpu, count, data + pos, take);
        pos += take;
        chunks++;
    }
    int clean = !accepted;
#ifdef FZ_HAVE_LINT
    const char *first = NULL;
    clean = clean || lint_vm(fz_model(&fvm), &first) == 0;
#endif
    exercise(clean && fvm.quirks == 0, "final state");
    if (fz_check(&fvm) != 0 && clean && fvm.quirks == 0) {
        fz_fail("after the exercise: %s", fvm.msg);
    }
    return 0;
}
