/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/list.h: a circular doubly linked list with a head node. */
#ifndef KSTUB_LINUX_LIST_H
#define KSTUB_LINUX_LIST_H

#include <linux/kernel.h>

struct list_head {
    struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *h)
{
    h->next = h;
    h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
    return h->next == h;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
    n->prev = h->prev;
    n->next = h;
    h->prev->next = n;
    h->prev = n;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
    n->next = h->next;
    n->prev = h;
    h->next->prev = n;
    h->next = n;
}

/* Unlinks and poisons, so a use after list_del faults as in the kernel. */
static inline void list_del(struct list_head *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = (struct list_head *)(uintptr_t)0xdead000000000100ULL;
    n->prev = (struct list_head *)(uintptr_t)0xdead000000000122ULL;
}

#define list_entry(p, type, member) container_of(p, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_first_entry_or_null(h, type, member)                                                  \
    (list_empty(h) ? NULL : list_first_entry(h, type, member))
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)

#define list_for_each_entry(pos, h, member)                                                        \
    for (pos = list_first_entry(h, __typeof__(*pos), member); &pos->member != (h);                 \
         pos = list_next_entry(pos, member))

#define list_for_each_entry_safe(pos, nxt, h, member)                                              \
    for (pos = list_first_entry(h, __typeof__(*pos), member), nxt = list_next_entry(pos, member);  \
         &pos->member != (h); pos = nxt, nxt = list_next_entry(nxt, member))

#endif
