/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_sim.c - simulator throughput with invariants on (8 and 512 vCPUs) and
 * trace replay speed. Baselines are the project goals (issue 4): 2 million
 * steps/s for 8 vCPUs and 2 million replayed trace lines/s, on one core.
 */
#include "benchlib.h"

#include <stdio.h>
#include <unistd.h>

#include "replay.h"
#include "sim.h"

static double sim_rate(uint32_t vcpus, uint64_t steps, uint32_t migrate_every)
{
    double r[BENCH_REPS];
    int reps = bench_quick() ? 1 : 3;
    for (int i = 0; i < reps; i++) {
        sim_options o;
        sim_summary s;
        sim_options_default(&o);
        o.seed = UINT64_C(0x5eed) + (uint64_t)i;
        o.vcpus = vcpus;
        o.steps = steps;
        o.migrate_every = migrate_every;
        if (sim_run(&o, &s, stderr) != 0) {
            fprintf(stderr, "bench_sim: the run failed\n");
            exit(2);
        }
        r[i] = (double)s.steps / s.seconds;
    }
    return bench_median(r, reps);
}

int main(void)
{
    uint64_t steps = bench_quick() ? 20000 : 2000000;
    bench_line("sim_steps_8vcpu", sim_rate(8, steps, 0), "steps/s", 2e6,
               "simulator steps per second, 8 vCPUs, invariants on, no migrations");
    bench_line("sim_steps_512vcpu", sim_rate(512, steps, 0), "steps/s", 2e6,
               "simulator steps per second, 512 vCPUs, invariants on, no migrations");
    bench_line("sim_steps_8vcpu_migrating", sim_rate(8, steps, 5000), "steps/s", 2e6,
               "simulator steps per second, 8 vCPUs, a migration every ~5000 steps");

    /* Replay: record a trace once, replay it. */
    char path[] = "/tmp/bench_sim_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "bench_sim: mkstemp failed\n");
        return 2;
    }
    close(fd);
    sim_options o;
    sim_summary s;
    sim_options_default(&o);
    o.seed = 0x5eed;
    o.steps = steps / 2;
    o.migrate_every = 0;
    o.trace_out = path;
    if (sim_run(&o, &s, stderr) != 0) {
        remove(path);
        return 2;
    }
    double r[BENCH_REPS];
    int reps = bench_quick() ? 1 : 3;
    for (int i = 0; i < reps; i++) {
        sim_replay_stats st;
        double t0 = bench_now();
        if (sim_replay_file(path, stderr, 1, &st) != 0) {
            remove(path);
            return 2;
        }
        r[i] = (double)st.lines / (bench_now() - t0);
    }
    remove(path);
    bench_line("trace_replay_lines", bench_median(r, reps), "lines/s", 2e6,
               "trace lines replayed per second (parse, execute, compare)");
    return 0;
}
