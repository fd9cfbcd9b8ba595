/* SPDX-License-Identifier: BSD-3-Clause */
/* replay.c - re-execute a trace, stop at the first divergence (STYLE habit 8). */
#include "replay.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "trace.h"
#include "vars.h"

int sim_reader_open(sim_reader *r, FILE *f, size_t max)
{
    memset(r, 0, sizeof(*r));
    r->f = f;
    r->max = max;
    r->cap = 1u << 16;
    r->buf = malloc(r->cap + 1);
    return r->buf != NULL ? 0 : -1;
}

void sim_reader_close(sim_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Buffer holds [pos, len); lines are found in place and NUL-terminated. */
int sim_reader_next(sim_reader *r, char **line)
{
    for (;;) {
        char *start = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        char *nl = avail != 0 ? memchr(start, '\n', avail) : NULL;
        if (nl != NULL) {
            *nl = '\0';
            r->pos += (size_t)(nl - start) + 1;
            r->lineno++;
            if ((size_t)(nl - start) > r->max) {
                return -1;
            }
            *line = start;
            return 1;
        }
        if (r->eof) {
            if (avail == 0) {
                return 0;
            }
            /* Last line without a newline. */
            start[avail] = '\0';
            r->pos = r->len;
            r->lineno++;
            if (avail > r->max) {
                return -1;
            }
            *line = start;
            return 1;
        }
        /* Move the partial line to the front, grow if needed, read more. */
        if (r->pos != 0) {
            memmove(r->buf, start, avail);
            r->len = avail;
            r->pos = 0;
        }
        if (r->len == r->cap) {
            if (r->cap > r->max + 1) {
                /* The current line already exceeds the limit: skip to its end. */
                r->len = 0;
                for (;;) {
                    int c = getc(r->f);
                    if (c == EOF) {
                        r->eof = 1;
                        break;
                    }
                    if (c == '\n') {
                        break;
                    }
                }
                r->lineno++;
                return -1;
            }
            size_t ncap = r->cap * 2;
            char *nb = realloc(r->buf, ncap + 1);
            if (nb == NULL) {
                r->error = 1;
                return -2;
            }
            r->buf = nb;
            r->cap = ncap;
        }
        size_t got = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
        r->len += got;
        if (got == 0) {
            if (ferror(r->f)) {
                r->error = 1;
                return -2;
            }
            r->eof = 1;
        }
    }
}

typedef struct replay_ctx {
    const sim_impl_ops *impl; /* the implementation under test */
    const char *path;
    FILE *err;
    int have_target;
    uint8_t *store;  /* parsed action/check data */
    uint8_t *store2; /* parsed expected-result data */
    sim_action act;
    sim_result actual;
    uint64_t act_line; /* line of the last action, 0 when consumed */
    int strict;        /* SIM_REPLAY_STRICT */
    char act_text[200];
    uint64_t quirk_flip; /* --explain: quirks switched relative to the header */
    uint64_t mig_line;   /* a migration that failed, until its result line */
    char mig_err[256];
    FILE *rec; /* the recording, or NULL */
    char *rec_buf;
    /* Not cleared per file, each written before it is read: 8 KiB that libc
     * clears a byte per instruction, 4 % of a fuzz traces input (issue 9). */
    sim_target t;        /* by sim_target_init_impl, then have_target */
    sim_syms xa, xr, xc; /* by each parse (syms_begin): the symbols of the last
                          * action, result, check */
    sim_vars vars;       /* names captured so far (vars.n cleared) */
} replay_ctx;

/* The result fields a recording keeps: what the implementation returned to
 * the guest, nothing it cannot observe (a real kernel's priority). */
static uint32_t recorded_fields(const sim_result *r)
{
    const uint32_t regs = SIM_F_X0 | SIM_F_X1 | SIM_F_X2 | SIM_F_X3 | SIM_F_PC | SIM_F_PSTATE;
    switch (r->kind) {
    case SIM_R_RET:
    case SIM_R_NOTSDEI:
    case SIM_R_NORESULT:
        return regs;
    case SIM_R_COMPLETED:
        return regs | SIM_F_NUM;
    case SIM_R_ENTERED:
        return regs | SIM_F_NUM | SIM_F_PREEMPTED | SIM_F_ELR | SIM_F_SPSR;
    default:
        return r->fields;
    }
}

/* Appends the action and its actual result to the recording. */
static void record(replay_ctx *c)
{
    if (c->rec == NULL) {
        return;
    }
    size_t n = sim_format_action(c->rec_buf, &c->act);
    if (c->act.kind != SIM_A_SETREG && c->actual.kind != SIM_R_UNAVAILABLE) {
        sim_result rr = c->actual;
        rr.fields = recorded_fields(&rr);
        n += sim_format_result(c->rec_buf + n, &rr);
    }
    fwrite(c->rec_buf, 1, n, c->rec);
}

static int bad_input(replay_ctx *c, uint64_t line, const char *msg)
{
    fprintf(c->err, "%s:%llu: %s\n", c->path, (unsigned long long)line, msg);
    return SIM_EXIT_BAD_INPUT;
}

static int divergence_footer(replay_ctx *c, uint64_t line)
{
    sim_dump_state(c->err, &c->t, c->act.vcpu);
    fprintf(c->err, "REPLAY: sdei-sim replay %s   (stops at line %llu)\n", c->path,
            (unsigned long long)line);
    return SIM_EXIT_DIVERGENCE;
}

/* Under --strict, an action still waiting for its result line is bad input
 * (setreg has no result: docs/trace-format.md). */
static int missing_result(replay_ctx *c)
{
    if (!c->strict || c->act_line == 0 || c->act.kind == SIM_A_SETREG) {
        return 0;
    }
    char msg[300];
    snprintf(msg, sizeof(msg), "expected a result line '< ...' for this action (--strict): %.200s",
             c->act_text);
    return bad_input(c, c->act_line, msg);
}

/* The first cap - 1 bytes of line, for a later message (a plain copy: an
 * snprintf per action was a fifth of replay's time, issue 9). */
static void keep_text(char *dst, size_t cap, const char *line)
{
    const char *end = memchr(line, '\0', cap - 1);
    size_t n = end != NULL ? (size_t)(end - line) : cap - 1;
    memcpy(dst, line, n);
    dst[n] = '\0';
}

/* Each line handler returns 0 to go on, or the exit code that ends the replay. */

static int on_header(replay_ctx *c, const char *p, uint64_t lineno)
{
    sim_header h;
    sim_parse_err pe;
    char msg[256];
    if (sim_parse_header(p, &h, &pe) != 0) {
        return bad_input(c, lineno, pe.msg);
    }
    sdei_config cfg = sim_header_config(&h);
    if (c->quirk_flip != 0) {
        uint64_t base = h.quirks_override ? h.quirks : sdei_profile_quirks(h.profile);
        cfg.quirks_override = 1;
        cfg.quirks = base ^ c->quirk_flip;
    }
    if (sim_target_init_impl(&c->t, c->impl, &cfg, msg, sizeof(msg)) != 0) {
        return bad_input(c, lineno, msg);
    }
    c->have_target = 1;
    if (c->rec != NULL) {
        size_t n = sim_format_header(c->rec_buf, &h);
        fprintf(c->rec, "# recorded on %s from %s\n", c->impl->name, c->path);
        fwrite(c->rec_buf, 1, n, c->rec);
    }
    return 0;
}

static int on_action(replay_ctx *c, const char *p, uint64_t lineno, sim_replay_stats *st)
{
    sim_parse_err pe;
    char msg[256];
    int rc = missing_result(c);
    if (rc != 0) {
        return rc;
    }
    if (sim_parse_action(p, &c->act, &c->xa, c->store, SIM_TRACE_MAX_DATA, &pe) != 0) {
        return bad_input(c, lineno, pe.msg);
    }
    if (sim_vars_action(&c->vars, &c->act, msg, sizeof(msg)) != 0) {
        return bad_input(c, lineno, msg);
    }
    rc = sim_exec(&c->t, &c->act, &c->actual, msg, sizeof(msg));
    if (rc == SIM_IMPL_FINDING) {
        fprintf(c->err, "%s:%llu: finding: %s failed: %s\n", c->path, (unsigned long long)lineno,
                c->impl->name, msg);
        return SIM_EXIT_FINDING;
    }
    if (rc != 0) {
        return bad_input(c, lineno, msg);
    }
    if (c->act.kind == SIM_A_MIGRATE && c->actual.kind == SIM_R_ERR) {
        /* A refused migration (the VM stays on the source, as a VMM's would)
         * is a result like any other: `< err 13` expects it, e.g. a kvm-v5
         * route_mode the kernel cannot restore either. */
        c->mig_line = lineno;
        snprintf(c->mig_err, sizeof(c->mig_err), "%s", msg);
    }
    record(c);
    c->act_line = lineno;
    keep_text(c->act_text, sizeof(c->act_text), p);
    st->actions++;
    return 0;
}

static int on_result(replay_ctx *c, const char *p, uint64_t lineno, sim_replay_stats *st)
{
    sim_result exp;
    sim_parse_err pe;
    char msg[256];
    if (c->act_line == 0) {
        return bad_input(c, lineno, "expected an action line '> ...' before this result line");
    }
    if (sim_parse_result(p, &exp, &c->xr, c->store2, SIM_TRACE_MAX_DATA, &pe) != 0) {
        return bad_input(c, lineno, pe.msg);
    }
    if (sim_vars_result(&c->vars, &exp, &c->actual, msg, sizeof(msg)) != 0) {
        return bad_input(c, lineno, msg);
    }
    st->results++;
    /* An action this implementation cannot take (v6's kernel has no VMM
     * commands) is not a divergence: counted in the target. */
    if (c->actual.kind != SIM_R_UNAVAILABLE && sim_result_compare(NULL, &exp, &c->actual) != 0) {
        fprintf(c->err,
                "%s:%llu: divergence: the result of line %llu differs\n"
                "  action:   %s\n  expected: %.200s\n",
                c->path, (unsigned long long)lineno, (unsigned long long)c->act_line, c->act_text,
                p);
        (void)sim_result_compare(c->err, &exp, &c->actual);
        if (c->mig_line != 0) {
            fprintf(c->err, "  migration failed: %s\n", c->mig_err);
        }
        return divergence_footer(c, lineno);
    }
    c->act_line = 0;
    c->mig_line = 0;
    return 0;
}

static int on_check(replay_ctx *c, const char *p, uint64_t lineno, sim_replay_stats *st)
{
    sim_check chk;
    sim_parse_err pe;
    char msg[256];
    if (sim_parse_check(p, &chk, &c->xc, c->store, SIM_TRACE_MAX_DATA, &pe) != 0) {
        return bad_input(c, lineno, pe.msg);
    }
    if (sim_vars_check(&c->vars, &chk, msg, sizeof(msg)) != 0) {
        return bad_input(c, lineno, msg);
    }
    st->checks++;
    int r = sim_check_eval(&c->t, &chk, NULL, msg, sizeof(msg));
    if (r == SIM_CHECK_UNOBSERVABLE) {
        return 0; /* counted in the target; the summary says how many */
    }
    if (r < 0) {
        return bad_input(c, lineno, msg);
    }
    if (r > 0) {
        fprintf(c->err, "%s:%llu: divergence: check failed: %.120s\n", c->path,
                (unsigned long long)lineno, p);
        (void)sim_check_eval(&c->t, &chk, c->err, msg, sizeof(msg));
        return divergence_footer(c, lineno);
    }
    return 0;
}

static int failed_migration(replay_ctx *c)
{
    fprintf(c->err, "%s:%llu: divergence: migration failed: %s\n", c->path,
            (unsigned long long)c->mig_line, c->mig_err);
    return divergence_footer(c, c->mig_line);
}

/* One line that is neither blank nor a comment. */
static int on_line(replay_ctx *c, const char *p, uint64_t lineno, sim_replay_stats *st)
{
    if (!c->have_target) {
        return on_header(c, p, lineno);
    }
    if (c->mig_line != 0 && *p != '<') {
        return failed_migration(c); /* a failed migration nobody expected */
    }
    switch (*p) {
    case '>':
        return on_action(c, p, lineno, st);
    case '<':
        return on_result(c, p, lineno, st);
    case '=':
        return on_check(c, p, lineno, st);
    default:
        return bad_input(c, lineno,
                         "expected a line starting with '>' (action), '<' "
                         "(result), '=' (check) or '#' (comment)");
    }
}

/* After the last line: what is still open, and the summary. */
static int finish(replay_ctx *c, uint64_t lineno, int quiet, sim_replay_stats *st)
{
    int rc;
    if (c->mig_line != 0) {
        return failed_migration(c);
    }
    if ((rc = missing_result(c)) != 0) {
        return rc;
    }
    if (!c->have_target) {
        return bad_input(c, lineno,
                         "expected the header 'sdei-trace 1 profile=NAME vcpus=N' "
                         "(the file has none)");
    }
    st->unavailable = c->t.unavailable;
    st->unobservable = c->t.unobservable;
    if (!quiet) {
        fprintf(c->err, "%s: ok (%llu lines, %llu actions, %llu results, %llu checks)\n", c->path,
                (unsigned long long)st->lines, (unsigned long long)st->actions,
                (unsigned long long)st->results, (unsigned long long)st->checks);
    }
    if (st->unavailable != 0 || st->unobservable != 0) {
        fprintf(c->err, "%s: on %s: %llu actions not available, %llu checks not observable\n",
                c->path, c->impl->name, (unsigned long long)st->unavailable,
                (unsigned long long)st->unobservable);
    }
    return SIM_EXIT_OK;
}

static int replay_stream(replay_ctx *c, FILE *in, int quiet, sim_replay_stats *st)
{
    sim_reader rd;
    char *line;
    int rc = 0;
    if (sim_reader_open(&rd, in, SIM_TRACE_MAX_LINE) != 0) {
        fprintf(c->err, "%s: out of memory\n", c->path);
        return SIM_EXIT_IO;
    }
    while (rc == 0) {
        int got = sim_reader_next(&rd, &line);
        if (got == 0) {
            break;
        }
        if (got == -2) {
            fprintf(c->err, "%s:%llu: read error: %s\n", c->path, (unsigned long long)rd.lineno + 1,
                    strerror(errno));
            rc = SIM_EXIT_IO;
            break;
        }
        if (got == -1) {
            char msg[96];
            snprintf(msg, sizeof(msg), "expected a line of at most %u bytes",
                     (unsigned)SIM_TRACE_MAX_LINE);
            rc = bad_input(c, rd.lineno, msg);
            break;
        }
        st->lines++;
        const char *p = line + strspn(line, " \t");
        if (*p != '\0' && *p != '#' && *p != '\r') {
            rc = on_line(c, p, rd.lineno, st);
        }
    }
    sim_reader_close(&rd);
    return rc != 0 ? rc : finish(c, rd.lineno, quiet, st);
}

int sim_replay_file(const char *path, FILE *err, int quiet, sim_replay_stats *st)
{
    return sim_replay_file_on(&sim_impl_model, path, err, quiet ? SIM_REPLAY_QUIET : 0, st);
}

int sim_replay_file_on(const sim_impl_ops *impl, const char *path, FILE *err, int flags,
                       sim_replay_stats *st)
{
    return sim_replay_file_record(impl, path, err, flags, NULL, st);
}

static int replay_file(const sim_impl_ops *impl, const char *path, FILE *err, int flags, FILE *rec,
                       uint64_t quirk_flip, sim_replay_stats *st);

int sim_replay_file_record(const sim_impl_ops *impl, const char *path, FILE *err, int flags,
                           FILE *rec, sim_replay_stats *st)
{
    return replay_file(impl, path, err, flags, rec, 0, st);
}

/* rule: DESIGN §7 - a divergence is reported with the quirk that explains it
 * (the trace passes with that quirk switched), or as unexplained. */
int sim_replay_explain(const char *path, FILE *out)
{
    FILE *devnull = fopen("/dev/null", "w");
    sim_replay_stats st;
    unsigned found = 0;
    if (devnull == NULL) {
        return -1;
    }
    for (unsigned q = 0; q < SDEI_QUIRK_COUNT; q++) {
        uint64_t bit = UINT64_C(1) << q;
        if (replay_file(&sim_impl_model, path, devnull, SIM_REPLAY_QUIET, NULL, bit, &st) ==
            SIM_EXIT_OK) {
            fprintf(out, "%s: explained: passes on the model with quirk %s switched (%s)\n", path,
                    sdei_quirk_table[q].name, sdei_quirk_table[q].rule);
            found++;
        }
    }
    fclose(devnull);
    if (found == 0) {
        fprintf(out,
                "%s: unexplained: no quirk switched on or off relative to the header "
                "makes it pass (a model bug or a missing quirk)\n",
                path);
    }
    return (int)found;
}

static int replay_file(const sim_impl_ops *impl, const char *path, FILE *err, int flags, FILE *rec,
                       uint64_t quirk_flip, sim_replay_stats *st)
{
    const int quiet = (flags & SIM_REPLAY_QUIET) != 0;
    replay_ctx c;
    FILE *in;
    int rc;
    memset(&c, 0, offsetof(replay_ctx, t));
    c.vars.n = 0;
    memset(st, 0, sizeof(*st));
    c.impl = impl;
    c.path = path;
    c.err = err;
    c.strict = (flags & SIM_REPLAY_STRICT) != 0;
    c.rec = rec;
    c.quirk_flip = quirk_flip;
    if (strcmp(path, "-") == 0) {
        in = stdin;
    } else {
        in = fopen(path, "rb");
        if (in == NULL) {
            fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
            return SIM_EXIT_IO;
        }
    }
    c.store = malloc(SIM_TRACE_MAX_DATA);
    c.store2 = malloc(SIM_TRACE_MAX_DATA);
    c.rec_buf = rec != NULL ? malloc(2u * sim_format_room(SIM_TRACE_MAX_DATA)) : NULL;
    if (c.store == NULL || c.store2 == NULL || (rec != NULL && c.rec_buf == NULL)) {
        fprintf(err, "%s: out of memory\n", path);
        rc = SIM_EXIT_IO;
    } else {
        rc = replay_stream(&c, in, quiet, st);
    }
    if (in != stdin) {
        fclose(in);
    }
    if (c.have_target) {
        sim_target_fini(&c.t);
    }
    free(c.store);
    free(c.store2);
    free(c.rec_buf);
    if (rec != NULL && rc != SIM_EXIT_IO && (fflush(rec) != 0 || ferror(rec))) {
        fprintf(err, "%s: cannot write the recording\n", path);
        rc = SIM_EXIT_IO;
    }
    return rc;
}
