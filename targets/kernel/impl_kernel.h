/* SPDX-License-Identifier: BSD-3-Clause */
/* impl_kernel.h - the kernel target's ops table and its finding policy. */
#ifndef SIM_IMPL_KERNEL_H
#define SIM_IMPL_KERNEL_H

#include <stdint.h>
#include <stdio.h>

#include "impl.h"

/* name "kernel-v5" / "kernel-v6" / "kernel-v7", per the configured tree. */
extern const sim_impl_ops sim_impl_kernel;

/* stop_on_any = 1 (default): every finding stops the action with
 * SIM_IMPL_FINDING. 0: only fatal ones do (hang, oops, lock error); the rest
 * (a recovered KASAN-style read, sleep in atomic, a leak) are printed once
 * and the run goes on. Finding lines go to out (NULL = stderr). */
void sim_kernel_findings_policy(int stop_on_any, FILE *out);
uint64_t sim_kernel_findings_total(void);
/* Called with each finding line as it is printed ("KIND: TEXT (in ENTRY,
 * action N)"), after printing; NULL = none (the kernel fuzz target judges
 * each one against its list of known findings). */
void sim_kernel_findings_hook(void (*fn)(const char *finding));
/* The last finding printed, "KIND: TEXT (in ENTRY, action N)" ("" if none). */
const char *sim_kernel_last_finding(void);

#endif
