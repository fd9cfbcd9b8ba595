/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim.c - the deterministic simulator's setup, main loop and summary
 * (DESIGN §5; docs/simulator.md). The world's parts are in world.h.
 *
 * Every action goes through the executor (driver/exec.c), the layer the
 * replayer uses, so a trace written here replays through the same code.
 * Invariants are incremental: each step checks the vCPU that acted plus O(1)
 * global counters; the blob round trip and the model's own consistency check
 * run every K steps and at every migration (a full round trip every step
 * would cost ~100x the step).
 */
#include "sim.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blobfmt.h"
#include "exec.h"
#include "names.h"
#include "options.h"
#include "prng.h"
#include "replay.h"
#include "trace.h"
#include "world.h"

const char *const sim_sometimes_names[SIM_ST_COUNT] = {
#define X(id, name, quirks) name,
    SIM_SOMETIMES_LIST(X)
#undef X
};
const uint64_t sim_sometimes_quirks[SIM_ST_COUNT] = {
#define X(id, name, quirks) quirks,
    SIM_SOMETIMES_LIST(X)
#undef X
};

/* ---------------------------------------------------------------------------
 * Setup and the main loop.
 * ------------------------------------------------------------------------- */
static void setup_events(sim_world *w)
{
    for (uint32_t i = 0; i < w->sw.nev; i++) {
        sim_action a;
        sim_result r;
        sim_action_clear(&a);
        a.kind = SIM_A_EXPOSE;
        a.num = w->sw.ev[i].num;
        a.type = w->sw.ev[i].type;
        a.priority = w->sw.ev[i].priority;
        a.signaled = w->sw.ev[i].signaled;
        (void)sim_act(w, &a, &r);
    }
    /* The simulator's event table is the model's: exposed events plus bind slots. */
    uint32_t n = sdei_vm_event_count(sim_vm(w));
    for (uint32_t i = 0; i < n && w->nev < MAX_EVENTS; i++) {
        sdei_event_desc d;
        if (sdei_vm_event_at(sim_vm(w), i, &d) != SDEI_OK) {
            continue;
        }
        sim_event *e = &w->ev[w->nev++];
        memset(e, 0, sizeof(*e));
        e->num = d.num;
        e->type = d.type;
        e->prio = d.priority;
        e->bindable = (d.num & ~UINT64_C(0xffff)) == SDEI_BIND_PRIVATE_BASE ||
                      (d.num & ~UINT64_C(0xffff)) == SDEI_BIND_SHARED_BASE;
    }
    if (w->sw.cfg.private_bind_slots + w->sw.cfg.shared_bind_slots == 0) {
        w->unreachable |= UINT64_C(1) << SIM_ST_BOUND_IRQ_DELIVERED;
    }
}

