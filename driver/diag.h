/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag.h - the two ways the driver reports: a one-line message into the
 * caller's buffer (an error to pass up), and lines to a report stream that
 * may be NULL (comparisons run silently first, then again to report).
 */
#ifndef SIM_DIAG_H
#define SIM_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* Formats into err (n bytes) and returns -1, so `return sim_errf(...)`
 * reports and fails in one statement. */
int sim_errf(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* fprintf to f unless f is NULL. */
#define SIM_OUT(f, ...)                                                                            \
    do {                                                                                           \
        if ((f) != NULL) {                                                                         \
            fprintf((f), __VA_ARGS__);                                                             \
        }                                                                                          \
    } while (0)

#endif /* SIM_DIAG_H */
