/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blob.c - byte-exact encode/decode of the kernel's migration structs
 * (kvm-v5 §1.2, DESIGN §4): little-endian, field by field, never a memcpy of a
 * host struct. Padding and the 4-byte hole of the registered-event state are
 * fields like any other, so every byte survives decode + encode
 * (kernel-recordings/sizes_hole.rec: the kernel returns them unchanged).
 */
#include <stddef.h>
#include <stdint.h>

#include "blob_internal.h"
#include "sdei/sdei_blob.h"

/* ---- the layout: each field starts where the previous one ends ---- */

/* kvm-v5 §1.2 exposed_event_state */
_Static_assert(SDEI_EXP_OFF_NUM == 0u, "exposed.num @0");
_Static_assert(SDEI_EXP_OFF_TYPE == SDEI_EXP_OFF_NUM + 8u, "exposed.type @8");
_Static_assert(SDEI_EXP_OFF_SIGNALED == SDEI_EXP_OFF_TYPE + 1u, "exposed.signaled @9");
_Static_assert(SDEI_EXP_OFF_PRIORITY == SDEI_EXP_OFF_SIGNALED + 1u, "exposed.priority @10");
_Static_assert(SDEI_EXP_OFF_PADDING == SDEI_EXP_OFF_PRIORITY + 1u, "exposed.padding @11");
_Static_assert(SDEI_EXP_OFF_NOTIFIER == SDEI_EXP_OFF_PADDING + SDEI_EXP_PADDING_LEN,
               "exposed.notifier @16");
_Static_assert(SDEI_BLOB_EXPOSED_SIZE == SDEI_EXP_OFF_NOTIFIER + 8u, "exposed size 24");
_Static_assert(SDEI_BLOB_EXPOSED_SIZE == 24u, "kvm-v5 §1.2");

/* kvm-v5 §1.2 registered_event_state, with the compiler hole at 12..15 */
_Static_assert(SDEI_REG_OFF_ROUTE_MODE == SDEI_REG_OFF_NUM + 8u, "registered.route_mode @8");
_Static_assert(SDEI_REG_OFF_PADDING == SDEI_REG_OFF_ROUTE_MODE + 1u, "registered.padding @9");
_Static_assert(SDEI_REG_OFF_HOLE == SDEI_REG_OFF_PADDING + SDEI_REG_PADDING_LEN,
               "registered hole @12");
_Static_assert(SDEI_REG_OFF_ROUTE_AFFINITY == SDEI_REG_OFF_HOLE + SDEI_REG_HOLE_LEN,
               "registered.route_affinity @16");
_Static_assert(SDEI_REG_OFF_EP_ADDRESS == SDEI_REG_OFF_ROUTE_AFFINITY + 8u,
               "registered.ep_address @24");
_Static_assert(SDEI_REG_OFF_EP_ARG == SDEI_REG_OFF_EP_ADDRESS + 8u * SDEI_MAX_VCPUS,
               "registered.ep_arg @4120");
_Static_assert(SDEI_REG_OFF_REGISTERED == SDEI_REG_OFF_EP_ARG + 8u * SDEI_MAX_VCPUS,
               "registered.registered @8216");
_Static_assert(SDEI_REG_OFF_ENABLED == SDEI_REG_OFF_REGISTERED + 8u * SDEI_REG_BITMAP_WORDS,
               "registered.enabled @8280");
_Static_assert(SDEI_REG_OFF_UNREGISTER_PENDING == SDEI_REG_OFF_ENABLED + 8u * SDEI_REG_BITMAP_WORDS,
               "registered.unregister_pending @8344");
_Static_assert(SDEI_BLOB_REGISTERED_SIZE ==
                   SDEI_REG_OFF_UNREGISTER_PENDING + 8u * SDEI_REG_BITMAP_WORDS,
               "registered size 8408");
