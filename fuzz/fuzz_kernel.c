/* SPDX-License-Identifier: BSD-3-Clause */
/* Target functions: a kernel tree's arch/arm64/kvm/sdei.c through the kernel target
 * (sim_impl_kernel: kvm_sdei_hypercall / kvm_sdei_call, kvm_sdei_deliver_event,
 * kvm_sdei_inject_event, the v5 VMM commands, migration through the tree's interface,
 * creation and teardown), side by side with the model's profile of that version (sdei_hypercall,
 * sdei_vcpu_deliver, sdei_event_trigger, sdei_vmm_command, sdei_vm_save/restore). */
/*
 * fuzz_kernel.c - target 7, built only with -DSDEI_KERNEL_TREE: the record
 * sequences of the calls target (fuzz_decode.c), each action run by the one
 * executor on the kernel code and on the model in the tree's profile (kvm-v5,
 * kvm-v6, kvm-v7) with the invariant checker; results compared as lockstep
 * compares them (sim_result_compare), and for v7 every firmware register
 * after every action (sim_fwregs_compare), so that a campaign finds what
 * lockstep finds (docs/fuzzing.md "The kernel target").
 *
 * A problem is a crash (fz_fail, with REPLAY lines): a divergence, a kernel
 * finding (memory error, lock error, hang, oops: the harness's), the kernel's
 * own check failing, or an invariant of the model. Options (fz_option):
 *   --findings=stop|report  report: a non-fatal kernel finding (a recovered
 *                           ASan/UBSan report, a leak) lets the input go on,
 *                           as `sdei-sim replay --findings=report`;
 *   --known=FILE            extended regexes, one a line (# comments): a
 *                           problem whose message matches one is known, is
 *                           printed once per process and is not a crash (a
 *                           known non-fatal finding goes on, anything else
 *                           ends the input). A problem matching none crashes.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_driver.h"
#include "fuzz_engine.h"
#include "impl_kernel.h"

FZ_TARGET("kernel", 1)

#define MAX_KNOWN 64

static struct {
    int ready;
    int compare;     /* the model runs beside the kernel code */
    uint8_t profile; /* the model's profile of the tree's version */
    int report;      /* --findings=report */
    unsigned nknown;
    regex_t known[MAX_KNOWN];
    unsigned char seen[MAX_KNOWN];
    char where[64];    /* "record N", "teardown", ...: for crash messages */
    char action[1024]; /* the action being run ("" outside records) */
} K;

static fz_vm fvm;     /* the model (the tree's profile) with the checker */
static sim_target kt; /* the kernel code */

static void load_known(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    if (f == NULL) {
        fprintf(stderr, "sdei-fuzz: kernel: --known=%s: cannot open\n", path);
        exit(3);
    }
    for (unsigned n = 1; fgets(line, sizeof(line), f) != NULL; n++) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#') {
            continue;
        }
        if (K.nknown == MAX_KNOWN ||
            regcomp(&K.known[K.nknown], line, REG_EXTENDED | REG_NOSUB) != 0) {
            fprintf(stderr, "sdei-fuzz: kernel: %s:%u: expected an extended regex (at most %d)\n",
                    path, n, MAX_KNOWN);
            exit(3);
        }
        K.nknown++;
    }
    fclose(f);
}

/* A problem: known (printed once, returns 1) or a crash. */
static int problem(const char *msg)
{
    for (unsigned i = 0; i < K.nknown; i++) {
        if (regexec(&K.known[i], msg, 0, NULL, 0) == 0) {
            if (!K.seen[i]) {
                K.seen[i] = 1;
                fprintf(stderr, "sdei-fuzz: kernel: known (not a crash): %s\n", msg);
            }
            return 1;
        }
    }
    fz_fail("%s%s%s%s: %s", K.where, K.action[0] ? " (" : "", K.action, K.action[0] ? ")" : "",
            msg);
}

/* Every finding line the kernel target prints (impl_kernel.c): a stopping
 * one ends the action (SIM_IMPL_FINDING), a non-fatal one under
 * --findings=report lets it go on; either way it is judged here. */
static void on_finding(const char *line)
{
    char msg[1600];
    snprintf(msg, sizeof(msg), "finding: %s%s%s%s", line, K.action[0] ? " at '" : "", K.action,
             K.action[0] ? "'" : "");
    (void)problem(msg);
}

static void setup(void)
{
    const char *fm = fz_option("findings"), *known = fz_option("known");
    K.ready = 1;
    /* As lockstep decides (sim/options.c): results are compared where the
     * model has a profile of the tree's code: kvm-vN for kernel-vN. */
    static const struct {
        const char *impl;
        uint8_t profile;
        const char *f2t;
    } versions[] = {{"kernel-v5", SDEI_PROFILE_KVM_V5, "--profile kvm-v5 "},
                    {"kernel-v6", SDEI_PROFILE_KVM_V6, "--profile kvm-v6 "},
                    {"kernel-v7", SDEI_PROFILE_KVM_V7, "--profile kvm-v7 "}};
    K.profile = SDEI_PROFILE_KVM_V5;
    fz_f2t_flags = "--no-results "; /* a version without a profile: no answers to show */
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        if (strcmp(sim_impl_kernel.name, versions[i].impl) == 0) {
            K.compare = 1;
            K.profile = versions[i].profile;
            fz_f2t_flags = versions[i].f2t;
        }
    }
    if (fm != NULL && strcmp(fm, "report") != 0 && strcmp(fm, "stop") != 0) {
        fprintf(stderr, "sdei-fuzz: kernel: --findings=%s: expected stop or report\n", fm);
        exit(3);
    }
    K.report = fm != NULL && strcmp(fm, "report") == 0;
    sim_kernel_findings_policy(!K.report, stderr);
    sim_kernel_findings_hook(on_finding);
    if (known != NULL && known[0] != '\0') {
        load_known(known);
    }
    static char flags[600];
    snprintf(flags, sizeof(flags), "%s%s%s%s", K.report ? "--findings=report " : "",
             K.nknown != 0 ? "--known=" : "", K.nknown != 0 ? known : "", K.nknown != 0 ? " " : "");
    fz_replay_flags = flags;
}

