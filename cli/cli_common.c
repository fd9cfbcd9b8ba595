/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_common.c - usage errors, getopt_long with one-line diagnostics,
 * numbers and whole-file reads for the sdei-sim commands (cli.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#ifdef SIM_HAVE_KERNEL_TARGET
#include "impl_kernel.h"
#endif
#include "kvm_target.h"
#include "trace.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("sdei-sim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'sdei-sim %s%s--help'.\n", cmd != NULL ? cmd : "",
            cmd != NULL ? " " : "");
    return SIM_EXIT_BAD_INPUT;
}

/* Why getopt_long refused arg (a long option): unknown, ambiguous, or given
 * a value it does not take. */
static int bad_long_option(const char *arg, const struct option *opts, const char *cmd)
{
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    int matches = 0, takes_none = 0;
    for (const struct option *o = opts; o->name != NULL; o++) {
        if (strncmp(o->name, name, len) == 0) {
            matches++;
            takes_none = o->has_arg == no_argument;
        }
    }
    if (matches == 1 && takes_none && name[len] == '=') {
        return cli_usage_error(cmd, "%s: option '--%.*s' takes no value", cmd, (int)len, name);
    }
    if (matches > 1) {
        return cli_usage_error(cmd, "%s: option '--%.*s' is ambiguous", cmd, (int)len, name);
    }
    return cli_usage_error(cmd, "%s: unknown option '%.*s'", cmd, (int)(len + 2), arg);
}

int cli_getopt(int argc, char **argv, const struct option *opts, const char *cmd, int *rc)
{
    int prev = optind;
    opterr = 0;
    int c = getopt_long(argc, argv, ":h", opts, NULL);
    if (c == '?' || c == ':') {
        /* the offending word: the one getopt just stepped over */
        const char *arg = optind > prev && optind - 1 < argc ? argv[optind - 1] : argv[prev];
        if (c == ':') {
            *rc = cli_usage_error(cmd, "%s: option '%s' needs a value", cmd, arg);
        } else if (strncmp(arg, "--", 2) == 0) {
            *rc = bad_long_option(arg, opts, cmd);
        } else {
            *rc = cli_usage_error(cmd, "%s: unknown option '-%c'", cmd, optopt);
        }
        return '?';
    }
    return c;
}

int cli_parse_num(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (s[0] == '-' || sim_parse_u64(s, strlen(s), &v) != 0 || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

double cli_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int read_error(const char *path, const char *what, FILE *f, cli_file *b, FILE *err)
{
    int e = errno;
    if (f != NULL) {
        fclose(f);
    }
    free(b->p);
    b->p = NULL;
    fprintf(err, "sdei-sim: %s: %s: %s\n", path, what, strerror(e));
    return SIM_EXIT_IO;
}

int cli_read_file(const char *path, cli_file *b, FILE *err)
{
    size_t cap = 1u << 16;
    b->n = 0;
    b->p = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return read_error(path, "cannot open", NULL, b, err);
    }
    for (;;) {
        if (b->n == cap || b->p == NULL) {
            if (b->p != NULL && cap >= CLI_FILE_MAX) {
                if (getc(f) == EOF) {
                    break; /* exactly CLI_FILE_MAX bytes (or a read error: below) */
                }
                fclose(f);
                free(b->p);
                b->p = NULL;
                fprintf(err, "sdei-sim: %s: larger than %u bytes\n", path, CLI_FILE_MAX);
                return SIM_EXIT_BAD_INPUT;
            }
            cap = b->p == NULL ? cap : cap * 2;
            uint8_t *nb = realloc(b->p, cap);
            if (nb == NULL) {
                return read_error(path, "cannot read", f, b, err);
            }
            b->p = nb;
        }
        size_t got = fread(b->p + b->n, 1, cap - b->n, f);
        b->n += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        return read_error(path, "cannot read", f, b, err);
    }
    fclose(f);
    return 0;
}

int cli_findings_policy(const char *v)
{
    if (strcmp(v, "stop") != 0 && strcmp(v, "report") != 0) {
        return -1;
    }
#ifdef SIM_HAVE_KERNEL_TARGET
    sim_kernel_findings_policy(strcmp(v, "stop") == 0, stderr);
#endif
    return 0;
}

/* The implementation --target names, or an exit code (kvm: one line each
 * for no /dev/kvm, no permission, not arm64; docs/kvm-target.md). */
int cli_pick_target(const char *cmd, const char *name, const sim_impl_ops **out)
{
    *out = sim_impl_by_name(name);
    if (strcmp(name, "kvm") == 0) {
#ifdef SIM_HAVE_KVM_TARGET
        char err[256];
        int e = sim_kvm_probe(err, sizeof(err));
        if (e != 0) {
            fprintf(stderr, "sdei-sim: %s\n", err);
            return e;
        }
#else
        fprintf(stderr, "sdei-sim: --target=kvm: this build has no kvm target (it is built "
                        "for aarch64 Linux only: docs/kvm-target.md)\n");
        return SIM_KVM_EXIT_NOT_ARM64;
#endif
    }
    if (*out == NULL) {
        return cli_usage_error(cmd,
                               "--target: expected model, kvm or kernel (if built), "
                               "got '%s'",
                               name);
    }
    return 0;
}
