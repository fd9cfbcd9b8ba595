/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/slab.h: the harness allocator (fails on demand; a
 * sleeping allocation under a spinlock is reported). */
#ifndef KSTUB_LINUX_SLAB_H
#define KSTUB_LINUX_SLAB_H

#include <kstub/kstub.h>
#include <linux/types.h>

#define GFP_KERNEL 0x1u
#define GFP_KERNEL_ACCOUNT 0x3u
#define GFP_ATOMIC 0x4u

static inline void *kzalloc(size_t size, gfp_t gfp)
{
    if (gfp & GFP_KERNEL) {
        kstub_might_sleep("GFP_KERNEL allocation");
    }
    return kstub_zalloc(size);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    return kzalloc(n * size, gfp);
}

static inline void *kmalloc(size_t size, gfp_t gfp)
{
    return kzalloc(size, gfp);
}

static inline void kfree(const void *p)
{
    kstub_free(p);
}

#endif
