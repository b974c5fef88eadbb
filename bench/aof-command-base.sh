#!/usr/bin/env bash
# The rewrite that CONFIG SET appendonly yes starts, with a command base (aof-use-rdb-preamble no):
# the server loads FILE first; prints the rewrite's time, the resident memory before it and its
# peak during it (VmHWM, reset before the rewrite), and the base's size.
#
#   bench/aof-command-base.sh FILE NAME SERVER-COMMAND   e.g. ... dump.rdb respire bin/respire-server
# (for redis-server, "redis-server --daemonize no": its peak is the parent's, the fork child's is not counted)
set -uo pipefail
rdb=$(readlink -f "$1") name=$2 cmd=$3
w=$(mktemp -d); cp "$rdb" $w/dump.rdb
$cmd --port 7495 --save '' --dir $w --aof-use-rdb-preamble no > $w/log 2>&1 &
for _ in $(seq 300); do grep -q 'Ready to accept' $w/log && break; sleep 0.1; done
pid=$!
before=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
echo 5 > /proc/$pid/clear_refs 2>/dev/null || true  # resets VmHWM
start=$(date +%s%N)
redis-cli -p 7495 config set appendonly yes > /dev/null
for _ in $(seq 600); do redis-cli -p 7495 info persistence | grep -q 'aof_rewrite_in_progress:0' && redis-cli -p 7495 info persistence | grep -q 'aof_rewrite_scheduled:0' && break; sleep 0.05; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 0.5
echo "$name rewrite ${ms} ms, RSS before $before MB, peak $(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status) MB, base $(ls -l $w/appendonlydir/*.base.aof | awk '{print $5}') bytes"
redis-cli -p 7495 shutdown nosave > /dev/null; wait; rm -rf $w
