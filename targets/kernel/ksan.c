/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ksan.c - sanitizer reports in kernel code become findings (DESIGN §7).
 *
 * The tree's sdei.c is built with -fsanitize-recover (asan preset), and this
 * file asks the runtime not to halt: a KASAN-like report inside a call into
 * kernel code is recorded with its one-line summary and the call goes on, as
 * a read of freed memory does in a kernel. A report anywhere else (the model,
 * the tool) still ends the process: this hook calls abort() for it, so the
 * rest of the binary keeps -fno-sanitize-recover's meaning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kstub_run.h"

void kstub_sanitizer_init(void);

#ifdef KSTUB_ASAN

void __asan_set_error_report_callback(void (*cb)(const char *));
const char *__asan_default_options(void);
void __ubsan_on_report(void);
void __ubsan_get_current_report_data(const char **kind, const char **msg, const char **file,
                                     unsigned *line, unsigned *col, char **addr);

const char *__asan_default_options(void)
{
    return "halt_on_error=0";
}

/* "SUMMARY: AddressSanitizer: heap-use-after-free /x/arch/arm64/kvm/sdei.c:399 in f" */
static void on_asan_report(const char *report)
{
    const char *s = strstr(report, "SUMMARY: AddressSanitizer: ");
    char kind[24] = "asan";
    char rest[200] = "";
    if (!kstub_in_call()) {
        abort(); /* not kernel code: the tool's own bug, fatal as usual */
    }
    if (s != NULL) {
        s += strlen("SUMMARY: AddressSanitizer: ");
        size_t k = strcspn(s, " \n");
        snprintf(kind, sizeof(kind), "%.*s", (int)(k < sizeof(kind) ? k : sizeof(kind) - 1), s);
        s += k;
        s += strspn(s, " ");
        const char *tree = strstr(s, "arch/arm64/");
        size_t n = strcspn(s, "\n");
        if (tree != NULL && tree < s + n) {
            n -= (size_t)(tree - s);
            s = tree;
        }
        snprintf(rest, sizeof(rest), "%.*s", (int)(n < sizeof(rest) ? n : sizeof(rest) - 1), s);
    }
    kstub_finding_add(kind, KSTUB_ERROR, "%s", rest);
}

void __ubsan_on_report(void)
{
    const char *kind = "?", *msg = "?", *file = "?";
    unsigned line = 0, col = 0;
    char *addr = NULL;
    if (!kstub_in_call()) {
        return; /* the rest of the binary does not recover: the runtime aborts */
    }
    __ubsan_get_current_report_data(&kind, &msg, &file, &line, &col, &addr);
    const char *tree = strstr(file, "arch/arm64/");
    kstub_finding_add("ubsan", KSTUB_ERROR, "%s: %s at %s:%u", kind, msg,
                      tree != NULL ? tree : file, line);
}

void kstub_sanitizer_init(void)
{
    __asan_set_error_report_callback(on_asan_report);
}

#else

void kstub_sanitizer_init(void)
{
}

#endif
