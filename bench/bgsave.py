#!/usr/bin/env python3
"""BGSAVE (or BGREWRITEAOF) under load, Respire versus Redis in one run: latency and memory while the
snapshot runs.

Each server (pinned to core 0, as in bench.py) gets the same mixed dataset (strings, small
hashes, lists, sets and sorted sets, and a few large collections), then redis-benchmark runs a
SET/GET load on core 1 while BGSAVE runs. Reported per server:
  - the save's duration (from BGSAVE to rdb_bgsave_in_progress 0),
  - the latency of a probe client (one GET at a time, on core 1) during the save: p50, p99, max;
    and the same probe before the save, for reference,
  - the peak memory growth during the save: proportional set size (Pss) of the server and of
    its children (Redis's fork child; shared pages counted once), peak minus before; and, as a
    control, the peak growth over a window as long without a save (the load alone grows a JVM's
    heap: the difference is what the save costs),
  - rdb_last_cow_size (Redis: copy-on-write bytes; Respire: bytes its write gate serialized).

With --operation bgrewriteaof both servers run with appendonly yes (appendfsync everysec, automatic
rewrites off), and the same is measured for BGREWRITEAOF (aof_rewrite_in_progress, aof_last_cow_size).

Usage (from the project root, after `mvn -q package -DskipTests`):
    python3 bench/bgsave.py [--keys 1000000] [--pipeline 16] [--java-home DIR] [--operation bgrewriteaof]
"""
import argparse
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Server, free_port, ROOT, CLIENT_CORE  # noqa: E402


# What each operation starts, waits for and reports: the command, its INFO persistence fields (in
# progress, last status, copy-on-write size) and the configuration both servers run with.
OPERATIONS = {
    'bgsave': ('BGSAVE', 'rdb_bgsave_in_progress', 'rdb_last_bgsave_status', 'rdb_last_cow_size',
               ['--appendonly', 'no']),
    'bgrewriteaof': ('BGREWRITEAOF', 'aof_rewrite_in_progress', 'aof_last_bgrewrite_status', 'aof_last_cow_size',
                     ['--appendonly', 'yes', '--appendfsync', 'everysec', '--auto-aof-rewrite-percentage', '0']),
}


def start(name, java_home, respire_bin, extra):
    port = free_port()
    if name == 'redis':
        return Server('redis', ['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                                '--daemonize', 'no'] + extra, port)
    env = dict(os.environ)
    if java_home:
        env['JAVA_HOME'] = java_home
    return Server('respire', [respire_bin, '--port', str(port), '--save', ''] + extra, port, env)


def resp(*args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


def load(server, keys):
    """The mixed dataset through redis-cli --pipe: a fifth each of strings, hashes, lists, sets, zsets."""
    chunks = []
    for i in range(keys):
        kind = i % 5
        k = b'key:%d' % i
        if kind == 0:
            chunks.append(resp('SET', k, b'value-%010d' % i))
        elif kind == 1:
            chunks.append(resp('HSET', k, 'a', i, 'b', 'x' * 10, 'c', 'y'))
        elif kind == 2:
            chunks.append(resp('RPUSH', k, 'a', 'b', 'c', i))
        elif kind == 3:
            chunks.append(resp('SADD', k, 'm1', 'm2', 'm3', i))
        else:
            chunks.append(resp('ZADD', k, 1, 'a', 2, 'b', 3, i))
    for j in range(20):  # a few large collections, in their non-listpack encodings
        chunks.append(resp('HSET', 'bighash:%d' % j, *[x for f in range(5000) for x in ('f%d' % f, 'v%d' % f)]))
        chunks.append(resp('ZADD', 'bigzset:%d' % j, *[x for f in range(5000) for x in (f, 'm%d' % f)]))
    data = b''.join(chunks)
    subprocess.run(['redis-cli', '-p', str(server.port), '--pipe'], input=data, capture_output=True, check=True)


def pss_tree(pid):
    """Pss of the process and its children, in bytes."""
    total = 0
    pids = [pid]
    try:
        for task in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{task}/children') as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f'/proc/{p}/smaps_rollup') as f:
                for line in f:
                    if line.startswith('Pss:'):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def info_field(server, field):
    for line in server.cli('INFO', 'persistence').splitlines():
        if line.startswith(field + ':'):
            return line.split(':', 1)[1].strip()
    return None


class Probe:
    """One GET at a time over a raw socket, recording each round trip in microseconds."""

    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.samples = []
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        os.sched_setaffinity(0, {int(CLIENT_CORE)})
        req = resp('GET', 'key:0')
        while self.running:
            t = time.perf_counter()
            self.sock.sendall(req)
            buf = b''
            while not buf.endswith(b'\r\n') or buf.count(b'\r\n') < 2:
                buf += self.sock.recv(4096)
            self.samples.append((time.perf_counter() - t) * 1e6)
            time.sleep(0.0005)


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * p))] if s else 0


