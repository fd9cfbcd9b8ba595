/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdei_vmm.h - the kernel's KVM_ARM_SDEI_COMMAND commands (kvm-v5 §1.3, §6).
 *
 * A command runs on the VM (vcpu = SDEI_VMM_VM) or on one vCPU, and returns
 * what the ioctl would: 0 or a negative errno, in the kernel's check order.
 * Data buffers hold the kernel's byte-exact blobs (sdei_blob.h).
 */
#ifndef SDEI_VMM_H
#define SDEI_VMM_H

#include <stddef.h>
#include <stdint.h>

#include "sdei/sdei_blob.h"
#include "sdei/sdei_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SDEI_VMM_VM UINT32_C(0xFFFFFFFF)

/* KVM_SDEI_CMD_* (kvm-v5 §1.3) */
typedef enum sdei_vmm_cmd {
    SDEI_CMD_GET_VERSION = 0,
    SDEI_CMD_GET_EXPOSED_EVENT_COUNT = 1,
    SDEI_CMD_GET_EXPOSED_EVENT = 2,
    SDEI_CMD_SET_EXPOSED_EVENT = 3,
    SDEI_CMD_GET_REGISTERED_EVENT_COUNT = 4,
    SDEI_CMD_GET_REGISTERED_EVENT = 5,
    SDEI_CMD_SET_REGISTERED_EVENT = 6,
    SDEI_CMD_GET_VCPU_EVENT_COUNT = 7,
    SDEI_CMD_GET_VCPU_EVENT = 8,
    SDEI_CMD_SET_VCPU_EVENT = 9,
    SDEI_CMD_GET_VCPU_STATE = 10,
    SDEI_CMD_SET_VCPU_STATE = 11,
    SDEI_CMD_INJECT_EVENT = 12,
    SDEI_CMD_COUNT
} sdei_vmm_cmd;

#define SDEI_KVM_IMPL_VERSION UINT32_C(0x10000) /* GET_VERSION: "v1.0.0" */

/* Linux errno values the commands return (negated). */
#define SDEI_EPERM 1
#define SDEI_ENOENT 2
#define SDEI_EFAULT 14
#define SDEI_EEXIST 17
#define SDEI_EINVAL 22
#define SDEI_ERANGE 34

/* The command block: struct kvm_sdei_cmd with the user pointer replaced by a
 * buffer and its length in bytes (a NULL or short buffer gives -EFAULT, as
 * copy_{to,from}_user would). */
typedef struct sdei_vmm_cmd_block {
    uint32_t cmd;
    uint32_t count; /* union with `version` */
    uint64_t num;   /* INJECT_EVENT */
    uint8_t *data;
    size_t data_len;
} sdei_vmm_cmd_block;

/* Runs one command. Returns 0 or -errno; API errors (bad vcpu index, NULL vm
 * or cmd) return -SDEI_EINVAL / -SDEI_EFAULT like the ioctl would. */
SDEI_WARN_UNUSED
int32_t sdei_vmm_command(sdei_vm *vm, uint32_t vcpu, sdei_vmm_cmd_block *cmd);

/* The same; when a SET or INJECT is rejected because of an entry, err (may be
 * NULL) names the struct, field, entry and byte offset that the check saw. */
SDEI_WARN_UNUSED
int32_t sdei_vmm_command_ex(sdei_vm *vm, uint32_t vcpu, sdei_vmm_cmd_block *cmd,
                            sdei_blob_error *err);

const char *sdei_vmm_cmd_name(uint32_t cmd); /* "SET_EXPOSED_EVENT" or NULL */
SDEI_WARN_UNUSED
int sdei_vmm_cmd_by_name(const char *name); /* or -1 */
const char *sdei_errno_name(int32_t ret);   /* "-EINVAL", "0", or NULL */

#ifdef __cplusplus
}
#endif

#endif /* SDEI_VMM_H */
