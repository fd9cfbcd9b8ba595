/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * options.h - the run options of the simulator, one table (docs/simulator.md,
 * "Command line"). The same table parses `sdei-sim run`'s options, gives
 * their defaults and help, and serialises a run back into the options that
 * reproduce it: the REPLAY line, the trace's provenance comment and --json
 * all come from sim_options_format / sim_options_json, so none of them can
 * forget an option.
 */
#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

typedef enum sim_opt_type {
    SIM_OPT_FLAG,    /* int field set to 1, no value */
    SIM_OPT_U64,     /* uint64_t field, decimal or 0x-hex in [min, max] */
    SIM_OPT_U32,     /* uint32_t field, likewise */
    SIM_OPT_PROFILE, /* sdei_profile field, by name */
    SIM_OPT_QUIRKS,  /* +name,-name,... relative to the profile (quirks, quirks_override) */
    SIM_OPT_PATH,    /* const char * field */
    SIM_OPT_IMPL     /* const sim_impl_ops * field, by name (impl.h); "model" = NULL */
} sim_opt_type;

/* Printed in the replay command only when not the default (or always). */
#define SIM_OPT_REPLAY 1u /* changes what the run does: part of the replay command */
#define SIM_OPT_ALWAYS 2u /* printed even at its default (seed, vcpus, steps, profile) */
#define SIM_OPT_HEX 4u    /* printed in 0x-hex */

typedef struct sim_option_desc {
    const char *name; /* long option, without "--" */
    sim_opt_type type;
    size_t offset; /* of the field in sim_options */
    uint64_t min, max, def;
    unsigned flags;
    const char *arg;  /* the value's name in the help ("N", "FILE"), NULL for flags */
    const char *help; /* one line */
} sim_option_desc;

extern const sim_option_desc sim_option_table[];
extern const size_t sim_option_count;

/* What parsing collects before the options can be applied as a whole:
 * --quirks is relative to the profile, whatever the order on the line. */
typedef struct sim_option_state {
    const char *quirk_spec;
    int have_seed;
} sim_option_state;

/* The descriptor of option `name` (without "--"), or NULL. */
const sim_option_desc *sim_option_find(const char *name);

/* Sets one option from its text value (NULL for a flag). On a bad value
 * returns -1 with one line in msg ("--vcpus: expected 1..512, got '0'"). */
int sim_option_set(sim_options *o, sim_option_state *st, const sim_option_desc *d,
                   const char *value, char *msg, size_t n);

/* Applies what needs every option (--quirks against the final profile).
 * On an unknown quirk name returns -1 naming it and the valid names. */
int sim_options_finish(sim_options *o, const sim_option_state *st, char *msg, size_t n);

/* The quirks in force for the run (the profile's set or the override). */
uint64_t sim_options_quirks(const sim_options *o);

/* The options that reproduce the run with `steps` steps, as command-line text
 * ("--seed=0x2a --vcpus=8 --steps=1000 --profile=spec --hostile=0 ..."). Returns
 * the length it needed (snprintf-style; buf may be NULL when n is 0). */
size_t sim_options_format(const sim_options *o, uint64_t steps, char *buf, size_t n);

/* "REPLAY: sdei-sim run OPTIONS\n" */
void sim_options_print_replay(FILE *f, const sim_options *o, uint64_t steps);

/* JSON members (each preceded by a comma): "options":{...}, "quirks":[...]
 * (the names of the quirks in force: `quirks`, which --swarm may have drawn)
 * and "replay":"sdei-sim run ..." */
void sim_options_json(FILE *f, const sim_options *o, uint64_t steps, uint64_t quirks);

#endif /* SIM_OPTIONS_H */
