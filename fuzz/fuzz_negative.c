/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: none of the model's: this target must fail (fz_fail, and an
 * out-of-bounds read for the sanitizers). */
/*
 * fuzz_negative.c - target 6: proves that the setup detects failures (s2n's
 * _negative targets). Two planted bugs, both easy to reach:
 *   - a record whose kind byte is 0x5A: an "invariant" fails through fz_fail
 *     (the path every real finding takes: message, REPLAY lines, abort);
 *   - a record whose kind byte is 0xA5: a heap read one byte past the input,
 *     which only a sanitizer notices (gcc/clang ASan in every build that runs
 *     it; without ASan the target still fails through fz_fail).
 * CI asserts that the replayer fails on corpus/negative/ and that a short
 * libFuzzer run finds a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_driver.h"
#include "fuzz_engine.h"

FZ_TARGET("negative", 0)

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FZ_ASAN 1
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    size_t n = fz_rec_count(size);
    for (size_t i = 0; i < n; i++) {
        fz_rec r;
        fz_rec_decode(data, i, &r);
        if (r.kind == 0x5A) {
            fz_fail("record %zu: planted invariant failure (kind 0x5A)", i);
        }
        if (r.kind == 0xA5) {
            uint8_t *copy = malloc(size);
            if (copy == NULL) {
                return 0;
            }
            memcpy(copy, data, size);
            volatile uint8_t past = copy[size]; /* planted: one byte past the end */
            free(copy);
#ifndef FZ_ASAN
            fz_fail("record %zu: planted out-of-bounds read (kind 0xA5, no ASan: 0x%x)", i,
                    (unsigned)past);
#else
            (void)past;
#endif
        }
    }
    return 0;
}
