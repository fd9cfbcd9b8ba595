/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_blob.c - `sdei-sim blob decode|diff|lint`: raw kernel blobs (entries of
 * one kind back to back) and whole-VM saves. Saves are walked with the
 * model's own parser (sdei_save_walk) and linted with the model's lint
 * (sdei_lint_save, sdei_lint_blobs); driver/blobfmt.c names the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blobfmt.h"
#include "cli.h"
#include "report.h"
#include "sdei/sdei_blob.h"
#include "sdei/sdei_fwreg.h"

_Static_assert(SIM_BLOB_EXPOSED == (int)SDEI_SAVE_PIECE_EXPOSED &&
                   SIM_BLOB_REGISTERED == (int)SDEI_SAVE_PIECE_REGISTERED &&
                   SIM_BLOB_VCPU_EVENT == (int)SDEI_SAVE_PIECE_VCPU_EVENT &&
                   SIM_BLOB_VCPU_STATE == (int)SDEI_SAVE_PIECE_VCPU_STATE,
               "one kind numbering for the driver and the model");

enum { OPT_KIND = 1, OPT_VCPUS, OPT_REPORT };

static const struct option blob_options[] = {
    {"kind", required_argument, NULL, OPT_KIND},
    {"vcpus", required_argument, NULL, OPT_VCPUS},
    {"report", required_argument, NULL, OPT_REPORT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage_blob(void)
{
    puts("usage: sdei-sim blob decode [--kind=K] FILE\n"
         "       sdei-sim blob diff [--kind=K] FILE_A FILE_B\n"
         "       sdei-sim blob lint [--kind=K] [--vcpus=N] [--report=FILE] FILE\n"
         "FILE holds raw blobs (entries of one kind back to back) or a whole-VM save\n"
         "(magic 'SDEI', docs/migration.md), read with the model's own parser.\n"
         "\nOptions:\n"
         "  --kind=K    exposed | registered | vcpu_event | vcpu_state; needed when the\n"
         "              size fits several kinds (decode names the kind it assumed)\n"
         "  --vcpus=N   the VM's vCPU count for lint (default: the save's, or 512)\n"
         "  --report=FILE  lint: also write a JUnit XML report for CI systems (one\n"
         "              testcase, failed by findings or bad input, each finding listed)\n"
         "  -h, --help  this text\n"
         "\nExit status: 0 ok (decode: every field in range; diff: equal; lint: clean),\n"
         "1 the files differ (diff), 3 bad input (a malformed save, a size that fits\n"
         "no kind or several, a field out of range), 4 I/O error,\n"
         "7 lint findings (the blobs hold what a kernel accepts but is inconsistent).");
}

/* ---------------------------------------------------------------------------
 * Raw blobs: the kind.
 * ------------------------------------------------------------------------- */
static int is_save(const cli_file *b)
{
    return b->n >= 4 && memcmp(b->p, "SDEI", 4) == 0;
}

/* The kind of a raw blob file: the one given, else the only kind whose entry
 * size divides the file's; -1 after one line on err. */
static int raw_kind(const char *path, const cli_file *b, int kind, int quiet_guess, FILE *err)
{
    if (kind >= 0) {
        if (b->n == 0 || b->n % sim_blob_entry_size((unsigned)kind) != 0) {
            fprintf(err, "sdei-sim: %s: %zu bytes is not a whole number of %s entries\n", path,
                    b->n, sim_blob_kind_name((unsigned)kind));
            return -1;
        }
        return kind;
    }
    char fits[128] = "";
    int found = -1, nfit = 0;
    for (unsigned k = 0; k < SIM_BLOB_COUNT && b->n != 0; k++) {
        if (b->n % sim_blob_entry_size(k) == 0) {
            size_t used = strlen(fits);
            snprintf(fits + used, sizeof(fits) - used, "%s%s", nfit ? ", " : "",
                     sim_blob_kind_name(k));
            found = (int)k;
            nfit++;
        }
    }
    if (nfit == 0) {
        fprintf(err,
                "sdei-sim: %s: %zu bytes is not a whole number of entries of any kind "
                "(24, 8408, 16 or 344 bytes)\n",
                path, b->n);
        return -1;
    }
    if (nfit > 1) {
        fprintf(err, "sdei-sim: %s: %zu bytes fits several kinds (%s): use --kind=\n", path, b->n,
                fits);
        return -1;
    }
    if (!quiet_guess) {
        fprintf(err,
                "sdei-sim: %s: %zu bytes, decoded as %zu %s entries (the only kind that "
                "fits; --kind= to say so)\n",
                path, b->n, b->n / sim_blob_entry_size((unsigned)found),
                sim_blob_kind_name((unsigned)found));
    }
    return found;
}

/* Fields with a closed set of values (kvm-v5 §6: the SET commands refuse
 * others): one line per field out of range; returns their number. */
static unsigned check_ranges(const char *label, unsigned kind, const uint8_t *e)
{
    static const struct {
        unsigned kind;
        const char *field;
        unsigned off, max;
    } ranges[] = {
        {SIM_BLOB_EXPOSED, "type", 8, 1},      {SIM_BLOB_EXPOSED, "signaled", 9, 1},
        {SIM_BLOB_EXPOSED, "priority", 10, 1}, {SIM_BLOB_REGISTERED, "route_mode", 8, 1},
        {SIM_BLOB_VCPU_STATE, "masked", 0, 1},
    };
    unsigned bad = 0;
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        if (ranges[i].kind == kind && e[ranges[i].off] > ranges[i].max) {
            printf("%s.%s (@%u): 0x%x out of range (0..%u)\n", label, ranges[i].field,
                   ranges[i].off, e[ranges[i].off], ranges[i].max);
            bad++;
        }
    }
    return bad;
}

/* ---------------------------------------------------------------------------
 * Saves: pieces through the model's walker.
 * ------------------------------------------------------------------------- */
/* The field table of a piece: its kind, or for a v7 firmware register the
 * table of the register's layout. */
static unsigned piece_table(const sdei_save_piece *pc)
{
    return pc->kind == SDEI_SAVE_PIECE_FWREG ? sim_blob_fw_kind(pc->reg_id) : (unsigned)pc->kind;
}

static void piece_label(const sdei_save_piece *pc, char *buf, size_t len)
{
    const char *name = sim_blob_kind_name((unsigned)pc->kind);
    if (pc->kind == SDEI_SAVE_PIECE_FWREG) {
        const char *reg = sdei_fwreg_name(pc->reg_id);
        snprintf(buf, len, "vcpu %u fwreg %s @%zu", pc->vcpu, reg != NULL ? reg : "?", pc->offset);
    } else if (pc->vcpu == SDEI_BLOB_NO_VCPU) {
        snprintf(buf, len, "%s[%u] @%zu", name, pc->index, pc->offset);
    } else if (pc->kind == SDEI_SAVE_PIECE_VCPU_EVENT) {
        snprintf(buf, len, "vcpu %u %s[%u] @%zu", pc->vcpu, name, pc->index, pc->offset);
    } else {
        snprintf(buf, len, "vcpu %u %s @%zu", pc->vcpu, name, pc->offset);
    }
}

static int count_piece(const sdei_save_piece *pc, const uint8_t *bytes, void *ctx)
{
    (void)pc;
    (void)bytes;
    (*(size_t *)ctx)++;
    return 0;
}

/* Checks a save's structure: its piece count, or -1 after one line on out
 * naming the byte and the field. */
static long save_check(const char *path, const cli_file *b, FILE *out)
{
    sdei_blob_error err;
    size_t n = 0;
    if (sdei_save_walk(b->p, b->n, count_piece, &n, &err) != 0) {
        char who[32] = "";
        if (err.vcpu != SDEI_BLOB_NO_VCPU) {
            snprintf(who, sizeof(who), "vcpu %u ", err.vcpu);
        }
        fprintf(out, "sdei-sim: %s: byte %zu: %s%s.%s: %s\n", path, err.buf_offset, who, err.strct,
                err.field, err.problem);
        return -1;
    }
    return (long)n;
}

static int dump_piece(const sdei_save_piece *pc, const uint8_t *bytes, void *ctx)
{
    char label[96];
    piece_label(pc, label, sizeof(label));
    printf("%s: ", label);
    sim_blob_dump(stdout, piece_table(pc), bytes);
    *(unsigned *)ctx += check_ranges(label, piece_table(pc), bytes);
    return 0;
}

/* ---------------------------------------------------------------------------
 * decode
 * ------------------------------------------------------------------------- */
static int blob_decode(const char *path, const cli_file *b, int kind)
{
    unsigned bad = 0;
    if (is_save(b) && kind < 0) {
        if (save_check(path, b, stderr) < 0) {
            return SIM_EXIT_BAD_INPUT;
        }
        printf("%s: whole-VM save, %zu bytes, format %u, %u vCPUs\n", path, b->n,
               sdei_get_le32(b->p + 4), sdei_get_le32(b->p + 8));
        (void)sdei_save_walk(b->p, b->n, dump_piece, &bad, NULL);
    } else {
        int k = raw_kind(path, b, kind, 0, stderr);
        if (k < 0) {
            return SIM_EXIT_BAD_INPUT;
        }
        size_t esz = sim_blob_entry_size((unsigned)k);
        for (size_t i = 0; i < b->n / esz; i++) {
            char label[64];
            snprintf(label, sizeof(label), "%s[%zu]", sim_blob_kind_name((unsigned)k), i);
            printf("%s: ", label);
            sim_blob_dump(stdout, (unsigned)k, b->p + i * esz);
            bad += check_ranges(label, (unsigned)k, b->p + i * esz);
        }
    }
    if (bad != 0) {
        fprintf(stderr, "sdei-sim: %s: %u field(s) out of range: not a blob of this kind\n", path,
                bad);
        return SIM_EXIT_BAD_INPUT;
    }
    return SIM_EXIT_OK;
}

/* ---------------------------------------------------------------------------
 * diff
 * ------------------------------------------------------------------------- */
typedef struct piece_list {
    sdei_save_piece *v;
    size_t n, cap;
} piece_list;

static int collect_piece(const sdei_save_piece *pc, const uint8_t *bytes, void *ctx)
{
    piece_list *l = ctx;
    (void)bytes;
    if (l->n < l->cap) {
        l->v[l->n++] = *pc;
    }
    return 0;
}

/* The pieces of a checked save (save_check gave their number). */
static int save_pieces(const cli_file *b, long n, piece_list *l)
{
    l->n = 0;
    l->cap = (size_t)n;
    l->v = malloc(sizeof(*l->v) * (l->cap + 1));
    if (l->v == NULL) {
        fprintf(stderr, "sdei-sim: out of memory\n");
        return -1;
    }
    (void)sdei_save_walk(b->p, b->n, collect_piece, l, NULL);
    return 0;
}

static unsigned diff_pieces(const cli_file b[2], const piece_list *pa, const piece_list *pb)
{
    unsigned total = 0;
    int same_shape = pa->n == pb->n;
    for (size_t i = 0; same_shape && i < pa->n; i++) {
        same_shape = pa->v[i].kind == pb->v[i].kind && pa->v[i].vcpu == pb->v[i].vcpu &&
                     pa->v[i].reg_id == pb->v[i].reg_id;
    }
    if (!same_shape) {
        printf("the saves hold different sets of blobs (%zu vs %zu)\n", pa->n, pb->n);
        return 1;
    }
    for (size_t i = 0; i < pa->n; i++) {
        const uint8_t *x = b[0].p + pa->v[i].offset, *y = b[1].p + pb->v[i].offset;
        if (memcmp(x, y, pa->v[i].size) != 0) {
            char label[96];
            piece_label(&pa->v[i], label, sizeof(label));
            printf("%s:\n", label);
            total += sim_blob_diff(stdout, piece_table(&pa->v[i]), x, y);
        }
    }
    if (total == 0 && (b[0].n != b[1].n || memcmp(b[0].p, b[1].p, b[0].n) != 0)) {
        printf("the kernel blobs are equal; the model records (config, bindings, registers) "
               "differ\n");
        total = 1;
    }
    return total;
}

static int diff_saves(const char *const files[2], const cli_file b[2])
{
    long na = save_check(files[0], &b[0], stderr);
    long nb = na >= 0 ? save_check(files[1], &b[1], stderr) : -1;
    piece_list pa = {0}, pb = {0};
    int rc = SIM_EXIT_BAD_INPUT;
    if (na >= 0 && nb >= 0 && save_pieces(&b[0], na, &pa) == 0 &&
        save_pieces(&b[1], nb, &pb) == 0) {
        unsigned total = diff_pieces(b, &pa, &pb);
        printf("%u field(s) differ\n", total);
        rc = total == 0 ? SIM_EXIT_OK : SIM_EXIT_DIVERGENCE;
    }
    free(pa.v);
    free(pb.v);
    return rc;
}

static int blob_diff(const char *const files[2], const cli_file b[2], int kind)
{
    if (is_save(&b[0]) && is_save(&b[1]) && kind < 0) {
        return diff_saves(files, b);
    }
    int k = raw_kind(files[0], &b[0], kind, 1, stderr);
    if (k < 0) {
        return SIM_EXIT_BAD_INPUT;
    }
    if (b[1].n != b[0].n) {
        fprintf(stderr, "sdei-sim: blob diff: sizes differ (%zu vs %zu bytes)\n", b[0].n, b[1].n);
        return SIM_EXIT_BAD_INPUT;
    }
    size_t esz = sim_blob_entry_size((unsigned)k);
    unsigned total = 0;
    for (size_t i = 0; i < b[0].n / esz; i++) {
        if (memcmp(b[0].p + i * esz, b[1].p + i * esz, esz) != 0) {
            printf("%s[%zu]:\n", sim_blob_kind_name((unsigned)k), i);
            total += sim_blob_diff(stdout, (unsigned)k, b[0].p + i * esz, b[1].p + i * esz);
        }
    }
    printf("%u field(s) differ\n", total);
    return total == 0 ? SIM_EXIT_OK : SIM_EXIT_DIVERGENCE;
}

/* ---------------------------------------------------------------------------
 * lint: the model's lint, on a save or on raw blobs of one kind.
 * ------------------------------------------------------------------------- */
#define LINT_MAX 256u

static void print_findings(FILE *out, const char *path, const sdei_lint_finding *f, uint32_t n,
                           unsigned raw_kind_or_save)
{
    for (uint32_t i = 0; i < n && i < LINT_MAX; i++) {
        size_t byte = f[i].buf_offset;
        char who[32] = "";
        if (raw_kind_or_save != SIM_BLOB_COUNT) {
            /* raw: entry i of the file (vcpu_state files: one entry per vCPU) */
            size_t idx = raw_kind_or_save == SIM_BLOB_VCPU_STATE ? f[i].vcpu : f[i].entry;
            byte = idx * sim_blob_entry_size(raw_kind_or_save) + f[i].offset;
        } else if (f[i].vcpu != SDEI_BLOB_NO_VCPU) {
            snprintf(who, sizeof(who), "vcpu %u ", f[i].vcpu);
        }
        fprintf(out, "%s: byte %zu: %s%s[%u].%s (@%u): %s\n", path, byte, who, f[i].strct,
                f[i].entry, f[i].field, f[i].offset, f[i].problem);
    }
    if (n > LINT_MAX) {
        fprintf(out, "%s: ... and %u more\n", path, n - LINT_MAX);
    }
    fprintf(out, "%s: %u finding(s)\n", path, n);
}

static uint32_t lint_raw(const cli_file *b, unsigned k, uint32_t vcpus, sdei_lint_finding *f)
{
    static const uint8_t *states[SDEI_MAX_VCPUS];
    uint32_t count = (uint32_t)(b->n / sim_blob_entry_size(k)), nev[1] = {count};
    const uint8_t *evs[1] = {b->p};
    sdei_lint_input in = {.nr_vcpus = vcpus != 0 ? vcpus : SDEI_MAX_VCPUS};
    if (k == SIM_BLOB_EXPOSED) {
        in.exposed = b->p;
        in.nr_exposed = count;
    } else if (k == SIM_BLOB_REGISTERED) {
        in.registered = b->p;
        in.nr_registered = count;
    } else if (k == SIM_BLOB_VCPU_EVENT) {
        /* one vCPU's events, as GET_VCPU_EVENT gives them */
        in.nr_vcpus = 1;
        in.vcpu_events = evs;
        in.nr_vcpu_events = nev;
    } else {
        /* one vcpu_state per vCPU */
        in.nr_vcpus = count < SDEI_MAX_VCPUS ? count : SDEI_MAX_VCPUS;
        for (uint32_t v = 0; v < in.nr_vcpus; v++) {
            states[v] = b->p + (size_t)v * SDEI_BLOB_VCPU_STATE_SIZE;
        }
        in.vcpu_state = states;
    }
    return sdei_lint_blobs(&in, f, LINT_MAX);
}

/* Lints one file: stdout gets the findings, err the reason for bad input;
 * *n is the number of findings. */
static int blob_lint(const char *path, const cli_file *b, int kind, uint32_t vcpus, FILE *out,
                     FILE *err, uint32_t *n)
{
    static sdei_lint_finding f[LINT_MAX];
    unsigned k = SIM_BLOB_COUNT;
    if (is_save(b) && kind < 0) {
        if (save_check(path, b, err) < 0) {
            return SIM_EXIT_BAD_INPUT;
        }
        *n = sdei_lint_save(b->p, b->n, vcpus, f, LINT_MAX);
    } else {
        int rk = raw_kind(path, b, kind, 1, err);
        if (rk < 0) {
            return SIM_EXIT_BAD_INPUT;
        }
        k = (unsigned)rk;
        *n = lint_raw(b, k, vcpus, f);
    }
    print_findings(out, path, f, *n, k);
    return *n == 0 ? SIM_EXIT_OK : CLI_EXIT_LINT;
}

/* The report's testcase for a linted file: failed by findings (the first
 * one as the message, every one in the detail) or by bad input or I/O. */
static void lint_case(cli_report *r, const char *path, double dt, int rc, uint32_t n,
                      const char *out, const char *err)
{
    char msg[512];
    if (rc == SIM_EXIT_OK) {
        cli_report_case(r, path, dt, NULL, NULL, NULL);
    } else if (rc == CLI_EXIT_LINT) {
        snprintf(msg, sizeof(msg), "%u finding(s); the first: %.*s", n, (int)strcspn(out, "\n"),
                 out);
        cli_report_case(r, path, dt, "lint", msg, out);
    } else {
        cli_diag_summary(err, msg, sizeof(msg));
        cli_report_case(r, path, dt, rc == SIM_EXIT_IO ? "I/O error" : "bad input", msg, err);
    }
}

/* blob lint FILE [--report=R]: reads, lints, and writes the report. */
static int lint_file(const char *path, int kind, uint32_t vcpus, const char *report_path)
{
    cli_report *r = NULL;
    if (report_path != NULL && (r = cli_report_open(report_path, "sdei-sim blob lint")) == NULL) {
        return SIM_EXIT_IO;
    }
    cli_diag out, err;
    if (cli_diag_begin(&out, r != NULL, stdout) != 0 ||
        cli_diag_begin(&err, r != NULL, stderr) != 0) {
        fprintf(stderr, "sdei-sim: blob lint: out of memory\n");
        return SIM_EXIT_IO; /* the process ends: the streams need no closing */
    }
    double t0 = cli_now_s();
    cli_file b = {NULL, 0};
    uint32_t n = 0;
    int rc = cli_read_file(path, &b, err.f);
    rc = rc != 0 ? rc : blob_lint(path, &b, kind, vcpus, out.f, err.f, &n);
    free(b.p);
    char *o = cli_diag_take(&out), *e = cli_diag_take(&err);
    if (r != NULL) {
        if (o != NULL && e != NULL) {
            lint_case(r, path, cli_now_s() - t0, rc, n, o, e);
        }
        int wrc = cli_report_close(r);
        rc = wrc > rc ? wrc : rc;
    }
    free(o);
    free(e);
    return rc;
}

/* ---------------------------------------------------------------------------
 * The command.
 * ------------------------------------------------------------------------- */
static int parse_blob(int argc, char **argv, int *kind, uint32_t *vcpus, const char **report)
{
    int c, rc = -1;
    uint64_t n;
    while (rc < 0 && (c = cli_getopt(argc, argv, blob_options, "blob", &rc)) != -1) {
        if (c == 'h') {
            usage_blob();
            rc = SIM_EXIT_OK;
        } else if (c == OPT_KIND && (*kind = sim_blob_kind_by_name(optarg)) < 0) {
            rc = cli_usage_error("blob",
                                 "--kind: expected exposed, registered, vcpu_event or "
                                 "vcpu_state, got '%s'",
                                 optarg);
        } else if (c == OPT_VCPUS) {
            if (cli_parse_num(optarg, 1, SDEI_MAX_VCPUS, &n) != 0) {
                rc = cli_usage_error("blob", "--vcpus: expected 1..512, got '%s'", optarg);
            }
            *vcpus = (uint32_t)n;
        } else if (c == OPT_REPORT) {
            *report = optarg;
        }
    }
    return rc;
}

int cmd_blob(int argc, char **argv)
{
    int kind = -1;
    uint32_t vcpus = 0;
    const char *report = NULL;
    int rc = parse_blob(argc, argv, &kind, &vcpus, &report);
    if (rc >= 0) {
        return rc;
    }
    if (optind >= argc) {
        return cli_usage_error("blob", "blob: expected decode, diff or lint");
    }
    const char *sub = argv[optind++];
    int want = strcmp(sub, "diff") == 0 ? 2 : 1;
    if (strcmp(sub, "decode") != 0 && strcmp(sub, "diff") != 0 && strcmp(sub, "lint") != 0) {
        return cli_usage_error("blob", "blob: expected decode, diff or lint, got '%s'", sub);
    }
    if (argc - optind != want) {
        return cli_usage_error("blob", "blob %s: expected %s, got %d file(s)", sub,
                               want == 2 ? "two files" : "one file", argc - optind);
    }
    if (report != NULL && strcmp(sub, "lint") != 0) {
        return cli_usage_error("blob", "blob %s: --report is for lint only", sub);
    }
    if (strcmp(sub, "lint") == 0) {
        return lint_file(argv[optind], kind, vcpus, report);
    }
    const char *files[2] = {argv[optind], want == 2 ? argv[optind + 1] : NULL};
    cli_file b[2] = {{NULL, 0}, {NULL, 0}};
    for (int i = 0; i < want && rc < 0; i++) {
        int r = cli_read_file(files[i], &b[i], stderr);
        rc = r != 0 ? r : rc;
    }
    if (rc < 0) {
        rc = want == 2 ? blob_diff(files, b, kind) : blob_decode(files[0], &b[0], kind);
    }
    free(b[0].p);
    free(b[1].p);
    return rc;
}
