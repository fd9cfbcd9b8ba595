/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - the sdei-sim command-line tool.
 *
 *   sdei-sim run     random simulation with invariants (sim.c)
 *   sdei-sim replay  re-execute traces, stop at the first divergence
 *   sdei-sim blob    decode / diff / lint blob files and saved VMs
 *   sdei-sim table   the state table as Markdown or Graphviz DOT
 *
 * Exit codes: 0 ok, 1 divergence, 2 invariant, 3 bad input (including usage),
 * 4 I/O, 5 a --require-all target never reached.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blobfmt.h"
#include "names.h"
#include "replay.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_model.h"
#include "sim.h"
#include "trace.h"

static const char usage_main[] =
    "usage: sdei-sim COMMAND [OPTIONS]\n"
    "commands:\n"
    "  run      random deterministic simulation with invariants\n"
    "  replay   replay trace files, compare every result and blob\n"
    "  blob     decode | diff | lint blob files or saved VMs\n"
    "  table    print the SDEI state table (Markdown, or --dot for Graphviz)\n"
    "  help     this text; 'sdei-sim COMMAND --help' for a command\n"
    "exit codes: 0 ok, 1 divergence, 2 invariant, 3 bad input, 4 I/O, 5 unreached target\n";

static const char usage_run[] =
    "usage: sdei-sim run [--seed=N] [--vcpus=1..512] [--steps=N] [--profile=spec|kvm-v5|absent]\n"
    "                    [--trace-out=FILE] [--save-out=FILE] [--hash] [--json]\n"
    "                    [--require-all] [--quiet] [--quirks=+name,-name,...]\n"
    "                    [--strict-invariants] [--swarm]\n"
    "                    [--migrate-every=N] [--blob-every=K] [--hostile=PERMILLE]\n"
    "  --seed          decimal or 0x-hex; without it a seed is drawn and printed\n"
    "  --vcpus         number of vCPUs (default 8)\n"
    "  --steps         scheduler steps (default 100000)\n"
    "  --profile       model profile (default spec)\n"
    "  --trace-out     write the trace (docs/trace-format.md) to FILE\n"
    "  --save-out      write the final VM as a whole-VM save (docs/migration.md) to FILE\n"
    "  --quirks        switch quirks on (+) or off (-) relative to the profile\n"
    "  --strict-invariants  check every invariant even where a quirk breaks it (a run\n"
    "                  with such a quirk must then fail: proof the checker sees it)\n"
    "  --swarm         draw the world from the seed too: events, MPIDRs, SPAN, bind\n"
    "                  slots, kvm-v5 quirk subsets (in the trace header)\n"
    "  --hash          hash the trace text even without --trace-out (determinism checks)\n"
    "  --json          summary as one JSON object on stdout\n"
    "  --require-all   fail (exit 5) if a reachable 'sometimes' target was never hit\n"
    "  --migrate-every mean steps between migrations (0 = never; default 5000)\n"
    "  --blob-every    full blob round trip every K steps (default 4096)\n"
    "  --hostile       share of hostile vCPUs in per mille (default 125)\n"
    "  --quiet         no progress lines on stderr\n";

static const char usage_replay[] =
    "usage: sdei-sim replay [--quiet] [--stats] FILE...\n"
    "  replays each trace; stops at the first divergence with the line number,\n"
    "  expected and actual values, a field-by-field blob diff and a state dump.\n"
    "  --stats  print replayed lines per second\n";

static const char usage_blob[] =
    "usage: sdei-sim blob decode [--kind=K] FILE\n"
    "       sdei-sim blob diff [--kind=K] FILE_A FILE_B\n"
    "       sdei-sim blob lint [--kind=K] [--vcpus=N] FILE\n"
    "  FILE holds raw blobs (entries back to back) or a whole-VM save (magic 'SDEI');\n"
    "  decode and diff of saves go blob by blob, field by field.\n"
    "  K: exposed | registered | vcpu_event | vcpu_state (default: guessed from the size)\n";

static const char usage_table[] =
    "usage: sdei-sim table [--dot]\n"
    "  prints the state x action table of the model (rule per cell) as Markdown,\n"
    "  or as a Graphviz DOT state diagram with --dot.\n";

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "sdei-sim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return SIM_EXIT_BAD_INPUT;
}

