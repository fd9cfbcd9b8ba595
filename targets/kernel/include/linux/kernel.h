/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/kernel.h: the errno values and helpers sdei.c uses. */
#ifndef KSTUB_LINUX_KERNEL_H
#define KSTUB_LINUX_KERNEL_H

#include <linux/types.h>
#include <string.h>

/* Linux's numbering (asm-generic/errno-base.h, errno.h). */
#define EPERM 1
#define ENOENT 2
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ENOTTY 25
#define ENOSPC 28
#define ERANGE 34
#define EINPROGRESS 115

/* compiler_attributes.h */
#define fallthrough __attribute__((__fallthrough__))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#endif
