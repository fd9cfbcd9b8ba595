/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ignores_results.c - compiled (never linked) by check_warn_unused.cmake: with
 * -DCASE=0 every result is used and the file compiles under -Werror; with
 * -DCASE=n call n ignores its result and the compiler must refuse it
 * (warn_unused_result on the public functions, issue 13). NAMES lists them.
 */
#include "sdei/sdei_blob.h"
#include "sdei/sdei_model.h"
#include "sdei/sdei_quirks.h"
#include "sdei/sdei_vmm.h"

/* NAMES: sdei_quirk_by_name sdei_profile_by_name sdei_vm_mem_size sdei_vm_init sdei_vm_new
 * sdei_vcpu_by_mpidr sdei_vcpu_get_regs sdei_vcpu_set_regs sdei_call_by_name sdei_result_by_name
 * sdei_event_trigger sdei_interrupt_trigger sdei_vm_expose_event sdei_vm_event_at
 * sdei_event_state_of sdei_event_pending_count sdei_vcpu_view_of sdei_vm_check
 * sdei_blob_exposed_decode sdei_blob_exposed_encode sdei_vm_save_size sdei_vm_save sdei_vm_restore
 * sdei_vm_restore_ex sdei_lint_save sdei_vmm_command sdei_vmm_command_ex sdei_vmm_cmd_by_name
 * sdei_vcpu_view_brief sdei_vcpu_events */

int ignores_results(sdei_vm *vm);
int ignores_results(sdei_vm *vm)
{
    static uint64_t mem[64];
    sdei_config cfg = sdei_config_default(1);
    sdei_regs regs = {0};
    sdei_event_desc desc = {0};
    sdei_event_state state;
    sdei_vcpu_view view;
    sdei_event_obs obs;
    sdei_blob_exposed ex = {0};
    sdei_vmm_cmd_block cmd = {0};
    uint8_t buf[64] = {0};
    size_t size = 0;
    uint32_t count = 0;
    int64_t res = 0;
    int used = 0;
#if CASE == 0
    used += sdei_quirk_by_name("no_bind") != 0;
    used += sdei_profile_by_name("spec") != 0;
    used += sdei_vm_mem_size(&cfg, &size) != 0;
    used += sdei_vm_init(mem, sizeof(mem), &cfg, &vm) != 0;
    used += sdei_vm_new(&cfg, &vm) != 0;
    used += sdei_vcpu_by_mpidr(vm, 0) != 0;
    used += sdei_vcpu_get_regs(vm, 0, &regs) != 0;
    used += sdei_vcpu_set_regs(vm, 0, &regs) != 0;
    used += sdei_call_by_name("VERSION") != 0;
    used += sdei_result_by_name("DENIED", &res) != 0;
    used += sdei_event_trigger(vm, 0, 0, NULL) != 0;
    used += sdei_interrupt_trigger(vm, 16, 0, NULL) != 0;
    used += sdei_vm_expose_event(vm, &desc) != 0;
    used += sdei_vm_event_at(vm, 0, &desc) != 0;
    used += sdei_event_state_of(vm, 0, 0, &state) != 0;
    used += sdei_event_pending_count(vm, 0, 0, &count) != 0;
    used += sdei_vcpu_view_of(vm, 0, &view) != 0;
    used += sdei_vm_check(vm) != 0;
    used += sdei_blob_exposed_decode(buf, sizeof(buf), &ex) != 0;
    used += sdei_blob_exposed_encode(&ex, buf, sizeof(buf)) != 0;
    used += sdei_vm_save_size(vm, &size) != 0;
    used += sdei_vm_save(vm, buf, sizeof(buf), &size) != 0;
    used += sdei_vm_restore(vm, buf, sizeof(buf), NULL, NULL) != 0;
    used += sdei_vm_restore_ex(vm, buf, sizeof(buf), NULL) != 0;
    used += sdei_lint_save(buf, sizeof(buf), 1, NULL, 0) != 0;
    used += sdei_vmm_command(vm, SDEI_VMM_VM, &cmd) != 0;
    used += sdei_vmm_command_ex(vm, SDEI_VMM_VM, &cmd, NULL) != 0;
    used += sdei_vmm_cmd_by_name("GET_VERSION") != 0;
    used += sdei_vcpu_view_brief(vm, 0, &view) != 0;
    used += sdei_vcpu_events(vm, 0, &obs, 1, &count) != 0;
#elif CASE == 1
    sdei_quirk_by_name("no_bind");
#elif CASE == 2
    sdei_profile_by_name("spec");
#elif CASE == 3
    sdei_vm_mem_size(&cfg, &size);
#elif CASE == 4
    sdei_vm_init(mem, sizeof(mem), &cfg, &vm);
#elif CASE == 5
    sdei_vm_new(&cfg, &vm);
#elif CASE == 6
    sdei_vcpu_by_mpidr(vm, 0);
#elif CASE == 7
    sdei_vcpu_get_regs(vm, 0, &regs);
#elif CASE == 8
    sdei_vcpu_set_regs(vm, 0, &regs);
#elif CASE == 9
    sdei_call_by_name("VERSION");
#elif CASE == 10
    sdei_result_by_name("DENIED", &res);
#elif CASE == 11
    sdei_event_trigger(vm, 0, 0, NULL);
#elif CASE == 12
    sdei_interrupt_trigger(vm, 16, 0, NULL);
#elif CASE == 13
    sdei_vm_expose_event(vm, &desc);
#elif CASE == 14
    sdei_vm_event_at(vm, 0, &desc);
#elif CASE == 15
    sdei_event_state_of(vm, 0, 0, &state);
#elif CASE == 16
    sdei_event_pending_count(vm, 0, 0, &count);
#elif CASE == 17
    sdei_vcpu_view_of(vm, 0, &view);
#elif CASE == 18
    sdei_vm_check(vm);
#elif CASE == 19
    sdei_blob_exposed_decode(buf, sizeof(buf), &ex);
#elif CASE == 20
    sdei_blob_exposed_encode(&ex, buf, sizeof(buf));
#elif CASE == 21
    sdei_vm_save_size(vm, &size);
#elif CASE == 22
    sdei_vm_save(vm, buf, sizeof(buf), &size);
#elif CASE == 23
    sdei_vm_restore(vm, buf, sizeof(buf), NULL, NULL);
#elif CASE == 24
    sdei_vm_restore_ex(vm, buf, sizeof(buf), NULL);
#elif CASE == 25
    sdei_lint_save(buf, sizeof(buf), 1, NULL, 0);
#elif CASE == 26
    sdei_vmm_command(vm, SDEI_VMM_VM, &cmd);
#elif CASE == 27
    sdei_vmm_command_ex(vm, SDEI_VMM_VM, &cmd, NULL);
#elif CASE == 28
    sdei_vmm_cmd_by_name("GET_VERSION");
#elif CASE == 29
    sdei_vcpu_view_brief(vm, 0, &view);
#elif CASE == 30
    sdei_vcpu_events(vm, 0, &obs, 1, &count);
#endif
    (void)mem, (void)cfg, (void)regs, (void)desc, (void)state, (void)view, (void)obs, (void)ex,
        (void)cmd;
    (void)buf, (void)size, (void)count, (void)res;
    return used;
}
