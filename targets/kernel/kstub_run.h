/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kstub_run.h - the harness side of kstub.c, for the glue and the adapter:
 * running one call into kernel code under the checks, and its findings.
 */
#ifndef KSTUB_RUN_H
#define KSTUB_RUN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>

#define KSTUB_MAX_FINDINGS 8
#define KSTUB_TICK_MS 500
#define KSTUB_WARN 0
#define KSTUB_ERROR 1
#define KSTUB_FATAL 2

typedef struct kstub_finding {
    char kind[24];  /* "heap-use-after-free", "lock", "hang", "oops", ... */
    char text[240]; /* one line: what, where (file:line in the tree) */
    char call[40];  /* the entry point that was running */
    int fatal;      /* KSTUB_FATAL: the call did not complete, the VM is unusable;
                     * KSTUB_ERROR: a memory error or leak, the call completed;
                     * KSTUB_WARN: reported once, never stops (sleep in atomic) */
} kstub_finding;

extern sigjmp_buf kstub_env;

/* Signal handlers, the watchdog timer, sanitizer hooks (once per process). */
void kstub_init(void);
void kstub_enter(const char *call);
/* Returns -1 after a fatal finding, else 0. */
int kstub_leave(void);
int kstub_in_call(void);
const char *kstub_current_call(void);

/* The cheap mode (bench_kernel only, never a test or a fuzz run): the
 * tree's code with trivial stand-ins, as a speed comparison with the model
 * needs them: spinlocks that only set and clear their flag, calloc/free,
 * no watchdog or fault recovery around calls, no findings, and the vCPU's
 * registers kept in the vCPU (only a call's x0..x5 copied in, nothing out:
 * the results are read from the vCPU after switching back). */
extern int kstub_cheap;
void kstub_set_cheap(int on);

/* Runs `stmt` (a call into the tree's code) under the watchdog and checks;
 * `rc` gets kstub_leave()'s value. */
#define KSTUB_CALL(rc, name, stmt)                                                                 \
    do {                                                                                           \
        if (kstub_cheap) {                                                                         \
            stmt;                                                                                  \
            (rc) = 0;                                                                              \
            break;                                                                                 \
        }                                                                                          \
        kstub_enter(name);                                                                         \
        if (sigsetjmp(kstub_env, 0) == 0) {                                                        \
            stmt;                                                                                  \
        }                                                                                          \
        (rc) = kstub_leave();                                                                      \
    } while (0)

void kstub_finding_add(const char *kind, int fatal, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Findings accumulate until cleared (the adapter clears before each action). */
unsigned kstub_findings(const kstub_finding **out);
void kstub_findings_clear(void);
int kstub_first_time(const char *key);

/* The nth next allocation fails (1 = the next one); 0 = none fails. */
void kstub_fail_alloc(uint64_t nth);
uint64_t kstub_live_allocs(void);
void kstub_reset_live(void);

/* User memory for the call in progress (ioctl buffers). */
void kstub_user_clear(void);
void kstub_user_add(void *p, unsigned long n);

#endif /* KSTUB_RUN_H */
