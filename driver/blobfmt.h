/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blobfmt.h - field tables of the kernel's migration structs (kvm-v5 §1.2),
 * for human-readable dumps and field-by-field diffs. Byte layout only: the
 * model's codec (sdei_blob.h) stays the authority on meaning; these tables
 * name the bytes.
 */
#ifndef SIM_BLOBFMT_H
#define SIM_BLOBFMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

/* Field tables past the trace's blob kinds: the values of v7's firmware
 * registers (sdei_fwreg.h), which saves of format 2 hold. Dump and diff take
 * them; traces and raw blob files do not. */
#define SIM_BLOB_FW_HANDLER (SIM_BLOB_COUNT + 0u) /* 16 bytes: ep_addr, ep_arg */
#define SIM_BLOB_FW_U64 (SIM_BLOB_COUNT + 1u)     /* 8 bytes: a bitmap or PE_STATE */
#define SIM_BLOB_FW_CONTEXT (SIM_BLOB_COUNT + 2u) /* 256 bytes: pc, pstate, x0..x17 */
#define SIM_BLOB_TABLES (SIM_BLOB_COUNT + 3u)

/* The field table of a firmware register's value, by its id's size. */
unsigned sim_blob_fw_kind(uint64_t reg_id);

/* Entry size of a blob kind (or a firmware table). */
size_t sim_blob_entry_size(unsigned blob_kind);
const char *sim_blob_kind_name(unsigned blob_kind);
int sim_blob_kind_by_name(const char *name); /* or -1 */

/* Writes one field of an entry by name: "num", "ep_address.3" (arrays take
 * ".INDEX"), or the kernel recorder's short names ("ep.3", "cx.5", "pad",
 * shared/kernel-recordings/README.md). value is a number for integer fields
 * (stored little-endian at the field's width) and hex for byte fields.
 * Returns 0, or -1 with *why saying what was wrong. */
int sim_blob_set_field(unsigned blob_kind, const char *key, const char *value, uint8_t *entry,
                       const char **why);

/* Prints every field of one entry, one "name=value" per field (arrays: only
 * non-zero elements), on one line. */
void sim_blob_dump(FILE *f, unsigned blob_kind, const uint8_t *entry);
/* Prints one line per differing field ("  field: expected X, actual Y");
 * returns the number of differing fields. Entries must be full-size. */
unsigned sim_blob_diff(FILE *f, unsigned blob_kind, const uint8_t *exp, const uint8_t *act);

#endif /* SIM_BLOBFMT_H */
