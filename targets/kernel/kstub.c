/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kstub.c - the harness around a kernel tree's sdei.c (DESIGN §7): what the
 * stand-in headers call (locks, allocation, user copies, IRQ injection) and
 * the checks a kernel would make (lockdep, might_sleep, KASAN, the soft-lockup
 * watchdog), each turned into a finding instead of a crash of the tool.
 *
 * Single-threaded by design (the simulator steps vCPUs in one thread), so the
 * state here is process-wide.
 */
#define _GNU_SOURCE /* strsignal */
#include "kstub_run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "kstub/kstub.h"

#ifdef KSTUB_ASAN
#include <sanitizer/lsan_interface.h>
/* Kernel objects are the harness's to account for (a kernel leak is a
 * finding, checked at teardown), not LeakSanitizer's. */
#define KSTUB_NOT_A_TOOL_LEAK(p) __lsan_ignore_object(p)
#else
#define KSTUB_NOT_A_TOOL_LEAK(p) ((void)(p))
#endif

#define MAX_HELD 8
#define MAX_REGIONS 4
#define MAX_SEEN 64

static struct {
    int ready;
    /* the call in progress */
    const char *call;
    volatile sig_atomic_t in_call;
    volatile sig_atomic_t call_seq;
    volatile sig_atomic_t seen_seq;
    volatile sig_atomic_t ticks;
    kstub_lock *held[MAX_HELD];
    unsigned nheld;
    struct {
        void *p;
        unsigned long n;
    } region[MAX_REGIONS];
    unsigned nregion;
    /* findings of the call in progress */
    kstub_finding found[KSTUB_MAX_FINDINGS];
    unsigned nfound;
    int fatal;
    /* allocation */
    uint64_t alloc_seq, fail_at; /* fail_at: 1-based allocation number, 0 = never */
    uint64_t live, allocs, frees, failed;
    /* non-fatal findings already reported once */
    char seen[MAX_SEEN][96];
    unsigned nseen;
    struct sigaction old[32];
} K;

sigjmp_buf kstub_env;
int kstub_cheap;

void kstub_set_cheap(int on)
{
    kstub_cheap = on;
}

/* ---------------------------------------------------------------------------
 * Findings.
 * ------------------------------------------------------------------------- */
void kstub_finding_add(const char *kind, int fatal, const char *fmt, ...)
{
    va_list ap;
    if (K.nfound >= KSTUB_MAX_FINDINGS) {
        K.fatal |= fatal == KSTUB_FATAL;
        return;
    }
    kstub_finding *f = &K.found[K.nfound++];
    snprintf(f->kind, sizeof(f->kind), "%s", kind);
    va_start(ap, fmt);
    vsnprintf(f->text, sizeof(f->text), fmt, ap);
    va_end(ap);
    f->fatal = fatal;
    snprintf(f->call, sizeof(f->call), "%s", K.call != NULL ? K.call : "?");
    K.fatal |= fatal == KSTUB_FATAL;
}

/* A fatal finding inside kernel code: the call cannot go on. */
static void fatal_jump(void)
{
    if (K.in_call) {
        K.in_call = 0;
        siglongjmp(kstub_env, 1);
    }
    abort();
}

void kstub_findings_clear(void)
{
    K.nfound = 0;
}

unsigned kstub_findings(const kstub_finding **out)
{
    *out = K.found;
    return K.nfound;
}

/* 1 the first time a non-fatal finding of this key is seen. */
int kstub_first_time(const char *key)
{
    for (unsigned i = 0; i < K.nseen; i++) {
        if (strcmp(K.seen[i], key) == 0) {
            return 0;
        }
    }
    if (K.nseen < MAX_SEEN) {
        snprintf(K.seen[K.nseen++], sizeof(K.seen[0]), "%s", key);
    }
    return 1;
}

/* ---------------------------------------------------------------------------
 * Locks (lockdep's balance checks).
 * ------------------------------------------------------------------------- */
void kstub_lock_init(kstub_lock *l, const char *cls)
{
    l->cls = cls;
    l->held = 0;
    l->magic = KSTUB_LOCK_MAGIC;
}