def measure(server, keys, pipeline, operation, repeat):
    """The operation `repeat` times in a row under the same load; a result per run."""
    command, in_progress, status, cow, _ = OPERATIONS[operation]
    load(server, keys)
    server.cli('SET', 'key:0', 'probe')
    time.sleep(2)
    bench = subprocess.Popen(['taskset', '-c', CLIENT_CORE, 'redis-benchmark', '-p', str(server.port), '-t', 'set,get',
                              '-P', str(pipeline), '-r', str(keys), '-n', '100000000', '-c', '20', '-q'],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    probe = Probe(server.port)
    probe.thread.start()
    time.sleep(3)
    before = list(probe.samples)
    control_before = pss_tree(server.proc.pid)
    control_peak = control_before
    for _ in range(500):  # 10 s of load alone
        control_peak = max(control_peak, pss_tree(server.proc.pid))
        time.sleep(0.02)
    results = []
    for _ in range(repeat):
        pss_before = pss_tree(server.proc.pid)
        peak = pss_before
        mark = len(probe.samples)
        t0 = time.time()
        server.cli(command)
        time.sleep(0.05)
        while info_field(server, in_progress) == '1':
            peak = max(peak, pss_tree(server.proc.pid))
            time.sleep(0.02)
        duration = time.time() - t0
        during = probe.samples[mark:]
        results.append({
            'save_s': duration,
            'status': info_field(server, status),
            'cow': int(info_field(server, cow) or 0),
            'p50_before': pct(before, 0.5), 'p99_before': pct(before, 0.99), 'max_before': max(before or [0]),
            'p50': pct(during, 0.5), 'p99': pct(during, 0.99), 'max': max(during or [0]), 'probes': len(during),
            'pss_before': pss_before, 'pss_growth': peak - pss_before, 'control_growth': control_peak - control_before,
        })
        time.sleep(2)
    probe.running = False
    bench.terminate()
    bench.wait()
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--keys', type=int, default=1_000_000)
    ap.add_argument('--pipeline', type=int, default=16)
    ap.add_argument('--java-home')
    ap.add_argument('--respire', default=os.path.join(ROOT, 'bin', 'respire-server'))
    ap.add_argument('--operation', choices=sorted(OPERATIONS), default='bgsave')
    ap.add_argument('--repeat', type=int, default=1,
                    help='run the operation this many times in a row under the same load (the first run of a JVM '
                         'serializes with code not yet compiled)')
    ap.add_argument('--servers', default='redis,respire',
                    help='which servers to measure, comma-separated (a JVM option trial may skip Redis)')
    args = ap.parse_args()
    command, _, _, cow_field, extra = OPERATIONS[args.operation]
    results = {}
    for name in args.servers.split(','):
        server = start(name, args.java_home, args.respire, extra)
        try:
            results[name] = measure(server, args.keys, args.pipeline, args.operation, args.repeat)
        finally:
            server.stop()
    mb = 1 << 20
    print(f'{command} of {args.keys} mixed keys under redis-benchmark SET/GET -P{args.pipeline} -c20 (probe: GET, µs)')
    print(f'| | save s | status | probe p50/p99/max before | probe p50/p99/max during | Pss before MB | peak Pss growth MB | control: growth in 10 s without a save MB | {cow_field} MB |')
    print('|---|---|---|---|---|---|---|---|---|')
    for name, runs in results.items():
        for i, r in enumerate(runs):
            label = name if len(runs) == 1 else f'{name} #{i + 1}'
            print(f"| {label} | {r['save_s']:.2f} | {r['status']} | {r['p50_before']:.0f}/{r['p99_before']:.0f}/{r['max_before']:.0f}"
                  f" | {r['p50']:.0f}/{r['p99']:.0f}/{r['max']:.0f} ({r['probes']}) | {r['pss_before'] / mb:.0f}"
                  f" | {r['pss_growth'] / mb:.1f} | {r['control_growth'] / mb:.1f} | {r['cow'] / mb:.1f} |")


if __name__ == '__main__':
    main()
