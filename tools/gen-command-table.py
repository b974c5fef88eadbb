#!/usr/bin/env python3
"""Generates Respire's command table from Redis 7.0.15's command specifications.

Redis describes every command in a JSON file (arity, flags, key specs, ACL categories, arguments);
its own build turns them into commands.c. We do the same: this script reads those facts from
../shared/reference/redis-7.0.15/commands/ and writes one data file that the server loads at start
(server/src/main/resources/io/respire/server/command/commands.json). Redis's prose summaries are
not copied: summaries come from tools/command-summaries.tsv, written by us.

Run from the project root:  python3 tools/gen-command-table.py [reference-dir]
"""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, '..', 'shared', 'reference', 'redis-7.0.15', 'commands')
OUTPUT = os.path.join(ROOT, 'server', 'src', 'main', 'resources', 'io', 'respire', 'server',
                      'command', 'commands.json')
SUMMARIES = os.path.join(ROOT, 'tools', 'command-summaries.tsv')

# The facts we keep, in the order we keep them; everything else (Redis's summary, the C function
# name) is left. get_keys_function names the key-finding routine the server ports (KeyFinder).
FACTS = ['arity', 'group', 'since', 'complexity', 'command_flags', 'acl_categories', 'key_specs',
         'get_keys_function', 'command_tips', 'doc_flags', 'deprecated_since', 'replaced_by', 'history',
         'arguments']


def load_summaries():
    summaries = {}
    if os.path.exists(SUMMARIES):
        with open(SUMMARIES, encoding='utf-8') as f:
            for line in f:
                line = line.rstrip('\n')
                if line and not line.startswith('#'):
                    name, _, text = line.partition('\t')
                    summaries[name.strip().lower()] = text.strip()
    return summaries


def slim(name, spec, summaries):
    out = {'name': name}
    if name in summaries:
        out['summary'] = summaries[name]
    for fact in FACTS:
        if fact in spec:
            out[fact] = spec[fact]
    return out


def main():
    summaries = load_summaries()
    top, subs = {}, {}
    for path in sorted(glob.glob(os.path.join(REFERENCE, '*.json'))):
        with open(path, encoding='utf-8') as f:
            for name, spec in json.load(f).items():
                if 'ONLY_SENTINEL' in spec.get('command_flags', []):
                    continue
                if 'container' in spec:
                    container = spec['container'].lower()
                    full = container + '|' + name.lower()
                    subs.setdefault(container, []).append(slim(full, spec, summaries))
                else:
                    top[name.lower()] = slim(name.lower(), spec, summaries)
    for container, children in subs.items():
        top[container]['subcommands'] = sorted(children, key=lambda c: c['name'])
    commands = [top[n] for n in sorted(top)]
    missing = [c['name'] for c in commands if 'summary' not in c]
    missing += [s['name'] for c in commands for s in c.get('subcommands', []) if 'summary' not in s]
    if missing:
        print(f'warning: no summary in {os.path.relpath(SUMMARIES, ROOT)} for: {" ".join(missing)}')
    unused = set(summaries) - {c['name'] for c in commands} - {
        s['name'] for c in commands for s in c.get('subcommands', [])}
    if unused:
        print(f'warning: summaries for unknown commands: {" ".join(sorted(unused))}')
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, 'w', encoding='utf-8') as f:
        f.write('[\n')
        f.write(',\n'.join(json.dumps(c, separators=(',', ':'), sort_keys=False) for c in commands))
        f.write('\n]\n')
    print(f'{len(commands)} commands, {sum(len(s) for s in subs.values())} subcommands -> {OUTPUT}')


if __name__ == '__main__':
    main()
