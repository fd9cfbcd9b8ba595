/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/uaccess.h: copies checked against the user memory the
 * harness registered for the call (else they fail, as a fault would). */
#ifndef KSTUB_LINUX_UACCESS_H
#define KSTUB_LINUX_UACCESS_H

#include <kstub/kstub.h>

static inline unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
    kstub_might_sleep("copy_to_user");
    return kstub_copy_to_user(to, from, n);
}

static inline unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
    kstub_might_sleep("copy_from_user");
    return kstub_copy_from_user(to, from, n);
}

#endif