_Static_assert(SDEI_BLOB_REGISTERED_SIZE == 8408u, "kvm-v5 §1.2");
_Static_assert(SDEI_REG_BITMAP_WORDS * 64u == SDEI_MAX_VCPUS, "one bit per vCPU slot");
_Static_assert(SDEI_REG_BITMAP_WORDS == SDEI_BITMAP_WORDS, "model bitmaps are whole");

/* kvm-v5 §1.2 vcpu_event_state */
_Static_assert(SDEI_VEV_OFF_EVENT_COUNT == SDEI_VEV_OFF_NUM + 8u, "vcpu_event.event_count @8");
_Static_assert(SDEI_VEV_OFF_PADDING == SDEI_VEV_OFF_EVENT_COUNT + 4u, "vcpu_event.padding @12");
_Static_assert(SDEI_BLOB_VCPU_EVENT_SIZE == SDEI_VEV_OFF_PADDING + 4u, "vcpu_event size 16");
_Static_assert(SDEI_BLOB_VCPU_EVENT_SIZE == 16u, "kvm-v5 §1.2");

/* kvm-v5 §1.2 vcpu_regs_state */
_Static_assert(SDEI_VREGS_OFF_PC == SDEI_VREGS_OFF_REGS + 8u * SDEI_VREGS_NR_REGS,
               "vcpu_regs.pc @144");
_Static_assert(SDEI_VREGS_OFF_PSTATE == SDEI_VREGS_OFF_PC + 8u, "vcpu_regs.pstate @152");
_Static_assert(SDEI_BLOB_VCPU_REGS_SIZE == SDEI_VREGS_OFF_PSTATE + 8u, "vcpu_regs size 160");
_Static_assert(SDEI_BLOB_VCPU_REGS_SIZE == 160u, "kvm-v5 §1.2");
_Static_assert(SDEI_VREGS_NR_REGS == SDEI_SAVED_GPREGS, "x0..x17 saved");

/* kvm-v5 §1.2 vcpu_state */
_Static_assert(SDEI_VST_OFF_PADDING == SDEI_VST_OFF_MASKED + 1u, "vcpu_state.padding @1");
_Static_assert(SDEI_VST_OFF_CRITICAL_NUM == SDEI_VST_OFF_PADDING + SDEI_VST_PADDING_LEN,
               "vcpu_state.critical_num @8");
_Static_assert(SDEI_VST_OFF_NORMAL_NUM == SDEI_VST_OFF_CRITICAL_NUM + 8u,
               "vcpu_state.normal_num @16");
_Static_assert(SDEI_VST_OFF_CRITICAL_REGS == SDEI_VST_OFF_NORMAL_NUM + 8u,
               "vcpu_state.critical_regs @24");
_Static_assert(SDEI_VST_OFF_NORMAL_REGS == SDEI_VST_OFF_CRITICAL_REGS + SDEI_BLOB_VCPU_REGS_SIZE,
               "vcpu_state.normal_regs @184");
_Static_assert(SDEI_BLOB_VCPU_STATE_SIZE == SDEI_VST_OFF_NORMAL_REGS + SDEI_BLOB_VCPU_REGS_SIZE,
               "vcpu_state size 344");
_Static_assert(SDEI_BLOB_VCPU_STATE_SIZE == 344u, "kvm-v5 §1.2");

/* The host mirrors carry the same array lengths as the wire layout. */
_Static_assert(sizeof(((sdei_blob_exposed *)0)->padding) == SDEI_EXP_PADDING_LEN, "mirror");
_Static_assert(sizeof(((sdei_blob_registered *)0)->padding) == SDEI_REG_PADDING_LEN, "mirror");
_Static_assert(sizeof(((sdei_blob_registered *)0)->hole) == SDEI_REG_HOLE_LEN, "mirror");
_Static_assert(sizeof(((sdei_blob_vcpu_state *)0)->padding) == SDEI_VST_PADDING_LEN, "mirror");
_Static_assert(sizeof(((sdei_blob_vcpu_regs *)0)->regs) == 8u * SDEI_VREGS_NR_REGS, "mirror");