void kstub_lock_take(kstub_lock *l)
{
    if (kstub_cheap) {
        l->held = 1;
        return;
    }
    if (l->magic != KSTUB_LOCK_MAGIC) {
        kstub_finding_add("lock", KSTUB_FATAL, "spin_lock on an uninitialised lock %p", (void *)l);
        fatal_jump();
    }
    if (l->held) {
        /* A spinlock taken twice on one CPU never returns: a host hang. */
        kstub_finding_add("lock", KSTUB_FATAL, "spin_lock(%s) taken twice (self-deadlock)", l->cls);
        fatal_jump();
    }
    if (K.nheld >= MAX_HELD) {
        kstub_finding_add("lock", KSTUB_FATAL, "more than %d locks held", MAX_HELD);
        fatal_jump();
    }
    l->held = 1;
    K.held[K.nheld++] = l;
}

void kstub_lock_drop(kstub_lock *l)
{
    if (kstub_cheap) {
        l->held = 0;
        return;
    }
    if (l->magic != KSTUB_LOCK_MAGIC || !l->held) {
        kstub_finding_add("lock", KSTUB_FATAL, "spin_unlock(%s) of a lock not held",
                          l->magic == KSTUB_LOCK_MAGIC ? l->cls : "?");
        fatal_jump();
    }
    l->held = 0;
    for (unsigned i = 0; i < K.nheld; i++) {
        if (K.held[i] == l) {
            memmove(&K.held[i], &K.held[i + 1], (K.nheld - i - 1) * sizeof(K.held[0]));
            K.nheld--;
            break;
        }
    }
}

void kstub_might_sleep(const char *what)
{
    char key[96];
    if (K.nheld == 0) {
        return;
    }
    /* CONFIG_DEBUG_ATOMIC_SLEEP: "sleeping function called from invalid
     * context" (kvm-v5 §10 item 10). Reported once per kind and lock. */
    snprintf(key, sizeof(key), "sleep:%s:%s", what, K.held[K.nheld - 1]->cls);
    if (kstub_first_time(key)) {
        kstub_finding_add("sleep-in-atomic", KSTUB_WARN, "%s while holding %s", what,
                          K.held[K.nheld - 1]->cls);
    }
}

/* ---------------------------------------------------------------------------
 * Allocation.
 * ------------------------------------------------------------------------- */
void *kstub_zalloc(size_t size)
{
    if (kstub_cheap) {
        return calloc(1, size != 0 ? size : 1);
    }
    K.alloc_seq++;
    if (K.fail_at != 0 && K.alloc_seq == K.fail_at) {
        K.failed++;
        return NULL;
    }
    void *p = calloc(1, size != 0 ? size : 1);
    if (p != NULL) {
        KSTUB_NOT_A_TOOL_LEAK(p);
        K.live++;
        K.allocs++;
    }
    return p;
}

#ifdef KSTUB_ASAN
static void release(void *p)
{
    free(p); /* ASan's own quarantine keeps it, and reports a later access */
}
#else
/* Without ASan a freed kernel object is kept for a while before free(): v5
 * reads and writes the object it has just freed (K5-1), which in a kernel
 * touches stale memory, but here would corrupt the tool's own heap (release
 * builds: bench_kernel). */
#define QUARANTINE 256
static void *quarantine[QUARANTINE];
static unsigned quarantine_next;

static void release(void *p)
{
    void *old = quarantine[quarantine_next];
    quarantine[quarantine_next] = p;
    quarantine_next = (quarantine_next + 1u) % QUARANTINE;
    free(old);
}
#endif

void kstub_free(const void *p)
{
    if (p == NULL) {
        return;
    }
    if (!kstub_cheap) {
        K.live--;
        K.frees++;
    }
    release((void *)p);
}

void kstub_fail_alloc(uint64_t nth)
{
    K.fail_at = nth == 0 ? 0 : K.alloc_seq + nth;
}

uint64_t kstub_live_allocs(void)
{
    return K.live;
}