void sim_print_replay(FILE *f, const sim_options *o, uint64_t steps)
{
    sim_options_print_replay(f, o, steps);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Writes the whole-VM save of vm to path (for `sdei-sim blob decode|lint`
 * and for VMM developers who want a real save to test against). */
static int write_save(const sdei_vm *vm, const char *path, FILE *err)
{
    size_t size = 0, written = 0;
    if (sdei_vm_save_size(vm, &size) != SDEI_OK) {
        fprintf(err, "sdei-sim: cannot size the save of the final VM\n");
        return -1;
    }
    uint8_t *buf = malloc(size);
    if (buf == NULL || sdei_vm_save(vm, buf, size, &written) != SDEI_OK) {
        free(buf);
        fprintf(err, "sdei-sim: cannot save the final VM\n");
        return -1;
    }
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(buf, 1, written, f) == written;
    int e = errno;
    if (f != NULL && fclose(f) != 0) {
        e = ok ? errno : e;
        ok = 0;
    }
    free(buf);
    if (!ok) {
        fprintf(err, "sdei-sim: cannot write %s: %s\n", path, strerror(e));
        return -1;
    }
    return 0;
}

/* The trace header (the world's configuration) and the provenance comment. */
static void write_trace_header(sim_world *w)
{
    const sim_options *o = w->o;
    const sdei_config *c = &w->sw.cfg;
    sim_header *h = calloc(1, sizeof(*h));
    char *line = NULL;
    if (h != NULL) {
        h->version = SIM_TRACE_VERSION;
        h->profile = c->profile;
        h->vcpus = c->nr_vcpus;
        h->seed = o->seed;
        h->has_seed = 1;
        h->span = c->sctlr_el1_span;
        h->quirks_override = c->quirks_override;
        h->quirks = c->quirks;
        h->has_bind = (uint8_t)(o->swarm != 0);
        h->private_bind_slots = c->private_bind_slots;
        h->shared_bind_slots = c->shared_bind_slots;
        if (w->sw.sparse_mpidr) {
            h->nr_mpidr = c->nr_vcpus;
            memcpy(h->mpidr, w->sw.mpidr, c->nr_vcpus * sizeof(uint64_t));
        }
        line = malloc(sim_format_header_room(h));
    }
    if (line == NULL) {
        w->twrite_failed = ENOMEM; /* reported as "cannot write" when the trace closes */
        free(h);
        return;
    }
    sim_format_header(line, h);
    sim_trace_text(w, line);
    free(line);
    free(h);
    char opts[2048];
    sim_options_format(o, o->steps, opts, sizeof(opts));
    sim_trace_text(w, "# sdei-sim run ");
    sim_trace_text(w, opts);
    sim_trace_text(w, "\n");
}

/* Creates the VM, the buffers, the trace file and the guests. Returns
 * SIM_EXIT_OK or the exit code of the failure (reported on err). */
static int world_open(sim_world *w)
{
    const sim_options *o = w->o;
    char msg[256];
    sim_swarm_make(o, &w->sw);
    if (sim_target_init(&w->t, &w->sw.cfg, msg, sizeof(msg)) != 0) {
        fprintf(w->err, "sdei-sim: %s\n", msg);
        return SIM_EXIT_BAD_INPUT;
    }
    w->have_target = 1;
    w->vm = sim_target_model(&w->t);
    if (o->peer != NULL) {
        if (sim_target_init_impl(&w->peer, o->peer, &w->sw.cfg, msg, sizeof(msg)) != 0) {
            fprintf(w->err, "sdei-sim: %s: %s\n", o->peer->name, msg);
            return SIM_EXIT_BAD_INPUT;
        }
        w->have_peer = 1;
    }
    w->quirks = sdei_vm_quirks(sim_vm(w));
    w->s->quirks = w->quirks;
    if (sim_checks_open(w) != 0) {
        return SIM_EXIT_IO;
    }
    w->vc = calloc(o->vcpus, sizeof(*w->vc));
    w->tcap = 1u << 20;
    w->tbuf = malloc(w->tcap);
    if (w->vc == NULL || w->tbuf == NULL) {
        return SIM_EXIT_IO;
    }
    if (o->trace_out != NULL) {
        w->tf = fopen(o->trace_out, "wb");
        if (w->tf == NULL) {
            fprintf(w->err, "sdei-sim: cannot write %s: %s\n", o->trace_out, strerror(errno));
            return SIM_EXIT_IO;
        }
    }
    w->tracing = o->trace_out != NULL || o->hash;
    w->debug_regs = getenv("SDEI_SIM_TRACE_REGS") != NULL;
    sim_prng_seed(&w->sched, o->seed, SIM_STREAM_SCHED);
    sim_prng_seed(&w->guest, o->seed, SIM_STREAM_GUEST);
    sim_prng_seed(&w->vmm, o->seed, SIM_STREAM_VMM);
    sim_prng_seed(&w->fault, o->seed, SIM_STREAM_FAULT);
    if (w->tracing) {
        write_trace_header(w);
    }
    setup_events(w);
    /* The last ceil(vcpus * permille / 1000) vCPUs run the hostile guest. */
    uint32_t nhostile = (uint32_t)(((uint64_t)o->vcpus * o->hostile_permille + 999u) / 1000u);
    for (uint32_t v = 0; v < o->vcpus; v++) {
        w->vc[v].hostile = v >= o->vcpus - nhostile;
        w->vc[v].code_pc = UINT64_C(0x80000) + ((uint64_t)v << 16);
        sim_plan_boot(w, v);
    }
    return SIM_EXIT_OK;
}

/* Debug aid (SDEI_SIM_TRACE_REGS=1): a register check after every step, so a
 * replay finds the first step where the two differ. */
static void trace_regs(sim_world *w)
{
    for (uint32_t v = 0; v < w->o->vcpus; v++) {
        char line[256];
        const sdei_regs *g = sim_target_regs(&w->t, v);
        snprintf(line, sizeof(line),
                 "= regs %u x0=0x%" PRIx64 " x1=0x%" PRIx64 " x2=0x%" PRIx64 " x3=0x%" PRIx64
                 " x4=0x%" PRIx64 " pc=0x%" PRIx64 " pstate=0x%" PRIx64 "\n",
                 v, g->x[0], g->x[1], g->x[2], g->x[3], g->x[4], g->pc, g->pstate);
        sim_trace_text(w, line);
    }
}

/* One scheduler decision: a migration, a vCPU (entry or guest step) or the VMM. */
static void step(sim_world *w, uint32_t slots)
{
    const sim_options *o = w->o;
    uint32_t pick = sim_prng_below(&w->sched, slots);
    if (o->migrate_every != 0 && sim_prng_below(&w->sched, o->migrate_every) == 0) {
        sim_do_migrate(w);
    } else if (pick < o->vcpus) {
        if (sdei_vcpu_has_deliverable(sim_vm(w), pick) && sim_prng_below(&w->sched, 8) != 0) {
            sim_deliver(w, pick);
        } else {
            sim_guest_step(w, pick);
        }
    } else {
        sim_vmm_step(w);
    }
}

static void run_loop(sim_world *w)
{
    const sim_options *o = w->o;
    uint32_t slots = o->vcpus + o->vcpus / 8u + 1u; /* the VMM weighs vcpus/8 + 1 */
    double t0 = now_s(), last = t0;
    uint64_t steps =
        o->stop_after_steps != 0 && o->stop_after_steps < o->steps ? o->stop_after_steps : o->steps;
    for (w->step = 0; w->step < steps && !w->failed; w->step++) {
        step(w, slots);
        w->s->invariant_checks++;
        if (w->debug_regs && w->tracing) {
            trace_regs(w);
        }
        if (o->blob_every != 0 && (w->step + 1) % o->blob_every == 0 && !w->failed) {
            sim_check_blobs(w);
        }
        if (o->progress && (w->step & 0xFFFFu) == 0) {
            double t = now_s();
            if (t - last >= 2.0) {
                last = t;
                fprintf(w->err, "[sdei-sim] step %" PRIu64 " / %" PRIu64 " (%.0f steps/s)\n",
                        w->step, steps, (double)w->step / (t - t0));
            }
        }
    }
    w->s->steps = w->step;
    w->s->seconds = now_s() - t0;
}

static int report_invariant(sim_world *w, const char *when, uint64_t replay_steps)
{
    fprintf(w->err, "INVARIANT FAILED %s: %s\n  %s\n", when,
            sim_invariant_names[w->s->failed_invariant], w->fail_msg);
    sim_dump_state(w->err, &w->t, w->fail_vcpu);
    sim_print_replay(w->err, w->o, replay_steps);
    return SIM_EXIT_INVARIANT;
}

/* After the loop: the final checks, --require-all, the save file. */
static int world_finish(sim_world *w)
{
    const sim_options *o = w->o;
    sim_summary *s = w->s;
    char when[64];
    int rc = SIM_EXIT_OK;
    if (w->failed && w->fail_exit != 0) {
        /* lockstep: the trace so far ends with the action that differed */
        s->failed_step = w->step - 1;
        sim_trace_flush(w);
        sim_dump_state(w->err, &w->t, w->fail_vcpu);
        if (o->trace_out != NULL) {
            fprintf(w->err, "REPLAY: sdei-sim replay --target=%s %s\n", o->peer->name,
                    o->trace_out);
        }
        sim_print_replay(w->err, o, s->failed_step + 1);
        return w->fail_exit;
    }
    if (w->failed) {
        s->failed_step = w->step - 1;
        sim_trace_flush(w);
        snprintf(when, sizeof(when), "at step %" PRIu64, s->failed_step);
        rc = report_invariant(w, when, s->failed_step + 1);
    } else {
        sim_check_blobs(w);
        if (w->failed) {
            s->failed_step = w->step;
            rc = report_invariant(w, "at the end", w->step);
        }
    }
    s->trace_hash = w->tracing ? w->hash : 0;
    if (rc == SIM_EXIT_OK && o->require_all) {
        for (unsigned i = 0; i < SIM_ST_COUNT; i++) {
            if (s->sometimes[i] == 0 && (w->quirks & sim_sometimes_quirks[i]) == 0 &&
                !(w->unreachable & (UINT64_C(1) << i))) {
                fprintf(w->err, "sometimes target never reached: %s\n", sim_sometimes_names[i]);
                size_t used = strlen(s->failure);
                snprintf(s->failure + used, sizeof(s->failure) - used, "%s%s",
                         used ? ", " : "sometimes target never reached: ", sim_sometimes_names[i]);
                rc = SIM_EXIT_UNREACHED;
            }
        }
        if (rc != SIM_EXIT_OK) {
            sim_print_replay(w->err, o, o->steps);
        }
    }
    if (o->save_out != NULL && write_save(sim_vm(w), o->save_out, w->err) != 0 &&
        rc == SIM_EXIT_OK) {
        rc = SIM_EXIT_IO;
    }
    return rc;
}

/* Flushes and closes the trace; frees the world. Returns rc, or SIM_EXIT_IO
 * when the trace could not be written completely. */
static int world_close(sim_world *w, int rc)
{
    sim_trace_flush(w);
    if (w->tf != NULL) {
        /* A failed write (disk full) or close leaves an incomplete trace: an
         * I/O error, unless an invariant failure is the bigger news. */
        int closed = fclose(w->tf) == 0;
        if (!closed || w->twrite_failed) {
            fprintf(w->err, "sdei-sim: cannot write %s: %s\n", w->o->trace_out,
                    strerror(w->twrite_failed ? w->twrite_failed : errno));
            if (rc == SIM_EXIT_OK) {
                rc = SIM_EXIT_IO;
            }
        }
    }
    if (w->have_inv) {
        sim_inv_fini(&w->inv);
    }
    if (w->have_target) {
        sim_target_fini(&w->t);
    }
    if (w->have_peer) {
        sim_target_fini(&w->peer);
    }
    free(w->vc);
    free(w->tbuf);
    free(w);
    return rc;
}

int sim_run(const sim_options *o, sim_summary *s, FILE *err)
{
    sim_world *w = calloc(1, sizeof(*w));
    memset(s, 0, sizeof(*s));
    s->failed_invariant = -1;
    if (w == NULL) {
        return SIM_EXIT_IO;
    }
    w->o = o;
    w->s = s;
    w->err = err;
    w->hash = UINT64_C(0xcbf29ce484222325);
    int rc = world_open(w);
    if (rc == SIM_EXIT_OK) {
        run_loop(w);
        rc = world_finish(w);
    }
    rc = world_close(w, rc);
    s->exit_code = rc;
    return rc;
}

/* A JSON string, or null for "". */
static void json_string(FILE *f, const char *text)
{
    if (text[0] == '\0') {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            fprintf(f, "\\%c", *p);
        } else if ((unsigned char)*p < 0x20) {
            fprintf(f, "\\u%04x", (unsigned)(unsigned char)*p);
        } else {
            fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* What failed, where, and how to reproduce it: the failing step's replay
 * command (the options serialiser: options.c). */
static void sim_print_json_failure(FILE *f, const sim_options *o, const sim_summary *s)
{
    /* a failed invariant's replay stops at the step that failed (s->steps) */
    uint64_t steps = s->failed_invariant >= 0 ? s->steps : o->steps;
    fputs(",\"failure\":", f);
    json_string(f, s->failure);
    if (s->failed_invariant >= 0) {
        fprintf(f, ",\"failed_step\":%" PRIu64, s->failed_step);
    } else {
        fputs(",\"failed_step\":null", f);
    }
    sim_options_json(f, o, steps, s->quirks);
}

void sim_print_summary(FILE *f, const sim_options *o, const sim_summary *s, int json)
{
    double rate = s->seconds > 0 ? (double)s->steps / s->seconds : 0.0;
    if (json) {
        fprintf(f,
                "{\"seed\":\"0x%" PRIx64 "\",\"vcpus\":%u,\"profile\":\"%s\",\"steps\":%" PRIu64
                ",\"seconds\":%.3f,\"steps_per_second\":%.0f,\"hvcs\":%" PRIu64
                ",\"deliveries\":%" PRIu64 ",\"completions\":%" PRIu64 ",\"vmm_actions\":%" PRIu64
                ",\"triggers\":%" PRIu64 ",\"migrations\":%" PRIu64
                ",\"migrations_refused\":%" PRIu64 ",\"invariant_checks\":%" PRIu64
                ",\"exit_code\":%d",
                o->seed, o->vcpus, sim_profile_name(o->profile), s->steps, s->seconds, rate,
                s->hvcs, s->deliveries, s->completions, s->vmm_actions, s->triggers, s->migrations,
                s->migrations_refused, s->invariant_checks, s->exit_code);
        if (s->trace_hash != 0) {
            fprintf(f, ",\"trace_hash\":\"%016" PRIx64 "\"", s->trace_hash);
        }
        if (o->peer != NULL) {
            fprintf(f,
                    ",\"peer\":\"%s\",\"peer_compared\":%" PRIu64 ",\"peer_unavailable\":%" PRIu64,
                    o->peer->name, s->peer_compared, s->peer_unavailable);
        }
        fputs(",\"migrations_refused_why\":", f);
        json_string(f, s->refused_why);
        fprintf(f, ",\"failed_invariant\":%s%s%s", s->failed_invariant >= 0 ? "\"" : "",
                s->failed_invariant >= 0 ? sim_invariant_names[s->failed_invariant] : "null",
                s->failed_invariant >= 0 ? "\"" : "");
        sim_print_json_failure(f, o, s);
        fprintf(f, ",\"sometimes\":{");
        for (unsigned i = 0; i < SIM_ST_COUNT; i++) {
            fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "", sim_sometimes_names[i], s->sometimes[i]);
        }
        fprintf(f, "},\"known_avoided\":{");
        for (unsigned i = 0; i < SIM_KNOWN_COUNT; i++) {
            fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "", sim_known_names[i], s->avoided[i]);
        }
        fprintf(f, "}}\n");
        return;
    }
    fprintf(f, "== sdei-sim summary\n");
    fprintf(f, "seed 0x%" PRIx64 ", %u vCPUs, profile %s\n", o->seed, o->vcpus,
            sim_profile_name(o->profile));
    fprintf(f, "steps %" PRIu64 " in %.2f s (%.0f steps/s, invariants on)\n", s->steps, s->seconds,
            rate);
    fprintf(f,
            "hypercalls %" PRIu64 ", deliveries %" PRIu64 ", completions %" PRIu64
            ", VMM actions %" PRIu64 ", triggers %" PRIu64 ", migrations %" PRIu64 "\n",
            s->hvcs, s->deliveries, s->completions, s->vmm_actions, s->triggers, s->migrations);
    if (s->migrations_refused != 0) {
        fprintf(f, "migrations refused %" PRIu64 " (the first: %s)\n", s->migrations_refused,
                s->refused_why);
    }
    if (o->peer != NULL) {
        fprintf(f,
                "lockstep with %s: %" PRIu64 " results compared, %" PRIu64
                " actions not available there\n",
                o->peer->name, s->peer_compared, s->peer_unavailable);
        for (unsigned i = 0; i < SIM_KNOWN_COUNT; i++) {
            if (s->avoided[i] != 0) {
                fprintf(f, "stepped around known finding %s: %" PRIu64 " (%s)\n",
                        sim_known_names[i], s->avoided[i], sim_known_what[i]);
            }
        }
    }
    if (s->trace_hash != 0) {
        fprintf(f, "trace %" PRIu64 " bytes, hash %016" PRIx64 "\n", s->trace_bytes, s->trace_hash);
    }
    fprintf(f, "\n| sometimes target | count |\n| --- | ---: |\n");
    for (unsigned i = 0; i < SIM_ST_COUNT; i++) {
        fprintf(f, "| %s | %" PRIu64 "%s |\n", sim_sometimes_names[i], s->sometimes[i],
                s->sometimes[i] == 0 ? " (never)" : "");
    }
    fprintf(f, "\nresult: %s\n",
            s->exit_code == 0          ? "ok"
            : s->failed_invariant >= 0 ? "INVARIANT FAILED"
                                       : "FAILED");
}
