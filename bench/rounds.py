#!/usr/bin/env python3
"""Throughput of servers already running, in alternating rounds: each round runs one redis-benchmark
burst (pinned to core 1) against each server, in reversed order every other round, and records the
requests per second, the share of its core the server used during the burst, and redis-benchmark's
own CPU per request. When the server's core is not the limit (SET -P 16 leaves it a third idle
here), throughput follows the client's CPU per request, which depends on how the replies reach it.

    python3 bench/rounds.py ROUNDS "redis-benchmark args" NAME=PORT ...
    env: T (test, default set), P (pipeline, default 16), N (requests, default 1000000)

Start the servers pinned to core 0 first (taskset -c 0), with the same arguments, and warm them.
Example, issue 13's eviction cell against the build before a change:

    python3 bench/rounds.py 10 "--user bench3 -a pw3" redis=7802 before=7801 after=7803
"""
import os
import re
import statistics
import subprocess
import sys
import time


def listening_pid(port):
    out = subprocess.run(['ss', '-ltnp'], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if f':{port} ' in line and 'pid=' in line:
            return int(re.search(r'pid=(\d+)', line).group(1))
    raise SystemExit(f'no process listens on port {port}')


def cpu_ticks(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main():
    rounds, client_args = int(sys.argv[1]), sys.argv[2].split()
    servers = [spec.split('=', 1) for spec in sys.argv[3:]]
    test, pipeline, n = os.environ.get('T', 'set'), os.environ.get('P', '16'), os.environ.get('N', '1000000')
    tick = os.sysconf('SC_CLK_TCK')
    results = {name: [] for name, _ in servers}
    for r in range(rounds):
        for name, port in (servers if r % 2 == 0 else servers[::-1]):
            pid = listening_pid(port)
            c0, t0 = cpu_ticks(pid), time.time()
            run = subprocess.run(['/usr/bin/time', '-f', '%U %S', 'taskset', '-c', '1', 'redis-benchmark', '-p', port,
                                  '-t', test, '-P', pipeline, '-n', n, '-r', '100000', '-q'] + client_args,
                                 capture_output=True, text=True, timeout=600)
            c1, t1 = cpu_ticks(pid), time.time()
            rps = float(re.search(r'[A-Z_]+: ([\d.]+) requests', run.stdout.replace('\r', '\n')).group(1))
            user, system = map(float, run.stderr.strip().splitlines()[-1].split())
            results[name].append((rps, (c1 - c0) / tick / (t1 - t0), (user + system) * 1e6 / int(n)))
    base = [x[0] for x in results[servers[0][0]]]
    for name, _ in servers:
        xs = results[name]
        ratios = [x[0] / b for x, b in zip(xs, base)]
        print(f"{name:>8}: {statistics.median(x[0] for x in xs):,.0f} ops/s median, ratio to {servers[0][0]} "
              f"{statistics.median(ratios):.3f} [{' '.join(f'{q:.2f}' for q in ratios)}], server core "
              f"{statistics.median(x[1] for x in xs):.2f}, client {statistics.median(x[2] for x in xs):.3f} us/request")


if __name__ == '__main__':
    main()