void kstub_reset_live(void)
{
    K.live = 0;
}

/* ---------------------------------------------------------------------------
 * User memory.
 * ------------------------------------------------------------------------- */
void kstub_user_clear(void)
{
    K.nregion = 0;
}

void kstub_user_add(void *p, unsigned long n)
{
    if (K.nregion < MAX_REGIONS && p != NULL) {
        K.region[K.nregion].p = p;
        K.region[K.nregion].n = n;
        K.nregion++;
    }
}

static int user_ok(const void *p, unsigned long n)
{
    uintptr_t a = (uintptr_t)p;
    for (unsigned i = 0; i < K.nregion; i++) {
        uintptr_t b = (uintptr_t)K.region[i].p;
        if (a >= b && n <= K.region[i].n && a - b <= K.region[i].n - n) {
            return 1;
        }
    }
    return 0;
}

unsigned long kstub_copy_to_user(void *to, const void *from, unsigned long n)
{
    if (!user_ok(to, n)) {
        return n;
    }
    memcpy(to, from, n);
    return 0;
}

unsigned long kstub_copy_from_user(void *to, const void *from, unsigned long n)
{
    if (!user_ok(from, n)) {
        memset(to, 0, n);
        return n;
    }
    memcpy(to, from, n);
    return 0;
}

void kstub_bad_call(const void *fn)
{
    kstub_finding_add("bad-call", KSTUB_FATAL,
                      "call through a function pointer the host never set: %p", fn);
    fatal_jump();
}

/* ---------------------------------------------------------------------------
 * Signals: a fault in kernel code (an oops) and the watchdog (a hang).
 * ------------------------------------------------------------------------- */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (!K.in_call) {
        /* Not ours: hand it to whoever had it (ASan, the default action). */
        sigaction(sig, &K.old[sig], NULL);
        return;
    }
    kstub_finding_add("oops", KSTUB_FATAL, "%s at address %p (a host kernel oops)", strsignal(sig),
                      si->si_addr);
    fatal_jump();
}

static void on_tick(int sig)
{
    (void)sig;
    if (!K.in_call) {
        return;
    }
    if (K.seen_seq != K.call_seq) {
        K.seen_seq = K.call_seq;
        K.ticks = 0;
        return;
    }
    if (++K.ticks >= 2) {
        kstub_finding_add("hang", KSTUB_FATAL,
                          "did not return within %d ms of CPU time (a guest-"
                          "triggered host hang)",
                          2 * KSTUB_TICK_MS);
        fatal_jump();
    }
}

void kstub_sanitizer_init(void);

void kstub_init(void)
{
    struct sigaction sa;
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    if (K.ready) {
        return;
    }
    K.ready = 1;
    kstub_sanitizer_init();
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        sigaction(sigs[i], &sa, &K.old[sigs[i]]);
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_tick;
    sa.sa_flags = SA_RESTART | SA_NODEFER;
    sigaction(SIGVTALRM, &sa, NULL);
    /* CPU-time ticks: a loaded machine does not fake a hang. */
    struct itimerval it = {{0, KSTUB_TICK_MS * 1000}, {0, KSTUB_TICK_MS * 1000}};
    setitimer(ITIMER_VIRTUAL, &it, NULL);
}

void kstub_enter(const char *call)
{
    K.call = call;
    K.fatal = 0;
    K.call_seq++;
    K.in_call = 1;
}

int kstub_leave(void)
{
    K.in_call = 0;
    if (K.nheld != 0 && !K.fatal) {
        kstub_finding_add("lock", KSTUB_FATAL, "%s returned with %s held", K.call, K.held[0]->cls);
    }
    /* After a fatal finding the locks the call held stay held: forget them
     * so the next VM starts clean (this one is not used again). */
    for (unsigned i = 0; i < K.nheld; i++) {
        K.held[i]->held = 0;
    }
    K.nheld = 0;
    K.call = NULL;
    return K.fatal ? -1 : 0;
}

int kstub_in_call(void)
{
    return K.in_call;
}

const char *kstub_current_call(void)
{
    return K.call;
}
