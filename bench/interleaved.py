#!/usr/bin/env python3
"""Server CPU per request of several servers measured in one run, interleaved: each server is
started pinned to core 0, warmed, then short redis-benchmark bursts (client on core 1) alternate
between the servers, in reversed order every other round, and each burst's CPU time (utime +
stime from /proc) is divided by its requests. The host's slow drifts, which move single
server-cost.sh figures by 15-80% here, then hit every server alike: compare the per-burst ratios
to the first server, not the absolute figures. Each line also gives redis-benchmark's own CPU per
request against that server. Run it alone on the machine.

    python3 bench/interleaved.py [--args "common server args"] [--bursts 8] [--n 300000]
        [--test set] [--pipeline 16] [--client "redis-benchmark args"] [--replica] NAME=CMD[|extra args] ...

CMD is `redis` for redis-server from PATH, or a respire-server script (JVM options through
RESPIRE_JAVA_OPTS or a wrapper script). Example, the eviction cell of issue 13:

    python3 bench/interleaved.py --args "--maxmemory 5mb --maxmemory-policy allkeys-lru" \\
        redis=redis respire=bin/respire-server "respire-s1=bin/respire-server|--maxmemory-samples 1"

With --configs, each server is measured under several settings within the same process: before
each burst the variant's CONFIG SET runs, then a settling burst of a third as many requests (the
keyspace adapts to the new setting), then the measured one. Variants of one process compare
without the noise of JIT and heap states that differ between processes. Each variant's figures are
also split into user and system time (the kernel's share of the server's core). Example, what
eviction adds per SET, against what it adds to Redis:

    python3 bench/interleaved.py --configs "none=maxmemory 0;lru=maxmemory 5mb maxmemory-policy allkeys-lru;\\
        random=maxmemory 5mb maxmemory-policy allkeys-random" redis=redis respire=bin/respire-server
"""
import argparse
import os
import resource
import shlex
import socket
import statistics
import subprocess
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--args', default='', help='server arguments common to all')
    ap.add_argument('--bursts', type=int, default=8)
    ap.add_argument('--n', type=int, default=300000, help='requests per burst')
    ap.add_argument('--warm', type=int, default=4, help='warm-up runs of 1,000,000 requests per server')
    ap.add_argument('--test', default='set')
    ap.add_argument('--pipeline', default='16')
    ap.add_argument('--keys', default='100000', help='redis-benchmark -r')
    ap.add_argument('--client', default='', help='more redis-benchmark arguments (--user, -a)')
    ap.add_argument('--replica', action='store_true',
                    help='give each server a redis-server replica (on core 1, with the client): the replication stream\'s cost')
    ap.add_argument('--configs', default='',
                    help='variants measured in each process: "NAME=CONFIG SET args;NAME=..." (see above)')
    ap.add_argument('specs', nargs='+', metavar='NAME=CMD[|extra args]')
    a = ap.parse_args()
    servers = [start(spec, 7700 + i, a.args) for i, spec in enumerate(a.specs, 1)]
    try:
        for s in servers:
            wait_ready(s['port'])
            s['pid'] = listening_pid(s['port'])
        if a.replica:
            for i, s in enumerate(servers, 1):
                s['replica'] = attach_replica(s['port'], 7800 + i)
        for _ in range(a.warm):
            for s in servers:
                bench(a, s['port'], 1000000)
        if a.configs:
            measure_variants(a, servers, [v.split('=', 1) for v in a.configs.split(';')])
            return
        for b in range(a.bursts):
            for s in (servers if b % 2 == 0 else servers[::-1]):
                c0 = cpu_seconds(s['pid'])
                k0 = client_cpu_seconds()
                bench(a, s['port'], a.n)
                s['per'].append((cpu_seconds(s['pid']) - c0) * 1e6 / a.n)
                s['client'].append((client_cpu_seconds() - k0) * 1e6 / a.n)
        base = servers[0]['per']
        for s in servers:
            ratios = [x / y for x, y in zip(s['per'], base)]
            print(f"{s['name']:>12}: median {statistics.median(s['per']):.3f} us/request, "
                  f"ratio to {servers[0]['name']} median {statistics.median(ratios):.3f} "
                  f"[{' '.join(f'{r:.2f}' for r in ratios)}]; client {statistics.median(s['client']):.3f} us/request")
    finally:
        for s in servers:
            if 'replica' in s:
                s['replica'].terminate()
            s['proc'].terminate()
        for s in servers:
            try:
                s['proc'].wait(10)
            except subprocess.TimeoutExpired:
                s['proc'].kill()


