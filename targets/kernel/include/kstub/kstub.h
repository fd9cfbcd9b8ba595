/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kstub.h - what the stand-in kernel headers call into: the harness's
 * allocator, lock checker, user-memory table and request bits
 * (targets/kernel/kstub.c). Project code, no kernel text: written from what
 * the tree's sdei.c needs (DESIGN §7).
 */
#ifndef KSTUB_H
#define KSTUB_H

#include <stddef.h>
#include <stdint.h>

/* A spinlock that remembers who holds it (the lock checker's view). */
typedef struct kstub_lock {
    const char *cls; /* the spin_lock_init() argument text: the lock class */
    unsigned held;   /* 0 or 1 */
    unsigned magic;  /* KSTUB_LOCK_MAGIC once initialised */
} kstub_lock;
#define KSTUB_LOCK_MAGIC 0x5ad1u

void kstub_lock_init(kstub_lock *l, const char *cls);
void kstub_lock_take(kstub_lock *l);
void kstub_lock_drop(kstub_lock *l);

/* Allocation (kzalloc, kcalloc, kfree); may fail on demand. */
void *kstub_zalloc(size_t size);
void kstub_free(const void *p);
/* Sleeping call (GFP_KERNEL allocation, user copy) in atomic context. */
void kstub_might_sleep(const char *what);

/* User memory: copies fail (return the bytes not copied) outside a region
 * the harness registered for the current call. */
unsigned long kstub_copy_to_user(void *to, const void *from, unsigned long n);
unsigned long kstub_copy_from_user(void *to, const void *from, unsigned long n);

/* An IRQ the code injects (COMPLETE_AND_RESUME). */
struct kvm_vcpu;
void kstub_inject_irq(struct kvm_vcpu *vcpu);
void kstub_adjust_pc(struct kvm_vcpu *vcpu);

/* A function pointer the code calls that the harness did not give it
 * (v5's notifier written through SET_EXPOSED_EVENT). */
void kstub_bad_call(const void *fn);

#endif /* KSTUB_H */
