/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rec_fields.h - rec2trace's reading of a recording line: tokens, key=value
 * fields, numbers, and blob entries written in the recorder's SET syntax.
 */
#ifndef REC_FIELDS_H
#define REC_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "blobfmt.h"

/* Where rec2trace is in its input, for die()'s "FILE:LINE: " prefix. */
extern const char *g_file;
extern unsigned g_line;
/* Prints FILE:LINE: message and exits with code (README "Exit codes"). */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int rec_split(char *s, char **tok, int max);
int rec_parse_u64(const char *s, uint64_t *v);
uint64_t rec_need_u64(const char *s, const char *what);
uint32_t rec_need_vcpu(const char *s);
int rec_field(const char *text, const char *key, char *val, size_t cap);
uint64_t rec_field_u64(const char *text, const char *key, int *found);
void rec_strip_braces(char *s);
void rec_encode_field(sim_blob_kind kind, const char *key, const char *val, uint8_t *b);
size_t rec_encode_entry(sim_blob_kind kind, char *entry, uint8_t *b);

#endif /* REC_FIELDS_H */
