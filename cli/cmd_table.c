/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_table.c - `sdei-sim table`: the model's state x action table
 * (sdei_state_table) as Markdown with the rule of each cell, or as a
 * Graphviz DOT state diagram.
 */
#include <stdio.h>

#include "cli.h"
#include "names.h"
#include "sdei/sdei_model.h"

static const struct option table_options[] = {
    {"dot", no_argument, NULL, 'd'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage_table(void)
{
    puts("usage: sdei-sim table [--dot]\n"
         "Prints the state x action table of the model (the rule of each cell) as\n"
         "Markdown, or as a Graphviz DOT state diagram.\n"
         "\nOptions:\n"
         "  --dot       Graphviz DOT instead of Markdown\n"
         "  -h, --help  this text\n"
         "\nExit status: 0 ok, 3 bad option.");
}

static const char *cell_text(const sdei_table_cell *c, unsigned act, char *buf, size_t n)
{
    const char *res = act == SDEI_ACT_TRIGGER
                          ? (c->result == SDEI_TRIGGER_PENDING ? "pending" : "dropped")
                          : sim_result_name(c->result);
    if (c->kind == SDEI_CELL_TRANSITION) {
        snprintf(buf, n, "→%s %s", sdei_state_name((sdei_event_state)c->next),
                 res != NULL ? res : "?");
    } else {
        snprintf(buf, n, "%s%s%s", res != NULL ? res : "?", c->next != 0xFF ? " →" : "",
                 c->next != 0xFF ? sdei_state_name((sdei_event_state)c->next) : "");
    }
    return buf;
}

static void print_dot(void)
{
    printf("digraph sdei {\n  rankdir=LR;\n  node [shape=box];\n");
    for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
        printf("  %s [label=\"%s\\n%s\"];\n", sdei_state_name((sdei_event_state)s),
               sdei_state_name((sdei_event_state)s), sdei_state_spec_name((sdei_event_state)s));
    }
    for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
        for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
            const sdei_table_cell *c = &sdei_state_table[s][a];
            if (c->next >= SDEI_STATE_COUNT || (c->next == s && c->kind != 0)) {
                continue;
            }
            if (c->next == s && c->kind == SDEI_CELL_TRANSITION) {
                continue; /* "ok" self loops would clutter the diagram */
            }
            printf("  %s -> %s [label=\"%s\"];\n", sdei_state_name((sdei_event_state)s),
                   sdei_state_name((sdei_event_state)c->next), sdei_action_name((sdei_action)a));
        }
    }
    printf("}\n");
}

static void print_markdown(void)
{
    char buf[64];
    printf("| state |");
    for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
        printf(" %s |", sdei_action_name((sdei_action)a));
    }
    printf("\n| --- |");
    for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
        printf(" --- |");
    }
    printf("\n");
    for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
        printf("| %s (%s) |", sdei_state_name((sdei_event_state)s),
               sdei_state_spec_name((sdei_event_state)s));
        for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
            printf(" %s |", cell_text(&sdei_state_table[s][a], a, buf, sizeof(buf)));
        }
        printf("\n");
    }
    printf("\nRules per cell:\n\n");
    for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
        for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
            const sdei_table_cell *c = &sdei_state_table[s][a];
            printf("- %s × %s: %s\n", sdei_state_name((sdei_event_state)s),
                   sdei_action_name((sdei_action)a), c->rule != NULL ? c->rule : "");
        }
    }
}

int cmd_table(int argc, char **argv)
{
    int dot = 0, c, rc = -1;
    while (rc < 0 && (c = cli_getopt(argc, argv, table_options, "table", &rc)) != -1) {
        if (c == 'h') {
            usage_table();
            return SIM_EXIT_OK;
        }
        dot |= c == 'd';
    }
    if (rc >= 0) {
        return rc;
    }
    if (optind < argc) {
        return cli_usage_error("table", "table: unexpected argument '%s'", argv[optind]);
    }
    if (dot) {
        print_dot();
    } else {
        print_markdown();
    }
    return SIM_EXIT_OK;
}
