/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * glue_common.h - the VM shell every version's glue shares (its register
 * files and vCPU objects); the kernel's SDEI objects hang off it.
 */
#ifndef GLUE_COMMON_H
#define GLUE_COMMON_H

#include <stdlib.h>

#include "kvm_common.h"

struct kg_vm {
    struct kvm *kvm;
    kg_regs *regs;
    uint32_t nr;
};

static inline kg_vm *kg_shell_new(uint32_t nr)
{
    kg_vm *vm = calloc(1, sizeof(*vm));
    if (vm == NULL) {
        return NULL;
    }
    vm->kvm = kc_vm_new(nr);
    vm->regs = calloc(nr, sizeof(vm->regs[0]));
    vm->nr = nr;
    if (vm->kvm == NULL || vm->regs == NULL) {
        kc_vm_free(vm->kvm);
        free(vm->regs);
        free(vm);
        return NULL;
    }
    return vm;
}

/* A saved context as kg_vstate holds it: x0..x17, then PC and PSTATE (each
 * version names its context struct differently, hence a macro). */
#define KG_SAVED_COPY(dst, ctx)                                                                    \
    do {                                                                                           \
        for (unsigned i_ = 0; i_ < 18; i_++) {                                                     \
            (dst)[i_] = (ctx)->regs[i_];                                                           \
        }                                                                                          \
        (dst)[18] = (ctx)->pc;                                                                     \
        (dst)[19] = (ctx)->pstate;                                                                 \
    } while (0)

#endif
