/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * replay.h - re-execute a trace and compare every result, check and blob.
 */
#ifndef SIM_REPLAY_H
#define SIM_REPLAY_H

#include <stdint.h>
#include <stdio.h>

#include "impl.h"

/* Exit codes of sdei-sim, one per failure class (STYLE habit 6). */
enum sim_exit {
    SIM_EXIT_OK = 0,
    SIM_EXIT_DIVERGENCE = 1,
    SIM_EXIT_INVARIANT = 2,
    SIM_EXIT_BAD_INPUT = 3,
    SIM_EXIT_IO = 4,
    SIM_EXIT_UNREACHED = 5, /* --require-all: a "sometimes" target was never reached */
    SIM_EXIT_FINDING = 6    /* the implementation under test failed: a memory error, a
                               lock error or a hang of kernel code (impl.h) */
};

/* A bounded line reader over a FILE: lines longer than `max` are reported,
 * never truncated silently. */
typedef struct sim_reader {
    FILE *f;
    char *buf;
    size_t cap, len, pos, max;
    int eof, error;
    uint64_t lineno;
} sim_reader;

int sim_reader_open(sim_reader *r, FILE *f, size_t max);
/* Next line (NUL-terminated, newline stripped) in *line. Returns 1 for a line,
 * 0 at end of file, -1 if the line is too long (*line unset), -2 on a read
 * error. */
int sim_reader_next(sim_reader *r, char **line);
void sim_reader_close(sim_reader *r);

typedef struct sim_replay_stats {
    uint64_t lines;
    uint64_t actions;
    uint64_t results;
    uint64_t checks;
    uint64_t unavailable;  /* actions the implementation could not take */
    uint64_t unobservable; /* checks it could not observe */
} sim_replay_stats;

/* Replays `path` (name used in messages; "-" = stdin). Diagnostics go to err.
 * Returns a sim_exit code. */
int sim_replay_file(const char *path, FILE *err, int quiet, sim_replay_stats *st);
/* The same against any implementation (impl.h), with SIM_REPLAY_* flags. */
#define SIM_REPLAY_QUIET 1 /* no "ok" line on err (the `quiet` of sim_replay_file) */
/* Every action needs its result line ('< ...'; setreg has none): an action
 * without one is bad input (sdei-sim replay --strict, golden traces). */
#define SIM_REPLAY_STRICT 2
int sim_replay_file_on(const sim_impl_ops *impl, const char *path, FILE *err, int flags,
                       sim_replay_stats *st);
/* The same, and records to rec (when not NULL) a trace of what the
 * implementation did: the header, then each action with its actual result
 * (up to and including a diverging one); checks and comments are not copied.
 * A write error is SIM_EXIT_IO. */
int sim_replay_file_record(const sim_impl_ops *impl, const char *path, FILE *err, int flags,
                           FILE *rec, sim_replay_stats *st);

/* --explain: replays path on the model once per quirk, that quirk switched
 * relative to the trace's header, and prints each quirk with which the trace
 * passes, or "unexplained" (DESIGN §7). Returns the number of quirks that
 * explain it, or -1 on an I/O error. */
int sim_replay_explain(const char *path, FILE *out);

#endif /* SIM_REPLAY_H */
