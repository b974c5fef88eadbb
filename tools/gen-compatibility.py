#!/usr/bin/env python3
"""Generates docs/compatibility.md: which Redis 7.0 commands Respire implements, and its scores on
Redis's own Tcl test suite.

Every command and subcommand comes from the command table resource (commands.json, generated from
Redis 7.0.15's specs). Whether one is implemented is asked of a real server built from this tree,
not of the sources: the script starts server/target/respire-server.jar on a free loopback port and
probes each command with an argument count that the command's arity rejects. The dispatcher looks a
command up before it checks arity, so an unimplemented command answers "unknown command" (or
"unknown subcommand") and an implemented one "wrong number of arguments", and nothing runs. Commands
whose arity accepts any count (PING, SHUTDOWN, CLIENT LIST...) are sent with one bogus argument on a
connection of their own; whatever they answer other than "unknown", they exist. If a probe stops
the server (SHUTDOWN), it is restarted.

The Tcl suite section lists the units the project tracks, in two tables: external-server mode
(the suite against one server the tool starts) and spawn mode (the suite starts its own servers
through bin/respire-server, as upstream runs it). Figures come from run-redis-suite JSON reports
(--suite-json FILE, once per report; a report's "mode" says which table it fills; see
../shared/tools/run-redis-suite.md); a unit a report does not cover keeps the figures already in
docs/compatibility.md.

Run from the project root, after `mvn -q package -DskipTests`:
    python3 tools/gen-compatibility.py [--jar server/target/respire-server.jar] [--suite-json FILE ...]
                                       [--output docs/compatibility.md]
"""
import argparse
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = os.path.join(ROOT, 'server', 'src', 'main', 'resources', 'io', 'respire', 'server', 'command',
                        'commands.json')
OUTPUT = os.path.join(ROOT, 'docs', 'compatibility.md')
JAR = os.path.join(ROOT, 'server', 'target', 'respire-server.jar')
PROBE_ARGUMENT = b'respire-compatibility-probe'

# The Tcl units tracked so far, with their test counts on Redis 7.0.15 in the suite's full mode.
SUITE_UNITS = [('unit/type/string', 77), ('unit/type/incr', 25), ('unit/keyspace', 53), ('unit/expire', 66),
               ('unit/protocol', 25), ('unit/bitops', 45), ('unit/bitfield', 16),
               ('unit/type/hash', 73), ('unit/type/list', 240), ('unit/type/list-2', 2), ('unit/type/list-3', 11),
               ('unit/type/set', 98), ('unit/type/zset', 312), ('unit/sort', 52), ('unit/scan', 17),
               ('unit/hyperloglog', 20), ('unit/geo', 59),
               ('unit/type/stream', 72), ('unit/type/stream-cgroups', 51), ('unit/scripting', 270),
               ('unit/functions', 94), ('unit/slowlog', 16), ('unit/latency-monitor', 14),
               ('unit/dump', 12), ('unit/info-command', 3), ('unit/introspection', 28), ('unit/introspection-2', 43),
               ('unit/lazyfree', 4), ('unit/multi', 60), ('unit/other', 22), ('unit/pause', 14), ('unit/pubsub', 30),
               ('unit/querybuf', 2), ('unit/quit', 3), ('unit/replybufsize', 1), ('unit/tracking', 54),
               ('unit/violations', 1)]
