/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - what the sdei-sim commands share: one file per command (cmd_*.c),
 * the dispatcher in main.c, option and file helpers in cli_common.c.
 *
 * Conventions (GNU coding standards, "Command-Line Interfaces"): long options
 * take "--name=value" or "--name value"; --help prints to stdout and exits 0;
 * a usage error prints "sdei-sim: WHAT" and "Try 'sdei-sim COMMAND --help'."
 * on stderr and exits 3; an I/O error names the file and strerror(errno).
 * Exit codes: README.md, "Exit codes" (enum sim_exit in replay.h, plus
 * CLI_EXIT_LINT: 6 is taken by SIM_EXIT_FINDING).
 */
#ifndef SDEI_CLI_H
#define SDEI_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "replay.h"

/* blob lint: the blobs hold findings (the file itself was read fine). */
#define CLI_EXIT_LINT 7

int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_blob(int argc, char **argv);
int cmd_table(int argc, char **argv);

/* "sdei-sim: WHAT\nTry 'sdei-sim CMD --help'.\n" on stderr; returns 3. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* getopt_long over argv[0..argc) (argv[0] is the command name), with opterr
 * off: returns the option's val, or -1 at the end; an unknown option, a
 * missing or unexpected value becomes a usage error (*rc = 3, returns '?'). */
int cli_getopt(int argc, char **argv, const struct option *opts, const char *cmd, int *rc);

/* A number (decimal or 0x-hex, no sign) in [min, max], else -1. */
int cli_parse_num(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* --findings=stop|report: the kernel target's policy (a no-op without one);
 * -1 for another value. */
int cli_findings_policy(const char *v);

/* The implementation --target=NAME names, or an exit code: for kvm one line
 * each for no /dev/kvm (8), no permission (9), not arm64 or no kvm target in
 * this build (10) (docs/kvm-target.md); an unknown name is a usage error. */
int cli_pick_target(const char *cmd, const char *name, const sim_impl_ops **out);

/* A whole file in memory (at most CLI_FILE_MAX bytes). */
typedef struct cli_file {
    uint8_t *p;
    size_t n;
} cli_file;

#define CLI_FILE_MAX (64u * 1024u * 1024u)

/* 0, or an exit code after one line "PATH: what: strerror" on err. */
int cli_read_file(const char *path, cli_file *b, FILE *err);

/* Seconds on the monotonic clock (durations for --stats and reports). */
double cli_now_s(void);

#endif /* SDEI_CLI_H */
