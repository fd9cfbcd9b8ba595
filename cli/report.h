/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.h - the machine-readable report of `sdei-sim replay --report=FILE`
 * and `sdei-sim blob lint --report=FILE`: JUnit XML (the schema CI systems
 * read: Jenkins, GitLab, GitHub actions), one <testcase> per file checked.
 * One writer for every command (README "CI reports").
 */
#ifndef SDEI_CLI_REPORT_H
#define SDEI_CLI_REPORT_H

#include <stdio.h>

typedef struct cli_report cli_report;

/* Opens path for writing (the file is created at once, so that an unwritable
 * path is an I/O error before any work); suite names the testsuite
 * ("sdei-sim replay"). NULL after one line "PATH: strerror" on stderr. */
cli_report *cli_report_open(const char *path, const char *suite);

/* One testcase: name (a file), its time, and for a failure (kind != NULL)
 * its type ("divergence", "lint", ...), one-line message and detail (the
 * whole diagnostic; may be NULL). Everything is XML-escaped here. */
void cli_report_case(cli_report *r, const char *name, double seconds, const char *kind,
                     const char *message, const char *detail);

/* Writes the file and frees r; 0, or SIM_EXIT_IO after one line on stderr. */
int cli_report_close(cli_report *r);

/* What a command prints about one file, kept for its report: the command
 * prints to d.f (a memory stream when capturing, else dest itself) and
 * cli_diag_take() returns the text after copying it to dest, where it would
 * have gone anyway. */
typedef struct cli_diag {
    FILE *f, *dest;
    char *buf;
    size_t len;
} cli_diag;

/* -1 when out of memory. */
int cli_diag_begin(cli_diag *d, int capture, FILE *dest);
/* The text written since cli_diag_begin (NUL-terminated; "" without
 * capture); free() it. NULL when out of memory. */
char *cli_diag_take(cli_diag *d);

/* The first line of text, and the first later line holding "actual" (the
 * expected/actual pair of a divergence), joined with "; " into buf. */
void cli_diag_summary(const char *text, char *buf, size_t len);

#endif /* SDEI_CLI_REPORT_H */
