#!/usr/bin/env python3
"""Measures how fast a server starts: the time from exec to its "Ready to accept connections" log
line, and to its first +PONG, over several starts, as Redis's Tcl suite starts its servers in
spawn mode (a config file in redis.conf syntax, stdout to a file).

Run from the project root, after `mvn -q package -DskipTests`:
    python3 bench/startup.py [--runs 10] [--cmd bin/respire-server] [--warmup 1]
    python3 bench/startup.py --cmd redis-server          # the reference
Prints one line per start and the median, min and max of each figure, in milliseconds.
"""
import argparse
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What the suite's default config asks for, minus what only a test needs.
CONFIG = """always-show-logo yes
daemonize no
port {port}
bind 127.0.0.1
loglevel verbose
logfile ''
databases 16
dir {dir}
appendonly no
enable-debug-command yes
enable-protected-configs yes
"""
READY = re.compile(r'[Rr]eady to accept connections')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def ping(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1) as s:
            s.sendall(b'PING\r\n')
            return s.recv(64).startswith(b'+PONG')
    except OSError:
        return False


def one_start(cmd, workdir):
    port = free_port()
    conf = os.path.join(workdir, 'redis.conf')
    with open(conf, 'w') as f:
        f.write(CONFIG.format(port=port, dir=workdir))
    log = os.path.join(workdir, 'stdout')
    with open(log, 'w') as out, open(os.path.join(workdir, 'stderr'), 'w') as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd + [conf], stdout=out, stderr=err, start_new_session=True)
    ready = pong = None
    try:
        deadline = t0 + 60
        while time.monotonic() < deadline and (ready is None or pong is None):
            if proc.poll() is not None:
                sys.exit(f'the server exited (status {proc.returncode}); see {workdir}')
            now = time.monotonic()
            if ready is None:
                with open(log, errors='replace') as f:
                    if READY.search(f.read()):
                        ready = now - t0
            if pong is None and ping(port):
                pong = time.monotonic() - t0
            time.sleep(0.002)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if ready is None or pong is None:
        sys.exit(f'no ready line or PONG within 60 s; see {workdir}')
    return ready * 1000, pong * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--cmd', default=os.path.join(ROOT, 'bin', 'respire-server'),
                        help='the server command; the config file is appended (default bin/respire-server)')
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=1, help='starts not counted (page cache, CDS archive)')
    args = parser.parse_args()
    cmd = shlex.split(args.cmd)
    readies, pongs = [], []
    with tempfile.TemporaryDirectory(prefix='respire-startup-') as workdir:
        for i in range(args.warmup + args.runs):
            ready, pong = one_start(cmd, workdir)
            counted = i >= args.warmup
            print(f'{"run" if counted else "warmup"} {i + 1}: ready {ready:.0f} ms, first PONG {pong:.0f} ms')
            if counted:
                readies.append(ready)
                pongs.append(pong)
    for name, values in (('ready line', readies), ('first PONG', pongs)):
        print(f'{name}: median {statistics.median(values):.0f} ms, min {min(values):.0f}, max {max(values):.0f}'
              f' ({len(values)} starts)')


if __name__ == '__main__':
    main()