/* The first line of the differences sim_result_compare reports, as one line. */
static const char *difference(const sim_result *m, const sim_result *k, char *buf, size_t cap)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    buf[0] = '\0';
    if (f == NULL) {
        return "results differ";
    }
    (void)sim_result_compare(f, m, k);
    fclose(f);
    if (text != NULL) {
        const char *p = text + strspn(text, " ");
        snprintf(buf, cap, "%.*s", (int)strcspn(p, "\n"), p);
        free(text);
    }
    return buf;
}

/* The input's VMs: a fresh kernel VM (and model VM) of the header's shape. */
static void open_vms(fz_header *h)
{
    char err[256];
    h->profile = K.profile; /* the tree's profile, whatever the header says */
    sdei_config cfg = fz_config(h);
    cfg.max_events = 0; /* the kernel code's own table size */
    snprintf(K.where, sizeof(K.where), "creating the VM");
    K.action[0] = '\0';
    if (kt.ops == NULL) {
        if (sim_target_init_impl(&kt, &sim_impl_kernel, &cfg, err, sizeof(err)) != 0) {
            fz_fail("the kernel VM could not be built: %s", err);
        }
    } else {
        kt.cfg = cfg;
        if (sim_target_reopen(&kt, err, sizeof(err)) != 0) {
            fz_fail("the kernel VM could not be rebuilt: %s", err);
        }
    }
    if (K.compare && fz_vm_open(&fvm, h, 0) != 0) {
        fz_fail("the fuzz VM could not be built");
    }
    /* The fuzz VM's events (none under v6/v7: their table is KVM's own). */
    for (unsigned i = 0; fz_exposes(&kt.cfg) && i < FZ_NR_EXPOSED; i++) {
        sim_action a;
        sim_result r;
        fz_expose_action(i, &a);
        snprintf(K.where, sizeof(K.where), "exposing");
        (void)fz_text(&a, NULL, K.action, sizeof(K.action));
        if (sim_exec(&kt, &a, &r, err, sizeof(err)) != 0) {
            fz_fail("exposing the fuzz VM's events on the kernel: %s", err);
        }
    }
}

/* One record on both sides. Returns 0 to go on, 1 when the input ends (a
 * known problem that leaves the two sides apart or the kernel VM stopped). */
static int step(size_t i, const sim_action *a)
{
    sim_result m, k;
    char err[256], text[1024], diff[512], msg[1600];
    snprintf(K.where, sizeof(K.where), "record %zu", i);
    (void)fz_text(a, NULL, K.action, sizeof(K.action));
    if (K.compare && fz_step(&fvm, a, &m) != 0) {
        fz_fail("record %zu (%s): invariant of the model: %s", i,
                fz_text(a, &m, text, sizeof(text)), fvm.msg);
    }
    int rc = sim_exec(&kt, a, &k, err, sizeof(err));
    if (rc == SIM_IMPL_FINDING) {
        return 1; /* on_finding judged it */
    }
    if (rc != 0) {
        fz_fail("record %zu: the executor refuses the action on the kernel: %s", i, err);
    }
    if (!K.compare || k.kind == SIM_R_UNAVAILABLE) {
        return 0;
    }
    if (sim_result_compare(NULL, &m, &k) != 0) {
        snprintf(msg, sizeof(msg), "divergence at '%s': %s", fz_text(a, &m, text, sizeof(text)),
                 difference(&m, &k, diff, sizeof(diff)));
        return problem(msg);
    }
    rc = sim_fwregs_compare(&fvm.t, &kt, kt.cfg.nr_vcpus, diff, sizeof(diff));
    if (rc == SIM_IMPL_FINDING) {
        return 1; /* on_finding judged it */
    }
    if (rc != 0) {
        snprintf(msg, sizeof(msg), "divergence at '%s': %s", fz_text(a, &m, text, sizeof(text)),
                 diff);
        return problem(msg);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!K.ready) {
        setup();
    }
    fz_set_input(data, size);
    fz_header h;
    fz_header_decode(data, size, &h);
    open_vms(&h);
    uint64_t quirks = sdei_profile_quirks(K.profile);
    size_t n = fz_rec_count(size), i;
    for (i = 0; i < n; i++) {
        fz_rec r;
        sim_action a;
        fz_rec_decode(data, i, &r);
        fz_decode(&kt.cfg, quirks, &r, &a);
        if (step(i, &a) != 0) {
            break;
        }
    }
    if (i == n) {
        const char *bad = kt.ops->check(kt.impl);
        snprintf(K.where, sizeof(K.where), "after the last record");
        K.action[0] = '\0';
        if (bad != NULL) {
            char msg[300];
            snprintf(msg, sizeof(msg), "check: %s", bad);
            (void)problem(msg);
        } else if (K.compare && fz_check(&fvm) != 0) {
            fz_fail("after the last record: invariant of the model: %s", fvm.msg);
        }
    }
    /* Teardown now, so that its findings (a leak, a use-after-free in the
     * destroy path) belong to this input. */
    snprintf(K.where, sizeof(K.where), "teardown");
    K.action[0] = '\0';
    kt.ops->destroy(kt.impl);
    kt.impl = NULL;
    return 0;
}
