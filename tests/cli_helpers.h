/*
 * cli_helpers.h - run the sdei-sim binary from a Check suite, and a temp
 * directory per suite in the build tree (test_cli.c, test_trace_errors.c,
 * test_sim_more.c). Header-only: tests/CMakeLists.txt links each suite with
 * testlib.c alone.
 *
 * sim/CMakeLists.txt gives these suites SDEI_SIM_EXE (the binary) and
 * SDEI_TEST_TMPDIR (build/tests/NAME.d); the environment variable SDEI_SIM
 * overrides the binary.
 */
#ifndef SDEI_CLI_HELPERS_H
#define SDEI_CLI_HELPERS_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#ifndef SDEI_TEST_TMPDIR
#define SDEI_TEST_TMPDIR "/tmp/sdei-sim-tests"
#endif

/* What one run of the binary gave: exit code (-1 if it did not exit: a
 * crash), stdout and stderr (NUL-terminated, owned by the caller). */
typedef struct cli_result {
    int rc;
    char *out;
    char *err;
} cli_result;

static inline const char *cli_tmpdir(void)
{
    static int made;
    if (!made) {
        char cmd[512];
        /* mkdir -p: the build tree may lack the parent in odd layouts. */
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", SDEI_TEST_TMPDIR);
        ck_assert_int_eq(system(cmd), 0);
        made = 1;
    }
    return SDEI_TEST_TMPDIR;
}

/* tmpdir/name in buf (static storage of the caller). */
static inline const char *cli_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", cli_tmpdir(), name);
    return buf;
}

static inline const char *cli_sim(void)
{
    const char *s = getenv("SDEI_SIM");
    if (s != NULL && s[0] != '\0') {
        return s;
    }
#ifdef SDEI_SIM_EXE
    return SDEI_SIM_EXE;
#else
    return "sdei-sim";
#endif
}

/* The whole file as a NUL-terminated string ("" if it cannot be read). */
static inline char *cli_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    if (f != NULL) {
        size_t got;
        while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
            n += got;
            if (n == cap) {
                cap *= 2;
                buf = realloc(buf, cap + 1);
                ck_assert_ptr_nonnull(buf);
            }
        }
        fclose(f);
    }
    buf[n] = '\0';
    if (len != NULL) {
        *len = n;
    }
    return buf;
}

static inline void cli_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static inline void cli_write_text(const char *path, const char *text)
{
    cli_write(path, text, strlen(text));
}

/* Runs `sdei-sim ARGS` (ARGS is shell text) with stdin from in_path (NULL:
 * /dev/null). */
static inline cli_result cli_run_in(const char *args, const char *in_path)
{
    char cmd[4096], outp[512], errp[512];
    cli_result r;
    cli_path(outp, sizeof(outp), "cli.stdout");
    cli_path(errp, sizeof(errp), "cli.stderr");
    snprintf(cmd, sizeof(cmd), "'%s' %s <'%s' >'%s' 2>'%s'", cli_sim(), args,
             in_path != NULL ? in_path : "/dev/null", outp, errp);
    int st = system(cmd);
    r.rc = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = cli_slurp(outp, NULL);
    r.err = cli_slurp(errp, NULL);
    return r;
}

static inline cli_result cli_run(const char *args)
{
    return cli_run_in(args, NULL);
}

static inline void cli_free(cli_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Asserts exit code and that `needle` occurs in stdout (out = 1) or stderr,
 * printing the command and both streams on failure; frees the result. */
static inline void cli_expect(const char *args, int rc, int out, const char *needle)
{
    cli_result r = cli_run(args);
    ck_assert_msg(r.rc == rc && (needle == NULL || strstr(out ? r.out : r.err, needle) != NULL),
                  "sdei-sim %s: exit %d (want %d), want '%s' on %s\n-- stdout:\n%.2000s\n"
                  "-- stderr:\n%.2000s",
                  args, r.rc, rc, needle != NULL ? needle : "", out ? "stdout" : "stderr", r.out,
                  r.err);
    cli_free(&r);
}

#endif