static int opt_value(const char *arg, const char *name, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) == 0 && arg[n] == '=') {
        *val = arg + n + 1;
        return 1;
    }
    return 0;
}

static int parse_num(const char *s, uint64_t *out)
{
    return sim_parse_u64(s, strlen(s), out) == 0 && s[0] != '-' ? 0 : -1;
}

/* ---------------------------------------------------------------------------
 * run
 * ------------------------------------------------------------------------- */
static uint64_t draw_seed(void)
{
    uint64_t s = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f != NULL) {
        if (fread(&s, sizeof(s), 1, f) != 1) {
            s = 0;
        }
        fclose(f);
    }
    if (s == 0) {
        s = (uint64_t)time(NULL) * UINT64_C(0x9E3779B97F4A7C15);
    }
    return s;
}

/* --quirks=+name,-name,...: quirks switched on or off relative to the
 * profile (applied after --profile, whatever the order on the line). */
static int parse_quirk_spec(const char *spec, sim_options *o)
{
    uint64_t quirks = sdei_profile_quirks(o->profile);
    const char *p = spec;
    while (*p != '\0') {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        char name[64];
        if (len < 2 || len - 1 >= sizeof(name) || (p[0] != '+' && p[0] != '-')) {
            return -1;
        }
        memcpy(name, p + 1, len - 1);
        name[len - 1] = '\0';
        int q = sdei_quirk_by_name(name);
        if (q < 0) {
            return -1;
        }
        if (p[0] == '+') {
            quirks |= UINT64_C(1) << q;
        } else {
            quirks &= ~(UINT64_C(1) << q);
        }
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    o->quirks_override = 1;
    o->quirks = quirks;
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    sim_options o;
    sim_summary s;
    int json = 0, quiet = 0, have_seed = 0;
    const char *quirk_spec = NULL;
    sim_options_default(&o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        uint64_t n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_run, stdout);
            return 0;
        } else if (opt_value(a, "--seed", &v)) {
            if (parse_num(v, &o.seed) != 0) {
                return usage_error(usage_run, "--seed: expected a number, got '%s'", v);
            }
            have_seed = 1;
        } else if (opt_value(a, "--vcpus", &v)) {
            if (parse_num(v, &n) != 0 || n < 1 || n > SDEI_MAX_VCPUS) {
                return usage_error(usage_run, "--vcpus: expected 1..512, got '%s'", v);
            }
            o.vcpus = (uint32_t)n;
        } else if (opt_value(a, "--steps", &v)) {
            if (parse_num(v, &o.steps) != 0) {
                return usage_error(usage_run, "--steps: expected a number, got '%s'", v);
            }
        } else if (opt_value(a, "--profile", &v)) {
            int p = sim_profile_by_name(v, strlen(v));
            if (p < 0) {
                return usage_error(usage_run, "--profile: expected spec, kvm-v5 or absent, got '%s'", v);
            }
            o.profile = (sdei_profile)p;
        } else if (opt_value(a, "--trace-out", &v)) {
            o.trace_out = v;
        } else if (opt_value(a, "--save-out", &v)) {
            o.save_out = v;
        } else if (opt_value(a, "--quirks", &v)) {
            quirk_spec = v;
        } else if (strcmp(a, "--strict-invariants") == 0) {
            o.strict_invariants = 1;
        } else if (strcmp(a, "--swarm") == 0) {
            o.swarm = 1;
        } else if (opt_value(a, "--migrate-every", &v)) {
            if (parse_num(v, &n) != 0 || n > UINT32_MAX) {
                return usage_error(usage_run, "--migrate-every: expected a number, got '%s'", v);
            }
            o.migrate_every = (uint32_t)n;
        } else if (opt_value(a, "--blob-every", &v)) {
            if (parse_num(v, &n) != 0 || n > UINT32_MAX) {
                return usage_error(usage_run, "--blob-every: expected a number, got '%s'", v);
            }
            o.blob_every = (uint32_t)n;
        } else if (opt_value(a, "--hostile", &v)) {
            if (parse_num(v, &n) != 0 || n > 1000) {
                return usage_error(usage_run, "--hostile: expected 0..1000, got '%s'", v);
            }
            o.hostile_permille = (uint32_t)n;
        } else if (strcmp(a, "--hash") == 0) {
            o.hash = 1;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--require-all") == 0) {
            o.require_all = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else {
            return usage_error(usage_run, "run: unknown option '%s'", a);
        }
    }
    if (quirk_spec != NULL && parse_quirk_spec(quirk_spec, &o) != 0) {
        return usage_error(usage_run, "--quirks: expected +name,-name,... (names from "
                                      "docs/profiles-and-quirks.md), got '%s'",
                           quirk_spec);
    }
    if (!have_seed) {
        o.seed = draw_seed();
    }
    o.progress = !quiet;
    fprintf(stderr, "seed 0x%" PRIx64 "\n", o.seed);
    sim_print_replay(stderr, &o, o.steps);
    int rc = sim_run(&o, &s, stderr);
    sim_print_summary(stdout, &o, &s, json);
    return rc;
}