def measure_variants(a, servers, variants):
    """The --configs mode: every variant in every server, bursts interleaved as above."""
    per = {(s['name'], v): [] for s in servers for v, _ in variants}
    keys = {}
    for b in range(a.bursts):
        for s in (servers if b % 2 == 0 else servers[::-1]):
            for v, config in variants:
                subprocess.run(['redis-cli', '-p', str(s['port']), 'config', 'set'] + shlex.split(config),
                               stdout=subprocess.DEVNULL, check=True)
                bench(a, s['port'], a.n // 3)
                u0, s0 = cpu_split(s['pid'])
                bench(a, s['port'], a.n)
                u1, s1 = cpu_split(s['pid'])
                per[(s['name'], v)].append(((u1 - u0) * 1e6 / a.n, (s1 - s0) * 1e6 / a.n))
                keys[(s['name'], v)] = subprocess.run(['redis-cli', '-p', str(s['port']), 'dbsize'],
                                                      capture_output=True, text=True).stdout.strip()
    for v, _ in variants:
        base = [u + k for u, k in per[(servers[0]['name'], v)]]
        for s in servers:
            xs = per[(s['name'], v)]
            ratios = [(u + k) / y for (u, k), y in zip(xs, base)]
            print(f"{v:>10} {s['name']:>10}: median {statistics.median(u + k for u, k in xs):.3f} us/request "
                  f"(user {statistics.median(u for u, _ in xs):.3f}, system {statistics.median(k for _, k in xs):.3f}), "
                  f"{keys[(s['name'], v)]} keys, ratio to {servers[0]['name']} median {statistics.median(ratios):.3f} "
                  f"[{' '.join(f'{r:.2f}' for r in ratios)}]")


def start(spec, port, common):
    name, cmd = spec.split('=', 1)
    extra = []
    if '|' in cmd:
        cmd, more = cmd.split('|', 1)
        extra = shlex.split(more)
    if cmd == 'redis':
        argv = ['redis-server', '--port', str(port), '--save', '', '--daemonize', 'no']
    else:
        argv = [cmd, '--port', str(port), '--save', '']
    argv = ['taskset', '-c', '0'] + argv + shlex.split(common) + extra
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {'name': name, 'port': port, 'proc': proc, 'per': [], 'client': []}


def attach_replica(port, replica_port):
    """A redis-server replica of the server on `port`, once its link is up."""
    proc = subprocess.Popen(['taskset', '-c', '1', 'redis-server', '--port', str(replica_port), '--save', '',
                             '--daemonize', 'no', '--replicaof', '127.0.0.1', str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        info = subprocess.run(['redis-cli', '-p', str(replica_port), 'info', 'replication'],
                              capture_output=True, text=True).stdout
        if 'master_link_status:up' in info:
            return proc
        time.sleep(0.1)
    raise SystemExit(f'the replica of port {port} never synced')


def wait_ready(port):
    for _ in range(300):
        try:
            socket.create_connection(('127.0.0.1', port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f'no server on port {port}')


def listening_pid(port):
    out = subprocess.run(['ss', '-ltnp'], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if f':{port} ' in line and 'pid=' in line:
            return int(line.split('pid=')[1].split(',')[0])
    raise SystemExit(f'no process listens on port {port}')


def cpu_seconds(pid):
    return sum(cpu_split(pid))


def client_cpu_seconds():
    """CPU time of the finished redis-benchmark runs so far. When the client's core is the limit (SET
    -P 16 leaves the server's core a third idle here), throughput follows the client's CPU per
    request, which depends on how the server's replies reach it (one wake-up per batch or more)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_split(pid):
    """The process's user and system CPU time so far, in seconds."""
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    tick = os.sysconf('SC_CLK_TCK')
    return int(fields[11]) / tick, int(fields[12]) / tick


def bench(a, port, n):
    subprocess.run(['taskset', '-c', '1', 'redis-benchmark', '-p', str(port)] + shlex.split(a.client)
                   + ['-t', a.test, '-P', a.pipeline, '-n', str(n), '-r', a.keys, '-q'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
