/* SPDX-License-Identifier: BSD-3-Clause */
/* world.c - acting through the executor, trace output, failures. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "sdei/sdei_fwreg.h"
#include "world.h"

void sim_fail(sim_world *w, unsigned inv, uint32_t vcpu, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void sim_fail(sim_world *w, unsigned inv, uint32_t vcpu, const char *fmt, ...)
{
    va_list ap;
    if (w->failed) {
        return;
    }
    w->failed = 1;
    w->fail_vcpu = vcpu;
    w->s->failed_invariant = (int)inv;
    va_start(ap, fmt);
    vsnprintf(w->fail_msg, sizeof(w->fail_msg), fmt, ap);
    va_end(ap);
    snprintf(w->s->failure, sizeof(w->s->failure), "%.80s: %.500s", sim_invariant_names[inv],
             w->fail_msg);
}

/* ---------------------------------------------------------------------------
 * Trace output: buffered, hashed (FNV-1a 64) for the determinism test.
 * ------------------------------------------------------------------------- */
void sim_trace_flush(sim_world *w)
{
    if (w->tf != NULL && w->tlen != 0 && !w->twrite_failed) {
        if (fwrite(w->tbuf, 1, w->tlen, w->tf) != w->tlen) {
            w->twrite_failed = errno != 0 ? errno : EIO; /* reported when the file is closed */
        }
    }
    w->tlen = 0;
}

static char *t_room(sim_world *w, size_t n)
{
    if (w->tlen + n > w->tcap) {
        sim_trace_flush(w);
        if (n > w->tcap) {
            char *nb = realloc(w->tbuf, n);
            if (nb == NULL) {
                return NULL;
            }
            w->tbuf = nb;
            w->tcap = n;
        }
    }
    return w->tbuf + w->tlen;
}

static void t_commit(sim_world *w, size_t n)
{
    const unsigned char *p = (const unsigned char *)w->tbuf + w->tlen;
    uint64_t h = w->hash;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    }
    w->hash = h;
    w->tlen += n;
    w->s->trace_bytes += n;
}

void sim_trace_text(sim_world *w, const char *s)
{
    size_t n = strlen(s);
    char *p = t_room(w, n);
    if (p != NULL) {
        memcpy(p, s, n);
        t_commit(w, n);
    }
}

/* Writes the action and its result, the result reduced to the fields that
 * matter (so traces stay small and human-readable). */
void sim_trace_record(sim_world *w, const sim_action *a, const sim_result *r)
{
    char *p = t_room(w, sim_format_room(a->data_len) + sim_format_room(r->data_len));
    if (p == NULL) {
        return;
    }
    size_t n = sim_format_action(p, a);
    if (a->kind != SIM_A_SETREG) {
        sim_result rr = *r;
        switch (r->kind) {
        case SIM_R_RET:
        case SIM_R_NOTSDEI:
            rr.fields = SIM_F_X0;
            break;
        case SIM_R_COMPLETED:
            rr.fields = SIM_F_NUM | SIM_F_PC | SIM_F_PSTATE;
            break;
        case SIM_R_NORESULT:
            rr.fields = SIM_F_X0;
            break;
        case SIM_R_ENTERED:
            rr.fields = SIM_F_NUM | SIM_F_PREEMPTED | SIM_F_X0 | SIM_F_X1 | SIM_F_X2 | SIM_F_X3 |
                        SIM_F_PC | SIM_F_PSTATE;
            break;
        default:
            break;
        }
        n += sim_format_result(p + n, &rr);
    }
    t_commit(w, n);
}

/* ---------------------------------------------------------------------------
 * Acting through exec.c.
 * ------------------------------------------------------------------------- */
/* Lockstep: the action goes to the peer too, unless it would reach a known
 * finding of the peer's code (sim/known.c), which is stepped around. Out of
 * line: a run without a peer pays one test in sim_act (docs/benchmarks.md,
 * issue 9). */
int sim_act_with_peer(sim_world *w, const sim_action *a, sim_result *r)
{
    sim_action changed;
    switch (sim_known_avoid(w, a, &changed)) {
    case SIM_KNOWN_SKIP:
        memset(r, 0, sizeof(*r));
        r->kind = SIM_R_UNAVAILABLE; /* the guest goes on as if it had not asked */
        return 1;
    case SIM_KNOWN_CHANGE:
        a = &changed;
        break;
    default:
        break;
    }
    if (sim_act_checked(w, a, r, 1) != 0) {
        return -1;
    }
    return sim_peer_apply(w, a, r);
}