/* ---------------------------------------------------------------------------
 * replay
 * ------------------------------------------------------------------------- */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmd_replay(int argc, char **argv)
{
    int quiet = 0, stats = 0, files = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_replay, stdout);
            return 0;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--stats") == 0) {
            stats = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error(usage_replay, "replay: unknown option '%s'", argv[i]);
        } else {
            files++;
        }
    }
    if (files == 0) {
        return usage_error(usage_replay, "replay: expected at least one %s", "FILE");
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            continue;
        }
        sim_replay_stats st;
        double t0 = now_s();
        int rc = sim_replay_file(argv[i], stderr, quiet, &st);
        double dt = now_s() - t0;
        if (stats) {
            fprintf(stdout, "%s: %" PRIu64 " lines in %.3f s (%.0f lines/s)\n", argv[i], st.lines,
                    dt, dt > 0 ? (double)st.lines / dt : 0.0);
        }
        if (rc != SIM_EXIT_OK) {
            return rc;
        }
    }
    return SIM_EXIT_OK;
}

/* ---------------------------------------------------------------------------
 * blob
 * ------------------------------------------------------------------------- */
typedef struct file_buf {
    uint8_t *p;
    size_t n;
} file_buf;

#define BLOB_FILE_MAX (64u * 1024u * 1024u)

static int read_file(const char *path, file_buf *b)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1u << 16;
    b->n = 0;
    b->p = NULL;
    if (f == NULL) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return SIM_EXIT_IO;
    }
    b->p = malloc(cap);
    for (;;) {
        if (b->p == NULL) {
            fclose(f);
            fprintf(stderr, "%s: out of memory\n", path);
            return SIM_EXIT_IO;
        }
        size_t got = fread(b->p + b->n, 1, cap - b->n, f);
        b->n += got;
        if (got == 0) {
            break;
        }
        if (b->n == cap) {
            if (cap >= BLOB_FILE_MAX) {
                if (getc(f) == EOF) {
                    break; /* exactly BLOB_FILE_MAX bytes (or a read error: below) */
                }
                fclose(f);
                free(b->p);
                fprintf(stderr, "%s: larger than %u bytes\n", path, BLOB_FILE_MAX);
                return SIM_EXIT_BAD_INPUT;
            }
            cap *= 2;
            uint8_t *nb = realloc(b->p, cap);
            if (nb == NULL) {
                free(b->p);
            }
            b->p = nb;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b->p);
        fprintf(stderr, "%s: read error\n", path);
        return SIM_EXIT_IO;
    }
    return 0;
}

static int is_save(const file_buf *b)
{
    return b->n >= 4 && b->p[0] == 'S' && b->p[1] == 'D' && b->p[2] == 'E' && b->p[3] == 'I';
}

static int guess_kind(size_t n)
{
    if (n == 0) {
        return -1;
    }
    if (n % SDEI_BLOB_REGISTERED_SIZE == 0) {
        return SIM_BLOB_REGISTERED;
    }
    if (n % SDEI_BLOB_VCPU_STATE_SIZE == 0) {
        return SIM_BLOB_VCPU_STATE;
    }
    if (n % SDEI_BLOB_EXPOSED_SIZE == 0) {
        return SIM_BLOB_EXPOSED;
    }
    if (n % SDEI_BLOB_VCPU_EVENT_SIZE == 0) {
        return SIM_BLOB_VCPU_EVENT;
    }
    return -1;
}

