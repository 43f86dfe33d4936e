"""Runs CLI commands interleaved and prints, per command, the median wall time and the median CPU
time (user + system, from the child's rusage) in microseconds.

    cli-times.py RUNS EVERY label -- cmd args... [EVERY label -- cmd args... ...]

A command with EVERY = 10 runs on every tenth round only (PM2: slow, and its median is steady).
posix_spawn + wait4 keep the harness's own share small and equal for every command; CPU time
stays meaningful on a loaded machine, where wall time also measures the scheduler."""
import os, statistics, sys, time

def parse(argv):
    runs, commands, rest = int(argv[0]), [], argv[1:]
    while rest:
        every, label = int(rest[0]), rest[1]
        assert rest[2] == "--"
        end = rest.index("--", 3) - 2 if "--" in rest[3:] else len(rest)
        commands.append((every, label, rest[3:end]))
        rest = rest[end:]
    return runs, commands

def run(argv):
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(devnull)
    return wall * 1e6, (usage.ru_utime + usage.ru_stime) * 1e6

runs, commands = parse(sys.argv[1:])
samples = {label: ([], []) for _, label, _ in commands}
for every, label, argv in commands:
    run(argv)  # warm the page cache and the daemon
for i in range(runs):
    for every, label, argv in commands:
        if i % every == 0:
            wall, cpu = run(argv)
            samples[label][0].append(wall)
            samples[label][1].append(cpu)
for label, (walls, cpus) in samples.items():
    print(label, round(statistics.median(walls)), round(statistics.median(cpus)), len(walls))
