/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qemu_init.c - /init of the initramfs that scripts/test.d/60-kvm-qemu.sh
 * boots in QEMU (docs/kvm-target.md): mounts /dev and /proc, replays every
 * trace in /traces on the real KVM with `sdei-sim replay --target=kvm
 * --trace-out`, runs the simulator in lockstep with it (`sdei-sim run
 * --target=kvm --trace-out`), prints each recording between marker lines on
 * the console, checks the exit code without /dev/kvm, then powers off. The
 * host cuts the recordings out of the console log and replays them on the
 * model.
 */
#define _DEFAULT_SOURCE 1

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIM "/sdei-sim"

static int run(char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        return -1;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void print_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        fputs(line, stdout);
    }
    if (f != NULL) {
        fclose(f);
    }
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints a recording between the markers the host cuts it out by. */
static void emit(const char *name, int rc)
{
    char out[512];
    snprintf(out, sizeof(out), "/rec/%s", name);
    printf("==SDEI-KVM-REC-BEGIN %s==\n", name);
    print_file(out);
    printf("==SDEI-KVM-REC-END %s rc=%d==\n", name, rc);
    fflush(stdout);
}

/* Replays one trace on KVM and prints its recording; returns the exit code. */
static int one(const char *name)
{
    char in[512], opt[600];
    snprintf(in, sizeof(in), "/traces/%s", name);
    snprintf(opt, sizeof(opt), "--trace-out=/rec/%s", name);
    char *argv[] = {SIM, "replay", "--target=kvm", opt, in, NULL};
    int rc = run(argv);
    emit(name, rc);
    return rc;
}

/* The simulator in lockstep with the real KVM (profile absent: a released
 * kernel), its trace recorded for the host to replay on the model. */
static int simulate(void)
{
    char *argv[] = {SIM,
                    "run",
                    "--target=kvm",
                    "--profile=absent",
                    "--seed=7",
                    "--vcpus=2",
                    "--steps=300",
                    "--quiet",
                    "--trace-out=/rec/run_kvm.trace",
                    NULL};
    int rc = run(argv);
    emit("run_kvm.trace", rc);
    return rc;
}

int main(void)
{
    mkdir("/dev", 0755);
    mkdir("/proc", 0755);
    mkdir("/rec", 0755);
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY) {
        printf("sdei-kvm-init: mount /dev: %s\n", strerror(errno));
    }
    (void)mount("proc", "/proc", "proc", 0, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("==SDEI-KVM-INIT up==\n");
    DIR *d = opendir("/traces");
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 6 && strcmp(e->d_name + len - 6, ".trace") == 0) {
            names[n++] = strdup(e->d_name);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    qsort(names, n, sizeof(names[0]), cmp);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        failed |= one(names[i]) != 0;
    }
    failed |= simulate() != 0;
    /* bad input on the real thing: without /dev/kvm, one line and exit 8 */
    if (n > 0 && rename("/dev/kvm", "/dev/kvm.off") == 0) {
        char in[512];
        snprintf(in, sizeof(in), "/traces/%s", names[0]);
        char *argv[] = {SIM, "replay", "--target=kvm", in, NULL};
        printf("==SDEI-KVM-NODEV rc=%d==\n", run(argv));
        (void)rename("/dev/kvm.off", "/dev/kvm");
    }
    printf("==SDEI-KVM-DONE traces=%zu failed=%d==\n", n, failed);
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