static int blob_kind_for(const char *path, const file_buf *b, int kind)
{
    if (kind < 0) {
        kind = guess_kind(b->n);
    }
    if (kind < 0 || b->n % sim_blob_entry_size((unsigned)kind) != 0 || b->n == 0) {
        fprintf(stderr, "%s: %zu bytes is not a whole number of %s entries (use --kind=)\n", path,
                b->n, kind < 0 ? "blob" : sim_blob_kind_name((unsigned)kind));
        return -1;
    }
    return kind;
}

/* The vCPU count of a save (header: magic, version, vCPU count, u32 LE). */
static uint32_t save_vcpus(const file_buf *b)
{
    if (b->n < 12) {
        return 0;
    }
    return (uint32_t)b->p[8] | (uint32_t)b->p[9] << 8 | (uint32_t)b->p[10] << 16 |
           (uint32_t)b->p[11] << 24;
}


/* One kernel blob inside a whole-VM save (docs/migration.md, format 1). */
typedef struct save_piece {
    unsigned kind;   /* SIM_BLOB_* */
    uint32_t vcpu;   /* for vCPU blobs */
    uint32_t index;  /* entry index within its kind (and vCPU) */
    size_t off;      /* byte offset in the save */
} save_piece;

/* Lists the kernel blobs of a save in order; returns their number, or -1 with
 * *bad_off set if the layout runs past the buffer (never reads past it). */
static long save_pieces(const file_buf *b, save_piece *out, size_t cap, size_t *bad_off)
{
    const size_t hdr = 32;
    if (b->n < hdr) {
        *bad_off = 0;
        return -1;
    }
    uint32_t nv = sdei_get_le32(b->p + 8), ne = sdei_get_le32(b->p + 24), nr = sdei_get_le32(b->p + 28);
    size_t off = hdr;
    size_t n = 0;
    if (nv > SDEI_MAX_VCPUS || ne > SDEI_MAX_EVENTS || nr > SDEI_MAX_EVENTS) {
        *bad_off = 8;
        return -1;
    }
    for (uint32_t i = 0; i < ne + nr; i++) {
        unsigned kind = i < ne ? SIM_BLOB_EXPOSED : SIM_BLOB_REGISTERED;
        size_t sz = sim_blob_entry_size(kind);
        if (b->n - off < sz || n == cap) {
            *bad_off = off;
            return -1;
        }
        out[n++] = (save_piece){kind, 0, i < ne ? i : i - ne, off};
        off += sz;
    }
    for (uint32_t v = 0; v < nv; v++) {
        if (b->n - off < 8) {
            *bad_off = off;
            return -1;
        }
        uint32_t nq = sdei_get_le32(b->p + off);
        off += 8;
        if (nq > SDEI_MAX_EVENTS) {
            *bad_off = off - 8;
            return -1;
        }
        for (uint32_t i = 0; i <= nq; i++) {
            unsigned kind = i < nq ? SIM_BLOB_VCPU_EVENT : SIM_BLOB_VCPU_STATE;
            size_t sz = sim_blob_entry_size(kind);
            if (b->n - off < sz || n == cap) {
                *bad_off = off;
                return -1;
            }
            out[n++] = (save_piece){kind, v, i < nq ? i : 0, off};
            off += sz;
        }
    }
    return (long)n;
}

static void piece_label(const save_piece *pc, char *buf, size_t len)
{
    if (pc->kind == SIM_BLOB_EXPOSED || pc->kind == SIM_BLOB_REGISTERED) {
        snprintf(buf, len, "%s[%u] @%zu", sim_blob_kind_name(pc->kind), pc->index, pc->off);
    } else if (pc->kind == SIM_BLOB_VCPU_EVENT) {
        snprintf(buf, len, "vcpu %u %s[%u] @%zu", pc->vcpu, sim_blob_kind_name(pc->kind),
                 pc->index, pc->off);
    } else {
        snprintf(buf, len, "vcpu %u %s @%zu", pc->vcpu, sim_blob_kind_name(pc->kind), pc->off);
    }
}

/* Most pieces a save can hold: 128 + 128 + 512 * (128 + 1). */
#define SAVE_MAX_PIECES (2u * SDEI_MAX_EVENTS + SDEI_MAX_VCPUS * (SDEI_MAX_EVENTS + 1u))

static void dump_entries(const char *label, unsigned kind, const uint8_t *p, size_t n)
{
    size_t esz = sim_blob_entry_size(kind);
    for (size_t i = 0; i < n / esz; i++) {
        printf("%s%s[%zu]: ", label, sim_blob_kind_name(kind), i);
        sim_blob_dump(stdout, kind, p + i * esz);
    }
}

