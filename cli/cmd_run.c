/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_run.c - `sdei-sim run`: a random deterministic simulation (sim.c).
 * The run options come from the one table in sim/options.c; --json, --quiet
 * and --help are the command's own.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "names.h"
#include "options.h"
#include "sim.h"

enum { OPT_JSON = 1, OPT_QUIET, OPT_FINDINGS, OPT_TABLE = 256 };

static const struct option own_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"findings", required_argument, NULL, OPT_FINDINGS},
    {"help", no_argument, NULL, 'h'},
};
#define N_OWN (sizeof(own_options) / sizeof(own_options[0]))

static void usage_run(void)
{
    puts("usage: sdei-sim run [OPTION]...\n"
         "A random deterministic simulation of N vCPUs and a VMM with invariants checked\n"
         "after every step. Prints the seed and a REPLAY line (stderr) and a summary\n"
         "(stdout).\n"
         "\nOptions:");
    for (size_t i = 0; i < sim_option_count; i++) {
        const sim_option_desc *d = &sim_option_table[i];
        char word[64], text[256], names[128] = "";
        snprintf(word, sizeof(word), "--%s%s%s", d->name, d->arg ? "=" : "", d->arg ? d->arg : "");
        if (d->type == SIM_OPT_PROFILE) {
            sim_profile_names(names, sizeof(names));
        }
        if (d->type == SIM_OPT_U32 || (d->type == SIM_OPT_U64 && d->def != 0)) {
            snprintf(text, sizeof(text), "%s (default %" PRIu64 ")", d->help, d->def);
        } else {
            snprintf(text, sizeof(text), "%s%s%s", d->help, names[0] ? " " : "", names);
        }
        /* one line when it fits 80 columns, else the text on the next line */
        if (strlen(word) > 20 || 23 + strlen(text) > 80) {
            printf("  %s\n%23s%s\n", word, "", text);
        } else {
            printf("  %-20s %s\n", word, text);
        }
    }
    puts("  --findings=stop|report\n"
         "                       with --target=kernel: stop at a finding (default), or\n"
         "                       report each once and go on\n"
         "  --json               the summary as one JSON object on stdout\n"
         "  --quiet              no progress lines on stderr\n"
         "  -h, --help           this text\n"
         "\nExit status: 0 ok, 1 lockstep divergence (--target), 2 invariant failed,\n"
         "3 bad option, 4 I/O error, 5 a reachable 'sometimes' target never hit\n"
         "(--require-all), 6 a finding in the --target implementation; --target=kvm:\n"
         "8 no /dev/kvm, 9 no permission on it, 10 not an arm64 KVM or no kvm target.");
}

static uint64_t draw_seed(void)
{
    uint64_t s = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f != NULL) {
        if (fread(&s, sizeof(s), 1, f) != 1) {
            s = 0;
        }
        fclose(f);
    }
    if (s == 0) {
        s = (uint64_t)time(NULL) * UINT64_C(0x9E3779B97F4A7C15);
    }
    return s;
}

/* The getopt table: every run option of sim/options.c, then the command's own. */
static struct option *long_options(void)
{
    struct option *lo = calloc(sim_option_count + N_OWN + 1, sizeof(*lo));
    if (lo == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sim_option_count; i++) {
        const sim_option_desc *d = &sim_option_table[i];
        lo[i] = (struct option){d->name, d->type == SIM_OPT_FLAG ? no_argument : required_argument,
                                NULL, OPT_TABLE + (int)i};
    }
    memcpy(lo + sim_option_count, own_options, sizeof(own_options));
    return lo;
}

/* Parses argv into o; returns -1 to go on, else the exit code. */
static int parse_run(int argc, char **argv, sim_options *o, int *json, int *quiet)
{
    sim_option_state st = {0};
    struct option *lo = long_options();
    char msg[1536];
    int c, rc = -1;
    if (lo == NULL) {
        return SIM_EXIT_IO;
    }
    while (rc < 0 && (c = cli_getopt(argc, argv, lo, "run", &rc)) != -1) {
        if (c == 'h') {
            usage_run();
            rc = SIM_EXIT_OK;
        } else if (c == OPT_FINDINGS && cli_findings_policy(optarg) != 0) {
            rc = cli_usage_error("run", "run: --findings=%s: expected stop or report", optarg);
        } else if (c == OPT_JSON || c == OPT_QUIET) {
            *(c == OPT_JSON ? json : quiet) = 1;
        } else if (c >= OPT_TABLE && sim_option_set(o, &st, &sim_option_table[c - OPT_TABLE],
                                                    optarg, msg, sizeof(msg)) != 0) {
            rc = cli_usage_error("run", "%s", msg);
        }
    }
    free(lo);
    if (rc < 0 && optind < argc) {
        rc = cli_usage_error("run", "run: unexpected argument '%s'", argv[optind]);
    }
    if (rc < 0 && sim_options_finish(o, &st, msg, sizeof(msg)) != 0) {
        rc = cli_usage_error("run", "%s", msg);
    }
    if (rc < 0 && !st.have_seed) {
        o->seed = draw_seed();
    }
    return rc;
}

/* --target=kvm: no /dev/kvm, no permission, no kvm target in this build:
 * one line and replay's exit code (8, 9, 10), before any option is taken. */
static int probe_kvm(int argc, char **argv)
{
    const sim_impl_ops *impl;
    for (int i = 1; i < argc; i++) {
        int sep = strcmp(argv[i], "--target") == 0 && i + 1 < argc;
        if (strcmp(argv[i], "--target=kvm") == 0 || (sep && strcmp(argv[i + 1], "kvm") == 0)) {
            return cli_pick_target("run", "kvm", &impl);
        }
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    sim_options o;
    sim_summary s;
    int json = 0, quiet = 0;
    int pe = probe_kvm(argc, argv);
    if (pe != 0) {
        return pe;
    }
    sim_options_default(&o);
    int rc = parse_run(argc, argv, &o, &json, &quiet);
    if (rc >= 0) {
        return rc;
    }
    o.progress = !quiet;
    if (o.peer != NULL && !o.peer_compare) {
        fprintf(stderr,
                "lockstep: %s against profile %s: results not compared (no model "
                "profile of that code), findings and its own checks only\n",
                o.peer->name, sdei_profile_name(o.profile));
    }
    fprintf(stderr, "seed 0x%" PRIx64 "\n", o.seed);
    sim_options_print_replay(stderr, &o, o.steps);
    rc = sim_run(&o, &s, stderr);
    sim_print_summary(stdout, &o, &s, json);
    return rc;
}
