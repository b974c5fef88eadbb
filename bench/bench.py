#!/usr/bin/env python3
"""Respire versus Redis, side by side in one run: throughput, p99 latency and memory per key.

Each server is pinned to core 0 and redis-benchmark to core 1 (taskset), and the two servers are
measured alternately, test by test, so that both see the same machine state. Figures are reported
as ratios Respire/Redis (throughput: higher is better; p99 latency and memory: lower is better).

Usage (from the project root, after `mvn -q package -DskipTests`):
    python3 bench/bench.py [--java-home DIR] [--requests N] [--tests set,get,incr,mset]
                           [--pipelines 1,16] [--memory-keys 1000000] [--out docs/bench-run.md]
"""
import argparse
import csv
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_CORE = '0'
CLIENT_CORE = '1'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for_ping(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            out = subprocess.run(['redis-cli', '-p', str(port), 'ping'], capture_output=True, text=True, timeout=5)
            if out.stdout.strip() == 'PONG':
                return
        except subprocess.TimeoutExpired:
            pass
        time.sleep(0.2)
    raise RuntimeError(f'server on port {port} did not answer PING')


class Server:
    def __init__(self, name, argv, port, env=None):
        self.name, self.port = name, port
        self.workdir = tempfile.mkdtemp(prefix=f'bench-{name}-')
        self.proc = subprocess.Popen(['taskset', '-c', SERVER_CORE] + argv, cwd=self.workdir, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_ping(port)

    def rss_bytes(self):
        # The server process is the child of taskset's exec, so the pid is the server's.
        with open(f'/proc/{self.proc.pid}/status') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1]) * 1024
        return 0

    def cli(self, *args):
        return subprocess.run(['redis-cli', '-p', str(self.port)] + list(args), capture_output=True,
                              text=True).stdout

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_redis():
    port = free_port()
    return Server('redis', ['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                            '--appendonly', 'no', '--daemonize', 'no'], port)


def start_respire(java_home):
    port = free_port()
    env = dict(os.environ)
    if java_home:
        env['JAVA_HOME'] = java_home
    return Server('respire', [os.path.join(ROOT, 'bin', 'respire-server'), '--port', str(port)], port, env)


# Tests redis-benchmark lacks, as custom commands (populated once per server before the run).
CUSTOM = {
    'zrange_100': ['zrange', 'bench:zset', '0', '99'],
}


def populate(port):
    args = ['redis-cli', '-p', str(port), 'zadd', 'bench:zset']
    for i in range(100):
        args += [str(i), f'member:{i}']
    subprocess.run(args, capture_output=True, check=True)


def benchmark(port, test, pipeline, requests, clients=50):
    what = CUSTOM[test] if test in CUSTOM else ['-t', test]
    out = subprocess.run(['taskset', '-c', CLIENT_CORE, 'redis-benchmark', '-p', str(port), '-n', str(requests),
                          '-c', str(clients), '-P', str(pipeline), '-r', '100000', '--csv'] + what,
                         capture_output=True, text=True, timeout=600)
    rows = list(csv.reader(io.StringIO(out.stdout)))
    # The last row is the test asked for (LRANGE tests run an LPUSH first to fill the list).
    header, data = rows[0], rows[-1]
    record = dict(zip(header, data))
    return float(record['rps']), float(record['p99_latency_ms'])


def requests_for(pipeline, requests):
    """Pipelined runs are many times faster: give them more requests so they last as long."""
    return requests * (10 if pipeline > 1 else 1)


def load_keys(server, keys, value_size):
    value = 'x' * value_size
    payload = io.StringIO()
    for i in range(keys):
        key = f'key:{i:012d}'
        payload.write(f'*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n${value_size}\r\n{value}\r\n')
    subprocess.run(['redis-cli', '-p', str(server.port), '--pipe'], input=payload.getvalue(), text=True,
                   capture_output=True, check=True)


def memory_per_key(server, keys, value_size):
    time.sleep(1)
    before = server.rss_bytes()
    load_keys(server, keys, value_size)
    time.sleep(2)
    after = server.rss_bytes()
    return (after - before) / keys


def java_version(java_home):
    java = os.path.join(java_home, 'bin', 'java') if java_home else 'java'
    out = subprocess.run([java, '-version'], capture_output=True, text=True).stderr.splitlines()
    return out[0] if out else 'unknown'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--java-home', default=os.environ.get('JAVA_HOME', ''))
    parser.add_argument('--requests', type=int, default=200000, help='per -P 1 cell; pipelined cells get 10x')
    parser.add_argument('--tests', default='set,get,incr,mset,lpush,rpop,lrange_100,sadd,hset,zadd,zrange_100')
    parser.add_argument('--pipelines', default='1,16')
    parser.add_argument('--memory-keys', type=int, default=1000000)
    parser.add_argument('--value-size', type=int, default=64)
    parser.add_argument('--out')
    args = parser.parse_args()

    lines = [f'Java: {java_version(args.java_home)}; redis-server: '
             + subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.strip(), '',
             '| test | -P | Redis ops/s | Respire ops/s | ratio | Redis p99 ms | Respire p99 ms | p99 ratio |',
             '|---|---|---|---|---|---|---|---|']
    redis, respire = start_redis(), start_respire(args.java_home)
    try:
        tests = args.tests.split(',')
        populate(redis.port)
        populate(respire.port)
        # JIT warm-up: Respire's first seconds are interpreted code; warm every test.
        for test in tests:
            benchmark(respire.port, test, 16, args.requests * 10)
        for test in tests:
            for pipeline in [int(p) for p in args.pipelines.split(',')]:
                n = requests_for(pipeline, args.requests)
                r_rps, r_p99 = benchmark(redis.port, test, pipeline, n)
                s_rps, s_p99 = benchmark(respire.port, test, pipeline, n)
                lines.append(f'| {test.upper()} | {pipeline} | {r_rps:,.0f} | {s_rps:,.0f} | {s_rps / r_rps:.2f} '
                             f'| {r_p99:.3f} | {s_p99:.3f} | {s_p99 / r_p99 if r_p99 else float("nan"):.2f} |')
                print(lines[-1], flush=True)
    finally:
        redis.stop()
        respire.stop()

    if args.memory_keys:
        redis, respire = start_redis(), start_respire(args.java_home)
        try:
            r_mem = memory_per_key(redis, args.memory_keys, args.value_size)
            s_mem = memory_per_key(respire, args.memory_keys, args.value_size)
        finally:
            redis.stop()
            respire.stop()
        lines += ['', f'| memory ({args.memory_keys:,} keys, {args.value_size}-byte values) | Redis | Respire | ratio |',
                  '|---|---|---|---|',
                  f'| resident bytes per key | {r_mem:.0f} | {s_mem:.0f} | {s_mem / r_mem:.2f} |']
        print('\n'.join(lines[-3:]))
    report = '\n'.join(lines) + '\n'
    if args.out:
        with open(args.out, 'a') as f:
            f.write(report + '\n')
    print(report)


if __name__ == '__main__':
    main()
