/* SPDX-License-Identifier: BSD-3-Clause */
/* blobfmt.c - name the bytes of the kernel's SDEI structs (see blobfmt.h). */
#include "blobfmt.h"

#include <inttypes.h>
#include <string.h>

#include "sdei/sdei_blob.h"

typedef struct field {
    const char *name;
    uint32_t offset;
    uint8_t size;   /* 1, 4, 8 (little-endian integer) or 0 = raw bytes of len */
    uint16_t count; /* array elements (1 = scalar) */
    uint8_t len;    /* raw bytes */
} field;

static const field f_exposed[] = {
    {"num", 0, 8, 1, 0},       {"type", 8, 1, 1, 0},     {"signaled", 9, 1, 1, 0},
    {"priority", 10, 1, 1, 0}, {"padding", 11, 0, 1, 5}, {"notifier", 16, 8, 1, 0},
    {NULL, 0, 0, 0, 0},
};
static const field f_registered[] = {
    {"num", 0, 8, 1, 0},
    {"route_mode", 8, 1, 1, 0},
    {"padding", 9, 0, 1, 3},
    {"hole12", 12, 0, 1, 4},
    {"route_affinity", 16, 8, 1, 0},
    {"ep_address", 24, 8, 512, 0},
    {"ep_arg", 4120, 8, 512, 0},
    {"registered", 8216, 8, 8, 0},
    {"enabled", 8280, 8, 8, 0},
    {"unregister_pending", 8344, 8, 8, 0},
    {NULL, 0, 0, 0, 0},
};
static const field f_vcpu_event[] = {
    {"num", 0, 8, 1, 0},
    {"event_count", 8, 4, 1, 0},
    {"padding", 12, 4, 1, 0},
    {NULL, 0, 0, 0, 0},
};
static const field f_vcpu_state[] = {
    {"masked", 0, 1, 1, 0},
    {"padding", 1, 0, 1, 7},
    {"critical_num", 8, 8, 1, 0},
    {"normal_num", 16, 8, 1, 0},
    {"critical_regs.x", 24, 8, 18, 0},
    {"critical_regs.pc", 168, 8, 1, 0},
    {"critical_regs.pstate", 176, 8, 1, 0},
    {"normal_regs.x", 184, 8, 18, 0},
    {"normal_regs.pc", 328, 8, 1, 0},
    {"normal_regs.pstate", 336, 8, 1, 0},
    {NULL, 0, 0, 0, 0},
};

/* v7's firmware registers (kvm-sdei-v7 sdei.c:501-574: the layouts its
 * copy_to_user calls write) */
static const field f_fw_handler[] = {
    {"ep_addr", 0, 8, 1, 0},
    {"ep_arg", 8, 8, 1, 0},
    {NULL, 0, 0, 0, 0},
};
static const field f_fw_u64[] = {
    {"value", 0, 8, 1, 0},
    {NULL, 0, 0, 0, 0},
};
static const field f_fw_context[] = {
    {"pc", 0, 8, 1, 0},        {"pstate", 8, 8, 1, 0}, {"x", 16, 8, 18, 0},
    {"unused", 160, 0, 1, 96}, {NULL, 0, 0, 0, 0},
};

static const field *const tables[SIM_BLOB_TABLES] = {
    f_exposed, f_registered, f_vcpu_event, f_vcpu_state, f_fw_handler, f_fw_u64, f_fw_context};
static const size_t sizes[SIM_BLOB_TABLES] = {SDEI_BLOB_EXPOSED_SIZE,
                                              SDEI_BLOB_REGISTERED_SIZE,
                                              SDEI_BLOB_VCPU_EVENT_SIZE,
                                              SDEI_BLOB_VCPU_STATE_SIZE,
                                              16,
                                              8,
                                              256};
static const char *const names[SIM_BLOB_TABLES] = {
    "exposed", "registered", "vcpu_event", "vcpu_state", "fw_handler", "fw_u64", "fw_context"};

unsigned sim_blob_fw_kind(uint64_t reg_id)
{
    size_t size = (size_t)1u << ((reg_id >> 52) & 0xfu); /* KVM_REG_SIZE */
    return size == 16 ? SIM_BLOB_FW_HANDLER : size == 256 ? SIM_BLOB_FW_CONTEXT : SIM_BLOB_FW_U64;
}

size_t sim_blob_entry_size(unsigned k)
{
    return k < SIM_BLOB_TABLES ? sizes[k] : 0;
}

const char *sim_blob_kind_name(unsigned k)
{
    return k < SIM_BLOB_TABLES ? names[k] : "?";
}