SUITE_BEGIN = '<!-- tcl-suite:begin -->'
SUITE_END = '<!-- tcl-suite:end -->'
# The units tracked in spawn mode, with their test counts on Redis 7.0.15 in that mode (more than
# in external mode: the tests tagged external:skip run too).
SPAWN_UNITS = [('unit/type/string', 77), ('unit/type/incr', 25), ('unit/type/hash', 73), ('unit/type/list', 240),
               ('unit/type/list-2', 2), ('unit/type/list-3', 11), ('unit/type/set', 99), ('unit/type/zset', 312),
               ('unit/keyspace', 53), ('unit/expire', 70), ('unit/sort', 52), ('unit/scan', 17),
               ('unit/bitops', 45), ('unit/bitfield', 20), ('unit/protocol', 25), ('unit/multi', 63),
               ('unit/quit', 3), ('unit/info-command', 3), ('unit/other', 26), ('unit/introspection', 43),
               ('unit/introspection-2', 43), ('unit/scripting', 306), ('unit/functions', 109),
               ('unit/hyperloglog', 20), ('unit/geo', 59), ('unit/type/stream', 72), ('unit/type/stream-cgroups', 57),
               ('unit/dump', 26), ('integration/rdb', 14), ('integration/convert-zipmap-hash-on-load', 3),
               ('integration/convert-ziplist-hash-on-load', 2), ('integration/convert-ziplist-zset-on-load', 2),
               ('unit/shutdown', 8), ('integration/shutdown', 5), ('integration/corrupt-dump', 74),
               ('integration/corrupt-dump-fuzzer', 2), ('integration/aof', 40), ('integration/aof-multi-part', 35),
               ('unit/aofrw', 20),
               ('unit/pubsub', 30), ('unit/pubsubshard', 11), ('unit/pause', 16), ('unit/tracking', 54),
               ('unit/acl', 90), ('unit/acl-v2', 30), ('unit/auth', 10),
               ('unit/slowlog', 16), ('unit/latency-monitor', 14), ('unit/info', 17),
               ('unit/limits', 1), ('unit/obuf-limits', 9), ('unit/networking', 5), ('unit/querybuf', 2),
               ('unit/client-eviction', 17),
               ('integration/redis-cli', 31), ('integration/logging', 2),
               ('unit/maxmemory', 31), ('unit/lazyfree', 4),
               ('integration/replication', 59), ('integration/replication-2', 7), ('integration/replication-3', 7),
               ('integration/replication-4', 16), ('integration/psync2', 2), ('integration/psync2-reg', 2),
               ('integration/psync2-pingoff', 6), ('integration/psync2-master-restart', 4),
               ('integration/replication-psync', 60), ('integration/replication-buffer', 8),
               ('integration/block-repl', 2), ('integration/failover', 13), ('unit/wait', 5),
               ('integration/redis-benchmark', 9), ('integration/dismiss-mem', 4), ('unit/violations', 1),
               ('unit/pendingquerybuf', 1), ('unit/oom-score-adj', 5), ('unit/replybufsize', 1),
               ('unit/memefficiency', 10)]
SPAWN_BEGIN = '<!-- tcl-suite-spawn:begin -->'
SPAWN_END = '<!-- tcl-suite-spawn:end -->'


def encode(args):
    out = b'*%d\r\n' % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else a.encode()
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    return out