/* Not inlined: one copy of the checked action for every caller but the
 * guests' hypercalls (sim_act_inline). */
__attribute__((noinline)) int sim_act(sim_world *w, const sim_action *a, sim_result *r)
{
    return sim_act_inline(w, a, r);
}

/* Stops the run for a reason that is not an invariant (lockstep). */
static void stop(sim_world *w, int exit_code, const sim_action *a, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void stop(sim_world *w, int exit_code, const sim_action *a, const char *fmt, ...)
{
    va_list ap;
    char line[SIM_TRACE_LINE_ROOM];
    if (w->failed) {
        return;
    }
    w->failed = 1;
    w->fail_exit = exit_code;
    w->fail_vcpu = a->vcpu < w->o->vcpus ? a->vcpu : 0;
    va_start(ap, fmt);
    vsnprintf(w->fail_msg, sizeof(w->fail_msg), fmt, ap);
    va_end(ap);
    sim_action shown = *a;
    shown.data = NULL; /* keep the report short */
    shown.data_len = 0;
    size_t n = sim_format_action(line, &shown);
    line[n > 0 ? n - 1 : 0] = '\0';
    fprintf(w->err, "%s at step %" PRIu64 ": %s\n  action: %s\n",
            exit_code == SIM_EXIT_FINDING ? "FINDING" : "DIVERGENCE", w->step, w->fail_msg, line);
}

/* Lockstep with v7: the firmware registers after each action (exec.h). */
static int compare_fwregs(sim_world *w, const sim_action *a)
{
    char msg[256];
    int rc = sim_fwregs_compare(&w->t, &w->peer, w->o->vcpus, msg, sizeof(msg));
    if (rc == SIM_IMPL_FINDING) {
        stop(w, SIM_EXIT_FINDING, a, "%s failed: %s", w->o->peer->name, msg);
    } else if (rc != 0) {
        stop(w, SIM_EXIT_DIVERGENCE, a, "%s", msg);
    }
    return rc != 0 ? -1 : 0;
}

int sim_peer_apply(sim_world *w, const sim_action *a, const sim_result *r)
{
    sim_result pr;
    char *msg = w->peer_msg;
    int rc = sim_exec(&w->peer, a, &pr, msg, sizeof(w->peer_msg));
    if (rc == SIM_IMPL_FINDING) {
        stop(w, SIM_EXIT_FINDING, a, "%s failed: %s", w->o->peer->name, msg);
        return -1;
    }
    if (rc != 0) {
        stop(w, SIM_EXIT_DIVERGENCE, a, "%s rejects an action the model takes: %s",
             w->o->peer->name, msg);
        return -1;
    }
    if (pr.kind == SIM_R_UNAVAILABLE) {
        w->s->peer_unavailable++;
        /* The guests go on as the model took the action (a power transition
         * resets register files): the peer's files follow the model's. */
        for (uint32_t v = 0; v < w->t.cfg.nr_vcpus; v++) {
            *w->peer.ops->regs(w->peer.impl, v) = *w->t.ops->regs(w->t.impl, v);
        }
        return 0;
    }
    if (!w->o->peer_compare) {
        return 0;
    }
    w->s->peer_compared++;
    if (sim_result_compare(NULL, r, &pr) == 0) {
        return compare_fwregs(w, a);
    }
    stop(w, SIM_EXIT_DIVERGENCE, a, "the model and %s differ (expected = model, actual = %s)",
         w->o->peer->name, w->o->peer->name);
    (void)sim_result_compare(w->err, r, &pr);
    return -1;
}

uint64_t sim_mpidr_of(sim_world *w, uint32_t v)
{
    return sdei_vcpu_mpidr(sim_vm(w), v);
}

/* The model's view of vCPU v without the saved contexts, which the guests
 * never read (v < nr_vcpus always holds in the simulator). */
void sim_vcpu_view(sim_world *w, uint32_t v, sdei_vcpu_view *out)
{
    if (sdei_vcpu_view_brief(sim_vm(w), v, out) != SDEI_OK) {
        memset(out, 0, sizeof(*out));
    }
}
