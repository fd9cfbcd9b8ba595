/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: sim_parse_header, sim_parse_action, sim_parse_result, sim_parse_check,
 * sim_format_header, sim_format_action, sim_format_result, sim_replay_file (sim_reader_*,
 * sim_exec, sim_check_eval, sim_result_compare, sim_migrate). */
/*
 * fuzz_traces.c - target 4: arbitrary text to the trace parser and replayer.
 *
 * Every line goes to the parser of its kind; a line that parses is written
 * back with the trace writer and parsed again, and must give the same struct
 * and the same text (the format round-trips). Then the whole input is
 * replayed as a trace file: any exit code of sdei-sim is fine (divergence,
 * bad input), a crash or a sanitizer report is the finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_driver.h"
#include "fuzz_engine.h"
#include "replay.h"
#include "trace.h"

FZ_TARGET("traces", 2)

/* Inputs larger than this are cut (a long run replays nothing new). */
#define TRACE_MAX_INPUT (64u * 1024u)

static uint8_t store[4][SIM_TRACE_MAX_DATA];
static sim_syms syms[4];
static char text[2][SIM_TRACE_LINE_ROOM + 2u * SIM_TRACE_MAX_DATA + 64u];

static int same_action(const sim_action *a, const sim_action *b)
{
    if (a->kind != b->kind || a->call != b->call || a->keep_mask != b->keep_mask ||
        a->nregs != b->nregs || a->vcpu != b->vcpu || a->num != b->num || a->intid != b->intid ||
        a->vmm_cmd != b->vmm_cmd || a->has_count != b->has_count || a->data_len != b->data_len) {
        return 0;
    }
    if (a->kind == SIM_A_HVC) {
        if ((a->call == SDEI_CALL_ID_NONE && a->fid != b->fid) ||
            memcmp(a->arg, b->arg, sizeof(a->arg)) != 0) {
            return 0;
        }
    }
    if (a->kind == SIM_A_EXPOSE &&
        (a->type != b->type || a->priority != b->priority || a->signaled != b->signaled)) {
        return 0;
    }
    if (a->has_count && a->count != b->count) {
        return 0;
    }
    for (unsigned i = 0; i < a->nregs && i < SIM_TRACE_MAX_SETREG; i++) {
        if (a->reg[i] != b->reg[i] || a->val[i] != b->val[i]) {
            return 0;
        }
    }
    return a->data_len == 0 || memcmp(a->data, b->data, a->data_len) == 0;
}