/* ---- exposed ---- */

sdei_err sdei_blob_exposed_encode(const sdei_blob_exposed *in, uint8_t *out, size_t len)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_EXPOSED_SIZE) {
        return SDEI_E_RANGE;
    }
    sdei_put_le64(out + SDEI_EXP_OFF_NUM, in->num);
    out[SDEI_EXP_OFF_TYPE] = in->type;
    out[SDEI_EXP_OFF_SIGNALED] = in->signaled;
    out[SDEI_EXP_OFF_PRIORITY] = in->priority;
    for (uint32_t i = 0; i < SDEI_EXP_PADDING_LEN; i++) {
        out[SDEI_EXP_OFF_PADDING + i] = in->padding[i];
    }
    sdei_put_le64(out + SDEI_EXP_OFF_NOTIFIER, in->notifier);
    return SDEI_OK;
}

sdei_err sdei_blob_exposed_decode(const uint8_t *in, size_t len, sdei_blob_exposed *out)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_EXPOSED_SIZE) {
        return SDEI_E_FORMAT;
    }
    out->num = sdei_get_le64(in + SDEI_EXP_OFF_NUM);
    out->type = in[SDEI_EXP_OFF_TYPE];
    out->signaled = in[SDEI_EXP_OFF_SIGNALED];
    out->priority = in[SDEI_EXP_OFF_PRIORITY];
    for (uint32_t i = 0; i < SDEI_EXP_PADDING_LEN; i++) {
        out->padding[i] = in[SDEI_EXP_OFF_PADDING + i];
    }
    out->notifier = sdei_get_le64(in + SDEI_EXP_OFF_NOTIFIER);
    return SDEI_OK;
}

/* ---- registered ---- */

sdei_err sdei_blob_registered_encode(const sdei_blob_registered *in, uint8_t *out, size_t len)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_REGISTERED_SIZE) {
        return SDEI_E_RANGE;
    }
    sdei_put_le64(out + SDEI_REG_OFF_NUM, in->num);
    out[SDEI_REG_OFF_ROUTE_MODE] = in->route_mode;
    for (uint32_t i = 0; i < SDEI_REG_PADDING_LEN; i++) {
        out[SDEI_REG_OFF_PADDING + i] = in->padding[i];
    }
    for (uint32_t i = 0; i < SDEI_REG_HOLE_LEN; i++) {
        out[SDEI_REG_OFF_HOLE + i] = in->hole[i];
    }
    sdei_put_le64(out + SDEI_REG_OFF_ROUTE_AFFINITY, in->route_affinity);
    for (uint32_t i = 0; i < SDEI_MAX_VCPUS; i++) {
        sdei_put_le64(out + SDEI_REG_OFF_EP_ADDRESS + 8u * i, in->ep_address[i]);
    }
    for (uint32_t i = 0; i < SDEI_MAX_VCPUS; i++) {
        sdei_put_le64(out + SDEI_REG_OFF_EP_ARG + 8u * i, in->ep_arg[i]);
    }
    for (uint32_t w = 0; w < SDEI_REG_BITMAP_WORDS; w++) {
        sdei_put_le64(out + SDEI_REG_OFF_REGISTERED + 8u * w, in->registered[w]);
        sdei_put_le64(out + SDEI_REG_OFF_ENABLED + 8u * w, in->enabled[w]);
        sdei_put_le64(out + SDEI_REG_OFF_UNREGISTER_PENDING + 8u * w, in->unregister_pending[w]);
    }
    return SDEI_OK;
}