class Server:
    """The jar running on a free port in a temporary directory; restartable."""

    def __init__(self, jar):
        self.jar = jar
        self.dir = tempfile.mkdtemp(prefix='respire-compat-')
        self.process = None
        self.port = None
        self.start()

    def start(self):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen(
            ['java', '-jar', self.jar, '--port', str(self.port), '--bind', '127.0.0.1', '--dir', self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f'the server exited at start (status {self.process.returncode}): {self.jar}')
            try:
                if self.call([b'PING']).startswith(b'+PONG'):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit('the server did not answer PING within 120 s')

    def call(self, args):
        """Sends one command on a new connection; returns the first reply line, b'' if closed."""
        with socket.create_connection(('127.0.0.1', self.port), timeout=10) as s:
            s.sendall(encode(args))
            data = b''
            while not data.endswith(b'\r\n'):
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.split(b'\r\n', 1)[0]

    def ensure_running(self):
        if self.process.poll() is not None:
            self.start()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def probe_args(name, arity):
    """Arguments that make an implemented command fail its arity check, or None if none can."""
    words = name.split('|')
    if arity > 0:
        return words + ['x'] * (arity - len(words) + 1)
    if -arity > len(words):
        return words
    return None


def implemented(server, name, arity):
    args = probe_args(name, arity)
    if args is None:
        args = name.split('|') + [PROBE_ARGUMENT]
    try:
        reply = server.call([a if isinstance(a, bytes) else a.encode() for a in args])
    except OSError:
        reply = b''
    server.ensure_running()
    # A closed connection without a reply also means the command ran (QUIT, SHUTDOWN...):
    # unknown commands always get their error.
    return not (reply.startswith(b'-ERR unknown command') or reply.startswith(b'-ERR unknown subcommand'))


def own_handler(server, container):
    """Whether a container named alone runs (COMMAND) rather than failing as unknown or for arity."""
    reply = server.call([container.encode()])
    server.ensure_running()
    return not (reply.startswith(b'-ERR unknown') or reply.startswith(b'-ERR wrong number'))


def display(name):
    return name.replace('|', ' ').upper()


# The cluster family answers as a Redis without cluster mode (ClusterCommands): present, refusing.
NO_CLUSTER = 'refused: no cluster mode'


def command_rows(server, commands):
    rows = []
    for c in commands:
        subs = c.get('subcommands', [])
        if subs:
            results = [(s['group'], display(s['name']), implemented(server, s['name'], s['arity'])) for s in subs]
            done = sum(1 for r in results if r[2])
            state = f'{done} of {len(results)} subcommands' if done else 'no'
            if c['arity'] == -1 and own_handler(server, c['name']):
                state = 'yes; ' + state  # COMMAND alone is a command too
            if c['group'] == 'cluster' and done:
                state = NO_CLUSTER
            rows.append((c['group'], display(c['name']), state))
            rows.extend((g, n, (NO_CLUSTER if g == 'cluster' else 'yes') if ok else 'no') for g, n, ok in results)
        else:
            ok = implemented(server, c['name'], c['arity'])
            rows.append((c['group'], display(c['name']),
                         (NO_CLUSTER if c['group'] == 'cluster' else 'yes') if ok else 'no'))
    return rows


def previous_figures(previous, begin, end):
    """The figures of a table already in the output file: {unit: (passed, failed, status, date)}."""
    kept = {}
    if os.path.exists(previous):
        with open(previous, encoding='utf-8') as f:
            text = f.read()
        block = text.split(begin, 1)[-1].split(end, 1)[0] if begin in text else ''
        for line in block.splitlines():
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if len(cells) == 6 and cells[0].startswith(('unit/', 'integration/')):
                kept[cells[0]] = tuple(cells[2:6])
    return kept


def suite_section(reports, spawn, previous):
    """One table: the previous figures, updated by the reports of its mode (spawn or not)."""
    begin, end, units = (SPAWN_BEGIN, SPAWN_END, SPAWN_UNITS) if spawn else (SUITE_BEGIN, SUITE_END, SUITE_UNITS)
    kept = previous_figures(previous, begin, end)
    for report in reports:
        if (report.get('mode') == 'spawn') != spawn:
            continue
        date = report.get('started_at', '')[:10]
        for u in report.get('units', []):
            kept[u['unit']] = (str(u['passed']), str(u['failed']), u.get('status', ''), date)
    lines = [begin,
             '| Unit | Tests on Redis 7.0.15 | Passed | Failed | Status | Measured on |',
             '|---|---:|---:|---:|---|---|']
    for unit, baseline in units:
        passed, failed, status, date = kept.get(unit, ('—', '—', '', ''))
        lines.append(f'| {unit} | {baseline} | {passed} | {failed} | {status} | {date} |')
    lines.append(end)
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--jar', default=JAR)
    parser.add_argument('--suite-json', action='append', default=[],
                        help='a run-redis-suite --out report to take Tcl figures from (repeatable)')
    parser.add_argument('--output', default=OUTPUT, help='where to write (default docs/compatibility.md)')
    args = parser.parse_args()
    if not os.path.exists(args.jar):
        sys.exit(f'{args.jar} not found: build it first with  mvn -q package -DskipTests')
    with open(COMMANDS, encoding='utf-8') as f:
        commands = json.load(f)
    reports = []
    for path in args.suite_json:
        with open(path, encoding='utf-8') as f:
            reports.append(json.load(f))

    server = Server(args.jar)
    try:
        rows = command_rows(server, commands)
    finally:
        server.stop()

    top = [r for r in rows if ' ' not in r[1]]
    subs = [r for r in rows if ' ' in r[1]]
    groups = {}
    for group, name, state in top:
        total, done = groups.get(group, (0, 0))
        groups[group] = (total + 1, done + (state not in ('no', NO_CLUSTER)))

    out = ['# Redis 7.0 compatibility', '',
           'Generated by `python3 tools/gen-compatibility.py` on '
           f'{datetime.date.today().isoformat()}; do not edit by hand (the Tcl suite figures are kept '
           'when the file is regenerated). The command list is Redis 7.0.15\'s (sentinel-only commands '
           'left out); "implemented" was asked of a running server built from this tree: see the '
           'script for how.', '',
           f'**{sum(1 for r in top if r[2] not in ("no", NO_CLUSTER))} of {len(top)} commands** and '
           f'**{sum(1 for r in subs if r[2] == "yes")} of {len(subs)} subcommands** are implemented. '
           'A command that is not implemented answers `ERR unknown command`, as Redis does for a '
           'command it does not have; none pretends to succeed. The cluster family (CLUSTER and its '
           'subcommands, READONLY, READWRITE, ASKING) answers as a Redis without cluster mode, '
           '`ERR This instance has cluster support disabled`, and is not counted as implemented: '
           'Respire has no cluster mode. MODULE answers as a Redis with no module loaded (LIST is empty, LOAD '
           'fails with "Error loading the extension", the reason logged): Redis modules are native libraries '
           'built against its C module API, which a JVM cannot host.', '',
           '## Redis test suite', '',
           'Redis 7.0.15\'s own Tcl tests, run against Respire in external-server mode with '
           '`../shared/tools/run-redis-suite` (full mode). "Passed" counts tests that also pass on real '
           'Redis.', '',
           suite_section(reports, False, args.output), '',
           'In spawn mode (`--spawn "$PWD/bin/respire-server"`) the suite starts its own servers, as upstream '
           'runs it: each from a config file with overrides, restarted, killed and read from its log. The tests '
           'tagged external:skip run too, so the counts are higher: persistence, replication, ACL files, '
           'maxmemory and the other tests that need a server of their own.', '',
           suite_section(reports, True, args.output), '',
           'Causes of remaining spawn-mode failures, where known: unit/type/string's "trim on SET with big value" runs only where INFO reports `mem_allocator` as jemalloc, which Respire does not claim (it is counted as not passed, not failed); unit/type/incr's "INCR can modify objects in-place" expects DEBUG OBJECT's address to stay the same across an INCR, while Respire stores the new integer as a new value; unit/introspection\'s two CONFIG `save` tests expect Redis\'s default save points, while Respire starts with persistence off unless configured; unit/other\'s process title (see Settings); unit/latency-monitor\'s expire-cycle test expects expiring a 1,000,000-member set to take over 20 ms, as Redis\'s synchronous free does, and Respire drops the reference in well under 1 ms (the garbage collector reclaims it later), so no latency event is due; integration/rdb\'s "child sending info" expects copy-on-write pages of a fork child, which Respire does not have (docs/design/snapshots.md); integration/corrupt-dump\'s 12 expect Redis to crash or assert on a corrupt payload restored with `sanitize-dump-payload no`, which Respire refuses with an error instead; integration/replication\'s remaining six look for the fork child of a sync by its pid (to kill it, or in its log line) or expect the watchdog to catch a replica blocked reading its diskless payload from the socket (Respire has the watchdog, but its load never blocks on the socket); unit/oom-score-adj\'s fifth reads the score of a fork child; unit/replybufsize expects Redis\'s per-client reply buffer that a cron resizes by its peak use (DEBUG REPLYBUFFER), while Respire\'s `rbs` is the buffer of the batch being answered; unit/memefficiency\'s five active defragmentation tests need jemalloc (`activedefrag`), which a JVM does not have. The cluster units are not run: Respire has no cluster mode.', '',
           '## Settings', '',
           'Every Redis 7.0 setting is known to CONFIG GET/SET and the config file, TLS ones included (as '
           'redis-server built with TLS has them). A setting that asks for what Respire cannot do is refused '
           'with an error, never accepted and ignored: see `redis.conf.example`.', '',
           '`set-proc-title` and `proc-title-template` work as in Redis: ps and /proc/PID/cmdline show the '
           'expanded template. A JVM has no setproctitle, so the title is written over the process\'s original '
           'argument area, the java command line that started it. A title longer than that area is cut. An '
           'embedded server never changes its host\'s title; its `set-proc-title` reads no. unit/other\'s '
           '"Process title set as expected" fails for one reason: the suite starts Respire through a shim, so '
           '`{title}` is the path Respire was started as (`.../bin/respire-server`), while the test expects '
           '`*/redis-server`.', '',
           'Respire adds one setting Redis does not have: `metrics-port` (default 0, off), an HTTP endpoint '
           'serving `GET /metrics` in Prometheus text format under redis_exporter\'s metric names. CONFIG GET and '
           'CONFIG SET read and change it like the others (CONFIG SET opens, moves or closes it), and CONFIG '
           'REWRITE writes it; a redis.conf with it would not start a real redis-server.', '',
           '## Lua debugger', '',
           'SCRIPT DEBUG SYNC and the Lua debugger work as in Redis 7.0.15 (`redis-cli --ldb-sync-mode`): every '
           'debugger command (step, next, continue, list, whole, print, break, trace, eval, redis, maxlen, abort, '
           'help) with Redis\'s replies byte for byte, and redis.debug() and redis.breakpoint() in scripts (no-ops '
           'outside a session). As in Redis, the server serves no one but the debugging client while a session '
           'lasts: other clients\' commands wait, unanswered, until it ends. It ends when the script does, on '
           'abort, on input the debugger cannot parse, or when the client disconnects: the script then runs to its '
           'end without stopping, and one that loops is stopped once it has run busy-reply-threshold (5 s if 0) '
           'unattended. A shutdown signal ends the wait for the client, as it interrupts Redis\'s read.', '',
           '`SCRIPT DEBUG YES` (`redis-cli --ldb`) is refused with an error. Redis runs that session in a forked '
           'child so that the script\'s writes are thrown away; Respire has no fork, and running it as SYNC would '
           'keep writes the user expects discarded.', '',
           'Known differences: the debugger does not stop inside a coroutine (LuaJ runs it on a thread of its own, '
           'which cannot talk to the client); printing a function shows an identity number where Redis shows its '
           'address; table '
           'fields print in LuaJ\'s iteration order; debugger input sent inline (not as RESP) is accepted where '
           'Redis\'s debugger answers "protocol error", and commands pipelined to the debugger are all kept where '
           'Redis keeps the first; `eval` of code that raises a table logs its `err` field where Redis 7.0.15 '
           'crashes; `break -<line>` removes only that breakpoint (Redis 7.0.15 moves bytes, not ints, and can '
           'lose or duplicate others).', '',
           '## Commands by group', '',
           '| Group | Commands | Implemented |', '|---|---:|---:|']
    for group in sorted(groups):
        total, done = groups[group]
        out.append(f'| {group} | {total} | {done} |')
    out += ['', '## Every command', '',
            'Subcommands follow their container, which counts how many of them exist.', '',
            '| Command | Group | Implemented |', '|---|---|---|']
    for group, name, state in rows:
        out.append(f'| {name} | {group} | {state} |')
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    print(f'{len(top)} commands, {len(subs)} subcommands -> {args.output}')


if __name__ == '__main__':
    main()
