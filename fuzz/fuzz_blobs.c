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
    for (unsigned i = 0; i < last && i < n; i++) {
        uint32_t v = steps[i].vcpu % sdei_vm_nr_vcpus(fvm.vm);
        sdei_regs *g = sdei_vcpu_regs(fvm.vm, v);
        g->x[0] = sdei_call_fid(fvm.vm, (sdei_call_id)steps[i].call);
        g->x[1] = steps[i].x1;
        g->x[2] = steps[i].x2;
        g->x[3] = steps[i].x3;
        g->x[4] = steps[i].x4;
        g->x[5] = sdei_vcpu_mpidr(fvm.vm, v);
        (void)sdei_hypercall(fvm.vm, v, NULL);
    }
    if (which & 8u) {
        (void)sdei_vcpu_deliver(fvm.vm, 0, NULL);
        sdei_trigger_result tr;
        if (sdei_event_trigger(fvm.vm, FZ_EV_PRIV_CRITICAL, 0, &tr) == SDEI_OK) {
            (void)sdei_vcpu_deliver(fvm.vm, 0, NULL);
        }
    }
}

/* Calls and deliveries on whatever state the blobs made. With `strict` every
 * invariant must hold after each one; otherwise only "no crash". */
static void exercise(int strict, const char *why)
{
    uint32_t n = sdei_vm_nr_vcpus(fvm.vm);
    uint32_t ne = sdei_vm_event_count(fvm.vm);
    for (uint32_t step = 0; step < 12; step++) {
        for (uint32_t v = 0; v < n; v++) {
            fz_action a;
            fz_result res;
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
                a.kind = FZ_DELIVER;
            } else {
                a.kind = FZ_HVC;
                a.call = calls[step];
                a.x[0] = sdei_call_fid(fvm.vm, (sdei_call_id)a.call);
                sdei_event_desc d;
                if (ne > 0 && sdei_vm_event_at(fvm.vm, (v + step) % ne, &d) == SDEI_OK) {
                    a.x[1] = a.call == SDEI_CALL_EVENT_CONTEXT ? step : d.num;
                }
            }
            const char *m = fz_exec(&fvm, &a, &res);
            if (m == NULL) {
                m = fz_check_after(&fvm, &a, &res);
            }
            if (m != NULL && (strict || strncmp(m, "model_internal_check", 20) == 0)) {
                char act[256];
                fz_action_format(act, sizeof(act), &a);
                fz_fail("%s; exercise (%s): %s", why, act, m);
            }
        }
    }
}

/* After an accepted change: sound, round-trips, and (lint-clean) invariants. */
static int after_accept(const char *what)
{
    accepted = 1;
    fvm.blob_made = 1;
    /* The saved contexts now come from the blobs, not from deliveries. */
    memset(fvm.shadow_valid, 0, sizeof(fvm.shadow_valid));
    const char *m = sdei_vm_check(fvm.vm);
    if (m != NULL) {
        fz_fail("%s accepted, but the model is not sound: %s", what, m);
    }
    /* blob_roundtrip_identity through the kernel's commands; the fresh VM
     * becomes the current one, views compared. */
    fvm.deep_migrate = 1;
    fvm.ever_bound = 0;
    m = fz_migrate(&fvm, 1);
    if (m != NULL) {
        fz_fail("%s accepted, but its blobs do not round-trip: %s", what, m);
    }
    int clean = 0;
#ifdef FZ_HAVE_LINT
    const char *first = NULL;
    clean = lint_vm(fvm.vm, &first) == 0;
#endif
    if (clean) {
        m = fz_check(&fvm);
        if (m != NULL) {
            fz_fail("%s accepted, the lint finds nothing, yet an invariant fails: %s", what, m);
        }
    }
    return clean;
}

