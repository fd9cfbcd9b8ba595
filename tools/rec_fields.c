/* SPDX-License-Identifier: BSD-3-Clause */
/* rec_fields.c - see rec_fields.h. */
#include "rec_fields.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "trace.h"

#define EXIT_BAD_INPUT 3
#define MAX_VCPUS 512

/* ---- tokens and key=value fields ---- */

int rec_split(char *s, char **tok, int max)
{
    int n = 0;
    for (char *p = strtok(s, " \t"); p != NULL; p = strtok(NULL, " \t")) {
        if (n == max) {
            die(EXIT_BAD_INPUT, "more than %d words on one line", max);
        }
        tok[n++] = p;
    }
    return n;
}

/* A number of the recording (decimal, 0x-hex, negative): 1 if it is one. */
int rec_parse_u64(const char *s, uint64_t *v)
{
    return sim_parse_u64(s, strlen(s), v) == 0;
}

uint64_t rec_need_u64(const char *s, const char *what)
{
    uint64_t v;
    if (!rec_parse_u64(s, &v)) {
        die(EXIT_BAD_INPUT, "expected %s, got '%s'", what, s);
    }
    return v;
}

uint32_t rec_need_vcpu(const char *s)
{
    uint64_t v = rec_need_u64(s, "a vCPU index");
    if (v >= MAX_VCPUS) {
        die(EXIT_BAD_INPUT, "expected a vCPU index 0..511, got '%s'", s);
    }
    return (uint32_t)v;
}

/* The value of `key=` in a text of blank-separated fields, copied to val. */
int rec_field(const char *text, const char *key, char *val, size_t cap)
{
    size_t klen = strlen(key);
    for (const char *p = text; (p = strstr(p, key)) != NULL; p++) {
        if ((p == text || p[-1] == ' ' || p[-1] == '{' || p[-1] == ',') && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t n = strcspn(v, " ,}");
            if (n >= cap) {
                n = cap - 1;
            }
            memcpy(val, v, n);
            val[n] = '\0';
            return 1;
        }
    }
    return 0;
}

uint64_t rec_field_u64(const char *text, const char *key, int *found)
{
    char v[64];
    uint64_t x = 0;
    *found = rec_field(text, key, v, sizeof(v)) && rec_parse_u64(v, &x);
    return x;
}

/* Removes "{notifier: ...}" insertions from a result text. */
void rec_strip_braces(char *s)
{
    char *w = s;
    int depth = 0;
    for (char *r = s; *r; r++) {
        if (r[0] == '{' && strncmp(r, "{notifier:", 10) == 0) {
            depth = 1;
            continue;
        }
        if (depth && *r == '}') {
            depth = 0;
            continue;
        }
        if (!depth) {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* ---- blobs from key=value entries (the recorder's SET syntax) ---- */

/* Writes one "key=value" of the recorder's SET syntax into blob b (the
 * field names are blobfmt's, with the recorder's short aliases). */
void rec_encode_field(sim_blob_kind kind, const char *key, const char *val, uint8_t *b)
{
    const char *why = NULL;
    if (sim_blob_set_field(kind, key, val, b, &why) != 0) {
        die(EXIT_BAD_INPUT, "expected %s for '%s=%s'", why, key, val);
    }
}

/* Encodes one "k=v,k=v" (or "hex:...") entry; returns the bytes written. */
size_t rec_encode_entry(sim_blob_kind kind, char *entry, uint8_t *b)
{
    size_t size = sim_blob_entry_size(kind);
    memset(b, 0, size);
    if (strncmp(entry, "hex:", 4) == 0) {
        size_t got = 0;
        if (strlen(entry + 4) != 2 * size ||
            sim_parse_hex(entry + 4, 2 * size, b, size, &got) != 0) {
            die(EXIT_BAD_INPUT, "expected hex:%zu bytes, got '%s'", size, entry);
        }
        return size;
    }
    for (char *kv = strtok(entry, ","); kv != NULL; kv = strtok(NULL, ",")) {
        char *eq = strchr(kv, '=');
        if (eq == NULL) {
            die(EXIT_BAD_INPUT, "expected key=value, got '%s'", kv);
        }
        *eq = '\0';
        rec_encode_field(kind, kv, eq + 1, b);
    }
    return size;
}
