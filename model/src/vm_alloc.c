/* SPDX-License-Identifier: BSD-3-Clause */
/* vm_alloc.c - the model's only allocation: one block at sdei_vm_new. */
#include <stdlib.h>

#include "vm_internal.h"

sdei_err sdei_vm_new(const sdei_config *cfg, sdei_vm **vm_out)
{
    if (vm_out == NULL) {
        return SDEI_E_NULL;
    }
    *vm_out = NULL;
    size_t size = 0;
    sdei_err err = sdei_vm_mem_size(cfg, &size);
    if (err != SDEI_OK) {
        return err;
    }
    void *mem = malloc(size);
    if (mem == NULL) {
        return SDEI_E_NO_MEMORY;
    }
    err = sdei_vm_init(mem, size, cfg, vm_out);
    /* init validates the config sdei_vm_mem_size has just accepted and gets exactly the
     * size it asked for (malloc's memory is aligned): it cannot fail here. */
    if (SDEI_UNREACHABLE_BRANCH(err != SDEI_OK)) {
        free(mem);
        return err;
    }
    (*vm_out)->owns_memory = 1;
    return SDEI_OK;
}

void sdei_vm_free(sdei_vm *vm)
{
    if (vm != NULL && vm->owns_memory) {
        free(vm);
    }
}
