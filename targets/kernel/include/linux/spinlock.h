/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/spinlock.h: checked locks (kstub.c reports a double
 * take, a release of a lock not held, and a call returning with one held, as
 * lockdep would). */
#ifndef KSTUB_LINUX_SPINLOCK_H
#define KSTUB_LINUX_SPINLOCK_H

#include <kstub/kstub.h>
#include <linux/types.h>

typedef kstub_lock spinlock_t;

#define spin_lock_init(l) kstub_lock_init((l), #l)
#define spin_lock(l) kstub_lock_take(l)
#define spin_unlock(l) kstub_lock_drop(l)

#endif
