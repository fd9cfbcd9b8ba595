/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_engine.h - the glue between a target and its engine (libFuzzer,
 * AFL++'s libFuzzer driver, or the standalone replayer).
 */
#ifndef FUZZ_ENGINE_H
#define FUZZ_ENGINE_H

#include <stddef.h>
#include <stdint.h>

/* The entry point every target defines (libFuzzer's name). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* standalone = 1: the replayer, which installs its own signal handlers. */
void fz_engine_init(int *argc, char ***argv, int standalone);
void fz_set_input_path(const char *path);
void fz_sha1_hex(const uint8_t *data, size_t len, char out[41]);

/* A target's own option: `--NAME=VALUE` on the command line (libFuzzer
 * ignores flags that start with "--"; the replayer skips them), else the
 * environment's SDEI_FUZZ_<NAME> (upper case; AFL++ runs the binary without
 * arguments). NULL when neither is set. */
const char *fz_option(const char *name);

/* Extra flags in this target's REPLAY lines ("" by default): the replayer's
 * (the kernel target's own options) and fuzz2trace's (the kernel target
 * without a model profile: "--no-results "). Each ends with a space. */
extern const char *fz_replay_flags;
extern const char *fz_f2t_flags;

/* 1 if fuzz2trace can turn this target's inputs into traces, 2 if the
 * inputs are traces (the trace target). */
int fz_target_has_trace(void);

/* One per target file: its name in REPLAY lines, and whether fuzz2trace
 * applies to its inputs. */
#define FZ_TARGET(name, trace)                                                                     \
    const char *fz_target_name = name;                                                             \
    int fz_target_has_trace(void)                                                                  \
    {                                                                                              \
        return trace;                                                                              \
    }

#endif /* FUZZ_ENGINE_H */
