/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.c - JUnit XML reports (report.h) and the capture of a command's
 * diagnostics for them. The testcases are kept in memory until the end: the
 * <testsuite> element carries their counts before them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

struct cli_report {
    FILE *out; /* the report file, open since cli_report_open */
    const char *path;
    const char *suite;
    FILE *cases; /* the <testcase> elements so far (a memory stream) */
    char *buf;
    size_t len;
    unsigned tests, failures;
    double seconds;
};

/* The length of the well-formed UTF-8 sequence at s (1..4), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (s[0] >= 0xf8) {
        n = 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* s as XML character data or attribute value: markup characters as entities,
 * bytes XML 1.0 cannot hold (control characters, bytes that are not UTF-8) as
 * the text "\xNN". */
static void put_escaped(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        size_t n = 1;
        switch (*p) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\n':
        case '\t':
            fputc(*p, f);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && (n = utf8_len(p)) == 0)) {
                fprintf(f, "\\x%02x", *p);
                n = 1;
            } else {
                fwrite(p, 1, n, f);
            }
        }
        p += n;
    }
}

cli_report *cli_report_open(const char *path, const char *suite)
{
    cli_report *r = calloc(1, sizeof(*r));
    if (r == NULL || (r->cases = open_memstream(&r->buf, &r->len)) == NULL) {
        free(r);
        fprintf(stderr, "sdei-sim: %s: out of memory\n", path);
        return NULL;
    }
    if ((r->out = fopen(path, "w")) == NULL) {
        fprintf(stderr, "sdei-sim: cannot write %s: %s\n", path, strerror(errno));
        fclose(r->cases);
        free(r->buf);
        free(r);
        return NULL;
    }
    r->path = path;
    r->suite = suite;
    return r;
}

void cli_report_case(cli_report *r, const char *name, double seconds, const char *kind,
                     const char *message, const char *detail)
{
    r->tests++;
    r->seconds += seconds;
    fputs("    <testcase classname=\"", r->cases);
    put_escaped(r->cases, r->suite);
    fputs("\" name=\"", r->cases);
    put_escaped(r->cases, name);
    fprintf(r->cases, "\" time=\"%.3f\"", seconds);
    if (kind == NULL) {
        fputs("/>\n", r->cases);
        return;
    }
    r->failures++;
    fputs(">\n      <failure type=\"", r->cases);
    put_escaped(r->cases, kind);
    fputs("\" message=\"", r->cases);
    put_escaped(r->cases, message != NULL ? message : kind);
    fputs("\">", r->cases);
    put_escaped(r->cases, detail != NULL ? detail : "");
    fputs("</failure>\n    </testcase>\n", r->cases);
}

int cli_report_close(cli_report *r)
{
    int bad = fclose(r->cases) != 0;
    FILE *f = r->out;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"", f);
    put_escaped(f, r->suite);
    fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\" time=\"%.3f\">\n",
            r->tests, r->failures, r->seconds);
    if (!bad) {
        fwrite(r->buf, 1, r->len, f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    bad |= ferror(f) != 0;
    bad |= fclose(f) != 0;
    int rc = SIM_EXIT_OK;
    if (bad) {
        fprintf(stderr, "sdei-sim: cannot write %s: %s\n", r->path, strerror(errno));
        rc = SIM_EXIT_IO;
    }
    free(r->buf);
    free(r);
    return rc;
}

int cli_diag_begin(cli_diag *d, int capture, FILE *dest)
{
    d->buf = NULL;
    d->len = 0;
    d->dest = dest;
    d->f = capture ? open_memstream(&d->buf, &d->len) : dest;
    return d->f == NULL ? -1 : 0;
}

char *cli_diag_take(cli_diag *d)
{
    if (d->f == d->dest) {
        return strdup("");
    }
    fclose(d->f);
    d->f = NULL;
    if (d->buf != NULL) {
        fwrite(d->buf, 1, d->len, d->dest);
    }
    return d->buf != NULL ? d->buf : strdup("");
}

void cli_diag_summary(const char *text, char *buf, size_t len)
{
    size_t first = strcspn(text, "\n");
    const char *line = text + first, *actual = NULL;
    while (*line == '\n' && actual == NULL) {
        line++;
        size_t n = strcspn(line, "\n");
        const char *hit = strstr(line, "actual");
        if (hit != NULL && hit < line + n) {
            actual = line;
        }
        line += n;
    }
    if (actual == NULL) {
        snprintf(buf, len, "%.*s", (int)first, text);
        return;
    }
    actual += strspn(actual, " ");
    snprintf(buf, len, "%.*s; %.*s", (int)first, text, (int)strcspn(actual, "\n"), actual);
}