static int cmd_blob(int argc, char **argv)
{
    int kind = -1;
    uint32_t vcpus = 0;
    const char *files[2];
    int nf = 0;
    if (argc < 1) {
        return usage_error(usage_blob, "blob: expected %s", "decode, diff or lint");
    }
    const char *sub = argv[0];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs(usage_blob, stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        const char *v;
        uint64_t n;
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage_blob, stdout);
            return 0;
        } else if (opt_value(argv[i], "--kind", &v)) {
            kind = sim_blob_kind_by_name(v);
            if (kind < 0) {
                return usage_error(usage_blob, "--kind: expected exposed, registered, "
                                               "vcpu_event or vcpu_state, got '%s'",
                                   v);
            }
        } else if (opt_value(argv[i], "--vcpus", &v)) {
            if (parse_num(v, &n) != 0 || n < 1 || n > SDEI_MAX_VCPUS) {
                return usage_error(usage_blob, "--vcpus: expected 1..512, got '%s'", v);
            }
            vcpus = (uint32_t)n;
        } else if (argv[i][0] == '-') {
            return usage_error(usage_blob, "blob: unknown option '%s'", argv[i]);
        } else if (nf < 2) {
            files[nf++] = argv[i];
        } else {
            return usage_error(usage_blob, "blob: too many files ('%s')", argv[i]);
        }
    }
    int want = strcmp(sub, "diff") == 0 ? 2 : 1;
    if (strcmp(sub, "decode") != 0 && strcmp(sub, "diff") != 0 && strcmp(sub, "lint") != 0) {
        return usage_error(usage_blob, "blob: expected decode, diff or lint, got '%s'", sub);
    }
    if (nf != want) {
        return usage_error(usage_blob, "blob %s: wrong number of files", sub);
    }
    file_buf b[2];
    for (int i = 0; i < nf; i++) {
        int rc = read_file(files[i], &b[i]);
        if (rc != 0) {
            if (i == 1) {
                free(b[0].p);
            }
            return rc;
        }
    }
    int rc = 0;
    if (strcmp(sub, "lint") == 0) {
        if (is_save(&b[0])) {
            sdei_lint_finding fnd[64];
            uint32_t nv = vcpus != 0 ? vcpus : save_vcpus(&b[0]);
            uint32_t n = sdei_lint_save(b[0].p, b[0].n, nv, fnd, 64);
            for (uint32_t i = 0; i < n && i < 64; i++) {
                printf("%s: %s[%u].%s (@%u): %s\n", files[0], fnd[i].strct, fnd[i].entry,
                       fnd[i].field, fnd[i].offset, fnd[i].problem);
            }
            printf("%s: %u finding(s)\n", files[0], n);
            rc = n == 0 ? 0 : SIM_EXIT_DIVERGENCE;
        } else {
            int k = blob_kind_for(files[0], &b[0], kind);
            if (k < 0) {
                rc = SIM_EXIT_BAD_INPUT;
            } else {
                /* Raw blobs: the byte-level findings need no VM context. */
                size_t esz = sim_blob_entry_size((unsigned)k);
                uint32_t n = 0;
                for (size_t i = 0; i < b[0].n / esz; i++) {
                    const uint8_t *e = b[0].p + i * esz;
                    int pad = 0;
                    uint64_t notifier = 0;
                    if (k == SIM_BLOB_EXPOSED) {
                        for (int j = 11; j < 16; j++) pad |= e[j];
                        for (int j = 0; j < 8; j++) notifier |= (uint64_t)e[16 + j] << (8 * j);
                        if (notifier != 0) {
                            printf("%s: exposed[%zu].notifier: non-zero (a kernel pointer "
                                   "leaked to userspace, kvm-v5 §10 item 17)\n",
                                   files[0], i);
                            n++;
                        }
                    } else if (k == SIM_BLOB_REGISTERED) {
                        for (int j = 9; j < 16; j++) pad |= e[j];
                    } else if (k == SIM_BLOB_VCPU_EVENT) {
                        for (int j = 12; j < 16; j++) pad |= e[j];
                        if ((e[8] | e[9] | e[10] | e[11]) == 0) {
                            printf("%s: vcpu_event[%zu].event_count: 0 (an instance with "
                                   "nothing pending or running)\n",
                                   files[0], i);
                            n++;
                        }
                    } else {
                        for (int j = 1; j < 8; j++) pad |= e[j];
                    }
                    if (pad) {
                        printf("%s: %s[%zu].padding: non-zero\n", files[0],
                               sim_blob_kind_name((unsigned)k), i);
                        n++;
                    }
                }
                printf("%s: %u finding(s)\n", files[0], n);
                rc = n == 0 ? 0 : SIM_EXIT_DIVERGENCE;
            }
        }
    } else if (strcmp(sub, "decode") == 0) {
        if (is_save(&b[0])) {
            printf("%s: whole-VM save, %zu bytes, format %u, %u vCPUs\n", files[0], b[0].n,
                   b[0].n >= 8 ? (unsigned)b[0].p[4] : 0u, save_vcpus(&b[0]));
            save_piece *pcs = malloc(sizeof(*pcs) * SAVE_MAX_PIECES);
            size_t bad = 0;
            long np = pcs != NULL ? save_pieces(&b[0], pcs, SAVE_MAX_PIECES, &bad) : -1;
            if (np < 0) {
                fprintf(stderr, "%s: byte %zu: the save's layout runs past its end\n", files[0],
                        bad);
                rc = SIM_EXIT_BAD_INPUT;
            }
            for (long i = 0; i < np; i++) {
                char label[96];
                piece_label(&pcs[i], label, sizeof(label));
                printf("%s: ", label);
                sim_blob_dump(stdout, pcs[i].kind, b[0].p + pcs[i].off);
            }
            free(pcs);
        } else {
            int k = blob_kind_for(files[0], &b[0], kind);
            if (k < 0) {
                rc = SIM_EXIT_BAD_INPUT;
            } else {
                dump_entries("", (unsigned)k, b[0].p, b[0].n);
            }
        }
    } else if (is_save(&b[0]) && is_save(&b[1])) {
        /* Two saves: blob by blob, field by field, when their layouts match. */
        save_piece *pa = malloc(sizeof(*pa) * SAVE_MAX_PIECES);
        save_piece *pb = malloc(sizeof(*pb) * SAVE_MAX_PIECES);
        size_t bad = 0;
        long na = pa != NULL ? save_pieces(&b[0], pa, SAVE_MAX_PIECES, &bad) : -1;
        long nb = na >= 0 && pb != NULL ? save_pieces(&b[1], pb, SAVE_MAX_PIECES, &bad) : -1;
        if (na < 0 || nb < 0) {
            fprintf(stderr, "%s: byte %zu: the save's layout runs past its end\n",
                    files[na < 0 ? 0 : 1], bad);
            rc = SIM_EXIT_BAD_INPUT;
        } else {
            unsigned total = 0;
            int same_shape = na == nb;
            for (long i = 0; same_shape && i < na; i++) {
                same_shape = pa[i].kind == pb[i].kind && pa[i].vcpu == pb[i].vcpu;
            }
            if (!same_shape) {
                printf("the saves hold different sets of blobs (%ld vs %ld)\n", na, nb);
                total = 1;
            }
            for (long i = 0; same_shape && i < na; i++) {
                size_t esz = sim_blob_entry_size(pa[i].kind);
                if (memcmp(b[0].p + pa[i].off, b[1].p + pb[i].off, esz) != 0) {
                    char label[96];
                    piece_label(&pa[i], label, sizeof(label));
                    printf("%s:\n", label);
                    total += sim_blob_diff(stdout, pa[i].kind, b[0].p + pa[i].off,
                                           b[1].p + pb[i].off);
                }
            }
            if (same_shape && total == 0 && (b[0].n != b[1].n || memcmp(b[0].p, b[1].p, b[0].n))) {
                printf("the kernel blobs are equal; the model records (config, bindings, "
                       "registers) differ\n");
                total = 1;
            }
            printf("%u field(s) differ\n", total);
            rc = total == 0 ? 0 : SIM_EXIT_DIVERGENCE;
        }
        free(pa);
        free(pb);
    } else {
        int k = blob_kind_for(files[0], &b[0], kind);
        if (k < 0 || b[1].n != b[0].n) {
            if (k >= 0) {
                fprintf(stderr, "blob diff: sizes differ (%zu vs %zu bytes)\n", b[0].n, b[1].n);
            }
            rc = SIM_EXIT_BAD_INPUT;
        } else {
            size_t esz = sim_blob_entry_size((unsigned)k);
            unsigned total = 0;
            for (size_t i = 0; i < b[0].n / esz; i++) {
                if (memcmp(b[0].p + i * esz, b[1].p + i * esz, esz) != 0) {
                    printf("%s[%zu]:\n", sim_blob_kind_name((unsigned)k), i);
                    total += sim_blob_diff(stdout, (unsigned)k, b[0].p + i * esz,
                                           b[1].p + i * esz);
                }
            }
            printf("%u field(s) differ\n", total);
            rc = total == 0 ? 0 : SIM_EXIT_DIVERGENCE;
        }
    }
    for (int i = 0; i < nf; i++) {
        free(b[i].p);
    }
    return rc;
}

