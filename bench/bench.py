#!/usr/bin/env python3
"""Respire versus Redis, side by side in one run: throughput, p99 latency and memory per key.

Each server is pinned to core 0 and redis-benchmark to core 1 (taskset), and the two servers are
measured alternately, test by test, so that both see the same machine state. Figures are reported
as ratios Respire/Redis (throughput: higher is better; p99 latency and memory: lower is better).

With --collections-memory, measures instead the memory of the collection types: one big hash,
set, sorted set, list and stream, and many small hashes, each case on a fresh pair of servers
(--collections-cases picks some). With --hll-memory N, the memory of N dense HyperLogLogs.

Usage (from the project root, after `mvn -q package -DskipTests`):
    python3 bench/bench.py [--java-home DIR] [--requests N] [--tests set,get,incr,mset]
                           [--pipelines 1,16] [--memory-keys 1000000] [--out docs/bench-run.md]
    python3 bench/bench.py --collections-memory [--collections-elements 1000000] [--java-home DIR]
                           [--out docs/bench-run.md]
    python3 bench/bench.py --hll-memory 10000 [--java-home DIR]

Messaging cells (see MESSAGING; --tests publish_1,publish_50,publish_patterns_100,set_kea,get_kea):
PUBLISH to a channel that 1 or 50 subscribers read, or that 100 patterns of one subscriber are
matched against (ops/s are messages delivered per second), and SET / GET with notify-keyspace-events
KEA while a pattern subscriber receives every notification, and SET while 50 clients track every
key in BCAST mode (set_tracking_50).

xreadgroup_xack: the consumer-group cycle, XREADGROUP of one entry then its XACK, by
bench/StreamCycle.java (ops/s are cycles per second).
"""
import argparse
import csv
import io
import os
import random
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_CORE = '0'
CLIENT_CORE = '1'
# redis-benchmark options added to every throughput cell (--client-args), e.g. a user to log in as.
CLIENT_ARGS = []


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


