/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_engine.c - what every target binary shares, whatever the engine:
 * failure reports with their REPLAY lines (STYLE habit 6), and the name of
 * the input being run.
 *
 * A finding is reported in one of three ways: fz_fail() (an invariant, a
 * divergence), a sanitizer report (its death callback), or a signal (the
 * model's SDEI_ASSERT traps). All three print the same REPLAY lines; the
 * engine then writes its crash file (libFuzzer: <prefix>crash-<sha1>).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_driver.h"
#include "fuzz_engine.h"

/* The sanitizer runtime's hook, when one is linked (weak: the replayer also
 * builds without sanitizers). */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static const uint8_t *cur_data;
static size_t cur_len;
static const char *cur_path; /* the replayer's file, or libFuzzer's single input */
static const char *artifact_prefix = "";
static int reported;
static int opt_argc;
static char **opt_argv;
const char *fz_replay_flags = "";
const char *fz_f2t_flags = "";

/* ---- SHA-1 (FIPS 180-4), to name the file libFuzzer writes: crash-<sha1> ---- */

static uint32_t rol(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32u - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80];
    for (unsigned i = 0; i < 16; i++) {
        w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
               ((uint32_t)p[4 * i + 2] << 8) | (uint32_t)p[4 * i + 3];
    }
    for (unsigned i = 16; i < 80; i++) {
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (unsigned i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void fz_sha1_hex(const uint8_t *data, size_t len, char out[41])
{
    uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    size_t full = len / 64u;
    for (size_t i = 0; i < full; i++) {
        sha1_block(h, data + 64u * i);
    }
    uint8_t tail[128];
    size_t rest = len - 64u * full;
    memset(tail, 0, sizeof(tail));
    if (rest > 0) {
        memcpy(tail, data + 64u * full, rest);
    }
    tail[rest] = 0x80;
    size_t tlen = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8u;
    for (unsigned i = 0; i < 8; i++) {
        tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    sha1_block(h, tail);
    if (tlen == 128) {
        sha1_block(h, tail + 64);
    }
    for (unsigned i = 0; i < 5; i++) {
        snprintf(out + 8 * i, 9, "%08x", h[i]);
    }
}

/* ---- REPLAY lines ---- */

void fz_set_input(const uint8_t *data, size_t len)
{
    cur_data = data;
    cur_len = len;
}

void fz_set_input_path(const char *path)
{
    cur_path = path;
}

static void print_replay(void)
{
    if (reported) {
        return;
    }
    reported = 1;
    char file[4200];
    if (cur_path != NULL) {
        snprintf(file, sizeof(file), "%s", cur_path);
    } else {
        char sha[41] = "unknown";
        if (cur_data != NULL || cur_len == 0) {
            fz_sha1_hex(cur_data != NULL ? cur_data : (const uint8_t *)"", cur_len, sha);
        }
        snprintf(file, sizeof(file), "%scrash-%s", artifact_prefix, sha);
    }
    fprintf(stderr, "REPLAY: build/asan/fuzz/fuzz_%s_replay %s%s\n", fz_target_name,
            fz_replay_flags, file);
    if (fz_target_has_trace() == 2) {
        /* The input is a trace already. */
        fprintf(stderr, "REPLAY: build/asan/cli/sdei-sim replay %s\n", file);
    } else if (fz_target_has_trace()) {
        fprintf(stderr,
                "REPLAY: build/asan/fuzz/fuzz2trace --target %s %s%s > "
                "spec-traces/fuzz/%s-<name>.trace\n",
                fz_target_name, fz_f2t_flags, file, fz_target_name);
    }
    fflush(stderr);
}

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sdei-fuzz: %s: ", fz_target_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_replay();
    abort();
}

static void on_sanitizer_death(void)
{
    print_replay();
}

static void on_signal(int sig)
{
    /* Async-signal context: only a short report, then the default action
     * (the engine's own handler, or a core). */
    static const char head[] = "sdei-fuzz: fatal signal (a model SDEI_ASSERT traps)\n";
    if (!reported) {
        ssize_t w = write(2, head, sizeof(head) - 1);
        (void)w;
    }
    print_replay();
    signal(sig, SIG_DFL);
    raise(sig);
}

const char *fz_option(const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < opt_argc; i++) {
        const char *a = opt_argv[i];
        if (strncmp(a, "--", 2) == 0 && strncmp(a + 2, name, n) == 0 && a[2 + n] == '=') {
            return a + 3 + n;
        }
    }
    char env[64] = "SDEI_FUZZ_";
    size_t k = strlen(env);
    for (size_t i = 0; i < n && k + 1 < sizeof(env); i++) {
        char c = name[i];
        env[k++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c == '-' ? '_' : c;
    }
    env[k] = '\0';
    return getenv(env);
}

void fz_engine_init(int *argc, char ***argv, int standalone)
{
    if (argc != NULL && argv != NULL) {
        opt_argc = *argc;
        opt_argv = *argv;
    }
    if (__sanitizer_set_death_callback != NULL) {
        __sanitizer_set_death_callback(on_sanitizer_death);
    }
    if (standalone) {
        /* Speed does not matter here: every invariant after every record.
         * SDEI_FUZZ_ENGINE_CHECKS=1: the engine's checks, to measure the cost
         * of an input as libFuzzer runs it (scripts/bench_compare). */
        fz_full_check_always = getenv("SDEI_FUZZ_ENGINE_CHECKS") == NULL;
        /* Without an engine, nobody else reports a trap or a segfault. */
        signal(SIGILL, on_signal);
        signal(SIGTRAP, on_signal);
        signal(SIGSEGV, on_signal);
        signal(SIGBUS, on_signal);
        signal(SIGFPE, on_signal);
        signal(SIGABRT, on_signal);
        return;
    }
    /* libFuzzer: remember -artifact_prefix= and a single input file given
     * on the command line (running one crash file). */
    int files = 0;
    const char *file = NULL;
    for (int i = 1; argc != NULL && argv != NULL && i < *argc; i++) {
        const char *a = (*argv)[i];
        if (strncmp(a, "-artifact_prefix=", 17) == 0) {
            artifact_prefix = a + 17;
        } else if (a[0] != '-') {
            files++;
            file = a;
        }
    }
    if (files == 1 && access(file, R_OK) == 0) {
        /* A directory is a corpus, not the failing input. */
        FILE *fp = fopen(file, "rb");
        if (fp != NULL) {
            char c;
            if (fread(&c, 1, 1, fp) == 1 || feof(fp)) {
                cur_path = file;
            }
            fclose(fp);
        }
    }
    /* libFuzzer installs its own signal handlers and death callback after
     * this point: for a trap or a sanitizer report it writes the crash file
     * and scripts/fuzz prints the REPLAY lines by running the replayer. */
}

#ifndef FZ_STANDALONE
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fz_engine_init(argc, argv, 0);
    return 0;
}
#endif
