/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_replay_main.c - the standalone replayer: runs every file of a corpus
 * directory (or the files given) through a target without a fuzzing engine,
 * so that every CI replays the corpus under gcc and it counts for coverage
 * (STYLE habits 9, 10).
 *
 * Usage: fuzz_<target>_replay [-v] DIR|FILE...
 * Exit 0 when every input ran; a finding aborts with its REPLAY line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_engine.h"

/* Inputs larger than this are cut, as libFuzzer's -max_len would. */
#define REPLAY_MAX_INPUT (4u * 1024u * 1024u)

static int verbose;
static unsigned long ran;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t *buf = malloc(REPLAY_MAX_INPUT);
    if (buf == NULL) {
        fclose(f);
        fprintf(stderr, "replay: out of memory\n");
        return -1;
    }
    size_t len = fread(buf, 1, REPLAY_MAX_INPUT, f);
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        fprintf(stderr, "replay: %s: read error\n", path);
        return -1;
    }
    if (verbose) {
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    }
    /* An exact-size copy, so that ASan sees reads past the input's end. */
    uint8_t *copy = malloc(len > 0 ? len : 1);
    if (copy == NULL) {
        free(buf);
        return -1;
    }
    memcpy(copy, buf, len);
    free(buf);
    fz_set_input_path(path);
    (void)LLVMFuzzerTestOneInput(copy, len);
    fz_set_input_path(NULL);
    free(copy);
    ran++;
    return 0;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return run_file(path);
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, name_cmp);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.' && rc == 0) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *full = malloc(len);
            if (full == NULL) {
                rc = -1;
            } else {
                snprintf(full, len, "%s/%s", path, name);
                struct stat fst;
                if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode)) {
                    rc = run_file(full);
                }
                free(full);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    fz_engine_init(&argc, &argv, 1);
    int paths = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
            continue;
        }
        if (argv[i][0] == '-') {
            continue; /* libFuzzer flags are accepted and ignored */
        }
        paths++;
        if (run_path(argv[i]) != 0) {
            return 2;
        }
    }
    if (paths == 0) {
        fprintf(stderr, "usage: %s [-v] DIR|FILE...\n", argv[0]);
        return 2;
    }
    printf("%s: %lu inputs replayed, no finding\n", argv[0], ran);
    return 0;
}
