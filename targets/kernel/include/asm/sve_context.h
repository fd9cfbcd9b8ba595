/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for uapi asm/sve_context.h: nothing the SDEI code uses. */
#ifndef KSTUB_ASM_SVE_CONTEXT_H
#define KSTUB_ASM_SVE_CONTEXT_H
#endif