/* ---------------------------------------------------------------------------
 * table
 * ------------------------------------------------------------------------- */
static const char *cell_text(const sdei_table_cell *c, unsigned act, char *buf, size_t n)
{
    const char *res = act == SDEI_ACT_TRIGGER
                          ? (c->result == SDEI_TRIGGER_PENDING ? "pending" : "dropped")
                          : sim_result_name(c->result);
    if (c->kind == SDEI_CELL_TRANSITION) {
        snprintf(buf, n, "→%s %s", sdei_state_name((sdei_event_state)c->next),
                 res != NULL ? res : "?");
    } else {
        snprintf(buf, n, "%s%s%s", res != NULL ? res : "?", c->next != 0xFF ? " →" : "",
                 c->next != 0xFF ? sdei_state_name((sdei_event_state)c->next) : "");
    }
    return buf;
}

static int cmd_table(int argc, char **argv)
{
    int dot = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_table, stdout);
            return 0;
        } else if (strcmp(argv[i], "--dot") == 0) {
            dot = 1;
        } else {
            return usage_error(usage_table, "table: unknown option '%s'", argv[i]);
        }
    }
    char buf[64];
    if (dot) {
        printf("digraph sdei {\n  rankdir=LR;\n  node [shape=box];\n");
        for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
            printf("  %s [label=\"%s\\n%s\"];\n", sdei_state_name((sdei_event_state)s),
                   sdei_state_name((sdei_event_state)s),
                   sdei_state_spec_name((sdei_event_state)s));
        }
        for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
            for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
                const sdei_table_cell *c = &sdei_state_table[s][a];
                if (c->next >= SDEI_STATE_COUNT || (c->next == s && c->kind != 0)) {
                    continue;
                }
                if (c->next == s && c->kind == SDEI_CELL_TRANSITION) {
                    continue; /* "ok" self loops would clutter the diagram */
                }
                printf("  %s -> %s [label=\"%s\"];\n", sdei_state_name((sdei_event_state)s),
                       sdei_state_name((sdei_event_state)c->next),
                       sdei_action_name((sdei_action)a));
            }
        }
        printf("}\n");
        return 0;
    }
    printf("| state |");
    for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
        printf(" %s |", sdei_action_name((sdei_action)a));
    }
    printf("\n| --- |");
    for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
        printf(" --- |");
    }
    printf("\n");
    for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
        printf("| %s (%s) |", sdei_state_name((sdei_event_state)s),
               sdei_state_spec_name((sdei_event_state)s));
        for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
            printf(" %s |", cell_text(&sdei_state_table[s][a], a, buf, sizeof(buf)));
        }
        printf("\n");
    }
    printf("\nRules per cell:\n\n");
    for (unsigned s = 0; s < SDEI_STATE_COUNT; s++) {
        for (unsigned a = 0; a < SDEI_ACT_COUNT; a++) {
            const sdei_table_cell *c = &sdei_state_table[s][a];
            printf("- %s × %s: %s\n", sdei_state_name((sdei_event_state)s),
                   sdei_action_name((sdei_action)a), c->rule != NULL ? c->rule : "");
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return SIM_EXIT_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0) {
        return cmd_run(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "replay") == 0) {
        return cmd_replay(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "blob") == 0) {
        return cmd_blob(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "table") == 0) {
        return cmd_table(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    fprintf(stderr, "sdei-sim: unknown command '%s'\n%s", cmd, usage_main);
    return SIM_EXIT_BAD_INPUT;
}
