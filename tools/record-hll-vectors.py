#!/usr/bin/env python3
"""Records HyperLogLog test vectors from a real redis-server 7.0.15 for datastructures' HLL tests.

Usage: tools/record-hll-vectors.py PORT   (a scratch redis-server on 127.0.0.1:PORT; it is FLUSHALLed)

Writes into datastructures/src/test/resources/io/respire/ds/hll/:
- sequences.txt: elements "e<seed>:<i>" for i in 0..n-1 added in order with PFADD under a given
  hll-sparse-max-bytes; the value Redis holds then (length, SHA-1, and the bytes in hex when short),
  its encoding and PFCOUNT. Also PFMERGE of two such sequences into a new key and into an existing one.
- estimates.txt: dense HLLs built from a register histogram (SET), and Redis's PFCOUNT of each.
"""
import hashlib
import math
import os
import random
import subprocess
import sys

PORT = sys.argv[1]
OUT = os.path.join(os.path.dirname(__file__), '..', 'datastructures', 'src', 'test', 'resources', 'io', 'respire',
                   'ds', 'hll')


def resp(args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


def pipe(commands):
    payload = b''.join(resp(c) for c in commands)
    out = subprocess.run(['redis-cli', '-p', PORT, '--pipe'], input=payload, capture_output=True, check=True).stdout
    assert b'errors: 0,' in out, out


def cli(*args, inp=None):
    cmd = ['redis-cli', '-p', PORT] + (['-x'] if inp is not None else []) + [str(a) for a in args]
    return subprocess.run(cmd, input=inp, capture_output=True, check=True).stdout.rstrip(b'\n')


def raw_get(key):
    # redis-cli would mangle binary output: read it back through a Lua script as hex.
    script = "local v = redis.call('get', KEYS[1]) return (v:gsub('.', function(c) return string.format('%02x', " \
             "string.byte(c)) end))"
    return bytes.fromhex(cli('eval', script, 1, key).decode())


def add_sequence(key, seed, n):
    commands = []
    for start in range(0, n, 100):
        commands.append(['PFADD', key] + [f'e{seed}:{i}' for i in range(start, min(start + 100, n))])
    if not commands:
        commands.append(['PFADD', key])
    pipe(commands)


def describe(key):
    value = raw_get(key)
    encoding = cli('pfdebug', 'encoding', key).decode()
    count = cli('pfcount', key).decode()
    hexed = value.hex() if len(value) <= 256 else '-'
    return f'{encoding} {len(value)} {hashlib.sha1(value).hexdigest()} {count} {hexed}'


def sequences():
    lines = ['# sequence <sparse-max-bytes> <seed> <n>: PFADD of "e<seed>:<i>", i = 0..n-1, in order',
             '# merge <sparse-max-bytes> <seedA> <nA> <seedB> <nB> <into>: PFMERGE of two sequences into a new key '
             '(into=new) or into the first (into=first)',
             '# then: encoding length sha1 PFCOUNT hex-or-dash (the value as redis-server 7.0.15 holds it)']
    for max_bytes in (3000, 0, 100, 500, 12000):
        cli('config', 'set', 'hll-sparse-max-bytes', max_bytes)
        for seed, n in ((1, 0), (1, 1), (2, 2), (3, 3), (4, 10), (5, 50), (6, 100), (7, 300), (8, 700),
                        (9, 1000), (10, 1500), (11, 2000), (12, 3000), (13, 5000), (14, 20000), (15, 100000)):
            if max_bytes != 3000 and n > 5000:
                continue
            cli('flushall')
            add_sequence('h', seed, n)
            lines.append(f'sequence {max_bytes} {seed} {n} -> {describe("h")}')
        for a, b in (((20, 10), (21, 10)), ((22, 500), (23, 400)), ((24, 100), (25, 20000)), ((26, 3000), (27, 0))):
            for into in ('new', 'first'):
                cli('flushall')
                add_sequence('a', *a)
                add_sequence('b', *b)
                dest = 'd' if into == 'new' else 'a'
                cli('pfmerge', dest, 'a', 'b')
                lines.append(f'merge {max_bytes} {a[0]} {a[1]} {b[0]} {b[1]} {into} -> {describe(dest)}')
    cli('config', 'set', 'hll-sparse-max-bytes', 3000)
    with open(os.path.join(OUT, 'sequences.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def dense_from_registers(registers):
    header = b'HYLL' + bytes(4) + bytes(7) + b'\x80'  # dense, cache invalid
    data = bytearray(12288)
    for i, v in enumerate(registers):
        bit = i * 6
        byte, shift = bit // 8, bit % 8
        data[byte] |= (v << shift) & 0xff
        if shift > 2:
            data[byte + 1] |= v >> (8 - shift)
    return header + bytes(data)


def sample_registers(rng, n):
    """Registers of an HLL that saw about n elements: each the max of ~n/m geometric draws."""
    lam = n / 16384.0
    regs = []
    for _ in range(16384):
        u = rng.random()
        # P(reg <= k) = exp(-lam * 2^-k): invert for k.
        k = 0
        while k < 51 and math.exp(-lam * 2.0 ** -k) < u:
            k += 1
        regs.append(k)
    return regs


def estimates():
    rng = random.Random(7015)
    cases = [[0] * 16384, [1] * 16384, [50] * 16384, [51] * 16384, [63] * 16384, [0] * 16383 + [1],
             [0] * 8192 + [1] * 8192, [33] * 16384, [51] * 16383 + [0]]
    for n in (1, 2, 5, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000, 300000, 10 ** 6, 10 ** 7, 10 ** 8,
              10 ** 9, 10 ** 10, 10 ** 12, 10 ** 14, 10 ** 16):
        cases.append(sample_registers(rng, n))
    for _ in range(40):
        n = 10 ** rng.uniform(0, 9)
        cases.append(sample_registers(rng, n))
    lines = ['# histogram of a dense HLL\'s 16384 registers (value:count,...) -> PFCOUNT on redis-server 7.0.15']
    for regs in cases:
        cli('set', 'd', inp=dense_from_registers(regs))
        count = cli('pfcount', 'd').decode()
        histo = {}
        for v in regs:
            histo[v] = histo.get(v, 0) + 1
        lines.append(','.join(f'{v}:{c}' for v, c in sorted(histo.items())) + ' -> ' + count)
    with open(os.path.join(OUT, 'estimates.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    sequences()
    estimates()