static void run_chunk(uint8_t op, uint32_t vcpu, uint32_t count, const uint8_t *data, size_t len)
{
    static const uint32_t set_cmd[4] = {SDEI_CMD_SET_EXPOSED_EVENT, SDEI_CMD_SET_REGISTERED_EVENT,
                                        SDEI_CMD_SET_VCPU_EVENT, SDEI_CMD_SET_VCPU_STATE};
    static const char *const set_name[4] = {"SET_EXPOSED_EVENT", "SET_REGISTERED_EVENT",
                                            "SET_VCPU_EVENT", "SET_VCPU_STATE"};
    uint32_t n = sdei_vm_nr_vcpus(fvm.vm);
    switch (op % 8u) {
    case 0:
    case 1:
    case 2:
    case 3: {
        unsigned k = op % 8u;
        uint32_t target = k < 2 ? SDEI_VMM_VM : vcpu % n;
        /* An exact-size heap copy: ASan sees any read past the blob. */
        uint8_t *copy = malloc(len > 0 ? len : 1);
        if (copy == NULL) {
            return;
        }
        memcpy(copy, data, len);
        size_t before = snapshot(fvm.vm, snap_a);
        sdei_vmm_cmd_block b;
        memset(&b, 0, sizeof(b));
        b.cmd = set_cmd[k];
        b.count = count;
        b.data = len > 0 ? copy : NULL;
        b.data_len = len;
        sdei_blob_error err;
        memset(&err, 0, sizeof(err));
        int32_t ret = sdei_vmm_command_ex(fvm.vm, target, &b, &err);
        free(copy);
        if (ret != 0) {
            if (sdei_errno_name(ret) == NULL) {
                fz_fail("%s returned %d, not an errno the kernel returns", set_name[k], ret);
            }
            size_t after = snapshot(fvm.vm, snap_b);
            if (after != before || memcmp(snap_a, snap_b, before) != 0) {
                fz_fail("%s rejected the batch (%d: %s) but changed the VM", set_name[k], ret,
                        err.text);
            }
            return;
        }
        (void)after_accept(set_name[k]);
        return;
    }
    case 4: {
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
        size_t before = snapshot(fvm.vm, snap_a);
        sdei_err e = sdei_vm_restore_ex(fvm.vm, copy, len, &err);
        if (e != SDEI_OK) {
            size_t after = snapshot(fvm.vm, snap_b);
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
        if (sdei_vm_check(fvm.vm) != NULL ||
            sdei_vm_save(fvm.vm, again, sizeof(again), &wrote) != SDEI_OK) {
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
            sdei_vm_restore_ex(fvm.vm, again, wrote, &err) != SDEI_OK) {
            fz_fail("save_restore_identity: the restored VM's own save is refused: %s", err.text);
        }
        if (sdei_vm_save(fvm.vm, third, sizeof(third), &wrote2) != SDEI_OK || wrote2 != wrote ||
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
    case 5: {
        sdei_vmm_cmd_block b;
        memset(&b, 0, sizeof(b));
        b.cmd = SDEI_CMD_INJECT_EVENT;
        b.num = sdei_get_le(data, len < 8 ? (unsigned)len : 8u);
        int32_t ret = sdei_vmm_command(fvm.vm, vcpu % n, &b);
        if (ret != 0 && sdei_errno_name(ret) == NULL) {
            fz_fail("INJECT_EVENT returned %d, not an errno the kernel returns", ret);
        }
        return;
    }
    case 6:
        scenario(count);
        return;
    default: {
        /* Records on the current state: robustness only (no invariants:
         * the blobs may have made an inconsistent VM). */
        size_t nrec = len / FZ_REC_SIZE;
        uint64_t quirks = sdei_vm_quirks(fvm.vm);
        for (size_t i = 0; i < nrec && i < 32; i++) {
            fz_rec r;
            fz_action a;
            fz_result res;
            fz_rec_decode_at(data + i * FZ_REC_SIZE, &r);
            fz_decode(&fvm.cfg, quirks, &r, &a);
            if (a.kind == FZ_MIGRATE) {
                continue;
            }
            (void)fz_exec(&fvm, &a, &res);
            const char *m = sdei_vm_check(fvm.vm);
            if (m != NULL) {
                fz_fail("records after blobs: the model is not sound: %s", m);
            }
        }
        return;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    fz_header h = {.profile = SDEI_PROFILE_SPEC, .nr_vcpus = FZ_MAX_VCPUS, .span = 1};
    if (size > 0 && (data[0] & 0x80u)) {
        h.profile = SDEI_PROFILE_KVM_V5; /* op bit 7 of the first chunk */
    }
    if (fz_vm_init(&fvm, &h) != 0) {
        fz_fail("the fuzz VM could not be built");
    }
    accepted = 0;
    size_t pos = 0;
    unsigned chunks = 0;
    while (pos + 8 <= size && chunks < 16) {
        uint8_t op = data[pos];
        uint32_t vcpu = data[pos + 1];
        uint32_t count = (uint32_t)sdei_get_le(data + pos + 2, 2);
        uint32_t len = sdei_get_le32(data + pos + 4);
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
    clean = clean || lint_vm(fvm.vm, &first) == 0;
#endif
    exercise(clean && sdei_vm_quirks(fvm.vm) == 0, "final state");
    const char *m = fz_check(&fvm);
    if (m != NULL && clean && sdei_vm_quirks(fvm.vm) == 0) {
        fz_fail("after the exercise: %s", m);
    }
    return 0;
}
