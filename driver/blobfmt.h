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

/* Entry size of a blob kind. */
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
