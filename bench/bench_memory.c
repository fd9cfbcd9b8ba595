/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_memory - memory per VM size.
 *
 *   - sdei_vm_mem_size() over 1..512 vCPUs x 1..128 events (DATA lines), and
 *     BENCH lines for three sizes with, as baseline, the bytes of the kernel
 *     state the model mirrors (every migration blob of that VM at its largest:
 *     exposed + registered events, one vCPU state per vCPU, one vCPU event
 *     per (vCPU, event)).
 *   - peak RSS of a child process that builds one VM of a size and brings it
 *     to the steady state (every event registered and enabled everywhere),
 *     against a child that builds none (the baseline).
 */
#define _POSIX_C_SOURCE 200809L /* before any system header */

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sdei/sdei_blob.h"
#include "stream.h"

static const uint32_t vcpu_sizes[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
static const uint32_t event_sizes[] = {1, 2, 4, 8, 16, 32, 64, 128};

static size_t mem_size(uint32_t nv, uint32_t ne)
{
    sdei_config cfg = sdei_config_default(nv);
    cfg.max_events = ne;
    cfg.private_bind_slots = 0;
    cfg.shared_bind_slots = 0;
    size_t size = 0;
    sdei_err err = sdei_vm_mem_size(&cfg, &size);
    if (err != SDEI_OK) {
        bench_die("sdei_vm_mem_size", err);
    }
    return size;
}

static size_t blob_bytes(uint32_t nv, uint32_t ne)
{
    return (size_t)ne * (SDEI_BLOB_EXPOSED_SIZE + SDEI_BLOB_REGISTERED_SIZE) +
           (size_t)nv * SDEI_BLOB_VCPU_STATE_SIZE + (size_t)nv * ne * SDEI_BLOB_VCPU_EVENT_SIZE;
}

static long max_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* KiB on Linux */
}

/* Peak RSS (KiB) of a child that builds a VM of nv x ne (none if nv == 0). */
static long child_peak(uint32_t nv, uint32_t ne)
{
    int fd[2];
    if (pipe(fd) != 0) {
        perror("pipe");
        exit(2);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        close(fd[0]);
        if (nv > 0) {
            uint64_t nums[SDEI_MAX_EVENTS];
            sdei_vm *vm = bench_vm(nv, ne, nums);
            bench_stream_setup(vm, nv, ne, nums);
        }
        long kib = max_rss_kib();
        ssize_t n = write(fd[1], &kib, sizeof(kib));
        _exit(n == (ssize_t)sizeof(kib) ? 0 : 1);
    }
    close(fd[1]);
    long kib = -1;
    ssize_t n = read(fd[0], &kib, sizeof(kib));
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (n != (ssize_t)sizeof(kib) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_memory: child for %ux%u failed\n", nv, ne);
        exit(2);
    }
    return kib;
}

int main(void)
{
    for (size_t i = 0; i < sizeof(vcpu_sizes) / sizeof(vcpu_sizes[0]); i++) {
        for (size_t j = 0; j < sizeof(event_sizes) / sizeof(event_sizes[0]); j++) {
            uint32_t nv = vcpu_sizes[i], ne = event_sizes[j];
            printf("DATA bench=memory vcpus=%u events=%u bytes=%zu blob_bytes=%zu\n", nv, ne,
                   mem_size(nv, ne), blob_bytes(nv, ne));
        }
    }
    static const struct {
        uint32_t nv, ne;
    } named[] = {{1, 1}, {8, 32}, {512, 128}};
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
        char name[64], desc[160];
        uint32_t nv = named[i].nv, ne = named[i].ne;
        snprintf(name, sizeof(name), "vm_bytes_%ux%u", nv, ne);
        snprintf(desc, sizeof(desc),
                 "sdei_vm_mem_size, %u vCPUs x %u events; baseline: the kernel state it mirrors "
                 "(all blobs at their largest)",
                 nv, ne);
        bench_line(name, (double)mem_size(nv, ne), "B", (double)blob_bytes(nv, ne), desc);
    }
    long base = child_peak(0, 0);
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
        char name[64], desc[160];
        uint32_t nv = named[i].nv, ne = named[i].ne;
        snprintf(name, sizeof(name), "peak_rss_%ux%u", nv, ne);
        snprintf(desc, sizeof(desc),
                 "peak RSS of a process with one %u x %u VM in steady state; baseline: no VM", nv,
                 ne);
        bench_line(name, (double)child_peak(nv, ne), "KiB", (double)base, desc);
    }
    return 0;
}