sdei_err sdei_blob_registered_decode(const uint8_t *in, size_t len, sdei_blob_registered *out)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_REGISTERED_SIZE) {
        return SDEI_E_FORMAT;
    }
    out->num = sdei_get_le64(in + SDEI_REG_OFF_NUM);
    out->route_mode = in[SDEI_REG_OFF_ROUTE_MODE];
    for (uint32_t i = 0; i < SDEI_REG_PADDING_LEN; i++) {
        out->padding[i] = in[SDEI_REG_OFF_PADDING + i];
    }
    for (uint32_t i = 0; i < SDEI_REG_HOLE_LEN; i++) {
        out->hole[i] = in[SDEI_REG_OFF_HOLE + i];
    }
    out->route_affinity = sdei_get_le64(in + SDEI_REG_OFF_ROUTE_AFFINITY);
    for (uint32_t i = 0; i < SDEI_MAX_VCPUS; i++) {
        out->ep_address[i] = sdei_get_le64(in + SDEI_REG_OFF_EP_ADDRESS + 8u * i);
    }
    for (uint32_t i = 0; i < SDEI_MAX_VCPUS; i++) {
        out->ep_arg[i] = sdei_get_le64(in + SDEI_REG_OFF_EP_ARG + 8u * i);
    }
    for (uint32_t w = 0; w < SDEI_REG_BITMAP_WORDS; w++) {
        out->registered[w] = sdei_get_le64(in + SDEI_REG_OFF_REGISTERED + 8u * w);
        out->enabled[w] = sdei_get_le64(in + SDEI_REG_OFF_ENABLED + 8u * w);
        out->unregister_pending[w] = sdei_get_le64(in + SDEI_REG_OFF_UNREGISTER_PENDING + 8u * w);
    }
    return SDEI_OK;
}

/* ---- vCPU event ---- */

sdei_err sdei_blob_vcpu_event_encode(const sdei_blob_vcpu_event *in, uint8_t *out, size_t len)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_VCPU_EVENT_SIZE) {
        return SDEI_E_RANGE;
    }
    sdei_put_le64(out + SDEI_VEV_OFF_NUM, in->num);
    sdei_put_le32(out + SDEI_VEV_OFF_EVENT_COUNT, in->event_count);
    sdei_put_le32(out + SDEI_VEV_OFF_PADDING, in->padding);
    return SDEI_OK;
}

sdei_err sdei_blob_vcpu_event_decode(const uint8_t *in, size_t len, sdei_blob_vcpu_event *out)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_VCPU_EVENT_SIZE) {
        return SDEI_E_FORMAT;
    }
    out->num = sdei_get_le64(in + SDEI_VEV_OFF_NUM);
    out->event_count = sdei_get_le32(in + SDEI_VEV_OFF_EVENT_COUNT);
    out->padding = sdei_get_le32(in + SDEI_VEV_OFF_PADDING);
    return SDEI_OK;
}

/* ---- vCPU state ---- */

static void regs_encode(const sdei_blob_vcpu_regs *in, uint8_t *out)
{
    for (uint32_t i = 0; i < SDEI_VREGS_NR_REGS; i++) {
        sdei_put_le64(out + SDEI_VREGS_OFF_REGS + 8u * i, in->regs[i]);
    }
    sdei_put_le64(out + SDEI_VREGS_OFF_PC, in->pc);
    sdei_put_le64(out + SDEI_VREGS_OFF_PSTATE, in->pstate);
}

static void regs_decode(const uint8_t *in, sdei_blob_vcpu_regs *out)
{
    for (uint32_t i = 0; i < SDEI_VREGS_NR_REGS; i++) {
        out->regs[i] = sdei_get_le64(in + SDEI_VREGS_OFF_REGS + 8u * i);
    }
    out->pc = sdei_get_le64(in + SDEI_VREGS_OFF_PC);
    out->pstate = sdei_get_le64(in + SDEI_VREGS_OFF_PSTATE);
}

