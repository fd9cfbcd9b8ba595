/* SPDX-License-Identifier: BSD-3-Clause */
/* diag.c - see diag.h. */
#include "diag.h"

#include <stdarg.h>

int sim_errf(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}
