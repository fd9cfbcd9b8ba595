/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model_fallback.c - weak stand-ins for model functions that may not exist
 * yet in a given checkout (whole-VM save/restore and lint are written in
 * parallel with the simulator). This library is linked after sdei_model, so
 * the linker only pulls it for symbols the model does not define; the
 * definitions are weak, so a real one always wins. A run that needs them
 * fails cleanly (migration reports "sdei_vm_save: ..."), never silently.
 */
#include "sdei/sdei_blob.h"

__attribute__((weak)) sdei_err sdei_vm_save_size(const sdei_vm *vm, size_t *size_out)
{
    (void)vm;
    *size_out = 0;
    return SDEI_E_FORMAT;
}

__attribute__((weak)) sdei_err sdei_vm_save(const sdei_vm *vm, uint8_t *buf, size_t len,
                                            size_t *written)
{
    (void)vm;
    (void)buf;
    (void)len;
    *written = 0;
    return SDEI_E_FORMAT;
}

__attribute__((weak)) sdei_err sdei_vm_restore(sdei_vm *vm, const uint8_t *buf, size_t len,
                                               size_t *err_offset, const char **err_what)
{
    (void)vm;
    (void)buf;
    (void)len;
    if (err_offset != NULL) {
        *err_offset = 0;
    }
    if (err_what != NULL) {
        *err_what = "whole-VM restore is not in this build of the model";
    }
    return SDEI_E_FORMAT;
}

__attribute__((weak)) uint32_t sdei_lint_save(const uint8_t *buf, size_t len, uint32_t nr_vcpus,
                                              sdei_lint_finding *findings, uint32_t max)
{
    (void)buf;
    (void)len;
    (void)nr_vcpus;
    (void)findings;
    (void)max;
    return 0;
}