sdei_err sdei_blob_vcpu_state_encode(const sdei_blob_vcpu_state *in, uint8_t *out, size_t len)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_VCPU_STATE_SIZE) {
        return SDEI_E_RANGE;
    }
    out[SDEI_VST_OFF_MASKED] = in->masked;
    for (uint32_t i = 0; i < SDEI_VST_PADDING_LEN; i++) {
        out[SDEI_VST_OFF_PADDING + i] = in->padding[i];
    }
    sdei_put_le64(out + SDEI_VST_OFF_CRITICAL_NUM, in->critical_num);
    sdei_put_le64(out + SDEI_VST_OFF_NORMAL_NUM, in->normal_num);
    regs_encode(&in->critical_regs, out + SDEI_VST_OFF_CRITICAL_REGS);
    regs_encode(&in->normal_regs, out + SDEI_VST_OFF_NORMAL_REGS);
    return SDEI_OK;
}

sdei_err sdei_blob_vcpu_state_decode(const uint8_t *in, size_t len, sdei_blob_vcpu_state *out)
{
    if (in == NULL || out == NULL) {
        return SDEI_E_NULL;
    }
    if (len < SDEI_BLOB_VCPU_STATE_SIZE) {
        return SDEI_E_FORMAT;
    }
    out->masked = in[SDEI_VST_OFF_MASKED];
    for (uint32_t i = 0; i < SDEI_VST_PADDING_LEN; i++) {
        out->padding[i] = in[SDEI_VST_OFF_PADDING + i];
    }
    out->critical_num = sdei_get_le64(in + SDEI_VST_OFF_CRITICAL_NUM);
    out->normal_num = sdei_get_le64(in + SDEI_VST_OFF_NORMAL_NUM);
    regs_decode(in + SDEI_VST_OFF_CRITICAL_REGS, &out->critical_regs);
    regs_decode(in + SDEI_VST_OFF_NORMAL_REGS, &out->normal_regs);
    return SDEI_OK;
}

/* ---- error text, without printf (model/ is pure: STYLE habit 4) ---- */

/* s is never NULL: sdei_blob_error_format puts "?" for a missing name. */
static size_t put_str(char *buf, size_t pos, size_t cap, const char *s)
{
    for (size_t i = 0; s[i] != '\0' && pos + 1u < cap; i++) {
        buf[pos++] = s[i];
    }
    return pos;
}

static size_t put_dec(char *buf, size_t pos, size_t cap, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do { /* at most 20 digits: 2^64 - 1 = 18446744073709551615 */
        tmp[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0u);
    while (n > 0u && pos + 1u < cap) {
        buf[pos++] = tmp[--n];
    }
    return pos;
}

void sdei_blob_error_format(sdei_blob_error *err)
{
    if (err == NULL) {
        return;
    }
    const size_t cap = sizeof(err->text);
    size_t pos = 0;
    if (err->vcpu != SDEI_BLOB_NO_VCPU) {
        pos = put_str(err->text, pos, cap, "vcpu[");
        pos = put_dec(err->text, pos, cap, err->vcpu);
        pos = put_str(err->text, pos, cap, "].");
    }
    pos = put_str(err->text, pos, cap, err->strct != NULL ? err->strct : "?");
    pos = put_str(err->text, pos, cap, "[");
    pos = put_dec(err->text, pos, cap, err->entry);
    pos = put_str(err->text, pos, cap, "].");
    pos = put_str(err->text, pos, cap, err->field != NULL ? err->field : "?");
    pos = put_str(err->text, pos, cap, " @");
    pos = put_dec(err->text, pos, cap, err->offset);
    pos = put_str(err->text, pos, cap, ": ");
    pos = put_str(err->text, pos, cap, err->problem != NULL ? err->problem : "invalid");
    pos = put_str(err->text, pos, cap, " (buffer offset ");
    pos = put_dec(err->text, pos, cap, (uint64_t)err->buf_offset);
    pos = put_str(err->text, pos, cap, ")");
    err->text[pos] = '\0';
}
