/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - the sdei-sim command-line tool: the dispatcher. Each command is
 * one file (cmd_run.c, cmd_replay.c, cmd_blob.c, cmd_table.c); conventions
 * and exit codes in cli.h and README.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef SDEI_SIM_VERSION
#define SDEI_SIM_VERSION "unknown"
#endif

static const char usage_main[] =
    "usage: sdei-sim COMMAND [OPTIONS]\n"
    "The reference model, deterministic simulator and blob tools for Arm SDEI as\n"
    "KVM/arm64 offers it.\n"
    "\n"
    "Commands:\n"
    "  run      random deterministic simulation with invariants\n"
    "  replay   replay trace files, compare every result and blob\n"
    "  blob     decode | diff | lint blob files or saved VMs\n"
    "  table    print the SDEI state table (Markdown, or --dot for Graphviz)\n"
    "  help     this text; 'sdei-sim COMMAND --help' for a command\n"
    "\n"
    "Options:\n"
    "  -h, --help     this text\n"
    "      --version  print the version and exit\n"
    "\n"
    "Exit status:\n"
    "  0 ok, 1 divergence, 2 invariant, 3 bad input or usage, 4 I/O,\n"
    "  5 unreached target (run --require-all), 6 finding (the implementation\n"
    "  under test itself failed), 7 lint findings (blob lint); --target=kvm:\n"
    "  8 no /dev/kvm, 9 no permission on it, 10 not an arm64 KVM or no kvm target\n";

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {"run", cmd_run},
    {"replay", cmd_replay},
    {"blob", cmd_blob},
    {"table", cmd_table},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        return cli_usage_error(NULL, "expected a command (run, replay, blob, table)");
    }
    const char *cmd = argv[1];
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(cmd, commands[i].name) == 0) {
            /* argv[0] of the command is its name: getopt starts after it */
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_main, stdout);
        return SIM_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("sdei-sim %s\n", SDEI_SIM_VERSION);
        return SIM_EXIT_OK;
    }
    if (cmd[0] == '-') {
        return cli_usage_error(NULL, "unknown option '%s'", cmd);
    }
    return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