int sim_blob_kind_by_name(const char *name)
{
    for (unsigned i = 0; i < SIM_BLOB_COUNT; i++) {
        if (strcmp(name, names[i]) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* The kernel recorder's short names for fields (shared/kernel-recordings). */
static const struct {
    uint8_t kind;
    const char *alias, *name;
} aliases[] = {
    {SIM_BLOB_EXPOSED, "pad", "padding"},
    {SIM_BLOB_REGISTERED, "pad", "padding"},
    {SIM_BLOB_REGISTERED, "ep", "ep_address"},
    {SIM_BLOB_REGISTERED, "arg", "ep_arg"},
    {SIM_BLOB_VCPU_EVENT, "padword", "padding"},
    {SIM_BLOB_VCPU_STATE, "pad", "padding"},
    {SIM_BLOB_VCPU_STATE, "cx", "critical_regs.x"},
    {SIM_BLOB_VCPU_STATE, "cpc", "critical_regs.pc"},
    {SIM_BLOB_VCPU_STATE, "cpstate", "critical_regs.pstate"},
    {SIM_BLOB_VCPU_STATE, "nx", "normal_regs.x"},
    {SIM_BLOB_VCPU_STATE, "npc", "normal_regs.pc"},
    {SIM_BLOB_VCPU_STATE, "npstate", "normal_regs.pstate"},
};

/* The field named (len bytes of) name, its alias resolved, or NULL. */
static const field *field_by_name(unsigned k, const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        if (aliases[i].kind == k && strlen(aliases[i].alias) == len &&
            memcmp(aliases[i].alias, name, len) == 0) {
            name = aliases[i].name;
            len = strlen(name);
            break;
        }
    }
    for (const field *fl = tables[k]; fl->name != NULL; fl++) {
        if (strlen(fl->name) == len && memcmp(fl->name, name, len) == 0) {
            return fl;
        }
    }
    return NULL;
}

int sim_blob_set_field(unsigned k, const char *key, const char *value, uint8_t *entry,
                       const char **why)
{
    const field *fl = k < SIM_BLOB_COUNT ? field_by_name(k, key, strlen(key)) : NULL;
    uint64_t index = 0, v;
    const char *dot = strrchr(key, '.');
    size_t got;
    if (fl == NULL && dot != NULL) {
        /* "name.INDEX" of an array */
        fl = field_by_name(k, key, (size_t)(dot - key));
        if (fl != NULL && (fl->count == 1 || sim_parse_u64(dot + 1, strlen(dot + 1), &index) != 0 ||
                           index >= fl->count)) {
            *why = "an index past the array's end";
            return -1;
        }
    }
    if (fl == NULL) {
        *why = "a field of this blob";
        return -1;
    }
    if (fl->size == 0) {
        if (strlen(value) != 2u * fl->len ||
            sim_parse_hex(value, strlen(value), entry + fl->offset, fl->len, &got) != 0) {
            *why = "hex of the field's length";
            return -1;
        }
        return 0;
    }
    if (sim_parse_u64(value, strlen(value), &v) != 0) {
        *why = "a number";
        return -1;
    }
    sdei_put_le(entry + fl->offset + index * fl->size, v, fl->size);
    return 0;
}

static void put_raw(FILE *f, const uint8_t *p, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        fprintf(f, "%02x", p[i]);
    }
}

void sim_blob_dump(FILE *f, unsigned k, const uint8_t *e)
{
    const char *sep = "";
    for (const field *fl = tables[k]; fl->name != NULL; fl++) {
        if (fl->size == 0) {
            fprintf(f, "%s%s=", sep, fl->name);
            put_raw(f, e + fl->offset, fl->len);
        } else if (fl->count == 1) {
            fprintf(f, "%s%s=0x%" PRIx64, sep, fl->name, sdei_get_le(e + fl->offset, fl->size));
        } else {
            /* Arrays: only the non-zero elements, "name.I=value". */
            int any = 0;
            for (unsigned i = 0; i < fl->count; i++) {
                uint64_t v = sdei_get_le(e + fl->offset + i * fl->size, fl->size);
                if (v != 0) {
                    fprintf(f, "%s%s.%u=0x%" PRIx64, sep, fl->name, i, v);
                    sep = " ";
                    any = 1;
                }
            }
            if (!any) {
                fprintf(f, "%s%s=0", sep, fl->name);
            }
        }
        sep = " ";
    }
    fputc('\n', f);
}

unsigned sim_blob_diff(FILE *f, unsigned k, const uint8_t *x, const uint8_t *y)
{
    unsigned n = 0;
    for (const field *fl = tables[k]; fl->name != NULL; fl++) {
        if (fl->size == 0) {
            if (memcmp(x + fl->offset, y + fl->offset, fl->len) != 0) {
                fprintf(f, "  %s (@%u): expected ", fl->name, fl->offset);
                put_raw(f, x + fl->offset, fl->len);
                fprintf(f, ", actual ");
                put_raw(f, y + fl->offset, fl->len);
                fputc('\n', f);
                n++;
            }
            continue;
        }
        for (unsigned i = 0; i < fl->count; i++) {
            uint32_t off = fl->offset + i * fl->size;
            uint64_t a = sdei_get_le(x + off, fl->size), b = sdei_get_le(y + off, fl->size);
            if (a == b) {
                continue;
            }
            if (fl->count == 1) {
                fprintf(f, "  %s (@%u): expected 0x%" PRIx64 ", actual 0x%" PRIx64 "\n", fl->name,
                        off, a, b);
            } else {
                fprintf(f, "  %s[%u] (@%u): expected 0x%" PRIx64 ", actual 0x%" PRIx64 "\n",
                        fl->name, i, off, a, b);
            }
            n++;
        }
    }
    return n;
}