static void check_line(char *line)
{
    sim_parse_err e;
    size_t n = strlen(line);
    if (n >= sizeof(text[0]) / 2) {
        return;
    }
    if (line[0] == '>') {
        sim_action a, b;
        if (sim_parse_action(line, &a, &syms[0], store[0], sizeof(store[0]), &e) != 0) {
            return;
        }
        size_t room = sim_format_room(a.data_len);
        if (room > sizeof(text[0])) {
            return;
        }
        sim_format_action(text[0], &a);
        text[0][strcspn(text[0], "\n")] = '\0';
        if (sim_parse_action(text[0], &b, &syms[1], store[1], sizeof(store[1]), &e) != 0) {
            fz_fail("trace format: the writer's action line does not parse: '%s' (from '%s'): %s",
                    text[0], line, e.msg);
        }
        if (!same_action(&a, &b)) {
            fz_fail("trace format: action '%s' reads back differently as '%s'", line, text[0]);
        }
        sim_format_action(text[1], &b);
        text[1][strcspn(text[1], "\n")] = '\0';
        if (strcmp(text[0], text[1]) != 0) {
            fz_fail("trace format: action written twice differs: '%s' / '%s'", text[0], text[1]);
        }
    } else if (line[0] == '<') {
        sim_result a, b;
        if (sim_parse_result(line, &a, &syms[2], store[2], sizeof(store[2]), &e) != 0) {
            return;
        }
        if (sim_format_room(a.data_len) > sizeof(text[0])) {
            return;
        }
        sim_format_result(text[0], &a);
        text[0][strcspn(text[0], "\n")] = '\0';
        if (sim_parse_result(text[0], &b, &syms[3], store[3], sizeof(store[3]), &e) != 0) {
            fz_fail("trace format: the writer's result line does not parse: '%s' (from '%s'): %s",
                    text[0], line, e.msg);
        }
        sim_format_result(text[1], &b);
        text[1][strcspn(text[1], "\n")] = '\0';
        if (strcmp(text[0], text[1]) != 0) {
            fz_fail("trace format: result '%s' reads back differently: '%s' / '%s'", line, text[0],
                    text[1]);
        }
    } else if (line[0] == '=') {
        sim_check a, b;
        if (sim_parse_check(line, &a, &syms[0], store[0], sizeof(store[0]), &e) != 0 ||
            sim_format_room(a.data_len) > sizeof(text[0])) {
            return;
        }
        sim_format_check(text[0], &a);
        text[0][strcspn(text[0], "\n")] = '\0';
        if (sim_parse_check(text[0], &b, &syms[1], store[1], sizeof(store[1]), &e) != 0) {
            fz_fail("trace format: the writer's check line does not parse: '%s' (from '%s'): %s",
                    text[0], line, e.msg);
        }
        sim_format_check(text[1], &b);
        text[1][strcspn(text[1], "\n")] = '\0';
        if (strcmp(text[0], text[1]) != 0) {
            fz_fail("trace format: check '%s' reads back differently: '%s' / '%s'", line, text[0],
                    text[1]);
        }
    } else if (strncmp(line, "sdei-trace", 10) == 0) {
        sim_header a, b;
        if (sim_parse_header(line, &a, &e) != 0) {
            return;
        }
        sim_format_header(text[0], &a);
        text[0][strcspn(text[0], "\n")] = '\0';
        if (sim_parse_header(text[0], &b, &e) != 0) {
            fz_fail("trace format: the writer's header does not parse: '%s' (from '%s'): %s",
                    text[0], line, e.msg);
        }
        sim_format_header(text[1], &b);
        text[1][strcspn(text[1], "\n")] = '\0';
        if (strcmp(text[0], text[1]) != 0) {
            fz_fail("trace format: header '%s' reads back differently: '%s' / '%s'", line, text[0],
                    text[1]);
        }
    }
}

static char tmp_path[64];
static FILE *devnull;

static void remove_tmp(void)
{
    if (tmp_path[0] != '\0') {
        (void)remove(tmp_path);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_set_input(data, size);
    if (size > TRACE_MAX_INPUT) {
        size = TRACE_MAX_INPUT;
    }
    /* 1. Line by line through the parsers and the writer. */
    char *copy = malloc(size + 1);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size);
    copy[size] = '\0';
    for (char *line = copy; line != NULL && line < copy + size;) {
        char *nl = memchr(line, '\n', (size_t)(copy + size - line));
        if (nl != NULL) {
            *nl = '\0';
        }
        check_line(line);
        line = nl != NULL ? nl + 1 : NULL;
    }
    free(copy);

    /* 2. The whole text as a trace file. */
    if (tmp_path[0] == '\0') {
        snprintf(tmp_path, sizeof(tmp_path), "/tmp/sdei-fuzz-traces-%ld.trace", (long)getpid());
        devnull = fopen("/dev/null", "w");
        atexit(remove_tmp);
    }
    FILE *f = fopen(tmp_path, "wb");
    if (f == NULL || devnull == NULL) {
        if (f != NULL) {
            fclose(f);
        }
        return 0;
    }
    size_t w = fwrite(data, 1, size, f);
    fclose(f);
    if (w != size) {
        return 0;
    }
    sim_replay_stats st;
    memset(&st, 0, sizeof(st));
    int rc = sim_replay_file(tmp_path, devnull, 1, &st);
    if (rc < SIM_EXIT_OK || rc > SIM_EXIT_UNREACHED) {
        fz_fail("sim_replay_file returned %d, not a sim_exit code", rc);
    }
    return 0;
}
