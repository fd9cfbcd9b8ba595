// SPDX-License-Identifier: BSD-3-Clause
// public_headers.cpp - every public header of libsdei_model compiles as C++ and
// links: without `extern "C"` the C++ names are mangled and the link fails
// (issue 13: "undefined reference to sdei_quirk_by_name").
#include <cstdio>
#include <cstring>

#include "sdei/sdei_abi.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_model.h"
#include "sdei/sdei_quirks.h"
#include "sdei/sdei_vmm.h"

static int fails = 0;

static void expect(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "public_headers: %s\n", what);
        fails++;
    }
}

int main()
{
    // sdei_quirks.h
    expect(sdei_quirk_by_name("no_bind") == SDEI_QUIRK_ID_NO_BIND, "sdei_quirk_by_name");
    expect(std::strcmp(sdei_quirk_table[0].name, "features_fid_0x50") == 0, "sdei_quirk_table");
    // sdei_model.h
    sdei_config cfg = sdei_config_default(2);
    sdei_vm *vm = nullptr;
    expect(sdei_vm_new(&cfg, &vm) == SDEI_OK && vm != nullptr, "sdei_vm_new");
    if (vm == nullptr) {
        return 1;
    }
    sdei_event_desc ev0 = {0, SDEI_EVENT_TYPE_PRIVATE, SDEI_EVENT_PRIORITY_NORMAL, 1};
    expect(sdei_vm_expose_event(vm, &ev0) == SDEI_OK, "sdei_vm_expose_event");
    sdei_regs *r = sdei_vcpu_regs(vm, 0);
    r->x[0] = SDEI_FID_VERSION; // sdei_abi.h
    sdei_call_info info;
    expect(sdei_hypercall(vm, 0, &info) == SDEI_OK && info.result > 0, "sdei_hypercall VERSION");
    // sdei_blob.h
    size_t size = 0;
    expect(sdei_vm_save_size(vm, &size) == SDEI_OK && size > 0, "sdei_vm_save_size");
    sdei_blob_exposed ex = {};
    uint8_t buf[SDEI_BLOB_EXPOSED_SIZE];
    expect(sdei_blob_exposed_encode(&ex, buf, sizeof(buf)) == SDEI_OK, "sdei_blob_exposed_encode");
    // sdei_vmm.h
    sdei_vmm_cmd_block cmd = {};
    cmd.cmd = SDEI_CMD_GET_VERSION;
    expect(sdei_vmm_command(vm, SDEI_VMM_VM, &cmd) == 0, "sdei_vmm_command GET_VERSION");
    expect(std::strcmp(sdei_vmm_cmd_name(SDEI_CMD_GET_VERSION), "GET_VERSION") == 0,
           "sdei_vmm_cmd_name");
    sdei_vm_free(vm);
    if (fails == 0) {
        std::printf("public_headers: every public header compiles and links from C++\n");
    }
    return fails == 0 ? 0 : 1;
}