def start_redis(extra=()):
    port = free_port()
    return Server('redis', ['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                            '--appendonly', 'no', '--daemonize', 'no'] + list(extra), port)


def start_respire(java_home, extra=()):
    port = free_port()
    env = dict(os.environ)
    if java_home:
        env['JAVA_HOME'] = java_home
    return Server('respire', [os.path.join(ROOT, 'bin', 'respire-server'), '--port', str(port)] + list(extra),
                  port, env)


# Scripts the scripting cells run: a one-call script, and the seeds' token bucket (as written
# there, with a fixed 'now' so that every call reads, computes and writes).
INCR_SCRIPT = "return redis.call('incr',KEYS[1])"
TOKEN_BUCKET_SCRIPT = """
    local key = KEYS[1]
    local capacity = tonumber(ARGV[1])
    local refill_rate = tonumber(ARGV[2])
    local now = tonumber(ARGV[3])

    local bucket = redis.call('hmget', key, 'tokens', 'last_refill')
    local tokens = tonumber(bucket[1]) or capacity
    local last_refill = tonumber(bucket[2]) or now

    -- Refill tokens
    local elapsed = (now - last_refill) / 1000
    tokens = math.min(capacity, tokens + elapsed * refill_rate)

    if tokens >= 1 then
      tokens = tokens - 1
      redis.call('hmset', key, 'tokens', tokens, 'last_refill', now)
      redis.call('expire', key, 3600)
      return 1
    end

    return 0
"""
INCR_LIBRARY = "#!lua name=bench\nredis.register_function('bench_incr', function(keys, args) return redis.call('incr', keys[1]) end)"


def sha1(text):
    import hashlib
    return hashlib.sha1(text.encode()).hexdigest()


# Tests redis-benchmark lacks, as custom commands (populated once per server before the run).
CUSTOM = {
    'zrange_100': ['zrange', 'bench:zset', '0', '99'],
    'evalsha_incr': ['evalsha', sha1(INCR_SCRIPT), '1', 'bench:counter'],
    # A huge capacity keeps the bucket admitting, so each call takes the write path.
    'evalsha_bucket': ['evalsha', sha1(TOKEN_BUCKET_SCRIPT), '1', 'bench:bucket', '1000000000', '10', '1700000000000'],
    'fcall_incr': ['fcall', 'bench_incr', '1', 'bench:counter'],
    # HyperLogLog: PFADD of varying elements to a dense HLL (most leave it unchanged, as in real
    # use); PFCOUNT of one key (its cached cardinality) and the union of three (a full merge).
    'pfadd': ['pfadd', 'bench:hll', 'element:__rand_int__'],
    'pfcount_one': ['pfcount', 'bench:hll2'],
    'pfcount_three': ['pfcount', 'bench:hll', 'bench:hll2', 'bench:hll3'],
    # Random positions (each __rand_int__ is 12 random digits) added to one geo index.
    'geoadd': ['geoadd', 'bench:geo', '13.__rand_int__', '38.__rand_int__', 'member:__rand_int__'],
    # "What is near": 22 of the 10,000 points populate() spreads over Sicily, nearest first.
    'geosearch': ['geosearch', 'bench:geopoints', 'fromlonlat', '14.2', '37.5', 'byradius', '10', 'km', 'asc'],
    'xadd': ['xadd', 'bench:stream', '*', 'f1', 'v1', 'f2', 'v2', 'f3', 'v3'],
    'xrange_100': ['xrange', 'bench:xrange', '-', '+'],
}

# Elements in each HyperLogLog populate() builds: enough for the dense encoding.
HLL_ELEMENTS = 20000
GEO_POINTS = 10000


def populate(port):
    args = ['redis-cli', '-p', str(port), 'zadd', 'bench:zset']
    for i in range(100):
        args += [str(i), f'member:{i}']
    subprocess.run(args, capture_output=True, check=True)
    # GEO_POINTS positions uniform over 12..16 E, 36..39 N (about 350 x 330 km), the same on both servers.
    rng = random.Random(1)
    for start in range(0, GEO_POINTS, 1000):
        args = ['redis-cli', '-p', str(port), 'geoadd', 'bench:geopoints']
        for i in range(start, min(start + 1000, GEO_POINTS)):
            args += [f'{rng.uniform(12, 16):.6f}', f'{rng.uniform(36, 39):.6f}', f'place:{i}']
        subprocess.run(args, capture_output=True, check=True)
    for i in range(100):  # the stream xrange_100 reads whole (xadd writes to another key)
        subprocess.run(['redis-cli', '-p', str(port), 'xadd', 'bench:xrange', '*', 'f1', f'v{i}', 'f2', 'v2', 'f3', 'v3'],
                       capture_output=True, check=True)
    for script in (INCR_SCRIPT, TOKEN_BUCKET_SCRIPT):
        subprocess.run(['redis-cli', '-p', str(port), 'script', 'load', script], capture_output=True, check=True)
    # FUNCTION LOAD fails on a server without functions: the fcall cell then reports errors.
    subprocess.run(['redis-cli', '-p', str(port), 'function', 'load', 'replace', INCR_LIBRARY], capture_output=True)
    payload = io.StringIO()
    for key in ('bench:hll', 'bench:hll2', 'bench:hll3'):
        for start in range(0, HLL_ELEMENTS, 1000):
            payload.write(resp_command(['PFADD', key] + [f'{key}:{i}' for i in range(start, start + 1000)]))
    subprocess.run(['redis-cli', '-p', str(port), '--pipe'], input=payload.getvalue(), text=True,
                   capture_output=True, check=True)


# Messaging cells: (commands each reading connection sends first, connections, notify-keyspace-events,
# the command redis-benchmark sends, deliveries per command). publish_* figures are messages
# delivered per second (PUBLISH calls/s times the deliveries each makes); set_kea and get_kea are
# SET and GET while every keyspace notification is delivered to one pattern subscriber.
PUBLISH_CHANNEL = 'bench:channel'
NO_MATCH_PATTERNS = [f'other:{i}:*' for i in range(99)]
MESSAGING = {
    'publish_1': ([['SUBSCRIBE', PUBLISH_CHANNEL]], 1, '', ['publish', PUBLISH_CHANNEL, 'x' * 32], 1),
    'publish_50': ([['SUBSCRIBE', PUBLISH_CHANNEL]], 50, '', ['publish', PUBLISH_CHANNEL, 'x' * 32], 50),
    # 100 patterns, one of which matches: the cost of matching every pattern on each PUBLISH.
    'publish_patterns_100': ([['PSUBSCRIBE', 'bench:*'] + NO_MATCH_PATTERNS], 1, '',
                             ['publish', PUBLISH_CHANNEL, 'x' * 32], 1),
    'set_kea': ([['PSUBSCRIBE', '__key*__:*']], 1, 'KEA', ['set', 'key:__rand_int__', 'x' * 3], 1),
    'get_kea': ([['PSUBSCRIBE', '__key*__:*']], 1, 'KEA', ['get', 'key:__rand_int__'], 1),
    # 50 client-side caches in BCAST mode: every SET is an invalidation for each of them.
    'set_tracking_50': ([['HELLO', '3'], ['CLIENT', 'TRACKING', 'ON', 'BCAST']], 50, '',
                        ['set', 'key:__rand_int__', 'x' * 3], 1),
}


class Subscribers:
    """Connections that each send the `subscribe` commands (SUBSCRIBE, PSUBSCRIBE, CLIENT TRACKING...),
    drained by one thread that discards what arrives."""

    def __init__(self, port, subscribe, n):
        import selectors
        import threading
        self.port, self.n = port, n
        self.selector = selectors.DefaultSelector()
        self.socks = []
        for _ in range(n):
            s = socket.create_connection(('127.0.0.1', port))
            s.sendall(''.join(resp_command(command) for command in subscribe).encode())
            s.setblocking(False)
            self.selector.register(s, selectors.EVENT_READ)
            self.socks.append(s)
        self.buffer = bytearray(1 << 20)
        self.running = True
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()
        deadline = time.time() + 30
        while self.count() != n:
            if time.time() > deadline:
                raise RuntimeError(f'{n} subscribers did not all subscribe on port {port}')
            time.sleep(0.05)

    def _drain(self):
        # On the client's core, as redis-benchmark, so that the server's core runs the server alone;
        # a pass per millisecond reads what arrived in large chunks (the sockets' buffers hold it
        # meanwhile), so that reading costs the client's core little whatever the server's write sizes.
        os.sched_setaffinity(0, {int(CLIENT_CORE)})
        while self.running:
            for key, _ in self.selector.select(timeout=0.2):
                try:
                    if not key.fileobj.recv_into(self.buffer):
                        self.selector.unregister(key.fileobj)  # end of stream
                except (BlockingIOError, ConnectionError, OSError):
                    pass
            time.sleep(0.001)

    def count(self):
        """How many clients are subscribed or tracking (flag P or t in CLIENT LIST)."""
        out = subprocess.run(['redis-cli', '-p', str(self.port), 'client', 'list'],
                             capture_output=True, text=True).stdout
        flags = [f.split('=', 1)[1] for line in out.splitlines() for f in line.split() if f.startswith('flags=')]
        return sum(1 for f in flags if 'P' in f or 't' in f)

    def close(self):
        self.running = False
        self.thread.join()
        for s in self.socks:
            s.close()


# JIT warm-up: rounds of every test at -P 16 until a round compiles fewer than WARM_SETTLED more
# methods, at most WARM_ROUNDS rounds. The JIT compiles on the server's pinned core, so a round it
# still compiles in is not the steady state: GET -P 16 took 1.86 us of server CPU per request in the
# first 2M requests after a start, 1.50 in the next 2M (214 more methods compiled) and 0.97 from the
# 6th million on (fewer than 80 per round), Redis 0.94-0.99.
WARM_ROUNDS = 6
WARM_SETTLED = 50


def compiled_methods(server, java_home):
    """The JIT's count of compiled methods (jstat -compiler), or None if jstat cannot tell."""
    jstat = os.path.join(java_home, 'bin', 'jstat') if java_home else 'jstat'
    out = subprocess.run([jstat, '-compiler', str(server.proc.pid)], capture_output=True, text=True)
    lines = out.stdout.split('\n')
    if out.returncode != 0 or len(lines) < 2 or not lines[1].split():
        return None
    return int(lines[1].split()[0])


def warm_up(respire, tests, requests, java_home):
    compiled = compiled_methods(respire, java_home)
    for done in range(1, WARM_ROUNDS + 1):
        for test in tests:
            benchmark(respire.port, test, 16, requests)
        before, compiled = compiled, compiled_methods(respire, java_home)
        if before is None or compiled is None or compiled - before < WARM_SETTLED:
            break
    text = (f'JIT warm-up: {done} round(s) of {requests:,} requests per test at -P 16; '
            f'{compiled if compiled is not None else "?"} methods compiled')
    print(text, flush=True)
    return text


def benchmark(port, test, pipeline, requests, clients=50):
    if test in MESSAGING:
        return messaging_benchmark(port, MESSAGING[test], pipeline, requests, clients)
    if test == 'xreadgroup_xack':
        return stream_cycle_benchmark(port, pipeline, requests, clients)
    what = CUSTOM[test] if test in CUSTOM else ['-t', test]
    out = subprocess.run(['taskset', '-c', CLIENT_CORE, 'redis-benchmark', '-p', str(port), '-n', str(requests),
                          '-c', str(clients), '-P', str(pipeline), '-r', '100000', '--csv'] + CLIENT_ARGS + what,
                         capture_output=True, text=True, timeout=600)
    rows = list(csv.reader(io.StringIO(out.stdout)))
    # The last row is the test asked for (LRANGE tests run an LPUSH first to fill the list).
    header, data = rows[0], rows[-1]
    record = dict(zip(header, data))
    return float(record['rps']), float(record['p99_latency_ms'])


def stream_cycle_benchmark(port, pipeline, cycles, clients):
    """XREADGROUP then XACK of the entry it delivered, by bench/StreamCycle.java (redis-benchmark
    repeats a single command): cycles per second and the p99 of one pipeline's two round trips."""
    out = subprocess.run(['taskset', '-c', CLIENT_CORE, 'java', os.path.join(ROOT, 'bench', 'StreamCycle.java'),
                          str(port), str(clients), str(pipeline), str(cycles)],
                         capture_output=True, text=True, timeout=600, check=True)
    rps, p99 = out.stdout.split()
    return float(rps), float(p99)


def messaging_benchmark(port, cell, pipeline, requests, clients):
    """One MESSAGING cell: its readers subscribe, then redis-benchmark runs its command."""
    subscribe, readers, events, command, deliveries = cell
    subprocess.run(['redis-cli', '-p', str(port), 'config', 'set', 'notify-keyspace-events', events],
                   capture_output=True, check=True)
    subs = Subscribers(port, subscribe, readers)
    try:
        out = subprocess.run(['taskset', '-c', CLIENT_CORE, 'redis-benchmark', '-p', str(port), '-n', str(requests),
                              '-c', str(clients), '-P', str(pipeline), '-r', '100000', '--csv'] + command,
                             capture_output=True, text=True, timeout=600)
        left = subs.count()
    finally:
        subs.close()
        subprocess.run(['redis-cli', '-p', str(port), 'config', 'set', 'notify-keyspace-events', ''],
                       capture_output=True)
    if left != readers:  # a reader cut off for its output limit would make the figure meaningless
        raise RuntimeError(f'{readers - left} of {readers} subscribers were disconnected during the run')
    record = dict(zip(*list(csv.reader(io.StringIO(out.stdout)))[:2]))
    return float(record['rps']) * deliveries, float(record['p99_latency_ms'])


def requests_for(pipeline, requests):
    """Pipelined runs are many times faster: give them more requests so they last as long."""
    return requests * (10 if pipeline > 1 else 1)


def resp_command(args):
    """One command in RESP, as redis-cli --pipe takes it."""
    out = [f'*{len(args)}\r\n']
    for a in args:
        out.append(f'${len(a.encode())}\r\n{a}\r\n')
    return ''.join(out)


def load_keys(server, keys, value_size):
    value = 'x' * value_size
    payload = io.StringIO()
    for i in range(keys):
        key = f'key:{i:012d}'
        payload.write(resp_command(['SET', key, value]))
    subprocess.run(['redis-cli', '-p', str(server.port), '--pipe'], input=payload.getvalue(), text=True,
                   capture_output=True, check=True)


# --collections-memory: many elements per command when building one big collection.
BATCH = 100


def write_batched(f, head, n, element_args):
    """Writes head + the arguments of elements 0..n-1, BATCH elements per command."""
    for start in range(0, n, BATCH):
        args = list(head)
        for i in range(start, min(start + BATCH, n)):
            args += element_args(i)
        f.write(resp_command(args))


def write_small_hashes(f, n):
    for i in range(n):
        args = ['HSET', f'hash:{i}']
        for j in range(10):
            args += [f'f{j}', f'v{j}:{i}']
        f.write(resp_command(args))


def geo_position(i):
    """A spread of distinct positions over the valid range (the same for both servers)."""
    return [f'{(i * 7919) % 360000 / 1000 - 180:.3f}', f'{(i * 104729) % 170000 / 1000 - 85:.3f}']


# Each case: its name, what one unit is, and a writer that gets the count of units and writes the
# commands that build the case.
COLLECTION_CASES = [
    ('hash: one key, "field:N" -> "value:N"', 'field',
     lambda f, n: write_batched(f, ['HSET', 'hash'], n, lambda i: [f'field:{i}', f'value:{i}'])),
    ('set: one key, "member:N"', 'member',
     lambda f, n: write_batched(f, ['SADD', 'set'], n, lambda i: [f'member:{i}'])),
    ('sorted set: one key, "member:N" score N', 'member',
     lambda f, n: write_batched(f, ['ZADD', 'zset'], n, lambda i: [str(i), f'member:{i}'])),
    ('list: one key, RPUSH "value:N"', 'element',
     lambda f, n: write_batched(f, ['RPUSH', 'list'], n, lambda i: [f'value:{i}'])),
    ('small hashes: "hash:N", f0..f9 -> "vJ:N"', 'hash',
     write_small_hashes),
    ('geo: one key, GEOADD lon lat "member:N"', 'member',
     lambda f, n: write_batched(f, ['GEOADD', 'geo'], n, lambda i: geo_position(i) + [f'member:{i}'])),
    ('stream: one key, XADD * f1 vN f2 v2 f3 v3', 'entry',
     lambda f, n: [f.write(resp_command(['XADD', 'stream', '*', 'f1', f'v{i}', 'f2', 'v2', 'f3', 'v3'])) for i in range(n)]),
]


def pipe_file(server, path):
    """Sends the commands in {path} with redis-cli --pipe; fails if any command got an error."""
    with open(path) as f:
        out = subprocess.run(['redis-cli', '-p', str(server.port), '--pipe'], stdin=f, capture_output=True,
                             text=True, check=True).stdout
    if 'errors: 0,' not in out:
        raise RuntimeError(f'{server.name}: redis-cli --pipe reported errors: {out.strip()}')


def info_field(server, section, field):
    for line in server.cli('INFO', section).splitlines():
        if line.startswith(field + ':'):
            return int(line.split(':', 1)[1])
    raise RuntimeError(f'{server.name}: INFO {section} has no {field}')


def respire_heap_after_gc(server, java_home):
    """Respire reports the JVM heap in use as used_memory: read it after a full GC (jcmd GC.run)."""
    jcmd = os.path.join(java_home, 'bin', 'jcmd') if java_home else 'jcmd'
    subprocess.run([jcmd, str(server.proc.pid), 'GC.run'], capture_output=True, check=True)
    return info_field(server, 'memory', 'used_memory')


# Seconds of idleness after which Respire's G1 collects and gives back the heap a load grew
# (bin/respire-server's G1PeriodicGCInterval is 15 s; the check itself runs at that interval, and the
# concurrent cycle that shrinks the heap takes a while), plus a margin.
SETTLE_SECONDS = 50


def collection_memory(payload, n, java_home):
    """Loads {payload} into a fresh Redis and a fresh Respire; the growth of each figure per unit."""
    redis, respire = start_redis(), start_respire(java_home)
    try:
        # Baselines: the idle, empty servers. Respire's resident growth therefore includes what
        # any loaded JVM touches once, chiefly its young generation (128 MB under G1's settings in
        # bin/respire-server, i.e. 128 B/unit at a million units): a fixed cost, not per element.
        s_heap = respire_heap_after_gc(respire, java_home)
        time.sleep(2)
        r_rss, r_used = redis.rss_bytes(), info_field(redis, 'memory', 'used_memory')
        s_rss = respire.rss_bytes()
        pipe_file(redis, payload)
        pipe_file(respire, payload)
        time.sleep(2)
        s_peak = respire.rss_bytes() - s_rss  # right after the load, garbage and all
        time.sleep(SETTLE_SECONDS)
        r_rss = redis.rss_bytes() - r_rss
        r_used = info_field(redis, 'memory', 'used_memory') - r_used
        s_rss = respire.rss_bytes() - s_rss  # settled, before any forced GC
        s_heap = respire_heap_after_gc(respire, java_home) - s_heap
    finally:
        redis.stop()
        respire.stop()
    return r_rss / n, r_used / n, s_rss / n, s_peak / n, s_heap / n


def collections_memory(n, java_home, only=None):
    lines = [f'| case ({n:,} units) | unit | Redis RSS B/unit | Redis used_memory B/unit | Respire RSS settled B/unit '
             f'| Respire RSS right after load | Respire heap after GC B/unit | RSS ratio (settled) |',
             '|---|---|---|---|---|---|---|---|']
    for name, unit, write in COLLECTION_CASES:
        if only and not any(name.startswith(prefix) for prefix in only):
            continue
        with tempfile.NamedTemporaryFile('w', prefix='bench-collection-', suffix='.resp', delete=False) as f:
            write(f, n)
        try:
            r_rss, r_used, s_rss, s_peak, s_heap = collection_memory(f.name, n, java_home)
        finally:
            os.unlink(f.name)
        ratio = s_rss / r_rss if r_rss else float('nan')
        lines.append(f'| {name} | {unit} | {r_rss:.1f} | {r_used:.1f} | {s_rss:.1f} | {s_peak:.1f} | {s_heap:.1f} '
                     f'| {ratio:.2f} |')
        print(lines[-1], flush=True)
    return lines


def scripts_memory(n, java_home):
    """Memory of n distinct scripts in the script cache: Redis's growth of used_memory plus
    used_memory_lua (the Lua heap is allocated outside used_memory) against Respire's live heap
    growth after a full GC, each on a fresh server."""
    scripts = [f"local a = KEYS[1] local b = ARGV[1] return redis.call('get', 'script:{i}')" for i in range(n)]
    path = os.path.join(tempfile.mkdtemp(), 'scripts.resp')
    with open(path, 'w') as f:
        for script in scripts:
            f.write(resp_command(['SCRIPT', 'LOAD', script]))
    rows = []
    for name, start in (('redis', start_redis), ('respire', lambda: start_respire(java_home))):
        server = start()
        try:
            def used():
                if name == 'redis':
                    return (int(info_field(server, 'memory', 'used_memory'))
                            + int(info_field(server, 'memory', 'used_memory_lua')))
                return int(respire_heap_after_gc(server, java_home))
            before = used()
            pipe_file(server, path)
            cached = int(info_field(server, 'memory', 'number_of_cached_scripts'))
            after = used()
            rows.append((name, cached, (after - before) / n))
        finally:
            server.stop()
    (_, r_cached, r_bytes), (_, s_cached, s_bytes) = rows
    return [f'| {n:,} cached scripts | Redis | Respire | ratio |', '|---|---|---|---|',
            f'| scripts cached | {r_cached:,} | {s_cached:,} | |',
            f'| bytes per script (Redis used_memory + used_memory_lua, Respire live heap) | {r_bytes:,.0f} '
            f'| {s_bytes:,.0f} '
            f'| {s_bytes / r_bytes:.2f} |']


def hll_memory(n, java_home):
    """Memory of n dense HyperLogLogs (PFADD, then PFDEBUG TODENSE: the same exact-size dense
    string a promotion allocates): Redis's growth of used_memory and of its resident size against
    Respire's live heap growth after a full GC and its resident growth, each on a fresh server."""
    path = os.path.join(tempfile.mkdtemp(), 'hll.resp')
    with open(path, 'w') as f:
        for i in range(n):
            f.write(resp_command(['PFADD', f'hll:{i}'] + [f'element:{i}:{j}' for j in range(20)]))
            f.write(resp_command(['PFDEBUG', 'TODENSE', f'hll:{i}']))
    rows = []
    for name, start in (('redis', start_redis), ('respire', lambda: start_respire(java_home))):
        server = start()
        try:
            def used():
                if name == 'redis':
                    return int(info_field(server, 'memory', 'used_memory'))
                return int(respire_heap_after_gc(server, java_home))
            before, rss_before = used(), server.rss_bytes()
            pipe_file(server, path)
            after = used()
            rows.append(((after - before) / n, (server.rss_bytes() - rss_before) / n))
        finally:
            server.stop()
    (r_used, r_rss), (s_used, s_rss) = rows
    return [f'| {n:,} dense HyperLogLogs | Redis | Respire | ratio |', '|---|---|---|---|',
            f'| live bytes per HLL (Redis used_memory, Respire heap after GC) | {r_used:,.0f} | {s_used:,.0f} '
            f'| {s_used / r_used:.2f} |',
            f'| resident growth per HLL (Respire after a full GC) | {r_rss:,.0f} | {s_rss:,.0f} '
            f'| {s_rss / r_rss:.2f} |']


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
    parser.add_argument('--rounds', type=int, default=1,
                        help='measure each cell this many times, Redis and Respire alternately, and report the '
                             'round with the median ratio plus the range of ratios (this host is noisy)')
    parser.add_argument('--memory-keys', type=int, default=1000000)
    parser.add_argument('--value-size', type=int, default=64)
    parser.add_argument('--collections-memory', action='store_true',
                        help='measure only the memory of the collection types (see the module comment)')
    parser.add_argument('--collections-elements', type=int, default=1000000,
                        help='elements of each big collection, and number of small hashes')
    parser.add_argument('--collections-cases', default='',
                        help='with --collections-memory, only the cases whose names start with these '
                             '(comma-separated: hash,set,sorted,list,small,geo,stream)')
    parser.add_argument('--scripts-memory', type=int, default=0, metavar='N',
                        help='measure only the memory of N distinct cached scripts (SCRIPT LOAD)')
    parser.add_argument('--hll-memory', type=int, default=0, metavar='N',
                        help='measure only the memory of N dense HyperLogLogs')
    parser.add_argument('--server-args', default='',
                        help='configuration given to both servers for the throughput cells, as redis-server '
                             'takes it on its command line (e.g. "--appendonly yes --appendfsync always"; '
                             'the AOF goes to each server\'s temporary directory, on the disk of /tmp)')
    parser.add_argument('--client-args', default='',
                        help='options added to redis-benchmark for the throughput cells (e.g. "--user bench -a pw" '
                             'to run as an ACL user defined with --server-args "--user bench on >pw ~* +@all")')
    parser.add_argument('--out')
    args = parser.parse_args()
    CLIENT_ARGS.extend(shlex.split(args.client_args))

    lines = [f'Java: {java_version(args.java_home)}; redis-server: '
             + subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.strip()
             + (f'; both servers started with: {args.server_args}' if args.server_args else '')
             + (f'; redis-benchmark with: {args.client_args}' if args.client_args else ''), '']
    if args.collections_memory:
        print(lines[0], flush=True)
        only = [c for c in args.collections_cases.split(',') if c]
        lines += collections_memory(args.collections_elements, args.java_home, only)
        write_report(lines, args.out)
        return
    if args.hll_memory:
        print(lines[0], flush=True)
        lines += hll_memory(args.hll_memory, args.java_home)
        write_report(lines, args.out)
        return
    if args.scripts_memory:
        print(lines[0], flush=True)
        lines += scripts_memory(args.scripts_memory, args.java_home)
        write_report(lines, args.out)
        return
    spread = args.rounds > 1
    lines += ['| test | -P | Redis ops/s | Respire ops/s | ratio | Redis p99 ms | Respire p99 ms | p99 ratio |'
              + (f' ratios over {args.rounds} rounds |' if spread else ''),
              '|---|---|---|---|---|---|---|---|' + ('---|' if spread else '')]
    extra = shlex.split(args.server_args)
    redis, respire = start_redis(extra), start_respire(args.java_home, extra)
    try:
        tests = args.tests.split(',')
        populate(redis.port)
        populate(respire.port)
        lines.insert(len(lines) - 2, warm_up(respire, tests, args.requests * 10, args.java_home) + '\n')
        for test in tests:
            for pipeline in [int(p) for p in args.pipelines.split(',')]:
                n = requests_for(pipeline, args.requests)
                rounds = []
                for _ in range(args.rounds):
                    r_rps, r_p99 = benchmark(redis.port, test, pipeline, n)
                    s_rps, s_p99 = benchmark(respire.port, test, pipeline, n)
                    rounds.append((s_rps / r_rps, r_rps, s_rps, r_p99, s_p99))
                rounds.sort()
                ratio, r_rps, s_rps, r_p99, s_p99 = rounds[len(rounds) // 2]
                lines.append(f'| {test.upper()} | {pipeline} | {r_rps:,.0f} | {s_rps:,.0f} | {ratio:.2f} '
                             f'| {r_p99:.3f} | {s_p99:.3f} | {s_p99 / r_p99 if r_p99 else float("nan"):.2f} |'
                             + (f' {rounds[0][0]:.2f}-{rounds[-1][0]:.2f} |' if spread else ''))
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
    write_report(lines, args.out)


def write_report(lines, out):
    report = '\n'.join(lines) + '\n'
    if out:
        with open(out, 'a') as f:
            f.write(report + '\n')
    print(report)


if __name__ == '__main__':
    main()
